"""The worker's self-service page (``GET /me/page`` on HR) in headless Chromium,
against the whole suite running as processes: one login as a worker shows their
grade and its history, pay and a month's payslip line by line (D-16), their
tax deductions (D-13), training hours against the post's obligations,
certificate registration with days to expiry and upcoming sessions, in Chinese
and in English, on a desktop and a phone-width screen; and nothing of anyone else.
A worker whose account has a one-time password (D-18) sets their own on the
page first; a locked login says how long to wait.

Needs Debian's ``/usr/bin/chromium`` and the ``playwright`` package (its own
browsers are not used). Without them the test skips, except under CI where it fails.
"""
from __future__ import annotations

import csv
import io
import os
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("WORKFORCE_SCREENSHOT_DIR", "/tmp"))

GONGSHU = "hangzhou.gongshu"
PASSWORD = "worker-pass-1"
OFFICER_PASSWORD = "officer-pass-1"
NAME_A, NAME_B = "张晓梅", "李建国"
FUTURE_TITLE_A, FUTURE_TITLE_B = "社区治理能力提升班", "社区矫正专题班"


# --- the browser, or a clean skip --------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """A headless Debian Chromium driven by Playwright; skipped (failed under CI) when either is missing."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package (pip install playwright; its browsers are not needed)")
    if missing:
        reason = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# --- data through the public APIs ---------------------------------------------------


def id_number(n: int) -> str:
    """A well-formed resident ID number (GB 11643 check digit)."""
    body = f"330105{1980 + n}0315{n:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=False)) % 11]


def ok(r, status: int = 200):
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json()


def eventually(fetch, timeout: float = 20.0):
    """Poll a GET until it answers 200 (a read model fed by events), or give the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        r = fetch()
        if r.status_code == 200 or time.monotonic() > deadline:
            return r
        time.sleep(0.2)


def last_step_date(today: date) -> date:
    """The most recent 1 July (S4-10) on or before today."""
    july = date(today.year, 7, 1)
    return july if july <= today else date(today.year - 1, 7, 1)


def previous_month(today: date) -> str:
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first:%Y-%m}"


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def seed(live) -> dict:
    """Two workers with logins in Gongshu; worker A gets a grade step, a closed pay
    month, a completed course and an upcoming one, and a registered certificate."""
    today = date.today()
    admin = live.api("hr", live.admin_token)

    def user(username: str, role: str, worker_id: int | None = None, password: str = OFFICER_PASSWORD) -> str:
        ok(admin.post("/users", json={"username": username, "password": password, "role": role,
                                      "jurisdiction": GONGSHU, "worker_id": worker_id}), 201)
        return ok(live.api("hr", None).post("/auth/login", json={"username": username, "password": password}))[
            "access_token"]

    def worker_login(worker_id: int) -> tuple[str, str]:
        """D-18: the worker's account came with the hire; its one-time password, changed to ``PASSWORD``."""
        slip = ok(admin.post("/users/worker-accounts", json={"worker_ids": [worker_id]}))["items"][0]
        first = ok(live.api("hr", None).post("/auth/login", json={"username": slip["username"],
                                                                  "password": slip["one_time_password"]}))
        changed = ok(live.api("hr", first["access_token"]).post("/auth/password", json={
            "current_password": slip["one_time_password"], "new_password": PASSWORD}))
        return slip["username"], changed["access_token"]

    hr = live.api("hr", user("ss-hr", "hr_officer"))
    tc = live.api("training", user("ss-tc", "training_coordinator"))
    co = live.api("certs", user("ss-co", "cert_officer"))

    step_on = last_step_date(today)
    hired_on = date(step_on.year - 5, 3, 1)
    a = ok(hr.post("/workers", json={"name": NAME_A, "id_number": id_number(1), "jurisdiction": GONGSHU,
                                     "post": "正职", "grade": 8, "hired_on": hired_on.isoformat()}), 201)
    b = ok(hr.post("/workers", json={"name": NAME_B, "id_number": id_number(2), "jurisdiction": GONGSHU,
                                     "post": "委员", "grade": 2, "hired_on": hired_on.isoformat()}), 201)
    wa, wb = a["id"], b["id"]
    login_a, _ = worker_login(wa)  # a worker logs in with their ID number
    login_b, token_b = worker_login(wb)

    # the grade: last year's assessment, then the 1 July step (S4-10): 8 → 9
    visits = [40] * 12
    for wid in (wa, wb):
        ok(hr.post(f"/workers/{wid}/assessments", json={"year": step_on.year - 1, "grade": "合格", "visits": visits,
                                                        "performance_score": 85}), 201)
    step = ok(hr.post("/step-runs", json={"jurisdiction": GONGSHU, "effective_on": step_on.isoformat()}), 201)
    assert step["moved"] == 2, step
    # last month's pay, paid: one closed payslip among the previews
    month = previous_month(today)
    run = ok(hr.post("/pay-runs", json={"jurisdiction": GONGSHU, "month": month}), 201)
    ok(hr.post(f"/pay-runs/{run['id']}/submit"))  # D-16: another HR officer approves it
    ok(live.api("hr", user("ss-hr-checker", "hr_officer")).post(f"/pay-runs/{run['id']}/approve", json={}))

    # training: the roster comes from worker.hired; CSV if the event wiring is not there
    for w in (a, b):
        if eventually(lambda w=w: tc.get(f"/roster/{w['id']}")).status_code != 200:
            buf = io.StringIO()
            csv.writer(buf).writerows([["worker_id", "name", "post", "jurisdiction", "hired_on"],
                                       [w["id"], w["name"], w["post"], GONGSHU, hired_on.isoformat()]])
            ok(tc.post("/roster/import", content=buf.getvalue().encode(), headers={"content-type": "text/csv"}))

    def programme(title: str, hours: str = "8") -> int:
        return ok(tc.post("/programmes", json={
            "title": title, "tier": "continuing", "category": "continuing", "content_area": "professional_knowledge",
            "delivery": "offline", "mode": "theory", "location": "in_city", "hours": hours,
            "cpd_accredited": True, "cpd_hours": hours,
        }), 201)["id"]

    def session(programme_id: int, day: date) -> int:
        return ok(tc.post(f"/programmes/{programme_id}/sessions", json={
            "starts_at": f"{day}T09:00:00", "ends_at": f"{day}T17:00:00", "capacity": 20,
            "venue": "拱墅区社会工作指导中心", "trainer": "王老师",
        }), 201)["id"]

    # a course A completed this year (8 of the 56 hours a 正职 owes), and one coming up for each worker
    done_day = max(date(today.year, 1, 5), today - timedelta(days=30))
    if done_day >= today:  # the first days of January: nothing finished this year yet
        done_day = None
    if done_day:
        past = session(programme("社区工作者继续教育培训班"), done_day)
        ok(tc.post(f"/sessions/{past}/enrolments", json={"worker_id": wa}), 201)
        ok(tc.post(f"/sessions/{past}/attendance", json={"day": done_day.isoformat(),
                                                         "records": [{"worker_id": wa, "present": True}]}))
        closed = ok(tc.post(f"/sessions/{past}/close"))
        assert closed["completed"] == 1, closed
    soon = today + timedelta(days=21)
    future_a = session(programme(FUTURE_TITLE_A, "16"), soon)
    ok(tc.post(f"/sessions/{future_a}/enrolments", json={"worker_id": wa}), 201)
    future_b = session(programme(FUTURE_TITLE_B), soon)
    ok(tc.post(f"/sessions/{future_b}/enrolments", json={"worker_id": wb}), 201)

    # certs: the profile comes from worker.hired; opened by hand if the event wiring is not there
    for w, n in ((a, 1), (b, 2)):
        if eventually(lambda w=w: co.get(f"/profiles/{w['id']}")).status_code != 200:
            ok(co.post("/profiles", json={"worker_id": w["id"], "name": w["name"], "jurisdiction": GONGSHU,
                                          "hired_on": hired_on.isoformat()}), 201)
        ok(co.post(f"/profiles/{w['id']}/real-name", json={"name": w["name"], "id_number": id_number(n)}))
    passed_on = today - timedelta(days=200)
    cert = ok(co.post("/certificates", json={"worker_id": wa, "level": "社会工作师", "number": "SW2026000123",
                                             "exam_year": passed_on.year, "passed_on": passed_on.isoformat()}), 201)
    ok(co.post(f"/certificates/{cert['id']}/registrations",
               json={"registered_on": (passed_on + timedelta(days=30)).isoformat()}), 201)
    cert_b = ok(co.post("/certificates", json={"worker_id": wb, "level": "助理社会工作师", "number": "SW2026000999",
                                               "exam_year": passed_on.year, "passed_on": passed_on.isoformat()}), 201)

    return {"a": wa, "b": wb, "login_a": login_a, "login_b": login_b, "token_b": token_b, "cert": cert["id"],
            "cert_b": cert_b["id"], "month": month, "future_a": future_a, "future_b": future_b,
            "completed": done_day is not None}


# --- the test ---------------------------------------------------------------------------


def login(page, hr_url: str, username: str, password: str) -> None:
    page.goto(hr_url + "/me/page")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-button")


def test_a_worker_sees_their_own_record_in_both_languages_and_no_one_elses(chromium, live):
    from playwright.sync_api import expect

    data = seed(live)
    hr_url = live.settings.url_of("hr")
    this_month = f"{date.today():%Y-%m}"
    token_a = ok(live.api("hr", None).post("/auth/login", json={"username": data["login_a"],
                                                                 "password": PASSWORD}))["access_token"]
    # what the services say, to compare the page with
    me = ok(live.api("hr", token_a).get("/me"))
    slip = ok(live.api("hr", token_a).get(f"/me/payslips/{data['month']}"))
    obligations = ok(live.api("training", token_a).get("/me/obligations"))
    mine = ok(live.api("certs", token_a).get("/me/certificates"))
    status = next(c for c in mine["certificates"] if c["id"] == data["cert"])["registration"]
    assert me["grade"] == 9 and me["post"] == "正职"
    assert status["state"] == "active" and status["days_to_expiry"] > 0
    assert slip["status"] == "closed"
    hours_bar = next(o for o in obligations["obligations"] if o["unit"] == "hours")

    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1100})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    try:
        # a token that no longer verifies: back to the login form, saying why
        page.goto(hr_url + "/me/page")
        page.evaluate("sessionStorage.setItem('workforce.selfservice.token', 'not-a-token')")
        page.reload()
        expect(page.locator("#login-error")).to_contain_text("登录已过期")
        expect(page.locator("#dashboard")).to_be_hidden()
        assert page.evaluate("sessionStorage.getItem('workforce.selfservice.token')") is None
        # an officer's account: this page is for workers
        login(page, hr_url, "ss-hr", OFFICER_PASSWORD)
        expect(page.locator("#login-error")).to_contain_text("此页面供社区工作者本人使用")
        assert page.evaluate("sessionStorage.getItem('workforce.selfservice.token')") is None
        # a wrong password: the problem's Chinese detail, readably
        login(page, hr_url, data["login_a"], "not-the-password")
        expect(page.locator("#login-error")).to_be_visible()
        expect(page.locator("#login-error")).to_contain_text("用户名或密码错误")
        expect(page.locator("#dashboard")).to_be_hidden()

        # worker A, in Chinese (the default)
        login(page, hr_url, data["login_a"], PASSWORD)
        expect(page.locator("#worker-name")).to_have_text(NAME_A)
        expect(page.locator("#worker-post")).to_have_text("正职")
        expect(page.locator("#worker-grade")).to_have_text("9 档")
        assert page.evaluate("sessionStorage.getItem('workforce.selfservice.token')")
        expect(page.locator("h1")).to_have_text("社区工作者自助服务")
        # grade history: the hire and the 1 July step
        expect(page.locator("#grades tbody tr")).to_have_count(2)
        expect(page.locator("#grades tbody tr").first).to_contain_text("年度晋档")
        expect(page.locator("#grades tbody tr").first).to_contain_text("正职 8 → 正职 9")
        # pay: the closed month, in yuan with two decimals
        paid = page.locator(f"#pay td[data-month='{data['month']}']")
        expect(paid).to_have_text(yuan(slip["net_pay"]))
        expect(page.locator("#pay tbody tr").filter(has_text=data["month"])).to_contain_text("已发放")
        expect(page.locator("#pay")).not_to_contain_text("津贴补贴")
        # the month's payslip, line by line (D-16): each line with its amount and its clause as a note
        lines = {ln["kind"]: ln for ln in slip["lines"]}
        page.click(f"#pay button[data-open-month='{data['month']}']")
        expect(page.locator("#payslip .slip-month")).to_have_text(data["month"])
        grade_pay = page.locator("#payslip tr[data-kind='grade_pay']")
        expect(grade_pay.locator("td")).to_have_text(yuan(lines["grade_pay"]["amount"]))
        expect(grade_pay.locator(".line-label")).to_have_text("等级工资")
        expect(grade_pay.locator(".clause")).to_have_text("S4-10, D-2")
        expect(page.locator("#payslip tr[data-kind='gross'] td")).to_have_text(yuan(slip["gross"]))
        expect(page.locator("#payslip tr[data-kind='ee_pension'] .line-label")).to_have_text("养老保险（个人）")
        expect(page.locator("#payslip tr[data-kind='net_pay'] td")).to_have_text(yuan(slip["net_pay"]))
        expect(page.locator("#slip-net")).to_have_text(yuan(slip["net_pay"]))
        expect(page.locator("#payslip tr[data-kind='paid_days'] td")).to_have_text(
            f"{lines['paid_days']['amount'] // 100}.{lines['paid_days']['amount'] % 100:02d} 天")
        expect(page.locator("#payslip tbody tr")).to_have_count(len(slip["lines"]))
        # another month by the picker: this month's preview, computed as the run would
        preview = ok(live.api("hr", token_a).get(f"/me/payslips/{this_month}"))
        page.fill("#payslip-month", this_month)
        page.click("#payslip-show")
        expect(page.locator("#payslip .slip-month")).to_have_text(this_month)
        expect(page.locator("#payslip")).to_contain_text("预览")
        expect(page.locator("#slip-net")).to_have_text(yuan(preview["net_pay"]))

        # tax deductions (D-13): a typing slip caught on the page, a refusal next to its field, a declaration, its end
        expect(page.locator("#td-kind option[value='elderly_support']")).to_have_text("赡养老人")
        page.select_option("#td-kind", "elderly_support")
        expect(page.locator("#td-kind-hint")).to_contain_text("¥3,000.00")
        page.fill("#td-amount", "12.345")
        page.fill("#td-from", this_month)
        page.click("#td-submit")
        expect(page.locator(".field-error[data-for='monthly_fen']")).to_contain_text("最多两位小数")
        page.fill("#td-amount", "3000.01")  # above the kind's 3,000 yuan a month: the service says so
        page.click("#td-submit")
        expect(page.locator(".field-error[data-for='monthly_fen']")).to_be_visible()
        expect(page.locator("#td-amount")).to_have_attribute("aria-invalid", "true")
        assert ok(live.api("hr", token_a).get("/me/tax-deductions")) == []
        page.fill("#td-amount", "2,000")
        page.click("#td-submit")
        declared = page.locator("#tax tr[data-declaration]")
        expect(declared).to_have_count(1)
        expect(declared).to_contain_text("赡养老人")
        expect(declared).to_contain_text("¥2,000.00")
        [mine_td] = ok(live.api("hr", token_a).get("/me/tax-deductions"))
        assert (mine_td["kind"], mine_td["monthly_fen"], mine_td["from_month"], mine_td["to_month"]) == (
            "elderly_support", 200_000, this_month, None)
        declared.locator("button[data-end]").click()
        page.fill(f"input[data-end-month='{mine_td['id']}']", this_month)
        declared.get_by_role("button", name="确认").click()
        expect(declared).to_contain_text(f"{this_month} – {this_month}")
        assert ok(live.api("hr", token_a).get("/me/tax-deductions"))[0]["to_month"] == this_month
        # training hours against the 正职's yearly days, as a progress bar
        expected_pct = min(100, round(float(hours_bar["done"]) / float(hours_bar["required"]) * 100))
        hours_row = page.locator("#training .progress-row").filter(has_text="年度集中培训")
        expect(hours_row.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", str(expected_pct))
        done = f"{float(hours_bar['done']):g} / {float(hours_bar['required']):g} 学时"
        expect(hours_row).to_contain_text(done)
        if data["completed"]:
            assert float(hours_bar["done"]) == 8 and expected_pct > 0
            expect(page.locator("#training")).to_contain_text("社区工作者继续教育培训班")
        # the certificate: registration status and days to expiry
        expect(page.locator(f"#cert-state-{data['cert']}")).to_have_text("有效")
        expect(page.locator(f"#cert-days-{data['cert']}")).to_have_text(f"{status['days_to_expiry']} 天")
        expect(page.locator("#certificates")).to_contain_text("社会工作师")
        expect(page.locator("#real-name")).to_contain_text("已实名注册")
        # the upcoming session
        upcoming = page.locator(f"#sessions li[data-session='{data['future_a']}']")
        expect(upcoming).to_contain_text(FUTURE_TITLE_A)
        expect(upcoming).to_contain_text("已报名")
        page.screenshot(path=str(SCREENSHOTS / "selfservice-zh.png"), full_page=True)

        # English
        page.click("#lang-toggle")
        expect(page.locator("h1")).to_have_text("Community worker self-service")
        expect(page.locator("#lang-toggle")).to_have_text("中文")
        expect(page.locator("#profile-title")).to_have_text("My record")
        expect(page.locator("#worker-grade")).to_have_text("Grade 9")
        expect(page.locator("#worker-post")).to_have_text("Director")
        expect(page.locator("#grades-title")).to_have_text("Post and grade history")
        expect(page.locator("#pay-title")).to_have_text("Pay history")
        expect(page.locator("#payslip-title")).to_have_text("Payslip breakdown")
        expect(page.locator("#tax-title")).to_have_text("Tax deductions")
        page.click(f"#pay button[data-open-month='{data['month']}']")
        expect(page.locator("#payslip tr[data-kind='grade_pay'] .line-label")).to_have_text("Grade pay")
        expect(page.locator("#payslip tr[data-kind='grade_pay'] td")).to_have_text(yuan(lines["grade_pay"]["amount"]))
        expect(page.locator("#payslip tr[data-kind='net_pay'] .line-label")).to_have_text("Net pay")
        expect(page.locator("#tax tr[data-declaration]")).to_contain_text("Support of elderly parents")
        expect(page.locator("#training-title")).to_have_text("Training hours and requirements")
        expect(page.locator("#certificates-title")).to_have_text("Certificates and registration")
        expect(page.locator("#sessions-title")).to_have_text("Upcoming training sessions")
        expect(page.locator("#logout")).to_have_text("Log out")
        expect(page.locator(f"#cert-days-{data['cert']}")).to_have_text(f"{status['days_to_expiry']} days")
        expect(page.locator(f"#cert-state-{data['cert']}")).to_have_text("Active")
        expect(page.locator("#training")).not_to_contain_text("年度集中培训")
        expect(page.locator("#training .progress-row").filter(has_text="Centralised training this year")
               ).to_contain_text(f"{float(hours_bar['done']):g} / {float(hours_bar['required']):g} hours")
        expect(upcoming).to_contain_text("Enrolled")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.screenshot(path=str(SCREENSHOTS / "selfservice-en.png"), full_page=True)

        # nobody else: B's name and B's session never appear, in either language
        for text in (page.content(), page.inner_text("body")):
            assert NAME_B not in text and FUTURE_TITLE_B not in text and "SW2026000999" not in text
        # …and the services the page calls answer 404 for B's records with A's token, from inside the page too
        b = data["b"]
        others = [
            ("hr", f"/workers/{b}"), ("hr", f"/workers/{b}/grade-history"),
            ("hr", f"/workers/{b}/payslips/{data['month']}"),
            ("training", f"/workers/{b}/ledger"), ("training", f"/workers/{b}/enrolments"),
            ("training", f"/workers/{b}/obligations"), ("training", f"/roster/{b}"),
            ("certs", f"/profiles/{b}"), ("certs", f"/profiles/{b}/cpd"), ("certs", f"/certificates/{data['cert_b']}"),
        ]
        for service, path in others:
            r = live.api(service, token_a).get(path)
            assert r.status_code == 404, (service, path, r.status_code, r.text)
        statuses = page.evaluate(
            """async (calls) => {
                const cfg = await (await fetch('/me/page/config.json')).json();
                const token = sessionStorage.getItem('workforce.selfservice.token');
                const out = [];
                for (const [service, path] of calls) {
                    const r = await fetch(cfg[service] + path, {headers: {Authorization: 'Bearer ' + token}});
                    out.push([service + path, r.status, (await r.json()).code]);
                }
                return out;
            }""",
            [list(c) for c in others],
        )
        assert all(s == 404 and code == "not_found" for _, s, code in statuses), statuses
        # B's own view, for contrast, does show B
        assert ok(live.api("hr", data["token_b"]).get(f"/workers/{b}"))["name"] == NAME_B

        # a service down: its sections say so, the others still show (the language choice is remembered)
        certs_url = live.settings.url_of("certs")
        page.route(f"{certs_url}/**", lambda route: route.abort())
        page.reload()
        expect(page.locator("#certificates [data-status]")).to_contain_text("certificates service cannot be reached")
        expect(page.locator("#worker-name")).to_have_text(NAME_A)
        expect(upcoming).to_contain_text(FUTURE_TITLE_A)
        expect(paid).to_have_text(yuan(slip["net_pay"]))
        page.screenshot(path=str(SCREENSHOTS / "selfservice-certs-down.png"), full_page=True)
        page.unroute(f"{certs_url}/**")

        # log out: the token is gone and the login form is back
        page.click("#logout")
        expect(page.locator("#login-view")).to_be_visible()
        expect(page.locator("#dashboard")).to_be_hidden()
        assert page.evaluate("sessionStorage.getItem('workforce.selfservice.token')") is None
        assert not [e for e in console_errors if "ERR_FAILED" not in e and "Failed to load resource" not in e], \
            console_errors
    finally:
        context.close()

    # a phone-width screen: the net pay of the history and of the payslip are on the screen, nothing scrolls sideways
    phone = chromium.new_context(locale="zh-CN", viewport={"width": 375, "height": 800}, is_mobile=True,
                                 has_touch=True)
    try:
        page = phone.new_page()
        login(page, hr_url, data["login_a"], PASSWORD)
        paid = page.locator(f"#pay td[data-month='{data['month']}']")
        expect(paid).to_have_text(yuan(slip["net_pay"]))
        page.click(f"#pay button[data-open-month='{data['month']}']")
        expect(page.locator("#slip-net")).to_have_text(yuan(slip["net_pay"]))
        net_line = page.locator("#payslip tr[data-kind='net_pay'] td")
        end = page.locator("#tax tr[data-declaration] button[data-end]")
        expect(end).to_be_visible()
        for node in (paid, page.locator("#slip-net"), net_line, end):
            box = node.bounding_box()
            assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 375, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(SCREENSHOTS / "selfservice-phone.png"), full_page=True)
        page.locator("#payslip").screenshot(path=str(SCREENSHOTS / "selfservice-phone-payslip.png"))
        page.locator("#tax").screenshot(path=str(SCREENSHOTS / "selfservice-phone-tax.png"))
    finally:
        phone.close()


NAME_C = "王丽华"
WRONG = "wrong-pass-1"


def test_a_worker_with_a_one_time_password_sets_their_own_on_the_page(chromium, live):
    """D-18: the account came with the hire and HR issued its one-time password in
    bulk; on the page the worker is asked for a password of their own (the rule
    stated, the service's refusal in words), then sees their record with the
    fresh token. Any worker changes it again from the link; a locked login says
    how long to wait, in words."""
    from playwright.sync_api import expect

    admin = live.api("hr", live.admin_token)
    c = ok(admin.post("/workers", json={"name": NAME_C, "id_number": id_number(3), "jurisdiction": GONGSHU,
                                        "post": "委员", "grade": 3, "hired_on": "2020-03-01"}), 201)
    slip = ok(admin.post("/users/worker-accounts", json={"worker_ids": [c["id"]]}))["items"][0]
    username, one_time = slip["username"], slip["one_time_password"]
    assert username == id_number(3)
    first_password, second_password = "Meadow2024spring", "Harbour7autumn"
    hr_url = live.settings.url_of("hr")
    token_key = "sessionStorage.getItem('workforce.selfservice.token')"

    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    try:
        login(page, hr_url, username, one_time)
        expect(page.locator("#password-view")).to_be_visible()
        expect(page.locator("#password-required")).to_contain_text("一次性密码")
        expect(page.locator("#password-rules")).to_contain_text("至少 10 个字符，须同时包含字母和数字")
        expect(page.locator("#login-view")).to_be_hidden()
        expect(page.locator("#dashboard")).to_be_hidden()
        expect(page.locator("#pw-current")).to_be_hidden()  # the password just typed is not asked again
        expect(page.locator("#pw-cancel")).to_be_hidden()  # no way round it but to log out
        assert page.evaluate(token_key) is None  # the one-time token is not kept

        new_error = page.locator(".field-error[data-for='new_password']")
        # two different entries: caught on the page
        page.fill("#pw-new", first_password)
        page.fill("#pw-again", first_password + "x")
        page.click("#pw-submit")
        expect(page.locator(".field-error[data-for='again']")).to_have_text("两次输入的新密码不一致。")
        # the rule: the service's refusal next to the field, in words (no code, no field name)
        for bad, reason in (("short1", "密码至少 10 个字符。"), ("onlyletters", "密码须同时包含字母和数字。"),
                            (f"ab{username}", "密码不得包含用户名。")):
            page.fill("#pw-new", bad)
            page.fill("#pw-again", bad)
            page.click("#pw-submit")
            expect(new_error).to_have_text(reason)
            expect(page.locator("#pw-new")).to_have_attribute("aria-invalid", "true")
        # …and in English, on the switch
        page.click("#lang-toggle")
        expect(page.locator("#password-title")).to_have_text("Change password")
        expect(page.locator("#password-rules")).to_contain_text("at least 10 characters, both letters and digits")
        expect(new_error).to_have_text("a password may not contain the username.")
        page.screenshot(path=str(SCREENSHOTS / "selfservice-password-en.png"), full_page=True)
        page.click("#lang-toggle")
        assert live.api("hr", None).post("/auth/login", json={"username": username, "password": one_time}).json()[
            "must_change_password"] is True  # nothing refused was changed

        # a good one: on to the worker's own record, with the fresh token
        page.fill("#pw-new", first_password)
        page.fill("#pw-again", first_password)
        page.click("#pw-submit")
        expect(page.locator("#worker-name")).to_have_text(NAME_C)
        expect(page.locator("#password-done")).to_contain_text("密码已修改")
        expect(page.locator("#password-view")).to_be_hidden()
        expect(page.locator("#worker-grade")).to_have_text("3 档")
        fresh = page.evaluate(token_key)
        assert ok(live.api("hr", fresh).get("/me"))["id"] == c["id"]
        assert live.api("hr", None).post("/auth/login", json={"username": username, "password": one_time}
                                         ).status_code == 401

        # again, from the link: the current password is asked for, and checked
        page.click("#change-password")
        expect(page.locator("#pw-current")).to_be_visible()
        expect(page.locator("#password-required")).to_be_hidden()
        page.fill("#pw-current", WRONG)
        page.fill("#pw-new", second_password)
        page.fill("#pw-again", second_password)
        page.click("#pw-submit")
        expect(page.locator(".field-error[data-for='current_password']")).to_have_text("当前密码不正确。")
        page.fill("#pw-current", first_password)
        page.fill("#pw-new", first_password)
        page.fill("#pw-again", first_password)
        page.click("#pw-submit")
        expect(new_error).to_have_text("新密码不得与上一个密码相同。")
        page.click("#pw-cancel")  # nothing changed: back to the record
        expect(page.locator("#dashboard")).to_be_visible()
        assert page.evaluate(token_key) == fresh
        page.click("#change-password")
        page.fill("#pw-current", first_password)
        page.fill("#pw-new", second_password)
        page.fill("#pw-again", second_password)
        page.click("#pw-submit")
        expect(page.locator("#password-done")).to_be_visible()
        expect(page.locator("#dashboard")).to_be_visible()
        newest = page.evaluate(token_key)
        assert newest != fresh
        assert live.api("hr", fresh).get("/me").status_code == 401  # the earlier token stopped at once
        page.reload()
        expect(page.locator("#worker-name")).to_have_text(NAME_C)
        page.click("#logout")
        login(page, hr_url, username, second_password)
        expect(page.locator("#worker-name")).to_have_text(NAME_C)
        expect(page.locator("#password-view")).to_be_hidden()
        page.click("#logout")

        # the throttle's answer in words, with its Retry-After
        page.route(f"{hr_url}/auth/login", lambda route: route.fulfill(
            status=429, headers={"Retry-After": "30", "Content-Type": "application/problem+json"},
            body='{"code": "login_throttled", "detail": "Too many failed logins; try again in 30 s.", '
                 '"detail_zh": "登录失败次数过多，请 30 秒后再试。", "status": 429}'))
        login(page, hr_url, username, WRONG)
        expect(page.locator("#login-error")).to_have_text("登录失败次数过多，请 30 秒后再试。")
        page.unroute(f"{hr_url}/auth/login")
        # the lock (D-18): ten failures in a row (the throttled ones count), then even the right password
        # waits; the page says how long
        answers = [live.api("hr", None).post("/auth/login", json={"username": username, "password": WRONG})
                   for _ in range(11)]
        assert answers[-1].status_code == 429 and answers[-1].json()["code"] == "account_locked", answers[-1].text
        login(page, hr_url, username, second_password)
        expect(page.locator("#login-error")).to_contain_text("账号已暂时锁定，请 15 分钟")
        expect(page.locator("#login-error")).not_to_contain_text("account_locked")
        expect(page.locator("#dashboard")).to_be_hidden()
        page.click("#lang-toggle")
        expect(page.locator("#login-error")).to_contain_text("the account is locked for now; try again in 15 minutes")
        page.click("#lang-toggle")
        page.screenshot(path=str(SCREENSHOTS / "selfservice-locked.png"), full_page=True)
        assert not [e for e in console_errors if "Failed to load resource" not in e], console_errors
    finally:
        context.close()


def test_the_page_is_public_and_says_where_the_services_are(live):
    hr = live.api("hr", None)
    page = hr.get("/me/page")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "connect-src 'self' " + live.settings.url_of("training") in page.headers["content-security-policy"]
    config = ok(hr.get("/me/page/config.json"))
    assert config == {"hr": "", "training": live.settings.url_of("training"), "certs": live.settings.url_of("certs"),
                      "pay_months": 12}
    for name, kind in (("app.js", "text/javascript"), ("account.js", "text/javascript"), ("app.css", "text/css")):
        r = hr.get(f"/me/page/{name}")
        assert r.status_code == 200 and r.headers["content-type"].startswith(kind)
    assert hr.get("/me/page/../api.py").status_code == 404
    assert hr.get("/me/page/secrets.txt").status_code == 404
    assert hr.get("/me").status_code == 401  # the data is not public
