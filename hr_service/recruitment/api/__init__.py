"""Communities, staffing, work funds, recruitment campaigns and postings over HTTP.

A campaign runs announce → posts and applications → eligibility review →
scores → ranking → physical exam and background check → public notice
(公示) and objections → hire (D-4); ``GET /campaigns/{id}/history`` shows
every step. One controller a file; the shapes in ``schemas``.
"""
from __future__ import annotations

from hr_service.recruitment.api.applications import ApplicationController
from hr_service.recruitment.api.campaigns import CampaignController
from hr_service.recruitment.api.communities import CommunityController
from hr_service.recruitment.api.hire import HireController
from hr_service.recruitment.api.notices import NoticeController
from hr_service.recruitment.api.postings import PostingController
from hr_service.recruitment.api.scores import ScoreController

ROUTES = [
    CommunityController, CampaignController, ApplicationController, ScoreController, NoticeController,
    HireController, PostingController,
]

__all__ = [
    "ROUTES", "ApplicationController", "CampaignController", "CommunityController", "HireController",
    "NoticeController", "PostingController", "ScoreController",
]
