"""Annual assessments (D-1, S3-1, S4-14, S0-6): one per worker per year,
corrections with reasons and the values they replace."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.rules import workers as worker_rules
from hr_service.store.policies import POLICIES
from hr_service.store.workers import facts
from hr_service.tables import Assessment, AssessmentRevision, Worker, infra
from shared.errors import Conflict, Invalid, NotFound
from shared.events import AssessmentRecorded
from shared.outbox import publish
from shared.policy import Policies

CORRECTABLE = ("grade", "visits", "residents_satisfaction", "score_centi", "comment")


def score_centi(score: Decimal) -> int:
    """A performance score in hundredths; more than two decimals is 422."""
    centi = score * 100
    if centi != centi.to_integral_value():
        raise Invalid("score_precision", "A performance score has at most two decimals.", "绩效分最多两位小数。",
                      field="performance_score")
    return int(centi)


def months_below_minimum(policies: Policies, session: Session, worker: Worker, year: int,
                         visits: list[int]) -> list[int]:
    """S3-1: the months on the rolls under the visit minimum in force at the year's end."""
    rule: rules.AssessmentRule = policies.in_force(session, "assessment", worker.jurisdiction, date(year, 12, 31),
                                                   or_first=True)
    return rules.months_below_minimum(visits, rule, worker_rules.months_on_rolls(facts(worker), year))


def find_assessment(session: Session, worker_id: int, year: int) -> Assessment | None:
    return session.execute(
        select(Assessment).where(Assessment.worker_id == worker_id, Assessment.year == year)
    ).scalar_one_or_none()


def assessment_of(session: Session, worker_id: int, year: int) -> Assessment:
    """The worker's assessment for ``year``; 404 when there is none."""
    a = find_assessment(session, worker_id, year)
    if a is None:
        raise NotFound("assessment for year", "年度考核", year, field="year")
    return a


def record_assessment(
    session: Session, worker: Worker, *, year: int, grade: str, visits: list[int], score: Decimal,
    residents_satisfaction: int | None, comment: str | None, actor: str, now: datetime, today: date,
    policies: Policies = POLICIES,
) -> Assessment:
    """S4-10 每年对社区工作人员进行考核: one assessment per worker per year (a second
    is 409), for a year ``rules.workers.assessment_year`` allows (one that has
    ended: a year not yet over is ``date_in_future``). Months under
    the S3-1 visit minimum are flagged. Publishes assessment.recorded."""
    refusal = worker_rules.assessment_year(facts(worker), year, today)
    if refusal is not None:
        raise refusal.problem()
    if find_assessment(session, worker.id, year) is not None:
        raise Conflict("assessment_exists", f"Worker {worker.id} already has an assessment for {year}; "
                       f"correct it instead.", f"该职工 {year} 年度已有考核，请更正而非重复录入。",
                       field="year", clause="S4-10")
    a = Assessment(
        worker_id=worker.id, year=year, grade=grade, visits=list(visits),
        months_below_minimum=months_below_minimum(policies, session, worker, year, visits),
        residents_satisfaction=residents_satisfaction, score_centi=score_centi(score), comment=comment,
        version=1, recorded_by=actor, recorded_at=now,
    )
    session.add(a)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("assessment_exists", f"Worker {worker.id} already has an assessment for {year}.",
                       f"该职工 {year} 年度已有考核。", field="year", clause="S4-10") from exc
    publish_assessment(session, worker, a)
    return a


def publish_assessment(session: Session, worker: Worker, a: Assessment) -> None:
    publish(session, infra.outbox, AssessmentRecorded(
        worker_id=worker.id, jurisdiction=worker.jurisdiction, year=a.year, grade=a.grade,
        score=Decimal(a.score_centi) / 100,
    ))


def correct_assessment(
    session: Session, worker: Worker, year: int, *, reason: str, actor: str, now: datetime,
    changes: dict[str, Any], policies: Policies = POLICIES,
) -> Assessment:
    """A correction needs a reason; the values it replaces are kept with the
    reason, who and when. Publishes assessment.recorded again with the new grade."""
    a = assessment_of(session, worker.id, year)
    if not reason.strip():
        raise Invalid("reason_required", "A correction needs a reason.", "更正须说明理由。", field="reason")
    if "score" in changes:
        changes["score_centi"] = score_centi(changes.pop("score"))
    changed = {k: v for k, v in changes.items() if k in CORRECTABLE and getattr(a, k) != v}
    if not changed:
        raise Invalid("nothing_to_correct", "The correction changes nothing.", "更正内容与原记录相同。", field="body")
    previous = {k: getattr(a, k) for k in (*CORRECTABLE, "months_below_minimum")}
    session.add(AssessmentRevision(assessment_id=a.id, version=a.version, previous=previous, reason=reason,
                                   changed_by=actor, changed_at=now))
    for k, v in changed.items():
        setattr(a, k, v)
    if "visits" in changed:
        a.months_below_minimum = months_below_minimum(policies, session, worker, year, a.visits)
    a.version += 1
    a.updated_by, a.updated_at = actor, now
    session.flush()
    publish_assessment(session, worker, a)
    return a


def assessment_revisions(session: Session, assessment_id: int) -> list[AssessmentRevision]:
    return list(session.execute(
        select(AssessmentRevision).where(AssessmentRevision.assessment_id == assessment_id)
        .order_by(AssessmentRevision.id)
    ).scalars())


def list_assessments(session: Session, worker_id: int) -> list[Assessment]:
    return list(session.execute(
        select(Assessment).where(Assessment.worker_id == worker_id).order_by(Assessment.year)
    ).scalars())
