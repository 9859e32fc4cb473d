/*
 * The guard's disposal terminal (GA 1383 现场处置): the dispatch orders of this guard with address, action plan
 * and contacts; departure timed against its limit (2 min) from the dispatch order, then arrival; the on-site
 * report with photos (JPEG or PNG, at most 512 KiB each). Photos are shown from memory, never offered for download.
 */
(function () {
  "use strict";
  var T = window.Terminal;
  var MAX_PHOTO = 512 * 1024;
  var TYPES = ["image/jpeg", "image/png"];
  var refresh;

  function step(order, name) {
    var s = (order.steps || []).filter(function (x) { return x.step === name; });
    return s.length ? s[s.length - 1] : null;
  }

  function clockOf(order) {
    var c = (order.sla || []).filter(function (x) { return x.step === "GUARD_DEPARTURE"; });
    return c.length ? c[0] : null;
  }

  function build(order) {
    var card = document.createElement("article");
    card.className = "card order";
    T.heading(card, order);
    var plan = document.createElement("ul");
    plan.className = "plain plan";
    (order.actionPlan || []).forEach(function (s) { plan.appendChild(T.text("li", s)); });
    card.appendChild(T.text("h3", "处置预案 · Plan"));
    card.appendChild(plan);
    card.appendChild(T.text("h3", "联系人 · Contacts"));
    card.appendChild(T.contacts("contacts", (order.customer || {}).contacts));

    var clock = T.text("p", "", "clock depart-clock");
    card.appendChild(clock);
    var arrived = T.text("p", "", "arrive-info muted");
    card.appendChild(arrived);
    var actions = document.createElement("div");
    actions.className = "actions";
    ["depart", "arrive"].forEach(function (s) {
      var b = T.text("button", s === "depart" ? "出发 · Depart" : "到达 · Arrived", "primary");
      b.type = "button";
      b.setAttribute("data-step", s);
      b.addEventListener("click", function () {
        b.disabled = true;
        T.api("POST", "/api/terminal/guard/orders/" + encodeURIComponent(order.id) + "/" + s, {})
          .then(refresh).catch(showError);
      });
      actions.appendChild(b);
    });
    card.appendChild(actions);

    var form = document.createElement("form");
    form.className = "report";
    var ta = document.createElement("textarea");
    ta.name = "text";
    ta.rows = 3;
    ta.placeholder = "现场情况 · On-site report";
    var file = document.createElement("input");
    file.type = "file";
    file.name = "photos";
    file.accept = TYPES.join(",");
    file.multiple = true;
    var send = T.text("button", "提交报告 · Send report", "primary");
    send.type = "submit";
    var err = T.text("p", "", "error report-error");
    form.appendChild(ta);
    form.appendChild(file);
    form.appendChild(send);
    form.appendChild(err);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      err.textContent = "";
      var files = Array.prototype.slice.call(file.files || []);
      for (var i = 0; i < files.length; i++) {
        if (TYPES.indexOf(files[i].type) < 0) {
          err.textContent = files[i].name + ": 只能上传 JPEG 或 PNG · only JPEG or PNG";
          file.value = "";
          return;
        }
        if (files[i].size > MAX_PHOTO) {
          err.textContent = files[i].name + ": 超过 512 KiB · larger than 512 KiB";
          file.value = "";
          return;
        }
      }
      var chain = Promise.resolve();
      files.forEach(function (f) {
        chain = chain.then(function () {
          return T.api("POST", "/api/terminal/guard/orders/" + encodeURIComponent(order.id) + "/photos", f, f.type);
        });
      });
      chain.then(function () {
        if (ta.value.trim()) {
          return T.api("POST", "/api/terminal/guard/orders/" + encodeURIComponent(order.id) + "/report",
            { text: ta.value.trim() }).then(function () { ta.value = ""; card.setAttribute("data-reported", "true"); });
        }
      }).then(function () { file.value = ""; refresh(); }).catch(function (x) { err.textContent = x.message; });
    });
    card.appendChild(form);
    var photos = document.createElement("div");
    photos.className = "media photos";
    card.appendChild(photos);
    return card;
  }

  function update(card, order) {
    var c = clockOf(order);
    var clock = card.querySelector(".depart-clock");
    var limit = c && c.limitSeconds ? c.limitSeconds : 120;
    if (!c) {
      clock.textContent = "";
    } else if (c.measuredSeconds != null) {
      var late = c.measuredSeconds > limit;
      clock.textContent = "出发用时 · Departed after " + Math.round(c.measuredSeconds) + " s / " + limit + " s";
      clock.className = "clock depart-clock " + (late ? "late" : "ok");
      clock.setAttribute("data-status", late ? "late" : "met");
    } else {
      var elapsed = Math.max(0, (Date.now() - Date.parse(c.startedAt)) / 1000);
      clock.textContent = "派单后 · Since dispatch " + Math.floor(elapsed) + " s / " + limit + " s";
      clock.className = "clock depart-clock " + (elapsed > limit ? "late" : "");
      clock.setAttribute("data-status", elapsed > limit ? "late" : "running");
    }
    var departed = step(order, "GUARD_DEPARTED");
    var arrived = step(order, "GUARD_ARRIVED");
    card.querySelector("[data-step=depart]").disabled = !!departed;
    card.querySelector("[data-step=arrive]").disabled = !departed || !!arrived;
    card.querySelector(".arrive-info").textContent = arrived ? "到达 · Arrived " + new Date(arrived.at).toLocaleTimeString()
      + (departed ? " (" + Math.round((Date.parse(arrived.at) - Date.parse(departed.at)) / 1000) + " s)" : "") : "";
    var box = card.querySelector(".photos");
    (order.photos || []).forEach(function (p) {
      if (!box.querySelector("[data-n='" + p.n + "']")) {
        var img = T.media("/api/terminal/guard/orders/" + encodeURIComponent(order.id) + "/photos/" + p.n, "img");
        img.setAttribute("data-n", p.n);
        box.appendChild(img);
      }
    });
  }

  function showError(e) { document.getElementById("error").textContent = e.message; }

  refresh = T.lister("/api/terminal/guard/orders", "orders", build, update);
  T.start(refresh);
})();
