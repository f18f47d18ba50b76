"""HR's HTTP API: login, accounts, workers and their grade history,
assessments, the step increment, pay runs and payslips, the caller's own record."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Response
from sqlalchemy import select

from hr_service import increment, pay, store
from hr_service.tables import Assessment, AssessmentRevision, GradeChange, PayRun, StepRun, Worker, WorkerDesignation
from shared.auth import Principal, Role, TokenIssuer, require_jurisdiction, requires
from shared.errors import NotFound
from shared.paging import Page, check_paging
from shared.web import Svc, now, today

NonEmpty = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class Login(msgspec.Struct, forbid_unknown_fields=True):
    username: NonEmpty
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenOut(msgspec.Struct):
    access_token: str
    token_type: str
    expires_at: datetime
    role: Role
    jurisdiction: str
    worker_id: int | None = None


class NewUser(msgspec.Struct, forbid_unknown_fields=True):
    username: NonEmpty
    password: Annotated[str, msgspec.Meta(min_length=8, max_length=200)]
    role: Role
    jurisdiction: NonEmpty
    worker_id: int | None = None


class UserOut(msgspec.Struct):
    id: int
    username: str
    role: Role
    jurisdiction: str
    worker_id: int | None


class NewWorker(msgspec.Struct, forbid_unknown_fields=True):
    """A worker for the rolls. Without ``grade`` the starting grade follows D-2
    (bottom of the post's band + years of service, education counted as service)."""

    name: NonEmpty
    id_number: Annotated[str, msgspec.Meta(min_length=18, max_length=18)]
    jurisdiction: NonEmpty
    post: NonEmpty
    hired_on: date
    grade: Annotated[int, msgspec.Meta(ge=1, le=18)] | None = None
    community_code: str | None = None
    education: str | None = None
    service_years: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0
    status: Literal["active", "probation"] = "active"
    probation_ends_on: date | None = None


class WorkerImport(msgspec.Struct, forbid_unknown_fields=True):
    """Many workers at once: each item is a ``POST /workers`` body."""

    items: Annotated[list[dict[str, Any]], msgspec.Meta(min_length=1, max_length=10_000)]
    dry_run: bool = False


class WorkerImportOut(msgspec.Struct):
    dry_run: bool
    count: int  # created, or for a dry run that would be
    ids: list[int]


def _import_items(items: list[dict[str, Any]]) -> tuple[list[NewWorker | None], list[store.RowProblem]]:
    """Each item as a ``NewWorker`` body, or None and its problem (the first msgspec reports)."""
    out: list[NewWorker | None] = []
    problems: list[store.RowProblem] = []
    for i, item in enumerate(items):
        try:
            out.append(msgspec.convert(item, NewWorker))
        except msgspec.ValidationError as exc:
            message = str(exc)
            m = re.search(r"at `\$\.([A-Za-z_]+)", message) or re.search(r"field `([A-Za-z_]+)`", message)
            problems.append(store.RowProblem(i, m.group(1) if m else "", "invalid_item", message,
                                             f"第 {i} 项格式或取值不正确：{message}"))
            out.append(None)
    return out, problems


class WorkerOut(msgspec.Struct):
    id: int
    name: str
    jurisdiction: str
    community_code: str | None
    post: str
    grade: int
    status: str
    hired_on: date
    left_on: date | None
    birth_date: date | None = None
    education: str | None = None
    service_years: int = 0
    probation_ends_on: date | None = None
    grade_since: date | None = None
    last_step_on: date | None = None
    left_reason: str | None = None
    grade_derivation: str | None = None


def worker_out(w: Worker, derivation: str | None = None) -> WorkerOut:
    return WorkerOut(
        id=w.id, name=w.name, jurisdiction=w.jurisdiction, community_code=w.community_code,
        post=w.post, grade=w.grade, status=w.status, hired_on=w.hired_on, left_on=w.left_on,
        birth_date=w.birth_date, education=w.education, service_years=w.service_years or 0,
        probation_ends_on=w.probation_ends_on, grade_since=w.grade_since, last_step_on=w.last_step_on,
        left_reason=w.left_reason, grade_derivation=derivation,
    )


class GradeChangeOut(msgspec.Struct):
    id: int
    effective_on: date
    kind: str
    post: str
    grade: int
    from_post: str | None
    from_grade: int | None
    reason: str
    clause: str
    actor: str
    recorded_at: datetime
    step_run_id: int | None


def change_out(c: GradeChange) -> GradeChangeOut:
    return GradeChangeOut(c.id, c.effective_on, c.kind, c.post, c.grade, c.from_post, c.from_grade, c.reason,
                          c.clause, c.actor, c.recorded_at, c.step_run_id)


class DesignationOut(msgspec.Struct):
    """A title on the worker's record: ``leader_talent`` (D-7) from a certs talent
    round, its term and the monthly allowance paid in the term's months (fen)."""

    kind: str
    round_id: int
    term_starts_on: date
    term_ends_on: date
    allowance_fen: int
    in_force: bool
    source_event_id: str
    recorded_at: datetime


def designation_out(d: WorkerDesignation, as_of: date) -> DesignationOut:
    return DesignationOut(d.kind, d.round_id, d.term_starts_on, d.term_ends_on, d.allowance_fen,
                          d.term_starts_on <= as_of <= d.term_ends_on, d.source_event_id, d.recorded_at)


class PostChange(msgspec.Struct, forbid_unknown_fields=True):
    post: NonEmpty
    effective_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    grade: Annotated[int, msgspec.Meta(ge=1, le=18)] | None = None


class PostChanged(msgspec.Struct):
    worker: WorkerOut
    change: GradeChangeOut


class Leave(msgspec.Struct, forbid_unknown_fields=True):
    left_on: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


AssessmentGrade = Literal["优秀", "合格", "基本合格", "不合格"]
Visits = Annotated[list[Annotated[int, msgspec.Meta(ge=0, le=100_000)]], msgspec.Meta(min_length=12, max_length=12)]
Score = Annotated[float, msgspec.Meta(ge=0, le=100)]
Satisfaction = Annotated[int, msgspec.Meta(ge=0, le=100)]


class NewAssessment(msgspec.Struct, forbid_unknown_fields=True):
    """D-1 grade, S3-1 twelve monthly household-visit counts, S4-14 residents'
    satisfaction (percent), a performance score 0-100 (S0-6: qualitative and quantitative)."""

    year: Annotated[int, msgspec.Meta(ge=1990, le=2200)]
    grade: AssessmentGrade
    visits: Visits
    performance_score: Score
    residents_satisfaction: Satisfaction | None = None
    comment: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class Correction(msgspec.Struct, forbid_unknown_fields=True):
    """What changes, and why (required). Fields left out keep their value."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    grade: AssessmentGrade | None = None
    visits: Visits | None = None
    performance_score: Score | None = None
    residents_satisfaction: Satisfaction | None = None
    comment: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class RevisionOut(msgspec.Struct):
    version: int
    previous: dict
    reason: str
    changed_by: str
    changed_at: datetime


class AssessmentOut(msgspec.Struct):
    worker_id: int
    year: int
    grade: str
    visits: list[int]
    months_below_visit_minimum: list[int]
    residents_satisfaction: int | None
    performance_score: float
    comment: str | None
    version: int
    recorded_by: str
    recorded_at: datetime
    updated_by: str | None
    updated_at: datetime | None
    history: list[RevisionOut] = []


def assessment_out(a: Assessment, history: list[AssessmentRevision] | None = None) -> AssessmentOut:
    return AssessmentOut(
        a.worker_id, a.year, a.grade, a.visits, a.months_below_minimum, a.residents_satisfaction,
        a.score_centi / 100, a.comment, a.version, a.recorded_by, a.recorded_at, a.updated_by, a.updated_at,
        [RevisionOut(r.version, r.previous, r.reason, r.changed_by, r.changed_at) for r in history or []],
    )


def _score(value: float) -> Decimal:
    return Decimal(str(value))


class NewStepRun(msgspec.Struct, forbid_unknown_fields=True):
    jurisdiction: NonEmpty
    effective_on: date
    dry_run: bool = False


class NewPayRun(msgspec.Struct, forbid_unknown_fields=True):
    jurisdiction: NonEmpty
    month: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", exclude_from_auth=True, sync_to_thread=True, status_code=200)
    def login(self, svc: Svc, data: JSONBody[Login]) -> TokenOut:
        """Exchange a username and password for a bearer token (Ed25519-signed JWT)."""
        with svc.db.read_session() as s:
            principal = store.authenticate(s, data.username, data.password)
        issuer: TokenIssuer = svc.extra["token_issuer"]
        token, expires = issuer.issue(principal, now())
        return TokenOut(token, "Bearer", expires, principal.role, principal.jurisdiction, principal.worker_id)


class UserController(Controller):
    path = "/users"
    tags = ["auth"]
    guards = [requires(Role.admin)]

    @post("/", sync_to_thread=True)
    def create_user(self, svc: Svc, request: Request, data: JSONBody[NewUser]) -> UserOut:
        """Create a login (admin only, within the admin's jurisdiction)."""
        principal: Principal = request.user
        require_jurisdiction(principal, data.jurisdiction)
        with svc.db.transaction() as s:
            u = store.create_user(
                s, username=data.username, password=data.password, role=data.role,
                jurisdiction=data.jurisdiction, worker_id=data.worker_id, now=now(),
            )
            return UserOut(u.id, u.username, Role(u.role), u.jurisdiction, u.worker_id)


class WorkerController(Controller):
    path = "/workers"
    tags = ["workers"]

    @post("/", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def create_worker(self, svc: Svc, request: Request, data: JSONBody[NewWorker]) -> WorkerOut:
        """Put a worker on the rolls. The ID number is validated (GB 11643) and
        unique; the response says how the starting grade was derived (D-2)."""
        require_jurisdiction(request.user, data.jurisdiction)
        with svc.db.transaction() as s:
            w = store.create_worker(
                s, name=data.name, id_number=data.id_number, jurisdiction=data.jurisdiction,
                community_code=data.community_code, post=data.post, grade=data.grade,
                hired_on=data.hired_on, now=now(), education=data.education, service_years=data.service_years,
                status=data.status, probation_ends_on=data.probation_ends_on, actor=request.user.sub,
                policies=svc.policies,
            )
            return worker_out(w, store.hire_derivation(s, w.id))

    @post("/import", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def import_workers(self, svc: Svc, request: Request, data: JSONBody[WorkerImport]) -> Response[WorkerImportOut]:
        """Put many workers on the rolls in one transaction, all or none (201;
        ``dry_run`` checks only, 200). Every item is checked as ``POST /workers``
        checks one, and against the other items and the rolls for a repeated
        ID number; any refusal is one 422 whose ``errors`` name each bad item
        (``items[3].id_number``) and whose ``extra.items`` give the codes and
        reasons in English and Chinese. Publishes worker.hired for each."""
        items, problems = _import_items(data.items)
        with svc.db.transaction() as s:
            ids = store.import_workers(s, request.user, items, now=now(), dry_run=data.dry_run, problems=problems,
                                       policies=svc.policies)
        count = len(items) if data.dry_run else len(ids)
        return Response(WorkerImportOut(data.dry_run, count, ids), status_code=200 if data.dry_run else 201)

    @get("/", sync_to_thread=True)
    def list_workers(
        self, svc: Svc, request: Request,
        limit: FromQuery[int] = 50,
        offset: FromQuery[int] = 0,
        jurisdiction: FromQuery[str | None] = None,
        community_code: FromQuery[str | None] = None,
        post: FromQuery[str | None] = None,
        grade: FromQuery[int | None] = None,
        status: FromQuery[str | None] = None,
        name: FromQuery[str | None] = None,
    ) -> Page[WorkerOut]:
        """Workers in the caller's jurisdiction (a worker sees only themselves), filtered and paged."""
        check_paging(limit, offset)
        if jurisdiction and request.user.role is not Role.worker:
            require_jurisdiction(request.user, jurisdiction)
        filters = store.WorkerFilter(jurisdiction, community_code, post, grade, status, name)
        with svc.db.read_session() as s:
            rows, total = store.list_workers(s, request.user, limit, offset, filters)
            return Page([worker_out(w) for w in rows], total, limit, offset)

    @get("/{worker_id:int}", sync_to_thread=True)
    def get_worker(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> WorkerOut:
        """A worker's record. Another person's record answers 404 (D-8)."""
        with svc.db.read_session() as s:
            w = store.visible_worker(s, request.user, worker_id)
            return worker_out(w, store.hire_derivation(s, w.id))

    @get("/{worker_id:int}/grade-history", sync_to_thread=True)
    def grade_history(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> list[GradeChangeOut]:
        """Every post and grade held: from when, who set it, why, under which clause."""
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [change_out(c) for c in store.grade_history(s, worker_id)]

    @get("/{worker_id:int}/designations", sync_to_thread=True)
    def designations(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> list[DesignationOut]:
        """Titles on the worker's record (a leader talent, D-7, from certs' talent.selected)
        with their terms; ``in_force`` is as of today. Another person's record is 404 (D-8)."""
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [designation_out(d, today()) for d in store.designations(s, worker_id)]

    @post("/{worker_id:int}/post-changes", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def change_post(self, svc: Svc, request: Request, worker_id: FromPath[int], data: JSONBody[PostChange]) -> PostChanged:
        """Move a worker to another post from a date (D-2); the grade is kept if it
        lies in the new band, else the nearest grade of it, unless one is given."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            c = store.change_post(s, w, post=data.post, effective_on=data.effective_on, reason=data.reason,
                                  grade=data.grade, actor=request.user.sub, now=now(), policies=svc.policies)
            return PostChanged(worker_out(w), change_out(c))

    @post("/{worker_id:int}/leave", sync_to_thread=True, guards=[requires(Role.hr_officer)], status_code=200)
    def leave(self, svc: Svc, request: Request, worker_id: FromPath[int], data: JSONBody[Leave]) -> WorkerOut:
        """Take a worker off the rolls (``left_on`` is the last day); publishes worker.left."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            return worker_out(store.leave(s, w, left_on=data.left_on, reason=data.reason, actor=request.user.sub,
                                          now=now()))

    # --- assessments ---

    @post("/{worker_id:int}/assessments", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def record_assessment(self, svc: Svc, request: Request, worker_id: FromPath[int],
                          data: JSONBody[NewAssessment]) -> AssessmentOut:
        """The year's assessment (one per worker per year: a second is 409); publishes assessment.recorded."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            a = store.record_assessment(
                s, w, year=data.year, grade=data.grade, visits=data.visits, score=_score(data.performance_score),
                residents_satisfaction=data.residents_satisfaction, comment=data.comment, actor=request.user.sub,
                now=now(), today=today(), policies=svc.policies,
            )
            return assessment_out(a)

    @get("/{worker_id:int}/assessments", sync_to_thread=True)
    def list_assessments(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> list[AssessmentOut]:
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [assessment_out(a) for a in store.list_assessments(s, worker_id)]

    @get("/{worker_id:int}/assessments/{year:int}", sync_to_thread=True)
    def get_assessment(self, svc: Svc, request: Request, worker_id: FromPath[int], year: FromPath[int]) -> AssessmentOut:
        """One year's assessment with its corrections (the values replaced, why, who, when)."""
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            a = store.find_assessment(s, worker_id, year)
            if a is None:
                raise NotFound("assessment for year", "年度考核", year, field="year")
            return assessment_out(a, store.assessment_revisions(s, a.id))

    @post("/{worker_id:int}/assessments/{year:int}/corrections", sync_to_thread=True,
          guards=[requires(Role.hr_officer)], status_code=200)
    def correct_assessment(self, svc: Svc, request: Request, worker_id: FromPath[int], year: FromPath[int],
                           data: JSONBody[Correction]) -> AssessmentOut:
        """Correct an assessment: a reason is required and the old values are kept."""
        changes = {k: getattr(data, k) for k in ("grade", "visits", "residents_satisfaction", "comment")
                   if getattr(data, k) is not None}
        if data.performance_score is not None:
            changes["score"] = _score(data.performance_score)
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            a = store.correct_assessment(s, w, year, reason=data.reason, actor=request.user.sub, now=now(),
                                         changes=changes, policies=svc.policies)
            return assessment_out(a, store.assessment_revisions(s, a.id))

    # --- pay ---

    @get("/{worker_id:int}/payslips", sync_to_thread=True)
    def payslips(
        self, svc: Svc, request: Request, worker_id: FromPath[int],
        first: Annotated[str | None, QueryParameter(name="from")] = None,
        last: Annotated[str | None, QueryParameter(name="to")] = None,
    ) -> list[pay.PayslipOut]:
        """The worker's stored payslips (draft and closed pay runs) from ``from`` to
        ``to`` (YYYY-MM, inclusive; by default the twelve months to this one), by month."""
        first, last = pay.month_range(first, last, today())
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return pay.stored_payslips(s, worker_id, first, last)

    @get("/{worker_id:int}/payslips/{month:str}", sync_to_thread=True)
    def payslip(self, svc: Svc, request: Request, worker_id: FromPath[int], month: FromPath[str]) -> pay.PayslipOut:
        """The worker's payslip for a month: the pay run's if there is one, else a preview computed the same way."""
        pay.check_month(month)
        with svc.db.read_session() as s:
            w = store.visible_worker(s, request.user, worker_id)
            return pay.payslip_of(s, w, month, svc.policies)


class StepRunController(Controller):
    """The step increment (S4-10): every 1 July, one grade up for those assessed 合格 or better."""

    path = "/step-runs"
    tags = ["pay"]
    guards = [requires(Role.hr_officer)]

    @post("/", sync_to_thread=True)
    def run(self, svc: Svc, request: Request, data: JSONBody[NewStepRun]) -> Response[increment.StepRunResult]:
        """Run the increment for a jurisdiction and effective date (201), or dry-run
        it (200, nothing written). The same date again changes nothing (200, ``repeated``)."""
        require_jurisdiction(request.user, data.jurisdiction)
        with svc.db.transaction() as s:
            result = increment.run_increment(
                s, jurisdiction=data.jurisdiction, effective_on=data.effective_on, dry_run=data.dry_run,
                actor=request.user.sub, now=now(), today=today(), policies=svc.policies,
            )
        return Response(result, status_code=200 if (result.dry_run or result.repeated) else 201)

    @get("/", sync_to_thread=True)
    def list_runs(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None) -> list[increment.StepRunResult]:
        with svc.db.read_session() as s:
            runs = s.execute(select(StepRun).order_by(StepRun.id)).scalars()
            return [increment.stored_result(s, r, repeated=False, not_moved_limit=0) for r in runs
                    if request.user.covers(r.jurisdiction) and (not jurisdiction or r.jurisdiction == jurisdiction)]

    @get("/{run_id:int}", sync_to_thread=True)
    def get_run(self, svc: Svc, request: Request, run_id: FromPath[int]) -> increment.StepRunResult:
        with svc.db.read_session() as s:
            return increment.stored_result(s, _step_run(s, request.user, run_id), repeated=False)

    @get("/{run_id:int}/outcomes", sync_to_thread=True)
    def outcomes(self, svc: Svc, request: Request, run_id: FromPath[int], outcome: FromQuery[str | None] = None,
                 limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[increment.WorkerOutcome]:
        """Who moved, who did not and why, paged (``outcome`` filters)."""
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            items, total = increment.outcomes(s, _step_run(s, request.user, run_id), outcome, limit, offset)
            return Page(items, total, limit, offset)


def _step_run(s, principal: Principal, run_id: int) -> StepRun:
    r = s.get(StepRun, run_id)
    if r is None or not principal.covers(r.jurisdiction):
        raise NotFound("step run", "晋档批次", run_id)
    return r


def _pay_run(s, principal: Principal, run_id: int) -> PayRun:
    r = s.get(PayRun, run_id)
    if r is None or not principal.covers(r.jurisdiction):
        raise NotFound("pay run", "工资批次", run_id)
    return r


class PayRunController(Controller):
    """Monthly pay runs: compute a draft (again if need be), close the month."""

    path = "/pay-runs"
    tags = ["pay"]
    guards = [requires(Role.hr_officer)]

    @post("/", sync_to_thread=True)
    def run(self, svc: Svc, request: Request, data: JSONBody[NewPayRun]) -> Response[pay.PayRunOut]:
        """Compute the month's payslips for a jurisdiction (201 new, 200 a draft
        computed again). A closed month is 409."""
        require_jurisdiction(request.user, data.jurisdiction)
        pay.check_month(data.month)
        with svc.db.transaction() as s:
            out, created = pay.run_pay(s, jurisdiction=data.jurisdiction, month=data.month, actor=request.user.sub,
                                       now=now(), today=today(), policies=svc.policies)
        return Response(out, status_code=201 if created else 200)

    @get("/", sync_to_thread=True)
    def list_runs(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                  month: FromQuery[str | None] = None) -> list[pay.PayRunOut]:
        with svc.db.read_session() as s:
            q = select(PayRun).order_by(PayRun.month, PayRun.jurisdiction)
            if month:
                q = q.where(PayRun.month == month)
            if jurisdiction:
                q = q.where(PayRun.jurisdiction == jurisdiction)
            return [pay.run_out(r) for r in s.execute(q).scalars() if request.user.covers(r.jurisdiction)]

    @get("/{run_id:int}", sync_to_thread=True)
    def get_run(self, svc: Svc, request: Request, run_id: FromPath[int]) -> pay.PayRunOut:
        with svc.db.read_session() as s:
            return pay.run_out(_pay_run(s, request.user, run_id))

    @post("/{run_id:int}/close", sync_to_thread=True, status_code=200)
    def close(self, svc: Svc, request: Request, run_id: FromPath[int]) -> pay.PayRunOut:
        """Close the month: its payslips can no longer change (409 afterwards)."""
        with svc.db.transaction() as s:
            r = _pay_run(s, request.user, run_id)
            require_jurisdiction(request.user, r.jurisdiction)
            return pay.close_pay_run(s, r, actor=request.user.sub, now=now())

    @get("/{run_id:int}/payslips", sync_to_thread=True)
    def payslips(self, svc: Svc, request: Request, run_id: FromPath[int], limit: FromQuery[int] = 50,
                 offset: FromQuery[int] = 0) -> Page[pay.PayslipOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            _pay_run(s, request.user, run_id)
            items, total = pay.list_payslips(s, run_id, limit, offset)
            return Page(items, total, limit, offset)


class MeController(Controller):
    path = "/me"
    tags = ["me"]

    @get("/", sync_to_thread=True)
    def me(self, svc: Svc, request: Request) -> WorkerOut:
        """The calling worker's own record."""
        principal: Principal = request.user
        if principal.worker_id is None:
            raise NotFound("worker record for", "职工档案", principal.sub)
        with svc.db.read_session() as s:
            w = s.get(Worker, principal.worker_id)
            if w is None:
                raise NotFound("worker", "社区工作者", principal.worker_id)
            return worker_out(w)

    @get("/designations", sync_to_thread=True)
    def my_designations(self, svc: Svc, request: Request) -> list[DesignationOut]:
        """The calling worker's titles (a leader talent, D-7) with their terms."""
        principal: Principal = request.user
        if principal.worker_id is None:
            raise NotFound("worker record for", "职工档案", principal.sub)
        with svc.db.read_session() as s:
            store.visible_worker(s, principal, principal.worker_id)
            return [designation_out(d, today()) for d in store.designations(s, principal.worker_id)]

    @get("/payslips", sync_to_thread=True)
    def my_payslips(
        self, svc: Svc, request: Request,
        first: Annotated[str | None, QueryParameter(name="from")] = None,
        last: Annotated[str | None, QueryParameter(name="to")] = None,
    ) -> list[pay.PayslipOut]:
        """The calling worker's stored payslips (draft and closed pay runs) from
        ``from`` to ``to`` (YYYY-MM, inclusive; by default the twelve months to this one)."""
        principal: Principal = request.user
        if principal.worker_id is None:
            raise NotFound("worker record for", "职工档案", principal.sub)
        first, last = pay.month_range(first, last, today())
        with svc.db.read_session() as s:
            store.visible_worker(s, principal, principal.worker_id)
            return pay.stored_payslips(s, principal.worker_id, first, last)

    @get("/payslips/{month:str}", sync_to_thread=True)
    def my_payslip(self, svc: Svc, request: Request, month: FromPath[str]) -> pay.PayslipOut:
        """The calling worker's payslip for a month."""
        principal: Principal = request.user
        if principal.worker_id is None:
            raise NotFound("worker record for", "职工档案", principal.sub)
        pay.check_month(month)
        with svc.db.read_session() as s:
            return pay.payslip_of(s, store.visible_worker(s, principal, principal.worker_id), month, svc.policies)


ROUTES = [AuthController, UserController, WorkerController, StepRunController, PayRunController, MeController]
from hr_service.recruitment.api import ROUTES as RECRUITMENT_ROUTES; ROUTES += RECRUITMENT_ROUTES  # noqa: E402,E702  issue 4 (temporary)
from hr_service.selfservice.api import ROUTES as SELF_SERVICE_ROUTES; ROUTES += SELF_SERVICE_ROUTES  # noqa: E402,E702
from hr_service.rewards.api import ROUTES as REWARD_ROUTES; ROUTES += REWARD_ROUTES  # noqa: E402,E702
