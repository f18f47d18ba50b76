"""The training obligations of D-6, for one worker and one year."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import msgspec

from shared.dates import add_months, add_years
from training_service.rules.hours import from_ch, to_ch
from training_service.rules.policies import ObligationRule


class Credit(msgspec.Struct, frozen=True):
    """A completed programme on a worker's ledger."""

    completed_on: date
    tier: str
    delivery: str
    hours_ch: int


class Member(msgspec.Struct, frozen=True):
    """A worker as the obligations see them."""

    post: str
    hired_on: date | None
    probation_ends_on: date | None


ObligationKind = Literal["induction", "annual_days", "periodic_programme"]
ObligationStatus = Literal["met", "late", "open", "behind"]
UNMET: tuple[ObligationStatus, ...] = ("open", "behind")
"""The verdicts a compliance report lists."""


class Obligation(msgspec.Struct, frozen=True):
    """One D-6 obligation for one worker: what is required by ``due_on``, what
    is done, and the shortfall. ``open`` is not met with time left; ``behind``
    is not met and overdue; ``late`` was met after the due date."""

    kind: ObligationKind
    period_from: date
    due_on: date
    unit: Literal["hours", "programmes"]
    required: Decimal
    done: Decimal
    shortfall: Decimal
    status: ObligationStatus
    required_days: Decimal | None = None
    shortfall_days: Decimal | None = None
    clause: str = "D-6"


def probation_end(hired_on: date, rule: ObligationRule) -> date:
    """D-4: hire with 6 months' probation (a parameter here)."""
    return add_months(hired_on, rule.probation_months) - timedelta(days=1)


def verdict(met: bool, due_on: date, as_of: date) -> ObligationStatus:
    """Met; else open until the due date and behind after it."""
    if met:
        return "met"
    return "behind" if as_of > due_on else "open"


def probation_period(member: Member, rule: ObligationRule) -> tuple[date, date] | None:
    """The worker's probation, first and last day: from the hire date (or, not
    known, ``probation_months`` before its end) to its end; None without one."""
    end = member.probation_ends_on
    if end is None:
        return None
    start = member.hired_on or add_months(end + timedelta(days=1), -rule.probation_months)
    return min(start, end), end


def induction(member: Member, credits: list[Credit], year: int, as_of: date,
              rule: ObligationRule) -> Obligation | None:
    """D-6: "every new hire completes induction (岗前培训) within the probation
    period". Owed in ``year`` only when the probation period falls in (overlaps)
    that calendar year: a worker whose probation ended in an earlier year owes
    none, whether or not it was done. Due on the last day of probation: met if
    done by then, late if done after, else open until then and behind after."""
    period = probation_period(member, rule)
    if period is None or not (period[0] <= date(year, 12, 31) and period[1] >= date(year, 1, 1)):
        return None
    start, due = period
    done = [c.completed_on for c in credits if c.tier == "induction"]
    on_time = any(d <= due for d in done)
    status: ObligationStatus = "met" if on_time else ("late" if done else verdict(False, due, as_of))
    n = Decimal(1 if done else 0)
    return Obligation("induction", start, due, "programmes", Decimal(1), n, Decimal(1) - n, status)


def annual_days(credits: list[Credit], year: int, as_of: date, rule: ObligationRule) -> Obligation:
    """``days_per_year`` days of centralised training in the calendar year, in hours."""
    start, year_end = date(year, 1, 1), date(year, 12, 31)
    required_ch = to_ch(rule.hours_per_day) * rule.days_per_year
    done_ch = sum(c.hours_ch for c in credits if start <= c.completed_on <= year_end
                  and c.delivery in rule.centralised_deliveries)
    short_ch = max(required_ch - done_ch, 0)
    per_day = rule.hours_per_day or Decimal(1)
    return Obligation(
        "annual_days", start, year_end, "hours", from_ch(required_ch), from_ch(done_ch), from_ch(short_ch),
        verdict(short_ch == 0, year_end, as_of),
        required_days=Decimal(rule.days_per_year),
        shortfall_days=(from_ch(short_ch) / per_day).quantize(Decimal("0.01")),
    )


def periodic_programme(member: Member, credits: list[Credit], year: int, as_of: date,
                       rule: ObligationRule) -> Obligation:
    """``programmes`` programme(s) in the ``every_years`` calendar years ending
    with ``year``; a worker hired inside that window has the full period from
    the hire date."""
    start, due = date(year - rule.every_years + 1, 1, 1), date(year, 12, 31)
    if member.hired_on is not None and member.hired_on > start:
        due = max(due, add_years(member.hired_on, rule.every_years) - timedelta(days=1))
    n = sum(1 for c in credits if start <= c.completed_on <= due)
    short = max(rule.programmes - n, 0)
    return Obligation("periodic_programme", start, due, "programmes", Decimal(rule.programmes), Decimal(n),
                      Decimal(short), verdict(short == 0, due, as_of))


def obligations(
    member: Member, credits: list[Credit], year: int, as_of: date, rule: ObligationRule,
) -> list[Obligation]:
    """The D-6 obligations of one worker for ``year``, judged on ``as_of``.

    D-6: every new hire completes induction (岗前培训) within the probation
    period; secretaries/directors at least 7 days of centralised training a
    year; other workers at least one programme every 2 years." Induction only
    in a year the worker's probation falls in (``induction``)."""
    if member.hired_on is not None and member.hired_on > date(year, 12, 31):
        return []
    first = induction(member, credits, year, as_of, rule)
    out = [first] if first is not None else []
    if member.post in rule.leader_posts:
        out.append(annual_days(credits, year, as_of, rule))
    else:
        out.append(periodic_programme(member, credits, year, as_of, rule))
    return out
