"""The pure rules of HR's records (``hr_service.rules.workers``) and HR's state
machines (``hr_service.states``), at every boundary: going on the rolls (GB
11643, D-2, D-8), a post change, leaving, the assessment year."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from hr_service import rules
from hr_service.rules import workers as w
from hr_service.rules.workers import Hire, HireTerms, Refusal, WorkerFacts, WorkerRow
from hr_service.states import PAY_RUN, WORKER, PayRunStatus, WorkerStatus
from shared import idcard
from shared.errors import Conflict, Forbidden, Invalid, Problem

GONGSHU = "hangzhou.gongshu"
BORN = date(1990, 5, 17)
TERMS = HireTerms(rules.PAY_SCALE_2024, rules.StartingGradeRule())
DAY = timedelta(days=1)


def number(seq: int = 1, born: date = BORN) -> str:
    return idcard.make("330105", born, seq)


def row(**kw) -> WorkerRow:
    values = dict(name="王芳", id_number=number(), jurisdiction=GONGSHU, post="委员", hired_on=date(2024, 3, 1))
    return WorkerRow(**{**values, **kw})


def codes(decided) -> list[str]:
    assert isinstance(decided, list), decided
    return [r.code for r in decided]


def admit(r: WorkerRow, terms=TERMS, **kw):
    return w.admit(r, terms, actor="hr", **kw)


# --- admit: the ID number (GB 11643) -------------------------------------------


def test_a_valid_row_is_admitted_with_its_id_normalised_and_birth_date():
    x = idcard.make("110105", date(1949, 12, 31), 2)
    assert x.endswith("X")
    hire = admit(row(id_number=x.lower()))
    assert isinstance(hire, Hire)
    assert (hire.worker.id_number, hire.worker.birth_date) == (x, date(1949, 12, 31))


def test_a_wrong_check_character_is_refused():
    good = number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    [r] = admit(row(id_number=bad))
    assert (r.code, r.field, r.status) == ("id_number_check_digit", "id_number", 422)
    assert r.detail.startswith("ID number:") and r.detail_zh.startswith("身份证号码：")


@pytest.mark.parametrize(("born", "ok"), [(date(2024, 2, 29), True), (date(2024, 3, 1), True),
                                          (date(2024, 3, 2), False)])
def test_the_birth_date_may_not_follow_the_hire_date(born, ok):
    decided = admit(row(id_number=number(born=born)))
    assert isinstance(decided, Hire) if ok else codes(decided) == ["id_number_birth_date"]


@pytest.mark.parametrize(("given", "ok"), [(None, True), (BORN, True), (BORN - DAY, False), (BORN + DAY, False)])
def test_a_given_birth_date_must_be_the_one_the_id_carries(given, ok):
    decided = admit(row(birth_date=given))
    if ok:
        assert decided.worker.birth_date == BORN
    else:
        [r] = decided
        assert (r.code, r.field) == ("birth_date_mismatch", "birth_date") and str(BORN) in r.detail


# --- admit: the caller's jurisdiction (D-8) --------------------------------------


@pytest.mark.parametrize(("jurisdiction", "ok"), [(GONGSHU, True), (GONGSHU + ".east", True),
                                                  ("hangzhou", False), ("hangzhou.xihu", False),
                                                  ("hangzhou.gongshu2", False)])
def test_the_row_must_lie_in_the_callers_jurisdiction(jurisdiction, ok):
    decided = admit(row(jurisdiction=jurisdiction), yours=GONGSHU)
    if ok:
        assert isinstance(decided, Hire)
    else:
        [r] = decided
        assert (r.code, r.field, r.clause, r.status) == ("outside_jurisdiction", "jurisdiction", "D-8", 403)


def test_outside_the_jurisdiction_nothing_else_is_checked():
    [r] = admit(row(jurisdiction="hangzhou.xihu", id_number="1", post="主任"), yours=GONGSHU)
    assert r.code == "outside_jurisdiction"
    assert isinstance(admit(row(jurisdiction="hangzhou.xihu")), Hire)  # no caller's bound: a hire


# --- admit: a repeated ID number --------------------------------------------------


def test_a_number_earlier_in_the_file_is_a_duplicate():
    [r] = admit(row(), earlier=0)
    assert (r.code, r.field) == ("duplicate_in_request", "id_number") and "item 0" in r.detail


def test_a_number_on_the_rolls_is_taken_unless_an_earlier_item_carries_it():
    [r] = admit(row(), known={number()})
    assert (r.code, r.field, r.status) == ("id_number_taken", "id_number", 409)
    assert codes(admit(row(), known={number()}, earlier=3)) == ["duplicate_in_request"]
    assert isinstance(admit(row(), known={number(2)}), Hire)


def test_an_invalid_number_is_neither_a_duplicate_nor_taken():
    assert codes(admit(row(id_number="330105199002301231"), known={"330105199002301231"}, earlier=0)) == [
        "id_number_birth_date"]


def test_id_numbers_and_repeats_over_a_file():
    rows = [row(), row(id_number=number(2)), row(id_number=number().lower()), None, row(id_number="x"),
            row(id_number=number(2), jurisdiction="hangzhou.xihu")]
    numbers = w.id_numbers(rows, GONGSHU)
    assert numbers == [number(), number(2), number(), None, None, None]
    assert w.repeats(numbers) == [None, None, 0, None, None, None]
    assert w.id_numbers(rows)[5] == number(2)  # no bound: every valid number
    assert w.repeats(["a", "b", "a", "a", None, "b"]) == [None, None, 0, 0, None, 1]


# --- admit: the terms, status, service years, post, education, grade (D-2) -------


def test_no_terms_in_force_is_the_refusal_given_and_no_grade_is_checked():
    missing = Refusal("not_found", "No policy.", "未找到政策。", "as_of", status=404)
    assert admit(row(post="主任"), missing) == [missing]


@pytest.mark.parametrize(("status", "ok"), [(WorkerStatus.active, True), (WorkerStatus.probation, True),
                                            (WorkerStatus.left, False), ("retired", False)])
def test_a_new_worker_is_active_or_on_probation(status, ok):
    decided = admit(row(status=status))
    assert isinstance(decided, Hire) if ok else codes(decided) == ["invalid_status"]


@pytest.mark.parametrize(("years", "ok"), [(-1, False), (0, True), (1, True)])
def test_service_years_are_never_negative(years, ok):
    decided = admit(row(service_years=years))
    assert isinstance(decided, Hire) if ok else codes(decided) == ["invalid_service_years"]


def test_an_unknown_post_or_education_is_refused_citing_d2():
    [r] = admit(row(post="主任助理"))
    assert (r.code, r.field, r.clause) == ("unknown_post", "post", "D-2") and "正职" in r.detail
    [r] = admit(row(education="高中"))
    assert (r.code, r.field, r.clause) == ("unknown_education", "education", "D-2")


@pytest.mark.parametrize(("post", "grade", "ok"), [
    ("委员", 1, True), ("委员", 12, True), ("委员", 13, False),
    ("副职", 3, False), ("副职", 4, True), ("副职", 15, True), ("副职", 16, False),
    ("正职", 6, False), ("正职", 7, True), ("正职", 18, True),
])
def test_a_given_grade_must_lie_in_the_posts_band(post, grade, ok):
    decided = admit(row(post=post, grade=grade))
    if ok:
        assert decided.worker.grade == grade and decided.derivation.startswith(f"grade {grade} set by hr")
    else:
        [r] = decided
        assert (r.code, r.field, r.clause) == ("grade_outside_band", "grade", "D-2")


@pytest.mark.parametrize(("years", "education", "grade", "capped"), [
    (0, None, 1, False), (2, "本科", 6, False), (11, None, 12, False), (12, None, 12, True),
    (8, "本科", 12, False), (9, "本科", 12, True),
])
def test_without_a_grade_d2_derives_it_to_the_top_of_the_band(years, education, grade, capped):
    hire = admit(row(service_years=years, education=education))
    assert hire.worker.grade == grade
    assert hire.derivation.startswith("starting grade 委员 band 1-12") and hire.derivation.endswith("(D-2)")
    assert ("capped at 12" in hire.derivation) is capped


def test_the_refusals_come_in_the_order_a_single_hire_meets_them():
    bad_id = number()[:-1] + ("0" if number()[-1] != "0" else "1")
    assert codes(admit(row(id_number=bad_id, post="主任"))) == ["id_number_check_digit", "unknown_post"]
    assert codes(admit(row(grade=13), known={number()})) == ["grade_outside_band", "id_number_taken"]
    # every problem of the row, each once: an import lists them all
    assert codes(admit(row(status="left", service_years=-1, post="主任", education="高中"))) == [
        "invalid_status", "invalid_service_years", "unknown_post", "unknown_education"]
    assert codes(admit(row(education="高中", grade=13))) == ["unknown_education", "grade_outside_band"]
    assert codes(admit(row(id_number="x", hired_on=date(2031, 1, 1), post="主任", grade=20), known={"x"},
                       today=date(2030, 12, 31))) == ["date_in_future", "id_number_format", "unknown_post"]


@pytest.mark.parametrize(("hired_on", "ok"), [(date(2025, 6, 30), True), (date(2025, 7, 1), True),
                                              (date(2025, 7, 2), False)])
def test_a_hire_is_not_dated_after_today(hired_on, ok):
    decided = admit(row(hired_on=hired_on), today=date(2025, 7, 1))
    if ok:
        assert isinstance(decided, Hire)
    else:
        [r] = decided
        assert (r.code, r.field, r.status) == ("date_in_future", "hired_on", 422) and "after today" in r.detail
    assert isinstance(admit(row(hired_on=date(2025, 7, 2))), Hire)  # no today given: not checked


# --- the refusal as an error ------------------------------------------------------


@pytest.mark.parametrize(("status", "kind"), [(422, Invalid), (409, Conflict), (403, Forbidden), (404, Problem)])
def test_a_refusal_raises_as_its_status(status, kind):
    p = Refusal("c", "en", "zh", "f", "D-2", status).problem()
    assert type(p) is kind and (p.code, p.status, p.field, p.clause, p.detail_zh) == ("c", status, "f", "D-2", "zh")
    assert Refusal.of(p) == Refusal("c", "en", "zh", "f", "D-2", status)


# --- a post change (D-2, D-11) ------------------------------------------------------


def facts(**kw) -> WorkerFacts:
    values = dict(id=7, status=WorkerStatus.active, hired_on=date(2024, 3, 1), post="委员", grade=2)
    return WorkerFacts(**{**values, **kw})


def change(worker: WorkerFacts | None = None, **kw):
    values = dict(post="副职", effective_on=date(2025, 3, 1), grade=None, latest_on=date(2024, 3, 1),
                  scale=rules.PAY_SCALE_2024, actor="hr")
    return w.post_change(worker or facts(), **{**values, **kw})


def test_a_worker_who_left_changes_no_more():
    r = change(facts(status=WorkerStatus.left, left_on=date(2025, 1, 31)))
    assert (r.code, r.status, r.field) == ("worker_left", 409, "worker_id") and "2025-01-31" in r.detail
    assert isinstance(change(facts(status=WorkerStatus.probation)), w.PostMove)


@pytest.mark.parametrize(("day", "ok"), [(date(2024, 2, 29), False), (date(2024, 3, 1), True),
                                         (date(2024, 3, 2), True)])
def test_a_post_change_takes_effect_from_the_hire_on(day, ok):
    moved = change(effective_on=day, latest_on=None)
    assert isinstance(moved, w.PostMove) if ok else (moved.code, moved.field) == ("before_hire", "effective_on")


@pytest.mark.parametrize(("day", "ok"), [(date(2025, 2, 28), False), (date(2025, 3, 1), True),
                                         (date(2025, 3, 2), True)])
def test_the_history_is_append_only(day, ok):
    moved = change(effective_on=day, latest_on=date(2025, 3, 1))
    if ok:
        assert isinstance(moved, w.PostMove)
    else:
        assert (moved.code, moved.status, moved.field) == ("history_is_append_only", 409, "effective_on")


def test_the_same_post_or_an_unknown_one_is_refused():
    assert change(post="委员").code == "same_post"
    assert (change(post="主任").code, change(post="主任").clause) == ("unknown_post", "D-2")
    missing = Refusal("not_found", "No policy.", "未找到政策。", "as_of", status=404)
    assert change(scale=missing) is missing


@pytest.mark.parametrize(("post", "grade", "to", "how"), [
    ("副职", 3, 4, "nearest grade 4"), ("副职", 4, 4, "grade 4 kept"), ("副职", 15, 15, "grade 15 kept"),
    ("正职", 6, 7, "nearest grade 7"), ("委员", 13, 12, "nearest grade 12"),
])
def test_without_a_grade_the_current_one_is_kept_within_the_new_band(post, grade, to, how):
    current = facts(post="副职" if post != "副职" else "委员", grade=grade)
    moved = change(current, post=post)
    assert (moved.post, moved.grade) == (post, to) and how in moved.how


@pytest.mark.parametrize(("grade", "ok"), [(3, False), (4, True), (15, True), (16, False)])
def test_a_given_grade_must_lie_in_the_new_band(grade, ok):
    moved = change(grade=grade)
    if ok:
        assert (moved.grade, moved.how) == (grade, f"grade {grade} set by hr")
    else:
        assert (moved.code, moved.field) == ("grade_outside_band", "grade")


# --- leaving (D-11) -------------------------------------------------------------------


@pytest.mark.parametrize(("status", "day", "code"), [
    (WorkerStatus.active, date(2024, 3, 1), None), (WorkerStatus.probation, date(2024, 3, 2), None),
    (WorkerStatus.active, date(2024, 2, 29), "before_hire"), (WorkerStatus.left, date(2025, 1, 1), "worker_left"),
])
def test_leaving_once_and_not_before_the_hire(status, day, code):
    refused = w.leaving(facts(status=status, left_on=date(2024, 12, 31) if status == "left" else None), day)
    assert (refused and refused.code) == code


# --- the assessment year (S4-10) ------------------------------------------------------


@pytest.mark.parametrize(("year", "today", "code"), [
    (2026, date(2025, 6, 1), "date_in_future"), (2025, date(2025, 6, 1), "date_in_future"),
    (2025, date(2025, 12, 30), "date_in_future"), (2025, date(2025, 12, 31), None), (2025, date(2026, 1, 1), None),
    (2024, date(2025, 6, 1), None), (2022, date(2025, 6, 1), None), (2021, date(2025, 6, 1), "before_hire"),
])
def test_an_assessment_is_for_a_year_that_has_ended_on_the_rolls(year, today, code):
    refused = w.assessment_year(facts(hired_on=date(2022, 6, 1)), year, today)
    assert (refused and refused.code) == code
    if code == "date_in_future":
        assert (refused.field, refused.clause, refused.status) == ("year", "S4-10", 422)
        assert "after today" in refused.detail and f"{year}-12-31" in refused.detail


@pytest.mark.parametrize(("year", "code"), [(2023, None), (2024, None), (2025, "not_on_rolls")])
def test_not_for_a_year_after_leaving(year, code):
    gone = facts(hired_on=date(2020, 1, 1), status=WorkerStatus.left, left_on=date(2024, 1, 31))
    refused = w.assessment_year(gone, year, date(2026, 3, 1))
    assert (refused and refused.code) == code


def test_months_on_the_rolls():
    worker = facts(hired_on=date(2024, 3, 15), left_on=date(2025, 7, 1))
    assert w.months_on_rolls(worker, 2023) == range(1, 13)  # before the hire: the rule says which years
    assert w.months_on_rolls(worker, 2024) == range(3, 13)
    assert w.months_on_rolls(worker, 2025) == range(1, 8)
    assert w.months_on_rolls(facts(hired_on=date(2024, 12, 31)), 2024) == range(12, 13)


# --- the machines ------------------------------------------------------------------------


def test_the_worker_machine():
    assert WORKER.can(WorkerStatus.probation, WorkerStatus.active)
    assert WORKER.can(WorkerStatus.active, WorkerStatus.left) and WORKER.can(WorkerStatus.probation, WorkerStatus.left)
    assert not WORKER.can(WorkerStatus.active, WorkerStatus.probation)
    # D-11: only reinstatement leaves "left"
    assert WORKER.can(WorkerStatus.left, WorkerStatus.active) and WORKER.can(WorkerStatus.left, WorkerStatus.probation)
    assert not WORKER.final(WorkerStatus.left) and not WORKER.final(WorkerStatus.active)
    with pytest.raises(Conflict):
        WORKER.move(WorkerStatus.probation, WorkerStatus.probation)
    assert WORKER.check_sql("status") == "status IN ('active', 'probation', 'left')"
    assert w.on_rolls(facts()) and not w.on_rolls(facts(status=WorkerStatus.left))


def test_the_pay_run_machine():
    """D-16: a draft is submitted, then approved (closed) or rejected (a draft again); never closed unseen."""
    assert PAY_RUN.move(PayRunStatus.draft, PayRunStatus.submitted) is PayRunStatus.submitted
    assert PAY_RUN.move(PayRunStatus.submitted, PayRunStatus.closed) is PayRunStatus.closed
    assert PAY_RUN.move(PayRunStatus.submitted, PayRunStatus.draft) is PayRunStatus.draft
    for a, b in ((PayRunStatus.draft, PayRunStatus.closed), (PayRunStatus.closed, PayRunStatus.draft),
                 (PayRunStatus.closed, PayRunStatus.submitted), (PayRunStatus.closed, PayRunStatus.closed)):
        with pytest.raises(Conflict):
            PAY_RUN.move(a, b)
    assert PAY_RUN.check_sql("status") == "status IN ('draft', 'submitted', 'closed')"
