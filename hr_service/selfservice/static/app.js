// The worker's self-service page: one login, then the worker's own views of
// the three services, each section on its own (one service down, the others
// still show). Chinese by default, English on the toggle. No external assets.
"use strict";

(function () {
  const TOKEN_KEY = "workforce.selfservice.token";
  const LANG_KEY = "workforce.selfservice.lang";

  // --- words -----------------------------------------------------------------

  const T = {
    zh: {
      "title": "社区工作者自助服务",
      "lang.switch": "English",
      "logout": "退出登录",
      "footer": "数据来自人事、培训、证书三项服务；如有疑问请联系所在街道的人事专员。",
      "login.title": "登录",
      "login.hint": "请使用本人的工作者账号登录，查看自己的档次、工资、培训学时和证书。用户名是本人的身份证号；第一次登录请用人事专员发给您的一次性密码。",
      "login.username": "用户名",
      "login.password": "密码",
      "login.submit": "登录",
      "login.busy": "正在登录…",
      "login.not_worker": "此页面供社区工作者本人使用；请使用工作者账号登录。",
      "login.expired": "登录已过期，请重新登录。",
      "loading": "正在加载…",
      "none": "暂无",
      "unreachable": "{service}暂时无法访问，本栏内容稍后再试。其他栏目不受影响。",
      "service.hr": "人事服务",
      "service.training": "培训服务",
      "service.certs": "证书服务",
      "error.generic": "请求失败（HTTP {status}）。",
      "profile.title": "我的档案",
      "profile.name": "姓名",
      "profile.post": "岗位",
      "profile.grade": "档次",
      "profile.grade_value": "{grade} 档",
      "profile.grade_since": "现档次起始",
      "profile.jurisdiction": "所属区域",
      "profile.community": "社区",
      "profile.hired_on": "入职日期",
      "profile.status": "状态",
      "grades.title": "岗位与档次变动",
      "grades.effective_on": "生效日期",
      "grades.kind": "类型",
      "grades.change": "岗位 · 档次",
      "grades.reason": "依据",
      "pay.title": "工资记录",
      "pay.hint": "最近 {n} 个月",
      "pay.month": "月份",
      "pay.status": "状态",
      "pay.gross": "应发",
      "pay.deductions": "扣款",
      "pay.net": "实发",
      "pay.none": "最近 {n} 个月暂无工资单。",
      "pay.open": "查看 {month} 的明细",
      "slip.title": "工资单明细",
      "slip.pick": "月份",
      "slip.show": "查看明细",
      "slip.bad_month": "请按 YYYY-MM 填写月份，例如 2025-03。",
      "slip.net": "实发",
      "slip.earnings": "应发项目",
      "slip.deductions": "扣款项目",
      "slip.employer": "单位缴费（由单位承担，不从工资中扣除）",
      "slip.info": "计算依据",
      "slip.item": "项目",
      "slip.amount": "金额",
      "slip.covers": "所属月份 {month}",
      "slip.days": "{n} 天",
      "slip.preview": "预览：按目前的记录试算，以工资批次为准；奖励和补发由工资批次计入。",
      "tax.title": "专项附加扣除",
      "tax.hint": "在此登记子女教育、住房租金、赡养老人等专项附加扣除，按月从应纳税所得额中扣除（累计预扣法）。",
      "tax.none": "尚未登记专项附加扣除。",
      "tax.add": "新增扣除",
      "tax.kind": "扣除类型",
      "tax.amount": "每月金额（元）",
      "tax.from": "起始月份",
      "tax.to": "截止月份（可不填）",
      "tax.person": "子女或被赡养人姓名",
      "tax.submit": "登记",
      "tax.busy": "正在提交…",
      "tax.done": "已登记。",
      "tax.ended": "已设置截止月份。",
      "tax.max": "每月最多 {amount}",
      "tax.per_person": "可按人分别登记",
      "tax.monthly": "每月金额",
      "tax.period": "期间",
      "tax.open_end": "起，未设截止",
      "tax.end": "结束",
      "tax.end_month": "截止月份",
      "tax.confirm": "确认",
      "tax.cancel": "取消",
      "tax.bad_amount": "请按元填写金额，最多两位小数，例如 1000 或 1000.50。",
      "tax.required": "请填写此项。",
      "training.title": "培训学时与要求",
      "training.year": "{year} 年度要求（截至 {as_of}）",
      "training.due": "截止 {date}",
      "training.done_of": "{done} / {required} {unit}",
      "training.no_obligations": "本年度没有培训要求。",
      "training.ledger": "已获学时",
      "training.total_hours": "累计培训学时",
      "training.total_cpd": "累计继续教育学时",
      "training.year_hours": "{year} 年学时",
      "training.recent": "最近完成",
      "unit.hours": "学时",
      "unit.programmes": "个项目",
      "certs.title": "证书与登记",
      "certs.none": "暂无社会工作者职业水平证书记录。",
      "certs.real_name": "实名注册",
      "certs.real_name.yes": "已实名注册",
      "certs.real_name.no": "尚未实名注册，请联系证书管理专员。",
      "certs.number": "证书编号",
      "certs.passed_on": "取得日期",
      "certs.state": "登记状态",
      "certs.valid_until": "有效期至",
      "certs.days_to_expiry": "距到期",
      "certs.days": "{n} 天",
      "certs.expired_days": "已过期 {n} 天",
      "certs.window": "再登记办理期 {from} 至 {to}",
      "certs.first_deadline": "首次登记截止 {date}",
      "certs.cpd": "本周期继续教育学时",
      "certs.talent": "领军人才任期 {from} 至 {to}",
      "sessions.title": "即将参加的培训",
      "sessions.none": "暂无即将开始的培训班次。",
      "sessions.when": "时间",
      "sessions.waitlist": "候补第 {n} 位",
      "sessions.calendar": "下载日历（.ics）",
    },
    en: {
      "title": "Community worker self-service",
      "lang.switch": "中文",
      "logout": "Log out",
      "footer": "From the HR, training and certificates services; ask your street's HR officer if anything looks wrong.",
      "login.title": "Log in",
      "login.hint": "Log in with your own worker account to see your grade, pay, training hours and certificates. Your username is your ID number; the first time, use the one-time password your HR officer gave you.",
      "login.username": "Username",
      "login.password": "Password",
      "login.submit": "Log in",
      "login.busy": "Logging in…",
      "login.not_worker": "This page is for workers themselves; log in with a worker account.",
      "login.expired": "Your session has expired; please log in again.",
      "loading": "Loading…",
      "none": "None",
      "unreachable": "The {service} cannot be reached right now; try this section again later. The other sections are not affected.",
      "service.hr": "HR service",
      "service.training": "training service",
      "service.certs": "certificates service",
      "error.generic": "The request failed (HTTP {status}).",
      "profile.title": "My record",
      "profile.name": "Name",
      "profile.post": "Post",
      "profile.grade": "Grade",
      "profile.grade_value": "Grade {grade}",
      "profile.grade_since": "Grade held since",
      "profile.jurisdiction": "Jurisdiction",
      "profile.community": "Community",
      "profile.hired_on": "Hired on",
      "profile.status": "Status",
      "grades.title": "Post and grade history",
      "grades.effective_on": "Effective",
      "grades.kind": "Change",
      "grades.change": "Post · grade",
      "grades.reason": "Reason",
      "pay.title": "Pay history",
      "pay.hint": "The last {n} months",
      "pay.month": "Month",
      "pay.status": "Status",
      "pay.gross": "Gross",
      "pay.deductions": "Deductions",
      "pay.net": "Net pay",
      "pay.none": "No payslips in the last {n} months.",
      "pay.open": "Show the payslip of {month}",
      "slip.title": "Payslip breakdown",
      "slip.pick": "Month",
      "slip.show": "Show",
      "slip.bad_month": "Enter a month as YYYY-MM, e.g. 2025-03.",
      "slip.net": "Net pay",
      "slip.earnings": "Earnings",
      "slip.deductions": "Deductions",
      "slip.employer": "Employer contributions (paid by the employer, not taken from your pay)",
      "slip.info": "How it was worked out",
      "slip.item": "Item",
      "slip.amount": "Amount",
      "slip.covers": "for {month}",
      "slip.days": "{n} days",
      "slip.preview": "Preview: worked out from today's records; the pay run decides, and adds any rewards and arrears.",
      "tax.title": "Tax deductions",
      "tax.hint": "Declare children's education, housing rent, support of elderly parents and the like: each is deducted from your taxable income month by month (cumulative withholding).",
      "tax.none": "No deductions declared.",
      "tax.add": "Declare a deduction",
      "tax.kind": "Kind",
      "tax.amount": "Amount a month (yuan)",
      "tax.from": "From (month)",
      "tax.to": "To (month, optional)",
      "tax.person": "Child or person supported",
      "tax.submit": "Declare",
      "tax.busy": "Sending…",
      "tax.done": "Declared.",
      "tax.ended": "Last month set.",
      "tax.max": "at most {amount} a month",
      "tax.per_person": "may be declared once per person",
      "tax.monthly": "A month",
      "tax.period": "Months",
      "tax.open_end": "onwards",
      "tax.end": "End",
      "tax.end_month": "Last month",
      "tax.confirm": "Confirm",
      "tax.cancel": "Cancel",
      "tax.bad_amount": "Enter the amount in yuan with at most two decimals, e.g. 1000 or 1000.50.",
      "tax.required": "Required.",
      "training.title": "Training hours and requirements",
      "training.year": "Requirements for {year} (as of {as_of})",
      "training.due": "due {date}",
      "training.done_of": "{done} / {required} {unit}",
      "training.no_obligations": "No training requirement this year.",
      "training.ledger": "Hours earned",
      "training.total_hours": "Training hours, all years",
      "training.total_cpd": "CPD hours, all years",
      "training.year_hours": "Hours in {year}",
      "training.recent": "Recently completed",
      "unit.hours": "hours",
      "unit.programmes": "programmes",
      "certs.title": "Certificates and registration",
      "certs.none": "No social-work certificate on record.",
      "certs.real_name": "Real-name registration",
      "certs.real_name.yes": "Registered under your real name",
      "certs.real_name.no": "Not yet registered under your real name; please contact the certification officer.",
      "certs.number": "Certificate no.",
      "certs.passed_on": "Obtained on",
      "certs.state": "Registration",
      "certs.valid_until": "Valid until",
      "certs.days_to_expiry": "Expires in",
      "certs.days": "{n} days",
      "certs.expired_days": "expired {n} days ago",
      "certs.window": "Re-registration window {from} to {to}",
      "certs.first_deadline": "First registration due by {date}",
      "certs.cpd": "CPD hours this cycle",
      "certs.talent": "Leader-talent term {from} to {to}",
      "sessions.title": "Upcoming training sessions",
      "sessions.none": "No upcoming sessions.",
      "sessions.when": "When",
      "sessions.waitlist": "waitlist no. {n}",
      "sessions.calendar": "Download calendar (.ics)",
    },
  };

  // Values the services send in Chinese or as codes, in both languages.
  const V = {
    post: { "正职": ["正职", "Director"], "副职": ["副职", "Deputy director"], "委员": ["委员", "Committee member"] },
    worker_status: { active: ["在职", "Active"], probation: ["试用期", "On probation"], left: ["已离职", "Left"] },
    change_kind: { hire: ["入职定档", "Hired"], step: ["年度晋档", "Yearly step"], post_change: ["岗位变动", "Post change"] },
    slip_status: {
      preview: ["预览", "Preview"], draft: ["待发放", "Draft"], submitted: ["待审批", "Awaiting approval"],
      closed: ["已发放", "Paid"],
    },
    obligation: {
      induction: ["岗前培训（试用期内）", "Induction (within probation)"],
      annual_days: ["年度集中培训", "Centralised training this year"],
      periodic_programme: ["周期培训项目", "Programme in the period"],
    },
    obligation_status: { met: ["已完成", "Met"], late: ["逾期完成", "Met late"], open: ["进行中", "In progress"], behind: ["未达标", "Behind"] },
    reg_state: {
      unregistered: ["未登记", "Not registered"], active: ["有效", "Active"], due: ["待再登记", "Renewal due"],
      lapsed: ["已失效", "Lapsed"], closed: ["已关闭", "Closed"], first_registration_missed: ["逾期未首次登记", "First registration missed"],
      renewed: ["已续期", "Renewed"],
    },
    level: {
      "助理社会工作师": ["助理社会工作师", "Assistant social worker"],
      "社会工作师": ["社会工作师", "Social worker"],
      "高级社会工作师": ["高级社会工作师", "Senior social worker"],
    },
    enrolment: {
      enrolled: ["已报名", "Enrolled"], waitlisted: ["候补", "Waitlisted"], cancelled: ["已取消", "Cancelled"],
      completed: ["已结业", "Completed"], not_completed: ["未结业", "Not completed"],
    },
    tier: {
      induction: ["岗前培训", "Induction"], continuing: ["全员继续教育", "Continuing education"],
      secretary_director: ["书记主任培训", "Secretaries and directors"], advanced_practice: ["实务高级研修", "Advanced practice"],
      three_social: ["三社联动", "Three-social linkage"], leader_talent: ["领军人才专项", "Leader talents"], degree: ["学历教育", "Degree study"],
    },
  };

  // the account's words (account.js: the change-password form, a refused login in words)
  const ACCOUNT = window.WorkforceAccount;
  Object.assign(T.zh, ACCOUNT.WORDS.zh);
  Object.assign(T.en, ACCOUNT.WORDS.en);

  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";

  function t(key, params) {
    let s = (T[lang] && T[lang][key]) || T.zh[key] || key;
    for (const [k, v] of Object.entries(params || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }

  function v(kind, value) {
    const pair = V[kind] && V[kind][value];
    return pair ? pair[lang === "en" ? 1 : 0] : (value == null ? "" : String(value));
  }

  // --- formatting ----------------------------------------------------------------

  /** Integer fen as yuan with two decimals: 123456 → "¥1,234.56". */
  function yuan(fen) {
    if (fen == null) return "";
    const n = Math.round(Number(fen));
    const sign = n < 0 ? "-" : "";
    const abs = Math.abs(n);
    const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + "¥" + whole + "." + String(abs % 100).padStart(2, "0");
  }

  /** Decimal hours as sent ("8.00") without trailing zeros: "8", "7.5". */
  function hours(x) {
    if (x == null) return "";
    const n = Number(x);
    return Number.isFinite(n) ? String(Math.round(n * 100) / 100) : String(x);
  }

  /** Hundredths of a day as days: 2175 → "21.75" (D-15). */
  function days(hundredths) {
    const n = Math.round(Number(hundredths));
    return String(Math.floor(n / 100)) + "." + String(n % 100).padStart(2, "0");
  }

  /** Yuan as typed ("1,000", "1000.5") to integer fen, by the digits (no floating point); null if not an amount. */
  function toFen(text) {
    const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(String(text || "").trim().replace(/[,，\s]/g, ""));
    return m ? Number(m[1]) * 100 + Number((m[2] || "").padEnd(2, "0")) : null;
  }

  const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

  function thisMonth() {
    const d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0");
  }

  const day = (s) => (s ? String(s).slice(0, 10) : "");
  const minute = (s) => (s ? String(s).slice(0, 16).replace("T", " ") : "");

  // --- the DOM -------------------------------------------------------------------

  const $ = (sel, root) => (root || document).querySelector(sel);

  /** el("div", {class: "x", text: "y"}, child, …): a node, never HTML parsing. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, val] of Object.entries(attrs || {})) {
      if (val == null || val === false) continue;
      if (k === "text") node.textContent = val;
      else if (k === "class") node.className = val;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), val);
      else node.setAttribute(k, val === true ? "" : String(val));
    }
    for (const c of children.flat()) if (c != null && c !== false) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  /** A table of ``rows`` (arrays of cells, or ready TR nodes); ``classes`` for the header cells. */
  function table(headers, rows, classes) {
    return el("div", { class: "scroll" },
      el("table", {},
        el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { scope: "col", class: (classes && classes[i]) || null, text: h })))),
        el("tbody", {}, rows.map((r) => (r instanceof Node ? r
          : el("tr", {}, r.map((c) => (c instanceof Node && c.tagName === "TD" ? c : el("td", {}, c)))))))));
  }

  function progress(label, done, required, text, status) {
    const pct = required > 0 ? Math.min(100, Math.round((done / required) * 100)) : 100;
    const fill = el("div", { class: "progress-fill" });
    fill.style.width = pct + "%"; // through the CSSOM: the page's CSP allows no inline style attributes
    return el("div", { class: "progress-row" },
      el("div", { class: "progress-head" },
        el("span", { class: "progress-label", text: label }),
        el("span", { class: "progress-text", text: text })),
      el("div", {
        class: "progress " + (status ? "is-" + status : ""), role: "progressbar", "aria-label": label,
        "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": pct, "aria-valuetext": text,
      }, fill));
  }

  function badge(text, kind) {
    return el("span", { class: "badge" + (kind ? " badge-" + kind : ""), text: text });
  }

  function dl(pairs) {
    return el("dl", { class: "facts" }, pairs.filter((p) => p[1] !== "" && p[1] != null)
      .map(([k, val, id]) => el("div", {}, el("dt", { text: k }), el("dd", { id: id || null }, val))));
  }

  // --- talking to the services -------------------------------------------------------

  class ApiError extends Error {
    constructor(service, status, problem, retryAfter) {
      super(problem ? problem.detail : "HTTP " + status);
      this.service = service; this.status = status; this.problem = problem;
      this.retryAfter = retryAfter == null ? null : Number(retryAfter); // seconds (429)
    }
  }

  class Unreachable extends Error {
    constructor(service) { super(service + " unreachable"); this.service = service; }
  }

  let config = null;

  async function loadConfig() {
    if (!config) {
      const r = await fetch("/me/page/config.json", { cache: "no-store" });
      if (!r.ok) throw new ApiError("hr", r.status, null);
      config = await r.json();
    }
    return config;
  }

  /** GET, or POST/PATCH ({json, method}) on a service; a problem body becomes an ApiError, a network failure Unreachable.
   * The worker's token is sent unless ``noAuth``, or ``token`` instead (a one-time password's). */
  async function call(service, path, options) {
    const cfg = await loadConfig();
    const headers = { Accept: "application/json, application/problem+json" };
    const token = (options && options.token) || sessionStorage.getItem(TOKEN_KEY);
    if (token && !(options && options.noAuth)) headers.Authorization = "Bearer " + token;
    const init = { method: "GET", headers, cache: "no-store" };
    if (options && options.json !== undefined) {
      init.method = options.method || "POST";
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.json);
    }
    let r;
    try {
      r = await fetch(cfg[service] + path, init);
    } catch (e) {
      throw new Unreachable(service);
    }
    if (r.status === 401 && token && !(options && options.noAuth)) {
      expired();
      throw new ApiError(service, 401, null);
    }
    if (!r.ok) {
      let problem = null;
      try { problem = await r.json(); } catch (e) { /* not JSON */ }
      if (r.status === 403 && problem && problem.code === "password_change_required" && token && !(options && options.token)) {
        mustChange(token); // D-18: a one-time password's token serves only the change of password
      }
      throw new ApiError(service, r.status, problem, r.headers.get("Retry-After"));
    }
    if (options && options.raw) return r;
    return r.json();
  }

  function describe(err) {
    if (err instanceof Unreachable) return t("unreachable", { service: t("service." + err.service) });
    if (err instanceof ApiError && err.problem && (err.problem.detail || err.problem.detail_zh)) {
      const text = lang === "zh" ? (err.problem.detail_zh || err.problem.detail) : (err.problem.detail || err.problem.detail_zh);
      return err.problem.code ? text + " (" + err.problem.code + ")" : text;
    }
    if (err instanceof ApiError) return t("error.generic", { status: err.status });
    return String(err && err.message ? err.message : err);
  }

  // --- sections: each loads on its own and renders from what it loaded --------------

  const state = { data: {}, errors: {}, loading: {}, seq: {} };

  function sectionStatus(id) {
    const section = document.getElementById(id);
    const status = $("[data-status]", section);
    const body = $(".body", section);
    status.replaceChildren();
    status.className = "status";
    section.classList.remove("has-error");
    if (state.loading[id]) {
      status.append(el("p", { class: "hint", text: t("loading") }));
    } else if (state.errors[id]) {
      section.classList.add("has-error");
      status.className = "status problem";
      status.setAttribute("role", "alert");
      status.append(el("p", { text: describe(state.errors[id]) }));
    }
    return body;
  }

  const RENDER = {
    profile(body, me) {
      body.append(dl([
        [t("profile.name"), me.name, "worker-name"],
        [t("profile.post"), v("post", me.post), "worker-post"],
        [t("profile.grade"), t("profile.grade_value", { grade: me.grade }), "worker-grade"],
        [t("profile.grade_since"), day(me.grade_since)],
        [t("profile.jurisdiction"), me.jurisdiction],
        [t("profile.community"), me.community_code],
        [t("profile.hired_on"), day(me.hired_on)],
        [t("profile.status"), v("worker_status", me.status)],
      ]));
    },

    grades(body, history) {
      if (!history.length) { body.append(el("p", { class: "hint", text: t("none") })); return; }
      const rows = history.slice().reverse().map((c) => [
        el("td", { class: "month" }, day(c.effective_on)),
        v("change_kind", c.kind),
        (c.from_post != null ? v("post", c.from_post) + " " + c.from_grade + " → " : "") + v("post", c.post) + " " + c.grade,
        el("td", { class: "reason" }, c.reason, c.clause ? el("span", { class: "clause", text: " " + c.clause }) : null),
      ]);
      body.append(table([t("grades.effective_on"), t("grades.kind"), t("grades.change"), t("grades.reason")], rows));
    },

    pay(body, slips) {
      const n = (config && config.pay_months) || 12;
      body.append(el("p", { class: "hint", text: t("pay.hint", { n }) }));
      if (!slips.length) { body.append(el("p", { class: "hint", text: t("pay.none", { n }) })); return; }
      const rows = slips.map((p) => [
        el("td", { class: "month" }, el("button", {
          type: "button", class: "link month-link", "data-open-month": p.month, "aria-label": t("pay.open", { month: p.month }),
          onclick: () => showPayslip(p.month, true), text: p.month,
        })),
        badge(v("slip_status", p.status), "slip-" + p.status),
        el("td", { class: "num wide-only" }, yuan(p.gross)),
        el("td", { class: "num wide-only" }, yuan(p.gross - p.net_pay)),
        el("td", { class: "num strong", "data-month": p.month }, yuan(p.net_pay)),
      ]);
      body.append(table([t("pay.month"), t("pay.status"), t("pay.gross"), t("pay.deductions"), t("pay.net")], rows,
        ["", "", "num wide-only", "num wide-only", "num"]));
    },

    payslip(body, slip) {
      const label = (line) => (lang === "en" ? line.label_en : line.label_zh);
      const amount = (line) => (line.kind === "paid_days" ? t("slip.days", { n: days(line.amount) }) : yuan(line.amount));
      const row = (line, total) => el("tr", { class: total ? "total" : null, "data-kind": line.kind, "data-covers": line.covers },
        el("th", { scope: "row" },
          el("span", { class: "line-label" }, label(line)),
          line.covers ? el("span", { class: "covers", text: t("slip.covers", { month: line.covers }) }) : null,
          line.note ? el("span", { class: "note", text: line.note }) : null,
          el("span", { class: "clause", text: line.clause })),
        el("td", { class: "num" + (line.amount < 0 ? " negative" : "") }, amount(line)));
      const part = (title, lines, totalKind) => {
        const shown = lines.filter((l) => l.kind !== totalKind);
        const total = lines.find((l) => l.kind === totalKind);
        if (!shown.length && !total) return null;
        return el("div", { class: "slip-part" },
          el("h3", { text: title }),
          el("table", { class: "lines" },
            el("thead", { class: "visually-hidden" }, el("tr", {}, el("th", { scope: "col", text: t("slip.item") }),
              el("th", { scope: "col", text: t("slip.amount") }))),
            el("tbody", {}, shown.map((l) => row(l, false)), total ? row(total, true) : null)));
      };
      const lines = slip.lines || [];
      const net = lines.find((l) => l.kind === "net_pay");
      body.append(el("div", { class: "slip-head" },
        el("div", {}, el("span", { class: "slip-month", text: slip.month }), " ", badge(v("slip_status", slip.status), "slip-" + slip.status)),
        el("div", { class: "slip-net" }, el("span", { text: t("slip.net") }),
          el("strong", { id: "slip-net" }, yuan(net ? net.amount : slip.net_pay)))));
      if (slip.status === "preview") body.append(el("p", { class: "hint", text: t("slip.preview") }));
      body.append(part(t("slip.earnings"), lines.filter((l) => l.group === "earning" || l.kind === "gross"), "gross"));
      body.append(part(t("slip.deductions"), lines.filter((l) => l.group === "deduction" || l.kind === "net_pay"), "net_pay"));
      body.append(part(t("slip.employer"), lines.filter((l) => l.group === "employer"), "employer_total"));
      body.append(part(t("slip.info"), lines.filter((l) => l.group === "info"), null));
    },

    tax(body, data) {
      const kinds = Object.fromEntries(data.kinds.map((k) => [k.kind, k]));
      const kindLabel = (d) => {
        const k = d.label_zh ? d : kinds[d.kind];
        return k ? (lang === "en" ? k.label_en : k.label_zh) : d.kind;
      };
      fillKinds(data.kinds);
      if (!data.declarations.length) { body.append(el("p", { class: "hint", text: t("tax.none") })); return; }
      const now = thisMonth();
      const rows = data.declarations.map((d) => {
        const open = d.to_month == null || d.to_month >= now;
        const actions = el("div", { class: "actions" });
        if (open) {
          actions.append(el("button", { type: "button", class: "secondary small", "data-end": d.id, text: t("tax.end"),
            onclick: () => endForm(actions, d) }));
        }
        return el("tr", { "data-declaration": d.id },
          el("td", {}, kindLabel(d), d.person ? el("span", { class: "note", text: d.person }) : null),
          el("td", { class: "num" }, yuan(d.monthly_fen)),
          el("td", { class: "period" },
            el("span", { class: "month" }, d.to_month ? d.from_month + " – " + d.to_month : d.from_month + " " + t("tax.open_end")),
            actions));
      });
      body.append(table([t("tax.kind"), t("tax.monthly"), t("tax.period")], rows, ["", "num", ""]));
    },

    training(body, data) {
      const { obligations, ledger } = data;
      if (obligations) {
        body.append(el("h3", { text: t("training.year", { year: obligations.year, as_of: day(obligations.as_of) }) }));
        if (!obligations.obligations.length) body.append(el("p", { class: "hint", text: t("training.no_obligations") }));
        for (const o of obligations.obligations) {
          const done = Number(o.done), required = Number(o.required);
          const text = t("training.done_of", { done: hours(o.done), required: hours(o.required), unit: t("unit." + o.unit) })
            + " · " + v("obligation_status", o.status) + " · " + t("training.due", { date: day(o.due_on) });
          body.append(progress(v("obligation", o.kind), done, required, text, o.status));
        }
      }
      if (ledger) {
        body.append(el("h3", { text: t("training.ledger") }));
        const thisYear = obligations ? ledger.years.find((y) => y.year === obligations.year) : ledger.years[0];
        body.append(dl([
          thisYear ? [t("training.year_hours", { year: thisYear.year }), hours(thisYear.hours) + " " + t("unit.hours"), "year-hours"] : null,
          [t("training.total_hours"), hours(ledger.total_hours) + " " + t("unit.hours"), "total-hours"],
          [t("training.total_cpd"), hours(ledger.total_cpd_hours) + " " + t("unit.hours")],
        ].filter(Boolean)));
        const recent = ledger.credits.slice().sort((a, b) => (a.completed_on < b.completed_on ? 1 : -1)).slice(0, 5);
        if (recent.length) {
          body.append(el("h4", { text: t("training.recent") }));
          body.append(el("ul", { class: "plain" }, recent.map((c) =>
            el("li", {}, day(c.completed_on) + " · " + c.title + " · " + hours(c.hours) + " " + t("unit.hours")))));
        }
      }
    },

    certificates(body, mine) {
      body.append(el("p", { class: mine.real_name_registered ? "hint" : "warning", id: "real-name" },
        t("certs.real_name") + ": " + t(mine.real_name_registered ? "certs.real_name.yes" : "certs.real_name.no")));
      if (!mine.certificates.length) body.append(el("p", { class: "hint", text: t("certs.none") }));
      for (const c of mine.certificates) {
        const s = c.registration || { state: "unregistered" };
        const card = el("article", { class: "cert", "data-certificate": c.id });
        card.append(el("h3", {}, v("level", c.level), " ", badge(v("reg_state", s.state), s.state)));
        let expiry = null;
        if (s.days_to_expiry != null) {
          expiry = s.days_to_expiry >= 0 ? t("certs.days", { n: s.days_to_expiry }) : t("certs.expired_days", { n: -s.days_to_expiry });
        }
        card.append(dl([
          [t("certs.number"), c.number],
          [t("certs.passed_on"), day(c.qualified_on || c.passed_on)],
          [t("certs.state"), v("reg_state", s.state), "cert-state-" + c.id],
          [t("certs.valid_until"), day(s.valid_until)],
          [t("certs.days_to_expiry"), expiry, "cert-days-" + c.id],
        ]));
        if (s.days_to_expiry != null) card.querySelector("#cert-days-" + c.id).classList.add(s.days_to_expiry <= 90 ? "soon" : "ok");
        if (s.window_opens_on) card.append(el("p", { class: "hint", text: t("certs.window", { from: day(s.window_opens_on), to: day(s.window_closes_on || s.valid_until) }) }));
        if (s.first_registration_deadline) card.append(el("p", { class: "warning", text: t("certs.first_deadline", { date: day(s.first_registration_deadline) }) }));
        if (s.cpd_required_hours != null) {
          const done = Number(s.cpd_counted_hours || 0), required = Number(s.cpd_required_hours);
          card.append(progress(t("certs.cpd"), done, required,
            t("training.done_of", { done: hours(done), required: hours(required), unit: t("unit.hours") }), done >= required ? "met" : "open"));
        }
        body.append(card);
      }
      for (const d of mine.leader_talent_terms || []) {
        body.append(el("p", { class: "hint", text: t("certs.talent", { from: day(d.term_starts_on), to: day(d.ended_on || d.term_ends_on) }) }));
      }
    },

    sessions(body, enrolments) {
      const now = Date.now();
      const upcoming = enrolments
        .filter((e) => (e.status === "enrolled" || e.status === "waitlisted") && Date.parse(e.ends_at) > now)
        .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
      if (!upcoming.length) body.append(el("p", { class: "hint", text: t("sessions.none") }));
      else {
        body.append(el("ul", { class: "sessions" }, upcoming.map((e) => el("li", { "data-session": e.session_id },
          el("div", { class: "session-title" }, e.title, " ", badge(v("tier", e.tier))),
          el("div", { class: "session-when" }, minute(e.starts_at) + " – " + minute(e.ends_at)),
          el("div", {}, badge(v("enrolment", e.status), e.status),
            e.waitlist_position ? " " + t("sessions.waitlist", { n: e.waitlist_position }) : "")))));
      }
      body.append(el("button", { type: "button", class: "secondary small", id: "calendar", onclick: downloadCalendar, text: t("sessions.calendar") }));
    },
  };

  function render(id) {
    const body = sectionStatus(id);
    body.replaceChildren();
    if (state.data[id] !== undefined && !state.loading[id]) RENDER[id](body, state.data[id]);
  }

  /** Load a section; of two loads of one section, only the later one's answer is shown. */
  async function load(id, fetcher) {
    const seq = (state.seq[id] = (state.seq[id] || 0) + 1);
    state.loading[id] = true; delete state.errors[id]; delete state.data[id];
    render(id);
    let data, error;
    try {
      data = await fetcher();
    } catch (err) {
      error = err;
    }
    if (seq !== state.seq[id]) return;
    if (error) state.errors[id] = error; else state.data[id] = data;
    state.loading[id] = false;
    if (sessionStorage.getItem(TOKEN_KEY)) render(id);
  }

  function lastMonths(n) {
    const out = [];
    const d = new Date();
    let y = d.getFullYear(), m = d.getMonth() + 1;
    for (let i = 0; i < n; i++) {
      out.push(y + "-" + String(m).padStart(2, "0"));
      m -= 1; if (m === 0) { m = 12; y -= 1; }
    }
    return out;
  }

  /** The stored payslips (draft and paid) of the last months, newest first: one call to HR. */
  async function payHistory() {
    const n = (await loadConfig()).pay_months || 12;
    const months = lastMonths(n);
    const query = "?from=" + encodeURIComponent(months[months.length - 1]) + "&to=" + encodeURIComponent(months[0]);
    const slips = await call("hr", "/me/payslips" + query);
    return slips.slice().reverse();
  }

  // --- the payslip of a month, line by line (D-16) ------------------------------------------

  /** Show the payslip of ``month`` (stored, or a preview); ``scroll`` brings it into view. */
  function showPayslip(month, scroll) {
    const input = $("#payslip-month");
    input.value = month;
    if (!MONTH_RE.test(month)) {
      state.seq.payslip = (state.seq.payslip || 0) + 1; // a load under way no longer counts
      state.loading.payslip = false; delete state.data.payslip;
      state.errors.payslip = new Error(t("slip.bad_month"));
      render("payslip");
      return;
    }
    load("payslip", () => call("hr", "/me/payslips/" + encodeURIComponent(month)));
    if (scroll) document.getElementById("payslip").scrollIntoView({ block: "start" });
  }

  // --- tax deductions (专项附加扣除, D-13) --------------------------------------------------------

  /** The kinds a worker may declare, and the worker's declarations. */
  async function taxDeductions() {
    const [kinds, mine] = await Promise.all([call("hr", "/tax-deduction-kinds"), call("hr", "/me/tax-deductions")]);
    return { kinds, declarations: Array.isArray(mine) ? mine : (mine.items || []) };
  }

  /** The form's kinds, in the page's language; the choice is kept. */
  function fillKinds(kinds) {
    const select = $("#td-kind");
    const chosen = select.value;
    select.replaceChildren(...kinds.map((k) => el("option", { value: k.kind, text: lang === "en" ? k.label_en : k.label_zh })));
    if (chosen && kinds.some((k) => k.kind === chosen)) select.value = chosen;
    kindChosen();
  }

  /** A kind's maximum and whether it is declared per person: the person field only for those. */
  function kindChosen() {
    const kinds = (state.data.tax && state.data.tax.kinds) || [];
    const k = kinds.find((x) => x.kind === $("#td-kind").value);
    $("#td-person-label").hidden = !(k && k.per_person);
    $("#td-kind-hint").textContent = k
      ? t("tax.max", { amount: yuan(k.max_monthly_fen) }) + (k.per_person ? " · " + t("tax.per_person") : "") : "";
  }

  function clearFieldErrors(form) {
    for (const node of form.querySelectorAll(".field-error")) { node.hidden = true; node.textContent = ""; }
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  /** A refusal's reason next to its field (``field`` of the problem), else under the form. */
  function showProblem(form, general, err, field) {
    const box = field && form.querySelector(".field-error[data-for='" + field + "']");
    if (box && !box.parentElement.closest("[hidden]")) {
      box.textContent = describe(err);
      box.hidden = false;
      const input = box.parentElement.querySelector("input, select");
      if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
    } else {
      general.textContent = describe(err);
      general.hidden = false;
    }
  }

  async function onDeclare(event) {
    event.preventDefault();
    const form = $("#tax-form");
    const general = $("#td-error");
    clearFieldErrors(form);
    general.hidden = true; $("#td-done").hidden = true;
    const local = (field, key) => showProblem(form, general, new Error(t(key)), field);
    const kind = $("#td-kind").value;
    const fen = toFen($("#td-amount").value);
    const from = $("#td-from").value.trim();
    const to = $("#td-to").value.trim();
    const person = $("#td-person").value.trim();
    if (!kind) return local("kind", "tax.required");
    if (fen == null) return local("monthly_fen", "tax.bad_amount");
    if (!MONTH_RE.test(from)) return local("from_month", from ? "slip.bad_month" : "tax.required");
    if (to && !MONTH_RE.test(to)) return local("to_month", "slip.bad_month");
    const body = { kind, monthly_fen: fen, from_month: from };
    if (to) body.to_month = to;
    if (!$("#td-person-label").hidden && person) body.person = person;
    const button = $("#td-submit");
    button.disabled = true; button.textContent = t("tax.busy");
    try {
      await call("hr", "/me/tax-deductions", { json: body });
      form.reset();
      kindChosen();
      $("#td-done").textContent = t("tax.done"); $("#td-done").hidden = false;
      load("tax", taxDeductions);
    } catch (err) {
      showProblem(form, general, err, err.problem && err.problem.field);
    } finally {
      button.disabled = false; button.textContent = t("tax.submit");
    }
  }

  /** End a declaration: its last month, sent as ``PATCH /me/tax-deductions/{id}``. */
  function endForm(cell, declaration) {
    const input = el("input", { type: "month", required: true, pattern: "[0-9]{4}-[0-9]{2}", placeholder: "YYYY-MM",
      "aria-label": t("tax.end_month"), "data-end-month": declaration.id });
    input.value = declaration.to_month || thisMonth();
    const problem = el("small", { class: "field-error", role: "alert", hidden: true });
    const confirm = el("button", { type: "button", class: "small", text: t("tax.confirm"), onclick: async () => {
      problem.hidden = true;
      const to = input.value.trim();
      if (!MONTH_RE.test(to)) { problem.textContent = t("slip.bad_month"); problem.hidden = false; return; }
      confirm.disabled = true;
      try {
        await call("hr", "/me/tax-deductions/" + encodeURIComponent(declaration.id), { json: { to_month: to }, method: "PATCH" });
        $("#td-done").textContent = t("tax.ended"); $("#td-done").hidden = false;
        load("tax", taxDeductions);
      } catch (err) {
        problem.textContent = describe(err); problem.hidden = false; confirm.disabled = false;
      }
    } });
    const cancel = el("button", { type: "button", class: "secondary small", text: t("tax.cancel"), onclick: () => render("tax") });
    cell.replaceChildren(el("label", { class: "end-form" }, el("span", { text: t("tax.end_month") }), input), confirm, " ", cancel, problem);
    input.focus();
  }

  function loadAll() {
    const wid = sessionStorage.getItem(TOKEN_KEY + ".worker");
    load("profile", () => call("hr", "/me"));
    load("grades", async () => {
      const id = wid || (await call("hr", "/me")).id;
      return call("hr", "/workers/" + encodeURIComponent(id) + "/grade-history");
    });
    load("pay", payHistory).then(() => {
      // the newest payslip's lines (this month's preview when there is none yet), unless one was asked for
      if (state.data.payslip !== undefined || state.loading.payslip || !sessionStorage.getItem(TOKEN_KEY)) return;
      const slips = state.data.pay || [];
      showPayslip(slips.length ? slips[0].month : thisMonth(), false);
    });
    load("tax", taxDeductions);
    load("training", async () => {
      const [obligations, ledger] = await Promise.all([call("training", "/me/obligations"), call("training", "/me/ledger")]);
      return { obligations, ledger };
    });
    load("certificates", () => call("certs", "/me/certificates"));
    load("sessions", () => call("training", "/me/enrolments"));
  }

  async function downloadCalendar() {
    try {
      const r = await call("training", "/me/calendar.ics", { raw: true });
      const url = URL.createObjectURL(await r.blob());
      const a = el("a", { href: url, download: "my-training.ics" });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      state.errors.sessions = err; render("sessions");
    }
  }

  // --- login, logout, language ----------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    const toggle = $("#lang-toggle");
    toggle.textContent = t("lang.switch");
    toggle.setAttribute("lang", lang === "en" ? "zh-CN" : "en");
    const loginError = $("#login-error");
    if (loginError.dataset.key) loginError.textContent = t(loginError.dataset.key);
    else if (loginError.problem) loginError.textContent = loginWords(loginError.problem);
    account.relabel();
    if (sessionStorage.getItem(TOKEN_KEY)) for (const id of Object.keys(RENDER)) render(id);
  }

  function showLoginError(key, err) {
    const box = $("#login-error");
    box.dataset.key = key || "";
    box.problem = err || null;
    box.textContent = key ? t(key) : loginWords(err);
    box.hidden = false;
  }

  /** A refused login in words: the throttle and the lock with the time to wait (D-18), else the reason. */
  function loginWords(err) {
    return ACCOUNT.loginRefusal(t, err) || describe(err);
  }

  /** Which of the login form, the change of password and the worker's record is on screen. */
  function views() {
    const signedIn = !!sessionStorage.getItem(TOKEN_KEY);
    const changing = account.mode();
    $("#login-view").hidden = signedIn || changing === "required";
    $("#password-view").hidden = !changing;
    $("#dashboard").hidden = !signedIn || !!changing;
    $("#logout").hidden = !signedIn && !changing;
    $("#change-password").hidden = !signedIn || !!changing;
    return signedIn && !changing;
  }

  function showView() {
    if (views()) loadAll();
    else if (!account.mode()) $("#username").focus();
  }

  /** D-18: a one-time password's token (held in memory only): the new password first. */
  function mustChange(token, password) {
    forget();
    account.open("required", { token, password });
    views();
  }

  /** The new password is set: its fresh token replaces every earlier one (those no longer work). */
  function passwordChanged(out) {
    const first = !sessionStorage.getItem(TOKEN_KEY);
    sessionStorage.setItem(TOKEN_KEY, out.access_token);
    sessionStorage.setItem(TOKEN_KEY + ".worker", String(out.worker_id));
    $("#password-done").hidden = false;
    if (first) showView(); else views();
  }

  const account = ACCOUNT.mount({
    t, call, describe, lang: () => lang, changed: passwordChanged, closed: views,
  });

  function forget() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_KEY + ".worker");
    account.close();
    $("#password-done").hidden = true;
    state.data = {}; state.errors = {}; state.loading = {}; state.seq = {};
    $("#payslip-form").reset();
    $("#tax-form").reset();
    clearFieldErrors($("#tax-form"));
    $("#td-kind").replaceChildren();
    $("#td-error").hidden = true; $("#td-done").hidden = true;
    for (const id of Object.keys(RENDER)) {
      const section = document.getElementById(id);
      $(".body", section).replaceChildren();
      $("[data-status]", section).replaceChildren();
    }
  }

  function expired() {
    forget();
    showView();
    showLoginError("login.expired");
  }

  async function onLogin(event) {
    event.preventDefault();
    const button = $("#login-button");
    $("#login-error").hidden = true;
    button.disabled = true;
    button.textContent = t("login.busy");
    try {
      const out = await call("hr", "/auth/login", {
        json: { username: $("#username").value.trim(), password: $("#password").value }, noAuth: true,
      });
      if (out.role !== "worker" || out.worker_id == null) { showLoginError("login.not_worker"); return; }
      if (out.must_change_password) { mustChange(out.access_token, $("#password").value); $("#password").value = ""; return; }
      sessionStorage.setItem(TOKEN_KEY, out.access_token);
      sessionStorage.setItem(TOKEN_KEY + ".worker", String(out.worker_id));
      $("#password").value = "";
      showView();
    } catch (err) {
      showLoginError(null, err);
    } finally {
      button.disabled = false;
      button.textContent = t("login.submit");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("#login-form").addEventListener("submit", onLogin);
    $("#payslip-form").addEventListener("submit", (event) => { event.preventDefault(); showPayslip($("#payslip-month").value.trim(), false); });
    $("#tax-form").addEventListener("submit", onDeclare);
    $("#td-kind").addEventListener("change", kindChosen);
    $("#logout").addEventListener("click", () => { forget(); $("#login-error").hidden = true; showView(); });
    $("#change-password").addEventListener("click", () => { $("#password-done").hidden = true; account.open("own"); views(); });
    $("#lang-toggle").addEventListener("click", () => {
      lang = lang === "zh" ? "en" : "zh";
      localStorage.setItem(LANG_KEY, lang);
      applyLanguage();
    });
    applyLanguage();
    showView();
  });
})();
