"""A worker's changes from a date (D-11) and corrections (D-12): transfers,
the probation's end, grade corrections, reinstatement, and the history."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service import store
from hr_service.api.schemas import (
    Corrected,
    GradeCorrection,
    ProbationDecisionIn,
    ProbationOut,
    Reinstatement,
    Transfer,
    WorkerChanged,
    WorkerChangeOut,
    change_out,
    worker_change_out,
    worker_out,
)
from shared.auth import Role, requires
from shared.errors import Invalid
from shared.paging import Page, check_paging
from shared.types import IdArg, OptCountArg
from shared.web import Svc, now, today


class WorkerChangeController(Controller):
    """D-11 a worker's changes, each from a date, kept in their history and
    published as ``worker.changed`` so training and certs follow; D-12 corrections."""

    path = "/workers"
    tags = ["workers"]

    @post("/{worker_id:int}/transfers", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def transfer(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                 data: JSONBody[Transfer]) -> WorkerChanged:
        """Move a worker to another community from a date (not after today). The
        officer's jurisdiction must cover both communities; D-4's no-transfer
        period must have passed; the destination needs room in its quota on
        that date (S4-1, S4-3, D-9), else 409 naming its quota and headcount."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            c = store.transfer(s, request.user, w, community_code=data.community_code,
                               effective_on=data.effective_on, reason=data.reason, now=now(), today=today(),
                               policies=svc.policies)
            return WorkerChanged(worker_out(w), worker_change_out(c))

    @post("/{worker_id:int}/probation", sync_to_thread=True, guards=[requires(Role.hr_officer)], status_code=200)
    def decide_probation(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                         data: JSONBody[ProbationDecisionIn]) -> WorkerChanged:
        """D-4 the probation ends in a decision: ``confirm`` (转正), ``extend`` once
        to ``until`` (within the policy's months), or ``end`` the employment
        (``effective_on`` the last day; the worker leaves)."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            c = store.decide_probation(s, request.user, w, decision=data.decision, effective_on=data.effective_on,
                                       until=data.until, reason=data.reason, now=now(), today=today(),
                                       policies=svc.policies)
            return WorkerChanged(worker_out(w), worker_change_out(c))

    @get("/probations", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def probations(self, svc: Svc, request: Request, within_days: FromQuery[OptCountArg] = None,
                   limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[ProbationOut]:
        """Workers whose probation ends within ``within_days`` (by default the
        ``probation`` policy's horizon, 30 days) or has ended undecided,
        soonest first: the decisions due (D-4)."""
        check_paging(limit, offset)
        if within_days is not None and not 0 <= within_days <= 366:
            raise Invalid("invalid_days", "within_days must be between 0 and 366.", "within_days 须在 0 至 366 之间。",
                          field="within_days")
        day = today()
        with svc.db.read_session() as s:
            if within_days is None:
                within_days = store.probation_rule(s, request.user.jurisdiction, day, svc.policies).horizon_days
            rows, total = store.probations_ending(s, request.user, day, within_days, limit, offset)
            items = []
            for w in rows:
                ends = w.probation_ends_on or day  # the query takes only workers with an end date
                items.append(ProbationOut(w.id, w.name, w.jurisdiction, w.community_code, w.post, w.hired_on, ends,
                                          (ends - day).days))
            return Page(items, total, limit, offset)

    @post("/{worker_id:int}/grade-corrections", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def correct_grade(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                      data: JSONBody[GradeCorrection]) -> Corrected:
        """D-12 set a worker's post and grade from a date, with a reason. Rows
        of the grade history from that date are superseded (kept and marked);
        months already paid are made good by the next pay run (补发 / 扣回)."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            done = store.correct_grade(s, request.user, w, post=data.post, grade=data.grade,
                                       effective_on=data.effective_on, reason=data.reason, now=now(),
                                       today=today(), policies=svc.policies)
            return Corrected(worker_out(w), change_out(done.row), done.superseded, done.rechecked)

    @post("/{worker_id:int}/reinstatement", sync_to_thread=True, guards=[requires(Role.hr_officer)],
          status_code=200)
    def reinstate(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                  data: JSONBody[Reinstatement]) -> WorkerChanged:
        """D-11 undo a leaving (withdrawn, or recorded in error): the worker is on
        the rolls again from the day after the recorded last day, unbroken; the
        community needs room in its quota on that day."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            c = store.reinstate(s, request.user, w, reason=data.reason, now=now(), today=today(),
                                policies=svc.policies)
            return WorkerChanged(worker_out(w), worker_change_out(c))

    @get("/{worker_id:int}/changes", sync_to_thread=True)
    def changes(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[WorkerChangeOut]:
        """The worker's changes (D-11): transfers, probation decisions, post
        changes and corrections, leaving and reinstatement; before and after, who, why."""
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [worker_change_out(c) for c in store.history(s, worker_id)]
