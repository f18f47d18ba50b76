"""``/categories``: the classes of training in force (S2-2 7大类培训班)."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get
from litestar.params import FromQuery

from shared.web import Svc, today
from training_service import rules
from training_service.api.common import who


class CategoryController(Controller):
    path = "/categories"
    tags = ["programmes"]

    @get("/", sync_to_thread=True)
    def in_force(self, svc: Svc, request: Request, jurisdiction: FromQuery[str | None] = None,
                 as_of: FromQuery[date | None] = None) -> rules.CategoryTable:
        """The classes of training in force (S2-2 7大类培训班)."""
        with svc.db.read_session() as s:
            return svc.policies.in_force(s, "training_categories", jurisdiction or who(request).jurisdiction,
                                         as_of or today())
