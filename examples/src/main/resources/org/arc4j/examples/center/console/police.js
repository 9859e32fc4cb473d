/*
 * The police receiving terminal (GA 1383 警情转发, 公安接警): the alarms forwarded to the police with address,
 * dispatched guard and phone numbers, and their recorded video (played, never offered for download). Confirming
 * receipt delivers the forward: the pipeline's forwarding clock stops there.
 */
(function () {
  "use strict";
  var T = window.Terminal;
  var refresh;

  function build(a) {
    var card = document.createElement("article");
    card.className = "card alarm";
    T.heading(card, a);
    card.appendChild(T.text("p", "", "guard"));
    card.appendChild(T.contacts("phones", (a.customer || {}).contacts));
    card.appendChild(T.text("p", "", "receipt"));
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
    T.clips(card.querySelector(".clips"), a.id, a.clips);
  }

  refresh = T.lister("/api/terminal/police/alarms", "alarms", build, update);
  T.start(refresh);
})();
