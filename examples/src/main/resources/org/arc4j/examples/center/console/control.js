// The operator console's remote control (GA 1383 远程控制), under 设备状态 · Devices: the GB/T 28181 devices the
// operator may command, with arm, disarm and alarm reset (DeviceControl GuardCmd / AlarmCmd ResetAlarm), each
// command's state followed until the device answers. DC-09 panels are not listed: DC-09 has no downlink.
(function () {
  "use strict";

  function api(method, path, body) {
    var opts = { method: method, headers: { Authorization: "Bearer " + sessionStorage.getItem("arc4j.token") } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(path, opts).then(function (r) {
      return r.text().then(function (t) {
        var d = t ? JSON.parse(t) : {};
        if (!r.ok) { throw new Error(d.error || r.statusText); }
        return d;
      });
    });
  }

  function follow(out, id) {
    api("GET", "/api/control/commands/" + encodeURIComponent(id)).then(function (c) {
      out.setAttribute("data-state", c.state);
      out.textContent = c.command + ": " + c.state + (c.result ? " (" + c.result + ")" : "");
      if (c.state === "SENT") { setTimeout(function () { follow(out, id); }, 500); }
    }).catch(function (e) { out.textContent = e.message; });
  }

  function send(out, path, body) {
    out.textContent = "…";
    out.setAttribute("data-state", "SENT");
    api("POST", path, body).then(function (c) { follow(out, c.id); })
      .catch(function (e) { out.setAttribute("data-state", "FAILED"); out.textContent = e.message; });
  }

  var COMMANDS = [
    ["arm", "布防 · Arm", "/guard", { arm: true }],
    ["disarm", "撤防 · Disarm", "/guard", { arm: false }],
    ["reset-alarm", "复位报警 · Reset alarm", "/reset-alarm", undefined]
  ];

  function load() {
    api("GET", "/api/control/devices").then(function (d) {
      var body = document.querySelector("#control-table tbody");
      body.textContent = "";
      d.devices.filter(function (x) { return x.kind === "gb28181"; }).forEach(function (x) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-device", x.id);
        [x.id, x.site || ""].forEach(function (t) {
          var td = document.createElement("td");
          td.textContent = t;
          tr.appendChild(td);
        });
        var cell = document.createElement("td");
        var out = document.createElement("span");
        out.className = "command-result";
        COMMANDS.forEach(function (c) {
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = c[1];
          b.setAttribute("data-command", c[0]);
          b.addEventListener("click", function () {
            send(out, "/api/control/devices/" + encodeURIComponent(x.id) + c[2], c[3]);
          });
          cell.appendChild(b);
        });
        cell.appendChild(out);
        tr.appendChild(cell);
        body.appendChild(tr);
      });
      document.getElementById("control-error").textContent = "";
    }).catch(function (e) { document.getElementById("control-error").textContent = e.message; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var link = document.querySelector("a[data-view=devices]");
    if (link) { link.addEventListener("click", load); }
    if (location.hash === "#devices") { setTimeout(load, 500); }
  });
})();
