"""The workforce by organisation level on a date (D-17): headcount on the
rolls, the communities' quota and vacancies (S4-1, S4-3, D-9, as of the date,
D-11), the age and education structure, the gender split and the party
members, per district or street (``shared.levels.unit_of``) and in total."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

import msgspec
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hr_service.recruitment.tables import Community
from hr_service.rules import staffing as room_rules
from hr_service.rules.profile import PARTY_MEMBERS
from hr_service.states import WorkerStatus
from hr_service.store.rolls import figures_by_code, places_by_code, quota_steps
from hr_service.tables import Worker, WorkerChange
from shared.auth import district_in
from shared.db import in_jurisdiction
from shared.levels import unit_of
from shared.policy import Policies

AGE_BANDS = ("≤30", "31-40", "41-50", ">50")
UNKNOWN = "(unknown)"
TOTAL = "(total)"


class Unit(msgspec.Struct):
    """The figures of one district or street (or the total) on the date."""

    unit: str
    headcount: int = 0
    quota: int = 0
    vacancies: int = 0
    party_members: int = 0
    by_age: dict[str, int] = msgspec.field(default_factory=dict)
    by_education: dict[str, int] = msgspec.field(default_factory=dict)
    by_gender: dict[str, int] = msgspec.field(default_factory=dict)


class OnRolls(NamedTuple):
    jurisdiction: str
    birth_date: date | None
    education: str | None
    gender: str | None
    political_status: str | None
    party_member_since: date | None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(born: date | None, day: date) -> str:
    """≤30, 31-40, 41-50 or >50 on ``day`` (unknown without a birth date)."""
    if born is None:
        return UNKNOWN
    age = age_on(born, day)
    return AGE_BANDS[0] if age <= 30 else AGE_BANDS[1] if age <= 40 else AGE_BANDS[2] if age <= 50 else AGE_BANDS[3]


def party_member(w: OnRolls, day: date) -> bool:
    """A 中共党员 or 中共预备党员 on ``day`` (a membership dated after it does not count yet)."""
    return w.political_status in PARTY_MEMBERS and (w.party_member_since is None or w.party_member_since <= day)


def jurisdictions_then(s: Session, day: date) -> dict[int, str]:
    """Where each worker changed since ``day`` lay on it (D-11): the
    jurisdiction before their first change dated after it."""
    then: dict[int, str] = {}
    rows = s.execute(select(WorkerChange.worker_id, WorkerChange.before["jurisdiction"].as_string())
                     .where(WorkerChange.effective_on > day)
                     .order_by(WorkerChange.worker_id, WorkerChange.effective_on.desc(), WorkerChange.id.desc()))
    for worker_id, jurisdiction in rows:
        if jurisdiction:
            then[worker_id] = jurisdiction  # the earliest change after the day comes last
    return then


def on_rolls(s: Session, scope: str, day: date) -> list[OnRolls]:
    """The workers of ``scope`` on the rolls on ``day``: hired on or before it,
    not left before it, and lying in ``scope`` that day (a later transfer is
    unwound, D-11)."""
    then = jurisdictions_then(s, day)
    moved_in = [w for w, j in then.items() if district_in(scope, j)]
    q = select(Worker.id, Worker.jurisdiction, Worker.birth_date, Worker.education, Worker.gender,
               Worker.political_status, Worker.party_member_since).where(
        or_(in_jurisdiction(Worker.jurisdiction, scope), Worker.id.in_(moved_in)), Worker.hired_on <= day,
        or_(Worker.left_on >= day, Worker.left_on.is_(None) & (Worker.status != WorkerStatus.left)))
    out = []
    for worker_id, now_in, born, education, gender, status, member_since in s.execute(q).all():
        lay = then.get(worker_id, now_in)
        if district_in(scope, lay):
            out.append(OnRolls(lay, born, education, gender, status, member_since))
    return out


def community_room(s: Session, policies: Policies, scope: str, day: date) -> list[tuple[str, int, int]]:
    """Each community of ``scope``: (its jurisdiction, quota on ``day``, vacancies
    on ``day``: quota less its headcount, never below 0), S4-1, S4-3, D-9, D-11."""
    communities = list(s.execute(select(Community).where(in_jurisdiction(Community.jurisdiction, scope))
                                 .order_by(Community.code)).scalars())
    if not communities:
        return []
    book = policies.book(s, ("staffing",))
    figures = figures_by_code(s, communities)
    places = places_by_code(s, [c.code for c in communities])
    out = []
    for c in communities:
        quota = room_rules.quota_on(quota_steps(book, c, figures[c.code]), day).quota
        out.append((c.jurisdiction, quota, max(0, quota - room_rules.headcount_on(places[c.code], day))))
    return out


def tally(units: dict[str, Unit], key: str, workers: Iterable[OnRolls], rooms: Iterable[tuple[str, int, int]],
          day: date, by: str | None) -> None:
    """Add the workers and communities to their unit (``by``) and to ``key``, the total."""
    def bucket(jurisdiction: str) -> list[Unit]:
        found = [units.setdefault(key, Unit(key))]
        if by is not None:
            unit = unit_of(jurisdiction, by)
            found.append(units.setdefault(unit, Unit(unit)))
        return found

    for w in workers:
        for u in bucket(w.jurisdiction):
            u.headcount += 1
            u.party_members += party_member(w, day)
            for counts, value in ((u.by_age, age_band(w.birth_date, day)), (u.by_education, w.education or UNKNOWN),
                                  (u.by_gender, w.gender or UNKNOWN)):
                counts[value] = counts.get(value, 0) + 1
    for jurisdiction, quota, vacancies in rooms:
        for u in bucket(jurisdiction):
            u.quota += quota
            u.vacancies += vacancies


def workforce(s: Session, policies: Policies, scope: str, day: date, by: str | None) -> tuple[Unit, list[Unit]]:
    """The total of ``scope`` on ``day`` and, with ``by``, each district or street's figures, by name."""
    units: dict[str, Unit] = {}
    tally(units, TOTAL, on_rolls(s, scope, day), community_room(s, policies, scope, day), day, by)
    total = units.pop(TOTAL, Unit(TOTAL))
    for u in [total, *units.values()]:
        u.by_age = {band: u.by_age.get(band, 0) for band in (*AGE_BANDS, UNKNOWN)
                    if band != UNKNOWN or band in u.by_age}  # every band, the unknown when there are any
        u.by_education = dict(sorted(u.by_education.items()))
        u.by_gender = dict(sorted(u.by_gender.items()))
    return total, [units[k] for k in sorted(units)]
