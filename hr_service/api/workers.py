"""``/workers``: putting workers on the rolls (one or an import), the list, a
record, its grade history and titles, post changes and leaving."""
from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response

from hr_service import store
from hr_service.api.schemas import (
    DesignationOut,
    GradeChangeOut,
    Leave,
    NewWorker,
    PostChange,
    PostChanged,
    WorkerImport,
    WorkerImportOut,
    WorkerOut,
    change_out,
    designation_out,
    refused_items,
    worker_out,
)
from hr_service.rules.profile import sees_in_full
from hr_service.store.profile import education_of
from shared.auth import Role, require_jurisdiction, requires
from shared.paging import Page, check_paging
from shared.text import text_fault
from shared.types import IdArg, OptCountArg
from shared.web import Svc, now, today


def import_items(items: list[dict[str, Any]]) -> tuple[list[NewWorker | None], list[store.RowProblem]]:
    """Each item as a ``NewWorker`` body, or None and its problem (a character
    no text may hold, ``shared.text``; else the first msgspec reports)."""
    out: list[NewWorker | None] = []
    problems: list[store.RowProblem] = []
    for i, item in enumerate(items):
        faults = [(k, f) for k, v in item.items() if isinstance(v, str) and (f := text_fault(v)) is not None]
        if faults:
            problems += [store.RowProblem(i, k, "text_invalid", f"{k} {en}.", f"第 {i} 项 {k}{zh}。")
                         for k, (en, zh) in faults]
            out.append(None)
            continue
        try:
            out.append(msgspec.convert(item, NewWorker))
        except msgspec.ValidationError as exc:
            message = str(exc)
            m = re.search(r"at `\$\.([A-Za-z_]+)", message) or re.search(r"field `([A-Za-z_]+)`", message)
            problems.append(store.RowProblem(i, m.group(1) if m else "", "invalid_item", message,
                                             f"第 {i} 项格式或取值不正确：{message}"))
            out.append(None)
    return out, problems


class WorkerController(Controller):
    path = "/workers"
    tags = ["workers"]

    @post("/", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def create_worker(self, svc: Svc, request: Request, data: JSONBody[NewWorker]) -> WorkerOut:
        """Put a worker on the rolls. The ID number is validated (GB 11643) and
        unique; the hire date is not after today (``date_in_future``); a
        community named is registered (422 ``unknown_community``) and has room
        on the hire date (409 ``quota_full``: S4-1, S4-3, D-9); the response
        says how the starting grade was derived (D-2)."""
        require_jurisdiction(request.user, data.jurisdiction)
        with svc.db.transaction() as s:
            w = store.create_worker(
                s, name=data.name, id_number=data.id_number, jurisdiction=data.jurisdiction,
                community_code=data.community_code, post=data.post, grade=data.grade,
                hired_on=data.hired_on, now=now(), education=data.education, service_years=data.service_years,
                status=data.status, probation_ends_on=data.probation_ends_on, actor=request.user.sub,
                policies=svc.policies, today=today(), personal=data,
            )
            return worker_out(w, store.hire_derivation(s, w.id), full=True)

    @post("/import", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def import_workers(self, svc: Svc, request: Request, data: JSONBody[WorkerImport]) -> Response[WorkerImportOut]:
        """Put many workers on the rolls in one transaction (201; ``dry_run``
        checks only, 200). Every item is checked as ``POST /workers`` checks
        one, against the other items and the rolls for a repeated ID number,
        and against its community's quota with the file's other items of that
        community (S4-1, S4-3, D-9); every problem of every item is named. Any
        refusal refuses the file: one 422 (409 when every item clashes with
        what is recorded, e.g. ``quota_full``) whose ``errors`` name each bad
        item (``items[3].id_number``) and whose ``extra.items`` give the codes
        and reasons in English and Chinese. With ``partial`` the items that
        pass are written and each refused one is listed in ``refused`` with
        its reasons. Publishes worker.hired for each written."""
        items, problems = import_items(data.items)
        with svc.db.transaction() as s:
            done = store.import_workers(s, request.user, items, now=now(), today=today(), dry_run=data.dry_run,
                                        partial=data.partial, problems=problems, policies=svc.policies)
        return Response(WorkerImportOut(data.dry_run, done.count, done.ids, refused_items(done.refused)),
                        status_code=200 if data.dry_run else 201)

    @get("/", sync_to_thread=True)
    def list_workers(
        self, svc: Svc, request: Request,
        limit: FromQuery[int] = 50,
        offset: FromQuery[int] = 0,
        jurisdiction: FromQuery[str | None] = None,
        community_code: FromQuery[str | None] = None,
        post: FromQuery[str | None] = None,
        grade: FromQuery[OptCountArg] = None,
        status: FromQuery[str | None] = None,
        name: FromQuery[str | None] = None,
    ) -> Page[WorkerOut]:
        """Workers in the caller's jurisdiction (a worker sees only themselves),
        filtered and paged; ID numbers and contacts masked except for HR of
        each worker's jurisdiction (D-8)."""
        check_paging(limit, offset)
        if jurisdiction and request.user.role is not Role.worker:
            require_jurisdiction(request.user, jurisdiction)
        filters = store.WorkerFilter(jurisdiction, community_code, post, grade, status, name)
        with svc.db.read_session() as s:
            rows, total = store.list_workers(s, request.user, limit, offset, filters)
            return Page([worker_out(w, full=sees_in_full(request.user, w.jurisdiction, w.id)) for w in rows],
                        total, limit, offset)

    @get("/{worker_id:int}", sync_to_thread=True)
    def get_worker(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> WorkerOut:
        """A worker's record with the education history. Another person's record
        answers 404 (D-8); the ID number and contacts are masked except for HR
        of the worker's jurisdiction and the worker."""
        with svc.db.read_session() as s:
            w = store.visible_worker(s, request.user, worker_id)
            return worker_out(w, store.hire_derivation(s, w.id), education=education_of(s, w.id),
                              full=sees_in_full(request.user, w.jurisdiction, w.id))

    @get("/{worker_id:int}/grade-history", sync_to_thread=True)
    def grade_history(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[GradeChangeOut]:
        """Every post and grade held: from when, who set it, why, under which clause."""
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [change_out(c) for c in store.grade_history(s, worker_id)]

    @get("/{worker_id:int}/designations", sync_to_thread=True)
    def designations(self, svc: Svc, request: Request, worker_id: FromPath[IdArg]) -> list[DesignationOut]:
        """Titles on the worker's record (a leader talent, D-7, from certs' talent.selected)
        with their terms; ``in_force`` is as of today. Another person's record is 404 (D-8)."""
        with svc.db.read_session() as s:
            store.visible_worker(s, request.user, worker_id)
            return [designation_out(d, today()) for d in store.designations(s, worker_id)]

    @post("/{worker_id:int}/post-changes", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def change_post(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                    data: JSONBody[PostChange]) -> PostChanged:
        """Move a worker to another post from a date (D-2); the grade is kept if it
        lies in the new band, else the nearest grade of it, unless one is given."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            c = store.change_post(s, w, post=data.post, effective_on=data.effective_on, reason=data.reason,
                                  grade=data.grade, actor=request.user.sub, now=now(), policies=svc.policies)
            return PostChanged(worker_out(w), change_out(c))

    @post("/{worker_id:int}/leave", sync_to_thread=True, guards=[requires(Role.hr_officer)], status_code=200)
    def leave(self, svc: Svc, request: Request, worker_id: FromPath[IdArg], data: JSONBody[Leave]) -> WorkerOut:
        """Take a worker off the rolls (``left_on`` is the last day); publishes worker.left."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            return worker_out(store.leave(s, w, left_on=data.left_on, reason=data.reason, actor=request.user.sub,
                                          now=now()))

