"""``/workers/{id}/assessments``: the annual assessment (D-1, S3-1, S4-14) and its corrections."""
from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from hr_service import store
from hr_service.api.schemas import AssessmentOut, Correction, NewAssessment, assessment_out, score
from shared.auth import Role, requires
from shared.types import IdArg, YearArg
from shared.web import Svc, now, today


class AssessmentController(Controller):
    path = "/workers/{worker_id:int}/assessments"
    tags = ["workers"]

    @post("/", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def record_assessment(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                          data: JSONBody[NewAssessment]) -> AssessmentOut:
        """The year's assessment (one per worker per year: a second is 409); publishes assessment.recorded."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            a = store.record_assessment(
                s, w, year=data.year, grade=data.grade, visits=data.visits, score=score(data.performance_score),
                residents_satisfaction=data.residents_satisfaction, comment=data.comment, actor=request.user.sub,
                now=now(), today=today(), policies=svc.policies,
            )
            return assessment_out(a)

    @get("/", sync_to_thread=True)
    def list_assessments(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[AssessmentOut]:
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [assessment_out(a) for a in store.list_assessments(s, worker_id)]

    @get("/{year:int}", sync_to_thread=True)
    def get_assessment(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                       year: FromPath[YearArg]) -> AssessmentOut:
        """One year's assessment with its corrections (the values replaced, why, who, when)."""
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            a = store.assessment_of(s, worker_id, year)
            return assessment_out(a, store.assessment_revisions(s, a.id))

    @post("/{year:int}/corrections", sync_to_thread=True, guards=[requires(Role.hr_officer)], status_code=200)
    def correct_assessment(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], year: FromPath[YearArg],
                           data: JSONBody[Correction]) -> AssessmentOut:
        """Correct an assessment: a reason is required and the old values are kept."""
        changes = {k: getattr(data, k) for k in ("grade", "visits", "residents_satisfaction", "comment")
                   if getattr(data, k) is not None}
        if data.performance_score is not None:
            changes["score"] = score(data.performance_score)
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            a = store.correct_assessment(s, w, year, reason=data.reason, actor=request.user.sub, now=now(),
                                         changes=changes, policies=svc.policies)
            return assessment_out(a, store.assessment_revisions(s, a.id))
