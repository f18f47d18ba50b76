"""What coordinators take away: the calendar feed as iCalendar (RFC 5545) and
attendance sheets as CSV and Excel. Pure rendering: rows in, bytes out."""
from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime

import msgspec
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shared import tabular
from shared.web import LOCAL_TZ

ICS_MEDIA_TYPE = "text/calendar"
CSV_MEDIA_TYPE = "text/csv"


class CalendarEvent(msgspec.Struct, frozen=True):
    uid: str
    starts_at: datetime  # Asia/Shanghai wall clock, no zone
    ends_at: datetime
    summary: str
    location: str | None
    description: str
    url: str | None = None
    cancelled: bool = False


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets are folded with CRLF + space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += ch
        size += n
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(dt: datetime) -> str:
    return dt.replace(tzinfo=LOCAL_TZ).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def icalendar(events: Sequence[CalendarEvent], name: str, stamp: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//workforce//training sessions//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text(name)}", "X-WR-TIMEZONE:Asia/Shanghai"]
    dtstamp = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{dtstamp}", f"DTSTART:{_utc(e.starts_at)}",
                  f"DTEND:{_utc(e.ends_at)}", f"SUMMARY:{_ics_text(e.summary)}",
                  f"DESCRIPTION:{_ics_text(e.description)}"]
        if e.location:
            lines.append(f"LOCATION:{_ics_text(e.location)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines.append("STATUS:CANCELLED" if e.cancelled else "STATUS:CONFIRMED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(x) for x in lines) + "\r\n"


class Sheet(msgspec.Struct, frozen=True):
    """An attendance sheet: one row per seated worker, one column per day."""

    title: str
    days: list[date]
    header: list[str]
    rows: list[list]  # the leading cells, then one mark per day (True/False/None), then the trailing cells
    lead: int  # how many leading cells before the day marks


def _mark(v) -> str:
    return "✓" if v is True else ("✗" if v is False else "")


def _cells(sheet: Sheet, row: list) -> list:
    lead, n = sheet.lead, len(sheet.days)
    return row[:lead] + [_mark(v) for v in row[lead:lead + n]] + row[lead + n:]


def sheet_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese names right;
    every cell safe (``shared.tabular.safe_cell``)."""
    return tabular.csv_bytes(sheet.header, (_cells(sheet, row) for row in sheet.rows))


def sheet_xlsx(sheet: Sheet) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "签到表"
    tabular.append_rows(ws, [[sheet.title], sheet.header])
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    tabular.append_rows(ws, (_cells(sheet, row) for row in sheet.rows))
    for i, h in enumerate(sheet.header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, min(24, len(str(h)) + 4))
    ws.freeze_panes = "C3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
