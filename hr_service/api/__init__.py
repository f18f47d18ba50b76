"""HR's records over HTTP: login, accounts, workers and their grade history,
assessments, the step increment, pay runs and payslips, the caller's own
record. One controller per module; the bodies in ``schemas``. ``ROUTES`` are
these controllers (``hr_service.app`` adds recruitment's, self-service's and
rewards')."""
from __future__ import annotations

from hr_service.api.assessments import AssessmentController
from hr_service.api.auth import AuthController
from hr_service.api.bank import BankAccountController
from hr_service.api.budget import PayBudgetController
from hr_service.api.changes import WorkerChangeController
from hr_service.api.deductions import DeductionKindController, MyDeductionController, WorkerDeductionController
from hr_service.api.me import MeController
from hr_service.api.pay_records import ContributionWageController, UnpaidAbsenceController
from hr_service.api.pay_runs import PayRunController
from hr_service.api.payslips import PayslipController, WorkerPayslipController
from hr_service.api.profile import MyProfileController, WorkerProfileController
from hr_service.api.schemas import NewWorker
from hr_service.api.statistics import StatisticsController
from hr_service.api.step_runs import StepRunController
from hr_service.api.users import LoginAttemptController, UserController
from hr_service.api.workers import WorkerController

ROUTES = [AuthController, UserController, LoginAttemptController, WorkerController, WorkerChangeController,
          AssessmentController,
          WorkerPayslipController, PayslipController, StepRunController, PayRunController, MeController,
          PayBudgetController, DeductionKindController, WorkerDeductionController, MyDeductionController,
          ContributionWageController, UnpaidAbsenceController, BankAccountController,
          WorkerProfileController, MyProfileController, StatisticsController]

__all__ = ["ROUTES", "NewWorker"]
