"""HR's policy store (the policy table and the keys the records read) and its
working-day calendar (D-10)."""
from __future__ import annotations

from hr_service.rules import POLICY_KEYS
from hr_service.tables import infra, work_calendar
from shared.calendar import Calendars
from shared.policy import Policies

POLICIES = Policies(infra.policy_version, POLICY_KEYS)
"""HR's policy store (stateless: the table and the keys); the same as ``svc.policies``."""

CALENDAR = Calendars(work_calendar)
"""HR's working-day calendar (D-10), for recruitment's 公示 (stateless: the table)."""
