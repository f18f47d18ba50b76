"""HR's queries and transactions: accounts, workers and their grade history,
assessments. The set-based runs live in ``increment.py`` and ``pay.py``."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.rules import POLICY_KEYS
from hr_service.tables import (
    Assessment, AssessmentRevision, GradeChange, UserAccount, Worker, WorkerDesignation, infra,
)
from shared import idcard
from shared.auth import Principal, Role, district_in, hash_password, verify_password
from shared.errors import Conflict, FieldError, Invalid, NotFound, Problem
from shared.events import AssessmentRecorded, WorkerHired, WorkerLeft
from shared.outbox import publish, publish_many
from shared.policy import Policies, PolicyVersion

POLICIES = Policies(infra.policy_version, POLICY_KEYS)
"""HR's policy store (stateless: the table and the keys); the same as ``svc.policies``."""


def authenticate(session: Session, username: str, password: str) -> Principal:
    user = session.execute(select(UserAccount).where(UserAccount.username == username)).scalar_one_or_none()
    # Verify against a dummy hash when the user is unknown, so timing does not tell.
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not user or not ok or not user.active:
        raise Problem(
            "bad_credentials", "Unknown username or wrong password.", "用户名或密码错误。", status=401
        )
    return Principal(sub=user.username, role=Role(user.role), jurisdiction=user.jurisdiction, worker_id=user.worker_id)


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def create_user(
    session: Session, *, username: str, password: str, role: Role, jurisdiction: str,
    worker_id: int | None, now: datetime,
) -> UserAccount:
    if session.execute(select(UserAccount.id).where(UserAccount.username == username)).first():
        raise Conflict("username_taken", f"Username '{username}' is taken.", f"用户名“{username}”已被使用。", field="username")
    if role is Role.worker:
        if worker_id is None:
            raise Problem("worker_id_required", "A worker account needs worker_id.", "职工账号须指定 worker_id。",
                          field="worker_id", status=422)
        worker = session.get(Worker, worker_id)
        if worker is None:
            raise NotFound("worker", "社区工作者", worker_id, field="worker_id")
        jurisdiction = worker.jurisdiction
    user = UserAccount(
        username=username, password_hash=hash_password(password), role=role.value,
        jurisdiction=jurisdiction, worker_id=worker_id, active=True, created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def ensure_admin(session: Session, city: str, password: str | None, now: datetime) -> str | None:
    """Create the first admin account if there is none. Returns the password
    when it was generated (to be printed once), else None."""
    if session.execute(select(UserAccount.id).where(UserAccount.role == Role.admin.value)).first():
        return None
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(12)
    session.add(UserAccount(
        username="admin", password_hash=hash_password(password), role=Role.admin.value,
        jurisdiction=city, worker_id=None, active=True, created_at=now,
    ))
    return generated



# --- workers ------------------------------------------------------------------


def version_or_first(policies: Policies, session: Session, key: str, jurisdiction: str, as_of: date) -> PolicyVersion:
    """The version in force on ``as_of``; for a date before the first version
    (a worker hired before the tables begin), the first version."""
    try:
        return policies.version_in_force(session, key, jurisdiction, as_of)
    except NotFound:
        first = min((v for v in policies.versions(session, key) if district_in(v.jurisdiction, jurisdiction)),
                    key=lambda v: v.effective_from, default=None)
        if first is None:
            raise
        return policies.version_in_force(session, key, jurisdiction, first.effective_from)


def in_force_or_first(policies: Policies, session: Session, key: str, jurisdiction: str, as_of: date) -> Any:
    """The typed value of ``version_or_first``."""
    v = version_or_first(policies, session, key, jurisdiction, as_of)
    return msgspec.convert(v.value, policies.key(key).value_type)



def check_id_number(id_number: str, as_of: date | None = None) -> idcard.IdNumber:
    """A Chinese resident ID number: format, province, birth date and GB 11643 check character (422)."""
    try:
        return idcard.parse(id_number, as_of=as_of)
    except idcard.InvalidIdNumber as exc:
        raise Invalid(exc.code, f"ID number: {exc.reason}", f"身份证号码：{exc.reason_zh}", field="id_number") from None


def post_scale(scale: rules.PayScale, post: str, field: str = "post") -> rules.PostScale:
    """The post's band and amounts; an unknown post is 422 citing D-2."""
    if post not in scale.posts:
        raise Invalid("unknown_post", f"Unknown post '{post}'; the posts are {', '.join(scale.posts)} (D-2).",
                      f"未知岗位“{post}”；岗位为{'、'.join(scale.posts)}（D-2）。", field=field, clause="D-2")
    return scale.posts[post]


def check_in_band(post: str, grade: int, band: rules.PostScale, field: str = "grade") -> None:
    if not band.low <= grade <= band.high:
        raise Invalid("grade_outside_band",
                      f"Grade {grade} is outside the {post} band {band.low}-{band.high} (D-2).",
                      f"{grade} 档不在{post}的 {band.low}-{band.high} 档范围内（D-2）。", field=field, clause="D-2")


def hire_grade(
    *, post: str, grade: int | None, education: str | None, service_years: int, status: str, actor: str,
    scale: rules.PayScale, rule: rules.StartingGradeRule,
) -> tuple[int, str]:
    """The starting grade and how it was set (D-2), under the pay scale and
    starting-grade rule in force on the hire date: a given grade must lie in
    the post's band, else ``rules.starting_grade`` derives it (422 otherwise)."""
    if status not in ("active", "probation"):
        raise Invalid("invalid_status", "A new worker is 'active' or 'probation'.", "新职工状态须为 active 或 probation。",
                      field="status")
    if service_years < 0:
        raise Invalid("invalid_service_years", "service_years is never negative.", "工作年限不能为负数。",
                      field="service_years")
    band = post_scale(scale, post)
    if education is not None and education not in rule.education_years:
        raise Invalid("unknown_education",
                      f"Unknown education '{education}'; known: {', '.join(rule.education_years)} (D-2).",
                      f"未知学历“{education}”。", field="education", clause="D-2")
    rule = msgspec.structs.replace(rule, bands={**rule.bands, post: band.band})  # the pay scale's band rules
    derived = rules.starting_grade(post, service_years, education, rule)
    if grade is None:
        return derived.grade, f"starting grade {derived.explanation}"
    check_in_band(post, grade, band)
    return grade, (f"grade {grade} set by {actor}, within the {post} band {band.low}-{band.high} (D-2); "
                   f"the D-2 rule gives {derived.explanation}")


def create_worker(
    session: Session, *, name: str, id_number: str, jurisdiction: str, post: str, hired_on: date,
    now: datetime, community_code: str | None = None, grade: int | None = None,
    education: str | None = None, service_years: int = 0, birth_date: date | None = None,
    status: str = "active", probation_ends_on: date | None = None, actor: str = "system",
    publish_hired: bool = True, policies: Policies = POLICIES,
) -> Worker:
    """Put a worker on the rolls, in the caller's transaction.

    The ID number is validated (GB 11643) and unique. With ``grade=None`` the
    starting grade follows D-2 (``rules.starting_grade``); a given grade must
    lie in the post's band. The grade history's first row records the grade,
    who set it and how it was derived (``hire_derivation`` reads it back).
    Publishes ``worker.hired`` unless ``publish_hired`` is False (so a caller
    that publishes its own richer event does not send two)."""
    parsed = check_id_number(id_number, as_of=hired_on)
    if birth_date is not None and birth_date != parsed.birth_date:
        raise Invalid("birth_date_mismatch", f"The ID number says the birth date is {parsed.birth_date}.",
                      f"身份证号码显示出生日期为 {parsed.birth_date}。", field="birth_date")
    scale = in_force_or_first(policies, session, "pay_scale", jurisdiction, hired_on)
    rule = in_force_or_first(policies, session, "starting_grade", jurisdiction, hired_on)
    grade, reason = hire_grade(post=post, grade=grade, education=education, service_years=service_years,
                               status=status, actor=actor, scale=scale, rule=rule)
    if session.execute(select(Worker.id).where(Worker.id_number == parsed.number)).first():
        raise Conflict("id_number_taken", "A worker with this ID number exists.", "该身份证号码已登记。", field="id_number")
    worker = Worker(
        name=name, id_number=parsed.number, jurisdiction=jurisdiction, community_code=community_code,
        post=post, grade=grade, status=status, hired_on=hired_on, created_at=now,
        birth_date=parsed.birth_date, education=education, service_years=service_years,
        probation_ends_on=probation_ends_on, grade_since=hired_on,
    )
    session.add(worker)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent insert of the same ID number
        raise Conflict("id_number_taken", "A worker with this ID number exists.", "该身份证号码已登记。",
                       field="id_number") from exc
    session.add(GradeChange(
        worker_id=worker.id, effective_on=hired_on, post=post, grade=grade, kind="hire",
        reason=reason, clause="D-2", actor=actor, recorded_at=now,
    ))
    if publish_hired:
        publish(session, infra.outbox, WorkerHired(
            worker_id=worker.id, name=name, post=post, grade=grade, community_code=community_code,
            jurisdiction=jurisdiction, hired_on=hired_on, probation_ends_on=probation_ends_on,
        ))
    session.flush()
    return worker


class PolicyBook:
    """The versions of some policy keys read once, answering ``in_force_or_first``
    in memory: for a bulk import, where a thousand rows share a few versions."""

    def __init__(self, policies: Policies, session: Session, keys: tuple[str, ...]):
        self.policies = policies
        self.versions = {k: policies.versions(session, k) for k in keys}
        self.typed: dict[int, Any] = {}

    def _in_force(self, key: str, jurisdiction: str, as_of: date) -> PolicyVersion | None:
        from shared.policy import jurisdiction_chain

        for scope in jurisdiction_chain(jurisdiction):  # the most specific jurisdiction that has a version wins
            found = [v for v in self.versions[key] if v.jurisdiction == scope and v.effective_from <= as_of]
            if found:
                return max(found, key=lambda v: v.effective_from)
        return None

    def in_force_or_first(self, key: str, jurisdiction: str, as_of: date) -> Any:
        """As ``in_force_or_first`` (the first version for a date before it); 404 when there is none."""
        v = self._in_force(key, jurisdiction, as_of)
        if v is None:
            first = min((v for v in self.versions[key] if district_in(v.jurisdiction, jurisdiction)),
                        key=lambda v: v.effective_from, default=None)
            v = first and self._in_force(key, jurisdiction, first.effective_from)
            if v is None:
                raise NotFound(f"'{key}' policy in force on {as_of} for", "政策", jurisdiction, field="as_of")
        if v.id not in self.typed:
            self.typed[v.id] = msgspec.convert(v.value, self.policies.key(key).value_type)
        return self.typed[v.id]


class RowProblem(msgspec.Struct):
    """Why one item of a bulk request is refused (``item`` counts from 0)."""

    item: int
    field: str
    code: str
    reason: str
    reason_zh: str
    clause: str | None = None


def _chunks(values: list, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def import_workers(
    session: Session, principal: Principal, items: list[Any], *, now: datetime, dry_run: bool = False,
    problems: list[RowProblem] | None = None, policies: Policies = POLICIES,
) -> list[int]:
    """Put many workers on the rolls at once, all or none, in the caller's transaction.

    ``items`` carry the fields of the ``POST /workers`` body; each is checked
    by the same rules as ``create_worker`` (the caller's jurisdiction, the ID
    number, the post, grade band and education of the policy in force on the
    hire date), and against the others and the rolls for a repeated ID
    number. ``problems`` may hold refusals found earlier (a malformed item).
    Any problem is one 422 listing every refused item, with nothing written;
    otherwise the workers, their first grade-history rows and a
    ``worker.hired`` each are written in a few statements. Returns the new
    ids (none for ``dry_run``)."""
    problems = list(problems or [])
    book = PolicyBook(policies, session, ("pay_scale", "starting_grade"))
    refused = {p.item for p in problems}
    planned: list[tuple[int, Any, idcard.IdNumber, int, str]] = []
    first_seen: dict[str, int] = {}
    for i, w in enumerate(items):
        if w is None:
            continue

        def refuse(exc: Problem, _i: int = i) -> None:
            problems.append(RowProblem(_i, exc.field or "", exc.code, exc.detail, exc.detail_zh, exc.clause))

        if not principal.covers(w.jurisdiction):
            refuse(Problem("outside_jurisdiction", f"Jurisdiction '{w.jurisdiction}' is outside yours "
                           f"('{principal.jurisdiction}').",
                           f"“{w.jurisdiction}”不在您的管辖范围（{principal.jurisdiction}）内。",
                           field="jurisdiction", clause="D-8", status=403))
            continue
        parsed = None
        try:
            parsed = check_id_number(w.id_number, as_of=w.hired_on)
        except Problem as exc:
            refuse(exc)
        if parsed is not None:
            earlier = first_seen.setdefault(parsed.number, i)
            if earlier != i:
                refuse(Invalid("duplicate_in_request", f"The same ID number is item {earlier}'s.",
                               f"与第 {earlier} 项身份证号码重复。", field="id_number"))
        try:
            scale = book.in_force_or_first("pay_scale", w.jurisdiction, w.hired_on)
            rule = book.in_force_or_first("starting_grade", w.jurisdiction, w.hired_on)
            grade, reason = hire_grade(post=w.post, grade=w.grade, education=w.education,
                                       service_years=w.service_years, status=w.status, actor=principal.sub,
                                       scale=scale, rule=rule)
        except Problem as exc:
            refuse(exc)
            continue
        if parsed is not None:
            planned.append((i, w, parsed, grade, reason))
    numbers = list(first_seen)
    taken: set[str] = set()
    for chunk in _chunks(numbers):
        taken.update(session.execute(select(Worker.id_number).where(Worker.id_number.in_(chunk))).scalars())
    for number in sorted(taken, key=first_seen.__getitem__):
        problems.append(RowProblem(first_seen[number], "id_number", "id_number_taken",
                                   "A worker with this ID number exists.", "该身份证号码已登记。"))
    if problems:
        problems.sort(key=lambda p: (p.item, p.field))
        rows = sorted({p.item for p in problems} | refused)
        raise Invalid(
            "import_refused", f"{len(rows)} of {len(items)} item(s) cannot be imported; nothing was written.",
            f"{len(items)} 项中有 {len(rows)} 项不能导入，未写入任何记录。", field="items",
            errors=[FieldError(f"items[{p.item}].{p.field}" if p.field else f"items[{p.item}]", p.reason)
                    for p in problems],
            extra={"items": [msgspec.to_builtins(p) for p in problems]},
        )
    if dry_run:
        return []
    rows = [dict(
        name=w.name, id_number=parsed.number, jurisdiction=w.jurisdiction, community_code=w.community_code,
        post=w.post, grade=grade, status=w.status, hired_on=w.hired_on, created_at=now,
        birth_date=parsed.birth_date, education=w.education, service_years=w.service_years,
        probation_ends_on=w.probation_ends_on, grade_since=w.hired_on,
    ) for _, w, parsed, grade, _ in planned]
    try:  # one executemany (no RETURNING, which SQLite would run row by row), then the ids by ID number
        session.execute(insert(Worker), rows)
    except IntegrityError as exc:  # a concurrent insert of one of the ID numbers
        raise Conflict("id_number_taken", "A worker with one of these ID numbers was added meanwhile; try again.",
                       "导入期间有相同身份证号码的职工被登记，请重试。", field="items") from exc
    ids: dict[str, int] = {}
    for chunk in _chunks([r["id_number"] for r in rows]):
        found = session.execute(select(Worker.id_number, Worker.id).where(Worker.id_number.in_(chunk)))
        ids.update((number, wid) for number, wid in found)
    session.execute(insert(GradeChange), [dict(
        worker_id=ids[r["id_number"]], effective_on=r["hired_on"], post=r["post"], grade=r["grade"], kind="hire",
        reason=reason, clause="D-2", actor=principal.sub, recorded_at=now,
    ) for r, (*_, reason) in zip(rows, planned)])
    publish_many(session, infra.outbox, [WorkerHired(
        worker_id=ids[r["id_number"]], name=r["name"], post=r["post"], grade=r["grade"],
        community_code=r["community_code"], jurisdiction=r["jurisdiction"], hired_on=r["hired_on"],
        probation_ends_on=r["probation_ends_on"],
    ) for r in rows])
    session.flush()
    return [ids[r["id_number"]] for r in rows]


def hire_derivation(session: Session, worker_id: int) -> str | None:
    """How the worker's starting grade was set (the first row of the grade history)."""
    return session.execute(
        select(GradeChange.reason).where(GradeChange.worker_id == worker_id, GradeChange.kind == "hire")
        .order_by(GradeChange.id).limit(1)
    ).scalar()


def visible_worker(session: Session, principal: Principal, worker_id: int) -> Worker:
    """The worker, or 404 when there is none or it is another person's record (D-8)."""
    from shared.auth import ensure_visible

    w = session.get(Worker, worker_id)
    if w is None:
        raise NotFound("worker", "社区工作者", worker_id)
    ensure_visible(principal, w.jurisdiction, w.id, "worker", "社区工作者", worker_id)
    return w


def writable_worker(session: Session, principal: Principal, worker_id: int) -> Worker:
    """The worker for a change: 404 if not visible, 403 if outside the officer's jurisdiction."""
    from shared.auth import require_jurisdiction

    w = visible_worker(session, principal, worker_id)
    require_jurisdiction(principal, w.jurisdiction)
    return w


def grade_history(session: Session, worker_id: int) -> list[GradeChange]:
    return list(session.execute(
        select(GradeChange).where(GradeChange.worker_id == worker_id).order_by(GradeChange.id)
    ).scalars())


def _latest_change(session: Session, worker_id: int) -> GradeChange | None:
    return session.execute(
        select(GradeChange).where(GradeChange.worker_id == worker_id).order_by(GradeChange.id.desc()).limit(1)
    ).scalar()


def _on_rolls(worker: Worker) -> None:
    if worker.status == "left":
        raise Conflict("worker_left", f"Worker {worker.id} left on {worker.left_on}.",
                       f"该职工已于 {worker.left_on} 离职。", field="worker_id")


def change_post(
    session: Session, worker: Worker, *, post: str, effective_on: date, reason: str, actor: str, now: datetime,
    grade: int | None = None, policies: Policies = POLICIES,
) -> GradeChange:
    """Move a worker to another post from ``effective_on`` (D-2, S4-10 pay follows
    post). Without a grade, the current grade is kept if it lies in the new
    post's band, else the nearest grade of the band. History is append-only:
    the date may not precede the latest recorded change (409)."""
    _on_rolls(worker)
    if effective_on < worker.hired_on:
        raise Invalid("before_hire", f"The worker was hired on {worker.hired_on}.",
                      f"该职工于 {worker.hired_on} 入职。", field="effective_on")
    latest = _latest_change(session, worker.id)
    if latest is not None and effective_on < latest.effective_on:
        raise Conflict("history_is_append_only",
                       f"A change effective {latest.effective_on} is recorded; a post change may not take effect "
                       f"before it.", f"已有 {latest.effective_on} 生效的变动，岗位变动不得早于该日期。",
                       field="effective_on")
    if post == worker.post:
        raise Invalid("same_post", f"The worker already holds the post {post}.", f"该职工已在{post}岗位。",
                      field="post")
    scale = in_force_or_first(policies, session, "pay_scale", worker.jurisdiction, effective_on)
    band = post_scale(scale, post)
    if grade is None:
        grade = min(max(worker.grade, band.low), band.high)
        how = (f"grade {worker.grade} kept" if grade == worker.grade
               else f"grade {worker.grade} is outside the {post} band {band.low}-{band.high}: nearest grade {grade}")
    else:
        check_in_band(post, grade, band)
        how = f"grade {grade} set by {actor}"
    change = GradeChange(
        worker_id=worker.id, effective_on=effective_on, post=post, grade=grade, from_post=worker.post,
        from_grade=worker.grade, kind="post_change", reason=f"{reason}; {worker.post}→{post}, {how} (D-2)",
        clause="D-2", actor=actor, recorded_at=now,
    )
    session.add(change)
    worker.post, worker.grade, worker.grade_since = post, grade, effective_on
    session.flush()
    return change


def leave(session: Session, worker: Worker, *, left_on: date, reason: str, actor: str, now: datetime) -> Worker:
    """Take a worker off the rolls (``left_on`` is the last day on them); publishes worker.left."""
    _on_rolls(worker)
    if left_on < worker.hired_on:
        raise Invalid("before_hire", f"The worker was hired on {worker.hired_on}.",
                      f"该职工于 {worker.hired_on} 入职。", field="left_on")
    worker.status, worker.left_on, worker.left_reason = "left", left_on, reason
    publish(session, infra.outbox, WorkerLeft(worker_id=worker.id, jurisdiction=worker.jurisdiction,
                                              left_on=left_on, reason=reason))
    session.flush()
    return worker


class WorkerFilter(msgspec.Struct, frozen=True):
    jurisdiction: str | None = None
    community_code: str | None = None
    post: str | None = None
    grade: int | None = None
    status: str | None = None
    name: str | None = None


def list_workers(session: Session, principal: Principal, limit: int, offset: int,
                 filters: WorkerFilter = WorkerFilter()) -> tuple[list[Worker], int]:
    q = select(Worker)
    if principal.role is Role.worker:
        q = q.where(Worker.id == principal.worker_id)
    else:
        q = q.where((Worker.jurisdiction == principal.jurisdiction) | Worker.jurisdiction.startswith(principal.jurisdiction + "."))
    f = filters
    if f.jurisdiction:
        q = q.where((Worker.jurisdiction == f.jurisdiction) | Worker.jurisdiction.startswith(f.jurisdiction + "."))
    if f.community_code:
        q = q.where(Worker.community_code == f.community_code)
    if f.post:
        q = q.where(Worker.post == f.post)
    if f.grade is not None:
        q = q.where(Worker.grade == f.grade)
    if f.status:
        q = q.where(Worker.status == f.status)
    if f.name:
        q = q.where(Worker.name.contains(f.name, autoescape=True))
    total = session.execute(select(func.count()).select_from(q.subquery())).scalar_one()
    rows = session.execute(q.order_by(Worker.id).limit(limit).offset(offset)).scalars().all()
    return list(rows), total


# --- assessments (D-1, S3-1, S4-14, S0-6) ---------------------------------------


def score_centi(score: Decimal) -> int:
    centi = score * 100
    if centi != centi.to_integral_value():
        raise Invalid("score_precision", "A performance score has at most two decimals.", "绩效分最多两位小数。",
                      field="performance_score")
    return int(centi)


def _months_on_rolls(worker: Worker, year: int) -> range:
    first = worker.hired_on.month if worker.hired_on.year == year else 1
    last = worker.left_on.month if worker.left_on and worker.left_on.year == year else 12
    return range(first, last + 1)


def _assessment_rule(policies: Policies, session: Session, worker: Worker, year: int) -> rules.AssessmentRule:
    return in_force_or_first(policies, session, "assessment", worker.jurisdiction, date(year, 12, 31))


def _check_year(worker: Worker, year: int, today: date) -> None:
    if year > today.year:
        raise Invalid("assessment_year_in_future", f"Year {year} has not begun; an assessment is for a past or "
                      f"the current year.", f"{year} 年度尚未开始，不能考核。", field="year", clause="S4-10")
    if year < worker.hired_on.year:
        raise Invalid("assessed_before_hire", f"The worker was hired in {worker.hired_on.year}.",
                      f"该职工于 {worker.hired_on.year} 年入职。", field="year")
    if worker.left_on is not None and worker.left_on.year < year:
        raise Invalid("not_on_rolls", f"The worker left in {worker.left_on.year}.",
                      f"该职工已于 {worker.left_on.year} 年离职。", field="year")


def find_assessment(session: Session, worker_id: int, year: int) -> Assessment | None:
    return session.execute(
        select(Assessment).where(Assessment.worker_id == worker_id, Assessment.year == year)
    ).scalar_one_or_none()


def record_assessment(
    session: Session, worker: Worker, *, year: int, grade: str, visits: list[int], score: Decimal,
    residents_satisfaction: int | None, comment: str | None, actor: str, now: datetime, today: date,
    policies: Policies = POLICIES,
) -> Assessment:
    """S4-10 每年对社区工作人员进行考核: one assessment per worker per year (a second
    is 409). Months under the S3-1 visit minimum are flagged. Publishes
    assessment.recorded."""
    _check_year(worker, year, today)
    if find_assessment(session, worker.id, year) is not None:
        raise Conflict("assessment_exists", f"Worker {worker.id} already has an assessment for {year}; "
                       f"correct it instead.", f"该职工 {year} 年度已有考核，请更正而非重复录入。",
                       field="year", clause="S4-10")
    rule = _assessment_rule(policies, session, worker, year)
    a = Assessment(
        worker_id=worker.id, year=year, grade=grade, visits=list(visits),
        months_below_minimum=rules.months_below_minimum(visits, rule, _months_on_rolls(worker, year)),
        residents_satisfaction=residents_satisfaction, score_centi=score_centi(score), comment=comment,
        version=1, recorded_by=actor, recorded_at=now,
    )
    session.add(a)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("assessment_exists", f"Worker {worker.id} already has an assessment for {year}.",
                       f"该职工 {year} 年度已有考核。", field="year", clause="S4-10") from exc
    _publish_assessment(session, worker, a)
    return a


def _publish_assessment(session: Session, worker: Worker, a: Assessment) -> None:
    publish(session, infra.outbox, AssessmentRecorded(
        worker_id=worker.id, jurisdiction=worker.jurisdiction, year=a.year, grade=a.grade,
        score=Decimal(a.score_centi) / 100,
    ))


_CORRECTABLE = ("grade", "visits", "residents_satisfaction", "score_centi", "comment")


def correct_assessment(
    session: Session, worker: Worker, year: int, *, reason: str, actor: str, now: datetime,
    changes: dict[str, Any], policies: Policies = POLICIES,
) -> Assessment:
    """A correction needs a reason; the values it replaces are kept with the
    reason, who and when. Publishes assessment.recorded again with the new grade."""
    a = find_assessment(session, worker.id, year)
    if a is None:
        raise NotFound("assessment for year", "年度考核", year, field="year")
    if not reason.strip():
        raise Invalid("reason_required", "A correction needs a reason.", "更正须说明理由。", field="reason")
    if "score" in changes:
        changes["score_centi"] = score_centi(changes.pop("score"))
    changed = {k: v for k, v in changes.items() if k in _CORRECTABLE and getattr(a, k) != v}
    if not changed:
        raise Invalid("nothing_to_correct", "The correction changes nothing.", "更正内容与原记录相同。", field="body")
    previous = {k: getattr(a, k) for k in (*_CORRECTABLE, "months_below_minimum")}
    session.add(AssessmentRevision(assessment_id=a.id, version=a.version, previous=previous, reason=reason,
                                   changed_by=actor, changed_at=now))
    for k, v in changed.items():
        setattr(a, k, v)
    if "visits" in changed:
        rule = _assessment_rule(policies, session, worker, year)
        a.months_below_minimum = rules.months_below_minimum(a.visits, rule, _months_on_rolls(worker, year))
    a.version += 1
    a.updated_by, a.updated_at = actor, now
    session.flush()
    _publish_assessment(session, worker, a)
    return a


def assessment_revisions(session: Session, assessment_id: int) -> list[AssessmentRevision]:
    return list(session.execute(
        select(AssessmentRevision).where(AssessmentRevision.assessment_id == assessment_id)
        .order_by(AssessmentRevision.id)
    ).scalars())


def list_assessments(session: Session, worker_id: int) -> list[Assessment]:
    return list(session.execute(
        select(Assessment).where(Assessment.worker_id == worker_id).order_by(Assessment.year)
    ).scalars())


# --- designations from other services (D-7) -------------------------------------


def designations(session: Session, worker_id: int) -> list[WorkerDesignation]:
    """The titles on the worker's record (a leader talent from a certs round), by term."""
    return list(session.execute(
        select(WorkerDesignation).where(WorkerDesignation.worker_id == worker_id)
        .order_by(WorkerDesignation.term_starts_on, WorkerDesignation.id)
    ).scalars())
