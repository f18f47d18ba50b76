"""D-12: months already paid, made good by the next pay run: one arrears (补发)
or recovery (扣回) line per month covered; a closed pay run is never rewritten.

A change that reaches back into paid months (a supplementary step, a grade
correction, a late allowance) records a ``pay_recheck`` row for each worker
with a payslip of a closed run from that month on (``recheck_paid_months``).
The pay run of a month M, at each computation of its draft:

1. takes the open rechecks of its workers (on the rolls in M, ``since``
   before M) by setting ``settled_run_id`` to itself; computed again, it
   gives back those of workers no longer in it and takes any new ones. Once
   the run is closed they are settled for good. A recheck of a worker without
   a payslip in M (one who has left) stays open.
2. computes again, in month order, each closed month m the rechecks cover
   (from the earliest ``since`` of a worker's rechecks up to M): the payslip
   statement over the pools of those workers with the rules, figures and
   facts of m as they stand now, the year so far as made good
   (``rules.year_so_far_made_good``); and writes one ``pay_adjustment`` line
   per worker whose pay and welfare for m now differ from what was paid for
   it (``rules.paid_for``), with the rechecks' reasons and clause D-12. Only
   the workers a change reached are made good; the other members of their
   pools keep the shares they were paid.
3. the payslip statement of M adds each worker's lines as ``arrears``
   (``rules.payslip_lines``).

Statements: taking the rechecks and listing the months covered; when there
are any, the pools' jurisdictions, one per month covered and one check:
however many workers.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import CursorResult, Result, TextClause, bindparam, text
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.pay.figures import figures_from
from hr_service.pay.sql import REMAKE, base_params, payslip_sql
from hr_service.sqlbits import dialect, statement
from hr_service.states import PayRunStatus
from shared.dates import month_of
from shared.errors import Conflict
from shared.policy import PolicyBook

CLOSED = PayRunStatus.closed.value
NO_GRADE_PAY = "no_grade_pay"
"""The clause of a line that could not be computed (a grade the month's table
lacks); the run refuses before anything is kept."""
ID_CHUNK = 5000


def recheck_paid_months(
    session: Session, workers: Sequence[int] | str | TextClause, since: date, *, reason: str, clause: str,
    source: str, actor: str, now: datetime, params: dict | None = None,
) -> int:
    """D-12: a change from ``since`` reaches back into paid months: record a
    recheck for each of ``workers`` (ids, or SQL text selecting one column of
    worker ids, with ``params``) who has a payslip of a closed pay run for
    ``since``'s month or later, for the next pay run to make good. ``clause``
    is the change's; ``source`` names it (``step_run:12``, ``grade_change:40``,
    ``certificate:7``). Returns how many were recorded."""
    if not reason or not clause or len(clause) > 32 or not 0 < len(source) <= 64 or not 0 < len(actor) <= 64:
        raise ValueError("a recheck needs a reason, a clause (32), a source and an actor (64 characters at most)")
    p = {"rc_since": month_of(since), "rc_reason": reason, "rc_clause": clause, "rc_source": source,
         "rc_actor": actor, "rc_now": now, "rc_closed": CLOSED}
    insert = ("INSERT INTO pay_recheck (worker_id, since, reason, clause, source, recorded_by, recorded_at) "
              "SELECT ps.worker_id, CAST(:rc_since AS VARCHAR(7)), :rc_reason, :rc_clause, :rc_source, "
              ":rc_actor, :rc_now FROM payslip ps JOIN pay_run r ON r.id = ps.run_id "
              "WHERE r.status = :rc_closed AND ps.month >= :rc_since AND ps.worker_id IN {who} "
              "GROUP BY ps.worker_id")
    if isinstance(workers, str | TextClause):
        sql = workers if isinstance(workers, str) else workers.text
        bound = {} if isinstance(workers, str) else {k: v for k, v in workers.compile().params.items()
                                                      if v is not None}
        q = {**bound, **(params or {}), **p}
        return _inserted(session.execute(statement(insert.format(who=f"({sql})"), q), q))
    ids = sorted({int(w) for w in workers})
    count = 0
    for i in range(0, len(ids), ID_CHUNK):
        q = {**p, "rc_ids": ids[i:i + ID_CHUNK]}
        stmt = statement(insert.format(who=":rc_ids"), q).bindparams(bindparam("rc_ids", expanding=True))
        count += _inserted(session.execute(stmt, q))
    return count


def _inserted(result: Result) -> int:
    """The rows an ``INSERT … SELECT`` wrote."""
    return cast(CursorResult, result).rowcount


def take_rechecks(session: Session, p: dict, scope_sql: str, *, again: bool) -> None:
    """Step 1: the draft ``:run_id`` takes the open rechecks of its workers;
    computed again, it first drops its lines and gives back the rechecks it held."""
    if again:
        session.execute(statement("DELETE FROM pay_adjustment WHERE run_id = :run_id", p), p)
        session.execute(statement("UPDATE pay_recheck SET settled_run_id = NULL WHERE settled_run_id = :run_id",
                                  p), p)
    session.execute(statement(
        "UPDATE pay_recheck SET settled_run_id = :run_id WHERE settled_run_id IS NULL AND since < :month "
        "AND EXISTS (SELECT 1 FROM worker w WHERE w.id = pay_recheck.worker_id AND " + scope_sql
        + " AND w.hired_on <= :end AND (w.left_on IS NULL OR w.left_on >= :start))", p), p)


def _pools(covering: bool) -> str:
    """The workers of the pools of the run's rechecked workers (over ``worker
    w``): those covering ``:month`` when ``covering``, else any month."""
    month = " AND rc.since <= :month" if covering else ""
    return (f"(w.id IN (SELECT rc.worker_id FROM pay_recheck rc WHERE rc.settled_run_id = :run_id{month}) "
            "OR w.community_code IN (SELECT w2.community_code FROM worker w2 JOIN pay_recheck rc "
            f"ON rc.worker_id = w2.id WHERE rc.settled_run_id = :run_id{month}))")


def _joined(d: str, column: str) -> str:
    """The distinct values of ``column`` of a group, joined with "; "."""
    if d == "postgresql":
        return f"string_agg({column}, '; ' ORDER BY {column})"
    return f"group_concat({column}, '; ')"


def make_good(session: Session, run_p: dict, book: PolicyBook) -> None:
    """Step 2 (after ``take_rechecks``): the adjustment lines of the draft
    ``:run_id`` of ``:month``, each month covered in order; 409 when a worker's
    grade then has no amount in that month's pay scale."""
    p = {"run_id": run_p["run_id"], "month": run_p["month"], "closed": CLOSED}
    months = list(session.execute(statement(
        "SELECT DISTINCT ps.month FROM pay_recheck rc "
        "JOIN payslip ps ON ps.worker_id = rc.worker_id AND ps.month >= rc.since AND ps.month < :month "
        "JOIN pay_run r ON r.id = ps.run_id AND r.status = :closed "
        "WHERE rc.settled_run_id = :run_id ORDER BY ps.month", p), p).scalars())
    if not months:
        return
    if dialect(session) == "postgresql":  # how many rechecks the run took, for the joins on them
        session.execute(text("ANALYZE pay_recheck"))
    jurisdictions = sorted(session.execute(statement(
        f"SELECT DISTINCT w.jurisdiction FROM worker w WHERE {_pools(False)}", p), p).scalars())
    for month in months:
        _remake_month(session, p, month, book, jurisdictions)
    _refuse_no_grade_pay(session, p)


def _remake_month(session: Session, run_p: dict, month: str, book: PolicyBook, jurisdictions: list[str]) -> None:
    """One closed month computed again for the pools of the workers whose
    rechecks cover it: a line per worker whose pay for it now differs."""
    d = dialect(session)
    p = {**base_params(month), "run_id": run_p["run_id"], "run_month": run_p["month"], "closed": CLOSED,
         "clause": "D-12", "no_pay": NO_GRADE_PAY, "earlier_runs": True}
    sql = payslip_sql(d, p, _pools(True), figures_from(book, jurisdictions, p["end"]), REMAKE)
    paid = "(ps.gross - ps.arrears - ps.rewards + COALESCE(made.amount, 0))"
    session.execute(statement(f"""INSERT INTO pay_adjustment (run_id, worker_id, month, covers, amount, reason, clause)
SELECT :run_id, c.worker_id, CAST(:run_month AS VARCHAR(7)), CAST(:month AS VARCHAR(7)),
       CASE WHEN c.grade_pay < 0 THEN 0 ELSE c.gross - c.rewards - {paid} END,
       CASE WHEN c.grade_pay < 0 THEN c.post || ' grade ' || CAST(c.grade AS VARCHAR(8)) ELSE rc.reason END,
       CAST(CASE WHEN c.grade_pay < 0 THEN :no_pay ELSE :clause END AS VARCHAR(32))
FROM ({sql}) AS c
JOIN (SELECT worker_id, {_joined(d, 'reason')} AS reason
      FROM (SELECT DISTINCT worker_id, reason FROM pay_recheck WHERE settled_run_id = :run_id AND since <= :month) rr
      GROUP BY worker_id) rc ON rc.worker_id = c.worker_id
JOIN payslip ps ON ps.worker_id = c.worker_id AND ps.month = :month
JOIN pay_run pr ON pr.id = ps.run_id AND pr.status = :closed
LEFT JOIN (SELECT a.worker_id, CAST(SUM(a.amount) AS BIGINT) AS amount
           FROM pay_adjustment a JOIN pay_run ar ON ar.id = a.run_id
           WHERE ar.status = :closed AND a.covers = :month GROUP BY a.worker_id) made ON made.worker_id = c.worker_id
WHERE c.grade_pay < 0 OR c.gross - c.rewards <> {paid}""", p), p)


def _refuse_no_grade_pay(session: Session, p: dict) -> None:
    p = {**p, "no_pay": NO_GRADE_PAY}
    missing = session.execute(statement(
        "SELECT worker_id, covers, reason FROM pay_adjustment WHERE run_id = :run_id AND clause = :no_pay "
        "ORDER BY worker_id, covers LIMIT 10", p), p).all()
    if missing:
        raise Conflict("no_grade_pay", "Months to make good hold a post and grade their pay scale has no amount "
                       "for, e.g. " + ", ".join(f"worker {w} in {m} ({what})" for w, m, what in missing)
                       + "; correct the grade history or add a pay scale version.",
                       "需补发或扣回的月份中，有职工的岗位档次在当时的工资标准中没有金额。", clause="D-2",
                       extra={"workers": sorted({m[0] for m in missing})})


def adjustments_of(session: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], list[rules.Adjustment]]:
    """The lines of each (run, worker) in ``pairs``, by month covered, in one query."""
    if not pairs:
        return {}
    runs = sorted({r for r, _ in pairs})
    workers = sorted({w for _, w in pairs})
    p = {"runs": runs, "workers": workers}
    stmt = statement("SELECT run_id, worker_id, covers, amount, reason, clause FROM pay_adjustment "
                     "WHERE run_id IN :runs AND worker_id IN :workers ORDER BY covers", p).bindparams(
        bindparam("runs", expanding=True), bindparam("workers", expanding=True))
    out: dict[tuple[int, int], list[rules.Adjustment]] = {}
    for run_id, worker_id, covers, amount, reason, clause in session.execute(stmt, p):
        out.setdefault((run_id, worker_id), []).append(rules.Adjustment(covers, amount, reason, clause))
    return out
