"""HR's queries and transactions: accounts, workers and their grade history,
assessments. The decisions are pure rules (``hr_service.rules``); the
set-based runs live in ``increment.py`` and ``pay.py``.

- ``policies``: ``POLICIES``, HR's policy store.
- ``accounts``: logins, accounts, the first admin.
- ``hiring``: putting workers on the rolls, one or an import.
- ``workers``: visibility (D-8), post changes, leaving, history, the list, titles.
- ``assessments``: the annual assessment and its corrections.
"""
from __future__ import annotations

from hr_service.store.accounts import authenticate, create_user, ensure_admin
from hr_service.store.assessments import (
    assessment_revisions,
    correct_assessment,
    find_assessment,
    list_assessments,
    record_assessment,
    score_centi,
)
from hr_service.store.hiring import RowProblem, create_worker, hire_derivation, hire_terms, import_workers
from hr_service.store.policies import POLICIES
from hr_service.store.workers import (
    WorkerFilter,
    change_post,
    designations,
    facts,
    grade_history,
    latest_change,
    leave,
    list_workers,
    visible_worker,
    worker_or_404,
    writable_worker,
)

__all__ = [
    "POLICIES", "RowProblem", "WorkerFilter", "assessment_revisions", "authenticate", "change_post",
    "correct_assessment", "create_user", "create_worker", "designations", "ensure_admin", "facts",
    "find_assessment", "grade_history", "hire_derivation", "hire_terms", "import_workers", "latest_change", "leave",
    "list_assessments", "list_workers", "record_assessment", "score_centi", "visible_worker", "worker_or_404",
    "writable_worker",
]
