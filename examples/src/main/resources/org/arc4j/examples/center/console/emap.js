// arc4j console: the e-map (GA 1383 电子地图). Each site's plan with its zones and cameras; a marker turns red while an
// open case concerns it, and a new alarm pops up on its site's plan. A camera marker opens its live video. The
// overview shows every site on one map. In edit mode (电子地图管理) a supervisor uploads plans and drags markers,
// then saves their positions, and annotates the plan: texts, lines and areas, drawn by clicking on the plan, moved by
// dragging, their text edited, removed; each change saved at once.
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
  var drawing = null;   // the annotation being drawn: {kind, text, points}
  var selected = null;  // the id of the annotation picked in edit mode
  var SVG = "http://www.w3.org/2000/svg";

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
    map.querySelectorAll(".emap-marker, .emap-label, .emap-note").forEach(function (m) { m.remove(); });
    $("#emap-ann").textContent = "";
    moved = {};
    drawing = null;
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
    annotations(overview.annotations || []);
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
    annotations(s.annotations || []);
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

  // ---- annotations: a text at a point, a line, an area; points are fractions of the plan
  function annotations(list) {
    list.forEach(function (a) {
      var parts = [];
      if (a.kind !== "text") {
        var shape = document.createElementNS(SVG, a.kind === "area" ? "polygon" : "polyline");
        shape.setAttribute("class", "emap-annotation " + a.kind);
        $("#emap-ann").appendChild(shape);
        parts.push(shape);
      }
      if (a.kind === "text" || a.text) {
        var note = el("span", a.text, "emap-note" + (a.kind === "text" ? "" : " label"));
        $("#emap-map").appendChild(note);
        parts.push(note);
      }
      parts.forEach(function (p) {
        p.dataset.annotation = a.id;
        p.dataset.kind = a.kind;
        if (a.id === selected) { p.classList.add("selected"); }
        p.addEventListener("pointerdown", function (e) { pick(a, parts, e); });
      });
      drawAt(a, parts, a.points);
    });
  }

  function drawAt(a, parts, pts) {
    parts.forEach(function (p) {
      if (p.tagName === "SPAN") {
        // a line's or area's label sits at its first point
        p.style.left = (pts[0].x * 100) + "%";
        p.style.top = (pts[0].y * 100) + "%";
      } else {
        p.setAttribute("points", pts.map(function (q) { return (q.x * 100) + "," + (q.y * 100); }).join(" "));
      }
    });
  }

  // pick an annotation in edit mode: it is selected (its text into the field), and dragging it moves it
  function pick(a, parts, down) {
    if (!editing() || drawing) { return; }
    down.preventDefault();
    down.stopPropagation();
    selected = a.id;
    document.querySelectorAll("#emap-map .selected").forEach(function (x) { x.classList.remove("selected"); });
    parts.forEach(function (p) { p.classList.add("selected"); });
    $("#emap-ann-text").value = a.text;
    $("#emap-ann-kind").value = a.kind;
    var r = $("#emap-map").getBoundingClientRect();
    var minX = Math.min.apply(null, a.points.map(function (q) { return q.x; }));
    var maxX = Math.max.apply(null, a.points.map(function (q) { return q.x; }));
    var minY = Math.min.apply(null, a.points.map(function (q) { return q.y; }));
    var maxY = Math.max.apply(null, a.points.map(function (q) { return q.y; }));
    var pts = a.points;
    function shifted(e) {
      // the whole annotation moves, and stays on the plan
      var dx = Math.min(1 - maxX, Math.max(-minX, (e.clientX - down.clientX) / r.width));
      var dy = Math.min(1 - maxY, Math.max(-minY, (e.clientY - down.clientY) / r.height));
      return a.points.map(function (q) {
        return { x: Math.round((q.x + dx) * 1000) / 1000, y: Math.round((q.y + dy) * 1000) / 1000 };
      });
    }
    function move(e) { pts = shifted(e); drawAt(a, parts, pts); }
    function up(e) {
      document.removeEventListener("pointermove", move);
      document.removeEventListener("pointerup", up);
      pts = shifted(e);
      if (Math.abs(e.clientX - down.clientX) + Math.abs(e.clientY - down.clientY) < 3) { return; } // a click
      saveAnnotation({ id: a.id, kind: a.kind, text: a.text, points: pts }, t("标注已移动", "annotation moved"));
    }
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", up);
  }

  function findAnnotation(id) {
    var list = current && (current.id === OVERVIEW ? overview.annotations : current.annotations) || [];
    return list.filter(function (a) { return a.id === id; })[0];
  }

  function saveAnnotation(a, done) {
    if (!current) { return; }
    var site = current.id;
    send("PUT", "/api/video/emap/" + encodeURIComponent(site) + "/annotations/" + encodeURIComponent(a.id),
      JSON.stringify({ kind: a.kind, text: a.text, points: a.points }), "application/json").then(function () {
      selected = a.id;
      return load().then(function () { render(site); $("#emap-status").textContent = done; });
    }).catch(function (e) { $("#emap-status").textContent = e.message; render(site); });
  }

  function startDrawing() {
    if (!current) { return; }
    var kind = $("#emap-ann-kind").value;
    var text = $("#emap-ann-text").value.trim();
    if (kind === "text" && !text) { $("#emap-status").textContent = t("请先填写标注文字", "type the annotation first"); return; }
    drawing = { kind: kind, text: text, points: [] };
    selected = null;
    $("#emap-map").classList.add("drawing");
    $("#emap-status").textContent = kind === "text" ? t("点击平面图放置文字", "click the plan to place the text")
      : t("点击平面图画出各点，然后点完成", "click the plan for each point, then Done");
  }

  function drawClick(e) {
    if (!drawing || !editing()) { return; }
    e.preventDefault();
    var r = $("#emap-map").getBoundingClientRect();
    drawing.points.push({
      x: Math.round(Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)) * 1000) / 1000,
      y: Math.round(Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) * 1000) / 1000 });
    if (drawing.kind === "text") { finishDrawing(); return; }
    var tmp = $("#emap-ann .emap-drawing");
    if (!tmp) {
      tmp = document.createElementNS(SVG, "polyline");
      tmp.setAttribute("class", "emap-drawing");
      $("#emap-ann").appendChild(tmp);
    }
    tmp.setAttribute("points", drawing.points.map(function (q) { return (q.x * 100) + "," + (q.y * 100); }).join(" ")
      + (drawing.kind === "area" ? " " + (drawing.points[0].x * 100) + "," + (drawing.points[0].y * 100) : ""));
    tmp.dataset.points = String(drawing.points.length);
  }

  function finishDrawing() {
    var d = drawing;
    drawing = null;
    $("#emap-map").classList.remove("drawing");
    if (!d) { return; }
    var least = d.kind === "text" ? 1 : d.kind === "line" ? 2 : 3;
    if (d.points.length < least) {
      $("#emap-status").textContent = t("点数不够", "too few points") + " (" + least + ")";
      render(current.id);
      return;
    }
    var id = "a" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36);
    saveAnnotation({ id: id, kind: d.kind, text: d.text, points: d.points }, t("标注已保存", "annotation saved"));
  }

  function updateText() {
    var a = selected && findAnnotation(selected);
    if (!a) { return; }
    saveAnnotation({ id: a.id, kind: a.kind, text: $("#emap-ann-text").value.trim(), points: a.points },
      t("标注已修改", "annotation changed"));
  }

  function deleteAnnotation() {
    var a = selected && findAnnotation(selected);
    if (!a || !current) { return; }
    var site = current.id;
    send("DELETE", "/api/video/emap/" + encodeURIComponent(site) + "/annotations/" + encodeURIComponent(a.id), null,
      "application/json").then(function () {
      selected = null;
      return load().then(function () { render(site); $("#emap-status").textContent = t("标注已删除", "annotation deleted"); });
    }).catch(function (e) { $("#emap-status").textContent = e.message; });
  }

  // drag a marker in edit mode: its new place, as fractions of the plan, waits for "Save positions"
  function drag(m, down) {
    if (!editing() || drawing) { return; }
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
    if ($("#emap-view").hidden || editing() && (Object.keys(moved).length || drawing)) { return; } // keep unsaved work
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
    $("#emap-map").addEventListener("click", drawClick);
    $("#emap-ann-add").addEventListener("click", startDrawing);
    $("#emap-ann-done").addEventListener("click", finishDrawing);
    $("#emap-ann-update").addEventListener("click", updateText);
    $("#emap-ann-delete").addEventListener("click", deleteAnnotation);
    $("#emap-upload").addEventListener("click", upload);
  });
})();
