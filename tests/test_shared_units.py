"""Unit tests of the shared building blocks: money, the D-10 calendar, events,
policy jurisdiction chains, the scheduler's due jobs."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import msgspec
import pytest

from deploy import topology
from hr_service.rules import StaffingRule, StartingGradeRule, staffing_quota, starting_grade
from shared import events
from shared.calendar import shipped_calendar
from shared.money import apply_bp, format_yuan, round_half_up, split_exact, yuan
from shared.policy import jurisdiction_chain
from shared.scheduler import due_jobs
from shared.workdays import WorkCalendar, YearDays


def test_money_in_fen():
    assert yuan(850) == 85_000
    assert yuan("12.345") == 1_235  # half-up
    assert apply_bp(85_000, 3000) == 25_500  # 30% (S4-12)
    assert round_half_up(Fraction(-5, 2)) == -3
    assert split_exact(100, [1, 1, 1]) == [34, 33, 33]
    assert sum(split_exact(99_999, [3, 7, 11])) == 99_999
    assert format_yuan(-1_205) == "-12.05"


def test_calendar_counts_holidays_and_makeup_days():
    cal = WorkCalendar.of(shipped_calendar().years.values())
    assert not cal.is_working_day(date(2025, 10, 3))  # National Day
    assert cal.is_working_day(date(2025, 9, 28))  # a Sunday worked in exchange
    assert not cal.is_working_day(date(2025, 11, 22))  # a plain Saturday
    # 5 working days from Monday 29 Sept 2025 run across the National Day break
    # (29, 30 Sept; 9, 10 Oct; and Saturday 11 Oct, worked in exchange)
    assert cal.add_working_days(date(2025, 9, 29), 5) == date(2025, 10, 11)
    assert cal.working_days_between(date(2025, 9, 29), date(2025, 10, 13)) == 6
    plain = WorkCalendar.of([YearDays(2026, ())])
    assert plain.add_working_days(date(2026, 11, 23), 5) == date(2026, 11, 27)
    with pytest.raises(ValueError):
        plain.add_working_days(date(2026, 11, 23), 0)


def test_staffing_quota_s4_1_s4_3_d_9():
    rule = StaffingRule()
    assert staffing_quota(2000, 50, rule) == 5  # 2000 / 400
    assert staffing_quota(2001, 50, rule) == 6  # rounded up
    assert staffing_quota(2000, 100, rule) == 7  # + 2 party-affairs posts
    assert staffing_quota(9000, 300, rule) == 15  # the D-9 cap


def test_starting_grade_d_2():
    rule = StartingGradeRule()
    g = starting_grade("副职", 2, "本科", rule)
    assert g.grade == 4 + 2 + 3 and not g.capped and "D-2" in g.explanation
    assert starting_grade("委员", 0, "大专", rule).grade == 1
    top = starting_grade("正职", 30, "博士", rule)
    assert top.grade == 18 and top.capped


def test_event_contract_round_trip_and_versions():
    e = events.CpdCredited(worker_id=7, jurisdiction="hangzhou", hours=Decimal("3.5"), credited_on=date(2026, 5, 1),
                           occurred_at=datetime(2026, 5, 1, tzinfo=UTC))
    msg = events.to_message(e)
    assert msg["event"] == "cpd.credited" and msg["version"] == 1 and msg["hours"] == "3.5"
    assert events.from_message(msg) == e
    # a newer producer's extra field does not break an older consumer
    assert events.from_message({**msg, "new_field": 1}) == e
    with pytest.raises(msgspec.ValidationError):
        events.from_message({**msg, "event": "no.such.event"})


def test_jurisdiction_chain():
    assert jurisdiction_chain("hangzhou.gongshu") == ["hangzhou.gongshu", "hangzhou"]
    assert jurisdiction_chain("hangzhou") == ["hangzhou"]


def test_scheduler_due_jobs():
    schedule = topology.schedule()
    names = lambda day: sorted(j.job for _, j, _ in due_jobs(day, schedule))  # noqa: E731
    assert names(date(2026, 7, 1)) == ["draft_pay_run", "registration_check", "step_increment"]
    assert names(date(2026, 7, 2)) == ["registration_check"]
    due = {j.job: (service, p) for service, j, p in due_jobs(date(2026, 8, 1), schedule)}
    assert due["draft_pay_run"] == ("hr", "2026-08") and due["registration_check"] == ("certs", "2026-08-01")
