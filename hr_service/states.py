"""HR's state machines: a worker on the rolls and a month's pay run (one place)."""
from __future__ import annotations

from enum import StrEnum

from shared.states import Machine


class WorkerStatus(StrEnum):
    """Where a worker stands on the rolls: hired on probation (D-4) or not,
    confirmed, or gone (D-11; nothing is done after leaving but reinstatement,
    which undoes a leaving recorded in error or withdrawn)."""

    active = "active"
    probation = "probation"
    left = "left"


WORKER = Machine("worker", WorkerStatus, name_zh="职工", moves={
    WorkerStatus.probation: {WorkerStatus.active, WorkerStatus.left},
    WorkerStatus.active: {WorkerStatus.left},
    WorkerStatus.left: {WorkerStatus.active, WorkerStatus.probation},  # reinstatement (D-11)
})

#: the statuses a new worker may start in
HIRED_AS = frozenset({WorkerStatus.active, WorkerStatus.probation})


class PayRunStatus(StrEnum):
    """A month's pay run (D-16): a draft is computed again at will; submitted,
    it waits for another officer, who approves it (closed, immutable) or
    rejects it (a draft again)."""

    draft = "draft"
    submitted = "submitted"
    closed = "closed"


PAY_RUN = Machine("pay run", PayRunStatus, name_zh="工资核算", moves={
    PayRunStatus.draft: {PayRunStatus.submitted},
    PayRunStatus.submitted: {PayRunStatus.closed, PayRunStatus.draft},
})
