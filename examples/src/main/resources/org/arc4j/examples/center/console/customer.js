/*
 * The customer terminal (GA 1383 用户终端): this customer's own alarms and their recorded video (played, never
 * offered for download), and arming or disarming of its own sites' devices with the device's answer shown.
 */
(function () {
  "use strict";
  var T = window.Terminal;
  var devicesShown = false;

  function build(a) {
    var card = document.createElement("article");
    card.className = "card alarm";
    card.setAttribute("data-case-id", a.id);
    card.appendChild(T.text("h2", a.category + " · " + (a.zoneName || a.zone || "")));
    card.appendChild(T.text("p", new Date(a.receivedAt).toLocaleString(), "muted"));
    card.appendChild(T.text("p", "", "state"));
    var media = document.createElement("div");
    media.className = "media clips";
    card.appendChild(media);
    return card;
  }

  function update(card, a) {
    card.querySelector(".state").textContent = a.state;
    T.clips(card.querySelector(".clips"), a.id, a.clips);
  }

  function follow(out, id) {
    T.api("GET", "/api/control/commands/" + encodeURIComponent(id)).then(function (c) {
      out.setAttribute("data-state", c.state);
      out.textContent = c.command + ": " + c.state + (c.result ? " (" + c.result + ")" : "");
      out.className = "command-result " + (c.state === "OK" ? "ok" : c.state === "SENT" ? "" : "error");
      if (c.state === "SENT") { setTimeout(function () { follow(out, id); }, 500); }
    }).catch(function (e) { out.textContent = e.message; });
  }

  function devices() {
    T.api("GET", "/api/control/devices").then(function (j) {
      var box = document.createElement("section");
      box.className = "card devices";
      box.appendChild(T.text("h2", "布防 / 撤防 · Arm / disarm"));
      j.devices.filter(function (d) { return d.can === "guard"; }).forEach(function (d) {
        var row = document.createElement("div");
        row.className = "actions device";
        row.setAttribute("data-device", d.id);
        row.appendChild(T.text("span", d.name + " (" + (d.site || "") + ")"));
        var out = T.text("span", "", "command-result");
        ["arm", "disarm"].forEach(function (what) {
          var b = T.text("button", what === "arm" ? "布防 · Arm" : "撤防 · Disarm", "primary");
          b.type = "button";
          b.setAttribute("data-guard", what);
          b.addEventListener("click", function () {
            out.textContent = "…";
            out.setAttribute("data-state", "SENT");
            T.api("POST", "/api/control/devices/" + encodeURIComponent(d.id) + "/guard", { arm: what === "arm" })
              .then(function (c) { follow(out, c.id); }).catch(function (e) { out.textContent = e.message; });
          });
          row.appendChild(b);
        });
        row.appendChild(out);
        box.appendChild(row);
      });
      var main = document.querySelector("main");
      main.insertBefore(box, main.firstChild);
    }).catch(function (e) { document.getElementById("error").textContent = e.message; });
  }

  var list = T.lister("/api/terminal/customer/alarms", "alarms", build, update);
  T.start(function () {
    if (!devicesShown) { devicesShown = true; devices(); }
    return list();
  });
})();
