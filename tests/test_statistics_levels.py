"""Statistics by organisation level on a date (D-17): HR's workforce figures,
training person-times (S3-7) and certificate holders (S2-7) per district and
street, compared with counts made by hand from the data set up here; and the
``workforce stats`` export."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from deploy import stats_cli
from shared import idcard
from shared.levels import check_by, unit_of
from tests.training.helpers import add_worker, complete, enrol, programme, session

CITY, GONGSHU, XIHU = "hangzhou", "hangzhou.gongshu", "hangzhou.xihu"
HUSHU, MISHI, BEISHAN = "hangzhou.gongshu.hushu", "hangzhou.gongshu.mishixiang", "hangzhou.xihu.beishan"
AS_OF = "2024-06-30"


def test_unit_of_groups_by_the_path_prefix_of_the_level():
    assert unit_of(HUSHU, "district") == GONGSHU and unit_of(HUSHU, "street") == HUSHU
    assert unit_of(GONGSHU, "street") == "(no street)" and unit_of(CITY, "district") == "(no district)"
    with pytest.raises(Exception) as exc:
        check_by("community")
    assert exc.value.field == "by"


def community(api, code, district, households, party_members=0):
    r = api.post("/communities", json={"code": code, "name": code, "district": district, "households": households,
                                       "party_members": party_members})
    assert r.status_code == 201, r.text


def hire(api, jurisdiction, code, born, seq, hired_on="2020-03-01", **extra) -> int:
    r = api.post("/workers", json={"name": f"工作者{seq}", "id_number": idcard.make("330106", date(*born), seq),
                                   "jurisdiction": jurisdiction, "post": "委员", "hired_on": hired_on,
                                   "community_code": code, **extra})
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.fixture
def rolls(suite):
    """Three communities and six workers; on 2024-06-30 four are on the rolls."""
    admin = suite.hr.as_(suite.admin_token)
    community(admin, "GS-A", HUSHU, 800)  # quota ceil(800/400) = 2 (S4-1)
    community(admin, "GS-B", MISHI, 1201)  # 4
    community(admin, "XH-A", BEISHAN, 400, party_members=100)  # 1 + 2 party posts (S4-3) = 3
    hr = suite.hr.as_(suite.create_user("hr-city", "hr_officer", CITY))
    hire(hr, HUSHU, "GS-A", (1995, 6, 1), 1, education="本科", political_status="中共党员",
         party_member_since="2018-01-01")  # 29 on the date, male
    hire(hr, HUSHU, "GS-A", (1984, 7, 1), 2, education="大专")  # 39 (birthday not yet), female
    hire(hr, MISHI, "GS-B", (1974, 6, 30), 4, education="硕士", political_status="中共预备党员",
         party_member_since="2024-07-15")  # 50 that very day; a member only after the date
    gone = hire(hr, GONGSHU, "GS-B", (1970, 1, 1), 5)  # left the day before
    r = hr.post(f"/workers/{gone}/leave", json={"left_on": "2024-06-29", "reason": "辞职"})
    assert r.status_code == 200, r.text
    hire(hr, GONGSHU, "GS-B", (1990, 1, 1), 7, hired_on="2024-07-01")  # not yet hired
    hire(hr, BEISHAN, "XH-A", (1980, 3, 3), 9, education="本科", political_status="中共党员",
         party_member_since="2010-01-01")  # 44, male
    return hr


def test_workforce_by_district_and_street_matches_a_count_by_hand(suite, rolls):
    r = rolls.get("/statistics/workforce", params={"as_of": AS_OF, "by": "district"})
    assert r.status_code == 200, r.text
    body = r.json()
    total = body["total"]
    assert (total["headcount"], total["quota"], total["vacancies"], total["party_members"]) == (4, 9, 5, 2)
    assert total["by_age"] == {"≤30": 1, "31-40": 1, "41-50": 2, ">50": 0}
    assert total["by_education"] == {"大专": 1, "本科": 2, "硕士": 1}
    assert total["by_gender"] == {"female": 2, "male": 2}
    units = {u["unit"]: u for u in body["units"]}
    # Gongshu: GS-A 2 - 2 = 0 vacant, GS-B 4 - 1 = 3; Xihu: XH-A 3 - 1 = 2
    assert {k: (u["headcount"], u["quota"], u["vacancies"]) for k, u in units.items()} == {
        GONGSHU: (3, 6, 3), XIHU: (1, 3, 2)}
    streets = rolls.get("/statistics/workforce", params={"as_of": AS_OF, "by": "street"}).json()
    assert {u["unit"]: (u["headcount"], u["quota"], u["vacancies"]) for u in streets["units"]} == {
        HUSHU: (2, 2, 0), MISHI: (1, 4, 3), BEISHAN: (1, 3, 2)}  # the two of Gongshu itself are off the rolls
    later = rolls.get("/statistics/workforce", params={"as_of": "2024-07-16"}).json()["total"]
    assert (later["headcount"], later["party_members"]) == (5, 3) and later["vacancies"] == 4


def test_a_worker_counts_where_they_lay_on_the_date_not_where_they_lie_now(suite, rolls):
    """D-11, D-17: a transfer after the date is unwound; from its date the worker counts in the new street."""
    moved = rolls.get("/workers", params={"community_code": "GS-A"}).json()["items"][0]["id"]
    r = rolls.post(f"/workers/{moved}/transfers", json={"community_code": "GS-B", "effective_on": "2024-07-01",
                                                         "reason": "调动"})
    assert r.status_code == 201, r.text
    def streets(as_of, api=rolls):
        body = api.get("/statistics/workforce", params={"as_of": as_of, "by": "street"}).json()
        return {u["unit"]: u["headcount"] for u in body["units"]}
    assert streets(AS_OF) == {HUSHU: 2, MISHI: 1, BEISHAN: 1}  # as before the transfer
    assert streets("2024-07-16") == {HUSHU: 1, MISHI: 3, BEISHAN: 1}  # with the hire of 2024-07-01
    mishi = suite.hr.as_(suite.create_user("hr-mishi", "hr_officer", MISHI))
    assert streets(AS_OF, mishi) == {MISHI: 1} and streets("2024-07-16", mishi) == {MISHI: 3}
    hushu = suite.hr.as_(suite.create_user("hr-hushu", "hr_officer", HUSHU))
    assert streets(AS_OF, hushu) == {HUSHU: 2} and streets("2024-07-16", hushu) == {HUSHU: 1}


def test_workforce_statistics_refuse_elsewhere_a_future_date_and_a_bad_level(suite, rolls):
    xihu = suite.hr.as_(suite.create_user("hr-xh", "hr_officer", XIHU))
    assert xihu.get("/statistics/workforce", params={"jurisdiction": GONGSHU}).status_code == 403
    mine = xihu.get("/statistics/workforce", params={"as_of": AS_OF}).json()
    assert mine["jurisdiction"] == XIHU and mine["total"]["headcount"] == 1
    r = rolls.get("/statistics/workforce", params={"as_of": "2999-01-01"})
    assert r.status_code == 422 and r.json()["field"] == "as_of"
    r = rolls.get("/statistics/workforce", params={"by": "community"})
    assert r.status_code == 422 and r.json()["field"] == "by"
    coordinator = suite.hr.as_(suite.create_user("tc", "training_coordinator", CITY))  # aggregates: any officer
    assert coordinator.get("/statistics/workforce", params={"as_of": AS_OF}).json()["total"]["headcount"] == 4
    secretary = suite.hr.as_(suite.create_user("sec", "community_secretary", BEISHAN, community_code="XH-A"))
    assert secretary.get("/statistics/workforce").status_code == 403


def test_training_person_times_per_street_and_district(suite):
    tc = suite.api("training", suite.create_user("tc-city", "training_coordinator", CITY))
    a = add_worker(tc, "甲", jurisdiction=HUSHU, hired_on="2015-01-01")
    b = add_worker(tc, "乙", jurisdiction=HUSHU, hired_on="2015-01-01")
    c = add_worker(tc, "丙", jurisdiction=GONGSHU, hired_on="2015-01-01")
    d = add_worker(tc, "丁", jurisdiction=BEISHAN, hired_on="2015-01-01")
    p = programme(tc)
    complete(tc, [a, b, c], p["id"], "2025-05-12")
    s = session(tc, p["id"], start="2025-09-01T09:00:00", end="2025-09-01T17:00:00")
    for w in (a, d):
        assert enrol(tc, s["id"], w).status_code == 201
    streets = tc.get("/reports/statistics", params={"year": 2025, "by": "street"}).json()
    assert streets["person_times"] == 5
    assert {u["unit"]: (u["person_times"], u["workers"]) for u in streets["units"]} == {
        HUSHU: (3, 2), "(no street)": (1, 1), BEISHAN: (1, 1)}
    districts = tc.get("/reports/statistics", params={"as_of": "2025-06-30", "by": "district"}).json()
    assert districts["year"] == 2025 and districts["person_times"] == 3  # the September session not yet
    assert {u["unit"]: u["completed_person_times"] for u in districts["units"]} == {GONGSHU: 3}


def certificates(suite, items):
    officer = suite.api("certs", suite.create_user("co-city", "cert_officer", CITY))
    rows = [{"worker_id": 500 + i, "name": f"持证人{i}", "jurisdiction": j, "community_worker": cw,
             "level": "助理社会工作师", "number": f"B{500 + i:09d}", "exam_year": 2015, "passed_on": "2015-09-01"}
            for i, (j, cw) in enumerate(items)]
    r = officer.post("/certificates/import", json={"items": rows})
    assert r.status_code == 201, r.text
    return officer


def test_certificate_share_per_street(suite):
    officer = certificates(suite, [(HUSHU, True), (HUSHU, False), (MISHI, True), (GONGSHU, True), (BEISHAN, False)])
    body = officer.get("/statistics/holders", params={"as_of": "2016-01-01", "by": "street"}).json()
    assert body["by"] == "street" and (body["holders"], body["community_workers"]) == (5, 3)
    per = {u["jurisdiction"]: (u["holders"], u["community_workers"], u["community_share_percent"])
           for u in body["by_jurisdiction"]}
    assert per == {HUSHU: (2, 1, "50.00"), MISHI: (1, 1, "100.00"), "(no street)": (1, 1, "100.00"),
                   BEISHAN: (1, 0, "0.00")}
    districts = officer.get("/statistics/holders", params={"as_of": "2016-01-01", "by": "district"}).json()
    assert {u["jurisdiction"]: u["holders"] for u in districts["by_jurisdiction"]} == {GONGSHU: 4, XIHU: 1}


class SuiteClient:
    """``deploy.client.Client``'s ``get`` over the test clients, with one token."""

    def __init__(self, suite, token):
        self.suite, self.token = suite, token

    def get(self, service, path, params=None):
        r = self.suite.api(service, self.token).get(path, params=params)
        assert r.status_code == 200, r.text
        return r.json()


def test_the_stats_export_writes_a_sheet_per_part(suite, rolls, tmp_path: Path):
    answers = stats_cli.fetch(SuiteClient(suite, suite.admin_token), date(2024, 6, 30), "district", CITY)
    out = tmp_path / "stats.xlsx"
    stats_cli.write(out, "xlsx", stats_cli.tables(answers))
    wb = load_workbook(out)
    assert wb.sheetnames == ["workforce", "training", "certificates"]
    rows = {r[0]: r for r in wb["workforce"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in wb["workforce"][1]]
    assert rows[GONGSHU][1:4] == (3, 6, 3) and rows["(total)"][header.index("party_members")] == 2
    assert rows["(total)"][header.index("age 41-50")] == 2
    *_, certs_total = wb["certificates"].iter_rows(min_row=2, values_only=True)
    share = answers["certificates"]["community_share_percent"]
    assert certs_total[0] == "(total)" and isinstance(certs_total[3], (int, float)) and certs_total[3] == float(share)
    written = stats_cli.write(tmp_path / "stats.csv", "csv", stats_cli.tables(answers))
    assert [p.name for p in written] == ["stats.workforce.csv", "stats.training.csv", "stats.certificates.csv"]
    assert written[0].read_text(encoding="utf-8-sig").splitlines()[0].startswith("unit,headcount,quota,vacancies")
    assert written[2].read_text(encoding="utf-8-sig").splitlines()[-1].endswith(f",{share}")  # as the API gave it
