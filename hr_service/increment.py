"""The 1 July step increment (S4-10), set-based.

S4-10 每年对社区工作人员进行考核，合格者每年从7月1日起执行上一档次等级工资.

One run covers a jurisdiction (a city and its districts, or one district) for
one effective date, in a fixed number of statements whatever the number of
workers:

1. ``CREATE TEMP TABLE step_decision AS SELECT …``: what happens to every
   worker on the rolls on the date and why — the decision of
   ``rules.next_grade`` written as one ``CASE``. Workers who already have an
   outcome for the date (a step in their grade history, or a recorded
   non-move) are left out, which makes a second run change nothing.
2. ``INSERT INTO step_outcome … SELECT``: the non-movers and their reasons.
3. ``UPDATE worker … FROM step_decision``: the advanced move up one grade.
4. ``INSERT INTO grade_change … SELECT``: their grade history (who, when, why, clause).
5. One ``step.run.completed`` summary in the outbox (who moved is in the
   grade history and ``GET /step-runs/{id}/outcomes``; no event per worker).

A dry run stops after step 1: it reports from the decision table and writes nothing.
"""
from __future__ import annotations

from datetime import date, datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.sqlbits import (
    dialect,
    in_scope,
    literal,
    no_jit,
    statement,
    values_cte,
    worker_jurisdictions,
    ymd,
    ymd_of,
)
from hr_service.store import POLICIES
from hr_service.tables import StepRun, infra
from shared.errors import Conflict, NotFound, refuse_future
from shared.events import StepRunCompleted
from shared.outbox import publish
from shared.policy import Policies

NOT_MOVED_LIMIT = 500


class WorkerOutcome(msgspec.Struct):
    worker_id: int
    name: str
    jurisdiction: str
    post: str
    from_grade: int
    to_grade: int
    outcome: str
    reason: str
    reason_zh: str
    assessment_grade: str | None


class StepRunResult(msgspec.Struct):
    id: int | None
    jurisdiction: str
    effective_on: date
    assessment_year: int
    dry_run: bool
    repeated: bool
    counts: dict[str, int]
    moved: int
    not_moved_total: int
    not_moved: list[WorkerOutcome]
    not_due: list[str]
    policies: dict
    run_by: str
    run_at: datetime


class _Params(msgspec.Struct):
    """What the decision statement binds: the bands of each pay scale version,
    one row per worker jurisdiction (its scale version and step rule), the
    policy versions used, and the jurisdictions whose step date this is not."""

    bands: list[tuple] = []
    rule_rows: list[tuple] = []
    used: dict = {}
    not_due: list[str] = []


def _rule_params(session: Session, policies: Policies, jurisdictions: list[str], effective_on: date) -> _Params:
    """Per worker jurisdiction: the step rule and the pay scale in force on the
    date (bands keyed by the scale's version, which districts mostly share
    with their city), and the ids of the policy versions used."""
    book = policies.book(session, ("step_rule", "pay_scale"))
    out = _Params()
    seen: set[int] = set()
    for j in jurisdictions:
        rv = book.version_in_force("step_rule", j, effective_on)
        rule: rules.StepRule = book.in_force("step_rule", j, effective_on)
        if not rule.falls_on(effective_on):
            out.not_due.append(j)
            continue
        sv = book.version_in_force("pay_scale", j, effective_on)
        if sv.id not in seen:
            seen.add(sv.id)
            scale: rules.PayScale = book.in_force("pay_scale", j, effective_on)
            out.bands.extend((sv.id, post, ps.low, ps.high) for post, ps in scale.posts.items())
        cutoff = ymd_of(rules.step_cutoff(effective_on, rule.interval_years))
        out.rule_rows.append((j, sv.id, rule.interval_years, 1 if rule.early_step else 0, cutoff))
        out.used[j] = {"step_rule": rv.id, "pay_scale": sv.id}
    return out


def _decision_sql(d: str, p: dict, jurisdiction: str, params: _Params) -> str:
    """The decision of ``rules.next_grade`` for every worker on the rolls on
    the date (``rules.on_rolls_during``) and not yet decided: (worker_id,
    jurisdiction, post, from_grade, to_grade, outcome, assessment_grade). The
    CASE takes the rule's tests in the rule's order."""
    scope = in_scope("w", p, jurisdiction)
    band_cte = values_cte("band", [("v", "int"), ("post", "str"), ("low", "int"), ("high", "int")], params.bands)
    rule_cte = values_cte("rp", [("jur", "str"), ("scale_v", "int"), ("n", "int"), ("early", "int"),
                                 ("cutoff", "int")], params.rule_rows)
    p["from_year"] = min(rules.first_year_read(p["eff"], r[2]) for r in params.rule_rows)
    p["ay_end"] = rules.assessment_year_end(p["eff"])
    early_years, excellent = rules.EARLY_STEP_YEARS, literal(rules.EXCELLENT, "str")
    passing = ", ".join(literal(g, "str") for g in rules.PASSING)
    no_move = "\n        ".join(f"WHEN h.last_grade = {literal(g, 'str')} THEN {literal(o, 'str')}"
                                  for g, o in rules.NO_MOVE_FOR.items())
    return f"""
WITH {band_cte}, {rule_cte},
scope AS (
    SELECT w.id, w.jurisdiction, w.post, w.grade, w.hired_on, w.last_step_on
    FROM worker w JOIN rp ON rp.jur = w.jurisdiction
    WHERE {scope} AND w.hired_on <= :eff AND (w.left_on IS NULL OR w.left_on >= :eff)
      AND NOT EXISTS (SELECT 1 FROM step_outcome o WHERE o.worker_id = w.id AND o.effective_on = :eff)
      AND NOT EXISTS (SELECT 1 FROM grade_change g
                      WHERE g.worker_id = w.id AND g.effective_on = :eff AND g.kind = 'step')
),
hist AS (
    SELECT a.worker_id,
           MAX(CASE WHEN a.year = :ay THEN a.grade END) AS last_grade,
           SUM(CASE WHEN a.year > :ay - rp.n AND a.grade IN ({passing}) THEN 1 ELSE 0 END) AS passes,
           SUM(CASE WHEN a.year > :ay - {early_years} AND a.grade = {excellent} THEN 1 ELSE 0 END) AS excellent
    FROM assessment a JOIN scope s ON s.id = a.worker_id JOIN rp ON rp.jur = s.jurisdiction
    WHERE a.year BETWEEN :from_year AND :ay
    GROUP BY a.worker_id
),
decided AS (
    SELECT s.id, s.jurisdiction, s.post, s.grade, h.last_grade,
      CASE
        WHEN b.high IS NULL THEN 'post_not_in_scale'
        WHEN h.last_grade IS NULL AND s.hired_on > :ay_end THEN 'hired_after_assessment_year'
        WHEN h.last_grade IS NULL THEN 'no_assessment'
        {no_move}
        WHEN NOT (rp.early = 1 AND h.excellent >= {early_years})
             AND (h.passes < rp.n OR (s.last_step_on IS NOT NULL AND {ymd('s.last_step_on', d)} > rp.cutoff))
          THEN 'interval_not_elapsed'
        WHEN s.grade >= b.high THEN 'top_of_band'
        ELSE 'advanced'
      END AS outcome
    FROM scope s
    JOIN rp ON rp.jur = s.jurisdiction
    LEFT JOIN band b ON b.v = rp.scale_v AND b.post = s.post
    LEFT JOIN hist h ON h.worker_id = s.id
)
SELECT id AS worker_id, jurisdiction, post, grade AS from_grade,
       CASE WHEN outcome = 'advanced' THEN grade + 1 ELSE grade END AS to_grade, outcome,
       last_grade AS assessment_grade
FROM decided"""


def _temp(d: str) -> str:
    return "pg_temp.step_decision" if d == "postgresql" else "temp.step_decision"


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


def run_increment(
    session: Session, *, jurisdiction: str, effective_on: date, dry_run: bool, actor: str, now: datetime,
    today: date, policies: Policies = POLICIES, not_moved_limit: int = NOT_MOVED_LIMIT,
) -> StepRunResult:
    """Run (or dry-run) the step increment of ``effective_on`` over ``jurisdiction``.
    A real run may not look ahead of today; a dry run may (S4-10)."""
    refusal = rules.step_date_refusal(_step_rule(session, policies, jurisdiction, effective_on), effective_on)
    if refusal is not None:
        raise refusal.problem()
    if not dry_run:
        refuse_future(effective_on, today, "effective_on", clause="S4-10")
    existing = session.execute(
        select(StepRun).where(StepRun.jurisdiction == jurisdiction, StepRun.effective_on == effective_on)
    ).scalar_one_or_none()
    if existing is not None:
        return stored_result(session, existing, repeated=True, dry_run=dry_run, not_moved_limit=not_moved_limit)
    ay = rules.assessment_year(effective_on)
    scope: dict = {}
    params = _rule_params(session, policies, worker_jurisdictions(session, scope, in_scope("w", scope, jurisdiction)),
                          effective_on)
    counts = {k: 0 for k in rules.OUTCOMES}
    run = StepRun(jurisdiction=jurisdiction, effective_on=effective_on, assessment_year=ay, policies=params.used,
                  counts=counts, run_by=actor, run_at=now)
    if not dry_run:
        _new_run(session, run)
    not_moved: list[WorkerOutcome] = []
    if params.rule_rows:
        not_moved = _decide(session, jurisdiction, effective_on, ay, params, counts, not_moved_limit)
        if not dry_run:
            _apply(session, run.id, effective_on, ay, actor, now)
        session.execute(statement(f"DROP TABLE {_temp(dialect(session))}", {}))
    if not dry_run:
        run.counts = dict(counts)  # a new dict: the JSON column does not see changes made in place
        publish(session, infra.outbox, StepRunCompleted(
            run_id=run.id, jurisdiction=jurisdiction, effective_on=effective_on, assessment_year=ay,
            supplementary=False, counts=dict(counts)))
        session.flush()
    moved = counts["advanced"]
    return StepRunResult(
        id=None if dry_run else run.id, jurisdiction=jurisdiction, effective_on=effective_on, assessment_year=ay,
        dry_run=dry_run, repeated=False, counts=counts, moved=moved, not_moved_total=sum(counts.values()) - moved,
        not_moved=not_moved, not_due=params.not_due, policies=params.used, run_by=actor, run_at=now,
    )


def _decide(session: Session, jurisdiction: str, effective_on: date, ay: int, params: _Params,
            counts: dict[str, int], not_moved_limit: int) -> list[WorkerOutcome]:
    """Statement 1: the decision table; fills ``counts`` and returns the first non-movers."""
    d = dialect(session)
    no_jit(session)
    p: dict = {"eff": effective_on, "ay": ay}
    session.execute(statement(f"DROP TABLE IF EXISTS {_temp(d)}", {}))
    session.execute(statement("CREATE TEMP TABLE step_decision AS " + _decision_sql(d, p, jurisdiction, params), p), p)
    for outcome, n in session.execute(statement("SELECT outcome, COUNT(*) FROM step_decision GROUP BY outcome", {})):
        counts[outcome] = n
    lp = {"lim": not_moved_limit}
    return [_outcome(r) for r in session.execute(statement(
        "SELECT d.worker_id, w.name, d.jurisdiction, d.post, d.from_grade, d.to_grade, d.outcome, "
        "d.assessment_grade FROM step_decision d JOIN worker w ON w.id = d.worker_id "
        "WHERE d.outcome <> 'advanced' ORDER BY d.worker_id LIMIT :lim", lp), lp)]


def _apply(session: Session, run_id: int, effective_on: date, ay: int, actor: str, now: datetime) -> None:
    """Statements 2-4: record the non-movers, move the advanced, write their grade history."""
    p = {"run_id": run_id, "eff": effective_on, "now": now, "actor": actor,
         "reason": f"assessed 合格 or better for {ay}: up one grade from {effective_on} (S4-10, D-1)"}
    session.execute(statement(
        "INSERT INTO step_outcome (run_id, worker_id, effective_on, post, from_grade, to_grade, outcome, "
        "assessment_grade) SELECT :run_id, worker_id, :eff, post, from_grade, to_grade, outcome, assessment_grade "
        "FROM step_decision WHERE outcome <> 'advanced'", p), p)
    session.execute(statement(
        "UPDATE worker SET grade = d.to_grade, grade_since = :eff, last_step_on = :eff "
        "FROM step_decision d WHERE d.outcome = 'advanced' AND worker.id = d.worker_id", p), p)
    session.execute(statement(
        "INSERT INTO grade_change (worker_id, effective_on, post, grade, from_post, from_grade, kind, reason, "
        "clause, actor, recorded_at, step_run_id) "
        "SELECT worker_id, :eff, post, to_grade, post, from_grade, 'step', :reason, 'S4-10', :actor, :now, :run_id "
        "FROM step_decision WHERE outcome = 'advanced'", p), p)


def stored_result(session: Session, run: StepRun, *, repeated: bool, dry_run: bool = False,
                  not_moved_limit: int = NOT_MOVED_LIMIT) -> StepRunResult:
    counts = {k: 0 for k in rules.OUTCOMES}
    counts.update(run.counts or {})
    not_moved, _ = outcomes(session, run, None, not_moved_limit, 0, moved=False) if not_moved_limit else ([], 0)
    moved = counts.get("advanced", 0)
    return StepRunResult(
        id=run.id, jurisdiction=run.jurisdiction, effective_on=run.effective_on,
        assessment_year=run.assessment_year, dry_run=dry_run, repeated=repeated, counts=counts, moved=moved,
        not_moved_total=sum(counts.values()) - moved, not_moved=not_moved, not_due=[],
        policies=run.policies, run_by=run.run_by, run_at=run.run_at,
    )


def outcomes(session: Session, run: StepRun, outcome: str | None, limit: int, offset: int,
             moved: bool = True) -> tuple[list[WorkerOutcome], int]:
    """A run's per-worker outcomes, paged: the advanced (from the grade history)
    and the rest (from ``step_outcome``); ``outcome`` filters."""
    p: dict = {"run_id": run.id, "lim": limit, "off": offset, "ay": run.assessment_year}
    parts = []
    if outcome in (None, "advanced") and moved:
        parts.append("SELECT g.worker_id, g.post, g.from_grade, g.grade AS to_grade, 'advanced' AS outcome, "
                     "a.grade AS assessment_grade FROM grade_change g "
                     "LEFT JOIN assessment a ON a.worker_id = g.worker_id AND a.year = :ay "
                     "WHERE g.step_run_id = :run_id")
    if outcome != "advanced":
        where = " AND o.outcome = :outcome" if outcome else ""
        parts.append("SELECT o.worker_id, o.post, o.from_grade, o.to_grade, o.outcome, o.assessment_grade "
                     f"FROM step_outcome o WHERE o.run_id = :run_id{where}")
        if outcome:
            p["outcome"] = outcome
    if not parts:
        return [], 0
    union = " UNION ALL ".join(parts)
    total = session.execute(statement(f"SELECT COUNT(*) FROM ({union}) AS u", p), p).scalar_one()
    rows = session.execute(statement(
        "SELECT u.worker_id, w.name, w.jurisdiction, u.post, u.from_grade, u.to_grade, u.outcome, u.assessment_grade "
        f"FROM ({union}) AS u JOIN worker w ON w.id = u.worker_id ORDER BY u.worker_id LIMIT :lim OFFSET :off", p), p)
    return [_outcome(r) for r in rows], total


def _outcome(r) -> WorkerOutcome:
    return WorkerOutcome(r[0], r[1], r[2], r[3], r[4], r[5], r[6], *rules.OUTCOMES[r[6]], r[7])
