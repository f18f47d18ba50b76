"""The step increment (S4-10) applied, set-based: the 1 July run and the
supplementary run (补晋档, D-12).

S4-10 每年对社区工作人员进行考核，合格者每年从7月1日起执行上一档次等级工资.

One run covers a jurisdiction (a city and its districts, or one district) for
one effective date, in a fixed number of statements whatever the number of
workers:

1. ``CREATE TEMP TABLE step_decision AS SELECT …``: what happens to every
   worker in scope and why (``decision.decision_sql``).
2. ``INSERT INTO step_outcome … SELECT``: the non-movers and their reasons
   (the supplementary run: those not decided before; the movers' earlier
   outcome rows are marked with what they were).
3. ``UPDATE worker … FROM step_decision``: the advanced move up one grade.
4. ``INSERT INTO grade_change … SELECT``: their grade history (who, when, why, clause).
5. One ``step.run.completed`` summary in the outbox (who moved is in the
   grade history and ``GET /step-runs/{id}/outcomes``; no event per worker).
   A supplementary run also asks the next pay run to make good the months
   already paid (one ``INSERT … SELECT`` of ``pay_recheck`` rows).

A dry run stops after step 1: it reports from the decision table and writes nothing.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.increment.decision import Params, decision_sql, rule_params, temp_table
from hr_service.increment.records import NOT_MOVED_LIMIT, StepRunResult, WorkerOutcome, outcome_of, stored_result
from hr_service.pay.arrears import recheck_paid_months
from hr_service.sqlbits import dialect, in_scope, no_jit, statement, worker_jurisdictions
from hr_service.store import POLICIES
from hr_service.tables import StepRun, infra
from shared.errors import Conflict, NotFound, refuse_future
from shared.events import StepRunCompleted
from shared.outbox import publish
from shared.policy import Policies


def _step_rule(session: Session, policies: Policies, jurisdiction: str, effective_on: date) -> rules.StepRule | None:
    try:
        return policies.in_force(session, "step_rule", jurisdiction, effective_on)
    except NotFound:
        return None


def _new_run(session: Session, run: StepRun) -> None:
    session.add(run)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("step_run_exists", "A step run for this date is under way or done.",
                       "该日期的晋档已在进行或已完成。", field="effective_on", clause="S4-10") from exc


def _check_date(session: Session, policies: Policies, jurisdiction: str, effective_on: date, today: date,
                dry_run: bool, clause: str) -> None:
    refusal = rules.step_date_refusal(_step_rule(session, policies, jurisdiction, effective_on), effective_on)
    if refusal is not None:
        raise refusal.problem()
    if not dry_run:
        refuse_future(effective_on, today, "effective_on", clause=clause)


def run_increment(
    session: Session, *, jurisdiction: str, effective_on: date, dry_run: bool, actor: str, now: datetime,
    today: date, policies: Policies = POLICIES, not_moved_limit: int = NOT_MOVED_LIMIT,
) -> StepRunResult:
    """Run (or dry-run) the step increment of ``effective_on`` over ``jurisdiction``.
    A real run may not look ahead of today; a dry run may (S4-10). The same
    date again changes nothing (the stored run, ``repeated``)."""
    _check_date(session, policies, jurisdiction, effective_on, today, dry_run, "S4-10")
    existing = session.execute(select(StepRun).where(
        StepRun.jurisdiction == jurisdiction, StepRun.effective_on == effective_on, StepRun.seq == 0)
    ).scalar_one_or_none()
    if existing is not None:
        return stored_result(session, existing, repeated=True, dry_run=dry_run, not_moved_limit=not_moved_limit)
    return _run(session, jurisdiction, effective_on, dry_run, actor, now, policies, not_moved_limit, seq=0)


def run_supplementary(
    session: Session, *, jurisdiction: str, effective_on: date, dry_run: bool, reason: str, actor: str,
    now: datetime, today: date, policies: Policies = POLICIES, not_moved_limit: int = NOT_MOVED_LIMIT,
) -> StepRunResult:
    """A supplementary step run (补晋档, D-12) for a past step date whose run is
    done: it moves the workers who qualify on that date by the assessments
    recorded now (one arrived late, one raised on review) and were not moved;
    nobody twice. With nobody to move it writes nothing (``id`` null), so a
    repeat is harmless. The months already paid are made good by the next pay run."""
    _check_date(session, policies, jurisdiction, effective_on, today, dry_run, "D-12")
    runs = session.execute(select(StepRun.jurisdiction, StepRun.seq).where(
        StepRun.effective_on == effective_on)).all()
    if not any(r.seq == 0 and (jurisdiction == r.jurisdiction or jurisdiction.startswith(r.jurisdiction + "."))
               for r in runs):
        raise Conflict("no_step_run", f"No step run of {effective_on} covers {jurisdiction}: run it first.",
                       f"{effective_on} 的晋档尚未对 {jurisdiction} 执行，请先执行晋档。", field="effective_on",
                       clause="D-12")
    seq = 1 + max((r.seq for r in runs if r.jurisdiction == jurisdiction), default=0)
    return _run(session, jurisdiction, effective_on, dry_run, actor, now, policies, not_moved_limit, seq=seq,
                reason=reason)


def _run(session: Session, jurisdiction: str, effective_on: date, dry_run: bool, actor: str, now: datetime,
         policies: Policies, not_moved_limit: int, *, seq: int, reason: str | None = None) -> StepRunResult:
    ay = rules.assessment_year(effective_on)
    scope: dict = {}
    params = rule_params(session, policies, worker_jurisdictions(session, scope, in_scope("w", scope, jurisdiction)),
                         effective_on)
    counts = {k: 0 for k in rules.OUTCOMES}
    supplementary = seq > 0
    not_moved: list[WorkerOutcome] = []
    run = StepRun(jurisdiction=jurisdiction, effective_on=effective_on, assessment_year=ay, policies=params.used,
                  counts=counts, run_by=actor, run_at=now, seq=seq, reason=reason)
    if params.rule_rows:
        not_moved = _decide(session, jurisdiction, effective_on, ay, params, counts, not_moved_limit, supplementary)
    write = not dry_run and (not supplementary or counts["advanced"] > 0)
    if write:
        _new_run(session, run)
        if params.rule_rows:
            _apply(session, run.id, effective_on, ay, actor, now, supplementary)
        run.counts = dict(counts)  # a new dict: the JSON column does not see changes made in place
        publish(session, infra.outbox, StepRunCompleted(
            run_id=run.id, jurisdiction=jurisdiction, effective_on=effective_on, assessment_year=ay,
            supplementary=supplementary, counts=dict(counts)))
        session.flush()
    if params.rule_rows:
        session.execute(statement(f"DROP TABLE {temp_table(dialect(session))}", {}))
    moved = counts["advanced"]
    return StepRunResult(
        id=run.id if write else None, jurisdiction=jurisdiction, effective_on=effective_on, assessment_year=ay,
        dry_run=dry_run, repeated=False, counts=counts, moved=moved, not_moved_total=sum(counts.values()) - moved,
        not_moved=not_moved, not_due=params.not_due, policies=params.used, run_by=actor, run_at=now,
        supplementary=supplementary, reason=reason,
    )


def _decide(session: Session, jurisdiction: str, effective_on: date, ay: int, params: Params,
            counts: dict[str, int], not_moved_limit: int, supplementary: bool) -> list[WorkerOutcome]:
    """Statement 1: the decision table; fills ``counts`` and returns the first non-movers."""
    d = dialect(session)
    no_jit(session)
    p: dict = {"eff": effective_on, "ay": ay}
    session.execute(statement(f"DROP TABLE IF EXISTS {temp_table(d)}", {}))
    sql = decision_sql(d, p, jurisdiction, params, supplementary=supplementary)
    session.execute(statement("CREATE TEMP TABLE step_decision AS " + sql, p), p)
    if d == "postgresql":  # the statements that follow join it: give the planner its size
        session.execute(statement("ANALYZE step_decision", {}))
    for outcome, n in session.execute(statement("SELECT outcome, COUNT(*) FROM step_decision GROUP BY outcome", {})):
        counts[outcome] = n
    lp = {"lim": not_moved_limit}
    return [outcome_of(r) for r in session.execute(statement(
        "SELECT d.worker_id, w.name, d.jurisdiction, d.post, d.from_grade, d.to_grade, d.outcome, "
        "d.assessment_grade FROM step_decision d JOIN worker w ON w.id = d.worker_id "
        "WHERE d.outcome <> 'advanced' ORDER BY d.worker_id LIMIT :lim", lp), lp)]


def _apply(session: Session, run_id: int, effective_on: date, ay: int, actor: str, now: datetime,
           supplementary: bool) -> None:
    """Statements 2-4 (and the pay recheck of a supplementary run)."""
    p = {"run_id": run_id, "eff": effective_on, "now": now, "actor": actor,
         "reason": f"assessed 合格 or better for {ay}: up one grade from {effective_on} (S4-10, D-1)",
         "clause": "S4-10"}
    if supplementary:
        p["reason"] = (f"supplementary step run (补晋档) #{run_id}: assessed 合格 or better for {ay} by the "
                       f"assessments now recorded, up one grade from {effective_on} (S4-10, D-12)")
        p["clause"] = "D-12"
        session.execute(statement(
            "UPDATE step_outcome SET previous_outcome = outcome, previous_run_id = run_id, outcome = 'advanced', "
            "to_grade = from_grade + 1, run_id = :run_id "
            "WHERE effective_on = :eff AND worker_id IN (SELECT worker_id FROM step_decision "
            "WHERE outcome = 'advanced')", p), p)
    undecided = (" AND NOT EXISTS (SELECT 1 FROM step_outcome o WHERE o.worker_id = d.worker_id"
                 " AND o.effective_on = :eff)") if supplementary else ""  # the 1 July run's scope has none
    session.execute(statement(
        "INSERT INTO step_outcome (run_id, worker_id, effective_on, post, from_grade, to_grade, outcome, "
        "assessment_grade) SELECT :run_id, d.worker_id, :eff, d.post, d.from_grade, d.to_grade, d.outcome, "
        f"d.assessment_grade FROM step_decision d WHERE d.outcome <> 'advanced'{undecided} ORDER BY d.worker_id",
        p), p)
    session.execute(statement(
        "UPDATE worker SET grade = d.to_grade, grade_since = :eff, last_step_on = :eff "
        "FROM step_decision d WHERE d.outcome = 'advanced' AND worker.id = d.worker_id", p), p)
    session.execute(statement(
        "INSERT INTO grade_change (worker_id, effective_on, post, grade, from_post, from_grade, kind, reason, "
        "clause, actor, recorded_at, step_run_id) "
        "SELECT worker_id, :eff, post, to_grade, post, from_grade, 'step', :reason, :clause, :actor, :now, :run_id "
        "FROM step_decision WHERE outcome = 'advanced' ORDER BY worker_id", p), p)  # in index order
    if supplementary:
        recheck_paid_months(session, "SELECT worker_id FROM step_decision WHERE outcome = 'advanced'",
                                effective_on, reason=f"supplementary step run #{run_id} from {effective_on}",
                                clause="D-12", source=f"step_run:{run_id}", actor=actor, now=now)


