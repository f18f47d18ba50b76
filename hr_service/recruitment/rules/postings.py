"""Postings on a worker's record: secondment (挂职锻炼, S4-8) and exchange
(异地交流, S3-8); an exchange moves the worker, so D-4's no-transfer period
after the hire applies."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec

from hr_service.recruitment.rules.recruitment import RecruitmentRule
from shared.dates import add_years
from shared.errors import Refusal, before_hire, ends_before_start, worker_left

POSTING_KINDS = {"secondment": ("挂职锻炼", "S4-8"), "exchange": ("异地交流", "S3-8")}
"""S4-8 挂职锻炼, S3-8 异地交流: each kind's Chinese name and clause."""


class PostedWorker(msgspec.Struct, frozen=True):
    """The worker a posting is for, as the rule needs them."""

    id: int
    hired_on: date
    left: bool = False
    left_on: date | None = None


class Period(msgspec.Struct, frozen=True):
    """A posting already on the record; ``ends_on`` None is open-ended."""

    id: int
    starts_on: date
    ends_on: date | None = None


def transfer_free_on(hired_on: date, rule: RecruitmentRule) -> date:
    """D-4: the first day after the no-transfer period that follows the hire."""
    return add_years(hired_on, rule.no_transfer_years)


def posting_refusal(kind: str, starts_on: date, ends_on: date | None, worker: PostedWorker,
                    others: Iterable[Period], rule: RecruitmentRule | None = None) -> Refusal | None:
    """Why the posting cannot be recorded, or None. The worker is on the rolls;
    the posting lies within itself and after the hire; an exchange starts after
    the no-transfer period (D-4, read from ``rule``); postings do not overlap."""
    _, clause = POSTING_KINDS[kind]
    if worker.left:
        return Refusal.of(worker_left(worker.id, worker.left_on, clause=clause))
    if ends_on is not None and ends_on < starts_on:
        return Refusal.of(ends_before_start("ends_on", ends_on, starts_on, clause=clause))
    if starts_on < worker.hired_on:
        return Refusal.of(before_hire("starts_on", starts_on, worker.hired_on, clause=clause))
    if kind == "exchange" and rule is not None:
        free_on = transfer_free_on(worker.hired_on, rule)
        if starts_on < free_on:
            return Refusal(
                "no_transfer_period",
                f"Worker {worker.id} was hired on {worker.hired_on}; no transfer for {rule.no_transfer_years} years "
                f"(from {free_on}).",
                f"该社区工作者于{worker.hired_on}录用，{rule.no_transfer_years}年内不得调动（{free_on}起可交流）。",
                "starts_on", "D-4", 409,
            )
    far = date.max
    for p in others:
        if starts_on <= (p.ends_on or far) and p.starts_on <= (ends_on or far):
            return Refusal("posting_overlaps", f"Overlaps posting {p.id} ({p.starts_on} to {p.ends_on or 'open'}).",
                           "与已有的挂职或交流时间重叠。", "starts_on", clause, 409)
    return None
