"""One reader for the tables people upload: CSV (UTF-8 with or without BOM, or
GB18030 as Excel in China saves it) and XLSX (the first sheet).

``read_table`` gives the header and the non-blank lines with their line
numbers (the header is line 1); ``read_records`` keys each line by the
lower-cased header and checks the required columns. Cells come back as text
or a plain value: dates as ISO text, whole floats as ints, blank cells as
``None`` (CSV cells are stripped text, blank ones ``None`` too). A file that
cannot be read is a 422 naming ``field``; nothing is half-read.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from shared.errors import Invalid

MAX_ROWS = 50_000
XLSX_MAGIC = b"PK\x03\x04"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Line = tuple[int, list[Any]]


def decode_text(data: bytes, field: str = "file") -> str:
    """UTF-8 (BOM or not) or GB18030 text; 422 otherwise."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("csv_encoding", "The file is neither UTF-8 nor GB18030 text.",
                  "文件不是 UTF-8 或 GB18030 编码的文本。", field=field)


def cell(value: Any) -> Any:
    """A cell as text or a plain value: dates as ISO, whole floats as ints, blanks as None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def is_xlsx(data: bytes) -> bool:
    return data[:4] == XLSX_MAGIC


def _xlsx_lines(data: bytes, field: str) -> list[Line]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Invalid("xlsx_malformed", f"The file is not a readable XLSX workbook: {exc}.",
                      "文件不是有效的 XLSX 工作簿。", field=field) from None
    try:
        return [(i, list(r)) for i, r in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def _csv_lines(data: bytes, field: str) -> list[Line]:
    reader = csv.reader(io.StringIO(decode_text(data, field), newline=""))
    try:
        return [(reader.line_num, list(r)) for r in reader]
    except csv.Error as exc:
        raise Invalid("csv_malformed", f"The file is not readable CSV (line {reader.line_num}): {exc}.",
                      f"文件不是有效的 CSV（第{reader.line_num}行）。", field=field) from None


def read_table(data: bytes, *, field: str = "file", max_rows: int = MAX_ROWS) -> tuple[list[str], list[Line]]:
    """The header and the non-blank lines (line number, cells) of a CSV or XLSX file."""
    lines = _xlsx_lines(data, field) if is_xlsx(data) else _csv_lines(data, field)
    lines = [(n, [cell(c) for c in r]) for n, r in lines if any(cell(c) is not None for c in r)]
    if not lines:
        raise Invalid("csv_empty", "The file has no header line.", "文件缺少表头。", field=field)
    if len(lines) - 1 > max_rows:
        raise Invalid("csv_too_large", f"At most {max_rows} rows at a time.", f"每次最多 {max_rows} 行。", field=field)
    header = [str(c or "").strip() for c in lines[0][1]]
    return header, lines[1:]


def read_records(data: bytes, required: Iterable[str] = (), *, field: str = "file",
                 max_rows: int = MAX_ROWS) -> list[tuple[int, dict[str, Any]]]:
    """The rows keyed by the lower-cased header, each with its line number; a
    required column missing is a 422 naming it."""
    header, lines = read_table(data, field=field, max_rows=max_rows)
    names = [h.lower() for h in header]
    for column in required:
        if column not in names:
            raise Invalid("csv_missing_column", f"The file has no '{column}' column.", f"文件缺少“{column}”列。",
                          field=column)
    return [(n, {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(names) if name})
            for n, cells in lines]
