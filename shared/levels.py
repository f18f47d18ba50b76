"""Statistics by organisation level (D-17): which unit a jurisdiction counts in.

Jurisdictions are dotted paths, city → district → street
(``hangzhou.xihu.beishan``). Figures asked ``by=district`` are grouped by the
first two segments, ``by=street`` by the first three; a record kept at a
higher level than the one asked counts in ``(no district)`` or ``(no street)``.
Pure: every service groups the same way.
"""
from __future__ import annotations

from typing import Literal

from shared.errors import Invalid

By = Literal["district", "street"]

DEPTH: dict[str, int] = {"district": 2, "street": 3}
NO_UNIT: dict[str, str] = {"district": "(no district)", "street": "(no street)"}


def unit_of(jurisdiction: str, by: str) -> str:
    """The district or street ``jurisdiction`` counts in (``by``), or the "none" bucket."""
    parts = jurisdiction.split(".")
    depth = DEPTH[by]
    return ".".join(parts[:depth]) if len(parts) >= depth else NO_UNIT[by]


def check_by(by: str | None) -> str | None:
    """``by`` as asked: ``district``, ``street`` or none (422 ``invalid_by`` naming the field)."""
    if by is None or by in DEPTH:
        return by
    raise Invalid("invalid_by", f"by must be 'district' or 'street'; '{by}' is not (D-17).",
                  f"by 须为 district 或 street（“{by}”不是）（D-17）。", field="by", clause="D-17")
