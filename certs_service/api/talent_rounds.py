"""Leader-talent rounds: nominating → scoring → ranked → notice → final (D-7, S1-2)."""
from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from certs_service import store
from certs_service.api.common import caller, officer, state_asked
from certs_service.api.schemas import (
    DecisionIn,
    DesignationOut,
    EligibilityOut,
    FinaliseIn,
    NewRound,
    NominationIn,
    NominationOut,
    NoticeIn,
    ObjectionIn,
    ObjectionOut,
    RoundOut,
    ScoreSheet,
    ScoresRecorded,
)
from certs_service.api.views import designation_out, nomination_out, objection_out, round_out, rounds_out
from certs_service.states import ROUND
from certs_service.tables import Nomination, Profile
from shared.paging import Page, check_paging
from shared.types import IdArg
from shared.web import Svc, now, today


class TalentRoundController(Controller):
    """Leader-talent rounds: nominating → scoring → ranked → notice → final (D-7)."""

    path = "/talent-rounds"
    tags = ["talent"]
    guards = [officer]

    @post("/", sync_to_thread=True)
    def open(self, svc: Svc, request: Request, data: JSONBody[NewRound]) -> RoundOut:
        with svc.db.transaction() as s:
            r = store.open_round(s, svc, caller(request), name=data.name, jurisdiction=data.jurisdiction,
                                 city_quota=data.city_quota, district_quotas=data.district_quotas,
                                 opened_on=data.opened_on, today=today(), now=now())
            return round_out(s, r)

    @get("/", sync_to_thread=True)
    def list_rounds(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                    state_: Annotated[str | None, QueryParameter(name="state")] = None,
                    name: FromQuery[str | None] = None, limit: FromQuery[int] = 50,
                    offset: FromQuery[int] = 0) -> Page[RoundOut]:
        """The rounds in scope (the caller's jurisdiction by default, 403 outside
        it) and those of the city a district is in, newest first; ``state``
        filters by step (D-7), ``name`` by the exact name."""
        check_paging(limit, offset)
        state = state_asked(ROUND, state_)
        with svc.db.read_session() as s:
            rows, total = store.list_talent_rounds(s, store.scope_of(caller(request), jurisdiction), state=state,
                                                   name=name, limit=limit, offset=offset)
            return Page(rounds_out(s, rows), total, limit, offset)

    @get("/{round_id:int}", sync_to_thread=True)
    def get_round(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RoundOut:
        with svc.db.read_session() as s:
            return round_out(s, store.round_to_read(s, caller(request), round_id))

    @get("/{round_id:int}/eligibility/{worker_id:int}", sync_to_thread=True)
    def eligibility(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
                    worker_id: FromPath[IdArg]) -> EligibilityOut:
        """Whether the worker may be nominated, and every reason why not (D-7)."""
        with svc.db.read_session() as s:
            r = store.round_to_read(s, caller(request), round_id)
            p = store.profile_to_read(s, caller(request), worker_id)
            reasons, facts = store.eligibility(s, p, r.opened_on, store.rule_of(r))
            return EligibilityOut(worker_id, r.opened_on, not reasons, reasons, facts)

    @post("/{round_id:int}/nominations", sync_to_thread=True)
    def nominate(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
                 data: JSONBody[NominationIn]) -> NominationOut:
        with svc.db.transaction() as s:
            n = store.nominate(s, caller(request), round_id, worker_id=data.worker_id,
                               nominated_on=data.nominated_on or today(), today=today(), now=now())
            return nomination_out(n, s.get(Profile, n.worker_id).name)

    @get("/{round_id:int}/nominations", sync_to_thread=True)
    def nominations(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> list[NominationOut]:
        """The nominees, in rank order once ranked, with each criterion's mean over the experts."""
        with svc.db.read_session() as s:
            r = store.round_to_read(s, caller(request), round_id)
            rows = store.nominations_of(s, r.id)
            means = store.means_of(s, [n for n, _ in rows], store.rule_of(r).weights)
            return [nomination_out(n, name, means.get(n.id)) for n, name in rows]

    @post("/{round_id:int}/close-nominations", sync_to_thread=True, status_code=200)
    def close_nominations(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RoundOut:
        with svc.db.transaction() as s:
            return round_out(s, store.close_nominations(s, caller(request), round_id))

    @post("/{round_id:int}/scores", sync_to_thread=True, status_code=200)
    def scores(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
               data: JSONBody[ScoreSheet]) -> ScoresRecorded:
        """One expert's score sheet: each nominee on every D-7 criterion."""
        with svc.db.transaction() as s:
            n = store.record_scores(s, caller(request), round_id, expert=data.expert, entries=data.entries)
            return ScoresRecorded(data.expert, n)

    @post("/{round_id:int}/rank", sync_to_thread=True, status_code=200)
    def rank(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> RoundOut:
        with svc.db.transaction() as s:
            return round_out(s, store.rank_round(s, caller(request), round_id))

    @post("/{round_id:int}/notice", sync_to_thread=True, status_code=200)
    def notice(self, svc: Svc, request: Request, round_id: FromPath[IdArg], data: JSONBody[NoticeIn]) -> RoundOut:
        """Publish the selected for the public notice (公示) of the policy's working days."""
        with svc.db.transaction() as s:
            return round_out(s, store.start_notice(s, caller(request), round_id, starts_on=data.starts_on))

    @post("/{round_id:int}/objections", sync_to_thread=True)
    def object(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
               data: JSONBody[ObjectionIn]) -> ObjectionOut:
        with svc.db.transaction() as s:
            o = store.raise_objection(s, caller(request), round_id, worker_id=data.worker_id,
                                      raised_on=data.raised_on, grounds=data.grounds, today=today(), now=now())
            return objection_out(o, s.get(Nomination, o.nomination_id))

    @get("/{round_id:int}/objections", sync_to_thread=True)
    def objections(self, svc: Svc, request: Request, round_id: FromPath[IdArg]) -> list[ObjectionOut]:
        with svc.db.read_session() as s:
            r = store.round_to_read(s, caller(request), round_id)
            return [objection_out(o, n) for o, n in store.objections_of(s, r.id)]

    @post("/{round_id:int}/objections/{objection_id:int}/decision", sync_to_thread=True, status_code=200)
    def decide(self, svc: Svc, request: Request, round_id: FromPath[IdArg], objection_id: FromPath[IdArg],
               data: JSONBody[DecisionIn]) -> ObjectionOut:
        """Uphold or dismiss an objection; upheld, the next in rank takes the place."""
        with svc.db.transaction() as s:
            o, sub = store.decide_objection(s, caller(request), round_id, objection_id, outcome=data.outcome,
                                            decided_on=data.decided_on, decision=data.decision, today=today())
            sub_out = nomination_out(sub, s.get(Profile, sub.worker_id).name) if sub else None
            return objection_out(o, s.get(Nomination, o.nomination_id), sub_out)

    @post("/{round_id:int}/finalise", sync_to_thread=True, status_code=200)
    def finalise(self, svc: Svc, request: Request, round_id: FromPath[IdArg],
                 data: JSONBody[FinaliseIn]) -> list[DesignationOut]:
        with svc.db.transaction() as s:
            ds = store.finalise(s, svc, caller(request), round_id, on=data.on, today=today(), now=now())
            return [designation_out(d, s.get(Profile, d.worker_id)) for d in ds]
