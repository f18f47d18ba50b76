"""D-17's pure decisions at their boundaries: unit paths, names by date, where a hired worker lies."""
from __future__ import annotations

from datetime import date

from hr_service.org import rules
from hr_service.org.rules import NameVersion
from shared.errors import Refusal


def test_a_street_path_is_its_district_and_code():
    assert rules.unit_path("hangzhou.xihu", "beishan") == "hangzhou.xihu.beishan"
    assert rules.unit_level("hangzhou.xihu.beishan").value == "street"
    assert rules.unit_level("hangzhou.xihu").value == "district"


def test_codes_are_lowercase_ascii_and_units_stop_at_the_street():
    for bad in ("BeiShan", "北山", "bei.shan", "1st", ""):
        refused = rules.unit_path("hangzhou.xihu", bad)
        assert isinstance(refused, Refusal) and refused.field == "code", bad
    refused = rules.unit_path("hangzhou.xihu.beishan", "x")
    assert isinstance(refused, Refusal) and refused.field == "parent"


def test_the_name_on_a_date_is_the_latest_in_force_then():
    names = [NameVersion(date(2024, 1, 1), "新"), NameVersion(date(2010, 1, 1), "旧")]
    assert rules.name_on(names, date(2023, 12, 31)) == "旧"
    assert rules.name_on(names, date(2024, 1, 1)) == "新"
    assert rules.name_on(names, date(2000, 1, 1)) == "旧"  # before the first, the first
    assert rules.name_on([], date(2024, 1, 1)) is None


def test_a_new_name_comes_after_the_latest_and_not_after_today():
    today = date(2025, 6, 1)
    assert rules.renaming(date(2024, 1, 1), date(2024, 1, 2), today) is None
    same = rules.renaming(date(2024, 1, 1), date(2024, 1, 1), today)
    assert same is not None and same.status == 409 and same.code == "name_dating"
    future = rules.renaming(None, date(2025, 6, 2), today)
    assert future is not None and future.code == "date_in_future"


def test_a_worker_lies_where_their_community_does():
    assert rules.placed_jurisdiction("hangzhou.xihu", "C1", "hangzhou.xihu.beishan") == "hangzhou.xihu.beishan"
    assert rules.placed_jurisdiction("hangzhou", "C1", "hangzhou.xihu") == "hangzhou.xihu"
    refused = rules.placed_jurisdiction("hangzhou.xihu.lingyin", "C1", "hangzhou.xihu.beishan")
    assert isinstance(refused, Refusal) and refused.field == "jurisdiction" and refused.clause == "D-17"
    refused = rules.placed_jurisdiction("hangzhou.xi", "C1", "hangzhou.xihu")  # a prefix of the text is not a cover
    assert isinstance(refused, Refusal)


def test_a_street_is_one_of_the_communitys_district():
    assert rules.street_for("hangzhou.xihu", "hangzhou.xihu.beishan", "hangzhou.xihu") is None
    assert rules.street_for("hangzhou.xihu", "hangzhou.gongshu.hushu", "hangzhou.gongshu").code == "unknown_street"
    assert rules.street_for("hangzhou.xihu", "hangzhou.xihu.none", None).field == "street"
    assert rules.street_assignable("C1", 0) is None
    assert rules.street_assignable("C1", 2).status == 409
