"""A worker's record complete enough to serve: the personal fields changed in
part by HR (``PATCH /workers/{id}/profile``), the education history replaced
whole (``PUT /workers/{id}/education``), and the worker's own contacts and
emergency contact (``PATCH /me/profile``). Checked by ``rules.profile``; a
refusal names every bad field and leaves nothing changed."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, patch, put
from litestar.params import FromPath, JSONBody
from msgspec import UNSET, UnsetType

from hr_service import store
from hr_service.api.me import own_worker_id
from hr_service.api.schemas import EducationOut, NonEmpty, Short, WorkerOut, education_out, worker_out
from hr_service.rules.profile import Education
from hr_service.store import profile as profiles
from shared.auth import Role, requires
from shared.types import IdArg, Year
from shared.web import Svc, today

Email = Annotated[str, msgspec.Meta(max_length=128)]
Address = Annotated[str, msgspec.Meta(max_length=200)]


class ContactsPatch(msgspec.Struct, forbid_unknown_fields=True):
    """The contacts and emergency contact a worker keeps up to date themselves;
    a field left out is left as it is, ``null`` clears it."""

    phone: Short | None | UnsetType = UNSET
    email: Email | None | UnsetType = UNSET
    address: Address | None | UnsetType = UNSET
    emergency_contact_name: NonEmpty | None | UnsetType = UNSET
    emergency_contact_relation: Short | None | UnsetType = UNSET
    emergency_contact_phone: Short | None | UnsetType = UNSET


class ProfilePatch(ContactsPatch, forbid_unknown_fields=True):
    """What HR may change on the record: the contacts and the personal fields."""

    gender: Short | None | UnsetType = UNSET
    ethnicity: Short | None | UnsetType = UNSET
    political_status: Short | None | UnsetType = UNSET
    party_member_since: date | None | UnsetType = UNSET


class EducationIn(msgspec.Struct, forbid_unknown_fields=True):
    qualification: Short
    school: Annotated[str, msgspec.Meta(max_length=100)]
    graduated_year: Year
    major: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    full_time: bool = True


def given(body: msgspec.Struct) -> dict[str, Any]:
    """The fields the body sets (a ``null`` included), not those left out."""
    return {f: v for f in body.__struct_fields__ if (v := getattr(body, f)) is not UNSET}


class WorkerProfileController(Controller):
    path = "/workers"
    tags = ["workers"]

    @patch("/{worker_id:int}/profile", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def update_profile(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                       data: JSONBody[ProfilePatch]) -> WorkerOut:
        """Set some of the worker's personal fields (HR of the worker's
        jurisdiction: 403 elsewhere, 404 for a record not visible, D-8). The
        record is checked whole after the change: the gender as the ID number
        says, ethnicity (GB 3304), political status (GB/T 4762), party
        membership from the 18th birthday, phone and e-mail shapes, the
        emergency contact whole; 422 naming every bad field."""
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            profiles.update_profile(s, w, given(data), today=today())
            return worker_out(w, education=profiles.education_of(s, w.id), full=True)

    @put("/{worker_id:int}/education", sync_to_thread=True, guards=[requires(Role.hr_officer)])
    def replace_education(self, svc: Svc, request: Request, worker_id: FromPath[IdArg],
                          data: JSONBody[list[EducationIn]]) -> list[EducationOut]:
        """Replace the worker's whole education history: each qualification one
        of the pay rule's (D-2) or below, a school, a graduation year from the
        birth year + 14 to this year; 422 naming each bad row (``education[1].graduated_year``)."""
        rows = [Education(**msgspec.structs.asdict(r)) for r in data]
        with svc.db.transaction() as s:
            w = store.writable_worker(s, request.user, worker_id)
            return education_out(profiles.replace_education(s, w, rows, today=today()))


class MyProfileController(Controller):
    path = "/me"
    tags = ["me"]

    @patch("/profile", sync_to_thread=True, guards=[requires(Role.worker)])
    def update_my_profile(self, svc: Svc, request: Request, data: JSONBody[ContactsPatch]) -> WorkerOut:
        """The calling worker updates their own contacts and emergency contact
        (nothing else: another field is 400); checked as HR's change is."""
        worker_id = own_worker_id(request.user)
        with svc.db.transaction() as s:
            w = store.visible_worker(s, request.user, worker_id)
            profiles.update_profile(s, w, given(data), today=today())
            return worker_out(w, education=profiles.education_of(s, w.id), full=True)
