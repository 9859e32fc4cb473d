// What the administration pages' scripts share (admin.js, admin-ops.js): DOM helpers, the API call with the
// console's session token (sessionStorage "arc4j.token"), file downloads, and a refused form field marked. Loaded
// first; it defines window.Arc4jAdmin only.
(function () {
  "use strict";

  function $(sel) { return document.querySelector(sel); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function row(cells) {
    var tr = el("tr");
    cells.forEach(function (c) {
      var td = el("td");
      if (c instanceof Node) { td.appendChild(c); } else { td.textContent = c === null || c === undefined ? "" : String(c); }
      tr.appendChild(td);
    });
    return tr;
  }
  function button(text, cls, onClick) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  var shared = {};

  /** A JSON call; a refusal rejects with an Error carrying the status and the field the API named. */
  function api(method, path, body) {
    var token = sessionStorage.getItem("arc4j.token");
    var opts = { method: method, headers: {} };
    if (token) { opts.headers.Authorization = "Bearer " + token; }
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(path, opts).then(function (r) {
      return r.text().then(function (txt) {
        var data = txt ? JSON.parse(txt) : {};
        if (r.status === 401 && path !== "/api/login" && shared.onUnauthorized) { shared.onUnauthorized(); }
        if (!r.ok) { var e = new Error(data.error || r.statusText); e.status = r.status; e.field = data.field; throw e; }
        return data;
      });
    });
  }

  /** A file from the API (the bearer token cannot ride on a plain link): fetched, then saved by the browser. */
  function download(path, name, onError) {
    fetch(path, { headers: { Authorization: "Bearer " + sessionStorage.getItem("arc4j.token") } }).then(function (r) {
      if (!r.ok) { throw new Error(r.statusText); }
      return r.blob();
    }).then(function (blob) {
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }).catch(function (e) { if (onError) { onError(e); } });
  }

  /** Shows a refusal under a form, the field it names marked (the API's 400 names it, e.g. "customer.id"). */
  function refused(form, out, err) {
    out.textContent = err.field ? err.field + ": " + err.message : err.message;
    var name = err.field ? err.field.replace(/\..*$/, "") : null;
    var input = name ? form.querySelector("[name='" + name + "']") : null;
    if (input) { input.classList.add("invalid"); }
  }
  function clear(form, out) {
    out.textContent = "";
    Array.prototype.forEach.call(form.elements, function (x) { x.classList.remove("invalid"); });
  }

  shared.$ = $;
  shared.el = el;
  shared.row = row;
  shared.button = button;
  shared.api = api;
  shared.download = download;
  shared.refused = refused;
  shared.clear = clear;
  // set by admin.js: what a 401 does (back to the login form)
  shared.onUnauthorized = null;
  window.Arc4jAdmin = shared;
})();
