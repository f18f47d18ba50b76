"""Recruitment's state machines (D-4), in one place: a campaign, an
application, an objection; and the states a public notice passes through by
the calendar alone."""
from __future__ import annotations

from enum import StrEnum

from shared.states import Machine


class CampaignStatus(StrEnum):
    """D-4's steps. announced: posts and applications; examining: after the
    eligibility review, scores; ranked: ranking, physical exam and background
    check; notice: 公示, objections, hire; closed: every place filled or no
    candidate left; cancelled."""

    announced = "announced"
    examining = "examining"
    ranked = "ranked"
    notice = "notice"
    closed = "closed"
    cancelled = "cancelled"


CAMPAIGN = Machine("campaign", CampaignStatus, name_zh="招考", clause="D-4", moves={
    CampaignStatus.announced: {CampaignStatus.examining, CampaignStatus.cancelled},
    CampaignStatus.examining: {CampaignStatus.ranked, CampaignStatus.cancelled},
    CampaignStatus.ranked: {CampaignStatus.notice, CampaignStatus.closed, CampaignStatus.cancelled},
    CampaignStatus.notice: {CampaignStatus.closed, CampaignStatus.cancelled},
})

RUNNING = (CampaignStatus.announced, CampaignStatus.examining, CampaignStatus.ranked, CampaignStatus.notice)
"""A campaign that runs: its open posts hold vacancies (S4-1)."""


class ApplicationStatus(StrEnum):
    """applied → eligible | refused (the review); after ranking standby |
    selected; removed (failed check, upheld objection), withdrawn, hired."""

    applied = "applied"
    eligible = "eligible"
    refused = "refused"
    standby = "standby"
    selected = "selected"
    removed = "removed"
    withdrawn = "withdrawn"
    hired = "hired"


APPLICATION = Machine("application", ApplicationStatus, name_zh="报名", clause="D-4", moves={
    ApplicationStatus.applied: {ApplicationStatus.eligible, ApplicationStatus.refused, ApplicationStatus.withdrawn},
    ApplicationStatus.eligible: {ApplicationStatus.selected, ApplicationStatus.standby, ApplicationStatus.withdrawn},
    ApplicationStatus.standby: {ApplicationStatus.selected, ApplicationStatus.withdrawn},
    ApplicationStatus.selected: {ApplicationStatus.removed, ApplicationStatus.withdrawn, ApplicationStatus.hired},
})


class ObjectionStatus(StrEnum):
    """An objection during a notice: open until upheld or dismissed; moot when
    another objection removed the candidate first."""

    open = "open"
    upheld = "upheld"
    dismissed = "dismissed"
    moot = "moot"


OBJECTION = Machine("objection", ObjectionStatus, name_zh="异议", clause="D-4", moves={
    ObjectionStatus.open: {ObjectionStatus.upheld, ObjectionStatus.dismissed, ObjectionStatus.moot},
})


class NoticeState(StrEnum):
    """Where a 公示 stands on a day; the dates decide it, nothing is stored."""

    scheduled = "scheduled"
    running = "running"
    ended = "ended"
