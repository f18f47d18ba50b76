"""Community ratings' state machines (S1-4), in one place: a rating round, an
application to it, an objection during its public notice (公示) — with the
states of recruitment's objections (D-4)."""
from __future__ import annotations

from enum import StrEnum

from hr_service.recruitment.states import ObjectionStatus
from shared.states import Machine

CLAUSE = "S1-4"


class RoundStatus(StrEnum):
    """open: communities apply and withdraw; reviewing: the panel (陈述答辩评审)
    scores; ranked: ranking per level against the pass marks; notice: 公示 and
    objections; final: the results stand on the communities; cancelled."""

    open = "open"
    reviewing = "reviewing"
    ranked = "ranked"
    notice = "notice"
    final = "final"
    cancelled = "cancelled"


ROUND = Machine("rating round", RoundStatus, name_zh="社区创建评审", clause=CLAUSE, moves={
    RoundStatus.open: {RoundStatus.reviewing, RoundStatus.cancelled},
    RoundStatus.reviewing: {RoundStatus.ranked, RoundStatus.cancelled},
    RoundStatus.ranked: {RoundStatus.notice, RoundStatus.cancelled},
    RoundStatus.notice: {RoundStatus.final, RoundStatus.cancelled},
})


class EntryStatus(StrEnum):
    """applied → withdrawn (before the review) | proposed (at or above the pass
    mark) | failed (below it); proposed → removed (objection upheld) | rated (final)."""

    applied = "applied"
    withdrawn = "withdrawn"
    proposed = "proposed"
    failed = "failed"
    removed = "removed"
    rated = "rated"


ENTRY = Machine("rating application", EntryStatus, name_zh="创建申报", clause=CLAUSE, moves={
    EntryStatus.applied: {EntryStatus.withdrawn, EntryStatus.proposed, EntryStatus.failed},
    EntryStatus.proposed: {EntryStatus.removed, EntryStatus.rated},
})

LIVE = (EntryStatus.applied, EntryStatus.proposed, EntryStatus.rated)
"""An application that still counts for its community's year."""


# An objection lodged during the 公示, with the states of recruitment's (D-4): open until upheld (the
# community's result is removed) or dismissed (it stands); moot when another objection removed it first.
OBJECTION = Machine("rating objection", ObjectionStatus, name_zh="公示异议", clause=CLAUSE, moves={
    ObjectionStatus.open: {ObjectionStatus.upheld, ObjectionStatus.dismissed, ObjectionStatus.moot},
})
