"""Training's queries and transactions.

Every write runs inside the caller's ``db.transaction()`` and checks before it
writes, so a refusal leaves nothing behind: the store loads, asks the rule
(``training_service.rules``), and saves. Locks are always taken in the same
order (roster worker rows, then session rows) so that two transactions never
wait on each other in a circle.

| module | holds |
|---|---|
| ``common`` | who sees the catalogue (D-8), file rows |
| ``roster`` | the roster (workers' profiles), its import, designations |
| ``catalogue`` | programmes and sessions; changing or cancelling a session |
| ``seats`` | seat counts and the waitlist; freed seats to its head |
| ``placement`` | enrolment: one, from a file, or for an event |
| ``enrolments`` | reading enrolments, cancelling a place, a leaver's places |
| ``completion`` | attendance, assessment, the sheet, closing a session |
| ``ledger`` | the ledger and the D-6 obligations, compliance |
| ``reports`` | statistics: person-times, hours, spend against the budget |
| ``abroad`` | the yearly selection list abroad (S2-3) |
| ``worker_events`` | a leaver's places; HR's ``worker.changed`` on the roster (D-11) |
"""
from __future__ import annotations

from shared.inbox import WorkerNotYetKnown  # an event before the worker's hire: retried
from training_service.store.abroad import is_selected_abroad, list_abroad, remove_abroad, select_abroad
from training_service.store.catalogue import (
    cancel_session,
    create_programme,
    create_session,
    get_programme,
    list_programmes,
    list_sessions,
    lock_session,
    session_days_of,
    session_for,
    update_session,
)
from training_service.store.common import is_worker, row_error, rows_refused, sees, texts, visible_to
from training_service.store.completion import (
    SheetRow,
    attendance_sheet,
    close_session,
    credit_completion,
    record_assessments,
    record_attendance,
)
from training_service.store.enrolments import (
    EnrolmentView,
    cancel_enrolment,
    close_open_enrolments,
    enrolment_views,
    get_enrolment,
    session_enrolments,
    waitlist_positions,
)
from training_service.store.ledger import ComplianceLine, compliance, credits_of, worker_obligations
from training_service.store.placement import Placement, auto_enrol, bulk_enrol, enrol, open_sessions_of_tier
from training_service.store.reports import Statistics, statistics
from training_service.store.roster import (
    add_designation,
    all_designations,
    get_worker,
    import_roster,
    list_roster,
    lock_worker,
    parse_roster_row,
    record_hire,
    record_leaving,
    save_roster,
    upsert_worker,
)
from training_service.store.seats import Counts, counts, fill_seats, seated_count
from training_service.store.worker_events import apply_worker_change, leave

__all__ = [
    "ComplianceLine", "Counts", "EnrolmentView", "Placement", "SheetRow", "Statistics", "WorkerNotYetKnown",
    "add_designation", "all_designations", "apply_worker_change", "attendance_sheet", "auto_enrol", "bulk_enrol",
    "cancel_enrolment", "cancel_session", "close_open_enrolments", "close_session", "compliance", "counts",
    "create_programme", "create_session", "credit_completion", "credits_of", "enrol", "enrolment_views", "fill_seats",
    "get_enrolment", "get_programme", "get_worker", "import_roster", "is_selected_abroad", "is_worker",
    "leave", "list_abroad", "list_programmes", "list_roster", "list_sessions", "lock_session", "lock_worker",
    "open_sessions_of_tier", "parse_roster_row", "record_assessments", "record_hire", "record_leaving",
    "record_attendance", "remove_abroad", "row_error", "rows_refused", "save_roster", "seated_count", "sees",
    "select_abroad", "session_days_of", "session_enrolments", "session_for", "statistics", "texts", "update_session",
    "upsert_worker", "visible_to", "waitlist_positions", "worker_obligations",
]
