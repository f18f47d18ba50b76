"""Logins and accounts (D-8, D-18): the names the rest of HR calls; the
implementation is ``hr_service.accounts``."""
from __future__ import annotations

from hr_service.accounts.admin import create_user
from hr_service.accounts.store import authenticate, ensure_admin
from hr_service.accounts.workers import open_accounts_of

__all__ = ["authenticate", "create_user", "ensure_admin", "open_accounts_of"]
