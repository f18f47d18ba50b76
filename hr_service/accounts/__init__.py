"""Accounts (D-18): the rules (``rules``: passwords, the throttle and lock, who
manages whose account), logging in and passwords (``store``), managing
accounts (``admin``), workers' accounts made with the worker and their
one-time passwords issued in bulk (``workers``)."""
from __future__ import annotations

from hr_service.accounts import admin, rules, store, workers

__all__ = ["admin", "rules", "store", "workers"]
