"""Community ratings over HTTP (S1-4): ``/rating-rounds`` from the round's
opening to its results, and ``/community-ratings/summary``.

open (applications, withdrawals, reviewers) → ``/review`` → reviewing (the
panel's score sheets) → ``/rank`` → ranked → ``/notice`` → notice (公示,
objections and their resolution) → ``/finalise`` → final; ``/cancel`` before
final. HR officers (and admins) of the round's jurisdiction only: a write
elsewhere is 403, a round elsewhere reads 404 (D-8).
"""
from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from hr_service.ratings import notice, store
from hr_service.ratings.schemas import (
    ApplicationOut,
    Finalisation,
    FinalOut,
    NewApplication,
    NewNotice,
    NewObjection,
    NewReviewer,
    NewRound,
    ObjectionOut,
    RankingOut,
    Resolution,
    ResolutionOut,
    ReviewerOut,
    RoundOut,
    ScoreOut,
    ScoreSheet,
    SummaryOut,
    Withdrawal,
    application_out,
    objection_out,
    ranking_out,
    rating_out,
    reviewer_out,
    round_out,
    score_out,
)
from hr_service.ratings.tables import RatingRound
from shared.auth import Role, requires
from shared.errors import check_year
from shared.paging import Page, check_paging
from shared.types import IdArg, OptYearArg, YearArg
from shared.web import Svc, now, today

HR = requires(Role.hr_officer)


def _out(s, r: RatingRound) -> RoundOut:
    return round_out(r, store.count_by_status(s, r.id), today())


class RatingRoundController(Controller):
    """S1-4: a year's rating round of a district or a street."""

    path = "/rating-rounds"
    tags = ["community ratings"]
    guards = [HR]

    @post("/", sync_to_thread=True)
    def create(self, svc: Svc, request: Request, data: JSONBody[NewRound]) -> RoundOut:
        """Open a round for ``year`` in a district or a street; one running round per year and jurisdiction."""
        with svc.db.transaction() as s:
            return _out(s, store.create_round(s, request.user, svc.policies, year=data.year,
                                              jurisdiction=data.jurisdiction, title=data.title,
                                              opened_on=data.opened_on or today(), now=now()))

    @get("/", sync_to_thread=True)
    def list_rounds(self, svc: Svc, request: Request, year: FromQuery[OptYearArg] = None,
                    status: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                    offset: FromQuery[int] = 0) -> Page[RoundOut]:
        check_paging(limit, offset)
        if year is not None:
            check_year(year)
        with svc.db.read_session() as s:
            rows, total = store.list_rounds(s, request.user, year, status, limit, offset)
            return Page([_out(s, r) for r in rows], total, limit, offset)

    @get("/{round_id:int}", sync_to_thread=True)
    def get_round(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RoundOut:
        with svc.db.read_session() as s:
            return _out(s, store.rating_round(s, request.user, round_id))

    @post("/{round_id:int}/cancel", sync_to_thread=True, status_code=200)
    def cancel(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RoundOut:
        """Cancel a round that is not final; nothing of it stands."""
        with svc.db.transaction() as s:
            return _out(s, store.cancel(s, request.user, round_id))

    @post("/{round_id:int}/applications", sync_to_thread=True)
    def apply(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
              data: JSONBody[NewApplication]) -> ApplicationOut:
        """A community of the round's jurisdiction applies for 规范, 星级 (with 1–5 stars) or 花园;
        the ladder's prerequisite must be held from an earlier year (409 ``rating_prerequisite``)."""
        with svc.db.transaction() as s:
            return application_out(store.apply(
                s, request.user, svc.policies, round_id, community_code=data.community_code, level=data.level,
                stars=data.stars, applied_on=data.applied_on or today(), now=now()))

    @get("/{round_id:int}/applications", sync_to_thread=True)
    def applications(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> list[ApplicationOut]:
        with svc.db.read_session() as s:
            r = store.rating_round(s, request.user, round_id)
            return [application_out(a) for a in store.applications_of(s, r.id)]

    @post("/{round_id:int}/applications/{application_id:int}/withdraw", sync_to_thread=True, status_code=200)
    def withdraw(self, svc: Svc, request: Request, round_id: FromPath[IdArg], application_id: FromPath[IdArg],
                 data: JSONBody[Withdrawal]) -> ApplicationOut:
        """Withdraw an application while the round is open (before the review)."""
        with svc.db.transaction() as s:
            return application_out(store.withdraw(s, request.user, round_id, application_id, data.reason))

    @post("/{round_id:int}/review", sync_to_thread=True, status_code=200)
    def review(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RoundOut:
        """Close the applications; the panel scores (陈述答辩评审)."""
        with svc.db.transaction() as s:
            return _out(s, store.start_review(s, request.user, round_id))

    @post("/{round_id:int}/reviewers", sync_to_thread=True)
    def add_reviewer(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
                     data: JSONBody[NewReviewer]) -> ReviewerOut:
        with svc.db.transaction() as s:
            return reviewer_out(store.add_reviewer(s, request.user, round_id, name=data.name, account=data.account,
                                                   now=now()))

    @get("/{round_id:int}/reviewers", sync_to_thread=True)
    def reviewers(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> list[ReviewerOut]:
        with svc.db.read_session() as s:
            r = store.rating_round(s, request.user, round_id)
            return [reviewer_out(v) for v in store.reviewers_of(s, r.id)]

    @put("/{round_id:int}/applications/{application_id:int}/scores", sync_to_thread=True)
    def enter_scores(self, svc: Svc, request: Request, round_id: FromPath[IdArg], application_id: FromPath[IdArg],
                     data: JSONBody[ScoreSheet]) -> ScoreOut:
        """One reviewer's scores for the application, each criterion 0–100 (422 ``score_out_of_range``)."""
        with svc.db.transaction() as s:
            x, rule = store.enter_scores(s, request.user, svc.policies, round_id, application_id,
                                         reviewer_id=data.reviewer_id, scores=dict(data.scores), now=now())
            return score_out(x, rule.criteria)

    @get("/{round_id:int}/applications/{application_id:int}/scores", sync_to_thread=True)
    def scores(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
               application_id: FromPath[IdArg]) -> list[ScoreOut]:
        with svc.db.read_session() as s:
            r = store.rating_round(s, request.user, round_id)
            a = store.application(s, r, application_id)
            criteria = store.rule_of(s, svc.policies, r).criteria
            return [score_out(x, criteria) for x in store.scores_of(s, r.id) if x.application_id == a.id]

    @post("/{round_id:int}/rank", sync_to_thread=True, status_code=200)
    def rank(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RankingOut:
        """Score and rank every application per level; at or above the level's pass mark is proposed."""
        with svc.db.transaction() as s:
            return ranking_out(*store.rank(s, request.user, svc.policies, round_id))

    @get("/{round_id:int}/ranking", sync_to_thread=True)
    def ranking(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RankingOut:
        with svc.db.read_session() as s:
            r = store.rating_round(s, request.user, round_id)
            return ranking_out(r, store.applications_of(s, r.id), store.rule_of(s, svc.policies, r))


class RatingNoticeController(Controller):
    """S1-4 向社会公示: the notice, the objections, the results."""

    path = "/rating-rounds"
    tags = ["community ratings"]
    guards = [HR]

    @post("/{round_id:int}/notice", sync_to_thread=True)
    def start_notice(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
                     data: JSONBody[NewNotice]) -> RoundOut:
        """Start the 公示 of the proposed communities; it ends after N working days (D-10)."""
        with svc.db.transaction() as s:
            r, _ = notice.start_notice(s, request.user, svc.policies, round_id, starts_on=data.starts_on or today())
            return _out(s, r)

    @post("/{round_id:int}/objections", sync_to_thread=True)
    def lodge(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
              data: JSONBody[NewObjection]) -> ObjectionOut:
        """Record an objection to a proposed community during the 公示."""
        as_of = today()
        with svc.db.transaction() as s:
            return objection_out(notice.lodge_objection(
                s, request.user, round_id, application_id=data.application_id, lodged_on=data.lodged_on or as_of,
                lodged_by=data.lodged_by, summary=data.summary, as_of=as_of, now=now()))

    @get("/{round_id:int}/objections", sync_to_thread=True)
    def objections(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> list[ObjectionOut]:
        with svc.db.read_session() as s:
            r = store.rating_round(s, request.user, round_id)
            return [objection_out(o) for o in notice.objections_of(s, r.id)]

    @post("/{round_id:int}/objections/{objection_id:int}/resolve", sync_to_thread=True, status_code=200)
    def resolve(self, svc: Svc, request: Request, round_id: FromPath[IdArg], objection_id: FromPath[IdArg],
                data: JSONBody[Resolution]) -> ResolutionOut:
        """Upheld removes the community's result; dismissed keeps it."""
        as_of = today()
        with svc.db.transaction() as s:
            o, a = notice.resolve_objection(s, request.user, round_id, objection_id, outcome=data.outcome,
                                            resolution=data.resolution, resolved_on=data.resolved_on or as_of,
                                            as_of=as_of)
            return ResolutionOut(objection_out(o), application_out(a))

    @post("/{round_id:int}/finalise", sync_to_thread=True, status_code=200)
    def finalise(self, svc: Svc, request: Request, round_id: FromPath[IdArg], data: JSONBody[Finalisation]) -> FinalOut:
        """After the 公示, with no objection open, the results stand on the communities (409 otherwise)."""
        as_of = today()
        with svc.db.transaction() as s:
            r, results = notice.finalise(s, request.user, round_id, finalised_on=data.finalised_on or as_of,
                                         as_of=as_of, now=now())
            return FinalOut(_out(s, r), [rating_out(x) for x in results])


class CommunityRatingController(Controller):
    path = "/community-ratings"
    tags = ["community ratings"]
    guards = [HR]

    @get("/summary", sync_to_thread=True)
    def summary(self, svc: Svc, request: Request, year: FromQuery[YearArg],
                by: FromQuery[Literal["district", "street"]] = "district") -> SummaryOut:
        """Communities of your jurisdiction rated in ``year``, per level (and stars), per district or street."""
        check_year(year)
        with svc.db.read_session() as s:
            units = notice.summary(s, request.user, year, by)
            totals: dict[str, int] = {}
            for u in units:
                for level, n in u.counts.items():
                    totals[level] = totals.get(level, 0) + n
            return SummaryOut(year, by, units, totals)


ROUTES = [RatingRoundController, RatingNoticeController, CommunityRatingController]
