"""Applications (D-4): arrival checks, the eligibility review, withdrawals,
the physical exam and background check, and a vacated place passing to the
next in rank."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service.recruitment import rules
from hr_service.recruitment.states import APPLICATION, ApplicationStatus, CampaignStatus, ObjectionStatus
from hr_service.recruitment.store.campaigns import (
    applications_of,
    campaign,
    maybe_close,
    posts_of,
    record_step,
    recruitment_rule,
    require_step,
)
from hr_service.recruitment.tables import Application, Campaign, CampaignPost, Objection
from hr_service.rules import workers as worker_rules
from hr_service.tables import Worker
from shared import idcard
from shared.auth import Principal
from shared.errors import Conflict, Invalid, NotFound, refuse_future
from shared.policy import Policies


def application(s: Session, c: Campaign, application_id: int, *, field: str | None = None) -> Application:
    """The campaign's application: 404, or 422 naming ``field`` when it is part of a request body."""
    a = s.get(Application, application_id)
    if a is None or a.campaign_id != c.id:
        if field:
            raise Invalid("unknown_application", f"Campaign {c.id} has no application {application_id}.",
                          f"本次招考没有报名 {application_id}。", field=field)
        raise NotFound("application", "报名", application_id)
    return a


def _id_number(id_number: str, birth_date: date, as_of: date) -> str:
    """The ID number validated (GB 11643) and agreeing with the birth date; its canonical form."""
    try:
        parsed = idcard.parse(id_number, as_of=as_of)
    except idcard.InvalidIdNumber as exc:
        raise worker_rules.id_refusal(exc).problem() from None
    if parsed.birth_date != birth_date:
        raise Invalid("birth_date_mismatch", f"Birth date {birth_date} differs from the ID number's "
                      f"({parsed.birth_date}).", f"出生日期与身份证号码（{parsed.birth_date}）不符。",
                      field="birth_date")
    return parsed.number


def _known_terms(rule: rules.RecruitmentRule, education: str, certificates: list[str],
                 record_flags: list[str]) -> None:
    """D-4: education, certificates and record flags are ones the policy knows."""
    if education not in rule.education_levels:
        raise Invalid("unknown_education", f"Education must be one of {', '.join(rule.education_levels)}.",
                      f"学历须为{'、'.join(rule.education_levels)}之一。", field="education", clause="D-4")
    known_certs = (set(rules.SOCIAL_WORK_CERTIFICATES) | set(rule.certificate_bonus)
                   | set(rule.age_extending_certificates))
    for cert in certificates:
        if cert not in known_certs:
            raise Invalid("unknown_certificate",
                          f"Unknown certificate '{cert}'; known: {', '.join(sorted(known_certs))}.",
                          f"未知的证书“{cert}”。", field="certificates", clause="D-4")
    for flag in record_flags:
        if flag not in rule.disqualifying_records:
            raise Invalid("unknown_record_flag",
                          f"Unknown record flag '{flag}'; known: {', '.join(rule.disqualifying_records)}.",
                          f"未知的记录标记“{flag}”。", field="record_flags", clause="D-4")


def apply(
    s: Session, principal: Principal, policies: Policies, campaign_id: int, *, post_id: int, name: str,
    id_number: str, birth_date: date, education: str, certificates: list[str], household_registration: str,
    record_flags: list[str], service_years: int, applied_on: date, as_of: date, now: datetime,
) -> Application:
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "apply")
    rule = recruitment_rule(s, policies, c)
    refuse_future(applied_on, as_of, "applied_on")
    number = _id_number(id_number, birth_date, as_of)
    post = s.get(CampaignPost, post_id)
    if post is None or post.campaign_id != c.id:
        raise Invalid("unknown_post", f"Campaign {c.id} has no post {post_id}.", f"本次招考没有岗位 {post_id}。",
                      field="post_id")
    _known_terms(rule, education, certificates, record_flags)
    if s.execute(select(Application.id).where(Application.campaign_id == c.id,
                                              Application.id_number == number)).first():
        raise Conflict("already_applied", "This ID number has applied in this campaign.",
                       "该身份证号码已报名本次招考。", field="id_number")
    if s.execute(select(Worker.id).where(Worker.id_number == number)).first():
        raise Conflict("id_number_on_rolls", "A worker with this ID number is on the rolls.",
                       "该身份证号码已登记为社区工作者。", field="id_number")
    a = Application(
        campaign_id=c.id, post_id=post.id, name=name, id_number=number, birth_date=birth_date,
        education=education, certificates=list(certificates), household_registration=household_registration,
        record_flags=list(record_flags), service_years=service_years, applied_on=applied_on,
        status=ApplicationStatus.applied, created_at=now,
    )
    s.add(a)
    s.flush()
    record_step(s, c, "apply", principal.sub, as_of, now, application_id=a.id, name=name, post_id=post.id)
    return a


def review(s: Session, principal: Principal, policies: Policies, campaign_id: int, *, as_of: date,
           now: datetime) -> list[Application]:
    """D-4 资格审查: each application against the eligibility rule, age counted
    on the announcement date; every refusal keeps its reasons."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "review")
    if not posts_of(s, c.id):
        raise Conflict("no_posts", "The campaign has no posts to review applications for.",
                       "本次招考尚未设置岗位。", field="posts", clause="D-4")
    rule = recruitment_rule(s, policies, c)
    apps = applications_of(s, c.id, ApplicationStatus.applied)
    for a in apps:
        refusals = rules.eligibility(
            rules.Applicant(a.birth_date, a.education, list(a.certificates), a.household_registration,
                            list(a.record_flags)),
            rule, c.announced_on,
        )
        a.status = APPLICATION.move(a.status, ApplicationStatus.refused if refusals else ApplicationStatus.eligible)
        a.refusals = [{"code": r.code, "field": r.field, "clause": r.clause, "reason": r.reason,
                       "reason_zh": r.reason_zh} for r in refusals]
    record_step(s, c, "review", principal.sub, as_of, now, to_status=CampaignStatus.examining,
                eligible=sum(a.status == ApplicationStatus.eligible for a in apps),
                refused=sum(a.status == ApplicationStatus.refused for a in apps))
    s.flush()
    return apps


def pass_place(s: Session, c: Campaign, removed: Application, actor: str, as_of: date, now: datetime,
               why: str) -> Application | None:
    """D-4: the next in rank on the same post takes a place that fell vacant."""
    nxt = s.execute(
        select(Application)
        .where(Application.post_id == removed.post_id, Application.status == ApplicationStatus.standby)
        .order_by(Application.rank, Application.id).limit(1)
    ).scalar_one_or_none()
    if nxt is None:
        record_step(s, c, "no_candidate_left", actor, as_of, now, post_id=removed.post_id, after=removed.id)
        return None
    nxt.status = APPLICATION.move(nxt.status, ApplicationStatus.selected)
    record_step(s, c, "next_in_rank", actor, as_of, now, post_id=removed.post_id, replaces=removed.id,
                application_id=nxt.id, rank=nxt.rank, because=why)
    return nxt


def withdraw(s: Session, principal: Principal, campaign_id: int, application_id: int, *, reason: str,
             as_of: date, now: datetime) -> tuple[Application, Application | None]:
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "withdraw")
    a = application(s, c, application_id)
    if not APPLICATION.can(a.status, ApplicationStatus.withdrawn):
        raise Conflict("cannot_withdraw", f"Application {a.id} is '{a.status}'.", f"报名 {a.id} 当前状态不能放弃。",
                       field="application_id")
    if a.notice_id is not None and s.execute(select(Objection.id).where(
            Objection.application_id == a.id, Objection.status == ObjectionStatus.open)).first():
        raise Conflict("objection_open", f"Application {a.id} has an open objection; resolve it first.",
                       "该考生有未处理的异议，请先处理。", field="application_id", clause="D-4")
    was_selected = a.status == ApplicationStatus.selected
    a.status, a.removed_reason = ApplicationStatus.withdrawn, reason
    record_step(s, c, "withdraw", principal.sub, as_of, now, application_id=a.id, reason=reason)
    nxt = pass_place(s, c, a, principal.sub, as_of, now, "withdrawn") if was_selected else None
    maybe_close(s, c, principal.sub, as_of, now)
    s.flush()
    return a, nxt


def _checkable(a: Application) -> None:
    """D-4 体检、考察 are for chosen candidates not yet announced."""
    if a.status != ApplicationStatus.selected:
        raise Conflict("not_selected", f"Application {a.id} is '{a.status}'; only chosen candidates are checked.",
                       f"报名 {a.id} 不是拟录用人选。", field="application_id", clause="D-4")
    if a.notice_id is not None:
        raise Conflict("already_in_notice", f"Application {a.id} is already in a public notice.",
                       "该考生已在公示中。", field="application_id", clause="D-4")


def record_checks(
    s: Session, principal: Principal, campaign_id: int, application_id: int, *, physical_exam: str | None,
    background_check: str | None, checked_on: date, note: str | None, as_of: date, now: datetime,
) -> tuple[Application, Application | None]:
    """D-4 体检、考察: a failure removes the candidate and the next in rank takes the place."""
    c = campaign(s, principal, campaign_id, write=True)
    require_step(c, "check")
    a = application(s, c, application_id)
    _checkable(a)
    if physical_exam is None and background_check is None:
        raise Invalid("no_outcome", "Give physical_exam and/or background_check.", "请录入体检或考察结果。",
                      field="physical_exam")
    refuse_future(checked_on, as_of, "checked_on")
    for field, value in (("physical_exam", physical_exam), ("background_check", background_check)):
        if value is not None and getattr(a, field) is not None:
            raise Conflict("check_recorded", f"The {field.replace('_', ' ')} outcome is recorded already.",
                           "该项结果已录入。", field=field)
    if physical_exam is not None:
        a.physical_exam = physical_exam
    if background_check is not None:
        a.background_check = background_check
    a.checked_on = checked_on
    record_step(s, c, "check", principal.sub, as_of, now, application_id=a.id, physical_exam=physical_exam,
                background_check=background_check, checked_on=checked_on.isoformat(), note=note)
    nxt = None
    failed = [f for f, v in (("physical exam", physical_exam), ("background check", background_check)) if v == "fail"]
    if failed:
        a.status = APPLICATION.move(a.status, ApplicationStatus.removed)
        a.removed_reason = f"failed the {' and '.join(failed)}"
        nxt = pass_place(s, c, a, principal.sub, as_of, now, a.removed_reason)
        maybe_close(s, c, principal.sub, as_of, now)
    s.flush()
    return a, nxt
