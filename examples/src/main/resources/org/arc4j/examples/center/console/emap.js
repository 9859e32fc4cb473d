// arc4j console: the e-map (GA 1383 电子地图). Each site's plan with its zones and cameras; a marker turns red while an
// open case concerns it, and a new alarm pops up on its site's plan. A camera marker opens its live video.
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
  var openCases = {};   // id -> case summary, open ones only
  var current = null;   // the site shown

  function isOpen(c) { return c.state !== "CLOSED" && c.state !== "ARCHIVED"; }

  function load() {
    return Promise.all([api("/api/video/emap"), api("/api/cases")]).then(function (r) {
      sites = r[0].sites;
      openCases = {};
      (r[1].cases || []).forEach(function (c) { if (isOpen(c)) { openCases[c.id] = c; } });
      var sel = $("#emap-site");
      var keep = sel.value;
      sel.textContent = "";
      sites.forEach(function (s) {
        var o = el("option", s.name + (s.customer ? " · " + s.customer : ""));
        o.value = s.id;
        sel.appendChild(o);
      });
      if (keep) { sel.value = keep; }
      render(sel.value || (sites[0] && sites[0].id));
    });
  }

  function alarmsAt(siteId) {
    return Object.keys(openCases).map(function (k) { return openCases[k]; })
      .filter(function (c) { return c.siteId === siteId; });
  }

  function render(siteId) {
    var s = sites.filter(function (x) { return x.id === siteId; })[0];
    current = s || null;
    var map = $("#emap-map");
    map.querySelectorAll(".emap-marker").forEach(function (m) { m.remove(); });
    if (!s) { return; }
    $("#emap-site").value = s.id;
    var img = $("#emap-image");
    img.hidden = !s.planImage;
    if (s.planImage) { img.src = s.planImage; }
    var alarms = alarmsAt(s.id);
    function fromCamera(c) {
      return s.cameras.filter(function (k) { return k.id === c.account; })[0];
    }
    s.zones.forEach(function (z) {
      // a zone is in alarm when a case names it, or comes from a camera watching it
      var on = alarms.some(function (c) { var k = fromCamera(c); return c.zone === z.number || (k && k.zone === z.number); });
      marker("zone", z.number + (z.name ? " " + z.name : ""), z.x, z.y, on).dataset.zone = z.number;
    });
    s.cameras.forEach(function (c) {
      var on = alarms.some(function (a) { return a.account === c.id || (c.zone && a.zone === c.zone); });
      var m = marker("camera", "📷 " + c.id + (c.name ? " " + c.name : ""), c.x, c.y, on);
      m.dataset.camera = c.id;
      m.addEventListener("click", function () { if (window.arc4jVideo) { window.arc4jVideo.showLive(c.id); } });
    });
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

  function marker(kind, title, x, y, alarm) {
    var m = el("span", null, "emap-marker " + kind + (alarm ? " alarm" : ""));
    m.title = title;
    m.style.left = (x * 100) + "%";
    m.style.top = (y * 100) + "%";
    m.dataset.alarm = alarm ? "true" : "false";
    $("#emap-map").appendChild(m);
    return m;
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
    if ($("#emap-view").hidden) { return; }
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
  });
})();
