"""Certs's HTTP API, one controller per area: profiles and real-name
registration, service records, certificates, registration cycles, exam
entries, statistics, leader-talent rounds and leader talents, and the
worker's own ``/me`` views. ``schemas`` holds the Structs in and out,
``views`` turns stored rows into them.

Cert officers (and admin) write within their jurisdiction (403 outside it);
a record is read by the officers who cover it and by the worker it is about,
anyone else is told it does not exist (404, D-8).
"""
from __future__ import annotations

from certs_service.api.certificates import CertificateController
from certs_service.api.exam_entries import ExamEntryController
from certs_service.api.leader_talents import LeaderTalentController, SupervisorController
from certs_service.api.me import MeController
from certs_service.api.profiles import ProfileController
from certs_service.api.registrations import CertificateRegistrationController, RegistrationController
from certs_service.api.service_records import ServiceRecordController
from certs_service.api.statistics import StatisticsController
from certs_service.api.talent_rounds import TalentRoundController

ROUTES = [
    ProfileController, ServiceRecordController, SupervisorController, CertificateController,
    CertificateRegistrationController, RegistrationController, ExamEntryController, StatisticsController,
    TalentRoundController, LeaderTalentController, MeController,
]

__all__ = ["ROUTES"]
