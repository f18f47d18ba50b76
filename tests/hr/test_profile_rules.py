"""``hr_service.rules.profile`` and ``shared.masking``: the record's fields
checked where given, and the one masking function (D-8)."""
from __future__ import annotations

from datetime import date

from hr_service.rules.profile import (
    ETHNICITIES,
    POLITICAL_STATUSES,
    Education,
    Profile,
    check_education,
    check_profile,
    completed,
    sees_in_full,
)
from shared import idcard
from shared.auth import Principal, Role
from shared.masking import mask

TODAY = date(2025, 6, 1)
MAN = idcard.make("330106", date(1990, 2, 28), 1)


def fields(refusals) -> list[str]:
    return [r.field for r in refusals]


def test_the_standard_lists_have_their_sizes():
    assert len(ETHNICITIES) == 57 and ETHNICITIES[0] == "汉族" and ETHNICITIES[-1] == "其他"
    assert len(POLITICAL_STATUSES) == 13 and "群众" in POLITICAL_STATUSES


def test_an_empty_profile_passes_and_takes_the_gender_of_the_id_number():
    assert check_profile(Profile(), id_number=MAN, today=TODAY) == []
    assert completed(Profile(), MAN).gender == "male"


def test_every_bad_field_is_named():
    p = Profile(gender="female", ethnicity="x族", political_status="党员", phone="1234", email="a@b",
                emergency_contact_name="张")
    assert fields(check_profile(p, id_number=MAN, today=TODAY)) == [
        "gender", "ethnicity", "political_status", "phone", "email", "emergency_contact_relation"]


def test_phones_mobile_and_landline():
    for ok in ("13812345678", "19900000000", "0571-88001234", "057188001234", "010-1234567"):
        assert check_profile(Profile(phone=ok), id_number=None, today=TODAY) == [], ok
    for bad in ("12812345678", "1381234567", "571-88001234", "0571-123"):
        assert fields(check_profile(Profile(phone=bad), id_number=None, today=TODAY)) == ["phone"], bad


def test_party_membership_dates():
    def since(d, status="中共党员"):
        return [r.code for r in check_profile(Profile(political_status=status, party_member_since=d),
                                              id_number=MAN, today=TODAY)]
    assert since(date(2008, 2, 28)) == []  # the 18th birthday
    assert since(date(2008, 2, 27)) == ["party_member_too_young"]
    assert since(date(2025, 6, 2)) == ["date_in_future"]
    assert since(date(2010, 1, 1), "群众") == ["party_member_since_without_membership"]


def test_education_rows_name_the_row_and_field():
    rows = [Education("本科", "浙江大学", 2012), Education("博士后", "", 2003), Education("高中", "杭州二中", 2026)]
    assert fields(check_education(rows, birth_date=date(1990, 2, 28), today=TODAY)) == [
        "education[1].qualification", "education[1].school", "education[1].graduated_year",
        "education[2].graduated_year"]


def test_masking():
    assert mask("id_number", "330106199002280011") == "330106********0011"
    assert mask("phone", "13812345678") == "138****5678"
    assert mask("email", "wang@example.com") == "w****@example.com"
    assert mask("address", "杭州市拱墅区湖墅南路1号") == "杭州市拱墅区****"
    assert mask("phone", None) is None


def test_who_sees_in_full():
    hr = Principal("hr", Role.hr_officer, "hangzhou.gongshu")
    assert sees_in_full(hr, "hangzhou.gongshu.hushu", 1)
    assert not sees_in_full(hr, "hangzhou.xihu", 1)
    assert not sees_in_full(Principal("tc", Role.training_coordinator, "hangzhou"), "hangzhou.gongshu", 1)
    assert not sees_in_full(Principal("s", Role.community_secretary, "hangzhou.gongshu", community="GS-001"),
                            "hangzhou.gongshu", 1)
    assert sees_in_full(Principal("w", Role.worker, "hangzhou.gongshu", worker_id=1), "hangzhou.gongshu", 1)
    assert not sees_in_full(Principal("w", Role.worker, "hangzhou.gongshu", worker_id=2), "hangzhou.gongshu", 1)
