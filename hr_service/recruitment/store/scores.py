"""Scores (D-4): one application's, a whole file of them (CSV or XLSX, all or
nothing), and the ranking per post."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from hr_service.recruitment import rules
from hr_service.recruitment.states import APPLICATION, ApplicationStatus, CampaignStatus
from hr_service.recruitment.store.applications import application
from hr_service.recruitment.store.campaigns import (
    applications_not_ready,
    applications_of,
    campaign,
    maybe_close,
    posts_of,
    record_step,
    recruitment_rule,
    require_step,
)
from hr_service.recruitment.tables import Application, Campaign
from shared.auth import Principal
from shared.errors import Conflict, FieldError, Invalid
from shared.policy import Policies
from shared.tabular import Line, read_table

SCORE_COLUMNS = ("written", "interview")


def hundredths(value: Decimal, field: str, rule: rules.RecruitmentRule, row: int | None = None) -> int:
    """A score in hundredths of a point, within 0..max_score (D-4)."""
    where = f"row {row}: " if row is not None else ""
    if not value.is_finite() or value < 0 or value > rule.max_score:
        raise Invalid("score_out_of_range", f"{where}{field} {value} is outside 0-{rule.max_score}.",
                      f"{where}{field}成绩 {value} 超出 0-{rule.max_score} 的范围。", field=field, clause="D-4")
    h = value * rules.HUNDREDTHS
    if h != h.to_integral_value():
        raise Invalid("score_precision", f"{where}{field} {value} has more than two decimals.",
                      f"{where}{field}成绩 {value} 超过两位小数。", field=field)
    return int(h)


def _scoreable(a: Application, field: str = "application_id") -> None:
    if a.status != ApplicationStatus.eligible:
        raise Conflict("not_eligible", f"Application {a.id} is '{a.status}', not eligible: it takes no scores.",
                       f"报名 {a.id} 未通过资格审查，不能录入成绩。", field=field, clause="D-4")


def enter_scores(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, application_id: int, *,
    written: Decimal | None, interview: Decimal | None, as_of: date, now: datetime,
) -> Application:
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "score")
    a = application(s, c, application_id)
    _scoreable(a)
    rule = recruitment_rule(s, policies, c)
    w = hundredths(written, "written", rule) if written is not None else None
    i = hundredths(interview, "interview", rule) if interview is not None else None
    if w is None and i is None:
        raise Invalid("no_scores", "Give a written or an interview score.", "请录入笔试或面试成绩。", field="written")
    if w is not None:
        a.written = w
    if i is not None:
        a.interview = i
    record_step(s, c, "score", principal.sub, as_of, now, application_id=a.id,
                written=None if written is None else str(written),
                interview=None if interview is None else str(interview))
    s.flush()
    return a


# --- a file of scores ------------------------------------------------------------

Update = tuple[Application, int | None, int | None]


def _key_column(header: list[str]) -> str:
    key = "id_number" if "id_number" in header else "application_id" if "application_id" in header else None
    if key is None or not (set(SCORE_COLUMNS) & set(header)):
        raise Invalid("csv_header", "The header needs id_number (or application_id) and written and/or interview.",
                      "表头须包含 id_number（或 application_id）以及 written 和/或 interview。", field="header")
    return key


def _row_scores(line: int, row: dict[str, Any], rule: rules.RecruitmentRule,
                errors: list[dict[str, Any]]) -> dict[str, int | None]:
    """The row's scores in hundredths (None where blank); each bad cell noted in ``errors``."""
    values: dict[str, int | None] = {}
    for col in SCORE_COLUMNS:
        raw = row.get(col)
        if raw is None:
            values[col] = None
            continue
        try:
            values[col] = hundredths(Decimal(str(raw)), col, rule, line)
        except InvalidOperation:
            errors.append({"row": line, "field": col, "reason": f"'{raw}' is not a number"})
        except Invalid as exc:
            errors.append({"row": line, "field": col, "reason": exc.detail.split(": ", 1)[-1]})
    if all(v is None for v in values.values()) and not any(e["row"] == line for e in errors):
        errors.append({"row": line, "field": "written", "reason": "no score on this row"})
    return values


def _file_updates(header: list[str], lines: list[Line], by_key: dict[str, Application], key: str,
                  rule: rules.RecruitmentRule) -> tuple[list[Update], list[dict[str, Any]]]:
    """Every line of the file checked: the updates it asks for and every bad row."""
    errors: list[dict[str, Any]] = []
    updates: list[Update] = []
    seen: dict[int, int] = {}
    for line, cells in lines:
        row = dict(zip(header, cells, strict=False))
        ref = str(row.get(key) or "").upper()
        a = by_key.get(ref)
        if a is None:
            errors.append({"row": line, "field": key, "reason": f"no application '{ref}' in this campaign"})
            continue
        if a.id in seen:
            errors.append({"row": line, "field": key, "reason": f"application {a.id} is also on row {seen[a.id]}"})
            continue
        seen[a.id] = line
        if a.status != ApplicationStatus.eligible:
            errors.append({"row": line, "field": key, "reason": f"application {a.id} is '{a.status}', not eligible"})
            continue
        values = _row_scores(line, row, rule, errors)
        updates.append((a, values.get("written"), values.get("interview")))
    return updates, errors


def _rows_invalid(errors: list[dict[str, Any]]) -> Invalid:
    first = errors[0]
    rows = len({e["row"] for e in errors})
    return Invalid(
        "csv_rows_invalid",
        f"{rows} row(s) have errors (first: row {first['row']}, {first['field']}: {first['reason']}); "
        f"nothing was written.",
        f"{rows} 行有错误（首个：第{first['row']}行 {first['field']}）；未写入任何成绩。",
        field=f"row {first['row']}: {first['field']}", clause="D-4",
        errors=[FieldError(f"row {e['row']}: {e['field']}", e["reason"]) for e in errors],
        extra={"rows": errors},
    )


def upload_scores(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, body: bytes, *, as_of: date,
    now: datetime,
) -> int:
    """Scores from a CSV or XLSX file (columns ``id_number`` or ``application_id``,
    and ``written`` and/or ``interview``; blank cells leave a score as it is).
    Every row is checked first; one bad row and nothing is written, and every
    bad row is reported with its line number. Returns the rows applied."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "score")
    rule = recruitment_rule(s, policies, c)
    header, lines = read_table(body)
    key = _key_column(header)
    apps = applications_of(s, c.id)
    by_key = {a.id_number: a for a in apps} if key == "id_number" else {str(a.id): a for a in apps}
    updates, errors = _file_updates(header, lines, by_key, key, rule)
    if errors:
        raise _rows_invalid(errors)
    if not updates:
        raise Invalid("csv_empty", "The file has no rows.", "文件没有数据行。", field="file")
    for a, w, i in updates:
        if w is not None:
            a.written = w
        if i is not None:
            a.interview = i
    record_step(s, c, "upload_scores", principal.sub, as_of, now, rows=len(updates))
    s.flush()
    return len(updates)


# --- ranking -----------------------------------------------------------------------

Plan = tuple[Application, int, int, rules.Placed]


def _rank_posts(s: Session, c: Campaign, apps: list[Application],
                rule: rules.RecruitmentRule) -> tuple[list[Plan], dict[int, list[int]]]:
    """Each post's candidates scored and ranked: the places, and any tie across a last place."""
    plans: list[Plan] = []
    ties: dict[int, list[int]] = {}
    for post in posts_of(s, c.id):
        mine = {a.id: a for a in apps if a.post_id == post.id}
        scored, bonus = [], {}
        for a in mine.values():
            points, _ = rules.certificate_bonus(list(a.certificates), rule)
            bonus[a.id] = points
            scored.append(rules.Scored(a.id, rules.composite(a.written, a.interview, points, rule), a.written,
                                       a.interview))
        ranking = rules.rank_post(scored, post.count)
        if ranking.tie_at_cutoff:
            ties[post.id] = ranking.tie_at_cutoff
        by_id = {x.application_id: x for x in scored}
        for p in ranking.placed:
            plans.append((mine[p.application_id], bonus[p.application_id], by_id[p.application_id].composite, p))
    return plans, ties


def rank(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, as_of: date,
         now: datetime) -> list[Application]:
    """D-4: composite scores, ranking per post (ties by written, then interview),
    the first ``count`` of each post selected."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "rank")
    rule = recruitment_rule(s, policies, c)
    apps = applications_of(s, c.id, ApplicationStatus.eligible)
    missing = [a.id for a in apps if a.written is None or a.interview is None]
    if missing:
        raise applications_not_ready(
            "scores_missing", missing,
            "lack a written or interview score; enter them or record a withdrawal before ranking.",
            "缺少笔试或面试成绩。", field="scores")
    plans, ties = _rank_posts(s, c, apps, rule)
    if ties:
        raise Conflict(
            "unresolved_tie",
            "Candidates tie on composite, written and interview scores across the last place of a post: "
            + "; ".join(f"post {pid}: applications {', '.join(map(str, ids))}" for pid, ids in ties.items())
            + ". Break the tie (e.g. a further interview score) and rank again.",
            "有考生综合成绩、笔试、面试成绩均相同且跨越录取名额，请先处理并列后再排名。",
            field="scores", clause="D-4", extra={"ties": {str(k): v for k, v in ties.items()}},
        )
    for a, points, comp, p in plans:
        a.bonus_points, a.composite, a.rank = points, comp, p.rank
        a.status = APPLICATION.move(a.status, ApplicationStatus.selected if p.selected else ApplicationStatus.standby)
    record_step(s, c, "rank", principal.sub, as_of, now, to_status=CampaignStatus.ranked,
                selected=[a.id for a, *_ in plans if a.status == ApplicationStatus.selected])
    s.flush()
    maybe_close(s, c, principal.sub, as_of, now)  # nobody eligible: nothing left to do
    return [a for a, *_ in plans]
