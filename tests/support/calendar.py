"""A working-day calendar for tests that count working days from today (D-10).

The calendars shipped are the published arrangements (2004–2026). A test that
starts a 公示 today counts into the next year near a year's end; a year with no
calendar is refused (409 ``calendar_not_loaded``), as it must be. Such tests
load the current and the next year, when missing, as weekends only and say so
in the source — test data, never shipped."""
from __future__ import annotations

from datetime import date

TEST_SOURCE = "tests: weekends only, no public holidays (not a published arrangement)"


def ensure_years(admin_api, today: date | None = None) -> list[int]:
    """``PUT /calendar/{year}`` for this year and the next where none is loaded; the years loaded."""
    today = today or date.today()
    have = {y["year"] for y in admin_api.get("/calendar").json()}
    added = []
    for year in (today.year, today.year + 1):
        if year not in have:
            r = admin_api.put(f"/calendar/{year}", json={"holidays": [], "working_days": [], "source": TEST_SOURCE})
            assert r.status_code in (200, 201), r.text
            added.append(year)
    return added
