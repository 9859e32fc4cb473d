/*
 * The police receiving terminal (GA 1383 警情转发, 公安接警): the alarms forwarded to the police with address,
 * dispatched guard and phone numbers, and their recorded video (played, never offered for download). Confirming
 * receipt delivers the forward: the pipeline's forwarding clock stops there.
 */
(function () {
  "use strict";
  var T = window.Terminal;
  var cards = {};

  function build(a) {
    var card = document.createElement("article");
    card.className = "card alarm";
    card.setAttribute("data-case-id", a.id);
    card.appendChild(T.text("h2", a.category + " · " + (a.zoneName || a.zone || "")));
    var site = a.site || {};
    var cu = a.customer || {};
    card.appendChild(T.text("p", (cu.name || "") + " · " + (site.name || ""), "muted"));
    card.appendChild(T.text("p", site.address || cu.address || "", "address"));
    card.appendChild(T.text("p", "", "guard"));
    var phones = document.createElement("ul");
    phones.className = "plain phones";
    (cu.contacts || []).forEach(function (k) {
      var li = T.text("li", k.name + " (" + k.role + ") ");
      var link = T.text("a", k.phone);
      link.href = "tel:" + k.phone;
      li.appendChild(link);
      phones.appendChild(li);
    });
    card.appendChild(phones);
    var receipt = T.text("p", "", "receipt");
    card.appendChild(receipt);
    var b = T.text("button", "确认接收 · Confirm receipt", "primary");
    b.type = "button";
    b.setAttribute("data-action", "confirm");
    b.addEventListener("click", function () {
      b.disabled = true;
      T.api("POST", "/api/terminal/police/alarms/" + encodeURIComponent(a.id) + "/confirm", {})
        .then(refresh).catch(function (e) { b.disabled = false; document.getElementById("error").textContent = e.message; });
    });
    card.appendChild(b);
    var media = document.createElement("div");
    media.className = "media clips";
    card.appendChild(media);
    return card;
  }

  function update(card, a) {
    card.querySelector(".guard").textContent = "处置人员 · Guard: " + (a.guard || "—");
    var r = card.querySelector(".receipt");
    r.setAttribute("data-confirmed", String(a.receiptConfirmed));
    r.textContent = a.receiptConfirmed ? "已确认接收 · Receipt confirmed" : "待确认 · Awaiting confirmation";
    r.className = "receipt " + (a.receiptConfirmed ? "ok" : "late");
    card.querySelector("[data-action=confirm]").hidden = a.receiptConfirmed;
    var box = card.querySelector(".clips");
    (a.clips || []).forEach(function (c) {
      if (c.state === "recorded" && !box.querySelector("[data-n='" + c.n + "']")) {
        var v = T.media("/api/terminal/cases/" + encodeURIComponent(a.id) + "/clips/" + c.n, "video");
        v.setAttribute("data-n", c.n);
        box.appendChild(v);
      }
    });
  }

  function refresh() {
    return T.api("GET", "/api/terminal/police/alarms").then(function (j) {
      document.getElementById("error").textContent = "";
      var ids = j.alarms.map(function (a) { return a.id; });
      T.prompt(ids);
      Object.keys(cards).forEach(function (id) { if (ids.indexOf(id) < 0) { cards[id].remove(); delete cards[id]; } });
      j.alarms.forEach(function (a) {
        if (!cards[a.id]) { cards[a.id] = build(a); document.getElementById("list").appendChild(cards[a.id]); }
        update(cards[a.id], a);
      });
      document.getElementById("empty").hidden = ids.length > 0;
    }).catch(function (e) { document.getElementById("error").textContent = e.message; });
  }

  T.start(refresh);
})();
