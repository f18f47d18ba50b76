"""The bounds every API states in its schema: ids, years, months, counts.

Request bodies (msgspec Structs) use ``Id``, ``Year``, ``Month``, ``Int64``,
``Count``; path and query parameters use the ``…Arg`` forms, which carry the
same bounds for Litestar (``worker_id: FromPath[IdArg]``). A value outside
them is refused with 400 naming the field before any handler runs, and the
OpenAPI documents show the bounds. What a type cannot say (an integer deep in
a free-form value, a date in a string) is the input guard's
(``shared.input_guard``).
"""
from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter
from msgspec import Meta

from shared.errors import YEARS
from shared.paging import MAX_LIMIT

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
"""What a database integer column holds: signed 64 bits."""

MONTH_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$"
"""``YYYY-MM`` within ``YEARS``."""

# --- request bodies -----------------------------------------------------------

Id = Annotated[int, Meta(ge=1, le=INT64_MAX, description="A record's id")]
Year = Annotated[int, Meta(ge=YEARS[0], le=YEARS[1])]
Month = Annotated[str, Meta(pattern=MONTH_PATTERN, examples=["2024-07"])]
Int64 = Annotated[int, Meta(ge=INT64_MIN, le=INT64_MAX)]
Count = Annotated[int, Meta(ge=0, le=INT64_MAX)]

NOT_BLANK = r"\S"
"""Free text people read holds at least one character that is not a space
(``shared.text.blank``); control characters are the input guard's."""
Short = Annotated[str, Meta(min_length=1, max_length=20, pattern=NOT_BLANK)]
Name = Annotated[str, Meta(min_length=1, max_length=64, pattern=NOT_BLANK)]  # a person's, a unit's name
Label = Annotated[str, Meta(min_length=1, max_length=100, pattern=NOT_BLANK)]
Title = Annotated[str, Meta(min_length=1, max_length=200, pattern=NOT_BLANK)]
Note = Annotated[str, Meta(min_length=1, max_length=1000, pattern=NOT_BLANK)]

# --- path and query parameters --------------------------------------------------

IdArg = Annotated[int, Parameter(ge=1, le=INT64_MAX, description="A record's id")]
OptIdArg = Annotated[int | None, Parameter(ge=1, le=INT64_MAX)]
YearArg = Annotated[int, Parameter(ge=YEARS[0], le=YEARS[1])]
OptYearArg = Annotated[int | None, Parameter(ge=YEARS[0], le=YEARS[1])]
MonthArg = Annotated[str, Parameter(pattern=MONTH_PATTERN, examples=None)]
LimitArg = Annotated[int, Parameter(ge=1, le=MAX_LIMIT)]
OffsetArg = Annotated[int, Parameter(ge=0, le=INT64_MAX)]
OptCountArg = Annotated[int | None, Parameter(ge=0, le=INT64_MAX)]
