"""D-16: a payslip is a list of lines, each with its clause
(``hr_service.pay.lines``): the catalogue, the lines of one payslip, the sums
they keep (earnings, rewards and months made good add up to the gross; the
gross less the deductions is the net pay) over random payslips of the rules
and over every payslip of real pay runs, and who may read a payslip by its id."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hr_service import rules
from hr_service.actors import on_certificate_registered
from hr_service.pay.lines import DEDUCTION, EARNING, EMPLOYER, GROUPS, INFO, KEPT, LINE_KINDS, TOTAL, Reward, lines_of
from hr_service.pay.payslips import stored_payslips
from hr_service.rewards.tables import RewardAward, RewardFund
from shared.events import CertificateRegistered
from tests.hr.helpers import GONGSHU, XIHU, StatementCounter, assess, hire, service
from tests.hr.pay_helpers import close_run, pay_admin, regrade

CLAUSES = Path(__file__).resolve().parents[2] / "docs" / "policy" / "CLAUSES.md"


def kinds(lines) -> list[str]:
    return [ln["kind"] if isinstance(ln, dict) else ln.kind for ln in lines]


def check_sums(lines: list[dict], slip: dict) -> None:
    """Earnings (rewards and months made good included) add up to the gross,
    the gross less the deductions is the net pay, the employer's lines add up
    to their total, and each line's amount is what its column holds."""
    by_group: dict[str, list[dict]] = {g: [ln for ln in lines if ln["group"] == g] for g in GROUPS}
    totals = {ln["kind"]: ln["amount"] for ln in by_group[TOTAL]}
    assert list(totals) == ["gross", "net_pay"]
    assert sum(ln["amount"] for ln in by_group[EARNING]) == totals["gross"] == slip["gross"]
    assert totals["gross"] - sum(ln["amount"] for ln in by_group[DEDUCTION]) == totals["net_pay"] == slip["net_pay"]
    employer = [ln["amount"] for ln in by_group[EMPLOYER] if ln["kind"] != "employer_total"]
    assert sum(employer) == slip["employer_total"]
    assert sum(ln["amount"] for ln in lines if ln["kind"] == "rewards") == slip["rewards"]
    assert sum(ln["amount"] for ln in lines if ln["kind"] in ("arrears", "recovery")) == slip["arrears"]
    for ln in lines:
        if ln["kind"] not in ("rewards", "arrears", "recovery"):
            assert ln["amount"] == slip[ln["kind"]], ln
        assert ln["amount"] != 0 or ln["kind"] in KEPT, ln


# --- the catalogue -------------------------------------------------------------------------


def test_the_catalogue_names_real_columns_and_clauses():
    text = CLAUSES.read_text(encoding="utf-8")
    known = set(re.findall(r"^\| ([SD]\d?-?\d+(?:-\d+)?) \|", text, flags=re.M))
    assert {"S4-10", "D-2", "D-16"} <= known
    columns = set(rules.PayLines.__struct_fields__)
    assert len({k.kind for k in LINE_KINDS}) == len(LINE_KINDS)
    for k in LINE_KINDS:
        assert k.column in columns and k.group in GROUPS and k.label_zh and k.label_en, k
        assert set(re.split(r",\s*", k.clause)) <= known, k
    order = kinds(LINE_KINDS)
    # earnings, the gross, the deductions, the net pay, then the employer's side and information
    assert order.index("floor_top_up") < order.index("rewards") < order.index("arrears") < order.index("gross")
    assert order.index("gross") < order.index("ee_pension") < order.index("income_tax") < order.index("net_pay")
    assert order.index("net_pay") < order.index("er_pension") < order.index("employer_total") < order.index("paid_days")
    labels = {k.kind: k.label_zh for k in LINE_KINDS}
    assert (labels["grade_pay"], labels["gross"], labels["net_pay"], labels["ee_housing_fund"]) == (
        "等级工资", "应发合计", "实发", "住房公积金（个人）")


def test_lines_of_one_payslip():
    values = dict.fromkeys(rules.PayLines.__struct_fields__, 0)
    values.update(grade_pay=300_000, bonus_share=90_000, rewards=50_000, arrears=-20_000, paid_days=1_500,
                  ee_pension=30_000, income_tax=1_234, er_pension=60_000, employer_total=60_000,
                  contribution_base=446_200)
    values["gross"] = 300_000 + 90_000 + 50_000 - 20_000
    values["net_pay"] = values["gross"] - 30_000 - 1_234
    made_good = [rules.Adjustment("2025-03", -50_000, "grade set too high"),
                 rules.Adjustment("2025-01", 30_000, "late certificate")]
    lines = lines_of(values, made_good, [Reward(30_000, "防汛先进"), Reward(20_000, "年度优秀")])
    assert kinds(lines) == ["grade_pay", "bonus_share", "rewards", "rewards", "arrears", "recovery", "gross",
                            "ee_pension", "income_tax", "net_pay", "er_pension", "employer_total", "paid_days",
                            "contribution_base"]
    out = msgspec.to_builtins(lines)
    assert out[2] == {"kind": "rewards", "label_zh": "奖励", "label_en": "Reward", "amount": 30_000,
                      "clause": "S4-13", "group": "earning", "covers": None, "note": "防汛先进"}
    assert [(ln["covers"], ln["amount"], ln["label_zh"], ln["note"]) for ln in out[4:6]] == [
        ("2025-01", 30_000, "补发", "late certificate"), ("2025-03", -50_000, "扣回", "grade set too high")]
    assert out[12]["amount"] == 1_500 and out[12]["group"] == INFO  # 15.00 paid days (D-15)
    assert out[0]["clause"] == "S4-10, D-2" and out[-1]["clause"] == "D-14"
    check_sums(out, values)


def test_grade_pay_gross_and_net_pay_are_shown_at_zero():
    values = dict.fromkeys(rules.PayLines.__struct_fields__, 0)
    assert kinds(lines_of(values)) == ["grade_pay", "gross", "net_pay"]


# --- the sums, over payslips of the rules ---------------------------------------------------------

FIGURES = rules.PayFigures(
    scale=rules.PAY_SCALE_2024, insurance=rules.INSURANCE_SEED, split=rules.CostSplit(), bonus=rules.BonusPool(),
    allowances=rules.ALLOWANCES_SEED, wage=rules.AverageWage(2024, rules.AVERAGE_WAGE_SEEDS[2024] * 100))


@st.composite
def earners(draw, worker_id: int):
    post = draw(st.sampled_from(sorted(rules.PAY_SCALE_2024.posts)))
    band = rules.PAY_SCALE_2024.posts[post]
    months_before = draw(st.integers(0, 11))
    return rules.Earner(
        post=post, grade=draw(st.integers(band.low, band.high)), score_centi=draw(st.integers(0, 10_000)),
        service_years=draw(st.integers(0, 40)),
        certificate_allowance=draw(st.sampled_from([0, *rules.ALLOWANCES_SEED.certificate.values()])),
        talent_allowance=draw(st.sampled_from([0, 100_000])),
        paid_days=draw(st.one_of(st.none(), st.integers(0, 2175))), months_before=months_before,
        paid_days_before=months_before * 2175, paid_before=months_before * draw(st.integers(0, 2_000_000)),
        arrears=draw(st.integers(-1_000_000, 1_000_000)), rewards=draw(st.integers(0, 1_000_000)),
        contribution_wage=draw(st.one_of(st.none(), st.integers(0, 5_000_000))),
        income_before=months_before * draw(st.integers(0, 5_000_000)),
        contributions_before=months_before * draw(st.integers(0, 500_000)),
        tax_withheld_before=draw(st.integers(0, 2_000_000)),
        special_deductions_to_date=draw(st.integers(0, 3_000_000)), worker_id=worker_id)


@st.composite
def split(draw, total: int, months: bool):
    """``total`` as a few parts (months made good, or rewards), none of them 0."""
    if total == 0:
        return []
    n = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(1, abs(total)), min_size=n - 1, max_size=n - 1))) if abs(total) > 1 else []
    sign = 1 if total > 0 else -1
    parts = [sign * (b - a) for a, b in zip([0, *cuts], [*cuts, abs(total)], strict=True) if b != a]
    if months:
        return [rules.Adjustment(f"2025-{i + 1:02d}", amount, f"reason {i}") for i, amount in enumerate(parts)]
    return [Reward(amount, f"award {i}") for i, amount in enumerate(parts)]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), size=st.integers(1, 5))
def test_lines_add_up_to_gross_and_net_pay(data, size):
    members = [data.draw(earners(i + 1)) for i in range(size)]
    for lines in rules.pool_payslips(members, FIGURES):
        slip = msgspec.structs.asdict(lines)
        made_good = data.draw(split(slip["arrears"], True))
        rewards = data.draw(split(slip["rewards"], False))
        check_sums(msgspec.to_builtins(lines_of(slip, made_good, rewards)), slip)


# --- the sums, over every payslip of real pay runs --------------------------------------------------


def _award(suite, worker_id: int, code: str, amount: int, reason: str, on: datetime) -> None:
    """A reward as ``POST /communities/{code}/rewards`` records it, on a past date."""
    svc = service(suite)
    with svc.db.transaction() as s:
        fund = s.query(RewardFund).filter_by(community_code=code, year=on.year).one_or_none()
        if fund is None:
            fund = RewardFund(community_code=code, year=on.year, after_tax_income_fen=10_000_000, surplus_fen=0,
                              income_share_bp=3000, surplus_share_bp=10_000, fund_fen=3_000_000,
                              created_by="admin", created_at=on)
            s.add(fund)
            s.flush()
        s.add(RewardAward(fund_id=fund.id, worker_id=worker_id, amount_fen=amount, reason=reason, created_by="admin",
                          created_at=on))


def _run(suite, api, month: str, close: bool) -> dict:
    """The pay run of ``month`` in Gongshu; closed (submitted and approved by a second officer, D-16) if asked."""
    r = api.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": month})
    assert r.status_code == 201, r.text
    return close_run(suite, api, r.json()["id"]) if close else r.json()


@pytest.mark.parametrize("backend", ["suite", pytest.param("pg_suite", marks=pytest.mark.postgres)])
def test_every_payslip_of_real_runs_adds_up(request, backend):
    suite = request.getfixturevalue(backend)
    admin = pay_admin(suite)
    people = [("正职", 12, "GS-001", "2015-03-01"), ("副职", 9, "GS-001", "2019-06-01"),
              ("委员", 4, "GS-001", "2025-02-12"), ("委员", 1, "GS-002", "2024-01-01"),
              ("正职", 18, None, "2001-09-01"), ("委员", 12, "GS-002", "2010-01-01")]
    ids = [hire(admin, name=f"行{i}", post=post, grade=grade, community_code=code, hired_on=hired)["id"]
           for i, (post, grade, code, hired) in enumerate(people)]
    for wid, score in zip((ids[0], ids[1], ids[3], ids[4]), (95, 70, 85, 60), strict=True):
        assess(admin, wid, 2024, score=score)
    svc = service(suite)
    with svc.db.transaction() as s:
        on_certificate_registered(s, CertificateRegistered(
            worker_id=ids[1], jurisdiction=GONGSHU, certificate_id=1, level="社会工作师",
            registered_on=date(2024, 1, 1), valid_until=date(2027, 1, 1)))
    _award(suite, ids[0], "GS-001", 80_000, "社区防汛先进个人", datetime(2025, 2, 10, 3, tzinfo=UTC))
    _award(suite, ids[0], "GS-001", 20_000, "居民满意度第一", datetime(2025, 2, 20, 3, tzinfo=UTC))
    _award(suite, ids[3], "GS-002", 50_000, "志愿服务组织奖", datetime(2025, 3, 5, 3, tzinfo=UTC))
    for month in ("2025-01", "2025-02", "2025-03"):
        _run(suite, admin, month, close=True)
    regrade(suite, ids[0], 15, date(2025, 2, 1), reason="grade wrong since February")
    regrade(suite, ids[4], 16, date(2025, 1, 1), reason="grade set too high at hire")
    _run(suite, admin, "2025-04", close=False)

    seen: list[dict] = []
    for wid in ids:
        slips = admin.get(f"/workers/{wid}/payslips", params={"from": "2025-01", "to": "2025-04"}).json()
        for slip in slips:
            check_sums(slip["lines"], slip)
            assert slip["id"] is not None
            seen.extend({**ln, "worker_id": wid, "month": slip["month"]} for ln in slip["lines"])
    assert len({(ln["worker_id"], ln["month"]) for ln in seen}) == 4 * 6 - 1  # the February hire has no January
    rewards = [(ln["worker_id"], ln["month"], ln["amount"], ln["note"]) for ln in seen if ln["kind"] == "rewards"]
    assert rewards == [(ids[0], "2025-02", 80_000, "社区防汛先进个人"), (ids[0], "2025-02", 20_000, "居民满意度第一"),
                       (ids[3], "2025-03", 50_000, "志愿服务组织奖")]
    made_good = [(ln["worker_id"], ln["kind"], ln["covers"], ln["note"]) for ln in seen if ln["covers"]]
    assert made_good == [(ids[0], "arrears", "2025-02", "grade wrong since February"),
                         (ids[0], "arrears", "2025-03", "grade wrong since February"),
                         *[(ids[4], "recovery", m, "grade set too high at hire") for m in ("2025-01", "2025-02",
                                                                                            "2025-03")]]
    assert all(ln["month"] == "2025-04" and ln["clause"] == "D-12" for ln in seen if ln["covers"])
    days = {(ln["worker_id"], ln["month"]): ln["amount"] for ln in seen if ln["kind"] == "paid_days"}
    # from Wednesday 12 February: 13 weekdays (D-15), then the whole month
    assert days[(ids[2], "2025-02")] == 1300 and days[(ids[2], "2025-03")] == 2175
    assert any(ln["kind"] == "income_tax" for ln in seen) and any(ln["kind"] == "floor_top_up" for ln in seen)
    assert any(ln["kind"] == "certificate_allowance" and ln["worker_id"] == ids[1] for ln in seen)


# --- a payslip by its id, and previews ----------------------------------------------------------------


def test_a_payslip_by_id_for_its_worker_and_the_officers_over_them(suite):
    admin = pay_admin(suite)
    a, b = hire(admin, name="甲", grade=5), hire(admin, name="乙", grade=6)
    _run(suite, admin, "2025-05", close=True)
    listed = admin.get(f"/workers/{a['id']}/payslips", params={"from": "2025-05", "to": "2025-05"}).json()
    slip_id = listed[0]["id"]
    own = suite.hr.as_(suite.create_user("wa", "worker", GONGSHU, worker_id=a["id"]))
    other = suite.hr.as_(suite.create_user("wb", "worker", GONGSHU, worker_id=b["id"]))
    officer = suite.hr.as_(suite.create_user("hr-gs", "hr_officer", GONGSHU))
    city = suite.hr.as_(suite.create_user("hr-city", "hr_officer", "hangzhou"))
    xihu = suite.hr.as_(suite.create_user("hr-xh", "hr_officer", XIHU))
    coordinator = suite.hr.as_(suite.create_user("tc-gs", "training_coordinator", GONGSHU))
    for api in (own, officer, city, admin):
        r = api.get(f"/payslips/{slip_id}")
        assert r.status_code == 200, r.text
        assert r.json() == listed[0]
    assert r.json()["status"] == "closed" and r.json()["worker_id"] == a["id"]
    assert own.get("/me/payslips/2025-05").json() == listed[0]
    for api in (other, xihu):
        r = api.get(f"/payslips/{slip_id}")
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text
        assert "worker" not in r.json()["detail"]  # says nothing of whose payslip it is
    assert officer.get("/payslips/999999").status_code == 404
    assert coordinator.get(f"/payslips/{slip_id}").status_code == 403
    assert officer.get("/payslips/abc").status_code in (400, 404)


def test_a_preview_has_lines_and_no_id(suite):
    admin = pay_admin(suite)
    w = hire(admin, name="丙", post="正职", grade=10, hired_on="2025-06-16")
    preview = admin.get(f"/workers/{w['id']}/payslips/2025-06").json()
    assert preview["status"] == "preview" and preview["id"] is None
    assert kinds(preview["lines"])[0] == "grade_pay"
    assert not {"rewards", "arrears", "recovery"} & set(kinds(preview["lines"]))
    check_sums(preview["lines"], preview)
    paid_days = next(ln for ln in preview["lines"] if ln["kind"] == "paid_days")
    assert paid_days["amount"] == preview["paid_days"] < 2175 and paid_days["clause"] == "D-15"


def test_a_worker_history_with_lines_in_a_constant_number_of_statements(suite):
    admin = pay_admin(suite)
    w = hire(admin, name="丁", grade=3)
    for m in range(1, 7):
        _run(suite, admin, f"2025-{m:02d}", close=True)
    svc = service(suite)
    counts = []
    for last in ("2025-01", "2025-06"):
        with svc.db.read_session() as s, StatementCounter(svc.db.engine) as counter:
            slips = stored_payslips(s, w["id"], "2025-01", last)
        counts.append(counter.count)
        assert all(sl.lines for sl in slips)
    assert counts[0] == counts[1] <= 4, counts  # the payslips, their months made good, their rewards
