// The administration pages (GA 1383 系统管理): customers, users, audit log, compliance report, rules. Plain browser
// JavaScript like the console's app.js; the session token is the console's (sessionStorage "arc4j.token").
(function () {
  "use strict";
  var token = sessionStorage.getItem("arc4j.token");

  var A = window.Arc4jAdmin; // admin-common.js: the helpers admin-ops.js uses too
  var $ = A.$, el = A.el, row = A.row, api = A.api;
  A.onUnauthorized = function () { showLogin(); };

  function download(path, name) {
    A.download(path, name, function (e) { $("#admin-error").textContent = e.message; });
  }

  function showLogin() {
    token = null;
    sessionStorage.removeItem("arc4j.token");
    $("#admin-app").hidden = true;
    $("#admin-login").hidden = false;
  }

  function showTab(name) {
    document.querySelectorAll(".tab").forEach(function (t) { t.hidden = t.id !== "tab-" + name; });
    document.querySelectorAll("#admin-nav a").forEach(function (a) {
      a.classList.toggle("active", a.getAttribute("data-tab") === name);
    });
    $("#admin-error").textContent = "";
    if (name === "customers") { loadCustomers(); }
    if (name === "users") { loadUsers(); }
    if (name === "audit") { loadAudit(); }
    if (name === "reports") { loadReport(); }
    if (name === "rules") { loadRules(); }
    // tabs of admin-ops.js (accounts, work orders) load themselves
    document.dispatchEvent(new CustomEvent("admin-tab", { detail: name }));
  }

  // ---- forwarding and linkage rules, action plans (事件转发设置, 事件联动设置, 报警处置预案) ----
  function loadRules() {
    api("GET", "/api/admin/rules").then(function (d) {
      var body = $("#rules-table tbody");
      body.textContent = "";
      d.rules.forEach(function (r) {
        var del = el("button", "删除 · Delete", "delete-rule");
        del.type = "button";
        del.addEventListener("click", function () {
          api("DELETE", "/api/admin/rules/" + encodeURIComponent(r.name)).then(loadRules)
            .catch(function (e) { $("#rule-error").textContent = e.message; });
        });
        var what = r.type === "forwarding" ? r.recipient + " (" + r.channel + (r.police ? ", police" : "") + ")"
          : (r.actions || []).join(", ");
        var tr = row([r.name, r.type, r.categories.join(", "), what, del]);
        tr.setAttribute("data-rule", r.name);
        body.appendChild(tr);
      });
    }).catch(function (e) { $("#admin-error").textContent = e.message; });
    api("GET", "/api/admin/action-plans").then(function (d) {
      var body = $("#plans-table tbody");
      body.textContent = "";
      d.actionPlans.forEach(function (p) {
        body.appendChild(row([p.name, p.categories.join(", "), p.severity || "", p.steps.join(" → ")]));
      });
    }).catch(function (e) { $("#admin-error").textContent = e.message; });
  }

  function saveRule(ev) {
    ev.preventDefault();
    var f = $("#rule-form");
    function value(n) { return f.querySelector("[name=" + n + "]").value.trim(); }
    $("#rule-error").textContent = "";
    if (!value("name")) { $("#rule-error").textContent = "name: is required"; return; }
    var body = {
      type: "forwarding", recipient: value("recipient"), channel: value("channel"),
      police: f.querySelector("[name=police]").checked,
      categories: value("categories").split(",").map(function (c) { return c.trim(); })
        .filter(function (c) { return c; })
    };
    api("PUT", "/api/admin/rules/" + encodeURIComponent(value("name")), body)
      .then(function () { f.reset(); loadRules(); })
      .catch(function (e) { $("#rule-error").textContent = e.message; });
  }

  // ---- customers ----
  function loadCustomers() {
    api("GET", "/api/admin/customers").then(function (d) {
      var body = $("#customers-table tbody");
      body.textContent = "";
      d.customers.forEach(function (c) {
        var edit = el("button", "修改 · Edit");
        edit.type = "button";
        edit.className = "edit-customer";
        edit.addEventListener("click", function () { fillCustomer(c); });
        var del = el("button", "删除 · Delete");
        del.type = "button";
        del.className = "delete-customer";
        del.addEventListener("click", function () {
          if (!window.confirm("删除客户 / Delete customer " + c.id + "?")) { return; }
          api("DELETE", "/api/admin/customers/" + encodeURIComponent(c.id)).then(loadCustomers)
            .catch(function (e) { $("#customer-error").textContent = e.message; });
        });
        var actions = el("span");
        actions.appendChild(edit);
        actions.appendChild(del);
        var tr = row([c.id, c.name, c.type, c.address, c.keyCustomer ? "★" : "", actions]);
        tr.setAttribute("data-customer-id", c.id);
        body.appendChild(tr);
      });
    }).catch(function (e) { $("#admin-error").textContent = e.message; });
  }
  function fillCustomer(c) {
    var f = $("#customer-form");
    f.elements.id.value = c.id;
    f.elements.id.readOnly = true;
    f.elements.name.value = c.name || "";
    f.elements.type.value = c.type || "other";
    f.elements.address.value = c.address || "";
    f.elements.keyCustomer.checked = !!c.keyCustomer;
  }
  function saveCustomer(e) {
    e.preventDefault();
    var f = $("#customer-form");
    Array.prototype.forEach.call(f.elements, function (x) { x.classList.remove("invalid"); });
    $("#customer-error").textContent = "";
    var body = { id: f.elements.id.value, name: f.elements.name.value, type: f.elements.type.value,
      address: f.elements.address.value, keyCustomer: f.elements.keyCustomer.checked };
    var editing = f.elements.id.readOnly;
    var call = editing ? api("PUT", "/api/admin/customers/" + encodeURIComponent(body.id), body)
      : api("POST", "/api/admin/customers", body);
    call.then(function () {
      f.reset();
      f.elements.id.readOnly = false;
      loadCustomers();
    }).catch(function (err) {
      $("#customer-error").textContent = err.message;
      if (err.field && f.elements[err.field]) { f.elements[err.field].classList.add("invalid"); }
    });
  }

  // ---- users ----
  var ROLES = ["operator", "maintenance", "guard", "supervisor", "admin", "police", "customer"];
  function loadUsers() {
    api("GET", "/api/users").then(function (d) {
      var body = $("#users-table tbody");
      body.textContent = "";
      d.users.forEach(function (u) {
        var sel = el("select");
        sel.className = "user-role";
        ROLES.forEach(function (r) { var o = el("option", r); o.value = r; sel.appendChild(o); });
        sel.value = u.role;
        sel.addEventListener("change", function () { changeUser(u.name, { role: sel.value }); });
        var toggle = el("button", u.enabled ? "停用 · Disable" : "启用 · Enable");
        toggle.type = "button";
        toggle.className = "user-toggle";
        toggle.addEventListener("click", function () { changeUser(u.name, { enabled: !u.enabled }); });
        var tr = row([u.name, sel, u.enabled ? "enabled" : "disabled", toggle]);
        tr.setAttribute("data-user", u.name);
        body.appendChild(tr);
      });
    }).catch(function (e) { $("#admin-error").textContent = e.message; });
  }
  function changeUser(name, change) {
    $("#users-error").textContent = "";
    api("PUT", "/api/users/" + encodeURIComponent(name), change).then(loadUsers)
      .catch(function (e) { $("#users-error").textContent = e.message; loadUsers(); });
  }

  // ---- audit ----
  function auditQuery() {
    var f = $("#audit-form");
    var q = [];
    if (f.elements.actor.value) { q.push("actor=" + encodeURIComponent(f.elements.actor.value)); }
    if (f.elements.action.value) { q.push("action=" + encodeURIComponent(f.elements.action.value)); }
    return q.length ? "?" + q.join("&") : "";
  }
  function loadAudit(e) {
    if (e) { e.preventDefault(); }
    api("GET", "/api/audit" + auditQuery()).then(function (d) {
      var body = $("#audit-table tbody");
      body.textContent = "";
      d.entries.forEach(function (x) {
        var details = Object.keys(x.details).map(function (k) { return k + "=" + x.details[k]; }).join(", ");
        var tr = row([new Date(x.at).toLocaleString(), x.actor, x.action, x.target, details]);
        tr.lastChild.className = "details";
        body.appendChild(tr);
      });
    }).catch(function (err) { $("#admin-error").textContent = err.message; });
  }

  // ---- compliance report ----
  function period() {
    var f = $("#report-form");
    var q = [];
    if (f.elements.from.value) { q.push("from=" + f.elements.from.value); }
    if (f.elements.to.value) { q.push("to=" + f.elements.to.value); }
    return q.length ? "?" + q.join("&") : "";
  }
  function loadReport(e) {
    if (e) { e.preventDefault(); }
    api("GET", "/api/compliance" + period()).then(function (d) {
      var body = $("#compliance-table tbody");
      body.textContent = "";
      d.rows.forEach(function (r) {
        var verdict = el("span", r.status, "status-" + r.status);
        var tr = row([r.requirement, verdict, r.count || "", r.count ? r.withinLimit : "",
          r.worstMs === null ? "" : (r.worstMs / 1000).toFixed(3) + " s", r.breaches.join(" "), r.evidence]);
        tr.setAttribute("data-row", r.id);
        tr.setAttribute("data-status", r.status);
        body.appendChild(tr);
      });
    }).catch(function (err) { $("#admin-error").textContent = err.message; });
  }

  function injectDrill(e) {
    e.preventDefault();
    var f = $("#drill-form");
    $("#drill-result").textContent = "";
    api("POST", "/api/drills", { account: f.elements.account.value, category: f.elements.category.value })
      .then(function (d) { $("#drill-result").textContent = "演练已注入 · drill injected: " + d.eventId; })
      .catch(function (err) { $("#drill-result").textContent = err.message; });
  }

  function startApp() {
    api("GET", "/api/me").then(function (d) {
      $("#admin-login").hidden = true;
      $("#admin-app").hidden = false;
      $("#admin-whoami").textContent = d.user && d.user.name ? d.user.name : "";
      showTab((location.hash || "#customers").substring(1));
    }).catch(showLogin);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("#admin-login-form").addEventListener("submit", function (e) {
      e.preventDefault();
      api("POST", "/api/login", { username: $("#admin-username").value, password: $("#admin-password").value })
        .then(function (d) {
          token = d.token;
          sessionStorage.setItem("arc4j.token", token);
          $("#admin-password").value = "";
          startApp();
        })
        .catch(function (err) { $("#admin-login-error").textContent = err.message; });
    });
    document.querySelectorAll("#admin-nav a").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        history.replaceState(null, "", "#" + a.getAttribute("data-tab"));
        showTab(a.getAttribute("data-tab"));
      });
    });
    $("#customer-form").addEventListener("submit", saveCustomer);
    $("#audit-form").addEventListener("submit", loadAudit);
    $("#audit-csv").addEventListener("click", function () { download("/api/reports/audit.csv" + auditQuery(), "audit.csv"); });
    $("#report-form").addEventListener("submit", loadReport);
    $("#drill-form").addEventListener("submit", injectDrill);
    $("#rule-form").addEventListener("submit", saveRule);
    $("#report-csv").addEventListener("click", function () { download("/api/reports/compliance.csv" + period(), "compliance.csv"); });
    $("#report-pdf").addEventListener("click", function () { download("/api/reports/compliance.pdf" + period(), "compliance.pdf"); });
    if (token) { startApp(); } else { showLogin(); }
  });
})();
