"""Workers' accounts (D-18): made with the worker, in the hire's transaction,
and their one-time passwords issued in bulk, never one account by hand.

A worker's account is named by the worker's ID number, holds no usable
password (``NO_PASSWORD``) and must change the one-time password it is
issued. Both steps are set-based: one ``INSERT … SELECT`` for the accounts,
one bulk ``UPDATE`` by key and one Redis script for the passwords and token
versions, so a district's 11,800 workers take seconds.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, and_, exists, insert, literal, or_, select, update
from sqlalchemy.orm import Session, aliased

from hr_service.accounts import rules
from hr_service.accounts.store import NO_PASSWORD, hash_one_time, one_time_password
from hr_service.accounts.tables import UserAccount
from hr_service.states import WorkerStatus
from hr_service.tables import Worker
from shared.auth import Principal, Role
from shared.db import in_chunks, in_jurisdiction
from shared.errors import Conflict, Forbidden, NotFound, outside_jurisdiction
from shared.revocation import Revocations


class WorkerLogin(msgspec.Struct):
    """A row of the slips handed to workers: the one-time password is shown this once."""

    worker_id: int
    name: str
    username: str
    one_time_password: str
    jurisdiction: str
    community_code: str | None = None


def open_accounts(session: Session, which: ColumnElement[bool], now: datetime, actor: str) -> None:
    """The accounts of the workers ``which`` selects that have none, in one
    statement (a username already taken by another account is left alone)."""
    other = aliased(UserAccount)
    source = select(
        Worker.id_number, literal(NO_PASSWORD), literal(Role.worker.value), Worker.jurisdiction, Worker.id,
        literal(True), literal(now), Worker.community_code, literal(0), literal(True), literal(actor), literal(0),
    ).where(which, ~exists().where(or_(other.worker_id == Worker.id, other.username == Worker.id_number)))
    columns = ["username", "password_hash", "role", "jurisdiction", "worker_id", "active", "created_at",
               "community_code", "token_version", "must_change_password", "created_by", "failed_logins"]
    session.execute(insert(UserAccount).from_select(columns, source))


def open_accounts_of(session: Session, worker_ids: Iterable[int], now: datetime, actor: str) -> None:
    """The accounts of workers just hired (D-18: made with the worker, in the same transaction)."""
    for chunk in in_chunks(worker_ids):
        open_accounts(session, Worker.id.in_(chunk), now, actor)


def selection(session: Session, actor: Principal, *, worker_ids: list[int] | None, jurisdiction: str | None,
              community_code: str | None, only_without_password: bool) -> ColumnElement[bool]:
    """Which workers a bulk issue covers, checked against the caller's remit."""
    if worker_ids:
        found: dict[int, tuple[str, str]] = {}
        for chunk in in_chunks(worker_ids):
            for wid, jur, status in session.execute(select(Worker.id, Worker.jurisdiction, Worker.status)
                                                    .where(Worker.id.in_(chunk))):
                found[wid] = (jur, status)
        missing = sorted(set(worker_ids) - set(found))
        if missing:
            raise NotFound("worker", "社区工作者", missing[0], field="worker_ids")
        for wid, (jur, status) in sorted(found.items()):
            if not actor.covers(jur):
                raise outside_jurisdiction(jur, actor.jurisdiction, "worker_ids")
            if status == WorkerStatus.left:
                raise Conflict("worker_left", f"Worker {wid} has left; no login is issued.",
                               "该社区工作者已离职，不再发放登录密码。", field="worker_ids", clause=rules.CLAUSE)
        return Worker.id.in_(worker_ids)
    if not jurisdiction:
        raise Conflict("workers_not_named", "Name worker_ids, or a jurisdiction (and a community_code).",
                       "请指定 worker_ids，或管辖范围（及社区代码）。", field="worker_ids", status=422)
    if not actor.covers(jurisdiction):
        raise outside_jurisdiction(jurisdiction, actor.jurisdiction)
    which = and_(in_jurisdiction(Worker.jurisdiction, jurisdiction), Worker.status != WorkerStatus.left.value)
    if community_code:
        which = and_(which, Worker.community_code == community_code)
    if only_without_password:
        own = aliased(UserAccount)
        which = and_(which, ~exists().where(own.worker_id == Worker.id, own.password_hash != NO_PASSWORD))
    return which


def issue_passwords(session: Session, actor: Principal, *, worker_ids: list[int] | None = None,
                    jurisdiction: str | None = None, community_code: str | None = None,
                    only_without_password: bool = True, now: datetime,
                    revocations: Revocations) -> list[WorkerLogin]:
    """D-18: one-time passwords for the workers selected (by id, or by
    jurisdiction and community, by default only those who never had one),
    opening the accounts of workers hired before accounts came with the hire.
    Each account must change its password at first login; tokens it had are
    revoked. Administrators and HR officers, within their jurisdiction."""
    if actor.role not in (Role.admin, Role.hr_officer):
        raise Forbidden("role_not_allowed", "Only administrators and HR officers issue workers' passwords.",
                        "只有管理员和人事专员可以发放职工登录密码。", clause=rules.CLAUSE)
    which = selection(session, actor, worker_ids=worker_ids, jurisdiction=jurisdiction,
                      community_code=community_code, only_without_password=only_without_password)
    open_accounts(session, which, now, actor.sub)
    rows = session.execute(
        select(UserAccount.id, UserAccount.username, UserAccount.token_version, Worker.id, Worker.name,
               Worker.jurisdiction, Worker.community_code)
        .join(Worker, Worker.id == UserAccount.worker_id).where(which)
        .order_by(Worker.jurisdiction, Worker.community_code, Worker.name, Worker.id)
    ).all()
    stored = revocations.stored(r.username for r in rows)
    changes: list[dict[str, Any]] = []
    out: list[WorkerLogin] = []
    for account_id, username, version, worker_id, name, jur, community in rows:
        password = one_time_password()
        changes.append({"id": account_id, "password_hash": hash_one_time(password), "must_change_password": True,
                        "token_version": max(version, stored.get(username, 0)) + 1, "failed_logins": 0,
                        "locked_until": None})
        out.append(WorkerLogin(worker_id, name, username, password, jur, community))
    if changes:
        session.execute(update(UserAccount), changes)
        revocations.raise_to({o.username: c["token_version"] for o, c in zip(out, changes, strict=True)})
    return out
