"""D-4 公开招考: the recruitment figures and who may sit the exam (S3-6)."""
from __future__ import annotations

from datetime import date

import msgspec

from shared.dates import full_years
from shared.money import BP

SOCIAL_WORK_CERTIFICATES = ("助理社会工作师", "社会工作师", "高级社会工作师")


class RecruitmentRule(msgspec.Struct, frozen=True):
    """D-4 公开招考: eligibility (age 18-35, up to 40 with a social-work
    certificate; 大专 or above; no disqualifying record), bonus points for
    certificates (highest only), composite weights, notice length in working
    days (D-10), probation and the no-transfer period."""

    min_age: int = 18
    max_age: int = 35
    max_age_with_certificate: int = 40
    age_extending_certificates: list[str] = msgspec.field(default_factory=lambda: list(SOCIAL_WORK_CERTIFICATES))
    education_levels: dict[str, int] = msgspec.field(default_factory=lambda: {
        "初中": 1, "高中": 2, "中专": 2, "大专": 3, "本科": 4, "硕士": 5, "博士": 6,
    })
    min_education: str = "大专"
    disqualifying_records: dict[str, str] = msgspec.field(default_factory=lambda: {
        "criminal_record": "受过刑事处罚",
        "expelled_from_party": "被开除中国共产党党籍",
        "dismissed_from_public_office": "被开除公职",
        "exam_misconduct": "在招录考试中有舞弊等严重违纪行为",
    })
    household_registration_prefixes: list[str] = msgspec.field(default_factory=list)  # empty: any
    certificate_bonus: dict[str, int] = msgspec.field(default_factory=lambda: {
        "助理社会工作师": 10, "社会工作师": 15, "高级社会工作师": 15,
    })
    max_score: int = 100
    written_weight_bp: int = 5_000
    interview_weight_bp: int = 5_000
    notice_working_days: int = 5
    probation_months: int = 6
    no_transfer_years: int = 3

    def __post_init__(self) -> None:
        if self.written_weight_bp + self.interview_weight_bp != BP:
            raise ValueError("written_weight_bp + interview_weight_bp must be 10000")
        if self.min_education not in self.education_levels:
            raise ValueError("min_education must be one of education_levels")
        if self.notice_working_days < 1:
            raise ValueError("notice_working_days must be at least 1")


class Applicant(msgspec.Struct, frozen=True):
    birth_date: date
    education: str
    certificates: list[str]
    household_registration: str
    record_flags: list[str]


class Ineligibility(msgspec.Struct, frozen=True):
    """One reason an applicant is not eligible, with the field and clause."""

    code: str
    field: str
    clause: str
    reason: str
    reason_zh: str


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years (周岁) on ``day``."""
    return full_years(birth_date, day)


def _age_refusals(applicant: Applicant, rule: RecruitmentRule, as_of: date) -> list[Ineligibility]:
    age = age_on(applicant.birth_date, as_of)
    certified = any(c in rule.age_extending_certificates for c in applicant.certificates)
    if age < rule.min_age:
        return [Ineligibility(
            "too_young", "birth_date", "D-4",
            f"Aged {age} on {as_of}; the minimum age is {rule.min_age}.",
            f"截至{as_of}年龄{age}周岁，低于{rule.min_age}周岁。",
        )]
    limit = rule.max_age_with_certificate if certified else rule.max_age
    if age <= limit:
        return []
    if certified:
        en = f"Aged {age} on {as_of}; the maximum age is {limit} with a social-work certificate."
        zh = f"截至{as_of}年龄{age}周岁，持社会工作者职业资格证书者不超过{limit}周岁。"
    else:
        en = (f"Aged {age} on {as_of}; the maximum age is {rule.max_age}, "
              f"or {rule.max_age_with_certificate} with a social-work certificate.")
        zh = (f"截至{as_of}年龄{age}周岁，超过{rule.max_age}周岁"
              f"（持社会工作者职业资格证书者可放宽至{rule.max_age_with_certificate}周岁）。")
    return [Ineligibility("too_old", "birth_date", "D-4", en, zh)]


def eligibility(applicant: Applicant, rule: RecruitmentRule, as_of: date) -> list[Ineligibility]:
    """D-4 (S3-6 年龄结构、文化层次): every reason the applicant is refused, none
    when eligible. Age is counted on ``as_of`` (the campaign's announcement)."""
    refusals = _age_refusals(applicant, rule, as_of)
    level = rule.education_levels.get(applicant.education, 0)
    if level < rule.education_levels[rule.min_education]:
        refusals.append(Ineligibility(
            "education_below_minimum", "education", "D-4",
            f"Education {applicant.education} is below the minimum, {rule.min_education}.",
            f"学历“{applicant.education}”低于{rule.min_education}。",
        ))
    for flag in applicant.record_flags:
        if flag in rule.disqualifying_records:
            refusals.append(Ineligibility(
                "disqualifying_record", "record_flags", "D-4",
                f"Disqualifying record: {flag} ({rule.disqualifying_records[flag]}).",
                f"有不得报考的情形：{rule.disqualifying_records[flag]}。",
            ))
    prefixes = rule.household_registration_prefixes
    if prefixes and not any(applicant.household_registration.startswith(p) for p in prefixes):
        refusals.append(Ineligibility(
            "household_registration", "household_registration", "D-4",
            f"Household registration {applicant.household_registration} is not one of: {', '.join(prefixes)}.",
            f"户籍“{applicant.household_registration}”不符合报考条件。",
        ))
    return refusals
