"""The recruitment API's shapes: msgspec Structs in and out, and the
conversions from rows (scores travel as hundredths, shown as points). The
communities' shapes are the section ``schemas_communities``."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec

from hr_service.recruitment import rules
from hr_service.recruitment.states import NoticeState
from hr_service.recruitment.tables import (
    Application,
    CampaignEvent,
    CampaignPost,
    Notice,
    Objection,
    Posting,
)
from shared.auth import Role, requires
from shared.types import Id, Name, Title

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Outcome = Literal["pass", "fail"]

READERS = requires(Role.hr_officer, Role.training_coordinator, Role.cert_officer)
HR = requires(Role.hr_officer)


def points(hundredths: int | None) -> Decimal | None:
    return None if hundredths is None else Decimal(hundredths).scaleb(-2)


class NewCampaign(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
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


class NewApplication(msgspec.Struct, forbid_unknown_fields=True):
    post_id: Id
    name: Name
    id_number: Annotated[str, msgspec.Meta(min_length=18, max_length=18)]
    birth_date: date
    education: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    household_registration: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    certificates: list[Annotated[str, msgspec.Meta(min_length=1, max_length=32)]] = []
    record_flags: list[Annotated[str, msgspec.Meta(min_length=1, max_length=64)]] = []
    service_years: Annotated[int, msgspec.Meta(ge=0, le=60)] = 0
    applied_on: date | None = None

    def __post_init__(self) -> None:
        self.name = self.name.strip()  # the name as on the ID card, without the spaces around it


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


class NewNotice(msgspec.Struct, forbid_unknown_fields=True):
    starts_on: date | None = None


class NoticeOut(msgspec.Struct):
    """A 公示: ``ends_on`` is ``working_days`` working days from ``starts_on`` (D-4, D-10)."""

    id: int
    starts_on: date
    ends_on: date
    working_days: int
    state: NoticeState  # on today's date
    hire_from: date
    candidates: list[ApplicationOut]


def notice_out(n: Notice, candidates: list[Application], as_of: date) -> NoticeOut:
    return NoticeOut(n.id, n.starts_on, n.ends_on, n.working_days, rules.notice_state(n.starts_on, n.ends_on, as_of),
                     rules.hire_from(n.ends_on), [application_out(a) for a in candidates])


class NewObjection(msgspec.Struct, forbid_unknown_fields=True):
    application_id: Id
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

