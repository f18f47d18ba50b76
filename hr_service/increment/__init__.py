"""The step increment (S4-10) as set-based SQL: ``decision`` (the rule as one
statement), ``run`` (the 1 July run and the supplementary run 补晋档, D-12),
``records`` (runs and outcomes read back). ``tests/hr/test_properties.py``
holds the SQL to ``rules.next_grade`` worker by worker."""
from __future__ import annotations

from hr_service.increment.records import (
           NOT_MOVED_LIMIT,
           StepRunResult,
           WorkerOutcome,
           list_runs,
           outcomes,
           stored_result,
)
from hr_service.increment.run import run_increment, run_supplementary

__all__ = ["NOT_MOVED_LIMIT", "StepRunResult", "WorkerOutcome", "list_runs", "outcomes", "run_increment",
           "run_supplementary", "stored_result"]
