"""D-4 scores: the certificate bonus, the composite and the ranking per post.

Scores are kept in hundredths of a point (87.35 -> 8735) so no float touches them.
"""
from __future__ import annotations

from fractions import Fraction

import msgspec

from hr_service.recruitment.rules.recruitment import RecruitmentRule
from shared.money import BP, round_half_up

HUNDREDTHS = 100


def certificate_bonus(certificates: list[str], rule: RecruitmentRule) -> tuple[int, str | None]:
    """D-4 加分: the bonus points of the applicant's best certificate (highest only)."""
    best: tuple[int, str | None] = (0, None)
    for c in certificates:
        points = rule.certificate_bonus.get(c, 0)
        if points > best[0]:
            best = (points, c)
    return best


def written_total(written: int, bonus_points: int) -> int:
    """D-4: the written score with the certificate bonus added (hundredths)."""
    return written + bonus_points * HUNDREDTHS


def composite(written: int, interview: int, bonus_points: int, rule: RecruitmentRule) -> int:
    """D-4 综合成绩 = (written + bonus) × written weight + interview × interview
    weight, in hundredths, rounded half-up."""
    return round_half_up(Fraction(
        written_total(written, bonus_points) * rule.written_weight_bp + interview * rule.interview_weight_bp, BP,
    ))


class Scored(msgspec.Struct, frozen=True):
    application_id: int
    composite: int
    written: int  # the exam score itself, without the certificate bonus
    interview: int


class Placed(msgspec.Struct, frozen=True):
    application_id: int
    rank: int
    selected: bool


class Ranking(msgspec.Struct, frozen=True):
    placed: list[Placed]
    tie_at_cutoff: list[int]  # applications fully tied across the last place


def rank_post(scored: list[Scored], places: int) -> Ranking:
    """D-4 排名: rank a post's candidates by composite score; ties go to the
    better written exam score (the exam's own, without the bonus: with the
    bonus the interview could never break a tie), then the better interview
    score. Candidates equal on all three share a rank; if such a group
    straddles the last place nobody in it is chosen by accident: the group is
    reported as ``tie_at_cutoff``."""
    def key(s: Scored) -> tuple[int, int, int]:
        return (-s.composite, -s.written, -s.interview)

    ordered = sorted(scored, key=lambda s: (key(s), s.application_id))
    placed: list[Placed] = []
    tie: list[int] = []
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and key(ordered[j]) == key(ordered[i]):
            j += 1
        group = ordered[i:j]
        if i < places < j:
            tie = [s.application_id for s in group]
        placed.extend(Placed(s.application_id, i + 1, j <= places) for s in group)
        i = j
    return Ranking(placed, tie)
