"""Communities, staffing, work funds, recruitment campaigns and postings over HTTP.

A campaign runs announce → posts and applications → eligibility review →
scores → ranking → physical exam and background check → public notice
(公示) and objections → hire (D-4); ``GET /campaigns/{id}/history`` shows
every step.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, RawBody

from hr_service.recruitment import rules, store
from hr_service.recruitment.tables import (
    Application,
    Campaign,
    CampaignEvent,
    CampaignPost,
    Community,
    Notice,
    Objection,
    Posting,
)
from shared.auth import Principal, Role, requires
from shared.errors import Invalid
from shared.money import format_yuan
from shared.paging import Page, check_paging
from shared.web import Svc, now, today

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Count = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
Outcome = Literal["pass", "fail"]

READERS = requires(Role.hr_officer, Role.training_coordinator, Role.cert_officer)
HR = requires(Role.hr_officer)


def points(hundredths: int | None) -> Decimal | None:
    return None if hundredths is None else Decimal(hundredths).scaleb(-2)


# --- communities -------------------------------------------------------------------


class NewCommunity(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
    name: Name
    district: Name  # the district's jurisdiction, e.g. hangzhou.gongshu
    households: Count
    party_members: Count = 0


class CommunityChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    households: Count | None = None
    party_members: Count | None = None


class CommunityOut(msgspec.Struct):
    code: str
    name: str
    district: str
    households: int
    party_members: int


def community_out(c: Community) -> CommunityOut:
    return CommunityOut(c.code, c.name, c.district, c.households, c.party_members)


class StaffingOut(msgspec.Struct):
    """S4-1 quota = ceil(households / households_per_worker); S4-3 party posts;
    D-9 cap; headcount and vacancies from the rolls."""

    community_code: str
    as_of: date
    households: int
    party_members: int
    households_per_worker: int
    base: int
    party_posts: int
    cap: int
    capped: bool
    quota: int
    headcount: int
    vacancies: int
    open_in_campaigns: int
    available_for_new_posts: int


class FundPart(msgspec.Struct):
    part: str
    clause: str
    amount_fen: int
    amount_yuan: str
    basis: str


class WorkFundOut(msgspec.Struct):
    community_code: str
    year: int
    households: int
    party_members: int
    per_100_households_fen: int
    years_grown: int
    has_party_committee: bool
    parts: list[FundPart]
    total_fen: int
    total_yuan: str


def work_fund_out(code: str, f: rules.WorkFund) -> WorkFundOut:
    per100 = format_yuan(f.per_100_households_fen)
    parts = [
        FundPart("city", "S4-7a", f.city_fen, format_yuan(f.city_fen),
                 f"{per100} yuan per 100 households ({f.years_grown} year(s) of S4-7b growth) × {f.households} households"),
        FundPart("district_match", "S4-7a", f.district_match_fen, format_yuan(f.district_match_fen),
                 "the district matches the city part"),
        FundPart("party_committee", "S4-7c", f.party_committee_fen, format_yuan(f.party_committee_fen),
                 "community with a party committee (S4-3)" if f.has_party_committee else "no party committee"),
        FundPart("party_members", "S4-7c", f.party_members_fen, format_yuan(f.party_members_fen),
                 f"{f.party_members} party member(s)"),
    ]
    return WorkFundOut(code, f.year, f.households, f.party_members, f.per_100_households_fen, f.years_grown,
                       f.has_party_committee, parts, f.total_fen, format_yuan(f.total_fen))


class CommunityController(Controller):
    path = "/communities"
    tags = ["communities"]

    @post("/", sync_to_thread=True, guards=[HR])
    def create_community(self, svc: Svc, request: Request, data: JSONBody[NewCommunity]) -> CommunityOut:
        """Register a community of a district (households and party members drive S4-1/S4-3)."""
        with svc.db.transaction() as s:
            return community_out(store.create_community(
                s, request.user, code=data.code, name=data.name, district=data.district,
                households=data.households, party_members=data.party_members, now=now(),
            ))

    @get("/", sync_to_thread=True, guards=[READERS])
    def list_communities(self, svc: Svc, request: Request, district: FromQuery[str | None] = None,
             limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[CommunityOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_communities(s, request.user, district, limit, offset)
            return Page([community_out(c) for c in rows], total, limit, offset)

    @get("/{code:str}", sync_to_thread=True, guards=[READERS])
    def get_community(self, svc: Svc, request: Request, code: FromPath[str]) -> CommunityOut:
        with svc.db.read_session() as s:
            return community_out(store.community(s, request.user, code))

    @patch("/{code:str}", sync_to_thread=True, guards=[HR])
    def change_community(self, svc: Svc, request: Request, code: FromPath[str], data: JSONBody[CommunityChange]) -> CommunityOut:
        """Update name, households or party members (the quota follows)."""
        with svc.db.transaction() as s:
            return community_out(store.update_community(
                s, request.user, code, name=data.name, households=data.households,
                party_members=data.party_members, now=now(),
            ))

    @get("/{code:str}/staffing", sync_to_thread=True, guards=[READERS])
    def staffing(self, svc: Svc, request: Request, code: FromPath[str],
                 as_of: FromQuery[date | None] = None) -> StaffingOut:
        """Quota (S4-1, S4-3, capped by D-9), workers on the rolls, vacancies."""
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            v = store.staffing_of(s, svc.policies, c, as_of or today())
            st = v.staffing
            return StaffingOut(c.code, v.as_of, st.households, st.party_members, st.households_per_worker, st.base,
                               st.party_posts, st.cap, st.capped, st.quota, v.headcount, v.vacancies,
                               v.open_in_campaigns, v.available_for_new_posts)

    @get("/{code:str}/work-fund", sync_to_thread=True, guards=[READERS])
    def work_fund(self, svc: Svc, request: Request, code: FromPath[str], year: FromQuery[int]) -> WorkFundOut:
        """The community's work fund for ``year``, part by part (S4-7a, S4-7b, S4-7c)."""
        if not 1900 <= year <= 2200:
            raise Invalid("invalid_year", "year must be 1900..2200.", "年份须在 1900..2200 之间。", field="year")
        with svc.db.read_session() as s:
            c = store.community(s, request.user, code)
            return work_fund_out(c.code, store.work_fund_of(s, svc.policies, c, year))


# --- campaigns ---------------------------------------------------------------------------


class NewCampaign(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    jurisdiction: Name
    announced_on: date | None = None


class NewPost(msgspec.Struct, forbid_unknown_fields=True):
    community_code: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    post: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    count: Annotated[int, msgspec.Meta(ge=1, le=100)]


class PostOut(msgspec.Struct):
    id: int
    community_code: str
    post: str
    count: int


class CampaignOut(msgspec.Struct):
    id: int
    title: str
    jurisdiction: str
    announced_on: date
    status: str
    posts: list[PostOut]
    applications: dict[str, int]  # by status


def post_out(p: CampaignPost) -> PostOut:
    return PostOut(p.id, p.community_code, p.post, p.count)


def campaign_out(s, c: Campaign) -> CampaignOut:
    counts: dict[str, int] = {}
    for a in store.applications_of(s, c.id):
        counts[a.status] = counts.get(a.status, 0) + 1
    return CampaignOut(c.id, c.title, c.jurisdiction, c.announced_on, c.status,
                       [post_out(p) for p in store.posts_of(s, c.id)], counts)


class NewApplication(msgspec.Struct, forbid_unknown_fields=True):
    post_id: int
    name: Name
    id_number: Annotated[str, msgspec.Meta(min_length=18, max_length=18)]
    birth_date: date
    education: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    household_registration: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    certificates: list[Annotated[str, msgspec.Meta(min_length=1, max_length=32)]] = []
    record_flags: list[Annotated[str, msgspec.Meta(min_length=1, max_length=64)]] = []
    service_years: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0
    applied_on: date | None = None


class RefusalOut(msgspec.Struct):
    code: str
    field: str
    clause: str
    reason: str
    reason_zh: str


class ApplicationOut(msgspec.Struct):
    id: int
    post_id: int
    name: str
    id_number: str
    birth_date: date
    education: str
    certificates: list[str]
    household_registration: str
    record_flags: list[str]
    service_years: int
    applied_on: date
    status: str
    refusals: list[RefusalOut]
    written: Decimal | None
    interview: Decimal | None
    bonus_points: int | None
    composite: Decimal | None
    rank: int | None
    physical_exam: str | None
    background_check: str | None
    notice_id: int | None
    removed_reason: str | None
    worker_id: int | None


def application_out(a: Application) -> ApplicationOut:
    return ApplicationOut(
        a.id, a.post_id, a.name, a.id_number, a.birth_date, a.education, list(a.certificates),
        a.household_registration, list(a.record_flags), a.service_years, a.applied_on, a.status,
        [msgspec.convert(r, RefusalOut) for r in (a.refusals or [])], points(a.written), points(a.interview),
        a.bonus_points, points(a.composite), a.rank, a.physical_exam, a.background_check, a.notice_id,
        a.removed_reason, a.worker_id,
    )


class Scores(msgspec.Struct, forbid_unknown_fields=True):
    written: Decimal | None = None
    interview: Decimal | None = None


class UploadOut(msgspec.Struct):
    rows: int


class Withdrawal(msgspec.Struct, forbid_unknown_fields=True):
    reason: Text


class Checks(msgspec.Struct, forbid_unknown_fields=True):
    physical_exam: Outcome | None = None
    background_check: Outcome | None = None
    checked_on: date | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class StepOut(msgspec.Struct):
    """An application after a step, and the candidate who took over its place, if any."""

    application: ApplicationOut
    next_in_rank: ApplicationOut | None
    campaign_status: str


class RankedOut(msgspec.Struct):
    application_id: int
    name: str
    rank: int | None
    written: Decimal | None
    bonus_points: int | None
    written_total: Decimal | None
    interview: Decimal | None
    composite: Decimal | None
    status: str


class PostRanking(msgspec.Struct):
    post_id: int
    community_code: str
    post: str
    places: int
    candidates: list[RankedOut]


def ranking_out(s, c: Campaign) -> list[PostRanking]:
    apps = [a for a in store.applications_of(s, c.id) if a.rank is not None]
    out = []
    for p in store.posts_of(s, c.id):
        mine = sorted((a for a in apps if a.post_id == p.id), key=lambda a: (a.rank, a.id))
        out.append(PostRanking(p.id, p.community_code, p.post, p.count, [
            RankedOut(a.id, a.name, a.rank, points(a.written), a.bonus_points,
                      points(rules.written_total(a.written, a.bonus_points or 0)), points(a.interview),
                      points(a.composite), a.status)
            for a in mine
        ]))
    return out


class NewNotice(msgspec.Struct, forbid_unknown_fields=True):
    starts_on: date | None = None


class NoticeOut(msgspec.Struct):
    """A 公示: ``ends_on`` is ``working_days`` working days from ``starts_on`` (D-4, D-10)."""

    id: int
    starts_on: date
    ends_on: date
    working_days: int
    state: str  # scheduled | running | ended (today)
    hire_from: date
    candidates: list[ApplicationOut]


def notice_out(n: Notice, candidates: list[Application], as_of: date) -> NoticeOut:
    state = "scheduled" if as_of < n.starts_on else "running" if as_of <= n.ends_on else "ended"
    return NoticeOut(n.id, n.starts_on, n.ends_on, n.working_days, state, n.ends_on + timedelta(days=1),
                     [application_out(a) for a in candidates])


class NewObjection(msgspec.Struct, forbid_unknown_fields=True):
    application_id: int
    summary: Text
    lodged_on: date | None = None
    lodged_by: Name | None = None


class Resolution(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Literal["upheld", "dismissed"]
    resolution: Text
    resolved_on: date | None = None


class ObjectionOut(msgspec.Struct):
    id: int
    notice_id: int
    application_id: int
    lodged_on: date
    lodged_by: str | None
    summary: str
    status: str
    resolution: str | None
    resolved_on: date | None


def objection_out(o: Objection) -> ObjectionOut:
    return ObjectionOut(o.id, o.notice_id, o.application_id, o.lodged_on, o.lodged_by, o.summary, o.status,
                        o.resolution, o.resolved_on)


class ResolutionOut(msgspec.Struct):
    objection: ObjectionOut
    next_in_rank: ApplicationOut | None
    campaign_status: str


class Hiring(msgspec.Struct, forbid_unknown_fields=True):
    hired_on: date | None = None


class HiredOut(msgspec.Struct):
    application_id: int
    worker_id: int
    name: str
    community_code: str | None
    post: str
    grade: int
    hired_on: date
    probation_ends_on: date | None


class WaitingOut(msgspec.Struct):
    application_id: int
    reason: str


class HireOut(msgspec.Struct):
    hired: list[HiredOut]
    waiting: list[WaitingOut]
    campaign_status: str


class Cancellation(msgspec.Struct, forbid_unknown_fields=True):
    reason: Text


class EventOut(msgspec.Struct):
    id: int
    step: str
    from_status: str | None
    to_status: str
    as_of: date
    actor: str
    detail: dict[str, Any]
    at: datetime


def event_out(e: CampaignEvent) -> EventOut:
    return EventOut(e.id, e.step, e.from_status, e.to_status, e.as_of, e.actor, e.detail, e.at)


class CampaignController(Controller):
    """Open recruitment (公开招考, S3-6) by the steps of D-4."""

    path = "/campaigns"
    tags = ["recruitment"]
    guards = [HR]

    @post("/", sync_to_thread=True)
    def create_campaign(self, svc: Svc, request: Request, data: JSONBody[NewCampaign]) -> CampaignOut:
        """Announce a campaign for a jurisdiction."""
        with svc.db.transaction() as s:
            c = store.create_campaign(s, request.user, title=data.title, jurisdiction=data.jurisdiction,
                                      announced_on=data.announced_on or today(), now=now())
            return campaign_out(s, c)

    @get("/", sync_to_thread=True)
    def list_campaigns(self, svc: Svc, request: Request, status: FromQuery[str | None] = None,
             limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> Page[CampaignOut]:
        check_paging(limit, offset)
        with svc.db.read_session() as s:
            rows, total = store.list_campaigns(s, request.user, status, limit, offset)
            return Page([campaign_out(s, c) for c in rows], total, limit, offset)

    @get("/{campaign_id:int}", sync_to_thread=True)
    def get_campaign(self, svc: Svc, request: Request, campaign_id: FromPath[int]) -> CampaignOut:
        with svc.db.read_session() as s:
            return campaign_out(s, store.campaign(s, request.user, campaign_id))

    @post("/{campaign_id:int}/posts", sync_to_thread=True)
    def add_post(self, svc: Svc, request: Request, campaign_id: FromPath[int], data: JSONBody[NewPost]) -> PostOut:
        """Open places for a community; more than its vacancies is 409 (S4-1)."""
        with svc.db.transaction() as s:
            return post_out(store.add_post(s, request.user, svc.policies, campaign_id,
                                           community_code=data.community_code, post=data.post, count=data.count,
                                           as_of=today(), now=now()))

    @post("/{campaign_id:int}/applications", sync_to_thread=True)
    def apply(self, svc: Svc, request: Request, campaign_id: FromPath[int],
              data: JSONBody[NewApplication]) -> ApplicationOut:
        """Record an application (the ID number is validated, GB 11643)."""
        as_of = today()
        with svc.db.transaction() as s:
            return application_out(store.apply(
                s, request.user, svc.policies, campaign_id, post_id=data.post_id, name=data.name,
                id_number=data.id_number, birth_date=data.birth_date, education=data.education,
                certificates=data.certificates, household_registration=data.household_registration,
                record_flags=data.record_flags, service_years=data.service_years,
                applied_on=data.applied_on or as_of, as_of=as_of, now=now(),
            ))

    @get("/{campaign_id:int}/applications", sync_to_thread=True)
    def applications(self, svc: Svc, request: Request, campaign_id: FromPath[int],
                     status: FromQuery[str | None] = None) -> list[ApplicationOut]:
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return [application_out(a) for a in store.applications_of(s, c.id, status)]

    @get("/{campaign_id:int}/applications/{application_id:int}", sync_to_thread=True)
    def application(self, svc: Svc, request: Request, campaign_id: FromPath[int],
                    application_id: FromPath[int]) -> ApplicationOut:
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return application_out(store.application(s, c, application_id))

    @post("/{campaign_id:int}/review", sync_to_thread=True, status_code=200)
    def review(self, svc: Svc, request: Request, campaign_id: FromPath[int]) -> list[ApplicationOut]:
        """Eligibility review (D-4): closes applications; every refusal gives its reasons."""
        with svc.db.transaction() as s:
            return [application_out(a) for a in store.review(s, request.user, svc.policies, campaign_id,
                                                               as_of=today(), now=now())]

    @put("/{campaign_id:int}/applications/{application_id:int}/scores", sync_to_thread=True)
    def scores(self, svc: Svc, request: Request, campaign_id: FromPath[int], application_id: FromPath[int],
               data: JSONBody[Scores]) -> ApplicationOut:
        """Enter a written and/or interview score (0 to the policy's maximum, two decimals)."""
        with svc.db.transaction() as s:
            return application_out(store.enter_scores(
                s, request.user, svc.policies, campaign_id, application_id, written=data.written,
                interview=data.interview, as_of=today(), now=now(),
            ))

    @post("/{campaign_id:int}/scores/csv", sync_to_thread=True, status_code=200)
    def upload_scores(self, svc: Svc, request: Request, campaign_id: FromPath[int], body: RawBody) -> UploadOut:
        """Upload scores as CSV (``Content-Type: text/csv``; UTF-8 or GB18030).

        Header: ``id_number`` (or ``application_id``), ``written`` and/or
        ``interview``; other columns are ignored. A bad row makes the whole
        file refused (422) with every bad row listed; nothing is written."""
        with svc.db.transaction() as s:
            return UploadOut(store.upload_scores(s, request.user, svc.policies, campaign_id, body,
                                                 as_of=today(), now=now()))

    @post("/{campaign_id:int}/applications/{application_id:int}/withdraw", sync_to_thread=True, status_code=200)
    def withdraw(self, svc: Svc, request: Request, campaign_id: FromPath[int], application_id: FromPath[int],
                 data: JSONBody[Withdrawal]) -> StepOut:
        """A candidate withdraws (or did not sit an exam); a chosen one's place passes on."""
        with svc.db.transaction() as s:
            a, nxt = store.withdraw(s, request.user, campaign_id, application_id, reason=data.reason,
                                    as_of=today(), now=now())
            c = store.campaign(s, request.user, campaign_id)
            return StepOut(application_out(a), application_out(nxt) if nxt else None, c.status)

    @post("/{campaign_id:int}/rank", sync_to_thread=True, status_code=200)
    def rank(self, svc: Svc, request: Request, campaign_id: FromPath[int]) -> list[PostRanking]:
        """Composite scores and the ranking per post (D-4); the first of each post are chosen."""
        with svc.db.transaction() as s:
            store.rank(s, request.user, svc.policies, campaign_id, as_of=today(), now=now())
            return ranking_out(s, store.campaign(s, request.user, campaign_id))

    @get("/{campaign_id:int}/ranking", sync_to_thread=True)
    def ranking(self, svc: Svc, request: Request, campaign_id: FromPath[int]) -> list[PostRanking]:
        with svc.db.read_session() as s:
            return ranking_out(s, store.campaign(s, request.user, campaign_id))

    @post("/{campaign_id:int}/applications/{application_id:int}/checks", sync_to_thread=True, status_code=200)
    def checks(self, svc: Svc, request: Request, campaign_id: FromPath[int], application_id: FromPath[int],
               data: JSONBody[Checks]) -> StepOut:
        """Physical exam and background check outcomes; a failure passes the place on."""
        as_of = today()
        with svc.db.transaction() as s:
            a, nxt = store.record_checks(
                s, request.user, campaign_id, application_id, physical_exam=data.physical_exam,
                background_check=data.background_check, checked_on=data.checked_on or as_of, note=data.note,
                as_of=as_of, now=now(),
            )
            c = store.campaign(s, request.user, campaign_id)
            return StepOut(application_out(a), application_out(nxt) if nxt else None, c.status)

    @post("/{campaign_id:int}/notices", sync_to_thread=True)
    def start_notice(self, svc: Svc, request: Request, campaign_id: FromPath[int],
                     data: JSONBody[NewNotice]) -> NoticeOut:
        """Start a public notice (公示) of the chosen, checked candidates; it ends
        after N working days (D-4, D-10)."""
        as_of = today()
        with svc.db.transaction() as s:
            n, candidates = store.start_notice(s, request.user, svc.policies, campaign_id,
                                               starts_on=data.starts_on or as_of, as_of=as_of, now=now())
            return notice_out(n, candidates, as_of)

    @get("/{campaign_id:int}/notices", sync_to_thread=True)
    def notices(self, svc: Svc, request: Request, campaign_id: FromPath[int]) -> list[NoticeOut]:
        as_of = today()
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            apps = store.applications_of(s, c.id)
            return [notice_out(n, [a for a in apps if a.notice_id == n.id], as_of) for n in store.notices_of(s, c.id)]

    @post("/{campaign_id:int}/objections", sync_to_thread=True)
    def lodge(self, svc: Svc, request: Request, campaign_id: FromPath[int],
              data: JSONBody[NewObjection]) -> ObjectionOut:
        """Record an objection to a candidate during their notice."""
        as_of = today()
        with svc.db.transaction() as s:
            return objection_out(store.lodge_objection(
                s, request.user, campaign_id, application_id=data.application_id,
                lodged_on=data.lodged_on or as_of, lodged_by=data.lodged_by, summary=data.summary,
                as_of=as_of, now=now(),
            ))

    @get("/{campaign_id:int}/objections", sync_to_thread=True)
    def objections(self, svc: Svc, request: Request, campaign_id: FromPath[int]) -> list[ObjectionOut]:
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return [objection_out(o) for o in store.objections_of(s, c.id)]

    @post("/{campaign_id:int}/objections/{objection_id:int}/resolve", sync_to_thread=True, status_code=200)
    def resolve(self, svc: Svc, request: Request, campaign_id: FromPath[int], objection_id: FromPath[int],
                data: JSONBody[Resolution]) -> ResolutionOut:
        """Uphold or dismiss; upheld removes the candidate and the next in rank takes the place."""
        as_of = today()
        with svc.db.transaction() as s:
            o, nxt = store.resolve_objection(
                s, request.user, campaign_id, objection_id, outcome=data.outcome, resolution=data.resolution,
                resolved_on=data.resolved_on or as_of, as_of=as_of, now=now(),
            )
            c = store.campaign(s, request.user, campaign_id)
            return ResolutionOut(objection_out(o), application_out(nxt) if nxt else None, c.status)

    @post("/{campaign_id:int}/hire", sync_to_thread=True)
    def hire(self, svc: Svc, request: Request, campaign_id: FromPath[int], data: JSONBody[Hiring]) -> HireOut:
        """Hire the candidates whose notice has ended with no open objection:
        workers on probation at the D-2 starting grade; worker.hired is published."""
        as_of = today()
        with svc.db.transaction() as s:
            r = store.hire(s, request.user, svc.policies, campaign_id, hired_on=data.hired_on or as_of,
                           as_of=as_of, now=now())
            c = store.campaign(s, request.user, campaign_id)
            return HireOut(
                [HiredOut(a.id, w.id, w.name, w.community_code, w.post, w.grade, w.hired_on, r.probation_ends_on)
                 for a, w in r.hired],
                [WaitingOut(a.id, why) for a, why in r.waiting],
                c.status,
            )

    @post("/{campaign_id:int}/cancel", sync_to_thread=True, status_code=200)
    def cancel(self, svc: Svc, request: Request, campaign_id: FromPath[int],
               data: JSONBody[Cancellation]) -> CampaignOut:
        with svc.db.transaction() as s:
            return campaign_out(s, store.cancel(s, request.user, campaign_id, reason=data.reason, as_of=today(),
                                                now=now()))

    @get("/{campaign_id:int}/history", sync_to_thread=True)
    def history(self, svc: Svc, request: Request, campaign_id: FromPath[int]) -> list[EventOut]:
        """Every step of the campaign, in order: who, when, from which state to which."""
        with svc.db.read_session() as s:
            c = store.campaign(s, request.user, campaign_id)
            return [event_out(e) for e in store.history(s, c.id)]


# --- postings ---------------------------------------------------------------------------------


class NewPosting(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["secondment", "exchange"]
    host_unit: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    starts_on: date
    ends_on: date | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class PostingOut(msgspec.Struct):
    id: int
    worker_id: int
    kind: str
    kind_zh: str
    clause: str
    host_unit: str
    starts_on: date
    ends_on: date | None
    note: str | None


def posting_out(p: Posting) -> PostingOut:
    zh, clause = rules.POSTING_KINDS[p.kind]
    return PostingOut(p.id, p.worker_id, p.kind, zh, clause, p.host_unit, p.starts_on, p.ends_on, p.note)


class PostingController(Controller):
    """Secondments (挂职锻炼, S4-8) and exchanges (异地交流, S3-8) on a worker's record."""

    path = "/workers/{worker_id:int}/postings"
    tags = ["workers"]

    @post("/", sync_to_thread=True, guards=[HR])
    def add_posting(self, svc: Svc, request: Request, worker_id: FromPath[int], data: JSONBody[NewPosting]) -> PostingOut:
        with svc.db.transaction() as s:
            return posting_out(store.add_posting(
                s, request.user, svc.policies, worker_id, kind=data.kind, host_unit=data.host_unit,
                starts_on=data.starts_on, ends_on=data.ends_on, note=data.note, now=now(),
            ))

    @get("/", sync_to_thread=True)
    def list_postings(self, svc: Svc, request: Request, worker_id: FromPath[int]) -> list[PostingOut]:
        """A worker's postings; a worker sees only their own (D-8)."""
        principal: Principal = request.user
        with svc.db.read_session() as s:
            return [posting_out(p) for p in store.postings_of(s, principal, worker_id)]


ROUTES = [CommunityController, CampaignController, PostingController]
