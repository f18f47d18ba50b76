"""The worker record complete enough to serve over HTTP: the personal fields
at hire, changed by HR and by the worker, the education history, and D-8
masking in lists and single records."""
from __future__ import annotations

from datetime import date

from shared import idcard
from tests.hr.helpers import GONGSHU, XIHU, hire

MAN = idcard.make("330106", date(1988, 4, 2), 31)  # odd sequence: male
WOMAN = idcard.make("330106", date(1990, 6, 9), 42)  # even: female


def hr_api(suite, jurisdiction=GONGSHU, name="hr-gs"):
    return suite.hr.as_(suite.create_user(name, "hr_officer", jurisdiction))


def test_hire_takes_the_optional_fields_and_derives_the_gender(suite):
    api = hr_api(suite)
    w = hire(api, id_number=MAN, ethnicity="回族", political_status="中共党员", party_member_since="2012-07-01",
             phone="13812345678", email="wang@example.com", address="杭州市拱墅区湖墅南路1号",
             emergency_contact_name="王强", emergency_contact_relation="兄弟", emergency_contact_phone="0571-88001234")
    assert w["gender"] == "male" and w["masked"] is False
    assert w["id_number"] == MAN and w["phone"] == "13812345678"
    got = api.get(f"/workers/{w['id']}").json()
    assert (got["ethnicity"], got["political_status"], got["party_member_since"]) == ("回族", "中共党员", "2012-07-01")
    assert got["emergency_contact_phone"] == "0571-88001234" and got["education_history"] == []


def test_hire_refuses_bad_fields_naming_them_and_writes_nothing(suite):
    api = hr_api(suite)
    r = api.post("/workers", json={"name": "李", "id_number": WOMAN, "jurisdiction": GONGSHU, "post": "委员",
                                   "hired_on": "2020-03-01", "community_code": "GS-001", "gender": "male",
                                   "ethnicity": "火星族", "phone": "12345"})
    assert r.status_code == 422, r.text
    assert {e["field"] for e in r.json()["errors"]} == {"gender", "ethnicity", "phone"}
    assert api.get("/workers").json()["total"] == 0


def test_party_membership_needs_the_status_and_the_18th_birthday(suite):
    api = hr_api(suite)
    w = hire(api, id_number=MAN)
    r = api.patch(f"/workers/{w['id']}/profile", json={"party_member_since": "2015-01-01"})
    assert r.status_code == 422 and r.json()["code"] == "party_member_since_without_membership"
    r = api.patch(f"/workers/{w['id']}/profile", json={"political_status": "中共党员",
                                                       "party_member_since": "2006-04-01"})
    assert r.status_code == 422 and r.json()["field"] == "party_member_since", r.text
    ok = api.patch(f"/workers/{w['id']}/profile", json={"political_status": "中共预备党员",
                                                        "party_member_since": "2006-04-02"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["political_status"] == "中共预备党员"


def test_emergency_contact_is_whole_and_a_patch_keeps_other_fields(suite):
    api = hr_api(suite)
    w = hire(api, id_number=WOMAN, phone="13900001111")
    r = api.patch(f"/workers/{w['id']}/profile", json={"emergency_contact_name": "张三"})
    assert r.status_code == 422 and r.json()["field"] == "emergency_contact_relation", r.text
    r = api.patch(f"/workers/{w['id']}/profile", json={"email": "zhang@example.org"})
    assert r.status_code == 200 and r.json()["phone"] == "13900001111" and r.json()["email"] == "zhang@example.org"
    r = api.patch(f"/workers/{w['id']}/profile", json={"phone": None})
    assert r.json()["phone"] is None


def test_profile_change_outside_the_jurisdiction_is_refused(suite):
    w = hire(hr_api(suite), id_number=MAN)
    other = hr_api(suite, XIHU, "hr-xh")
    assert other.patch(f"/workers/{w['id']}/profile", json={"ethnicity": "汉族"}).status_code in (403, 404)


def test_education_history_is_replaced_whole_and_each_row_checked(suite):
    api = hr_api(suite)
    w = hire(api, id_number=MAN)  # born 1988: a graduation from 2002
    rows = [{"qualification": "大专", "school": "浙江工业大学", "graduated_year": 2009},
            {"qualification": "本科", "school": "浙江大学", "graduated_year": 2001}]
    r = api.put(f"/workers/{w['id']}/education", json=rows)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "education[1].graduated_year"
    rows[1]["graduated_year"] = 2012
    rows.append({"qualification": "博士后", "school": " ", "graduated_year": 2015})
    r = api.put(f"/workers/{w['id']}/education", json=rows)
    assert {e["field"] for e in r.json()["errors"]} == {"education[2].qualification", "education[2].school"}
    r = api.put(f"/workers/{w['id']}/education", json=rows[:2])
    assert r.status_code == 200, r.text
    assert [e["qualification"] for e in api.get(f"/workers/{w['id']}").json()["education_history"]] == ["大专", "本科"]
    assert api.put(f"/workers/{w['id']}/education", json=[]).json() == []


def test_the_worker_changes_their_own_contacts_only(suite):
    api = hr_api(suite)
    w = hire(api, id_number=WOMAN, phone="13900001111")
    me = suite.hr.as_(suite.create_user("wf", "worker", GONGSHU, worker_id=w["id"]))
    r = me.patch("/me/profile", json={"phone": "13700002222", "emergency_contact_name": "母亲甲",
                                      "emergency_contact_relation": "母女", "emergency_contact_phone": "13600003333"})
    assert r.status_code == 200, r.text
    mine = me.get("/me").json()
    assert mine["phone"] == "13700002222" and mine["id_number"] == WOMAN and mine["gender"] == "female"
    assert me.patch("/me/profile", json={"ethnicity": "汉族"}).status_code == 400
    assert me.patch("/me/profile", json={"email": "not-an-email"}).status_code == 422
    assert me.patch(f"/workers/{w['id']}/profile", json={"phone": "13700002222"}).status_code == 403


def test_lists_and_records_are_masked_except_for_hr_of_the_jurisdiction(suite):
    api = hr_api(suite)
    w = hire(api, id_number=MAN, phone="13812345678", email="wang@example.com", address="杭州市拱墅区湖墅南路1号")
    listed = api.get("/workers").json()["items"][0]
    assert listed["id_number"] == MAN and listed["masked"] is False
    coordinator = suite.hr.as_(suite.create_user("tc", "training_coordinator", GONGSHU))
    for seen in (coordinator.get("/workers").json()["items"][0], coordinator.get(f"/workers/{w['id']}").json()):
        assert seen["masked"] is True
        assert seen["id_number"] == MAN[:6] + "********" + MAN[-4:]
        assert seen["phone"] == "138****5678" and seen["email"] == "w****@example.com"
        assert seen["address"] == "杭州市拱墅区****"
    city_hr = hr_api(suite, "hangzhou", "hr-city")
    assert city_hr.get(f"/workers/{w['id']}").json()["id_number"] == MAN


def test_import_reports_every_profile_problem_of_a_row(suite):
    api = hr_api(suite)
    good = {"name": "甲", "id_number": MAN, "jurisdiction": GONGSHU, "post": "委员", "hired_on": "2020-03-01",
            "community_code": "GS-001", "ethnicity": "汉族"}
    bad = {**good, "name": "乙", "id_number": WOMAN, "gender": "male", "email": "x@", "political_status": "党员"}
    r = api.post("/workers/import", json={"items": [good, bad]})
    assert r.status_code == 422, r.text
    assert {e["field"] for e in r.json()["errors"]} == {"items[1].gender", "items[1].email",
                                                         "items[1].political_status"}
    r = api.post("/workers/import", json={"items": [good]})
    assert r.status_code == 201, r.text
    assert api.get(f"/workers/{r.json()['ids'][0]}").json()["gender"] == "male"
