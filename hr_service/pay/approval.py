"""D-16 maker-checker: a pay run is prepared by one officer and approved by
another with authority over its jurisdiction; nobody approves their own run.

draft → submitted (``submit``: the maker puts the computed run forward) →
closed (``approve``: another officer, who neither computed nor submitted it;
the contribution wages of the year are recorded, D-14) or back to draft
(``reject``, with a reason). Rejection is open to any officer with authority
over the run, the maker included: a maker rejecting their own submission
withdraws it (logged as ``withdrawn``). A submitted run is not computed again
(``run_pay`` refuses it, 409 ``pay_run_submitted``). Every step is appended to
the run's log (``pay_run_event``) in the transaction that made it.

``review`` is what the approver reads first: the run's totals against the
previous month's, who joined and who is gone, and the largest changes of net
pay by worker, each with the line that moved most.
"""
from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service.pay.run import PayRunOut, log_event, record_contribution_wages, run_out
from hr_service.pay.tables import PayRunEvent
from hr_service.sqlbits import statement
from hr_service.states import PAY_RUN, PayRunStatus
from hr_service.tables import PayRun
from shared.auth import Principal, require_jurisdiction
from shared.dates import add_to_month
from shared.db import in_jurisdiction
from shared.errors import Forbidden, Invalid, NotFound

NOTE_MAX = 2000
"""The longest note or reason kept with a step (characters): the request body's bound."""


def locked_run(session: Session, principal: Principal, run_id: int) -> PayRun:
    """The run, locked for a change of state; 404 when there is none in the
    caller's jurisdiction, as if it did not exist (D-8). Acting on it needs
    authority over its jurisdiction (``require_jurisdiction``)."""
    run = session.execute(select(PayRun).where(PayRun.id == run_id).with_for_update()).scalar_one_or_none()
    if run is None or not principal.covers(run.jurisdiction):
        raise NotFound("pay run", "工资批次", run_id)
    require_jurisdiction(principal, run.jurisdiction)
    return run


def _text(value: str | None, field: str, *, required: bool) -> str | None:
    """The note or reason stripped, None when blank; 422 when a required one is blank."""
    text = (value or "").strip()
    if required and not text:
        raise Invalid("reason_required", f"Give the {field} (it is kept in the run's history).",
                      "须填写原因（记入工资审批记录）。", field=field, clause="D-16")
    return text or None


def submit_pay_run(session: Session, run: PayRun, *, actor: str, now: datetime) -> PayRunOut:
    """The maker puts a computed draft forward for approval (D-16)."""
    run.status = PAY_RUN.move(run.status, PayRunStatus.submitted, code="pay_run_not_draft", clause="D-16")
    run.submitted_by, run.submitted_at = actor, now
    log_event(session, run, "submitted", actor, now)
    session.flush()
    return run_out(run)


def own_pay_run(run: PayRun, actor: str) -> Forbidden | None:
    """D-16: nobody approves a run they computed or submitted."""
    if actor not in (run.submitted_by, run.computed_by):
        return None
    role = "submitted" if actor == run.submitted_by else "computed"
    return Forbidden("own_pay_run", f"You {role} the pay run of {run.month} for {run.jurisdiction}; another officer "
                     "with authority over it approves it.", "不能审批自己编制的工资，须由另一名有权限的人员审批。",
                     clause="D-16", extra={"submitted_by": run.submitted_by, "computed_by": run.computed_by})


def approve_pay_run(session: Session, run: PayRun, *, actor: str, now: datetime, note: str | None = None) -> PayRunOut:
    """The checker approves a submitted run: it is closed for good, its
    payslips and adjustment lines never change, the rechecks it took (D-12)
    are settled, and its workers' contribution wages of the year are recorded
    where none is (D-14)."""
    note = _text(note, "note", required=False)
    closed = PAY_RUN.move(run.status, PayRunStatus.closed, code="pay_run_not_submitted", clause="D-16")
    refusal = own_pay_run(run, actor)
    if refusal is not None:
        raise refusal
    run.status, run.closed_by, run.closed_at = closed, actor, now
    record_contribution_wages(session, run, actor, now)
    log_event(session, run, "approved", actor, now, note)
    session.flush()
    return run_out(run)


def reject_pay_run(session: Session, run: PayRun, *, actor: str, now: datetime, reason: str) -> PayRunOut:
    """A submitted run goes back to draft with the reason; by its maker, this
    withdraws the submission."""
    why = _text(reason, "reason", required=True)
    run.status = PAY_RUN.move(run.status, PayRunStatus.draft, code="pay_run_not_submitted", clause="D-16")
    action = "withdrawn" if actor == run.submitted_by else "rejected"
    run.submitted_by, run.submitted_at = None, None
    log_event(session, run, action, actor, now, why)
    session.flush()
    return run_out(run)


class PayRunEventOut(msgspec.Struct):
    """One step in a run's log (D-16)."""

    id: int
    action: str  # computed | submitted | approved | rejected | withdrawn
    actor: str
    at: datetime
    note: str | None  # the approver's note, or the reason of a rejection
    totals: dict


def history(session: Session, run_id: int) -> list[PayRunEventOut]:
    rows = session.execute(select(PayRunEvent).where(PayRunEvent.run_id == run_id).order_by(PayRunEvent.id)).scalars()
    return [PayRunEventOut(e.id, e.action, e.actor, e.at, e.note, e.totals) for e in rows]


# --- the approver's review ------------------------------------------------------------------------

NET_LINES = ("grade_pay", "welfare", "certificate_allowance", "service_allowance", "talent_allowance", "bonus_share",
             "floor_top_up", "arrears", "rewards", "worker_deductions", "income_tax")
"""The lines a net pay is made of: the earnings, then what is deducted
(``net_pay = earnings − worker_deductions − income_tax``)."""
TOP = 20
"""How many of the largest changes the review lists."""


class TotalCompared(msgspec.Struct):
    """One key of the run's totals against last month's (null without one)."""

    key: str
    current: int
    previous: int | None
    difference: int | None


class RunRef(msgspec.Struct):
    id: int
    jurisdiction: str
    status: str


class NetChange(msgspec.Struct):
    """A worker paid both months whose net pay moved; ``line`` is the line of
    the payslip that changed most (a deduction that grew lowers the net)."""

    worker_id: int
    name: str
    net_pay: int
    previous_net_pay: int
    difference: int
    line: str
    line_difference: int


class ReviewOut(msgspec.Struct):
    """What the approver sees first (D-16). The previous month's runs are
    those over this run's jurisdiction or a district within it; without one,
    the comparisons are null."""

    run: PayRunOut
    previous_month: str
    previous_runs: list[RunRef]
    totals: list[TotalCompared]
    joined: int | None  # paid this month, not last month
    gone: int | None  # paid last month, not this month
    largest_changes: list[NetChange]


def _previous_runs(session: Session, run: PayRun, month: str) -> list[PayRun]:
    return list(session.execute(select(PayRun).where(
        PayRun.month == month, in_jurisdiction(PayRun.jurisdiction, run.jurisdiction)).order_by(PayRun.id)).scalars())


def _compare(current: dict, previous: dict | None) -> list[TotalCompared]:
    out = []
    for key, value in current.items():
        before = None if previous is None else previous.get(key)
        out.append(TotalCompared(key, int(value), before, None if before is None else int(value) - before))
    return out


def review(session: Session, run: PayRun) -> ReviewOut:
    """The run against the previous month, set-based: two counts and one
    ranked query over the two months' payslips (``TOP`` rows come back)."""
    month = add_to_month(run.month, -1)
    before = _previous_runs(session, run, month)
    refs = [RunRef(r.id, r.jurisdiction, r.status) for r in before]
    if not before:
        return ReviewOut(run_out(run), month, refs, _compare(run.totals, None), None, None, [])
    summed: dict[str, int] = {}
    for r in before:
        for key, value in r.totals.items():
            summed[key] = summed.get(key, 0) + int(value)
    ids = ", ".join(str(int(r.id)) for r in before)  # ids from the table, written into the statement
    p = {"run_id": run.id, "prev": month}
    joined, gone = session.execute(statement(
        "SELECT (SELECT COUNT(*) FROM payslip ps WHERE ps.run_id = :run_id AND NOT EXISTS (SELECT 1 FROM payslip pv "
        f"WHERE pv.worker_id = ps.worker_id AND pv.month = :prev AND pv.run_id IN ({ids}))), "
        f"(SELECT COUNT(*) FROM payslip pv WHERE pv.run_id IN ({ids}) AND NOT EXISTS (SELECT 1 FROM payslip ps "
        "WHERE ps.worker_id = pv.worker_id AND ps.run_id = :run_id))", p), p).one()
    diffs = ", ".join(f"ps.{c} - pv.{c}" for c in NET_LINES)
    rows = session.execute(statement(
        f"SELECT ps.worker_id, w.name, ps.net_pay, pv.net_pay, {diffs} FROM payslip ps "
        f"JOIN payslip pv ON pv.worker_id = ps.worker_id AND pv.month = :prev AND pv.run_id IN ({ids}) "
        "JOIN worker w ON w.id = ps.worker_id WHERE ps.run_id = :run_id AND ps.net_pay <> pv.net_pay "
        f"ORDER BY ABS(ps.net_pay - pv.net_pay) DESC, ps.worker_id LIMIT {TOP}", p), p).all()
    changes = []
    for worker_id, name, net, prev_net, *moved in rows:  # TOP rows at most
        i = max(range(len(NET_LINES)), key=lambda k: (abs(moved[k]), -k))
        changes.append(NetChange(worker_id, name, net, prev_net, net - prev_net, NET_LINES[i], int(moved[i])))
    return ReviewOut(run_out(run), month, refs, _compare(run.totals, summed), int(joined), int(gone), changes)
