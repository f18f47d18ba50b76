"""D-18's account rules alone: the password rule, the throttle's delays and
lock, who manages whose account."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hr_service.accounts import rules
from hr_service.accounts.rules import LoginState, PasswordRule, ThrottlePolicy
from hr_service.accounts.store import NO_PASSWORD, check_password, hash_one_time
from shared.auth import Principal, Role, hash_password

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
THROTTLE = ThrottlePolicy()  # the seeded figures (D-18)
RULE = PasswordRule()


@pytest.mark.parametrize(("password", "code"), [
    ("abc12345", "password_too_short"),
    ("abcdefghijkl", "password_needs_letters_and_digits"),
    ("123456789012", "password_needs_letters_and_digits"),
    ("xx-Zhangwei-2025", "password_contains_username"),
])
def test_a_password_the_rule_refuses_names_the_field_and_the_reason(password, code):
    refusal = rules.password_refusal("zhangwei", password, RULE)
    assert refusal is not None and refusal.code == code
    assert refusal.field == "new_password" and refusal.clause == "D-18" and refusal.status == 422


def test_a_good_password_passes_unless_it_is_the_last_one():
    assert rules.password_refusal("zhangwei", "river-stone-42", RULE) is None
    assert rules.password_refusal("zhangwei", "river-stone-42", RULE, same_as_last=True).code == "password_reused"
    assert rules.password_refusal("ab", "abcdefgh12", RULE) is None  # a 2-letter username is no word to look for
    assert rules.password_refusal("zhangwei", "abcdefgh1", RULE) is not None  # 9 characters


def test_the_delay_grows_after_five_failures_and_the_lock_comes_at_ten():
    assert [rules.delay_seconds(n, 5, THROTTLE) for n in (4, 5, 6, 7, 8)] == [0, 1, 2, 4, 8]
    assert rules.delay_seconds(40, 5, THROTTLE) == THROTTLE.max_delay_seconds
    assert rules.after_failure(8, NOW, THROTTLE) == (9, None)
    assert rules.after_failure(9, NOW, THROTTLE) == (10, NOW + timedelta(minutes=15))


def test_the_gate_throttles_an_account_until_its_delay_has_passed():
    state = LoginState(failed_in_row=7, last_failure_at=NOW)  # delay 4 s
    refusal = rules.gate(state, NOW + timedelta(seconds=1), THROTTLE)
    assert refusal.code == "login_throttled" and refusal.status == 429 and refusal.extra["retry_after"] == 3
    assert rules.gate(state, NOW + timedelta(seconds=4), THROTTLE) is None
    assert rules.gate(LoginState(failed_in_row=4, last_failure_at=NOW), NOW, THROTTLE) is None


def test_the_gate_throttles_an_address_after_twenty_failures():
    assert rules.gate(LoginState(address_failures=19, address_last_failure_at=NOW), NOW, THROTTLE) is None
    refusal = rules.gate(LoginState(address_failures=22, address_last_failure_at=NOW), NOW, THROTTLE)
    assert refusal.code == "login_throttled" and refusal.extra["retry_after"] == 4


def test_a_locked_account_is_refused_until_the_lock_ends():
    state = LoginState(failed_in_row=10, last_failure_at=NOW, locked_until=NOW + timedelta(minutes=15))
    refusal = rules.gate(state, NOW + timedelta(minutes=5), THROTTLE)
    assert refusal.code == "account_locked" and refusal.extra["retry_after"] == 600
    assert rules.gate(state, NOW + timedelta(minutes=15), THROTTLE) is None


DISTRICT = Principal("hr-gs", Role.hr_officer, "hangzhou.gongshu")


@pytest.mark.parametrize(("actor", "role", "jurisdiction", "code"), [
    (DISTRICT, Role.hr_officer, "hangzhou.gongshu.hushu", None),  # a street officer of the district
    (DISTRICT, Role.community_secretary, "hangzhou.gongshu", None),
    (DISTRICT, Role.worker, "hangzhou.gongshu", None),
    (DISTRICT, Role.hr_officer, "hangzhou.gongshu", "account_not_below"),  # the same level
    (DISTRICT, Role.training_coordinator, "hangzhou", "outside_jurisdiction"),
    (DISTRICT, Role.admin, "hangzhou.gongshu.hushu", "account_not_below"),
    (DISTRICT, Role.hr_officer, "hangzhou.xihu.beishan", "outside_jurisdiction"),
    (Principal("hr-hs", Role.hr_officer, "hangzhou.gongshu.hushu"), Role.cert_officer, "hangzhou.gongshu.hushu",
     "account_not_below"),
    (Principal("tc", Role.training_coordinator, "hangzhou.gongshu"), Role.worker, "hangzhou.gongshu",
     "account_not_below"),
    (Principal("admin", Role.admin, "hangzhou"), Role.admin, "hangzhou", None),
])
def test_who_manages_whose_account(actor, role, jurisdiction, code):
    refusal = rules.manage_refusal(actor, role, jurisdiction)
    assert (refusal.code if refusal else None) == code
    assert refusal is None or refusal.status == 403


def test_nobody_manages_their_own_account():
    admin = Principal("admin", Role.admin, "hangzhou")
    assert rules.manage_refusal(admin, Role.admin, "hangzhou", "admin").code == "own_account"


def test_a_one_time_password_is_kept_with_a_fast_hash_and_no_password_never_verifies():
    stored = hash_one_time("Kp7mQ2xRt9Wd")
    assert stored.startswith("otp$") and check_password(stored, "Kp7mQ2xRt9Wd")
    assert not check_password(stored, "Kp7mQ2xRt9We")
    assert not check_password(NO_PASSWORD, NO_PASSWORD) and not check_password(None, "x")
    assert check_password(hash_password("river-stone-42"), "river-stone-42")


def test_the_password_figures_are_the_rule_s():
    strict = PasswordRule(min_length=14, username_min_length=2)
    refusal = rules.password_refusal("zhangwei", "river-stone-4", strict)
    assert refusal.code == "password_too_short" and "14" in refusal.detail
    assert rules.password_refusal("ab", "abcdefgh12-long", strict).code == "password_contains_username"


def test_the_account_figures_are_seeded_policy_versions_of_d18():
    assert {k.name: k.clause for k in rules.POLICY_KEYS} == {"password_rule": "D-18", "login_throttle": "D-18"}
    assert {s.key: (s.value, s.clause) for s in rules.SEEDS} == {
        "password_rule": (PasswordRule(), "D-18"), "login_throttle": (ThrottlePolicy(), "D-18")}
