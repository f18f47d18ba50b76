"""Who a community's reward fund may reward (S4-13): its own workers, still on its rolls."""
from __future__ import annotations

from datetime import date

import pytest

from hr_service.rewards.rules import on_community_rolls
from hr_service.states import WorkerStatus


@pytest.mark.parametrize(("community", "status", "left_on", "ok"), [
    ("GS001", WorkerStatus.active, None, True),
    ("GS001", WorkerStatus.probation, None, True),
    ("GS002", WorkerStatus.active, None, False),
    (None, WorkerStatus.active, None, False),
    ("GS001", WorkerStatus.left, None, False),
    ("GS001", WorkerStatus.active, date(2024, 12, 31), False),
])
def test_only_the_communitys_own_workers_on_its_rolls(community, status, left_on, ok):
    assert on_community_rolls("GS001", community, status, left_on) is ok
