"""Communities, recruitment campaigns and postings: queries and transactions.

Every write checks first and writes after, inside the caller's
``db.transaction()``: a refusal leaves nothing behind. A campaign's row is
locked for each step so that two officers' steps queue; a community's row is
locked where its vacancies are counted (posts opened, workers hired). The
decisions are pure rules (``hr_service.recruitment.rules``); the states move
by ``hr_service.recruitment.states``.

- ``communities``: communities and their dated figures (D-11), staffing quotas and the one
  room check of every path that adds a worker (S4-1/S4-3/D-9), work funds (S4-7).
- ``campaigns``: access, the order of the steps, the history, posts, close and cancel.
- ``applications``: applying, the eligibility review, withdrawals, checks, the next in rank.
- ``scores``: scores one by one or from a file, and the ranking.
- ``notices``: the public notice (公示, D-4, D-10) and objections.
- ``hire``: the hire (D-4 录用).
- ``postings``: secondments and exchanges (S4-8, S3-8).
"""
from __future__ import annotations

from hr_service.recruitment.store.applications import application, apply, record_checks, review, withdraw
from hr_service.recruitment.store.campaigns import (
    add_post,
    applications_of,
    campaign,
    cancel,
    create_campaign,
    history,
    list_campaigns,
    posts_by_campaign,
    posts_of,
    status_counts,
)
from hr_service.recruitment.store.communities import (
    StaffingView,
    community,
    create_community,
    figures_history,
    list_communities,
    quota_given,
    staffing_of,
    update_community,
    work_fund_of,
)
from hr_service.recruitment.store.hire import HireResult, hire
from hr_service.recruitment.store.notices import (
    lodge_objection,
    notices_of,
    objections_of,
    resolve_objection,
    start_notice,
)
from hr_service.recruitment.store.postings import add_posting, postings_of
from hr_service.recruitment.store.scores import enter_scores, rank, upload_scores

__all__ = [
    "HireResult", "StaffingView", "figures_history", "quota_given",
    "add_post", "add_posting", "application", "applications_of", "apply", "campaign",
    "cancel", "community", "create_campaign", "create_community", "enter_scores", "hire", "history",
    "list_campaigns", "list_communities", "lodge_objection", "notices_of", "objections_of", "posts_by_campaign",
    "posts_of", "postings_of", "rank", "record_checks", "resolve_objection", "review", "staffing_of", "start_notice",
    "status_counts", "update_community", "upload_scores", "withdraw", "work_fund_of",
]
