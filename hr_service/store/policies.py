"""HR's policy store: the policy table and the keys the records read."""
from __future__ import annotations

from hr_service.rules import POLICY_KEYS
from hr_service.tables import infra
from shared.policy import Policies

POLICIES = Policies(infra.policy_version, POLICY_KEYS)
"""HR's policy store (stateless: the table and the keys); the same as ``svc.policies``."""
