"""Social-work certificates (社会工作者职业水平证书, D-5): recording a passed
exam, the senior review, bulk loads, and the lists."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certs_service import rules
from certs_service.states import REVIEW, ReviewOutcome
from certs_service.store.profiles import profile_to_write
from certs_service.tables import Certificate, Profile
from shared.auth import Principal, ensure_visible, require_jurisdiction
from shared.db import in_chunks
from shared.db import in_jurisdiction as in_scope
from shared.errors import Conflict, Invalid, NotFound, refuse_future
from shared.paging import fetch_page
from shared.types import Name

Text64 = Name  # not blank
CertificateNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
WorkerId = Annotated[int, msgspec.Meta(ge=1)]
Year = Annotated[int, msgspec.Meta(ge=1990, le=2100)]


def check_level(level: str, field: str = "level") -> None:
    if level not in rules.LEVELS:
        raise Invalid(
            "unknown_level", f"Unknown certificate level '{level}'; one of: {', '.join(rules.LEVELS)}.",
            f"证书等级“{level}”无效，应为：{'、'.join(rules.LEVELS)}。", field=field, clause="D-5",
        )


def number_taken(number: str) -> Conflict:
    return Conflict("certificate_number_taken", f"Certificate number '{number}' is already recorded.",
                    f"证书编号“{number}”已登记。", field="number", clause="D-5")


def level_held(worker_id: int, level: str, field: str) -> Conflict:
    return Conflict("level_already_held", f"Worker {worker_id} already holds a {level} certificate.",
                    f"该社工已持有{level}证书。", field=field, clause="D-5")


def check_exam(level: str, exam_year: int, passed_on: date, today: date, prefix: str = "") -> None:
    """A known level, passed by today, in the exam year or the one after it (D-5)."""
    check_level(level, prefix + "level")
    refuse_future(passed_on, today, prefix + "passed_on", clause="D-5")
    if not passed_on.year - 1 <= exam_year <= passed_on.year:
        raise Invalid("exam_year_mismatch", f"Exam year {exam_year} does not fit the pass date {passed_on}.",
                      f"考试年度 {exam_year} 与通过日期 {passed_on} 不符。", field=prefix + "exam_year", clause="D-5")


def record_certificate(
    session: Session, principal: Principal, *, worker_id: int, level: str, number: str, exam_year: int,
    passed_on: date, today: date, now: datetime,
) -> Certificate:
    """A passed level exam. 高级 waits for its review (D-5 "senior by exam plus review")."""
    profile = profile_to_write(session, principal, worker_id)
    check_exam(level, exam_year, passed_on, today)
    if session.execute(select(Certificate.id).where(Certificate.number == number)).first():
        raise number_taken(number)
    if session.execute(select(Certificate.id).where(Certificate.worker_id == worker_id,
                                                    Certificate.level == level)).first():
        raise level_held(worker_id, level, "level")
    review = rules.review_on_record(level)
    cert = Certificate(
        worker_id=profile.worker_id, level=level, level_rank=rules.LEVEL_RANK[level], number=number,
        exam_year=exam_year, passed_on=passed_on, review_outcome=review, reviewed_on=None,
        qualified_on=rules.qualified_on(level, passed_on, review, None), recorded_by=principal.sub, created_at=now,
    )
    session.add(cert)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same number
        raise number_taken(number) from exc
    return cert


def certificate_to_write(session: Session, principal: Principal, certificate_id: int) -> tuple[Certificate, Profile]:
    cert = session.get(Certificate, certificate_id)
    if cert is None:
        raise NotFound("certificate", "证书", certificate_id)
    return cert, profile_to_write(session, principal, cert.worker_id, field="certificate_id")


def certificate_to_read(session: Session, principal: Principal, certificate_id: int) -> tuple[Certificate, Profile]:
    """The certificate and its holder's profile if the caller may see them; 404 as if absent otherwise (D-8)."""
    cert = session.get(Certificate, certificate_id)
    profile = session.get(Profile, cert.worker_id) if cert is not None else None
    if cert is None or profile is None:
        raise NotFound("certificate", "证书", certificate_id)
    ensure_visible(principal, profile.jurisdiction, profile.worker_id, "certificate", "证书", certificate_id,
                   profile.community_code)
    return cert, profile


def record_review(session: Session, principal: Principal, certificate_id: int, *, outcome: str, reviewed_on: date,
                  today: date) -> Certificate:
    """The senior level's review (评审) outcome, recorded once; a pass confers the level."""
    cert, _ = certificate_to_write(session, principal, certificate_id)
    if cert.level != rules.SENIOR:
        raise Conflict("review_not_applicable", "Only 高级社会工作师 is conferred by review.",
                       "仅高级社会工作师需经评审。", field="certificate_id", clause="D-5")
    if REVIEW.final(cert.review_outcome):
        raise Conflict("review_already_recorded", f"The review was already recorded ({cert.review_outcome}).",
                       "评审结果已登记。", field="outcome", clause="D-5")
    if outcome not in (ReviewOutcome.passed, ReviewOutcome.failed):
        raise Invalid("unknown_outcome", "outcome is passed or failed.", "评审结果应为 passed 或 failed。",
                      field="outcome")
    refuse_future(reviewed_on, today, "reviewed_on", clause="D-5")
    if reviewed_on < cert.passed_on:
        raise Invalid("review_before_exam", "The review cannot precede the exam pass.",
                      "评审日期不能早于考试通过日期。", field="reviewed_on", clause="D-5")
    cert.review_outcome, cert.reviewed_on = REVIEW.move(cert.review_outcome, ReviewOutcome(outcome)), reviewed_on
    cert.qualified_on = rules.qualified_on(cert.level, cert.passed_on, outcome, reviewed_on)
    session.flush()
    return cert


def list_certificates(session: Session, scope: str, *, worker_id: int | None, level: str | None,
                      limit: int, offset: int,
                      community: str | None = None) -> tuple[list[tuple[Certificate, Profile]], int]:
    """The certificates of ``scope`` (of one community for its secretary, D-17)."""
    q = select(Certificate, Profile).join(Profile, Profile.worker_id == Certificate.worker_id)
    q = q.where(in_scope(Profile.jurisdiction, scope))
    if community is not None:
        q = q.where(Profile.community_code == community)
    if worker_id is not None:
        q = q.where(Certificate.worker_id == worker_id)
    if level is not None:
        check_level(level)
        q = q.where(Certificate.level == level)
    page, total = fetch_page(session, q, [Certificate.id], limit, offset)
    return list(page.all()), total


def certificates_of(session: Session, worker_id: int) -> list[Certificate]:
    return list(session.execute(select(Certificate).where(Certificate.worker_id == worker_id)
                                .order_by(Certificate.level_rank)).scalars())


# --- bulk loads ------------------------------------------------------------------


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



def check_import_rows(principal: Principal, rows: list[ImportRow], today: date) -> None:
    """Each row on its own and against the others: in the caller's
    jurisdiction, a valid exam, no number or (worker, level) twice."""
    seen: set[str] = set()
    held: set[tuple[int, str]] = set()
    for i, r in enumerate(rows):
        prefix = f"items[{i}]."
        require_jurisdiction(principal, r.jurisdiction, field=prefix + "jurisdiction")
        check_exam(r.level, r.exam_year, r.passed_on, today, prefix)
        refuse_future(r.reviewed_on, today, prefix + "reviewed_on", clause="D-5")
        if r.number in seen:
            raise Conflict("certificate_number_taken", f"Certificate number '{r.number}' appears twice.",
                           f"证书编号“{r.number}”重复。", field=prefix + "number", clause="D-5")
        if (r.worker_id, r.level) in held:
            raise level_held(r.worker_id, r.level, prefix + "level")
        seen.add(r.number)
        held.add((r.worker_id, r.level))


def check_import_against_records(session: Session, principal: Principal, rows: list[ImportRow]) -> dict[int, str]:
    """The rows against what is recorded: no number taken, existing profiles in
    the caller's jurisdiction, no level already held. Returns the existing
    profiles' jurisdictions by worker id."""
    for part in in_chunks(r.number for r in rows):
        taken = session.execute(select(Certificate.number).where(Certificate.number.in_(part))).scalars().first()
        if taken is not None:
            raise number_taken(taken)
    existing: dict[int, str] = {}
    levels: set[tuple[int, str]] = set()
    for part in in_chunks(r.worker_id for r in rows):
        existing.update(session.execute(select(Profile.worker_id, Profile.jurisdiction)
                                        .where(Profile.worker_id.in_(part))).all())
        levels.update(session.execute(select(Certificate.worker_id, Certificate.level)
                                      .where(Certificate.worker_id.in_(part))).all())
    for i, r in enumerate(rows):
        if r.worker_id in existing:
            require_jurisdiction(principal, existing[r.worker_id], field=f"items[{i}].worker_id")
        if (r.worker_id, r.level) in levels:
            raise level_held(r.worker_id, r.level, f"items[{i}].level")
    return existing


def import_certificates(session: Session, principal: Principal, rows: list[ImportRow], *, today: date,
                        now: datetime) -> tuple[int, int]:
    """Load many holders in a few set-based statements; all or nothing.
    Returns (profiles opened, certificates recorded)."""
    check_import_rows(principal, rows, today)
    existing = check_import_against_records(session, principal, rows)
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
        review = rules.review_on_record(r.level)
        if review is not None and r.reviewed_on:
            review = REVIEW.move(review, ReviewOutcome.passed)
        certs.append(dict(
            worker_id=r.worker_id, level=r.level, level_rank=rules.LEVEL_RANK[r.level], number=r.number,
            exam_year=r.exam_year, passed_on=r.passed_on, review_outcome=review, reviewed_on=r.reviewed_on,
            qualified_on=rules.qualified_on(r.level, r.passed_on, review, r.reviewed_on),
            recorded_by=principal.sub, created_at=now,
        ))
    if certs:
        session.execute(insert(Certificate), certs)
    return len(new_profiles), len(certs)
