"""Worker profiles: who may read and write them (D-8), real-name registration
(实名注册, S2-4) and the yearly assessments talent eligibility reads (D-1)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from certs_service.tables import Assessment, Profile
from shared import idcard
from shared.auth import Principal, ensure_visible, require_jurisdiction
from shared.db import in_jurisdiction as in_scope
from shared.errors import Conflict, Invalid, NotFound, refuse_future
from shared.paging import fetch_page

ASSESSMENT_GRADES = ("优秀", "合格", "基本合格", "不合格")
"""D-1: the four assessment grades."""


# --- access (D-8) ----------------------------------------------------------------


def scope_of(principal: Principal, jurisdiction: str | None) -> str:
    """The jurisdiction a list or statistic is asked for: the caller's own by
    default; another one outside it is 403 (D-8)."""
    scope = jurisdiction or principal.jurisdiction
    require_jurisdiction(principal, scope)
    return scope


def profile_to_write(session: Session, principal: Principal, worker_id: int, field: str = "worker_id") -> Profile:
    """The worker's profile, for an officer who covers its jurisdiction (403 otherwise, D-8)."""
    profile = session.get(Profile, worker_id)
    if profile is None:
        raise NotFound("worker profile", "社工档案", worker_id, field=field)
    require_jurisdiction(principal, profile.jurisdiction, field=field)
    return profile


def profile_to_read(session: Session, principal: Principal, worker_id: int) -> Profile:
    """The worker's profile if the caller may see it; 404 as if absent otherwise (D-8)."""
    profile = session.get(Profile, worker_id)
    if profile is None:
        raise NotFound("worker profile", "社工档案", worker_id)
    ensure_visible(principal, profile.jurisdiction, profile.worker_id, "worker profile", "社工档案", worker_id,
                   profile.community_code)
    return profile


# --- profiles and real-name registration (S2-4) -----------------------------


def check_id_number(id_number: str, field: str = "id_number") -> str:
    """S2-4 实名注册: an 18-digit resident ID number with a valid check digit
    (``shared.idcard``); returned with an upper-case X."""
    number = id_number.upper()
    body = number[:17]
    if not (len(number) == 18 and body.isdigit() and number[17] == idcard.check_char(body)):
        raise Invalid("invalid_id_number", "Not a valid 18-digit resident ID number.",
                      "不是有效的 18 位居民身份证号码。", field=field, clause="S2-4")
    return number


def check_id_free(session: Session, id_number: str, worker_id: int) -> None:
    """S2-4: one real-name registration per ID number."""
    other = session.execute(select(Profile.worker_id).where(Profile.id_number == id_number)).scalar()
    if other is not None and other != worker_id:
        raise Conflict("id_number_taken", "Another profile is registered under this ID number.",
                       "该身份证号码已用于另一份实名注册。", field="id_number", clause="S2-4")


def create_profile(
    session: Session, principal: Principal, *, worker_id: int, name: str, jurisdiction: str,
    id_number: str | None, community_worker: bool, hired_on: date | None, prior_service_years: int,
    today: date, now: datetime,
) -> Profile:
    """Open a profile through the API (until HR's worker.hired feeds it)."""
    require_jurisdiction(principal, jurisdiction)
    refuse_future(hired_on, today, "hired_on", clause="D-4")
    if session.get(Profile, worker_id) is not None:
        raise Conflict("profile_exists", f"Worker {worker_id} already has a profile.", f"社工 {worker_id} 已有档案。",
                       field="worker_id")
    if id_number is not None:
        id_number = check_id_number(id_number)
        check_id_free(session, id_number, worker_id)
    profile = Profile(
        worker_id=worker_id, name=name, jurisdiction=jurisdiction, id_number=id_number,
        real_name_on=today if id_number else None, community_worker=community_worker, hired_on=hired_on,
        prior_service_years=prior_service_years, left_on=None, created_at=now,
    )
    session.add(profile)
    session.flush()
    return profile


def register_real_name(session: Session, principal: Principal, worker_id: int, *, name: str, id_number: str,
                       today: date) -> Profile:
    """S2-4 要求全市持证社区工作者实名注册: the holder's name and ID number."""
    profile = profile_to_write(session, principal, worker_id)
    id_number = check_id_number(id_number)
    check_id_free(session, id_number, worker_id)
    profile.name, profile.id_number, profile.real_name_on = name, id_number, today
    session.flush()
    return profile


def list_profiles(session: Session, scope: str, *, real_name: bool | None, limit: int,
                  offset: int) -> tuple[list[Profile], int]:
    """Profiles in ``scope``; ``real_name=False``: those still to register under their real name (S2-4)."""
    q = select(Profile).where(in_scope(Profile.jurisdiction, scope))
    if real_name is not None:
        q = q.where(Profile.real_name_on.is_not(None) if real_name else Profile.real_name_on.is_(None))
    page, total = fetch_page(session, q, [Profile.worker_id], limit, offset)
    return list(page.scalars()), total


# --- assessments (D-1), read by talent eligibility (D-7) ----------------------


def assessments_of(session: Session, worker_ids: list[int]) -> dict[int, dict[int, str]]:
    """The workers' assessments: ``{worker_id: {year: grade}}``, in one query."""
    out: dict[int, dict[int, str]] = {}
    rows = session.execute(select(Assessment.worker_id, Assessment.year, Assessment.grade)
                           .where(Assessment.worker_id.in_(worker_ids)))
    for r in rows:
        out.setdefault(r.worker_id, {})[r.year] = r.grade
    return out


def record_assessment(session: Session, principal: Principal, worker_id: int, *, year: int, grade: str,
                      today: date) -> None:
    profile_to_write(session, principal, worker_id)
    if grade not in ASSESSMENT_GRADES:
        raise Invalid("unknown_grade", f"Unknown assessment grade '{grade}'; one of: {', '.join(ASSESSMENT_GRADES)}.",
                      f"考核等次“{grade}”无效。", field="grade", clause="D-1")
    refuse_future(year, today.year, "year", clause="D-1")
    upsert_assessment(session, worker_id, year, grade)


def upsert_assessment(session: Session, worker_id: int, year: int, grade: str) -> None:
    """assessment.recorded, or an officer's entry: the year's grade, replacing any before."""
    session.merge(Assessment(worker_id=worker_id, year=year, grade=grade))
