"""A worker's changes from a date (D-11) and the corrections of mistakes
(D-12): pure decisions over plain values, each returning what is decided or
the refusal, for ``hr_service.store.changes`` to load for, call and save.

- ``transfer``: to another community (D-11; D-4's no-transfer period).
- ``probation_decision``: confirm (转正), extend once, or end the employment (D-4).
- ``grade_correction``: a post and grade set from a date, with a reason (D-12).
- ``reinstatement``: a leaving undone (D-11).
"""
from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import msgspec

from hr_service.rules.scale import PayScale
from hr_service.rules.workers import WorkerFacts, band_refusal, not_before_hire, on_rolls, post_band
from hr_service.states import WorkerStatus
from shared import errors
from shared.dates import add_months
from shared.errors import Refusal


class ProbationRule(msgspec.Struct, frozen=True):
    """D-4 试用期 and its end: ``extensions`` extensions at most, each by up to
    ``extension_months_max`` months past the end then set; officers are shown
    the probations ending within ``horizon_days``."""

    extensions: int = 1
    extension_months_max: int = 6
    horizon_days: int = 30


class ChangeKind(StrEnum):
    """What a ``worker_change`` row and its ``worker.changed`` event record (D-11, D-12)."""

    transfer = "transfer"
    post_change = "post_change"
    grade_correction = "grade_correction"
    probation_confirmed = "probation_confirmed"
    probation_extended = "probation_extended"
    probation_ended = "probation_ended"
    left = "left"
    reinstated = "reinstated"


def append_only(effective_on: date, latest_on: date | None, what: str, what_zh: str) -> Refusal | None:
    """D-11: a worker's history is added to in date order, never rewritten."""
    if latest_on is not None and effective_on < latest_on:
        return Refusal("history_is_append_only",
                       f"A change effective {latest_on} is recorded; a {what} may not take effect before it.",
                       f"已有 {latest_on} 生效的变动，{what_zh}不得早于该日期。", "effective_on", "D-11", 409)
    return None


def transfer(
    worker: WorkerFacts, *, community_code: str | None, to_code: str, effective_on: date, latest_on: date | None,
    free_on: date | None,
) -> Refusal | None:
    """D-11 a transfer (调动) to community ``to_code`` from ``effective_on``: the
    worker is on the rolls, the date is neither before the hire nor before the
    latest recorded change, the community is another one, and D-4's "no
    transfer for 3 years" after the hire has passed (``free_on``, its first
    free day). The destination's quota (S4-1, D-9) is the store's to check."""
    if not on_rolls(worker):
        return Refusal.of(errors.worker_left(worker.id, worker.left_on, clause="D-11"))
    refusal = not_before_hire(worker, effective_on, "effective_on") or append_only(
        effective_on, latest_on, "transfer", "调动")
    if refusal is not None:
        return refusal
    if to_code == community_code:
        return Refusal("same_community", f"The worker is already in community {to_code}.",
                       f"该职工已在社区“{to_code}”。", "community_code", "D-11", 409)
    if free_on is not None and effective_on < free_on:
        return Refusal("no_transfer_period",
                       f"Worker {worker.id} was hired on {worker.hired_on}; no transfer before {free_on} (D-4).",
                       f"该职工于 {worker.hired_on} 录用，{free_on} 前不得调动（D-4）。", "effective_on", "D-4", 409)
    return None


class ProbationOutcome(msgspec.Struct, frozen=True):
    """A probation decided: the worker's status and probation end from the date,
    and the last day on the rolls when the employment ends."""

    kind: ChangeKind
    status: WorkerStatus
    probation_ends_on: date | None
    left_on: date | None = None


def probation_decision(
    worker: WorkerFacts, *, probation_ends_on: date | None, decision: str, effective_on: date,
    until: date | None, extended: int, rule: ProbationRule,
) -> ProbationOutcome | Refusal:
    """D-4 "hire with 6 months' probation": the probation ends in a decision.

    - ``confirm`` (转正) from ``effective_on``: the worker is confirmed;
    - ``extend`` to ``until``: once (``rule.extensions``), by at most
      ``rule.extension_months_max`` months past the current end, decided before
      that end has passed (``effective_on`` on or before it);
    - ``end``: the employment ends, ``effective_on`` the last day on the rolls,
      within the probation.
    Each only for a worker on probation, and not before the hire."""
    if worker.status != WorkerStatus.probation:
        return Refusal("not_on_probation", f"Worker {worker.id} is not on probation (status {worker.status}).",
                       f"该职工不在试用期（状态 {worker.status}）。", "decision", "D-4", 409)
    early = not_before_hire(worker, effective_on, "effective_on")
    if early is not None:
        return early
    if decision == "confirm":
        return ProbationOutcome(ChangeKind.probation_confirmed, WorkerStatus.active, probation_ends_on)
    over = probation_ends_on is not None and effective_on > probation_ends_on
    if over:
        return Refusal("probation_over", f"The probation ended on {probation_ends_on}; a decision dated "
                       f"{effective_on} can only confirm the worker, or end the employment as leaving.",
                       f"试用期已于 {probation_ends_on} 届满，{effective_on} 只能转正，或按离职办理。",
                       "effective_on", "D-4", 409)
    if decision == "end":
        return ProbationOutcome(ChangeKind.probation_ended, WorkerStatus.left, probation_ends_on, effective_on)
    return _extension(worker, probation_ends_on, until, extended, rule)


def _extension(worker: WorkerFacts, ends_on: date | None, until: date | None, extended: int,
               rule: ProbationRule) -> ProbationOutcome | Refusal:
    if extended >= rule.extensions:
        return Refusal("probation_extended_already",
                       f"The probation has been extended {extended} time(s); the rule allows {rule.extensions}.",
                       f"试用期已延长 {extended} 次，规定至多 {rule.extensions} 次。", "decision", "D-4", 409)
    if until is None:
        return Refusal("field_required", "An extension needs the new end date.", "延长试用期须填写新的届满日期。",
                       "until", "D-4")
    base = ends_on or worker.hired_on
    latest = add_months(base, rule.extension_months_max)
    if until <= base or until > latest:
        return Refusal("extension_out_of_range",
                       f"The new end must fall after {base} and no later than {latest} "
                       f"({rule.extension_months_max} months).",
                       f"新的届满日期须晚于 {base}，且不晚于 {latest}（{rule.extension_months_max} 个月）。",
                       "until", "D-4")
    return ProbationOutcome(ChangeKind.probation_extended, WorkerStatus.probation, until)


def grade_correction(
    worker: WorkerFacts, *, post: str, grade: int, effective_on: date, scale: PayScale | Refusal,
) -> Refusal | None:
    """D-12 "HR may correct a post or grade from a date, with a reason": the
    date within the worker's time on the rolls, the grade within the post's
    band of the pay scale in force on that date."""
    early = not_before_hire(worker, effective_on, "effective_on")
    if early is not None:
        return early
    if worker.left_on is not None and effective_on > worker.left_on:
        return Refusal.of(errors.worker_left(worker.id, worker.left_on, clause="D-12"))
    band = scale if isinstance(scale, Refusal) else post_band(scale, post)
    if isinstance(band, Refusal):
        return band
    return band_refusal(post, grade, band)


def reinstatement(worker: WorkerFacts) -> date | Refusal:
    """D-11 a leaving undone (withdrawn, or recorded in error): the worker is
    back on the rolls from the day after the recorded last day, so the
    employment runs on unbroken. Only a worker who has left."""
    if worker.status != WorkerStatus.left or worker.left_on is None:
        return Refusal("not_left", f"Worker {worker.id} has not left; there is nothing to reinstate.",
                       "该职工未离职，无需恢复。", "worker_id", "D-11", 409)
    return worker.left_on + timedelta(days=1)
