// arc4j reference centre: supervision prompts (GA 1383 设备状态检测: offline devices are prompted by voice or text).
// Independent of app.js: it polls GET /api/prompts with the console's session, shows each prompt in a banner,
// speaks a new one (speech synthesis, after a short tone) and lets the operator acknowledge it.
(function () {
  "use strict";

  var seen = {};
  var announced = 0;
  var box = null;
  var lang = function () { return localStorage.getItem("arc4j.lang") || (navigator.language && navigator.language.indexOf("zh") === 0 ? "zh" : "en"); };
  var LABEL = {
    zh: { ack: "确认", offline: "设备离线", "late-to-test": "定期测试超时", inspection: "设备巡检", forward: "警情转发" },
    en: { ack: "Acknowledge", offline: "Device offline", "late-to-test": "Late to test", inspection: "Inspection due", forward: "Forwarding" }
  };

  function token() { return sessionStorage.getItem("arc4j.token"); }

  function label(key) { var l = LABEL[lang()] || LABEL.en; return l[key] || key; }

  function ensureBox() {
    if (box) { return box; }
    var style = document.createElement("style");
    style.textContent = "#prompts{position:fixed;right:1em;bottom:1em;max-width:32em;z-index:1000}" +
      "#prompts .prompt{background:#fff3cd;border:2px solid #c0392b;border-radius:4px;margin-top:.5em;padding:.5em .75em}" +
      "#prompts .prompt strong{display:block;color:#c0392b}" +
      "#prompts .prompt button{margin-top:.3em}";
    document.head.appendChild(style);
    box = document.createElement("section");
    box.id = "prompts";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-live", "assertive");
    document.body.appendChild(box);
    box.addEventListener("click", function (e) {
      var id = e.target && e.target.getAttribute("data-ack");
      if (!id) { return; }
      e.target.disabled = true;
      fetch("/api/prompts/" + encodeURIComponent(id) + "/ack", { method: "POST", headers: { Authorization: "Bearer " + token() } })
        .then(poll, poll);
    });
    return box;
  }

  function announce(p) {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (Ctx) {
        var ctx = new Ctx(), osc = ctx.createOscillator();
        osc.frequency.value = 880;
        osc.connect(ctx.destination);
        osc.start();
        osc.stop(ctx.currentTime + 0.3);
      }
      if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
        var u = new SpeechSynthesisUtterance(label(p.kind) + ". " + p.text);
        u.lang = lang() === "zh" ? "zh-CN" : "en-GB";
        window.speechSynthesis.speak(u);
      }
    } catch (err) {
      // no audio device: the banner remains
    }
  }

  function render(list) {
    var b = ensureBox();
    b.textContent = "";
    list.forEach(function (p) {
      var div = document.createElement("div");
      div.className = "prompt";
      div.setAttribute("data-id", p.id);
      div.setAttribute("data-kind", p.kind);
      var title = document.createElement("strong");
      title.textContent = label(p.kind);
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = p.text;
      var ack = document.createElement("button");
      ack.type = "button";
      ack.setAttribute("data-ack", p.id);
      ack.textContent = label("ack");
      div.appendChild(title);
      div.appendChild(text);
      div.appendChild(document.createElement("br"));
      div.appendChild(ack);
      b.appendChild(div);
      if (!seen[p.id]) {
        seen[p.id] = true;
        announce(p);
        announced += 1;
        document.body.setAttribute("data-prompts-announced", String(announced));
      }
    });
    b.hidden = list.length === 0;
  }

  function poll() {
    if (!token()) { if (box) { box.hidden = true; } return; }
    fetch("/api/prompts", { headers: { Authorization: "Bearer " + token() } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && token()) { render(d.prompts); } })
      .catch(function () {});
  }

  setInterval(poll, 2000);
  poll();
})();
