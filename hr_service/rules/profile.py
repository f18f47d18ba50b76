"""A worker's record complete enough to serve: gender, ethnicity, political
status, contacts, emergency contact and education history, every field
optional and validated where given; and who sees it in full (D-8).

Pure: values in, refusals out (every refusal, each naming its field), no
clock (``today`` is an argument).

- ``check_profile``: the personal fields (GB 3304 ethnicities, GB/T 4762
  political status, the gender the ID number carries, a party membership
  from the 18th birthday, phone and e-mail shapes, the emergency contact whole).
- ``check_education``: the education history rows.
- ``sees_in_full`` and ``masked``: D-8, ID numbers and contacts are masked
  except for HR of the worker's jurisdiction and the worker themselves.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import msgspec

from hr_service.rules.scale import StartingGradeRule
from shared import idcard
from shared.auth import Principal, Role
from shared.errors import Refusal
from shared.masking import mask

GENDERS = ("male", "female")

ETHNICITIES = (  # GB 3304, in the standard's order, and 其他
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
    "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族",
    "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族",
    "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族",
    "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    "其他",
)

POLITICAL_STATUSES = (  # GB/T 4762
    "中共党员", "中共预备党员", "共青团员", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员",
    "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "群众",
)
PARTY_MEMBERS = ("中共党员", "中共预备党员")

QUALIFICATIONS = ("高中", "中专", *StartingGradeRule().education_years)  # the pay rule's (D-2) and below

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
EMERGENCY = ("emergency_contact_name", "emergency_contact_relation", "emergency_contact_phone")
CONTACTS = ("phone", "email", "address", *EMERGENCY)  # what a worker may change on their own record
PROFILE_FIELDS = ("gender", "ethnicity", "political_status", "party_member_since", *CONTACTS)


class Profile(msgspec.Struct, frozen=True):
    """The optional personal fields of a worker's record."""

    gender: str | None = None
    ethnicity: str | None = None
    political_status: str | None = None
    party_member_since: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_relation: str | None = None
    emergency_contact_phone: str | None = None


class Education(msgspec.Struct, frozen=True):
    """One qualification of the education history."""

    qualification: str
    school: str
    graduated_year: int
    major: str | None = None
    full_time: bool = True


def gender_of(id_number: str | None) -> str | None:
    """The gender the ID number's 17th digit carries (odd male, GB 11643), None when it is not valid."""
    if id_number is None:
        return None
    try:
        return "male" if idcard.parse(id_number).sex == "M" else "female"
    except idcard.InvalidIdNumber:
        return None


def _not_one_of(field: str, value: str, allowed: Sequence[str], standard: str) -> Refusal:
    return Refusal(f"invalid_{field}", f"{field} '{value}' is not one of {standard}: {', '.join(allowed)}.",
                   f"{field}“{value}”不是{standard}规定的取值。", field)


def _party_refusals(p: Profile, birth_date: date | None, today: date) -> list[Refusal]:
    since = p.party_member_since
    if since is None:
        return []
    if p.political_status not in PARTY_MEMBERS:
        return [Refusal("party_member_since_without_membership",
                        "party_member_since is given only for a 中共党员 or 中共预备党员.",
                        "仅中共党员或中共预备党员填写入党时间。", "party_member_since")]
    if since > today:
        return [Refusal("date_in_future", f"party_member_since {since} is after today ({today}).",
                        f"入党时间（{since}）晚于今天（{today}）。", "party_member_since")]
    if birth_date is not None:
        adult = date(birth_date.year + 18, birth_date.month, 28 if (birth_date.month, birth_date.day) == (2, 29)
                     else birth_date.day)
        if since < adult:
            return [Refusal("party_member_too_young", f"party_member_since {since} is before the 18th birthday "
                            f"({adult}).", f"入党时间（{since}）早于年满18周岁之日（{adult}）。", "party_member_since")]
    return []


def _contact_refusals(p: Profile) -> list[Refusal]:
    out: list[Refusal] = []
    for field in ("phone", "emergency_contact_phone"):
        value = getattr(p, field)
        if value is not None and not PHONE.match(value):
            out.append(Refusal("invalid_phone", f"{field} '{value}' is neither a mainland mobile (1[3-9] and nine "
                               "digits) nor a landline (0, area code, number).",
                               f"{field}“{value}”不是有效的手机号码或固定电话号码。", field))
    if p.email is not None and not EMAIL.match(p.email):
        out.append(Refusal("invalid_email", f"email '{p.email}' is not an e-mail address.",
                           f"电子邮箱“{p.email}”格式不正确。", "email"))
    given = [f for f in EMERGENCY if getattr(p, f) not in (None, "")]
    if given and len(given) < len(EMERGENCY):
        missing = next(f for f in EMERGENCY if f not in given)
        out.append(Refusal("emergency_contact_incomplete", "An emergency contact has a name, a relation and a "
                           f"phone together; {missing} is missing.", "紧急联系人须同时填写姓名、关系和电话。", missing))
    return out


def birth_of(id_number: str | None) -> date | None:
    """The birth date the ID number carries, None when it is not valid."""
    try:
        return idcard.parse(id_number).birth_date if id_number is not None else None
    except idcard.InvalidIdNumber:
        return None


def check_profile(p: Profile, *, id_number: str | None, today: date, birth_date: date | None = None) -> list[Refusal]:
    """Every reason the profile is refused, each naming its field (none: it
    may be saved); the birth date is the ID number's unless given."""
    out: list[Refusal] = []
    birth_date = birth_date or birth_of(id_number)
    if p.gender is not None:
        carried = gender_of(id_number)
        if p.gender not in GENDERS:
            out.append(_not_one_of("gender", p.gender, GENDERS, "male|female"))
        elif carried is not None and carried != p.gender:
            out.append(Refusal("gender_mismatch", f"The ID number says the gender is {carried}.",
                               f"身份证号码显示性别为{'男' if carried == 'male' else '女'}。", "gender"))
    if p.ethnicity is not None and p.ethnicity not in ETHNICITIES:
        out.append(_not_one_of("ethnicity", p.ethnicity, ETHNICITIES, "GB 3304"))
    if p.political_status is not None and p.political_status not in POLITICAL_STATUSES:
        out.append(_not_one_of("political_status", p.political_status, POLITICAL_STATUSES, "GB/T 4762"))
    return out + _party_refusals(p, birth_date, today) + _contact_refusals(p)


def completed(p: Profile, id_number: str | None) -> Profile:
    """The profile with the gender the ID number carries when none is given."""
    return p if p.gender is not None else msgspec.structs.replace(p, gender=gender_of(id_number))


def check_education(rows: Sequence[Education], *, birth_date: date | None, today: date,
                    field: str = "education") -> list[Refusal]:
    """Every reason the education history is refused (``education[1].graduated_year``)."""
    out: list[Refusal] = []
    first = birth_date.year + 14 if birth_date is not None else 1900
    for i, row in enumerate(rows):
        at = f"{field}[{i}]"
        if row.qualification not in QUALIFICATIONS:
            out.append(Refusal("invalid_qualification", f"qualification '{row.qualification}' is not one of "
                               f"{', '.join(QUALIFICATIONS)} (D-2).", f"学历“{row.qualification}”不是可用取值。",
                               f"{at}.qualification", "D-2"))
        if not row.school.strip():
            out.append(Refusal("school_required", "school is not empty.", "学校名称不能为空。", f"{at}.school"))
        if not first <= row.graduated_year <= today.year:
            out.append(Refusal("invalid_graduated_year", f"graduated_year {row.graduated_year} is not between "
                               f"{first} (14 after the birth year) and {today.year}.",
                               f"毕业年份 {row.graduated_year} 须在 {first} 至 {today.year} 之间。",
                               f"{at}.graduated_year"))
    return out


# --- who sees the record in full (D-8) ---------------------------------------------

HR_ROLES = frozenset({Role.admin, Role.hr_officer})


def sees_in_full(principal: Principal, jurisdiction: str, worker_id: int) -> bool:
    """D-8: ID numbers and contacts in full for HR (or an admin) whose
    jurisdiction covers the worker's, and for the worker themselves."""
    if principal.role is Role.worker:
        return principal.worker_id == worker_id
    return principal.role in HR_ROLES and principal.covers(jurisdiction)


MASKED_AS = {"id_number": "id_number", "phone": "phone", "email": "email", "address": "address",
             "emergency_contact_phone": "phone"}


def masked(values: dict[str, str | None]) -> dict[str, str | None]:
    """``values`` with the ID number and contacts masked (``shared.masking.mask``); other keys as given."""
    return {k: mask(MASKED_AS[k], v) if k in MASKED_AS else v for k, v in values.items()}  # type: ignore[arg-type]
