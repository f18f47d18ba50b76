"""``/users``: logins, created by an admin (D-8)."""
from __future__ import annotations

from litestar import Controller, Request, post
from litestar.params import JSONBody

from hr_service import store
from hr_service.api.schemas import NewUser, UserOut
from shared.auth import Principal, Role, require_jurisdiction, requires
from shared.web import Svc, now


class UserController(Controller):
    path = "/users"
    tags = ["auth"]
    guards = [requires(Role.admin)]

    @post("/", sync_to_thread=True)
    def create_user(self, svc: Svc, request: Request, data: JSONBody[NewUser]) -> UserOut:
        """Create a login (admin only, within the admin's jurisdiction)."""
        principal: Principal = request.user
        require_jurisdiction(principal, data.jurisdiction)
        with svc.db.transaction() as s:
            u = store.create_user(
                s, username=data.username, password=data.password, role=data.role,
                jurisdiction=data.jurisdiction, worker_id=data.worker_id, now=now(),
            )
            return UserOut(u.id, u.username, Role(u.role), u.jurisdiction, u.worker_id)
