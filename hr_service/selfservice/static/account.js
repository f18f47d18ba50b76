// The worker's own account on the self-service page (D-18): the change-password
// form, required after a one-time password and offered to any worker logged in,
// and a refused login in words (the throttle and the lock say how long to wait).
// Loaded before app.js, which mounts it with the page's words and its calls.
"use strict";

window.WorkforceAccount = (function () {
  const WORDS = {
    zh: {
      "password.link": "修改密码",
      "password.title": "修改密码",
      "password.required": "您使用的是一次性密码。请先设置自己的新密码，然后继续。",
      "password.rules": "新密码至少 10 个字符，须同时包含字母和数字，不得包含用户名（身份证号），且不得与上一个密码相同。",
      "password.current": "当前密码",
      "password.new": "新密码",
      "password.again": "再次输入新密码",
      "password.submit": "设置新密码",
      "password.cancel": "取消",
      "password.busy": "正在提交…",
      "password.mismatch": "两次输入的新密码不一致。",
      "password.required_field": "请填写此项。",
      "password.done": "密码已修改。以后请用新密码登录。",
      "login.throttled": "登录失败次数过多，请{wait}后再试。",
      "login.locked": "登录失败次数过多，账号已暂时锁定，请{wait}后再试。",
      "wait.seconds": " {n} 秒",
      "wait.minutes": " {n} 分钟（约 {time} 以后）",
    },
    en: {
      "password.link": "Change password",
      "password.title": "Change password",
      "password.required": "You logged in with a one-time password. Set a password of your own to continue.",
      "password.rules": "A new password has at least 10 characters, both letters and digits, does not contain your username (your ID number), and differs from your last one.",
      "password.current": "Current password",
      "password.new": "New password",
      "password.again": "New password again",
      "password.submit": "Set the new password",
      "password.cancel": "Cancel",
      "password.busy": "Sending…",
      "password.mismatch": "The two new passwords differ.",
      "password.required_field": "Required.",
      "password.done": "Your password has been changed. Log in with the new one from now on.",
      "login.throttled": "Too many failed logins: try again in {wait}.",
      "login.locked": "Too many failed logins: the account is locked for now; try again in {wait}.",
      "wait.seconds": "{n} seconds",
      "wait.minutes": "{n} minutes (after about {time})",
    },
  };

  /** Seconds to wait (a ``Retry-After``) in words: "30 秒", "15 分钟（约 14:35 以后）". */
  function waitWords(t, seconds) {
    const s = Math.max(1, Math.ceil(Number(seconds) || 1));
    if (s < 60) return t("wait.seconds", { n: s });
    const at = new Date(Date.now() + s * 1000);
    const time = String(at.getHours()).padStart(2, "0") + ":" + String(at.getMinutes()).padStart(2, "0");
    return t("wait.minutes", { n: Math.ceil(s / 60), time });
  }

  /** A refusal's text in the page's language, without its code; a field's name in front is dropped. */
  function words(lang, err, field) {
    const p = err && err.problem;
    if (!p || !(p.detail || p.detail_zh)) return null;
    let text = lang === "zh" ? (p.detail_zh || p.detail) : (p.detail || p.detail_zh);
    if (field && text.startsWith(field)) text = text.slice(field.length).replace(/^\s*[:：]\s*/, "");
    return text;
  }

  /** A refused login in words: the throttle and the lock (429) with the wait from ``Retry-After``. */
  function loginRefusal(t, err) {
    if (!err || err.status !== 429) return null;
    const key = err.problem && err.problem.code === "account_locked" ? "login.locked" : "login.throttled";
    return t(key, { wait: waitWords(t, err.retryAfter) });
  }

  /**
   * The change-password form. ``ctx``: ``t`` (the page's words), ``lang()``, ``call`` (the page's
   * fetch), ``describe`` (any error in words), ``changed(tokenOut)`` once the new password is set,
   * ``closed()`` when the worker cancels.
   */
  function mount(ctx) {
    const $ = (sel) => document.querySelector(sel);
    const form = $("#password-form");
    let mode = null; // null, "required" (a one-time password's token) or "own" (a worker logged in)
    let pending = null; // the one-time login: its token, and the password typed (kept in memory only)
    let shown = []; // [box, err, field] of the refusals on screen, to word again on a language switch

    function clear() {
      for (const box of form.querySelectorAll(".field-error, #pw-error")) { box.hidden = true; box.textContent = ""; }
      for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
      shown = [];
    }

    function say(box, err, field) {
      box.textContent = (err.key ? ctx.t(err.key) : words(ctx.lang(), err, field)) || ctx.describe(err);
      box.hidden = false;
      shown.push([box, err, field]);
    }

    /** A refusal next to its field (the problem's ``field``), else under the form. */
    function refuse(err, field) {
      const box = field && form.querySelector(".field-error[data-for='" + field + "']");
      if (box && !box.parentElement.hidden) {
        say(box, err, field);
        const input = box.parentElement.querySelector("input");
        input.setAttribute("aria-invalid", "true");
        input.focus();
      } else {
        say($("#pw-error"), err, field);
      }
    }

    function open(newMode, login) {
      mode = newMode; pending = login || null;
      form.reset(); clear();
      $("#password-required").hidden = mode !== "required";
      $("#pw-cancel").hidden = mode === "required";
      // after a one-time login the page still has the password just typed; asked for only when it has not
      $("#pw-current-label").hidden = !!(pending && pending.password);
      const first = pending && pending.password ? $("#pw-new") : $("#pw-current");
      setTimeout(() => first.focus(), 0); // once the page has shown the form
    }

    function close() { mode = null; pending = null; form.reset(); clear(); }

    async function submit(event) {
      event.preventDefault();
      clear();
      const current = pending && pending.password ? pending.password : $("#pw-current").value;
      const fresh = $("#pw-new").value, again = $("#pw-again").value;
      if (!current) return refuse({ key: "password.required_field" }, "current_password");
      if (!fresh) return refuse({ key: "password.required_field" }, "new_password");
      if (fresh !== again) return refuse({ key: "password.mismatch" }, "again");
      const button = $("#pw-submit");
      button.disabled = true; button.textContent = ctx.t("password.busy");
      try {
        const out = await ctx.call("hr", "/auth/password", {
          json: { current_password: current, new_password: fresh }, token: pending ? pending.token : undefined,
        });
        close();
        ctx.changed(out);
      } catch (err) {
        if (mode) refuse(err, err.problem && err.problem.field);
      } finally {
        button.disabled = false; button.textContent = ctx.t("password.submit");
      }
    }

    form.addEventListener("submit", submit);
    $("#pw-cancel").addEventListener("click", () => { close(); ctx.closed(); });

    return {
      open,
      close,
      mode: () => mode,
      relabel() { for (const [box, err, field] of shown.splice(0)) say(box, err, field); },
    };
  }

  return { WORDS, mount, loginRefusal };
})();
