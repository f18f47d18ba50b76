"""What every part of the store shares: who sees the catalogue (D-8) and the
rows of an uploaded file."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_

from shared.auth import Principal, Role
from shared.db import in_jurisdiction as in_scope
from shared.errors import FieldError, Invalid
from shared.policy import jurisdiction_chain

# --- jurisdictions (D-8) ----------------------------------------------------------


def sees(principal: Principal, jurisdiction: str) -> bool:
    """Programmes and sessions are a catalogue: visible to everyone inside their
    jurisdiction, and a city's to its districts."""
    return principal.covers(jurisdiction) or jurisdiction in jurisdiction_chain(principal.jurisdiction)


def visible_to(principal: Principal, column) -> ColumnElement[bool]:
    return or_(in_scope(column, principal.jurisdiction), column.in_(jurisdiction_chain(principal.jurisdiction)))


def is_worker(principal: Principal | None) -> bool:
    return principal is not None and principal.role is Role.worker



# --- uploaded files ------------------------------------------------------------------


def texts(record: dict[str, Any]) -> dict[str, str]:
    """A file row's cells as text, a blank cell as ''."""
    return {k: "" if v is None else str(v) for k, v in record.items()}


def row_error(line: int, column: str, reason: str) -> FieldError:
    return FieldError(field=f"row {line}.{column}", reason=reason)


def rows_refused(errors: list[FieldError], what: str, what_zh: str) -> Invalid:
    """One bad row and nothing is written: the 422 names every bad row."""
    first = errors[0]
    return Invalid(
        "csv_rows_invalid",
        f"{len(errors)} problem(s) in the {what}; nothing was written. First: {first.field}: {first.reason}.",
        f"{what_zh}有 {len(errors)} 处错误，未写入任何记录。第一处：{first.field}：{first.reason}。",
        field=first.field, errors=errors,
    )
