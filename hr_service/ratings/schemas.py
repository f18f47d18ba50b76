"""Community ratings' shapes in and out (S1-4). Scores go in as points (0–100,
to the hundredth) and come out as decimal strings ("85.60")."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from hr_service.ratings import rules
from hr_service.ratings.tables import (
    CommunityRating,
    RatingApplication,
    RatingObjection,
    RatingReviewer,
    RatingRound,
    RatingScore,
)
from shared.types import Id, Name, Title, Year

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Path = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]


class CommunityRatingOut(msgspec.Struct):
    """A community's result (S1-4): its level and stars for a year, from a round, in force from a day."""

    year: int
    level: str
    stars: int | None
    round_id: int
    effective_from: date


def rating_out(x: CommunityRating) -> CommunityRatingOut:
    return CommunityRatingOut(x.year, x.level, x.stars, x.round_id, x.effective_from)


class NewRound(msgspec.Struct, forbid_unknown_fields=True):
    year: Year
    jurisdiction: Path  # a district (hangzhou.gongshu) or a street (hangzhou.gongshu.hushu)
    title: Title
    opened_on: date | None = None  # default today; the policy in force that day applies


class NoticeOut(msgspec.Struct):
    """The 公示: N working days (D-10) from ``starts_on`` to ``ends_on``; ``state`` as of today."""

    starts_on: date
    ends_on: date
    working_days: int
    state: str


class RoundOut(msgspec.Struct):
    id: int
    year: int
    jurisdiction: str
    title: str
    opened_on: date
    status: str
    notice: NoticeOut | None
    finalised_on: date | None
    applications: dict[str, int]  # how many by status
    clause: str = rules.CLAUSE


def round_out(r: RatingRound, counts: dict[str, int], as_of: date) -> RoundOut:
    stage = rules.notice_stage(r.notice_starts_on, r.notice_ends_on, as_of)
    notice = None
    if stage is not None and r.notice_starts_on and r.notice_ends_on:
        notice = NoticeOut(r.notice_starts_on, r.notice_ends_on, r.notice_working_days or 0, stage.value)
    return RoundOut(r.id, r.year, r.jurisdiction, r.title, r.opened_on, r.status, notice, r.finalised_on, counts)


class NewApplication(msgspec.Struct, forbid_unknown_fields=True):
    community_code: Code
    level: Annotated[str, msgspec.Meta(min_length=1, max_length=8)]  # 规范, 星级 or 花园
    stars: int | None = None  # 星级 only: 1..5
    applied_on: date | None = None  # default today


def points_text(hundredths: int | None) -> str | None:
    return None if hundredths is None else f"{Decimal(hundredths) / 100:.2f}"


class ApplicationOut(msgspec.Struct):
    """``score`` is the mean of the panel's marks (trimmed as the policy says),
    rounded half-up to the hundredth; ``rank`` is within the level."""

    id: int
    round_id: int
    community_code: str
    level: str
    stars: int | None
    status: str
    applied_on: date
    score: str | None
    rank: int | None
    reason: str | None


def application_out(a: RatingApplication) -> ApplicationOut:
    return ApplicationOut(a.id, a.round_id, a.community_code, a.level, a.stars, a.status, a.applied_on,
                          points_text(a.score_h), a.rank, a.reason)


class Withdrawal(msgspec.Struct, forbid_unknown_fields=True):
    reason: Text


class NewReviewer(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    account: Name | None = None


class ReviewerOut(msgspec.Struct):
    id: int
    name: str
    account: str | None


def reviewer_out(v: RatingReviewer) -> ReviewerOut:
    return ReviewerOut(v.id, v.name, v.account)


class ScoreSheet(msgspec.Struct, forbid_unknown_fields=True):
    """One reviewer's scores for one application: each criterion of the policy, 0–100."""

    reviewer_id: Id
    scores: dict[str, int | float]


class ScoreOut(msgspec.Struct):
    """``mark`` = Σ score × weight / 100, rounded half-up to the hundredth for display."""

    application_id: int
    reviewer_id: int
    scores: dict[str, str]
    mark: str


def score_out(x: RatingScore, criteria: dict[str, int]) -> ScoreOut:
    shown = {k: points_text(v) or "" for k, v in x.scores.items()}
    mark = rules.mark(x.scores, criteria) if set(x.scores) == set(criteria) else None
    return ScoreOut(x.application_id, x.reviewer_id, shown, f"{rules.points(mark):.2f}" if mark is not None else "")


class LevelRanking(msgspec.Struct):
    level: str
    pass_mark: int
    applications: list[ApplicationOut]


class RankingOut(msgspec.Struct):
    round_id: int
    status: str
    levels: list[LevelRanking]
    clause: str = rules.CLAUSE


def ranking_out(r: RatingRound, apps: list[RatingApplication], rule: rules.RatingRule) -> RankingOut:
    levels = []
    for lv in rules.RatingLevel:
        mine = sorted((a for a in apps if a.level == lv.value and a.rank is not None), key=lambda a: (a.rank, a.id))
        if mine:
            levels.append(LevelRanking(lv.value, rule.pass_marks[lv.value], [application_out(a) for a in mine]))
    return RankingOut(r.id, r.status, levels)


class NewNotice(msgspec.Struct, forbid_unknown_fields=True):
    starts_on: date | None = None  # default today


class NewObjection(msgspec.Struct, forbid_unknown_fields=True):
    application_id: Id
    summary: Text
    lodged_on: date | None = None  # default today
    lodged_by: Name | None = None


class ObjectionOut(msgspec.Struct):
    id: int
    round_id: int
    application_id: int
    lodged_on: date
    lodged_by: str | None
    summary: str
    status: str
    resolution: str | None
    resolved_on: date | None


def objection_out(o: RatingObjection) -> ObjectionOut:
    return ObjectionOut(o.id, o.round_id, o.application_id, o.lodged_on, o.lodged_by, o.summary, o.status,
                        o.resolution, o.resolved_on)


class Resolution(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Literal["upheld", "dismissed"]
    resolution: Text
    resolved_on: date | None = None  # default today


class ResolutionOut(msgspec.Struct):
    objection: ObjectionOut
    application: ApplicationOut


class Finalisation(msgspec.Struct, forbid_unknown_fields=True):
    finalised_on: date | None = None  # default today


class FinalOut(msgspec.Struct):
    round: RoundOut
    results: list[CommunityRatingOut]


class SummaryOut(msgspec.Struct):
    """Communities rated in ``year`` per level (and stars) per district or street (S1-4)."""

    year: int
    by: str
    units: list[rules.UnitCount]
    totals: dict[str, int]
    clause: str = rules.CLAUSE
