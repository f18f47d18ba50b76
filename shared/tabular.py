"""One reader for the tables people upload: CSV (UTF-8 with or without BOM, or
GB18030 as Excel in China saves it) and XLSX (the first sheet).

``read_table`` gives the header and the non-blank lines with their line
numbers (the header is line 1); ``read_records`` keys each line by the
lower-cased header and checks the required columns. Cells come back as text
or a plain value: dates as ISO text, whole floats as ints, blank cells as
``None`` (CSV cells are stripped text, blank ones ``None`` too). A file that
cannot be read is a 422 naming ``field``; nothing is half-read. A cell holding
a character no text may hold (``shared.text.text_fault``) is a 422 naming its
row and column.

And one writer for the tables people take away: every CSV and XLSX export
passes its cells through ``safe_cell``, so a stored value a spreadsheet would
run as a formula is shown as text and a character XLSX cannot hold never
fails the export.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

from shared.errors import FieldError, Invalid
from shared.text import text_fault

MAX_ROWS = 50_000
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the Excel 97-2003 .xls format, and other OLE files
FIELD_LIMIT = csv.field_size_limit()  # the longest CSV field read (131,072 characters)
MAX_TEXT_FAULTS = 100  # the rows and columns a refusal lists
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


# what a damaged workbook raises from the zip, the XML inside it or openpyxl
_BROKEN_XLSX = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError, ValueError, TypeError, OSError,
                ParseError)


def _xlsx_lines(data: bytes, field: str) -> list[Line]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [(i, list(r)) for i, r in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1)]
        finally:
            wb.close()
    except (*_BROKEN_XLSX, InvalidFileException) as exc:
        raise Invalid("xlsx_malformed", f"The file is not a readable XLSX workbook: {exc}.",
                      "文件不是有效的 XLSX 工作簿。", field=field) from None


def _csv_lines(data: bytes, field: str) -> list[Line]:
    if data[:4] == OLE_MAGIC:
        raise Invalid("file_type", "The file is an Excel 97-2003 (.xls) workbook: save it as .xlsx or CSV.",
                      "文件是 Excel 97-2003（.xls）格式：请另存为 .xlsx 或 CSV。", field=field)
    text = decode_text(data, field)
    if "\x00" in text:
        raise Invalid("file_type", "The file is neither CSV nor XLSX: it holds binary data.",
                      "文件既不是 CSV 也不是 XLSX：含有二进制数据。", field=field)
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[Line] = []
    try:
        for r in reader:
            lines.append((reader.line_num, r))
    except csv.Error as exc:
        line = reader.line_num
        if "field limit" in str(exc):
            raise Invalid("csv_malformed", f"Line {line}: a field is longer than {FIELD_LIMIT:,} characters.",
                          f"第{line}行：有字段超过 {FIELD_LIMIT:,} 个字符。", field=field) from None
        raise Invalid("csv_malformed", f"The file is not readable CSV (line {line}): {exc}.",
                      f"文件不是有效的 CSV（第{line}行）。", field=field) from None
    return lines


def text_faults(header: Sequence[str], lines: Iterable[Line]) -> Iterator[tuple[int, str, tuple[str, str]]]:
    """(line, column, (reason, reason_zh)) of each cell holding a character no
    text may hold; a cell under no header name is ``column <n>``."""
    for n, cells in lines:
        for i, c in enumerate(cells):
            fault = text_fault(c) if isinstance(c, str) else None
            if fault is not None:
                yield n, (header[i] if i < len(header) and header[i] else f"column {i + 1}"), fault


def read_table(data: bytes, *, field: str = "file", max_rows: int = MAX_ROWS,
               check_text: bool = True) -> tuple[list[str], list[Line]]:
    """The header and the non-blank lines (line number, cells) of a CSV or XLSX
    file. With ``check_text`` a cell ``text_faults`` names refuses the file,
    every such cell listed (up to ``MAX_TEXT_FAULTS``)."""
    lines = _xlsx_lines(data, field) if is_xlsx(data) else _csv_lines(data, field)
    lines = [(n, [cell(c) for c in r]) for n, r in lines if any(cell(c) is not None for c in r)]
    if not lines:
        raise Invalid("csv_empty", "The file has no header line.", "文件缺少表头。", field=field)
    if len(lines) - 1 > max_rows:
        raise Invalid("csv_too_large", f"At most {max_rows} rows at a time.", f"每次最多 {max_rows} 行。", field=field)
    header = [str(c or "").strip() for c in lines[0][1]]
    faults = [FieldError(field=f"row {n}.{column}", reason=fault[0])
              for n, column, fault in text_faults(header, lines[1:])] if check_text else []
    if faults:
        first = faults[0]
        raise Invalid("text_invalid", f"{len(faults)} cell(s) hold characters no text may hold; nothing was "
                      f"written. First: {first.field}: {first.reason}.",
                      f"{len(faults)} 个单元格含有不允许的字符，未写入任何记录。第一处：{first.field}。",
                      field=first.field, errors=faults[:MAX_TEXT_FAULTS])
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


# --- writing ------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (OWASP)
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE
_SHEET_TITLE = re.compile(r"[\\/?*\[\]:]")
REPLACEMENT = "\ufffd"


def safe_cell(value: Any) -> Any:
    """A cell as every export writes it: text a spreadsheet would run as a
    formula gets a leading ``'``; characters XLSX cannot hold become U+FFFD.
    Numbers, dates and numbers written as text (``-12.50``) stay as they are."""
    if not isinstance(value, str):
        return value
    value = _XLSX_ILLEGAL.sub(REPLACEMENT, value)
    if value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(cells: Iterable[Any]) -> list[Any]:
    return [safe_cell(c) for c in cells]


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV table, every cell (blank for None) through ``safe_cell``, lines
    ending CRLF; UTF-8 with a byte-order mark, so that Excel in China opens it right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(safe_row(header))
    w.writerows(safe_row("" if c is None else c for c in r) for r in rows)
    return buf.getvalue().encode("utf-8-sig")


def append_rows(ws: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Append ``rows`` to an openpyxl worksheet, every cell through ``safe_cell``."""
    for r in rows:
        ws.append(safe_row(r))


def sheet_title(title: str) -> str:
    """A worksheet's title as XLSX allows it: at most 31 characters, none of ``\\ / ? * [ ] :``."""
    return _SHEET_TITLE.sub("_", _XLSX_ILLEGAL.sub("", title))[:31] or "Sheet"


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of a sheet per title (at most 31 characters), each its header (frozen) then its rows."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(sheet_title(title))
        append_rows(ws, [header, *rows])
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
