"""One pagination shape for every list: ``limit``/``offset`` in, ``Page`` out."""
from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

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
        raise Problem("invalid_limit", f"limit must be 1..{MAX_LIMIT}.", f"limit 须在 1..{MAX_LIMIT} 之间。", field="limit")
    if offset < 0:
        raise Problem("invalid_offset", "offset must be >= 0.", "offset 不能为负数。", field="offset")
