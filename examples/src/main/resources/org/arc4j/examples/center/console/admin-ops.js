// The administration pages' operations tabs (GA 1383 系统管理, 硬件设备维护): panel accounts and maintenance work
// orders. Loaded after admin-common.js (its helpers) and beside admin.js, which tells it when one of its tabs is shown (the "admin-tab" event); the session
// token is the console's (sessionStorage "arc4j.token").
(function () {
  "use strict";

  var A = window.Arc4jAdmin; // admin-common.js
  var $ = A.$, el = A.el, row = A.row, button = A.button, api = A.api, refused = A.refused, clear = A.clear;

  // ---- panel accounts (用户信息管理: 报警账号) ----
  function loadAccounts() {
    api("GET", "/api/admin/accounts").then(function (d) {
      var body = $("#accounts-table tbody");
      body.textContent = "";
      d.accounts.forEach(function (a) {
        var del = button("删除 · Delete", "delete-account", function () {
          if (!window.confirm("删除账号 / Delete account " + a.account + "?")) { return; }
          api("DELETE", "/api/admin/accounts/" + encodeURIComponent(a.account)).then(loadAccounts)
            .catch(function (e) { $("#account-error").textContent = e.message; });
        });
        var tr = row([a.account, a.receiver || "*", a.line || "*", a.customer, a.site, a.transport,
          a.pollInterval || "", del]);
        tr.setAttribute("data-account", a.account);
        body.appendChild(tr);
      });
    }).catch(function (e) { $("#account-error").textContent = e.message; });
  }
  function saveAccount(ev) {
    ev.preventDefault();
    var f = $("#account-form");
    var out = $("#account-error");
    clear(f, out);
    var number = f.elements.account.value.trim();
    if (!number) { refused(f, out, { field: "account", message: "is required" }); return; }
    var body = { transport: f.elements.transport.value };
    if (f.elements.customer.value.trim()) { body.customer = { id: f.elements.customer.value.trim() }; }
    if (f.elements.site.value.trim()) { body.site = { id: f.elements.site.value.trim() }; }
    if (f.elements.pollInterval.value.trim()) { body.pollInterval = f.elements.pollInterval.value.trim(); }
    api("PUT", "/api/admin/accounts/" + encodeURIComponent(number), body)
      .then(function () { f.reset(); loadAccounts(); })
      .catch(function (e) { refused(f, out, e); });
  }

  // ---- maintenance work orders (硬件设备维护: 前端 24 h, 平台 12 h, 抽检 20 % / 10 %) ----
  function loadWorkOrders() {
    api("GET", "/api/admin/work-orders").then(function (d) {
      var body = $("#work-orders-table tbody");
      body.textContent = "";
      d.workOrders.forEach(function (o) {
        var state;
        if (o.closedAt) {
          state = el("span", "closed " + new Date(o.closedAt).toLocaleString()
            + (o.withinLimit === undefined ? "" : o.withinLimit ? " ✓" : " ✗ late"), o.withinLimit === false ? "late" : "");
        } else if (o.kind === "sampling") {
          state = el("span", "sample: " + (o.sample || []).join(", "));
        } else {
          var note = el("input");
          note.name = "note";
          note.placeholder = "处理结果 · what was done";
          var close = button("关闭 · Close", "close-work-order", function () {
            $("#work-order-error").textContent = "";
            api("POST", "/api/admin/work-orders/" + encodeURIComponent(o.id) + "/close", { note: note.value })
              .then(loadWorkOrders)
              .catch(function (e) { $("#work-order-error").textContent = (e.field ? e.field + ": " : "") + e.message; });
          });
          state = el("span", o.overdue ? "逾期 · overdue " : "open ", o.overdue ? "late" : "");
          state.appendChild(note);
          state.appendChild(close);
        }
        var tr = row([o.id, o.kind, o.device || o.basis || "", o.reportedAt ? new Date(o.reportedAt).toLocaleString() : "",
          o.limitHours ? o.limitHours + " h" : "", o.description || o.classification || "", state]);
        tr.setAttribute("data-work-order", o.id);
        if (o.overdue) { tr.setAttribute("data-overdue", "true"); }
        body.appendChild(tr);
      });
    }).catch(function (e) { $("#work-order-error").textContent = e.message; });
  }
  function openWorkOrder(ev) {
    ev.preventDefault();
    var f = $("#work-order-form");
    var out = $("#work-order-error");
    clear(f, out);
    var body = { kind: f.elements.kind.value };
    if (body.kind === "sampling") {
      body.basis = "repairs";
    } else {
      body.device = f.elements.device.value.trim();
    }
    if (f.elements.description.value.trim()) { body.description = f.elements.description.value.trim(); }
    api("POST", "/api/admin/work-orders", body)
      .then(function () { f.reset(); loadWorkOrders(); })
      .catch(function (e) { refused(f, out, e); });
  }

  document.addEventListener("admin-tab", function (e) {
    if (e.detail === "accounts") { loadAccounts(); }
    if (e.detail === "work-orders") { loadWorkOrders(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    $("#account-form").addEventListener("submit", saveAccount);
    $("#work-order-form").addEventListener("submit", openWorkOrder);
  });
})();
