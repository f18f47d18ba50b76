"""Workers from a spreadsheet (CSV or .xlsx) onto HR's rolls, in one request.

The header names are the fields of HR's ``POST /workers`` body (``NewWorker``),
the record's optional personal columns (gender, ethnicity, phone …) included.
A file is checked whole before anything is written: each row against the
body's types and limits, the ID number (GB 11643), repeats inside the file,
the caller's jurisdiction, a hire date not after today, and the post, grade
band and education of the policy in force on the hire date (read from HR's
``/policies``). The rows that pass go to HR's ``POST /workers/import``
together, which checks them again by the same rules, against the rolls (an
ID number already there) and against each community's quota (S4-1, S4-3,
D-9), and writes all or none in one transaction (or with ``partial`` the rows
that pass); the items it refuses come back in its answer and are reported by
spreadsheet row like the local problems.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from deploy.client import ApiError, Client
from hr_service.api import NewWorker
from hr_service.rules import PayScale, StartingGradeRule
from hr_service.rules.profile import PROFILE_FIELDS, Profile, check_profile
from hr_service.rules.workers import HireTerms, WorkerRow, admit
from shared import tabular
from shared.errors import Problem
from shared.policy import PolicyVersion, pick

FIELDS: tuple[str, ...] = NewWorker.__struct_fields__
REQUIRED: tuple[str, ...] = FIELDS[: len(FIELDS) - len(NewWorker.__struct_defaults__)]  # fields without a default
HEADER_ROW = 1
TEXT_COLUMNS = ("id_number", "name", "community_code", "phone", "emergency_contact_phone")  # text even if digits
MAX_ROWS = 1_000_000  # a whole city's rolls in one file


@dataclass
class RowError:
    """One reason a row cannot be imported (``row`` is the spreadsheet's row number; the header is row 1)."""

    row: int
    field: str
    reason: str
    reason_zh: str


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    body: dict[str, Any] | None = None  # the JSON body once the row checks out


@dataclass
class Sheet:
    rows: list[Row]
    errors: list[RowError] = field(default_factory=list)  # the header's problems and cells no text may hold


# --- reading -------------------------------------------------------------------------


def _records(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the non-blank lines of the file (``shared.tabular``); an empty file has neither."""
    try:
        return tabular.read_table(path.read_bytes(), max_rows=MAX_ROWS, check_text=False)  # by row in read_sheet
    except Problem as exc:
        if exc.code == "csv_empty":
            return [], []
        raise ValueError(exc.detail) from None


def read_sheet(path: Path) -> Sheet:
    """The rows of the first sheet (or the CSV), keyed by header; header problems are row 1 errors."""
    header, lines = _records(path)
    sheet = Sheet([])
    if not header:
        sheet.errors.append(RowError(HEADER_ROW, "", "The file is empty.", "文件为空。"))
        return sheet
    names = [h.lower() for h in header]
    for h in names:
        if h and h not in FIELDS:
            sheet.errors.append(RowError(HEADER_ROW, h, f"Unknown column '{h}'; the columns are: {', '.join(FIELDS)}.",
                                         f"未知列“{h}”；可用列为：{', '.join(FIELDS)}。"))
    for f in REQUIRED:
        if f not in names:
            sheet.errors.append(RowError(HEADER_ROW, f, f"The required column '{f}' is missing.", f"缺少必填列“{f}”。"))
    for number, cells in lines:
        values = {}
        for h, c in zip(names, cells, strict=False):  # a CSV row may be shorter or longer than the header
            v = tabular.cell(c)
            if h in FIELDS and v is not None:
                values[h] = str(v) if h in TEXT_COLUMNS else v
        sheet.rows.append(Row(number, values))
    sheet.errors += [RowError(number, h, f"The {h} {reason}.", f"{h}{reason_zh}。")
                     for number, h, (reason, reason_zh) in tabular.text_faults(names, lines)]
    return sheet


# --- checking ------------------------------------------------------------------------

_PATH = re.compile(r"at `\$\.([A-Za-z_]+)")


def _zh(message: str) -> str:
    m = message.lower()
    if "missing required field" in m:
        return "缺少必填字段"
    if "length" in m:
        return "长度不符合要求"
    if ">=" in m or "<=" in m:
        return "超出允许范围"
    if "invalid enum value" in m:
        return "不是允许的取值"
    if "expected `int" in m:
        return "应为整数"
    if "expected `date`" in m or "invalid rfc3339" in m or "date" in m:
        return "应为 YYYY-MM-DD 格式的日期"
    return "格式或取值不正确"


def _shape_errors(row: Row) -> list[RowError]:
    """The row against ``NewWorker``'s types and limits; every bad field, not just the first."""
    values = dict(row.values)
    errors: list[RowError] = []
    dropped: set[str] = set()
    for _ in range(len(FIELDS) + 1):
        try:
            msgspec.convert(values, NewWorker, strict=False)
            break
        except msgspec.ValidationError as exc:
            msg = str(exc)
            m = _PATH.search(msg)
            missing = re.search(r"missing required field `([A-Za-z_]+)`", msg)
            name = m.group(1) if m else missing.group(1) if missing else ""
            if name in dropped:  # already reported as bad; its absence is not news
                values[name] = _placeholder(name)
                continue
            errors.append(RowError(row.number, name, msg.split(" - at ")[0], _zh(msg)))
            if not name:
                break
            dropped.add(name)
            values[name] = _placeholder(name)
    return errors


def _placeholder(name: str) -> Any:
    """A value that passes the body's checks, standing in for a bad one while the rest are checked."""
    return {"name": "x", "id_number": "110101199003070035", "jurisdiction": "x", "post": "x",
            "hired_on": "2000-01-01", "service_years": 0, "status": "active"}.get(name)  # the optional ones: None


class PolicyBook:
    """HR's hire terms (pay scale and starting-grade rule) per (jurisdiction,
    date): each key's versions are fetched once (``GET /policies?key=``) and
    resolved here by HR's own rule (``shared.policy.pick``), so a file of a
    thousand hire dates costs two requests."""

    def __init__(self, client: Client):
        self.client = client
        self.versions: dict[str, list[PolicyVersion]] = {}

    def version(self, key: str, jurisdiction: str, as_of: date) -> PolicyVersion | None:
        if key not in self.versions:
            rows = self.client.get("hr", "/policies", params={"key": key})
            self.versions[key] = msgspec.convert(rows, list[PolicyVersion])
        return pick(self.versions[key], jurisdiction, as_of, or_first=True)

    def terms(self, jurisdiction: str, as_of: date) -> HireTerms | None:
        """The terms HR hires under on ``as_of``; None when it has none (HR says why)."""
        scale = self.version("pay_scale", jurisdiction, as_of)
        rule = self.version("starting_grade", jurisdiction, as_of)
        if scale is None or rule is None:
            return None
        return HireTerms(msgspec.convert(scale.value, PayScale), msgspec.convert(rule.value, StartingGradeRule))


def _rule_errors(row: Row, w: NewWorker, scope: str | None, book: PolicyBook | None) -> list[RowError]:
    """HR's own decision for the row (``hr_service.rules.workers.admit``), read
    before anything is sent; duplicates in the file are ``check``'s."""
    errors: list[RowError] = []
    if w.status == "probation" and w.probation_ends_on is not None and w.probation_ends_on < w.hired_on:
        errors.append(RowError(row.number, "probation_ends_on", "The probation ends before the hire date.",
                               "试用期结束日期早于入职日期。"))
    candidate = msgspec.convert(msgspec.to_builtins(w), WorkerRow)
    terms = book.terms(w.jurisdiction, w.hired_on) if book is not None else None
    decided = admit(candidate, terms, actor="import", yours=scope, today=date.today())
    if isinstance(decided, list):
        errors[:0] = [RowError(row.number, r.field or "", r.detail, r.detail_zh) for r in decided]
    profile = Profile(**{f: getattr(w, f) for f in PROFILE_FIELDS})  # the optional columns
    personal = check_profile(profile, id_number=w.id_number, today=date.today())
    errors.extend(RowError(row.number, r.field or "", r.detail, r.detail_zh) for r in personal)
    return errors


def check(sheet: Sheet, scope: str | None, book: PolicyBook | None,
          progress: Callable[[int], None] = lambda n: None) -> list[RowError]:
    """Every problem of every row (and the header); sets ``row.body`` on the rows that pass."""
    errors = list(sheet.errors)
    seen: dict[str, int] = {}
    unreadable = {e.row for e in sheet.errors}
    for row in sheet.rows:
        row_errors = _shape_errors(row)
        if not row_errors:
            w = msgspec.convert(row.values, NewWorker, strict=False)
            row_errors = _rule_errors(row, w, scope, book)
            number = w.id_number.strip().upper()
            if number in seen:
                row_errors.append(RowError(row.number, "id_number", f"The same ID number is on row {seen[number]}.",
                                           f"与第 {seen[number]} 行身份证号码重复。"))
            else:
                seen[number] = row.number
            if not row_errors and row.number not in unreadable:
                row.body = msgspec.to_builtins(w)
        errors.extend(row_errors)
        progress(1)
    return errors


# --- writing -------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[tuple[int, int]]  # (row, worker id)
    errors: list[RowError]  # HR's refusals, by spreadsheet row: of the whole file, or with partial the rows left out


def _refusals(rows: list[Row], exc: ApiError) -> list[RowError]:
    """HR's 422 for a bulk import as row errors: ``extra.items`` (item index, field, reasons), else ``errors``."""
    errors: list[RowError] = []
    items = (exc.body.get("extra") or {}).get("items")
    if items:
        for x in items:
            errors.append(RowError(rows[x["item"]].number, x.get("field") or "", x["reason"], x.get("reason_zh") or ""))
    else:
        for e in exc.body.get("errors") or []:
            m = re.match(r"items\[(\d+)\]\.?(.*)", e.get("field", ""))
            if m:
                errors.append(RowError(rows[int(m.group(1))].number, m.group(2), e.get("reason", ""), ""))
    if not errors:  # a refusal of the whole request
        errors.append(RowError(HEADER_ROW, exc.field or "", exc.body.get("detail", str(exc)),
                               exc.body.get("detail_zh", "")))
    return sorted(errors, key=lambda e: (e.row, e.field))


def _left_out(rows: list[Row], refused: list[dict[str, Any]]) -> list[RowError]:
    """A partial import's ``refused`` items as the rows' errors, every reason of each."""
    return sorted((RowError(rows[x["item"]].number, p.get("field") or "", p["reason"], p.get("reason_zh") or "")
                   for x in refused for p in x["problems"]), key=lambda e: (e.row, e.field))


def import_rows(client: Client, rows: list[Row], *, dry_run: bool = False, partial: bool = False) -> ImportResult:
    """Send the checked rows to HR's ``POST /workers/import`` in one request:
    all or none, or with ``partial`` the rows that pass. A refused file (422,
    or 409 when every row clashes with the rolls, e.g. a community's quota)
    and the rows a partial import left out become the rows' errors; any other
    refusal is raised."""
    if not rows:
        return ImportResult([], [])
    try:
        out = client.post("hr", "/workers/import", {"items": [r.body for r in rows], "dry_run": dry_run,
                                                     "partial": partial})
    except ApiError as exc:
        if exc.status not in (409, 422) or exc.code != "import_refused":
            raise
        return ImportResult([], _refusals(rows, exc))
    refused = out.get("refused") or []
    left_out = {x["item"] for x in refused}
    written = [r for i, r in enumerate(rows) if i not in left_out]
    return ImportResult([(r.number, i) for r, i in zip(written, out["ids"], strict=False)],  # no ids on a dry run
                        _left_out(rows, refused))


def default_report(path: Path) -> Path:
    return path.with_name(path.stem + ".errors.csv")


def write_report(path: Path, errors: list[RowError]) -> None:
    """The per-row error report: row, field, reason (English), reason (Chinese); UTF-8 with a BOM for Excel."""
    rows = [[e.row, e.field, e.reason, e.reason_zh] for e in sorted(errors, key=lambda e: (e.row, e.field))]
    path.write_bytes(tabular.csv_bytes(["row", "field", "reason", "reason_zh"], rows))
