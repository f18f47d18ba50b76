"""Communities, recruitment campaigns and postings: queries and transactions.

Every write checks first and writes after, inside the caller's
``db.transaction()``: a refusal leaves nothing behind. A campaign's row is
locked for each step so that two officers' steps queue; a community's row is
locked where its vacancies are counted (posts opened, workers hired).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hr_service import store as hr_store
from hr_service.recruitment import rules
from hr_service.recruitment.tables import (
    Application,
    Campaign,
    CampaignEvent,
    CampaignPost,
    Community,
    Notice,
    Objection,
    Posting,
)
from hr_service.rules import POSTS, StaffingRule
from hr_service.tables import Worker
from shared import idcard
from shared.db import in_jurisdiction
from shared.auth import Principal, ensure_visible, require_jurisdiction
from shared.errors import Conflict, FieldError, Invalid, NotFound
from shared.policy import Policies
from shared.workdays import default_calendar

ACTIVE = ("announced", "examining", "ranked", "notice")
"""Campaign states whose open posts hold vacancies."""


# --- communities ----------------------------------------------------------------


def _visible_scope(q, column, principal: Principal):
    return q.where(in_jurisdiction(column, principal.jurisdiction))


def community(s: Session, principal: Principal, code: str, *, write: bool = False) -> Community:
    """The community ``code``: 404 when unknown or (on reads) outside the
    caller's jurisdiction, 403 on writes outside it (D-8)."""
    q = select(Community).where(Community.code == code)
    if write:
        q = q.with_for_update()
    c = s.execute(q).scalar_one_or_none()
    if c is None:
        raise NotFound("community", "社区", code)
    if write:
        require_jurisdiction(principal, c.district, field="district")
    else:
        ensure_visible(principal, c.district, None, "community", "社区", code)
    return c


def create_community(
    s: Session, principal: Principal, *, code: str, name: str, district: str, households: int,
    party_members: int, now: datetime,
) -> Community:
    require_jurisdiction(principal, district, field="district")
    if s.execute(select(Community.id).where(Community.code == code)).first():
        raise Conflict("community_exists", f"Community '{code}' exists.", f"社区“{code}”已存在。", field="code")
    c = Community(code=code, name=name, district=district, households=households, party_members=party_members,
                  created_at=now, updated_at=now)
    s.add(c)
    s.flush()
    return c


def update_community(
    s: Session, principal: Principal, code: str, *, name: str | None, households: int | None,
    party_members: int | None, now: datetime,
) -> Community:
    c = community(s, principal, code, write=True)
    if name is not None:
        c.name = name
    if households is not None:
        c.households = households
    if party_members is not None:
        c.party_members = party_members
    c.updated_at = now
    s.flush()
    return c


def list_communities(
    s: Session, principal: Principal, district: str | None, limit: int, offset: int,
) -> tuple[list[Community], int]:
    q = _visible_scope(select(Community), Community.district, principal)
    if district:
        q = q.where(in_jurisdiction(Community.district, district))
    total = s.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = s.execute(q.order_by(Community.code).limit(limit).offset(offset)).scalars().all()
    return list(rows), total


def headcount(s: Session, code: str) -> int:
    """Workers on the rolls of the community (not left)."""
    return s.execute(
        select(func.count()).select_from(Worker)
        .where(Worker.community_code == code, Worker.left_on.is_(None), Worker.status != "left")
    ).scalar_one()


def open_places(s: Session, code: str, exclude_campaign: int | None = None) -> int:
    """Places opened for the community by running campaigns and not yet filled
    (a hired candidate is on the rolls and counts in the headcount instead)."""
    q = (
        select(CampaignPost.id, CampaignPost.count)
        .join(Campaign, Campaign.id == CampaignPost.campaign_id)
        .where(CampaignPost.community_code == code, Campaign.status.in_(ACTIVE))
    )
    if exclude_campaign is not None:
        q = q.where(Campaign.id != exclude_campaign)
    posts = s.execute(q).all()
    if not posts:
        return 0
    hired = dict(s.execute(
        select(Application.post_id, func.count()).where(
            Application.post_id.in_([p.id for p in posts]), Application.status == "hired",
        ).group_by(Application.post_id)
    ).all())
    return sum(max(p.count - hired.get(p.id, 0), 0) for p in posts)


@dataclass
class StaffingView:
    community: Community
    as_of: date
    staffing: rules.Staffing
    headcount: int
    vacancies: int
    open_in_campaigns: int
    available_for_new_posts: int


def staffing_of(s: Session, policies: Policies, c: Community, as_of: date) -> StaffingView:
    """S4-1/S4-3/D-9: the quota, the workers on the rolls, the vacancies."""
    rule: StaffingRule = policies.in_force(s, "staffing", c.district, as_of)
    st = rules.staffing(c.households, c.party_members, rule)
    n = headcount(s, c.code)
    reserved = open_places(s, c.code)
    vacancies = max(st.quota - n, 0)
    return StaffingView(c, as_of, st, n, vacancies, reserved, max(vacancies - reserved, 0))


def work_fund_of(s: Session, policies: Policies, c: Community, year: int) -> rules.WorkFund:
    """S4-7a/b/c, with the figures in force on 1 January of ``year``."""
    as_of = date(year, 1, 1)
    return rules.work_fund(
        year, c.households, c.party_members,
        policies.in_force(s, "work_fund", c.district, as_of),
        policies.in_force(s, "work_fund_growth", c.district, as_of),
        policies.in_force(s, "party_work_fund", c.district, as_of),
        policies.in_force(s, "staffing", c.district, as_of),
    )


# --- campaigns: access, steps, history --------------------------------------------


def campaign(s: Session, principal: Principal, campaign_id: int, *, write: bool = False) -> Campaign:
    q = select(Campaign).where(Campaign.id == campaign_id)
    if write:
        q = q.with_for_update()
    c = s.execute(q).scalar_one_or_none()
    if c is None:
        raise NotFound("campaign", "招考", campaign_id)
    if write:
        require_jurisdiction(principal, c.jurisdiction)
    else:
        ensure_visible(principal, c.jurisdiction, None, "campaign", "招考", campaign_id)
    return c


def _require_step(c: Campaign, step: str) -> None:
    """D-4: the campaign's steps run in order."""
    if not rules.step_allowed(c.status, step):
        raise Conflict(
            "step_out_of_order",
            f"Cannot {step.replace('_', ' ')} while the campaign is '{c.status}': this step comes "
            f"{rules.STEP_NEEDS[step]}.",
            f"招考当前处于“{c.status}”阶段，不能执行“{step}”。",
            field="status", clause="D-4", extra={"status": c.status, "step": step},
        )


def _log(s: Session, c: Campaign, step: str, actor: str, as_of: date, now: datetime,
         to_status: str | None = None, **detail: Any) -> None:
    from_status = c.status
    if to_status is not None:
        c.status = to_status
    s.add(CampaignEvent(campaign_id=c.id, step=step, from_status=from_status, to_status=c.status, as_of=as_of,
                        actor=actor, detail=detail, at=now))


def recruitment_rule(s: Session, policies: Policies, c: Campaign) -> rules.RecruitmentRule:
    """D-4's figures for the campaign: those in force on its announcement."""
    return policies.in_force(s, "recruitment", c.jurisdiction, c.announced_on)


def create_campaign(
    s: Session, principal: Principal, *, title: str, jurisdiction: str, announced_on: date, now: datetime,
) -> Campaign:
    require_jurisdiction(principal, jurisdiction)
    c = Campaign(title=title, jurisdiction=jurisdiction, announced_on=announced_on, status="announced",
                 created_by=principal.sub, created_at=now)
    s.add(c)
    s.flush()
    s.add(CampaignEvent(campaign_id=c.id, step="announce", from_status=None, to_status="announced",
                        as_of=announced_on, actor=principal.sub, detail={"title": title}, at=now))
    return c


def list_campaigns(
    s: Session, principal: Principal, status: str | None, limit: int, offset: int,
) -> tuple[list[Campaign], int]:
    q = _visible_scope(select(Campaign), Campaign.jurisdiction, principal)
    if status:
        q = q.where(Campaign.status == status)
    total = s.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = s.execute(q.order_by(Campaign.id.desc()).limit(limit).offset(offset)).scalars().all()
    return list(rows), total


def posts_of(s: Session, campaign_id: int) -> list[CampaignPost]:
    return list(s.execute(
        select(CampaignPost).where(CampaignPost.campaign_id == campaign_id).order_by(CampaignPost.id)
    ).scalars())


def applications_of(s: Session, campaign_id: int, status: str | None = None) -> list[Application]:
    q = select(Application).where(Application.campaign_id == campaign_id)
    if status:
        q = q.where(Application.status == status)
    return list(s.execute(q.order_by(Application.id)).scalars())


def history(s: Session, campaign_id: int) -> list[CampaignEvent]:
    return list(s.execute(
        select(CampaignEvent).where(CampaignEvent.campaign_id == campaign_id).order_by(CampaignEvent.id)
    ).scalars())


# --- posts ------------------------------------------------------------------------


def add_post(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, *, community_code: str, post: str,
    count: int, as_of: date, now: datetime,
) -> CampaignPost:
    """Open ``count`` places of ``post`` in a community. S4-1: never more than
    the community's quota less its headcount and the places other campaigns hold."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "add_post")
    if post not in POSTS:
        raise Invalid("unknown_post", f"Post must be one of {', '.join(POSTS)}.",
                      f"岗位须为{'、'.join(POSTS)}之一。", field="post", clause="D-2")
    com = s.execute(select(Community).where(Community.code == community_code).with_for_update()).scalar_one_or_none()
    if com is None or not principal.covers(com.district):
        raise Invalid("unknown_community", f"No community '{community_code}' in your jurisdiction.",
                      f"您的管辖范围内没有社区“{community_code}”。", field="community_code")
    if not (com.district == c.jurisdiction or com.district.startswith(c.jurisdiction + ".")):
        raise Invalid("community_outside_campaign",
                      f"Community '{community_code}' ({com.district}) is outside the campaign's jurisdiction "
                      f"({c.jurisdiction}).",
                      f"社区“{community_code}”不在本次招考的范围（{c.jurisdiction}）内。", field="community_code")
    if s.execute(select(CampaignPost.id).where(
        CampaignPost.campaign_id == c.id, CampaignPost.community_code == community_code, CampaignPost.post == post,
    )).first():
        raise Conflict("post_exists", f"The campaign already has {post} places for '{community_code}'.",
                       f"本次招考已设社区“{community_code}”的{post}岗位。", field="post")
    view = staffing_of(s, policies, com, as_of)
    available = view.available_for_new_posts
    if count > available:
        raise Conflict(
            "over_quota",
            f"Community '{community_code}' has {available} place(s) to open: quota {view.staffing.quota} "
            f"(S4-1 one worker per {view.staffing.households_per_worker} households) less {view.headcount} on the "
            f"rolls and {view.open_in_campaigns} open in campaigns; {count} asked.",
            f"社区“{community_code}”可招{available}名：编制{view.staffing.quota}名，在册{view.headcount}名，"
            f"其他招考已占{view.open_in_campaigns}名；申请{count}名超出编制。",
            field="count", clause="S4-1",
            extra={"quota": view.staffing.quota, "headcount": view.headcount,
                   "open_in_campaigns": view.open_in_campaigns, "available": available, "asked": count},
        )
    p = CampaignPost(campaign_id=c.id, community_code=community_code, post=post, count=count)
    s.add(p)
    s.flush()
    _log(s, c, "add_post", principal.sub, as_of, now, post_id=p.id, community_code=community_code, post=post,
         count=count)
    return p


# --- applications and eligibility review -------------------------------------------


def apply(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, *, post_id: int, name: str,
    id_number: str, birth_date: date, education: str, certificates: list[str], household_registration: str,
    record_flags: list[str], service_years: int, applied_on: date, as_of: date, now: datetime,
) -> Application:
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "apply")
    rule = recruitment_rule(s, policies, c)
    if applied_on > as_of:
        raise Invalid("date_in_future", f"applied_on {applied_on} is after today.", "报名日期晚于今天。",
                      field="applied_on")
    try:
        parsed = idcard.parse(id_number, as_of=as_of)
    except idcard.InvalidIdNumber as exc:
        raise Invalid(exc.code, f"ID number: {exc.reason}", f"身份证号码：{exc.reason_zh}", field="id_number") from None
    if parsed.birth_date != birth_date:
        raise Invalid("birth_date_mismatch", f"Birth date {birth_date} differs from the ID number's "
                      f"({parsed.birth_date}).", f"出生日期与身份证号码（{parsed.birth_date}）不符。", field="birth_date")
    post = s.get(CampaignPost, post_id)
    if post is None or post.campaign_id != c.id:
        raise Invalid("unknown_post", f"Campaign {c.id} has no post {post_id}.", f"本次招考没有岗位 {post_id}。",
                      field="post_id")
    if education not in rule.education_levels:
        raise Invalid("unknown_education", f"Education must be one of {', '.join(rule.education_levels)}.",
                      f"学历须为{'、'.join(rule.education_levels)}之一。", field="education", clause="D-4")
    known_certs = set(rules.SOCIAL_WORK_CERTIFICATES) | set(rule.certificate_bonus) | set(rule.age_extending_certificates)
    for cert in certificates:
        if cert not in known_certs:
            raise Invalid("unknown_certificate", f"Unknown certificate '{cert}'; known: {', '.join(sorted(known_certs))}.",
                          f"未知的证书“{cert}”。", field="certificates", clause="D-4")
    for flag in record_flags:
        if flag not in rule.disqualifying_records:
            raise Invalid("unknown_record_flag",
                          f"Unknown record flag '{flag}'; known: {', '.join(rule.disqualifying_records)}.",
                          f"未知的记录标记“{flag}”。", field="record_flags", clause="D-4")
    if s.execute(select(Application.id).where(Application.campaign_id == c.id,
                                              Application.id_number == parsed.number)).first():
        raise Conflict("already_applied", "This ID number has applied in this campaign.",
                       "该身份证号码已报名本次招考。", field="id_number")
    if s.execute(select(Worker.id).where(Worker.id_number == parsed.number)).first():
        raise Conflict("id_number_on_rolls", "A worker with this ID number is on the rolls.",
                       "该身份证号码已登记为社区工作者。", field="id_number")
    a = Application(
        campaign_id=c.id, post_id=post.id, name=name, id_number=parsed.number, birth_date=birth_date,
        education=education, certificates=list(certificates), household_registration=household_registration,
        record_flags=list(record_flags), service_years=service_years, applied_on=applied_on, status="applied",
        created_at=now,
    )
    s.add(a)
    s.flush()
    _log(s, c, "apply", principal.sub, as_of, now, application_id=a.id, name=name, post_id=post.id)
    return a


def application(s: Session, c: Campaign, application_id: int, *, field: str | None = None) -> Application:
    a = s.get(Application, application_id)
    if a is None or a.campaign_id != c.id:
        if field:
            raise Invalid("unknown_application", f"Campaign {c.id} has no application {application_id}.",
                          f"本次招考没有报名 {application_id}。", field=field)
        raise NotFound("application", "报名", application_id)
    return a


def review(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, as_of: date,
           now: datetime) -> list[Application]:
    """D-4 资格审查: each application against the eligibility rule, age counted
    on the announcement date; every refusal keeps its reasons."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "review")
    if not posts_of(s, c.id):
        raise Conflict("no_posts", "The campaign has no posts to review applications for.",
                       "本次招考尚未设置岗位。", field="posts", clause="D-4")
    rule = recruitment_rule(s, policies, c)
    apps = applications_of(s, c.id, "applied")
    for a in apps:
        refusals = rules.eligibility(
            rules.Applicant(a.birth_date, a.education, list(a.certificates), a.household_registration,
                            list(a.record_flags)),
            rule, c.announced_on,
        )
        a.status = "refused" if refusals else "eligible"
        a.refusals = [{"code": r.code, "field": r.field, "clause": r.clause, "reason": r.reason,
                       "reason_zh": r.reason_zh} for r in refusals]
    _log(s, c, "review", principal.sub, as_of, now, to_status="examining",
         eligible=sum(a.status == "eligible" for a in apps), refused=sum(a.status == "refused" for a in apps))
    s.flush()
    return apps


# --- scores ---------------------------------------------------------------------------


def _hundredths(value: Decimal, field: str, rule: rules.RecruitmentRule, row: int | None = None) -> int:
    """A score in hundredths of a point, within 0..max_score (D-4)."""
    where = f"row {row}: " if row is not None else ""
    if not value.is_finite() or value < 0 or value > rule.max_score:
        raise Invalid("score_out_of_range", f"{where}{field} {value} is outside 0-{rule.max_score}.",
                      f"{where}{field}成绩 {value} 超出 0-{rule.max_score} 的范围。", field=field, clause="D-4")
    h = value * 100
    if h != h.to_integral_value():
        raise Invalid("score_precision", f"{where}{field} {value} has more than two decimals.",
                      f"{where}{field}成绩 {value} 超过两位小数。", field=field)
    return int(h)


def _scoreable(a: Application, field: str = "application_id") -> None:
    if a.status != "eligible":
        raise Conflict("not_eligible", f"Application {a.id} is '{a.status}', not eligible: it takes no scores.",
                       f"报名 {a.id} 未通过资格审查，不能录入成绩。", field=field, clause="D-4")


def enter_scores(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, application_id: int, *,
    written: Decimal | None, interview: Decimal | None, as_of: date, now: datetime,
) -> Application:
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "score")
    a = application(s, c, application_id)
    _scoreable(a)
    rule = recruitment_rule(s, policies, c)
    w = _hundredths(written, "written", rule) if written is not None else None
    i = _hundredths(interview, "interview", rule) if interview is not None else None
    if w is None and i is None:
        raise Invalid("no_scores", "Give a written or an interview score.", "请录入笔试或面试成绩。", field="written")
    if w is not None:
        a.written = w
    if i is not None:
        a.interview = i
    _log(s, c, "score", principal.sub, as_of, now, application_id=a.id,
         written=None if written is None else str(written), interview=None if interview is None else str(interview))
    s.flush()
    return a


def _decode_csv(body: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves GBK
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("csv_encoding", "The file is neither UTF-8 nor GB18030 text.", "文件不是 UTF-8 或 GB18030 编码的文本。",
                  field="file")


def upload_scores(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, body: bytes, *, as_of: date,
    now: datetime,
) -> int:
    """Scores from a CSV (columns ``id_number`` or ``application_id``, and
    ``written`` and/or ``interview``; blank cells leave a score as it is).
    Every row is checked first; one bad row and nothing is written, and every
    bad row is reported with its line number. Returns the rows applied."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "score")
    rule = recruitment_rule(s, policies, c)
    reader = csv.DictReader(io.StringIO(_decode_csv(body)))
    try:
        return _apply_csv(s, c, rule, reader, principal, as_of, now)
    except csv.Error as exc:
        raise Invalid("csv_malformed", f"The file is not readable CSV (line {reader.line_num}): {exc}.",
                      f"文件不是有效的 CSV（第{reader.line_num}行）。", field="file") from None


def _apply_csv(s: Session, c: Campaign, rule: rules.RecruitmentRule, reader: csv.DictReader, principal: Principal,
               as_of: date, now: datetime) -> int:
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    key = "id_number" if "id_number" in header else "application_id" if "application_id" in header else None
    if key is None or not ({"written", "interview"} & set(header)):
        raise Invalid("csv_header", "The header needs id_number (or application_id) and written and/or interview.",
                      "表头须包含 id_number（或 application_id）以及 written 和/或 interview。", field="header")
    apps = applications_of(s, c.id)
    by_key = {a.id_number: a for a in apps} if key == "id_number" else {str(a.id): a for a in apps}
    errors: list[dict[str, Any]] = []
    updates: list[tuple[Application, int | None, int | None]] = []
    seen: dict[int, int] = {}
    for line, row in enumerate(reader, start=2):
        ref = (row.get(key) or "").strip().upper()
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        a = by_key.get(ref)
        if a is None:
            errors.append({"row": line, "field": key, "reason": f"no application '{ref}' in this campaign"})
            continue
        if a.id in seen:
            errors.append({"row": line, "field": key, "reason": f"application {a.id} is also on row {seen[a.id]}"})
            continue
        seen[a.id] = line
        if a.status != "eligible":
            errors.append({"row": line, "field": key, "reason": f"application {a.id} is '{a.status}', not eligible"})
            continue
        values: dict[str, int | None] = {}
        for col in ("written", "interview"):
            raw = (row.get(col) or "").strip()
            if not raw:
                values[col] = None
                continue
            try:
                values[col] = _hundredths(Decimal(raw), col, rule, line)
            except InvalidOperation:
                errors.append({"row": line, "field": col, "reason": f"'{raw}' is not a number"})
            except Invalid as exc:
                errors.append({"row": line, "field": col, "reason": exc.detail.split(": ", 1)[-1]})
        if all(v is None for v in values.values()) and not any(e["row"] == line for e in errors):
            errors.append({"row": line, "field": "written", "reason": "no score on this row"})
        updates.append((a, values.get("written"), values.get("interview")))
    if errors:
        first = errors[0]
        raise Invalid(
            "csv_rows_invalid",
            f"{len({e['row'] for e in errors})} row(s) have errors (first: row {first['row']}, {first['field']}: "
            f"{first['reason']}); nothing was written.",
            f"{len({e['row'] for e in errors})} 行有错误（首个：第{first['row']}行 {first['field']}）；未写入任何成绩。",
            field=f"row {first['row']}: {first['field']}", clause="D-4",
            errors=[FieldError(f"row {e['row']}: {e['field']}", e["reason"]) for e in errors],
            extra={"rows": errors},
        )
    if not updates:
        raise Invalid("csv_empty", "The file has no rows.", "文件没有数据行。", field="file")
    for a, w, i in updates:
        if w is not None:
            a.written = w
        if i is not None:
            a.interview = i
    _log(s, c, "upload_scores", principal.sub, as_of, now, rows=len(updates))
    s.flush()
    return len(updates)


# --- ranking -----------------------------------------------------------------------------


def rank(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, as_of: date,
         now: datetime) -> list[Application]:
    """D-4: composite scores, ranking per post (ties by written, then interview),
    the first ``count`` of each post selected."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "rank")
    rule = recruitment_rule(s, policies, c)
    apps = applications_of(s, c.id, "eligible")
    missing = [a.id for a in apps if a.written is None or a.interview is None]
    if missing:
        raise Conflict("scores_missing",
                       f"Application(s) {', '.join(map(str, missing))} lack a written or interview score; enter "
                       f"them or record a withdrawal before ranking.",
                       f"报名 {', '.join(map(str, missing))} 缺少笔试或面试成绩。", field="scores", clause="D-4",
                       extra={"applications": missing})
    plans: list[tuple[Application, int, int, rules.Placed]] = []
    ties: dict[int, list[int]] = {}
    for post in posts_of(s, c.id):
        mine = [a for a in apps if a.post_id == post.id]
        scored, bonus = [], {}
        for a in mine:
            points, _ = rules.certificate_bonus(list(a.certificates), rule)
            bonus[a.id] = points
            scored.append(rules.Scored(a.id, rules.composite(a.written, a.interview, points, rule), a.written,
                                       a.interview))
        ranking = rules.rank_post(scored, post.count)
        if ranking.tie_at_cutoff:
            ties[post.id] = ranking.tie_at_cutoff
        by_id = {x.application_id: x for x in scored}
        for p in ranking.placed:
            a = next(x for x in mine if x.id == p.application_id)
            plans.append((a, bonus[a.id], by_id[a.id].composite, p))
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
        a.status = "selected" if p.selected else "standby"
    _log(s, c, "rank", principal.sub, as_of, now, to_status="ranked",
         selected=[a.id for a, *_ in plans if a.status == "selected"])
    s.flush()
    _maybe_close(s, c, principal.sub, as_of, now)  # nobody eligible: nothing left to do
    return [a for a, *_ in plans]


def _pass_place(s: Session, c: Campaign, removed: Application, actor: str, as_of: date, now: datetime,
                why: str) -> Application | None:
    """D-4: the next in rank on the same post takes a place that fell vacant."""
    nxt = s.execute(
        select(Application)
        .where(Application.post_id == removed.post_id, Application.status == "standby")
        .order_by(Application.rank, Application.id).limit(1)
    ).scalar_one_or_none()
    if nxt is None:
        _log(s, c, "no_candidate_left", actor, as_of, now, post_id=removed.post_id, after=removed.id)
        return None
    nxt.status = "selected"
    _log(s, c, "next_in_rank", actor, as_of, now, post_id=removed.post_id, replaces=removed.id,
         application_id=nxt.id, rank=nxt.rank, because=why)
    return nxt


def withdraw(s: Session, principal: Principal, campaign_id: int, application_id: int, *, reason: str,
             as_of: date, now: datetime) -> tuple[Application, Application | None]:
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "withdraw")
    a = application(s, c, application_id)
    if a.status not in ("applied", "eligible", "standby", "selected"):
        raise Conflict("cannot_withdraw", f"Application {a.id} is '{a.status}'.", f"报名 {a.id} 当前状态不能放弃。",
                       field="application_id")
    if a.notice_id is not None and s.execute(select(Objection.id).where(
            Objection.application_id == a.id, Objection.status == "open")).first():
        raise Conflict("objection_open", f"Application {a.id} has an open objection; resolve it first.",
                       "该考生有未处理的异议，请先处理。", field="application_id", clause="D-4")
    was_selected = a.status == "selected"
    a.status, a.removed_reason = "withdrawn", reason
    _log(s, c, "withdraw", principal.sub, as_of, now, application_id=a.id, reason=reason)
    nxt = _pass_place(s, c, a, principal.sub, as_of, now, "withdrawn") if was_selected else None
    _maybe_close(s, c, principal.sub, as_of, now)
    s.flush()
    return a, nxt


# --- physical exam and background check --------------------------------------------------


def record_checks(
    s: Session, principal: Principal, campaign_id: int, application_id: int, *, physical_exam: str | None,
    background_check: str | None, checked_on: date, note: str | None, as_of: date, now: datetime,
) -> tuple[Application, Application | None]:
    """D-4 体检、考察: a failure removes the candidate and the next in rank takes the place."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "check")
    a = application(s, c, application_id)
    if a.status != "selected":
        raise Conflict("not_selected", f"Application {a.id} is '{a.status}'; only chosen candidates are checked.",
                       f"报名 {a.id} 不是拟录用人选。", field="application_id", clause="D-4")
    if a.notice_id is not None:
        raise Conflict("already_in_notice", f"Application {a.id} is already in a public notice.",
                       "该考生已在公示中。", field="application_id", clause="D-4")
    if physical_exam is None and background_check is None:
        raise Invalid("no_outcome", "Give physical_exam and/or background_check.", "请录入体检或考察结果。",
                      field="physical_exam")
    if checked_on > as_of:
        raise Invalid("date_in_future", f"checked_on {checked_on} is after today.", "日期晚于今天。", field="checked_on")
    for field, value in (("physical_exam", physical_exam), ("background_check", background_check)):
        if value is not None and getattr(a, field) is not None:
            raise Conflict("check_recorded", f"The {field.replace('_', ' ')} outcome is recorded already.",
                           "该项结果已录入。", field=field)
    if physical_exam is not None:
        a.physical_exam = physical_exam
    if background_check is not None:
        a.background_check = background_check
    a.checked_on = checked_on
    _log(s, c, "check", principal.sub, as_of, now, application_id=a.id, physical_exam=physical_exam,
         background_check=background_check, checked_on=checked_on.isoformat(), note=note)
    nxt = None
    failed = [f for f, v in (("physical exam", physical_exam), ("background check", background_check)) if v == "fail"]
    if failed:
        a.status, a.removed_reason = "removed", f"failed the {' and '.join(failed)}"
        nxt = _pass_place(s, c, a, principal.sub, as_of, now, a.removed_reason)
        _maybe_close(s, c, principal.sub, as_of, now)
    s.flush()
    return a, nxt


# --- public notice, objections -------------------------------------------------------------


def start_notice(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, starts_on: date,
                 as_of: date, now: datetime) -> tuple[Notice, list[Application]]:
    """D-4 公示: the chosen candidates who passed both checks and have not been
    announced, for N working days (D-10) from ``starts_on``."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "start_notice")
    if starts_on < c.announced_on:
        raise Invalid("date_before_campaign", f"starts_on {starts_on} is before the announcement ({c.announced_on}).",
                      "公示开始日期早于招考公告日期。", field="starts_on")
    candidates = [a for a in applications_of(s, c.id, "selected") if a.notice_id is None]
    if not candidates:
        raise Conflict("nobody_to_announce", "No chosen candidate is waiting for a public notice.",
                       "没有待公示的拟录用人选。", field="candidates", clause="D-4")
    pending = [a.id for a in candidates if a.physical_exam != "pass" or a.background_check != "pass"]
    if pending:
        raise Conflict("checks_pending",
                       f"Application(s) {', '.join(map(str, pending))} have not passed both the physical exam and "
                       f"the background check.",
                       f"报名 {', '.join(map(str, pending))} 尚未通过体检和考察。", field="candidates", clause="D-4",
                       extra={"applications": pending})
    rule = recruitment_rule(s, policies, c)
    ends_on = rules.notice_ends_on(starts_on, rule.notice_working_days, default_calendar())
    n = Notice(campaign_id=c.id, starts_on=starts_on, ends_on=ends_on, working_days=rule.notice_working_days,
               created_by=principal.sub, created_at=now)
    s.add(n)
    s.flush()
    for a in candidates:
        a.notice_id = n.id
    _log(s, c, "start_notice", principal.sub, as_of, now, to_status="notice", notice_id=n.id,
         starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat(), working_days=rule.notice_working_days,
         applications=[a.id for a in candidates])
    s.flush()
    return n, candidates


def notices_of(s: Session, campaign_id: int) -> list[Notice]:
    return list(s.execute(select(Notice).where(Notice.campaign_id == campaign_id).order_by(Notice.id)).scalars())


def objections_of(s: Session, campaign_id: int) -> list[Objection]:
    return list(s.execute(
        select(Objection).where(Objection.campaign_id == campaign_id).order_by(Objection.id)
    ).scalars())


def lodge_objection(
    s: Session, principal: Principal, campaign_id: int, *, application_id: int, lodged_on: date,
    lodged_by: str | None, summary: str, as_of: date, now: datetime,
) -> Objection:
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "object")
    a = application(s, c, application_id, field="application_id")
    if a.notice_id is None or a.status != "selected":
        raise Conflict("not_in_notice", f"Application {a.id} is not in a running public notice.",
                       "该考生不在公示中。", field="application_id", clause="D-4")
    n = s.get(Notice, a.notice_id)
    if lodged_on > as_of:
        raise Invalid("date_in_future", f"lodged_on {lodged_on} is after today.", "日期晚于今天。", field="lodged_on")
    if not n.starts_on <= lodged_on <= n.ends_on:
        raise Conflict("notice_not_running",
                       f"The public notice ran from {n.starts_on} to {n.ends_on}; an objection of {lodged_on} is "
                       f"outside it.",
                       f"公示期为{n.starts_on}至{n.ends_on}，{lodged_on}不在公示期内。", field="lodged_on", clause="D-4")
    o = Objection(campaign_id=c.id, notice_id=n.id, application_id=a.id, lodged_on=lodged_on, lodged_by=lodged_by,
                  summary=summary, status="open", created_at=now)
    s.add(o)
    s.flush()
    _log(s, c, "object", principal.sub, as_of, now, objection_id=o.id, application_id=a.id,
         lodged_on=lodged_on.isoformat())
    return o


def resolve_objection(
    s: Session, principal: Principal, campaign_id: int, objection_id: int, *, outcome: str, resolution: str,
    resolved_on: date, as_of: date, now: datetime,
) -> tuple[Objection, Application | None]:
    """An upheld objection removes the candidate; the next in rank takes the
    place and will need checks and a notice of their own."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "resolve")
    o = s.get(Objection, objection_id)
    if o is None or o.campaign_id != c.id:
        raise NotFound("objection", "异议", objection_id)
    if o.status != "open":
        raise Conflict("objection_resolved", f"Objection {o.id} is already {o.status}.", "该异议已处理。",
                       field="objection_id")
    if resolved_on > as_of or resolved_on < o.lodged_on:
        raise Invalid("bad_resolution_date", f"resolved_on must be between {o.lodged_on} and today.",
                      "处理日期须在异议提出之后、今天之前。", field="resolved_on")
    o.status, o.resolution, o.resolved_on, o.resolved_by = outcome, resolution, resolved_on, principal.sub
    _log(s, c, "resolve_objection", principal.sub, as_of, now, objection_id=o.id, application_id=o.application_id,
         outcome=outcome)
    nxt = None
    if outcome == "upheld":
        a = s.get(Application, o.application_id)
        a.status, a.removed_reason = "removed", f"objection {o.id} upheld: {resolution}"
        for other in s.execute(select(Objection).where(
                Objection.application_id == a.id, Objection.status == "open")).scalars():
            other.status, other.resolution = "moot", f"candidate removed by objection {o.id}"
            other.resolved_on, other.resolved_by = resolved_on, principal.sub
        nxt = _pass_place(s, c, a, principal.sub, as_of, now, f"objection {o.id} upheld")
        _maybe_close(s, c, principal.sub, as_of, now)
    s.flush()
    return o, nxt


def _maybe_close(s: Session, c: Campaign, actor: str, as_of: date, now: datetime) -> None:
    """Closed once no chosen candidate is left waiting (every place filled or no one left)."""
    if c.status in ("ranked", "notice") and not applications_of(s, c.id, "selected"):
        _log(s, c, "close", actor, as_of, now, to_status="closed",
             hired=len(applications_of(s, c.id, "hired")))


# --- hire ------------------------------------------------------------------------------------


@dataclass
class HireResult:
    hired: list[tuple[Application, Worker]]
    waiting: list[tuple[Application, str]]
    probation_ends_on: date | None


def hire(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, hired_on: date, as_of: date,
         now: datetime) -> HireResult:
    """D-4 录用: the candidates of every notice that has ended with no open
    objection become workers on probation, at the starting grade of D-2, and
    worker.hired is published in the same transaction (by ``create_worker``)."""
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "hire")
    if hired_on > as_of:
        raise Invalid("date_in_future", f"hired_on {hired_on} is after today.", "录用日期晚于今天。", field="hired_on")
    rule = recruitment_rule(s, policies, c)
    notices = {n.id: n for n in notices_of(s, c.id)}
    open_by_notice: dict[int, int] = dict(s.execute(
        select(Objection.notice_id, func.count()).where(Objection.campaign_id == c.id, Objection.status == "open")
        .group_by(Objection.notice_id)
    ).all())
    ready: list[Application] = []
    waiting: list[tuple[Application, str]] = []
    for a in applications_of(s, c.id, "selected"):
        n = notices.get(a.notice_id) if a.notice_id else None
        if n is None:
            waiting.append((a, "no public notice yet"))
        elif not n.ends_on < hired_on:  # hired_on <= as_of, checked above
            waiting.append((a, f"public notice {n.id} runs until {n.ends_on}"))
        elif open_by_notice.get(n.id):
            waiting.append((a, f"public notice {n.id} has an open objection"))
        else:
            ready.append(a)
    if not ready:
        running = [n for n in notices.values() if not n.ends_on < hired_on
                   and any(a.notice_id == n.id for a, _ in waiting)]
        if running:
            n = running[0]
            raise Conflict(
                "notice_not_ended",
                f"The public notice runs from {n.starts_on} to {n.ends_on} ({n.working_days} working days); "
                f"hire after it ends.",
                f"公示期为{n.starts_on}至{n.ends_on}（{n.working_days}个工作日），公示期满后方可录用。",
                field="hired_on", clause="D-4", extra={"notice_id": n.id, "ends_on": n.ends_on.isoformat()},
            )
        if any(open_by_notice.get(a.notice_id or 0) for a, _ in waiting):
            raise Conflict("objection_open", "A public notice has an open objection; resolve it before hiring.",
                           "公示期内有未处理的异议，处理后方可录用。", field="objections", clause="D-4")
        raise Conflict("nobody_to_hire", "No candidate has completed a public notice.", "没有公示期满的拟录用人选。",
                       field="candidates", clause="D-4")
    posts = {p.id: p for p in posts_of(s, c.id)}
    # S4-1 again at hire: the rolls may have changed since the posts were opened.
    per_community: dict[str, int] = {}
    for a in ready:
        per_community[posts[a.post_id].community_code] = per_community.get(posts[a.post_id].community_code, 0) + 1
    communities: dict[str, Community] = {}
    for code, n_new in sorted(per_community.items()):
        com = s.execute(select(Community).where(Community.code == code).with_for_update()).scalar_one()
        communities[code] = com
        view = staffing_of(s, policies, com, hired_on)
        if view.headcount + n_new > view.staffing.quota:
            raise Conflict(
                "over_quota",
                f"Hiring {n_new} into '{code}' would exceed its quota of {view.staffing.quota} "
                f"({view.headcount} on the rolls).",
                f"录用{n_new}名后社区“{code}”将超出编制{view.staffing.quota}名（在册{view.headcount}名）。",
                field="candidates", clause="S4-1",
            )
    probation_end = rules.probation_ends_on(hired_on, rule)
    hired: list[tuple[Application, Worker]] = []
    for a in ready:
        post = posts[a.post_id]
        com = communities[post.community_code]
        # HR's create_worker derives the D-2 starting grade (post, service, education),
        # records it in the grade history and publishes worker.hired in this transaction.
        w = hr_store.create_worker(
            s, name=a.name, id_number=a.id_number, jurisdiction=com.district, community_code=com.code,
            post=post.post, hired_on=hired_on, now=now, education=a.education, service_years=a.service_years,
            birth_date=a.birth_date, status="probation", probation_ends_on=probation_end, actor=principal.sub,
            policies=policies,
        )
        a.status, a.worker_id = "hired", w.id
        hired.append((a, w))
    _log(s, c, "hire", principal.sub, as_of, now, hired_on=hired_on.isoformat(),
         probation_ends_on=probation_end.isoformat() if probation_end else None,
         workers={str(a.id): w.id for a, w in hired})
    s.flush()
    _maybe_close(s, c, principal.sub, as_of, now)
    return HireResult(hired, waiting, probation_end)


def cancel(s: Session, principal: Principal, campaign_id: int, *, reason: str, as_of: date,
           now: datetime) -> Campaign:
    c = campaign(s, principal, campaign_id, write=True)
    _require_step(c, "cancel")
    _log(s, c, "cancel", principal.sub, as_of, now, to_status="cancelled", reason=reason)
    s.flush()
    return c


# --- postings (S3-8, S4-8) -------------------------------------------------------------------


def _worker(s: Session, principal: Principal, worker_id: int, *, write: bool) -> Worker:
    w = s.get(Worker, worker_id)
    if w is None:
        raise NotFound("worker", "社区工作者", worker_id)
    if write:
        require_jurisdiction(principal, w.jurisdiction)
    else:
        ensure_visible(principal, w.jurisdiction, w.id, "worker", "社区工作者", worker_id)
    return w


def add_posting(
    s: Session, principal: Principal, policies: Policies, worker_id: int, *, kind: str, host_unit: str,
    starts_on: date, ends_on: date | None, note: str | None, now: datetime,
) -> Posting:
    """Record a secondment (挂职锻炼, S4-8) or exchange (异地交流, S3-8). An
    exchange moves the worker elsewhere, so D-4's no-transfer period applies."""
    w = _worker(s, principal, worker_id, write=True)
    _, clause = rules.POSTING_KINDS[kind]
    if w.left_on is not None or w.status == "left":
        raise Conflict("worker_left", f"Worker {w.id} has left.", "该社区工作者已离职。", field="worker_id", clause=clause)
    if ends_on is not None and ends_on < starts_on:
        raise Invalid("ends_before_start", "ends_on is before starts_on.", "结束日期早于开始日期。", field="ends_on",
                      clause=clause)
    if starts_on < w.hired_on:
        raise Invalid("before_hire", f"starts_on {starts_on} is before the hire date {w.hired_on}.",
                      "开始日期早于入职日期。", field="starts_on", clause=clause)
    if kind == "exchange":
        rule: rules.RecruitmentRule = policies.in_force(s, "recruitment", w.jurisdiction, starts_on)
        free_on = rules.add_months(w.hired_on, 12 * rule.no_transfer_years)
        if starts_on < free_on:
            raise Conflict("no_transfer_period",
                           f"Worker {w.id} was hired on {w.hired_on}; no transfer for {rule.no_transfer_years} years "
                           f"(from {free_on}).",
                           f"该社区工作者于{w.hired_on}录用，{rule.no_transfer_years}年内不得调动（{free_on}起可交流）。",
                           field="starts_on", clause="D-4")
    far = date.max
    for p in s.execute(select(Posting).where(Posting.worker_id == w.id)).scalars():
        if starts_on <= (p.ends_on or far) and p.starts_on <= (ends_on or far):
            raise Conflict("posting_overlaps",
                           f"Overlaps posting {p.id} ({p.starts_on} to {p.ends_on or 'open'}).",
                           "与已有的挂职或交流时间重叠。", field="starts_on", clause=clause)
    p = Posting(worker_id=w.id, kind=kind, host_unit=host_unit, starts_on=starts_on, ends_on=ends_on, note=note,
                created_by=principal.sub, created_at=now)
    s.add(p)
    s.flush()
    return p


def postings_of(s: Session, principal: Principal, worker_id: int) -> list[Posting]:
    w = _worker(s, principal, worker_id, write=False)
    return list(s.execute(
        select(Posting).where(Posting.worker_id == w.id).order_by(Posting.starts_on, Posting.id)
    ).scalars())

