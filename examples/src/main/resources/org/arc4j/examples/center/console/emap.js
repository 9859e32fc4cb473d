// arc4j console: the e-map (GA 1383 电子地图). Each site's plan with its zones and cameras; a marker turns red while an
// open case concerns it, and a new alarm pops up on its site's plan. A camera marker opens its live video. The
// overview shows every site on one map. In edit mode (电子地图管理) a supervisor uploads plans and drags markers,
// then saves their positions.
(function () {
  "use strict";

  var zh = (localStorage.getItem("arc4j.lang") || navigator.language || "").indexOf("zh") === 0;
  function t(zhText, enText) { return zh ? zhText : enText; }
  function $(sel) { return document.querySelector(sel); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function api(path) {
    return fetch(path, { headers: { Authorization: "Bearer " + sessionStorage.getItem("arc4j.token") } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); });
  }

  var sites = [];
  var overview = { planImage: null, sites: [] };
  var openCases = {};   // id -> case summary, open ones only
  var current = null;   // the site shown ({id: "overview"} for the map of all sites)
  var moved = {};       // marker key ("camera:cam1") -> {x, y}, dragged and not yet saved
  var OVERVIEW = "overview";

  function isOpen(c) { return c.state !== "CLOSED" && c.state !== "ARCHIVED"; }

  function load() {
    return Promise.all([api("/api/video/emap"), api("/api/cases")]).then(function (r) {
      sites = r[0].sites;
      overview = r[0].overview || overview;
      openCases = {};
      (r[1].cases || []).forEach(function (c) { if (isOpen(c)) { openCases[c.id] = c; } });
      var sel = $("#emap-site");
      var keep = sel.value;
      sel.textContent = "";
      var all = el("option", t("全部地点", "All sites"));
      all.value = OVERVIEW;
      sel.appendChild(all);
      sites.forEach(function (s) {
        var o = el("option", s.name + (s.customer ? " · " + s.customer : ""));
        o.value = s.id;
        sel.appendChild(o);
      });
      if (keep) { sel.value = keep; }
      render(keep || (sites[0] && sites[0].id));
    });
  }

  function alarmsAt(siteId) {
    return Object.keys(openCases).map(function (k) { return openCases[k]; })
      .filter(function (c) { return c.siteId === siteId; });
  }

  function clear() {
    var map = $("#emap-map");
    map.querySelectorAll(".emap-marker, .emap-label").forEach(function (m) { m.remove(); });
    moved = {};
    $("#emap-status").textContent = "";
  }

  function popup(alarms) {
    var pop = $("#emap-popup");
    pop.hidden = alarms.length === 0;
    pop.textContent = "";
    alarms.forEach(function (c) {
      var a = el("a", "⚠ " + c.category + " · " + (c.zoneName || c.zone || c.account) + " · "
        + new Date(c.receivedAt).toLocaleTimeString(), "emap-alarm");
      a.href = "#case";
      a.dataset.caseId = c.id;
      a.addEventListener("click", function (e) {
        e.preventDefault();
        $("#emap-view").hidden = true;
        if (window.arc4jOpenCase) { window.arc4jOpenCase(c.id); }
      });
      pop.appendChild(a);
    });
  }

  // every site on one map: a site with an open case is red; click one to open its plan
  function renderOverview() {
    current = { id: OVERVIEW };
    clear();
    $("#emap-site").value = OVERVIEW;
    var img = $("#emap-image");
    img.hidden = !overview.planImage;
    if (overview.planImage) { img.src = overview.planImage; }
    var all = [];
    overview.sites.forEach(function (s, i) {
      var alarms = alarmsAt(s.id);
      all = all.concat(alarms);
      var m = marker("site", s.name, s, i, alarms.length > 0, "site:" + s.id);
      m.dataset.site = s.id;
      m.addEventListener("click", function () { if (!editing()) { render(s.id); } });
    });
    popup(all);
  }

  function render(siteId) {
    if (siteId === OVERVIEW) { renderOverview(); return; }
    var s = sites.filter(function (x) { return x.id === siteId; })[0];
    current = s || null;
    clear();
    if (!s) { return; }
    $("#emap-site").value = s.id;
    var img = $("#emap-image");
    img.hidden = !s.planImage;
    if (s.planImage) { img.src = s.planImage; }
    var alarms = alarmsAt(s.id);
    var unplaced = 0;
    function fromCamera(c) {
      return s.cameras.filter(function (k) { return k.id === c.account; })[0];
    }
    s.zones.forEach(function (z) {
      // a zone is in alarm when a case names it, or comes from a camera watching it
      var on = alarms.some(function (c) { var k = fromCamera(c); return c.zone === z.number || (k && k.zone === z.number); });
      marker("zone", z.number + (z.name ? " " + z.name : ""), z, z.placed ? 0 : unplaced++, on, "zone:" + z.number)
        .dataset.zone = z.number;
    });
    s.cameras.forEach(function (c) {
      var on = alarms.some(function (a) { return a.account === c.id || (c.zone && a.zone === c.zone); });
      var m = marker("camera", "📷 " + c.id + (c.name ? " " + c.name : ""), c, c.placed ? 0 : unplaced++, on,
        "camera:" + c.id);
      m.dataset.camera = c.id;
      m.addEventListener("click", function () {
        if (!editing() && window.arc4jVideo) { window.arc4jVideo.showLive(c.id); }
      });
    });
    popup(alarms);
  }

  // a marker at its position; one placed nowhere waits in a row along the bottom for the editor to drag it
  function marker(kind, title, p, waiting, alarm, key) {
    var placed = p.placed !== false && p.x !== undefined;
    var x = placed ? p.x : 0.04 + 0.06 * waiting;
    var y = placed ? p.y : 0.95;
    var m = el("span", null, "emap-marker " + kind + (alarm ? " alarm" : ""));
    m.title = title;
    m.style.left = (x * 100) + "%";
    m.style.top = (y * 100) + "%";
    m.dataset.alarm = alarm ? "true" : "false";
    m.dataset.placed = placed ? "true" : "false";
    m.dataset.key = key;
    m.addEventListener("pointerdown", function (e) { drag(m, e); });
    $("#emap-map").appendChild(m);
    if (kind === "site") {
      var label = el("span", title, "emap-label");
      label.style.left = m.style.left;
      label.style.top = m.style.top;
      label.dataset.key = key;
      $("#emap-map").appendChild(label);
    }
    return m;
  }

  function editing() { return $("#emap-edit").checked; }

  // drag a marker in edit mode: its new place, as fractions of the plan, waits for "Save positions"
  function drag(m, down) {
    if (!editing()) { return; }
    down.preventDefault();
    var map = $("#emap-map");
    function at(e) {
      var r = map.getBoundingClientRect();
      var x = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
      var y = Math.min(1, Math.max(0, (e.clientY - r.top) / r.height));
      m.style.left = (x * 100) + "%";
      m.style.top = (y * 100) + "%";
      map.querySelectorAll(".emap-label").forEach(function (l) {
        if (l.dataset.key === m.dataset.key) { l.style.left = m.style.left; l.style.top = m.style.top; }
      });
      moved[m.dataset.key] = { x: Math.round(x * 1000) / 1000, y: Math.round(y * 1000) / 1000 };
      m.classList.add("moved");
      m.dataset.placed = "true";
    }
    function move(e) { at(e); }
    function up(e) {
      at(e);
      document.removeEventListener("pointermove", move);
      document.removeEventListener("pointerup", up);
      $("#emap-status").textContent = Object.keys(moved).length + t(" 个标记待保存", " marker(s) to save");
    }
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", up);
  }

  function send(method, path, body, type) {
    return fetch(path, { method: method, body: body, headers: {
      Authorization: "Bearer " + sessionStorage.getItem("arc4j.token"), "Content-Type": type } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (d) {
          if (!r.ok) { throw new Error(d.error || ("HTTP " + r.status)); }
          return d;
        });
      });
  }

  function savePositions() {
    if (!current || !Object.keys(moved).length) { return; }
    var site = current.id;
    send("PUT", "/api/video/emap/" + encodeURIComponent(site) + "/positions", JSON.stringify({ markers: moved }),
      "application/json").then(function (d) {
      return load().then(function () { render(site); $("#emap-status").textContent = t("已保存 ", "saved ") + d.markers; });
    }).catch(function (e) { $("#emap-status").textContent = e.message; });
  }

  function upload() {
    var f = $("#emap-file").files[0];
    if (!current || !f) { return; }
    var site = current.id;
    send("PUT", "/api/video/emap/" + encodeURIComponent(site) + "/plan", f, f.type || "application/octet-stream")
      .then(function () {
        return load().then(function () { render(site); $("#emap-status").textContent = t("平面图已上传", "plan uploaded"); });
      }).catch(function (e) { $("#emap-status").textContent = e.message; });
  }

  function showEmap() {
    document.querySelectorAll("main > section.view").forEach(function (s) { s.hidden = s.id !== "emap-view"; });
    load().catch(function (e) { $("#emap-error").textContent = e.message; });
  }

  document.addEventListener("arc4j:push", function (e) {
    var msg = e.detail;
    if (msg.type !== "case") { return; }
    var c = msg["case"];
    var isNew = !openCases[c.id];
    if (isOpen(c)) { openCases[c.id] = c; } else { delete openCases[c.id]; }
    if ($("#emap-view").hidden || editing() && Object.keys(moved).length) { return; } // keep unsaved moves
    // the alarm point pops up: the plan of the alarm's site comes to the front
    render(isNew && isOpen(c) && c.siteId ? c.siteId : (current && current.id));
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!$("#emap-view")) { return; }
    document.querySelectorAll("nav a").forEach(function (a) {
      a.addEventListener("click", function (e) {
        if (a.getAttribute("data-view") === "emap") { e.preventDefault(); showEmap(); } else { $("#emap-view").hidden = true; }
      });
    });
    $("#emap-site").addEventListener("change", function () { render($("#emap-site").value); });
    $("#emap-edit").addEventListener("change", function () {
      $("#emap-editor").hidden = !editing();
      $("#emap-map").classList.toggle("editing", editing());
      if (!editing() && current) { render(current.id); } // unsaved moves are dropped
    });
    $("#emap-save").addEventListener("click", savePositions);
    $("#emap-upload").addEventListener("click", upload);
  });
})();
