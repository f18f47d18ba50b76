"""Recruitment's state machines: the moves D-4 allows, and no others."""
from __future__ import annotations

import pytest

from hr_service.recruitment.rules import STEPS
from hr_service.recruitment.states import (
    APPLICATION,
    CAMPAIGN,
    OBJECTION,
    RUNNING,
    ApplicationStatus,
    CampaignStatus,
    ObjectionStatus,
)
from hr_service.recruitment.tables import Application, Campaign, CampaignEvent, Objection
from shared.errors import Conflict

A, C = ApplicationStatus, CampaignStatus


def test_a_campaign_runs_forward_and_ends_closed_or_cancelled():
    assert CAMPAIGN.move(C.announced, C.examining) == C.examining
    assert CAMPAIGN.can(C.examining, C.ranked) and CAMPAIGN.can(C.ranked, C.notice)
    assert CAMPAIGN.can(C.ranked, C.closed) and CAMPAIGN.can(C.notice, C.closed)
    assert all(CAMPAIGN.can(s, C.cancelled) for s in RUNNING)
    assert CAMPAIGN.final(C.closed) and CAMPAIGN.final(C.cancelled)
    for source, target in ((C.announced, C.ranked), (C.examining, C.closed), (C.notice, C.ranked),
                           (C.closed, C.announced), (C.cancelled, C.notice)):
        assert not CAMPAIGN.can(source, target)
    with pytest.raises(Conflict) as exc:
        CAMPAIGN.move(C.closed, C.notice)
    assert exc.value.code == "campaign_not_notice" and exc.value.clause == "D-4"


def test_every_step_belongs_to_a_running_campaign():
    assert {s for states in STEPS.values() for s in states} <= set(RUNNING)


def test_an_application_from_applied_to_hired_or_out():
    path = [A.applied, A.eligible, A.standby, A.selected, A.hired]
    assert all(APPLICATION.can(a, b) for a, b in zip(path, path[1:], strict=False))
    assert APPLICATION.can(A.applied, A.refused) and APPLICATION.can(A.eligible, A.selected)
    assert APPLICATION.can(A.selected, A.removed)
    assert {s for s in A if APPLICATION.can(s, A.withdrawn)} == {A.applied, A.eligible, A.standby, A.selected}
    assert {s for s in A if APPLICATION.final(s)} == {A.refused, A.removed, A.withdrawn, A.hired}
    assert not APPLICATION.can(A.standby, A.hired) and not APPLICATION.can(A.refused, A.eligible)


def test_an_objection_is_resolved_once():
    resolved = {ObjectionStatus.upheld, ObjectionStatus.dismissed, ObjectionStatus.moot}
    assert {t for t in ObjectionStatus if OBJECTION.can(ObjectionStatus.open, t)} == resolved
    assert all(OBJECTION.final(s) for s in resolved)


@pytest.mark.parametrize("table, column, machine", [
    (Campaign, "status", CAMPAIGN), (Application, "status", APPLICATION), (Objection, "status", OBJECTION),
    (CampaignEvent, "from_status", CAMPAIGN), (CampaignEvent, "to_status", CAMPAIGN),
])
def test_the_tables_keep_to_the_machines(table, column, machine):
    checks = {str(c.sqltext) for c in table.__table__.constraints if c.__class__.__name__ == "CheckConstraint"}
    assert machine.check_sql(column) in checks
