"""Training's HTTP API: the roster, programmes, sessions and enrolment,
attendance and completion, the worker's ledger and D-6 obligations,
compliance and statistics, places abroad, and the worker's own ``/me`` views.

One controller per module; ``schemas`` holds the Structs in and out, ``views``
renders rows into them, ``common`` the guard, the caller and the time zone.
Hours travel as decimal strings ("7.50"), money as integer fen, session times
as ISO date-times in Asia/Shanghai (a time without an offset is read as
Hangzhou time).
"""
from __future__ import annotations

from training_service.api.abroad import AbroadController
from training_service.api.categories import CategoryController
from training_service.api.enrolments import EnrolmentController
from training_service.api.me import MeController
from training_service.api.programmes import ProgrammeController
from training_service.api.reports import ReportController
from training_service.api.roster import RosterController
from training_service.api.sessions import SessionController
from training_service.api.workers import WorkerRecordsController

ROUTES = [
    RosterController, ProgrammeController, CategoryController, SessionController, EnrolmentController,
    WorkerRecordsController, MeController, ReportController, AbroadController,
]
