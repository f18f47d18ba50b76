"""HR's queries and transactions: accounts, workers and their grade history,
assessments. The decisions are pure rules (``hr_service.rules``); the
set-based runs live in ``increment.py`` and ``pay.py``.

- ``policies``: ``POLICIES``, HR's policy store.
- ``accounts``: logins, accounts, the first admin.
- ``hiring``: putting workers on the rolls, one or an import.
- ``workers``: visibility (D-8), post changes, leaving, history, the list, titles.
- ``history``: a worker's dated changes (D-11), published as ``worker.changed``.
- ``rolls``: a community's rolls and quota on a date, the one quota check (S4-1, S4-3, D-9, D-11).
- ``changes``: transfers, probation decisions, grade corrections, reinstatement (D-11, D-12).
- ``assessments``: the annual assessment and its corrections.
"""
from __future__ import annotations

from hr_service.store.accounts import authenticate, create_user, ensure_admin
from hr_service.store.assessments import (
    assessment_of,
    assessment_revisions,
    correct_assessment,
    list_assessments,
    record_assessment,
)
from hr_service.store.changes import (
    Correction,
    correct_grade,
    decide_probation,
    probation_rule,
    probations_ending,
    reinstate,
    transfer,
)
from hr_service.store.hiring import RowProblem, create_worker, hire_derivation, import_workers, terms_book
from hr_service.store.history import history, record_change
from hr_service.store.policies import POLICIES
from hr_service.store.workers import (
    WorkerFilter,
    change_post,
    designations,
    grade_history,
    leave,
    list_workers,
    visible_worker,
    worker_or_404,
    writable_worker,
)

__all__ = [
    "Correction", "correct_grade", "decide_probation", "history", "probation_rule", "probations_ending",
    "record_change", "reinstate", "transfer",
    "POLICIES", "RowProblem", "WorkerFilter", "assessment_of", "assessment_revisions", "authenticate",
    "change_post", "correct_assessment", "create_user", "create_worker", "designations", "ensure_admin",
    "grade_history", "hire_derivation", "import_workers", "leave", "list_assessments",
    "list_workers", "record_assessment", "terms_book", "visible_worker", "worker_or_404", "writable_worker",
]
