"""One pagination shape for every list: ``limit``/``offset`` in, ``Page`` out."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import msgspec
from sqlalchemy import Result, Select, func, select
from sqlalchemy.orm import Session

from shared.errors import Problem

T = TypeVar("T")

MAX_LIMIT = 500


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def check_paging(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem("invalid_limit", f"limit must be 1..{MAX_LIMIT}.", f"limit 须在 1..{MAX_LIMIT} 之间。",
                      field="limit")
    if offset < 0:
        raise Problem("invalid_offset", "offset must be >= 0.", "offset 不能为负数。", field="offset")


def fetch_page(session: Session, query: Select, order_by: Sequence[Any], limit: int,
               offset: int) -> tuple[Result, int]:
    """One page of ``query`` in ``order_by`` order, and how many rows it has in all."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    return session.execute(query.order_by(*order_by).limit(limit).offset(offset)), total
