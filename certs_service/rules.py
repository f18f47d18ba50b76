"""Pure policy: functions over msgspec Structs, no I/O, no clock.

Policy figures arrive as arguments, read from the policy tables listed in
``POLICY_KEYS`` and seeded from ``SEEDS`` (../shared/policy/CLAUSES.md).
"""
from __future__ import annotations

from shared.policy import PolicyKey, PolicySeed

CITY = "hangzhou"

POLICY_KEYS: list[PolicyKey] = []

SEEDS: list[PolicySeed] = []
