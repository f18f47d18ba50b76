"""Certs's queries and transactions: profiles, certificates, registration
cycles, the CPD ledger, service records, exam entries and statistics.

Every write checks before it writes, inside the caller's transaction, so a
refusal leaves nothing behind; events go to the outbox in that same
transaction. Leader-talent rounds are in ``certs_service.talent``.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Iterable

import msgspec
from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.rules import RegistrationRule
from certs_service.tables import (
    Assessment,
    Certificate,
    CpdCredit,
    ExamEntry,
    Profile,
    Registration,
    Reminder,
    ServiceEntry,
    TalentRound,
)
from shared.db import in_jurisdiction as in_scope
from shared.auth import Principal, require_jurisdiction
from shared.errors import Conflict, Invalid, NotFound
from shared.events import CertificateRegistered, RegistrationLapsed, RegistrationReminder
from shared.outbox import publish, publish_many
from shared.policy import Policies
from shared.web import Service

ASSESSMENT_GRADES = ("优秀", "合格", "基本合格", "不合格")
"""D-1: the four assessment grades."""

SERVICE_KINDS = ("posting", "award", "excellent_case", "studio")
"""S2-4 服务履历, S2-8: a posting (岗位, 挂职), an award (最美社工…), an excellent
case (优秀社会工作案例), a studio (特色社会工作室)."""

CPD_SOURCES = ("course", "degree")
MAX_CPD_HOURS = Decimal(1000)


# --- checks shared by the writes ---------------------------------------------


def scope_of(principal: Principal, jurisdiction: str | None) -> str:
    """The jurisdiction a list or statistic is asked for: the caller's own by
    default; another one outside it is 403 (D-8)."""
    scope = jurisdiction or principal.jurisdiction
    require_jurisdiction(principal, scope)
    return scope


def check_level(level: str, field: str = "level") -> None:
    if level not in rules.LEVELS:
        raise Invalid(
            "unknown_level", f"Unknown certificate level '{level}'; one of: {', '.join(rules.LEVELS)}.",
            f"证书等级“{level}”无效，应为：{'、'.join(rules.LEVELS)}。", field=field, clause="D-5",
        )


def check_not_future(day: date, today: date, field: str, clause: str | None = None) -> None:
    if day > today:
        raise Invalid("date_in_future", f"{field} {day} is in the future.", f"{field} {day} 晚于今天。",
                      field=field, clause=clause)


def hours_centi(hours: Decimal, field: str = "hours") -> int:
    """Hours as integer hundredths: positive, finite, at most two decimals."""
    if not hours.is_finite() or hours <= 0 or hours > MAX_CPD_HOURS or hours != hours.quantize(rules.CENT):
        raise Invalid("invalid_hours", f"{field} must be a number of hours above 0 and up to {MAX_CPD_HOURS}, "
                      "with at most two decimals.", f"{field} 须为大于 0、不超过 {MAX_CPD_HOURS} 的学时，最多两位小数。",
                      field=field)
    return rules.to_centi(hours)


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
    if profile is None or not principal.may_see(profile.jurisdiction, profile.worker_id):
        raise NotFound("worker profile", "社工档案", worker_id)
    return profile


def registration_rule(policies: Policies, session: Session, jurisdiction: str, as_of: date) -> RegistrationRule:
    """The ``registration_cycle`` policy (D-5) in force for ``jurisdiction`` on ``as_of``."""
    return policies.in_force(session, "registration_cycle", jurisdiction, as_of)


# --- profiles and real-name registration (S2-4) -----------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def check_id_number(id_number: str, field: str = "id_number") -> str:
    """S2-4 实名注册: an 18-digit resident ID number with a valid check digit;
    returned with an upper-case X."""
    number = id_number.upper()
    body, check = number[:17], number[17:]
    ok = len(number) == 18 and body.isdigit() and check == "10X98765432"[
        sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]
    if not ok:
        raise Invalid("invalid_id_number", "Not a valid 18-digit resident ID number.",
                      "不是有效的 18 位居民身份证号码。", field=field, clause="S2-4")
    return number


def _id_taken(session: Session, id_number: str, worker_id: int) -> None:
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
    if hired_on is not None:
        check_not_future(hired_on, today, "hired_on")
    if session.get(Profile, worker_id) is not None:
        raise Conflict("profile_exists", f"Worker {worker_id} already has a profile.", f"社工 {worker_id} 已有档案。",
                       field="worker_id")
    if id_number is not None:
        id_number = check_id_number(id_number)
        _id_taken(session, id_number, worker_id)
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
    _id_taken(session, id_number, worker_id)
    profile.name, profile.id_number, profile.real_name_on = name, id_number, today
    session.flush()
    return profile


def list_profiles(session: Session, scope: str, *, real_name: bool | None, limit: int,
                  offset: int) -> tuple[list[Profile], int]:
    """Profiles in ``scope``; ``real_name=False``: those still to register under their real name (S2-4)."""
    q = select(Profile).where(in_scope(Profile.jurisdiction, scope))
    if real_name is not None:
        q = q.where(Profile.real_name_on.is_not(None) if real_name else Profile.real_name_on.is_(None))
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(Profile.worker_id).limit(limit).offset(offset)).scalars()
    return list(rows), total


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
    if year > today.year:
        raise Invalid("year_in_future", f"Year {year} is in the future.", f"{year} 年尚未到来。", field="year")
    upsert_assessment(session, worker_id, year, grade)


def upsert_assessment(session: Session, worker_id: int, year: int, grade: str) -> None:
    session.merge(Assessment(worker_id=worker_id, year=year, grade=grade))


def open_profile(session: Session, *, worker_id: int, name: str, jurisdiction: str, hired_on: date,
                 now: datetime) -> None:
    """worker.hired: open the profile, or reopen it on a rehire."""
    profile = session.get(Profile, worker_id)
    if profile is None:
        session.add(Profile(worker_id=worker_id, name=name, jurisdiction=jurisdiction, community_worker=True,
                            hired_on=hired_on, prior_service_years=0, created_at=now))
        return
    profile.name, profile.jurisdiction, profile.hired_on = name, jurisdiction, hired_on
    profile.community_worker, profile.left_on = True, None


def close_profile(session: Session, worker_id: int, left_on: date) -> None:
    """worker.left: record the leaving, close open registration cycles, withdraw
    nominations in rounds not yet final, end leader-talent terms."""
    from certs_service.talent import close_for_leaver

    profile = session.get(Profile, worker_id)
    if profile is not None:
        profile.left_on = left_on
    session.execute(
        update(Registration).where(Registration.worker_id == worker_id, Registration.ended.is_(None))
        .values(ended=rules.ENDED_CLOSED, ended_on=left_on)
    )
    close_for_leaver(session, worker_id, left_on)


# --- certificates (D-5, S3-7) ------------------------------------------------


def _number_taken(number: str) -> Conflict:
    return Conflict("certificate_number_taken", f"Certificate number '{number}' is already recorded.",
                    f"证书编号“{number}”已登记。", field="number", clause="D-5")


def _level_held(worker_id: int, level: str, field: str) -> Conflict:
    return Conflict("level_already_held", f"Worker {worker_id} already holds a {level} certificate.",
                    f"该社工已持有{level}证书。", field=field, clause="D-5")


def _check_exam(level: str, exam_year: int, passed_on: date, today: date, prefix: str = "") -> None:
    check_level(level, prefix + "level")
    check_not_future(passed_on, today, prefix + "passed_on", "D-5")
    if not passed_on.year - 1 <= exam_year <= passed_on.year:
        raise Invalid("exam_year_mismatch", f"Exam year {exam_year} does not fit the pass date {passed_on}.",
                      f"考试年度 {exam_year} 与通过日期 {passed_on} 不符。", field=prefix + "exam_year", clause="D-5")


def record_certificate(
    session: Session, principal: Principal, *, worker_id: int, level: str, number: str, exam_year: int,
    passed_on: date, today: date, now: datetime,
) -> Certificate:
    """A passed level exam. 高级 waits for its review (D-5 "senior by exam plus review")."""
    profile = profile_to_write(session, principal, worker_id)
    _check_exam(level, exam_year, passed_on, today)
    if session.execute(select(Certificate.id).where(Certificate.number == number)).first():
        raise _number_taken(number)
    if session.execute(select(Certificate.id).where(Certificate.worker_id == worker_id,
                                                    Certificate.level == level)).first():
        raise _level_held(worker_id, level, "level")
    review = rules.REVIEW_PENDING if level == rules.SENIOR else None
    cert = Certificate(
        worker_id=profile.worker_id, level=level, level_rank=rules.LEVEL_RANK[level], number=number,
        exam_year=exam_year, passed_on=passed_on, review_outcome=review, reviewed_on=None,
        qualified_on=rules.qualified_on(level, passed_on, review, None), recorded_by=principal.sub, created_at=now,
    )
    session.add(cert)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same number
        raise _number_taken(number) from exc
    return cert


def certificate_to_write(session: Session, principal: Principal, certificate_id: int) -> tuple[Certificate, Profile]:
    cert = session.get(Certificate, certificate_id)
    if cert is None:
        raise NotFound("certificate", "证书", certificate_id)
    return cert, profile_to_write(session, principal, cert.worker_id, field="certificate_id")


def certificate_to_read(session: Session, principal: Principal, certificate_id: int) -> tuple[Certificate, Profile]:
    cert = session.get(Certificate, certificate_id)
    if cert is None:
        raise NotFound("certificate", "证书", certificate_id)
    try:
        return cert, profile_to_read(session, principal, cert.worker_id)
    except NotFound:
        raise NotFound("certificate", "证书", certificate_id) from None


def record_review(session: Session, principal: Principal, certificate_id: int, *, outcome: str, reviewed_on: date,
                  today: date) -> Certificate:
    """The senior level's review (评审) outcome; a pass confers the level."""
    cert, _ = certificate_to_write(session, principal, certificate_id)
    if cert.level != rules.SENIOR:
        raise Conflict("review_not_applicable", "Only 高级社会工作师 is conferred by review.",
                       "仅高级社会工作师需经评审。", field="certificate_id", clause="D-5")
    if cert.review_outcome != rules.REVIEW_PENDING:
        raise Conflict("review_already_recorded", f"The review was already recorded ({cert.review_outcome}).",
                       "评审结果已登记。", field="outcome", clause="D-5")
    if outcome not in (rules.REVIEW_PASSED, rules.REVIEW_FAILED):
        raise Invalid("unknown_outcome", "outcome is passed or failed.", "评审结果应为 passed 或 failed。",
                      field="outcome")
    check_not_future(reviewed_on, today, "reviewed_on", "D-5")
    if reviewed_on < cert.passed_on:
        raise Invalid("review_before_exam", "The review cannot precede the exam pass.", "评审日期不能早于考试通过日期。",
                      field="reviewed_on", clause="D-5")
    cert.review_outcome, cert.reviewed_on = outcome, reviewed_on
    cert.qualified_on = rules.qualified_on(cert.level, cert.passed_on, outcome, reviewed_on)
    session.flush()
    return cert


Text64 = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
CertificateNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
WorkerId = Annotated[int, msgspec.Meta(ge=1)]
Year = Annotated[int, msgspec.Meta(ge=1990, le=2100)]


class ImportRow(msgspec.Struct, forbid_unknown_fields=True):
    """One holder of a bulk load: the profile (if new) and one certificate."""

    worker_id: WorkerId
    name: Text64
    jurisdiction: Text64
    level: str
    number: CertificateNumber
    exam_year: Year
    passed_on: date
    community_worker: bool = True
    hired_on: date | None = None
    reviewed_on: date | None = None  # 高级: the passed review


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def import_certificates(session: Session, principal: Principal, rows: list[ImportRow], *, today: date,
                        now: datetime) -> tuple[int, int]:
    """Load many holders in a few set-based statements; all or nothing.
    Returns (profiles opened, certificates recorded)."""
    seen: set[str] = set()
    held: set[tuple[int, str]] = set()
    for i, r in enumerate(rows):
        prefix = f"items[{i}]."
        require_jurisdiction(principal, r.jurisdiction, field=prefix + "jurisdiction")
        _check_exam(r.level, r.exam_year, r.passed_on, today, prefix)
        if r.reviewed_on is not None:
            check_not_future(r.reviewed_on, today, prefix + "reviewed_on", "D-5")
        if r.number in seen:
            raise Conflict("certificate_number_taken", f"Certificate number '{r.number}' appears twice.",
                           f"证书编号“{r.number}”重复。", field=prefix + "number", clause="D-5")
        if (r.worker_id, r.level) in held:
            raise _level_held(r.worker_id, r.level, prefix + "level")
        seen.add(r.number)
        held.add((r.worker_id, r.level))
    for part in _chunks(list(seen)):
        taken = session.execute(select(Certificate.number).where(Certificate.number.in_(part))).scalars().first()
        if taken is not None:
            raise _number_taken(taken)
    ids = sorted({r.worker_id for r in rows})
    existing: dict[int, str] = {}
    levels: set[tuple[int, str]] = set()
    for part in _chunks(ids):
        existing.update(session.execute(select(Profile.worker_id, Profile.jurisdiction)
                                        .where(Profile.worker_id.in_(part))).all())
        levels.update(session.execute(select(Certificate.worker_id, Certificate.level)
                                      .where(Certificate.worker_id.in_(part))).all())
    for i, r in enumerate(rows):
        if r.worker_id in existing:
            require_jurisdiction(principal, existing[r.worker_id], field=f"items[{i}].worker_id")
        if (r.worker_id, r.level) in levels:
            raise _level_held(r.worker_id, r.level, f"items[{i}].level")
    new_profiles: dict[int, dict] = {}
    for r in rows:
        if r.worker_id not in existing and r.worker_id not in new_profiles:
            new_profiles[r.worker_id] = dict(
                worker_id=r.worker_id, name=r.name, jurisdiction=r.jurisdiction, community_worker=r.community_worker,
                hired_on=r.hired_on, prior_service_years=0, created_at=now,
            )
    if new_profiles:
        session.execute(insert(Profile), list(new_profiles.values()))
    certs = []
    for r in rows:
        review = None
        if r.level == rules.SENIOR:
            review = rules.REVIEW_PASSED if r.reviewed_on else rules.REVIEW_PENDING
        certs.append(dict(
            worker_id=r.worker_id, level=r.level, level_rank=rules.LEVEL_RANK[r.level], number=r.number,
            exam_year=r.exam_year, passed_on=r.passed_on, review_outcome=review, reviewed_on=r.reviewed_on,
            qualified_on=rules.qualified_on(r.level, r.passed_on, review, r.reviewed_on),
            recorded_by=principal.sub, created_at=now,
        ))
    if certs:
        session.execute(insert(Certificate), certs)
    return len(new_profiles), len(certs)


def list_certificates(session: Session, scope: str, *, worker_id: int | None, level: str | None,
                      limit: int, offset: int) -> tuple[list[tuple[Certificate, Profile]], int]:
    q = select(Certificate, Profile).join(Profile, Profile.worker_id == Certificate.worker_id)
    q = q.where(in_scope(Profile.jurisdiction, scope))
    if worker_id is not None:
        q = q.where(Certificate.worker_id == worker_id)
    if level is not None:
        check_level(level)
        q = q.where(Certificate.level == level)
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(Certificate.id).limit(limit).offset(offset)).all()
    return list(rows), total


def list_talent_rounds(session: Session, scope: str, *, state: str | None, name: str | None, limit: int,
                       offset: int) -> tuple[list[TalentRound], int]:
    """Leader-talent rounds seen from ``scope``, newest first: those of ``scope``
    and under it, and those of the city it is a district of (as
    ``talent.round_to_read`` lets a district officer read its city's rounds)."""
    parts = scope.split(".")
    above = [".".join(parts[:i]) for i in range(1, len(parts))]
    q = select(TalentRound).where(or_(in_scope(TalentRound.jurisdiction, scope), TalentRound.jurisdiction.in_(above)))
    if state is not None:
        q = q.where(TalentRound.state == state)
    if name is not None:
        q = q.where(TalentRound.name == name)
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(TalentRound.opened_on.desc(), TalentRound.id.desc())
                           .limit(limit).offset(offset)).scalars()
    return list(rows), total


def certificates_of(session: Session, worker_id: int) -> list[Certificate]:
    return list(session.execute(select(Certificate).where(Certificate.worker_id == worker_id)
                                .order_by(Certificate.level_rank)).scalars())


# --- the CPD ledger (继续教育) ------------------------------------------------


def _degree_credited(session: Session, worker_id: int) -> bool:
    return session.execute(select(CpdCredit.id).where(CpdCredit.worker_id == worker_id, CpdCredit.source == "degree",
                                                      CpdCredit.centi > 0)).first() is not None


def record_cpd(
    session: Session, svc: Service, principal: Principal, worker_id: int, *, hours: Decimal | None, credited_on: date,
    source: str, note: str | None, today: date, now: datetime,
) -> CpdCredit:
    """CPD hours recorded by an officer (until training's cpd.credited feeds the
    ledger). D-5: a completed social-work degree counts the policy's hours, once."""
    profile = profile_to_write(session, principal, worker_id)
    if source not in CPD_SOURCES:
        raise Invalid("unknown_source", "source is course or degree.", "来源应为 course（课程）或 degree（学历）。",
                      field="source")
    check_not_future(credited_on, today, "credited_on")
    if source == "degree":
        if _degree_credited(session, worker_id):
            raise Conflict("degree_already_credited", "A social-work degree counts once (D-5); it was already credited.",
                           "社会工作学历只能折算一次继续教育学时，已折算过。", field="source", clause="D-5")
        rule = registration_rule(svc.policies, session, profile.jurisdiction, credited_on)
        centi = rule.degree_hours * 100
        reported = hours_centi(hours) if hours is not None else centi
    else:
        if hours is None:
            raise Invalid("hours_required", "hours is required for a course.", "课程须填写学时。", field="hours")
        centi = reported = hours_centi(hours)
    credit = CpdCredit(worker_id=worker_id, credited_on=credited_on, centi=centi, reported_centi=reported,
                       source=source, note=note, recorded_by=principal.sub, created_at=now)
    session.add(credit)
    session.flush()
    return credit


def credit_cpd_event(session: Session, policies: Policies, *, event_id: str, worker_id: int, jurisdiction: str,
                     hours: Decimal, credited_on: date, source: str, session_id: int | None, now: datetime) -> None:
    """cpd.credited into the ledger. A second degree is kept for the record but counts 0 (D-5)."""
    reported = rules.to_centi(hours.quantize(rules.CENT, rounding=ROUND_HALF_UP))
    centi, note = reported, None
    if source == "degree":
        if _degree_credited(session, worker_id):
            centi, note = 0, "degree already credited once (D-5)"
        else:
            centi = registration_rule(policies, session, jurisdiction, credited_on).degree_hours * 100
    session.add(CpdCredit(worker_id=worker_id, credited_on=credited_on, centi=centi, reported_centi=reported,
                          source=source if source in CPD_SOURCES else "course", event_id=event_id,
                          session_id=session_id, note=note, recorded_by="event:cpd.credited", created_at=now))


def cpd_centi(session: Session, worker_id: int, since: date, until: date) -> int:
    """CPD hundredths credited in [since, until]."""
    return session.execute(
        select(func.coalesce(func.sum(CpdCredit.centi), 0))
        .where(CpdCredit.worker_id == worker_id, CpdCredit.credited_on >= since, CpdCredit.credited_on <= until)
    ).scalar_one()


def cpd_ledger(session: Session, worker_id: int) -> list[CpdCredit]:
    return list(session.execute(select(CpdCredit).where(CpdCredit.worker_id == worker_id)
                                .order_by(CpdCredit.credited_on, CpdCredit.id)).scalars())


# --- registration cycles (D-5) -----------------------------------------------


def latest_registration(session: Session, certificate_id: int, *, lock: bool = False) -> Registration | None:
    q = select(Registration).where(Registration.certificate_id == certificate_id)
    q = q.order_by(Registration.cycle.desc()).limit(1)
    if lock:
        q = q.with_for_update()
    return session.execute(q).scalar()


def _lapse_event(reg: Registration, cert: Certificate, jurisdiction: str) -> RegistrationLapsed:
    return RegistrationLapsed(worker_id=reg.worker_id, jurisdiction=jurisdiction, certificate_id=cert.id,
                              level=cert.level, lapsed_on=reg.valid_until + timedelta(days=1))


def register(
    session: Session, svc: Service, principal: Principal, certificate_id: int, *, registered_on: date, today: date,
    now: datetime,
) -> Registration:
    """Register a certificate (登记, D-5): the first registration within a year
    of qualifying; a re-registration in the window before expiry with the
    cycle's CPD hours; after a lapse (or a close on leaving) a restoring
    registration, also with the hours of the lapsed cycle, valid from its date.

    A renewal continues the cycle: it is valid from the day after the old one
    ends. The hours counted are those credited from the cycle's ``cpd_from`` to
    the registration day; the next cycle counts from the day after."""
    cert, profile = certificate_to_write(session, principal, certificate_id)
    check_not_future(registered_on, today, "registered_on", "D-5")
    if profile.real_name_on is None:
        raise Conflict("real_name_required", "The holder is not registered under their real name (S2-4).",
                       "持证人尚未实名注册。", field="certificate_id", clause="S2-4")
    if profile.left_on is not None and profile.left_on <= registered_on:
        raise Conflict("worker_left", f"The worker left on {profile.left_on}.", f"该社工已于 {profile.left_on} 离职。",
                       field="certificate_id")
    if cert.qualified_on is None:
        raise Conflict("senior_review_not_passed", "A 高级 certificate registers only after a passed review.",
                       "高级社会工作师须评审通过后方可登记。", field="certificate_id", clause="D-5")
    if registered_on < cert.qualified_on:
        raise Invalid("registration_before_qualifying", f"The level is held from {cert.qualified_on}.",
                      f"证书自 {cert.qualified_on} 起取得。", field="registered_on", clause="D-5")
    rule = registration_rule(svc.policies, session, profile.jurisdiction, registered_on)
    last = latest_registration(session, cert.id, lock=True)
    counted = None
    if last is None:
        deadline = rules.first_registration_deadline(cert.qualified_on, rule)
        if registered_on > deadline:
            raise Invalid(
                "first_registration_too_late",
                f"The first registration must be made within {rule.first_within_months} months of qualifying "
                f"({cert.qualified_on}), by {deadline}; {registered_on} is too late (D-5).",
                f"首次登记须在取得证书后 {rule.first_within_months} 个月内（{deadline} 前）办理，{registered_on} 已逾期。",
                field="registered_on", clause="D-5",
                extra={"qualified_on": cert.qualified_on.isoformat(), "deadline": deadline.isoformat()},
            )
        kind, valid_from, cycle = rules.FIRST, registered_on, 1
    else:
        if registered_on <= last.registered_on:
            raise Conflict("registration_out_of_order", f"The last registration was made on {last.registered_on}.",
                           f"上次登记日期为 {last.registered_on}。", field="registered_on", clause="D-5")
        state = rules.registration_state(last.valid_until, last.renewal_opens_on, last.ended, registered_on)
        if state == rules.ACTIVE:
            opens, closes = last.renewal_opens_on, last.valid_until
            raise Conflict(
                "outside_renewal_window",
                f"Re-registration is open from {opens} to {closes}, the months before the registration "
                f"expires (D-5).",
                f"再登记须在登记有效期满前的规定期限内（{opens} 至 {closes}）办理。",
                field="registered_on", clause="D-5",
                extra={"window_opens_on": opens.isoformat(), "window_closes_on": closes.isoformat()},
            )
        counted = cpd_centi(session, cert.worker_id, last.cpd_from, registered_on)
        required = rules.required_cpd_centi(cert.level, rule)
        if counted < required:
            have, need = rules.from_centi(counted), rules.from_centi(required)
            raise Invalid(
                "cpd_hours_short",
                f"Re-registration as {cert.level} needs {need} hours of continuing education in the cycle; "
                f"{have} are credited since {last.cpd_from} (D-5).",
                f"{cert.level}再登记须完成本周期继续教育 {need} 学时，自 {last.cpd_from} 起仅有 {have} 学时。",
                field="registered_on", clause="D-5",
                extra={"required_hours": str(need), "counted_hours": str(have), "counted_from": last.cpd_from.isoformat()},
            )
        if state == rules.DUE:
            kind, valid_from = rules.RENEWAL, last.valid_until + timedelta(days=1)
            last.ended, last.ended_on = rules.ENDED_RENEWED, registered_on
        else:
            kind, valid_from = rules.RESTORE, registered_on
            if last.ended is None:  # lapsed, not yet marked by the daily job
                last.ended, last.ended_on = rules.ENDED_LAPSED, last.valid_until + timedelta(days=1)
                publish(session, svc.infra.outbox, _lapse_event(last, cert, profile.jurisdiction))
        cycle = last.cycle + 1
    until = rules.valid_until(valid_from, rule)
    reg = Registration(
        certificate_id=cert.id, worker_id=cert.worker_id, cycle=cycle, kind=kind, registered_on=registered_on,
        valid_from=valid_from, valid_until=until, renewal_opens_on=rules.renewal_window(until, rule)[0],
        cpd_from=registered_on if kind == rules.FIRST else registered_on + timedelta(days=1),
        cpd_counted_centi=counted, ended=None, ended_on=None, recorded_by=principal.sub, created_at=now,
    )
    session.add(reg)
    session.flush()
    publish(session, svc.infra.outbox, CertificateRegistered(
        worker_id=cert.worker_id, jurisdiction=profile.jurisdiction, certificate_id=cert.id, level=cert.level,
        registered_on=registered_on, valid_until=until,
    ))
    return reg


def registrations_of(session: Session, certificate_id: int) -> list[Registration]:
    return list(session.execute(select(Registration).where(Registration.certificate_id == certificate_id)
                                .order_by(Registration.cycle)).scalars())


class Status(msgspec.Struct):
    """Where a certificate's registration stands on ``as_of``."""

    state: str  # unregistered | active | due | lapsed | closed | first_registration_missed
    as_of: date
    cycle: int | None = None
    registered_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    days_to_expiry: int | None = None
    window_opens_on: date | None = None
    window_closes_on: date | None = None
    first_registration_deadline: date | None = None
    cpd_counted_from: date | None = None
    cpd_counted_hours: Decimal | None = None
    cpd_required_hours: Decimal | None = None


def status_of(session: Session, svc: Service, cert: Certificate, jurisdiction: str, as_of: date) -> Status:
    if cert.qualified_on is None:
        return Status("unregistered", as_of)
    last = latest_registration(session, cert.id)
    rule = registration_rule(svc.policies, session, jurisdiction, as_of)
    required = rules.from_centi(rules.required_cpd_centi(cert.level, rule))
    if last is None:
        deadline = rules.first_registration_deadline(cert.qualified_on, rule)
        state = "unregistered" if as_of <= deadline else "first_registration_missed"
        return Status(state, as_of, first_registration_deadline=deadline)
    state = rules.registration_state(last.valid_until, last.renewal_opens_on, last.ended, as_of)
    return Status(
        state, as_of, last.cycle, last.registered_on, last.valid_from, last.valid_until,
        (last.valid_until - as_of).days, last.renewal_opens_on, last.valid_until, None, last.cpd_from,
        rules.from_centi(cpd_centi(session, cert.worker_id, last.cpd_from, as_of)), required,
    )


def state_filter(state: str, as_of: date):
    """The SQL condition for a registration's state on ``as_of`` (rules.registration_state, set-based)."""
    r = Registration
    return {
        rules.ACTIVE: and_(r.ended.is_(None), r.renewal_opens_on > as_of),
        rules.DUE: and_(r.ended.is_(None), r.renewal_opens_on <= as_of, r.valid_until >= as_of),
        rules.LAPSED: or_(r.ended == rules.ENDED_LAPSED, and_(r.ended.is_(None), r.valid_until < as_of)),
        rules.ENDED_RENEWED: r.ended == rules.ENDED_RENEWED,
        rules.ENDED_CLOSED: r.ended == rules.ENDED_CLOSED,
    }[state]


def list_registrations(session: Session, scope: str, *, state: str | None, as_of: date, limit: int,
                       offset: int) -> tuple[list[tuple[Registration, Certificate, Profile]], int]:
    q = (select(Registration, Certificate, Profile)
         .join(Certificate, Certificate.id == Registration.certificate_id)
         .join(Profile, Profile.worker_id == Registration.worker_id)
         .where(in_scope(Profile.jurisdiction, scope)))
    if state is not None:
        q = q.where(state_filter(state, as_of))
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(Registration.valid_until, Registration.id).limit(limit).offset(offset))
    return list(rows.all()), total


def registration_check(session: Session, svc: Service, day: date) -> tuple[int, int]:
    """The daily job (D-5): mark the cycles that ended before ``day`` without
    renewal as lapsed, publishing registration.lapsed for each; and issue the
    reminders due on ``day`` (90, 60, 30 days before expiry) to the officers'
    list. Set-based. Returns (lapsed, reminders)."""
    lapsed = session.execute(
        select(Registration, Certificate, Profile.jurisdiction)
        .join(Certificate, Certificate.id == Registration.certificate_id)
        .join(Profile, Profile.worker_id == Registration.worker_id)
        .where(Registration.ended.is_(None), Registration.valid_until < day)
    ).all()
    if lapsed:
        session.execute(update(Registration), [
            {"id": reg.id, "ended": rules.ENDED_LAPSED, "ended_on": reg.valid_until + timedelta(days=1)}
            for reg, _, _ in lapsed
        ])
        publish_many(session, svc.infra.outbox, [_lapse_event(reg, cert, j) for reg, cert, j in lapsed])

    open_ = and_(Registration.ended.is_(None), Registration.valid_until >= day)
    scopes = session.execute(select(Profile.jurisdiction).distinct()
                             .join(Registration, Registration.worker_id == Profile.worker_id).where(open_)).scalars()
    thresholds = {j: registration_rule(svc.policies, session, j, day).reminder_days for j in scopes}
    horizon = max((max(t) for t in thresholds.values() if t), default=0)
    candidates = session.execute(
        select(Registration.id, Registration.worker_id, Registration.valid_until, Profile.jurisdiction)
        .join(Profile, Profile.worker_id == Registration.worker_id)
        .where(open_, Registration.valid_until <= day + timedelta(days=horizon))
    ).all()
    sent: set[tuple[int, int]] = set()
    for part in _chunks([c.id for c in candidates]):
        sent.update(session.execute(select(Reminder.registration_id, Reminder.days_before)
                                    .where(Reminder.registration_id.in_(part))).all())
    reminders = []
    for c in candidates:
        band = rules.reminder_band(c.valid_until, day, thresholds[c.jurisdiction])
        if band is not None and (c.id, band) not in sent:
            reminders.append(dict(registration_id=c.id, worker_id=c.worker_id, jurisdiction=c.jurisdiction,
                                  days_before=band, valid_until=c.valid_until, issued_on=day))
    if reminders:
        session.execute(insert(Reminder), reminders)
        publish_many(session, svc.infra.outbox, [RegistrationReminder(
            worker_id=r["worker_id"], jurisdiction=r["jurisdiction"], registration_id=r["registration_id"],
            valid_until=r["valid_until"], days_before=r["days_before"]) for r in reminders])
    return len(lapsed), len(reminders)


def list_reminders(session: Session, scope: str, *, issued_from: date | None, issued_to: date | None, limit: int,
                   offset: int) -> tuple[list[tuple[Reminder, Registration, Profile]], int]:
    q = (select(Reminder, Registration, Profile)
         .join(Registration, Registration.id == Reminder.registration_id)
         .join(Profile, Profile.worker_id == Reminder.worker_id)
         .where(in_scope(Reminder.jurisdiction, scope)))
    if issued_from is not None:
        q = q.where(Reminder.issued_on >= issued_from)
    if issued_to is not None:
        q = q.where(Reminder.issued_on <= issued_to)
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(Reminder.issued_on.desc(), Reminder.id).limit(limit).offset(offset))
    return list(rows.all()), total


# --- service record (服务履历, S2-4, S2-8) -------------------------------------


def add_service_entry(session: Session, principal: Principal, worker_id: int, *, kind: str, title: str,
                      started_on: date, ended_on: date | None, conferred_by: str | None, detail: str | None,
                      today: date, now: datetime) -> ServiceEntry:
    profile_to_write(session, principal, worker_id)
    if kind not in SERVICE_KINDS:
        raise Invalid("unknown_kind", f"Unknown service-record kind '{kind}'; one of: {', '.join(SERVICE_KINDS)}.",
                      f"服务履历类别“{kind}”无效。", field="kind", clause="S2-4")
    check_not_future(started_on, today, "started_on")
    if ended_on is not None and ended_on < started_on:
        raise Invalid("ends_before_start", "ended_on is before started_on.", "结束日期早于开始日期。", field="ended_on")
    entry = ServiceEntry(worker_id=worker_id, kind=kind, title=title, started_on=started_on, ended_on=ended_on,
                         conferred_by=conferred_by, detail=detail, recorded_by=principal.sub, created_at=now)
    session.add(entry)
    session.flush()
    return entry


def service_record(session: Session, worker_id: int) -> list[ServiceEntry]:
    return list(session.execute(select(ServiceEntry).where(ServiceEntry.worker_id == worker_id)
                                .order_by(ServiceEntry.started_on, ServiceEntry.id)).scalars())


# --- professional-title exam entries (职称考试, S3-7) ------------------------

EXAM_RESULTS = ("pending", "passed", "failed")


def enter_exam(session: Session, principal: Principal, *, worker_id: int, exam_year: int, level: str,
               entered_on: date, today: date, now: datetime) -> ExamEntry:
    """S3-7 积极组织…社区工作者参加职称考试: one entry per worker, year and level."""
    profile_to_write(session, principal, worker_id)
    check_level(level)
    check_not_future(entered_on, today, "entered_on", "S3-7")
    if not entered_on.year - 1 <= exam_year <= entered_on.year + 1:
        raise Invalid("exam_year_mismatch", f"Exam year {exam_year} does not fit the entry date {entered_on}.",
                      f"考试年度 {exam_year} 与报名日期 {entered_on} 不符。", field="exam_year", clause="S3-7")
    if session.execute(select(ExamEntry.id).where(ExamEntry.worker_id == worker_id, ExamEntry.exam_year == exam_year,
                                                  ExamEntry.level == level)).first():
        raise Conflict("exam_entry_exists", f"Worker {worker_id} is already entered for {level} in {exam_year}.",
                       f"该社工已报名 {exam_year} 年{level}考试。", field="level", clause="S3-7")
    entry = ExamEntry(worker_id=worker_id, exam_year=exam_year, level=level, entered_on=entered_on, result="pending",
                      recorded_by=principal.sub, created_at=now)
    session.add(entry)
    session.flush()
    return entry


def record_exam_result(session: Session, principal: Principal, entry_id: int, result: str) -> ExamEntry:
    entry = session.get(ExamEntry, entry_id)
    if entry is None:
        raise NotFound("exam entry", "考试报名", entry_id)
    profile_to_write(session, principal, entry.worker_id, field="entry_id")
    if result not in EXAM_RESULTS[1:]:
        raise Invalid("unknown_result", "result is passed or failed.", "考试结果应为 passed 或 failed。", field="result")
    entry.result = result
    session.flush()
    return entry


def exam_summary(session: Session, scope: str, exam_year: int) -> tuple[int, dict[str, dict[str, int]]]:
    """S3-7 entries of a year in ``scope``: total, and per level per result."""
    rows = session.execute(
        select(ExamEntry.level, ExamEntry.result, func.count())
        .join(Profile, Profile.worker_id == ExamEntry.worker_id)
        .where(ExamEntry.exam_year == exam_year, in_scope(Profile.jurisdiction, scope))
        .group_by(ExamEntry.level, ExamEntry.result)
    ).all()
    by_level: dict[str, dict[str, int]] = {}
    for level, result, n in rows:
        by_level.setdefault(level, {r: 0 for r in EXAM_RESULTS})[result] = n
    return sum(n for _, _, n in rows), by_level


def list_exam_entries(session: Session, scope: str, exam_year: int | None, limit: int,
                      offset: int) -> tuple[list[tuple[ExamEntry, Profile]], int]:
    q = (select(ExamEntry, Profile).join(Profile, Profile.worker_id == ExamEntry.worker_id)
         .where(in_scope(Profile.jurisdiction, scope)))
    if exam_year is not None:
        q = q.where(ExamEntry.exam_year == exam_year)
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(ExamEntry.id).limit(limit).offset(offset))
    return list(rows.all()), total


# --- statistics (S2-7) -------------------------------------------------------


def holder_counts(session: Session, scope: str, as_of: date) -> list[tuple[str, int, bool, int]]:
    """S2-7 certified workers on ``as_of``: (jurisdiction, highest level rank
    held, community worker on that day, count). One row per person: a holder
    of two levels counts once, at the higher. A community worker is one on
    HR's rolls that day (hired, not yet left)."""
    p = Profile
    community = case(
        (and_(p.community_worker, or_(p.hired_on.is_(None), p.hired_on <= as_of),
              or_(p.left_on.is_(None), p.left_on > as_of)), 1),
        else_=0,
    )
    per_holder = (
        select(Certificate.worker_id, p.jurisdiction.label("jurisdiction"),
               func.max(Certificate.level_rank).label("top"), community.label("community"))
        .join(p, p.worker_id == Certificate.worker_id)
        .where(Certificate.qualified_on <= as_of, in_scope(p.jurisdiction, scope))
        .group_by(Certificate.worker_id, p.jurisdiction, community)
        .subquery()
    )
    rows = session.execute(
        select(per_holder.c.jurisdiction, per_holder.c.top, per_holder.c.community, func.count())
        .group_by(per_holder.c.jurisdiction, per_holder.c.top, per_holder.c.community)
    ).all()
    return [(j, top, bool(cw), n) for j, top, cw, n in rows]
