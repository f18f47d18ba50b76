"""The vocabulary of training (S2-2, S1-1, S2-3, S4-9)."""
from __future__ import annotations

import re
from typing import Literal

from training_service.states import EnrolmentStatus

CITY = "hangzhou"

YEARS = (2000, 2100)
"""The years a training report or selection list may name."""

Tier = Literal[
    "induction", "continuing", "secretary_director", "advanced_practice", "three_social", "leader_talent", "degree",
]
"""S2-2 分层 (layers by audience): 岗前 induction, 全员/继续教育 all-staff continuing, 书记主任 secretary and
director (S0-4 "领头雁"), 实务高级研修 advanced practice, 三社联动 three-social linkage, 领军人才专项
leader talent (S2-6), 学历 degree (S4-4)."""

TIER_NAMES: dict[str, str] = {
    "induction": "岗前培训", "continuing": "全员继续教育", "secretary_director": "书记主任培训",
    "advanced_practice": "实务高级研修", "three_social": "三社联动", "leader_talent": "领军人才专项",
    "degree": "学历教育",
}

ContentArea = Literal["political_theory", "professional_knowledge", "practical_skills"]
"""S1-1 政治理論、專業知識及業務技能."""

Delivery = Literal["online", "offline"]
"""S2-2 线上 + 线下."""

Mode = Literal["theory", "practice"]
"""S2-2 理论 + 实务."""

Location = Literal["in_city", "other_city", "abroad"]
"""S2-3 本市学, 跨市学, 出境学."""

POSTS = ("正职", "副职", "委员")
"""The three posts (S4-9, D-2): 正职 secretary/director, 副职 deputy, 委员 member and other staff."""

LEADER_TALENT = "leader_talent"
"""The designation 领军人才 (S2-6, D-7), carried by talent.selected."""

DESIGNATION = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
"""A designation code such as ``leader_talent``."""

SUGGESTED_TOPICS = ("elder_services", "behavioural_correction", "dispute_mediation", "volunteer_support")
"""S2-2 为老服务, 行动矫治, 纠纷调解, 志愿帮扶; topic tags are free, these are the text's own."""

OPEN_STATUSES = (EnrolmentStatus.enrolled, EnrolmentStatus.waitlisted)
"""A place still running: it may be cancelled."""
HELD_STATUSES = (EnrolmentStatus.enrolled, EnrolmentStatus.waitlisted, EnrolmentStatus.completed)
"""A place that counts against another in the same tier or at the same time."""
SEATED_STATUSES = (EnrolmentStatus.enrolled, EnrolmentStatus.completed, EnrolmentStatus.not_completed)
"""Who held a seat: these are the person-times (人次, S3-7) of a session."""
