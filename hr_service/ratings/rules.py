"""Community ratings (S1-4): pure policy, no I/O, no clock.

S1-4 创建"规范、星级、花园"社区…陈述答辩评审会,经过激烈角逐,排出了各个类别的先后排名,
然后向社会公示,征求群众意见和建议: each year communities apply for a level — 规范
(standard), 星级 (starred, with a star count), 花园 (garden); a panel scores a
presentation and defence; communities are ranked per level; the results are
publicly announced (公示) for comment before they stand.

The clause names no figure, so the policy key ``community_rating`` carries
them all (the seeded ones are illustrative):

- the criteria and their weights in percent (陈述 40, 答辩 60), summing to 100;
- each reviewer scores each criterion 0–100 (to the hundredth); a reviewer's
  mark is the weighted sum Σ score × weight / 100;
- an application's score is the mean of its reviewers' marks, the highest and
  the lowest mark dropped when ``trim_from`` or more reviewers scored (0: never);
  it is kept exact (a fraction) for the pass mark and the ranking, and shown
  rounded half-up to the hundredth;
- a pass mark per level: a score at or above it is proposed (a score equal to
  the pass mark passes);
- the ranking is per level, by score; equal scores share a rank and the next
  rank skips (1, 1, 3), listed by application number within the tie;
- the ladder: a level may require an earlier one held from an earlier year
  (星级 needs 规范, 花园 needs 星级); holding a higher level counts;
- the panel needs ``min_reviewers`` reviewers, each scoring every application;
- the 公示 lasts ``notice_working_days`` working days (D-10).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

import msgspec

from hr_service.recruitment.rules import notice_ends_on, notice_state
from hr_service.recruitment.states import NoticeState
from hr_service.rules import CITY
from shared.auth import Level, level_of
from shared.errors import Refusal, in_future
from shared.levels import unit_of
from shared.policy import PolicyKey, PolicySeed
from shared.workdays import WorkCalendar

CLAUSE = "S1-4"
KEY = "community_rating"


class RatingLevel(StrEnum):
    """S1-4's three levels, lowest first."""

    standard = "规范"
    starred = "星级"
    garden = "花园"


ORDER = {lv.value: i for i, lv in enumerate(RatingLevel)}


class RatingRule(msgspec.Struct, frozen=True):
    """S1-4's figures (illustrative: the clause names none)."""

    criteria: dict[str, int] = msgspec.field(default_factory=lambda: {"陈述": 40, "答辩": 60})
    pass_marks: dict[str, int] = msgspec.field(default_factory=lambda: {"规范": 60, "星级": 75, "花园": 85})
    ladder: dict[str, str] = msgspec.field(default_factory=lambda: {"星级": "规范", "花园": "星级"})
    min_reviewers: int = 5
    trim_from: int = 5
    max_stars: int = 5
    notice_working_days: int = 5


def _bad_rule(detail: str, detail_zh: str) -> Refusal:
    return Refusal("rating_policy_invalid", f"The community_rating policy in force is not usable: {detail}.",
                   f"现行社区创建评审政策参数无效：{detail_zh}。", "policy", CLAUSE, 409)


def check_rule(rule: RatingRule) -> Refusal | None:
    """The policy's figures make sense: weights positive and summing to 100,
    a pass mark 0–100 for every level, a ladder over known levels."""
    if not rule.criteria or any(w <= 0 for w in rule.criteria.values()) or sum(rule.criteria.values()) != 100:
        return _bad_rule(f"criteria weights {rule.criteria} must be positive and sum to 100",
                         f"评审项目权重 {rule.criteria} 须为正数且合计 100")
    if set(rule.pass_marks) != set(ORDER) or any(not 0 <= m <= 100 for m in rule.pass_marks.values()):
        return _bad_rule("a pass mark 0–100 is needed for each of 规范, 星级, 花园",
                         "规范、星级、花园须各有 0–100 的合格分")
    if any(k not in ORDER or v not in ORDER or ORDER[v] >= ORDER[k] for k, v in rule.ladder.items()):
        return _bad_rule("the ladder must lead from a level to a lower one", "晋级条件须由较高等级指向较低等级")
    if rule.min_reviewers < 1 or rule.max_stars < 1 or rule.notice_working_days < 1 or rule.trim_from in (1, 2):
        return _bad_rule("reviewers, stars and notice days must be at least 1; trim_from 0 or at least 3",
                         "评委人数、星数、公示天数至少为 1；去掉最高最低分的人数须为 0 或不少于 3")
    return None


def round_jurisdiction(jurisdiction: str) -> Refusal | None:
    """A round belongs to a district or a street (D-17), not a city."""
    if level_of(jurisdiction) in (Level.district, Level.street):
        return None
    return Refusal("rating_jurisdiction_level", f"A rating round is held by a district or a street; "
                   f"'{jurisdiction}' is a {level_of(jurisdiction).value}.",
                   f"社区创建评审由区或街道组织，“{jurisdiction}”不是区或街道。", "jurisdiction", CLAUSE)


# --- applying --------------------------------------------------------------------------


def check_level(level: str, stars: int | None, rule: RatingRule) -> Refusal | None:
    """规范 and 花园 carry no stars; 星级 carries 1..max_stars."""
    if level not in ORDER:
        return Refusal("unknown_rating_level", f"level must be one of 规范, 星级, 花园; '{level}' is not.",
                       f"创建等级须为规范、星级或花园（“{level}”不是）。", "level", CLAUSE)
    if level == RatingLevel.starred:
        if stars is None or not 1 <= stars <= rule.max_stars:
            return Refusal("stars_required", f"星级 needs a star count 1..{rule.max_stars}; {stars} is not.",
                           f"星级社区须申报 1–{rule.max_stars} 星（{stars} 无效）。", "stars", CLAUSE)
    elif stars is not None:
        return Refusal("stars_not_allowed", f"Only 星级 carries stars; {level} does not.",
                       f"只有星级社区申报星数，{level}不申报。", "stars", CLAUSE)
    return None


def prerequisite(level: str, year: int, held: Iterable[tuple[int, str]], rule: RatingRule) -> Refusal | None:
    """The ladder: ``level`` may need another held from an earlier year (a
    higher one counts). ``held`` are the community's results as (year, level)."""
    needed = rule.ladder.get(level)
    if needed is None or any(y < year and ORDER[lv] >= ORDER[needed] for y, lv in held):
        return None
    return Refusal("rating_prerequisite", f"Applying for {level} needs {needed} held from a year before {year}.",
                   f"申报{level}社区须在{year}年以前已获评{needed}社区。", "level", CLAUSE, 409,
                   extra={"needs": needed})


# --- the panel's scores --------------------------------------------------------------------


def parse_scores(raw: Mapping[str, object], rule: RatingRule) -> dict[str, int] | Refusal:
    """A reviewer's scores, criterion by criterion, 0–100 to the hundredth →
    hundredths of a point. Every criterion of the policy, and only those."""
    if set(raw) != set(rule.criteria):
        return Refusal("criteria_mismatch", f"Score exactly the criteria {sorted(rule.criteria)}; got {sorted(raw)}.",
                       f"须对评审项目 {sorted(rule.criteria)} 逐项打分。", "scores", CLAUSE)
    out: dict[str, int] = {}
    for name, value in raw.items():
        try:
            d = Decimal(str(value)) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite() or not Decimal(0) <= d <= Decimal(100) or d != d.quantize(Decimal("0.01")):
            return Refusal("score_out_of_range",
                           f"The score for {name} must be 0–100 to the hundredth; {value} is not.",
                           f"{name}得分须在 0–100 之间（最多两位小数），{value} 无效。", f"scores.{name}", CLAUSE)
        out[name] = int(d * 100)
    return out


def mark(scores_h: Mapping[str, int], criteria: Mapping[str, int]) -> Fraction:
    """One reviewer's mark in points: Σ score × weight / 100 (exact)."""
    return Fraction(sum(scores_h[c] * w for c, w in criteria.items()), 100 * 100)


def score(marks: list[Fraction], trim_from: int) -> Fraction:
    """The mean of the reviewers' marks, the highest and the lowest dropped when
    ``trim_from`` (> 0) or more reviewers scored (exact)."""
    if not marks:
        raise ValueError("no marks")
    kept = sorted(marks)
    if trim_from and len(kept) >= trim_from:
        kept = kept[1:-1]
    return sum(kept, Fraction(0)) / len(kept)


def points(value: Fraction) -> Decimal:
    """The score shown: rounded half-up to the hundredth."""
    hundredths = value * 100
    whole = hundredths.numerator // hundredths.denominator
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole) / 100


def missing_scores(applications: Iterable[int], reviewers: Iterable[int],
                   have: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """(application, reviewer) pairs with no scores yet."""
    return [(a, r) for a in applications for r in reviewers if (a, r) not in have]


# --- the ranking ---------------------------------------------------------------------------


class Scored(msgspec.Struct, frozen=True):
    application_id: int
    level: str
    score: Fraction


class Ranked(msgspec.Struct, frozen=True):
    application_id: int
    level: str
    score: Fraction
    rank: int
    passed: bool


def rank(entries: Iterable[Scored], rule: RatingRule) -> list[Ranked]:
    """Per level, by score (highest first); equal scores share a rank, the next
    skips; within a tie by application number. At or above the level's pass mark passes."""
    out: list[Ranked] = []
    by_level: dict[str, list[Scored]] = {}
    for e in entries:
        by_level.setdefault(e.level, []).append(e)
    for level in sorted(by_level, key=lambda lv: ORDER[lv]):
        ordered = sorted(by_level[level], key=lambda e: (-e.score, e.application_id))
        prev: Fraction | None = None
        place = 0
        for i, e in enumerate(ordered, start=1):
            if e.score != prev:
                place, prev = i, e.score
            out.append(Ranked(e.application_id, level, e.score, place, e.score >= rule.pass_marks[level]))
    return out


# --- the 公示 and the results --------------------------------------------------------------


def notice_ends(starts_on: date, rule: RatingRule, cal: WorkCalendar) -> date:
    """S1-4 公示 of ``notice_working_days`` working days from ``starts_on``, counted
    as recruitment's (D-4) on the D-10 calendar, refused for a year not loaded."""
    return notice_ends_on(starts_on, rule.notice_working_days, cal)


def notice_stage(starts_on: date | None, ends_on: date | None, as_of: date) -> NoticeState | None:
    """Where the round's 公示 stands today (none before it starts)."""
    return None if starts_on is None or ends_on is None else notice_state(starts_on, ends_on, as_of)


def finalise_refusal(ends_on: date, open_objections: int, finalised_on: date, as_of: date) -> Refusal | None:
    """S1-4: results stand after the 公示 — from the day after it ends, with no objection open."""
    if finalised_on > as_of:
        return Refusal.of(in_future("finalised_on", finalised_on, as_of, clause=CLAUSE))
    if finalised_on <= ends_on:
        return Refusal("notice_not_ended", f"The public notice runs until {ends_on}; the results stand after it.",
                       f"公示期至{ends_on}，公示期满后方可确定结果。", "finalised_on", CLAUSE, 409,
                       extra={"ends_on": ends_on.isoformat()})
    if open_objections:
        return Refusal("objection_open", f"{open_objections} objection(s) are open; resolve them first.",
                       f"尚有{open_objections}项异议未处理，处理后方可确定结果。", "objections", CLAUSE, 409)
    return None


class UnitCount(msgspec.Struct):
    """Communities of one unit rated at each level in a year (S1-4 statistics)."""

    unit: str
    counts: dict[str, int]
    stars: dict[str, int]
    total: int


def summarise(results: Iterable[tuple[str, str, int | None]], by: str) -> list[UnitCount]:
    """(community jurisdiction, level, stars) → counts per level per unit, units in order."""
    units: dict[str, UnitCount] = {}
    for jurisdiction, level, stars in results:
        u = unit_of(jurisdiction, by)
        row = units.setdefault(u, UnitCount(u, {lv.value: 0 for lv in RatingLevel}, {}, 0))
        row.counts[level] = row.counts.get(level, 0) + 1
        if stars is not None:
            row.stars[str(stars)] = row.stars.get(str(stars), 0) + 1
        row.total += 1
    return [units[u] for u in sorted(units)]


POLICY_KEYS: list[PolicyKey] = [
    PolicyKey(KEY, RatingRule, CLAUSE, "Community ratings: criteria weights, pass marks per level, the ladder, "
              "the panel's size and trimming, the stars, the 公示's working days (S1-4)"),
]

SEEDS: list[PolicySeed] = [
    PolicySeed(KEY, CITY, date(2004, 1, 1), RatingRule(), CLAUSE,
               "S1-4 创建\"规范、星级、花园\"社区…陈述答辩评审会…排出了各个类别的先后排名,然后向社会公示; the weights "
               "(陈述 40%, 答辩 60%), pass marks, panel of 5 with the highest and lowest dropped, and the 5 working "
               "days of 公示 (as D-4) are illustrative: the clause names none"),
]
