// arc4j reference centre operator console: plain JavaScript, no build step, works offline.
(function () {
  "use strict";

  var I18N = {
    zh: {
      title: "报警接收中心", username: "用户名", password: "密码", login: "登录", language: "English",
      queue: "警情队列", devices: "设备状态", stats: "服务质量", soundOff: "声音已关闭", soundOn: "声音已开启",
      enableSound: "开启声音（每班一次）", logout: "退出", priority: "优先级", category: "类别", customer: "客户",
      account: "用户号", zone: "防区", state: "状态", received: "接收时间", sla: "时限", noCases: "没有待处理的警情",
      back: "返回队列", actionPlan: "处置预案", steps: "处置过程", slaTitle: "时限 (GA 1383)", device: "设备",
      online: "在线", lastContact: "最后联系", link: "链路", from: "从", to: "到", show: "查询",
      yes: "是", no: "否", offline: "离线", connected: "已连接", disconnected: "连接中断", site: "地点",
      code: "代码", description: "说明", transport: "传输方式", drill: "演练", keyCustomer: "重要客户",
      method: "核实方式", result: "结果", cause: "原因", loginFailed: "登录失败", unknownAccount: "未配置的用户号",
      actions: {
        take: "接警", "verify-start": "开始复核", verify: "核实", forward: "转发", "confirm-forward": "确认接收", dispatch: "派警",
        depart: "出发", arrive: "到达", report: "现场报告", "reset-device": "设备复位", "notify-client": "通知客户",
        close: "结案", archive: "归档", "mark-false-alarm": "标记误报"
      },
      categories: {
        FIRE: "火警", EMERGENCY: "紧急", MEDICAL: "医疗", INTRUSION: "入侵", UNKNOWN_CODE: "未知代码",
        TAMPER: "防拆", VIDEO_FAULT: "视频故障", COMMUNICATION: "通信故障", DEVICE_FAULT: "设备故障",
        BYPASS: "旁路", OPEN_CLOSE: "布撤防", ACCESS: "门禁", TEST: "测试", OTHER: "其他"
      }
    },
    en: {
      title: "Alarm receiving centre", username: "User name", password: "Password", login: "Log in", language: "中文",
      queue: "Alarm queue", devices: "Devices", stats: "Quality", soundOff: "Sound is OFF", soundOn: "Sound is on",
      enableSound: "Enable sound (once per shift)", logout: "Log out", priority: "Priority", category: "Category",
      customer: "Customer", account: "Account", zone: "Zone", state: "State", received: "Received", sla: "Time limit",
      noCases: "No open alarms", back: "Back to queue", actionPlan: "Action plan", steps: "Steps",
      slaTitle: "Time limits (GA 1383)", device: "Device", online: "Online", lastContact: "Last contact",
      link: "Link", from: "From", to: "To", show: "Show", yes: "yes", no: "no", offline: "offline",
      connected: "connected", disconnected: "disconnected", site: "Site", code: "Code", description: "Description",
      transport: "Transport", drill: "DRILL", keyCustomer: "key customer", method: "Method", result: "Result",
      cause: "Cause", loginFailed: "Login failed", unknownAccount: "unknown account",
      actions: {
        take: "Take", "verify-start": "Start verification", verify: "Verify", forward: "Forward", "confirm-forward": "Confirm receipt", dispatch: "Dispatch",
        depart: "Departed", arrive: "Arrived", report: "On-site report", "reset-device": "Reset device",
        "notify-client": "Notify client", close: "Close", archive: "Archive", "mark-false-alarm": "Mark false alarm"
      },
      categories: {
        FIRE: "Fire", EMERGENCY: "Emergency", MEDICAL: "Medical", INTRUSION: "Intrusion", UNKNOWN_CODE: "Unknown code",
        TAMPER: "Tamper", VIDEO_FAULT: "Video fault", COMMUNICATION: "Communication", DEVICE_FAULT: "Device fault",
        BYPASS: "Bypass", OPEN_CLOSE: "Open/close", ACCESS: "Access", TEST: "Test", OTHER: "Other"
      }
    }
  };

  var lang = localStorage.getItem("arc4j.lang") || (navigator.language && navigator.language.indexOf("zh") === 0 ? "zh" : "en");
  var token = sessionStorage.getItem("arc4j.token");
  var cases = {};          // id -> case summary
  var currentCase = null;
  var ws = null;
  var audio = null;        // AudioContext, created by the operator's click
  var confirmed = {};      // case ids whose display this console has confirmed

  function t(key) { return I18N[lang][key] || key; }
  function $(sel) { return document.querySelector(sel); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function fmtTime(iso) { return iso ? new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB") : "—"; }

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach(function (n) { n.textContent = t(n.getAttribute("data-i18n")); });
    showSoundState();
    renderQueue();
    if (currentCase) { openCase(currentCase); }
  }

  function api(method, path, body) {
    var opts = { method: method, headers: {} };
    if (token) { opts.headers.Authorization = "Bearer " + token; }
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(path, opts).then(function (r) {
      return r.text().then(function (txt) {
        var data = txt ? JSON.parse(txt) : {};
        if (r.status === 401 && path !== "/api/login") { logout(); }
        if (!r.ok) { var e = new Error(data.error || r.statusText); e.status = r.status; throw e; }
        return data;
      });
    });
  }

  // ---- sound and light (GA 1383 声光报警提示) ----
  function soundOn() { return audio !== null && audio.state === "running"; }
  function showSoundState() {
    var s = $("#sound-state");
    s.textContent = soundOn() ? t("soundOn") : t("soundOff");
    s.className = "sound " + (soundOn() ? "on" : "off");
    s.setAttribute("data-sound", soundOn() ? "on" : "off");
    $("#enable-sound").hidden = soundOn();
  }
  function enableSound() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      audio.resume().then(function () {
        localStorage.setItem("arc4j.soundShift", String(Date.now()));
        showSoundState();
      });
    } catch (e) { showSoundState(); }
  }
  function alarmSignal() {
    var f = $("#flash");
    f.hidden = false;
    setTimeout(function () { f.hidden = true; }, 3000);
    if (!soundOn()) { return false; }
    var now = audio.currentTime;
    for (var i = 0; i < 3; i++) {
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = i % 2 ? 880 : 1320;
      g.gain.value = 0.2;
      o.connect(g); g.connect(audio.destination);
      o.start(now + i * 0.4); o.stop(now + i * 0.4 + 0.3);
    }
    return true;
  }

  // ---- queue ----
  function queueOrder(a, b) {
    if (a.priority !== b.priority) { return a.priority - b.priority; }
    if (!!a.keyCustomer !== !!b.keyCustomer) { return a.keyCustomer ? -1 : 1; }
    return a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0;
  }
  function slaText(c) {
    if (!c.sla) { return ""; }
    if (c.sla.breached) { return "⚠ " + c.sla.step; }
    var left = Math.round((new Date(c.sla.deadline).getTime() - Date.now()) / 1000);
    return c.sla.step + " " + (left >= 0 ? left + " s" : "⚠");
  }
  function renderQueue() {
    var body = $("#queue-table tbody");
    body.textContent = "";
    var open = Object.keys(cases).map(function (k) { return cases[k]; })
      .filter(function (c) { return c.state !== "CLOSED" && c.state !== "ARCHIVED"; }).sort(queueOrder);
    $("#queue-empty").hidden = open.length > 0;
    open.forEach(function (c) {
      var tr = el("tr", null, "case p" + c.priority + (c.presentedAt ? "" : " unpresented") + (c.sla && c.sla.breached ? " breached" : ""));
      tr.setAttribute("data-case-id", c.id);
      tr.setAttribute("data-state", c.state);
      tr.appendChild(el("td", String(c.priority)));
      tr.appendChild(el("td", (I18N[lang].categories[c.category] || c.category) + (c.drill ? " [" + t("drill") + "]" : "")));
      tr.appendChild(el("td", (c.customer || (c.flag ? "⚠ " + t("unknownAccount") : "?")) + (c.keyCustomer ? " ★" : ""),
        c.flag ? "flag" : null));
      tr.appendChild(el("td", c.account || ""));
      tr.appendChild(el("td", (c.zone || "") + (c.zoneName ? " " + c.zoneName : "")));
      tr.appendChild(el("td", c.state));
      tr.appendChild(el("td", fmtTime(c.receivedAt)));
      tr.appendChild(el("td", slaText(c), "sla"));
      tr.addEventListener("click", function () { openCase(c.id); });
      body.appendChild(tr);
    });
  }
  function caseArrived(c) {
    var isNew = !cases[c.id];
    cases[c.id] = c;
    renderQueue();
    if (!c.presentedAt && !confirmed[c.id] && c.state !== "CLOSED" && c.state !== "ARCHIVED") {
      // the prompt is on screen (row, flash, sound): confirm the display, which ends the GA 1383 response time
      confirmed[c.id] = true;
      var sounded = alarmSignal();
      api("POST", "/api/cases/" + encodeURIComponent(c.id) + "/displayed", { sound: sounded })
        .catch(function () { delete confirmed[c.id]; });
    }
    if (currentCase === c.id && !isNew) { openCase(c.id); }
  }
  function loadQueue() {
    return api("GET", "/api/cases").then(function (d) {
      cases = {};
      (d.cases || []).forEach(caseArrived);
      renderQueue();
    });
  }

  // ---- case detail ----
  function openCase(id) {
    currentCase = id;
    $("#case-view").setAttribute("data-case-id", id); // the screen recorder names the case on screen
    api("GET", "/api/cases/" + encodeURIComponent(id)).then(renderCase).catch(function (e) {
      $("#action-error").textContent = e.message;
    });
    show("case");
  }
  function renderCase(c) {
    $("#case-title").textContent = (I18N[lang].categories[c.category] || c.category) + " · "
      + (c.customer ? c.customer.name : (c.flag ? "⚠ " + t("unknownAccount") : "?"))
      + (c.drill ? " [" + t("drill") + "]" : "");
    var facts = $("#case-facts");
    facts.textContent = "";
    function fact(k, v) { facts.appendChild(el("dt", t(k))); facts.appendChild(el("dd", v === undefined || v === null ? "—" : String(v))); }
    fact("state", c.state);
    fact("account", c.account);
    fact("zone", (c.zone || "") + (c.zoneName ? " " + c.zoneName : ""));
    fact("site", c.site ? (c.site.name + " — " + (c.site.address || "")) : null);
    fact("code", c.code);
    fact("description", c.description);
    fact("transport", c.transport);
    fact("received", fmtTime(c.receivedAt));
    var plan = $("#case-plan");
    plan.textContent = "";
    (c.actionPlan || []).forEach(function (s) { plan.appendChild(el("li", s)); });
    var steps = $("#case-steps tbody");
    steps.textContent = "";
    (c.steps || []).forEach(function (s) {
      var tr = el("tr");
      tr.appendChild(el("td", s.step)); tr.appendChild(el("td", fmtTime(s.at))); tr.appendChild(el("td", s.by || ""));
      steps.appendChild(tr);
    });
    var sla = $("#case-sla tbody");
    sla.textContent = "";
    (c.sla || []).forEach(function (s) {
      var tr = el("tr");
      tr.appendChild(el("td", s.step));
      tr.appendChild(el("td", s.limitSeconds + " s"));
      var measured = s.measuredSeconds !== undefined && s.measuredSeconds !== null ? s.measuredSeconds + " s"
        : s.deadline ? Math.round((new Date(s.deadline).getTime() - Date.now()) / 1000) + " s ⏱" : "";
      tr.appendChild(el("td", measured));
      tr.appendChild(el("td", s.status, "status-" + s.status));
      sla.appendChild(tr);
    });
    var img = $("#site-plan"), marker = $("#site-marker");
    $("#site-map").hidden = !(c.site && c.site.planImage);
    if (c.site && c.site.planImage) {
      img.src = c.site.planImage;
      img.hidden = false;
      if (c.zonePosition) {
        marker.style.left = (c.zonePosition.x * 100) + "%";
        marker.style.top = (c.zonePosition.y * 100) + "%";
        marker.hidden = false;
      } else { marker.hidden = true; }
    } else { img.hidden = true; marker.hidden = true; }
    renderActions(c);
    document.dispatchEvent(new CustomEvent("arc4j:case", { detail: c })); // video.js: the case's cameras
  }
  function select(name, options) {
    var s = el("select");
    s.name = name;
    options.forEach(function (o) { var op = el("option", o); op.value = o; s.appendChild(op); });
    return s;
  }
  function renderActions(c) {
    var box = $("#case-actions");
    box.textContent = "";
    $("#action-error").textContent = "";
    (c.allowedActions || []).forEach(function (a) {
      var form = el("form");
      form.setAttribute("data-action", a);
      var fields = {};
      if (a === "verify-start") { fields.method = select("method", ["video", "picture", "audio", "phone"]); }
      if (a === "verify") {
        fields.method = select("method", ["video", "audio", "picture", "phone", "guard"]);
        fields.result = select("result", ["real", "false", "test", "unknown"]);
      }
      if (a === "close") { fields.result = select("result", ["real", "false", "test", "unknown"]); }
      if (a === "verify" || a === "close" || a === "reset-device" || a === "mark-false-alarm") {
        fields.cause = el("input"); fields.cause.name = "cause"; fields.cause.placeholder = t("cause");
      }
      Object.keys(fields).forEach(function (k) { form.appendChild(fields[k]); });
      var b = el("button", I18N[lang].actions[a] || a);
      b.type = "submit";
      b.setAttribute("data-action", a);
      form.appendChild(b);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var body = { action: a };
        Object.keys(fields).forEach(function (k) { if (fields[k].value) { body[k] = fields[k].value; } });
        api("POST", "/api/cases/" + encodeURIComponent(c.id) + "/actions", body)
          .then(function (updated) { renderCase(updated); })
          .catch(function (e) { $("#action-error").textContent = e.message; });
      });
      box.appendChild(form);
    });
  }

  // ---- devices and statistics ----
  function loadDevices() {
    api("GET", "/api/devices").then(function (d) {
      var body = $("#devices-table tbody");
      body.textContent = "";
      (d.devices || []).forEach(function (x) {
        var tr = el("tr", null, x.online ? "" : "offline");
        tr.setAttribute("data-device", x.device);
        tr.appendChild(el("td", x.device));
        tr.appendChild(el("td", x.online ? t("yes") : t("offline")));
        tr.appendChild(el("td", fmtTime(x.lastContact)));
        tr.appendChild(el("td", x.link || ""));
        body.appendChild(tr);
      });
    });
  }
  function loadStats(ev) {
    if (ev) { ev.preventDefault(); }
    var q = [];
    if ($("#stats-from").value) { q.push("from=" + $("#stats-from").value + "T00:00:00Z"); }
    if ($("#stats-to").value) { q.push("to=" + $("#stats-to").value + "T23:59:59Z"); }
    api("GET", "/api/stats" + (q.length ? "?" + q.join("&") : "")).then(function (d) {
      var dl = $("#stats-list");
      dl.textContent = "";
      Object.keys(d).forEach(function (k) {
        dl.appendChild(el("dt", k));
        dl.appendChild(el("dd", typeof d[k] === "object" ? JSON.stringify(d[k]) : String(d[k])));
      });
    });
  }

  // ---- views, login, live updates ----
  function show(name) {
    ["queue", "case", "devices", "stats"].forEach(function (v) { $("#" + v + "-view").hidden = v !== name; });
    if (name !== "case") { currentCase = null; }
    if (name === "devices") { loadDevices(); }
    if (name === "stats") { loadStats(); }
  }
  function connect() {
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(proto + "//" + location.host + "/ws?token=" + encodeURIComponent(token));
    ws.onopen = function () { $("#connection").className = "conn up"; $("#connection").textContent = t("connected"); loadQueue(); };
    ws.onclose = function () {
      $("#connection").className = "conn down";
      $("#connection").textContent = t("disconnected");
      if (token) { setTimeout(connect, 2000); }
    };
    ws.onmessage = function (m) {
      var msg = JSON.parse(m.data);
      if (msg.type === "case") { caseArrived(msg["case"]); }
      if (msg.type === "device" && !$("#devices-view").hidden) { loadDevices(); }
      document.dispatchEvent(new CustomEvent("arc4j:push", { detail: msg })); // video.js, emap.js
    };
  }
  function startApp(user) {
    $("#login-view").hidden = true;
    $("#app-view").hidden = false;
    $("#whoami").textContent = user ? user.name + " (" + user.role + ")" : "";
    showSoundState();
    show("queue");
    connect();
  }
  function logout() {
    if (token) { fetch("/api/logout", { method: "POST", headers: { Authorization: "Bearer " + token } }).catch(function () {}); }
    token = null;
    sessionStorage.removeItem("arc4j.token");
    if (ws) { ws.close(); }
    $("#app-view").hidden = true;
    $("#login-view").hidden = false;
  }

  window.arc4jOpenCase = openCase; // the e-map's alarm pop-up opens its case
  document.addEventListener("DOMContentLoaded", function () {
    applyLanguage();
    document.querySelectorAll(".lang-toggle").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        lang = lang === "zh" ? "en" : "zh";
        localStorage.setItem("arc4j.lang", lang);
        applyLanguage();
      });
    });
    $("#login-form").addEventListener("submit", function (e) {
      e.preventDefault();
      api("POST", "/api/login", { username: $("#username").value, password: $("#password").value })
        .then(function (d) {
          token = d.token;
          sessionStorage.setItem("arc4j.token", token);
          $("#password").value = "";
          startApp(d.user);
        })
        .catch(function (err) { $("#login-error").textContent = t("loginFailed") + ": " + err.message; });
    });
    $("#enable-sound").addEventListener("click", enableSound);
    $("#logout").addEventListener("click", logout);
    $("#back").addEventListener("click", function () { show("queue"); });
    $("#stats-form").addEventListener("submit", loadStats);
    document.querySelectorAll("nav a").forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); show(a.getAttribute("data-view")); });
    });
    setInterval(function () { if (!$("#queue-view").hidden) { renderQueue(); } }, 1000);
    if (token) { api("GET", "/api/me").then(function (d) { startApp(d.user); }).catch(logout); }
  });
})();
