"""Who may go on the rolls and what may happen to them there: pure decisions
over plain values (no Session, no clock), each returning the decision or the
refusals, for ``hr_service.store`` to load for, call and save.

- ``admit``: a worker offered for the rolls (``POST /workers``, one row of an
  import, a recruitment hire): the ID number (GB 11643) and the birth date it
  carries, the caller's jurisdiction (D-8), a repeated ID number, the post and
  the D-2 starting grade under the pay scale in force on the hire date.
- ``post_change``: a move to another post from a date (D-2, D-11).
- ``leaving``: taking a worker off the rolls (D-11).
- ``assessment_year``: which years a worker may be assessed for (S4-10).
"""
from __future__ import annotations

from collections.abc import Sequence, Set
from datetime import date

import msgspec

from hr_service.rules import GradeBand, PayScale, PostScale, StartingGradeRule, starting_grade
from hr_service.states import HIRED_AS, WORKER, WorkerStatus
from shared import errors, idcard
from shared.auth import district_in
from shared.errors import Refusal

# --- going on the rolls (GB 11643, D-2, D-8) ---------------------------------


class WorkerRow(msgspec.Struct, frozen=True):
    """A worker offered for the rolls: a ``POST /workers`` body, an import row, a hire."""

    name: str
    id_number: str
    jurisdiction: str
    post: str
    hired_on: date
    grade: int | None = None
    community_code: str | None = None
    education: str | None = None
    service_years: int = 0
    status: str = WorkerStatus.active
    probation_ends_on: date | None = None
    birth_date: date | None = None


class HireTerms(msgspec.Struct, frozen=True):
    """The policy in force on the hire date: the pay scale and the D-2 starting-grade rule."""

    scale: PayScale
    rule: StartingGradeRule


class Hire(msgspec.Struct, frozen=True):
    """An accepted worker: the row with its ID number normalised, the birth date
    it carries and the starting grade, and how that grade was set (D-2)."""

    worker: WorkerRow
    derivation: str


def id_refusal(exc: idcard.InvalidIdNumber, field: str = "id_number") -> Refusal:
    return Refusal(exc.code, f"ID number: {exc.reason}", f"身份证号码：{exc.reason_zh}", field)


def parse_id(row: WorkerRow) -> idcard.IdNumber | Refusal:
    """The row's resident ID number (format, province, a birth date not after
    the hire date, the GB 11643 check character), or why it is not one."""
    try:
        return idcard.parse(row.id_number, as_of=row.hired_on)
    except idcard.InvalidIdNumber as exc:
        return id_refusal(exc)


def id_numbers(rows: Sequence[WorkerRow | None], yours: str | None = None) -> list[str | None]:
    """Each row's ID number, normalised, when it is valid and the row lies
    within ``yours`` (D-8); None otherwise (a missing row included)."""
    out: list[str | None] = []
    for row in rows:
        parsed = None
        if row is not None and (yours is None or district_in(yours, row.jurisdiction)):
            parsed = parse_id(row)
        out.append(parsed.number if isinstance(parsed, idcard.IdNumber) else None)
    return out


def repeats(numbers: Sequence[str | None]) -> list[int | None]:
    """For each item of a file, the first earlier item with the same ID number, or None."""
    first: dict[str, int] = {}
    out: list[int | None] = []
    for i, number in enumerate(numbers):
        earlier = None if number is None else first.setdefault(number, i)
        out.append(None if earlier == i else earlier)
    return out


def post_band(scale: PayScale, post: str, field: str = "post") -> PostScale | Refusal:
    """The post's band and amounts; an unknown post is refused citing D-2."""
    if post not in scale.posts:
        return Refusal("unknown_post", f"Unknown post '{post}'; the posts are {', '.join(scale.posts)} (D-2).",
                       f"未知岗位“{post}”；岗位为{'、'.join(scale.posts)}（D-2）。", field, "D-2")
    return scale.posts[post]


def band_refusal(post: str, grade: int, band: PostScale | GradeBand, field: str = "grade") -> Refusal | None:
    """None when ``grade`` lies in the post's band (D-2), else why not."""
    if band.low <= grade <= band.high:
        return None
    return Refusal("grade_outside_band", f"Grade {grade} is outside the {post} band {band.low}-{band.high} (D-2).",
                   f"{grade} 档不在{post}的 {band.low}-{band.high} 档范围内（D-2）。", field, "D-2")


def grade_refusals(row: WorkerRow, terms: HireTerms) -> list[Refusal]:
    """Every reason the row's status, service years, post, education and given
    grade are refused under the terms (D-2): all of them, not the first only."""
    refusals: list[Refusal] = []
    if row.status not in HIRED_AS:
        refusals.append(Refusal("invalid_status", "A new worker is 'active' or 'probation'.",
                                "新职工状态须为 active 或 probation。", "status"))
    if row.service_years < 0:
        refusals.append(Refusal("invalid_service_years", "service_years is never negative.", "工作年限不能为负数。",
                                "service_years"))
    band = post_band(terms.scale, row.post)
    if isinstance(band, Refusal):
        refusals.append(band)
    if row.education is not None and row.education not in terms.rule.education_years:
        refusals.append(Refusal(
            "unknown_education",
            f"Unknown education '{row.education}'; known: {', '.join(terms.rule.education_years)} (D-2).",
            f"未知学历“{row.education}”。", "education", "D-2"))
    outside = None if isinstance(band, Refusal) or row.grade is None else band_refusal(row.post, row.grade, band)
    return refusals + ([outside] if outside is not None else [])


def hire_grade(row: WorkerRow, terms: HireTerms, actor: str) -> tuple[int, str] | list[Refusal]:
    """The starting grade and how it was set (D-2), under the terms in force on
    the hire date: a given grade must lie in the post's band, else
    ``rules.starting_grade`` derives it. Every refusal otherwise."""
    refusals = grade_refusals(row, terms)
    band = post_band(terms.scale, row.post)
    if refusals or isinstance(band, Refusal):
        return refusals
    rule = msgspec.structs.replace(terms.rule, bands={**terms.rule.bands, row.post: band.band})  # the scale's bands
    derived = starting_grade(row.post, row.service_years, row.education, rule)
    if row.grade is None:
        return derived.grade, f"starting grade {derived.explanation}"
    return row.grade, (f"grade {row.grade} set by {actor}, within the {row.post} band {band.low}-{band.high} (D-2); "
                       f"the D-2 rule gives {derived.explanation}")


ID_TAKEN = Refusal("id_number_taken", "A worker with this ID number exists.", "该身份证号码已登记。", "id_number",
                   status=409)


def admit(
    row: WorkerRow, terms: HireTerms | Refusal | None, *, actor: str, known: Set[str] = frozenset(),
    earlier: int | None = None, yours: str | None = None, today: date | None = None,
) -> Hire | list[Refusal]:
    """May ``row`` go on the rolls? The accepted worker, or every refusal in
    the order a single hire meets them (the first is the one it raises):

    the caller's jurisdiction ``yours`` (D-8; nothing else is checked outside
    it), a hire date after ``today`` (a fact is recorded once it happens), the
    ID number, the birth date it carries against a given one, an ``earlier``
    item of the same file with the same number, the terms (or why none are in
    force), the status, service years, post, education and grade, and a
    number already in ``known`` (the rolls). With ``terms`` None (a client
    checking a file before it is sent, without them) the grade is left to the
    service."""
    if yours is not None and not district_in(yours, row.jurisdiction):
        return [Refusal.of(errors.outside_jurisdiction(row.jurisdiction, yours))]
    refusals: list[Refusal] = []
    if today is not None and row.hired_on > today:
        refusals.append(Refusal.of(errors.in_future("hired_on", row.hired_on, today)))
    parsed = parse_id(row)
    if isinstance(parsed, Refusal):
        refusals.append(parsed)
        parsed = None
    elif row.birth_date is not None and row.birth_date != parsed.birth_date:
        refusals.append(Refusal("birth_date_mismatch", f"The ID number says the birth date is {parsed.birth_date}.",
                                f"身份证号码显示出生日期为 {parsed.birth_date}。", "birth_date"))
    if parsed is not None and earlier is not None:
        refusals.append(Refusal("duplicate_in_request", f"The same ID number is item {earlier}'s.",
                                f"与第 {earlier} 项身份证号码重复。", "id_number"))
    graded: tuple[int | None, str] | list[Refusal]
    if terms is None:
        graded = (row.grade, "grade left to HR")
    else:
        graded = [terms] if isinstance(terms, Refusal) else hire_grade(row, terms, actor)
    if isinstance(graded, list):
        refusals.extend(graded)
    if parsed is not None and earlier is None and parsed.number in known:
        refusals.append(ID_TAKEN)
    if refusals or parsed is None or isinstance(graded, list):
        return refusals
    grade, derivation = graded
    worker = msgspec.structs.replace(row, id_number=parsed.number, birth_date=parsed.birth_date, grade=grade)
    return Hire(worker, derivation)


# --- on the rolls (D-2, D-11) ---------------------------------------------------


class WorkerFacts(msgspec.Struct, frozen=True):
    """A worker's record as the rules below need it."""

    id: int
    status: str
    hired_on: date
    post: str
    grade: int
    left_on: date | None = None


def on_rolls(worker: WorkerFacts) -> bool:
    """Still on the rolls: nothing is changed after a worker left (D-11), unless reinstated."""
    return worker.status != WorkerStatus.left


def not_before_hire(worker: WorkerFacts, day: date, field: str) -> Refusal | None:
    if day < worker.hired_on:
        return Refusal.of(errors.before_hire(field, day, worker.hired_on))
    return None


class PostMove(msgspec.Struct, frozen=True):
    """A post change decided: the new post and grade, and how the grade was set."""

    post: str
    grade: int
    how: str


def post_change(
    worker: WorkerFacts, *, post: str, effective_on: date, grade: int | None, latest_on: date | None,
    scale: PayScale | Refusal, actor: str,
) -> PostMove | Refusal:
    """Move ``worker`` to ``post`` from ``effective_on`` (D-2, D-11; S4-10 pay
    follows the post). History is append-only: the date may be neither before
    the hire nor before ``latest_on``, the latest recorded change. Without a
    grade the current one is kept if it lies in the new post's band of
    ``scale``, else the nearest grade of the band; a given grade must lie in it."""
    if not on_rolls(worker):
        return Refusal.of(errors.worker_left(worker.id, worker.left_on))
    early = not_before_hire(worker, effective_on, "effective_on")
    if early is not None:
        return early
    if latest_on is not None and effective_on < latest_on:
        return Refusal("history_is_append_only",
                       f"A change effective {latest_on} is recorded; a post change may not take effect before it.",
                       f"已有 {latest_on} 生效的变动，岗位变动不得早于该日期。", "effective_on", status=409)
    if post == worker.post:
        return Refusal("same_post", f"The worker already holds the post {post}.", f"该职工已在{post}岗位。", "post")
    band = scale if isinstance(scale, Refusal) else post_band(scale, post)
    if isinstance(band, Refusal):
        return band
    if grade is None:
        kept = min(max(worker.grade, band.low), band.high)
        how = (f"grade {worker.grade} kept" if kept == worker.grade
               else f"grade {worker.grade} is outside the {post} band {band.low}-{band.high}: nearest grade {kept}")
        return PostMove(post, kept, how)
    return band_refusal(post, grade, band) or PostMove(post, grade, f"grade {grade} set by {actor}")


def leaving(worker: WorkerFacts, left_on: date) -> Refusal | None:
    """May ``worker`` leave the rolls with ``left_on`` as the last day? Not twice,
    not before the hire (D-11)."""
    if not WORKER.can(worker.status, WorkerStatus.left):
        return Refusal.of(errors.worker_left(worker.id, worker.left_on))
    return not_before_hire(worker, left_on, "left_on")


# --- assessments (S4-10) ----------------------------------------------------------


def assessment_year(worker: WorkerFacts, year: int, today: date) -> Refusal | None:
    """S4-10 每年对社区工作人员进行考核: a year that has ended (an assessment
    speaks for the whole year, its last day included: one not yet ended is
    dated after today, ``date_in_future``), on the rolls in it (from the year
    of the hire to the year of leaving)."""
    if date(year, 12, 31) > today:
        return Refusal.of(errors.in_future("year", f"{year} (ending {date(year, 12, 31)})", today, clause="S4-10"))
    if year < worker.hired_on.year:
        return Refusal.of(errors.before_hire("year", year, worker.hired_on))
    if worker.left_on is not None and worker.left_on.year < year:
        return Refusal("not_on_rolls", f"The worker left in {worker.left_on.year}.",
                       f"该职工已于 {worker.left_on.year} 年离职。", "year")
    return None


def months_on_rolls(worker: WorkerFacts, year: int) -> range:
    """The months (1-12) of ``year`` the worker was on the rolls, for S3-1's visit minimum."""
    first = worker.hired_on.month if worker.hired_on.year == year else 1
    last = worker.left_on.month if worker.left_on and worker.left_on.year == year else 12
    return range(first, last + 1)
