"""The shapes of training's policy figures, their keys and their seeded
defaults, each cited to its clause (docs/policy/CLAUSES.md)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from shared.policy import PolicyKey, PolicySeed
from training_service.rules.terms import CITY, LEADER_TALENT


class Category(msgspec.Struct, frozen=True):
    """One class of training (S2-2 7大类培训班)."""

    code: str
    name_zh: str
    name_en: str
    clause: str = "S2-2"


class CategoryTable(msgspec.Struct, frozen=True):
    classes: list[Category]

    def codes(self) -> list[str]:
        return [c.code for c in self.classes]


SEVEN_CLASSES = CategoryTable([
    Category("continuing", "社区工作者继续教育培训班", "Continuing-education class", "S2-2"),
    Category("advanced_practice", "实务高级研修班", "Advanced practice seminar", "S2-2"),
    Category("three_social", "“三社联动”培训班", "Three-social linkage class", "S2-2"),
    Category("induction", "岗前培训班", "Induction class", "D-6"),
    Category("leader_talent", "领军人才专项培训班", "Leader-talent class", "S2-6"),
    Category("party_school", "党校培训班", "Party-school class", "S4-15"),
    Category("degree", "社会工作大专学历班", "Social-work degree class", "S4-4"),
])
"""S2-2 names three of its seven classes; the other four are ours, each from the clause cited."""


class Eligibility(msgspec.Struct, frozen=True):
    """Who may enrol: any of ``posts`` (empty: every post) and, when
    ``designations`` is not empty, holding at least one of them."""

    posts: list[str] = []
    designations: list[str] = []


class TierEligibility(msgspec.Struct, frozen=True):
    tiers: dict[str, Eligibility]


TIER_ELIGIBILITY = TierEligibility({
    "induction": Eligibility(),
    "continuing": Eligibility(),
    "secretary_director": Eligibility(posts=["正职"]),
    "advanced_practice": Eligibility(),
    "three_social": Eligibility(),
    "leader_talent": Eligibility(designations=[LEADER_TALENT]),
    "degree": Eligibility(),
})


class CompletionRule(msgspec.Struct, frozen=True):
    """A seated worker completes when present on at least ``attendance_percent``
    of the session days and, if the course has one, passed its assessment."""

    attendance_percent: int = 80


class ObligationRule(msgspec.Struct, frozen=True):
    """D-6: induction within probation; ``days_per_year`` days of centralised
    training a year for ``leader_posts``; ``programmes`` programme(s) every
    ``every_years`` years for the other posts. A day is ``hours_per_day`` hours;
    only ``centralised_deliveries`` count toward the days."""

    probation_months: int = 6
    leader_posts: list[str] = msgspec.field(default_factory=lambda: ["正职"])
    days_per_year: int = 7
    hours_per_day: Decimal = Decimal(8)
    centralised_deliveries: list[str] = msgspec.field(default_factory=lambda: ["offline"])
    programmes: int = 1
    every_years: int = 2


class BudgetRule(msgspec.Struct, frozen=True):
    """S2-2 每一年投入150余万元: the year's training budget in fen."""

    annual_fen: int = 150_000_000


class AbroadRule(msgspec.Struct, frozen=True):
    """S2-3 每一年选派优秀社区工作者"出境学": places a year on the selection list."""

    places_per_year: int = 10


POLICY_KEYS: list[PolicyKey] = [
    PolicyKey("training_categories", CategoryTable, "S2-2", "The seven classes of training (S2-2 7大类培训班)"),
    PolicyKey("tier_eligibility", TierEligibility, "S2-2", "Who may enrol in each tier (S2-2 分层; S0-4; S2-6)"),
    PolicyKey("completion", CompletionRule, "D-6", "Attendance share needed to complete a session"),
    PolicyKey("training_obligations", ObligationRule, "D-6",
              "Induction, 7 days a year for 正职, one programme in 2 years"),
    PolicyKey("training_budget", BudgetRule, "S2-2", "The year's training budget in fen (S2-2 150余万元)"),
    PolicyKey("abroad_places", AbroadRule, "S2-3", "Places abroad a year (S2-3 出境学)"),
]

SEEDED_FROM = date(2004, 1, 1)
SEEDS: list[PolicySeed] = [
    PolicySeed("training_categories", CITY, SEEDED_FROM, SEVEN_CLASSES, "S2-2",
               "S2-2 names continuing, advanced practice, three-social; induction, leader talent, party school, "
               "degree from D-6, S2-6, S4-15, S4-4"),
    PolicySeed("tier_eligibility", CITY, SEEDED_FROM, TIER_ELIGIBILITY, "S2-2",
               "secretary/director tier for 正职 (S0-4); leader-talent tier for the designated (S2-6)"),
    PolicySeed("completion", CITY, SEEDED_FROM, CompletionRule(), "D-6", "design default: 80% of the session days"),
    PolicySeed("training_obligations", CITY, SEEDED_FROM, ObligationRule(), "D-6",
               "D-6; 8 hours a day and offline-only centralised training are ours; probation 6 months (D-4)"),
    PolicySeed("training_budget", CITY, SEEDED_FROM, BudgetRule(), "S2-2", "S2-2 每一年投入150余万元"),
    PolicySeed("abroad_places", CITY, SEEDED_FROM, AbroadRule(), "S2-3", "design default: 10 places a year"),
]
