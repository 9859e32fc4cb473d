/*
 * What the three terminals share: log in, call the API with the session's token (kept in this tab only), poll,
 * and the sound-and-light prompt on a new alarm. Media are fetched with the token and shown from memory (blob
 * URLs); nothing is cached (the server answers Cache-Control: no-store) and no service worker is registered.
 */
(function () {
  "use strict";
  var token = sessionStorage.getItem("arc4j.terminal.token");
  var audio = null;
  var seen = null;

  // a terminal keeps nothing on the device: remove any service worker an older page may have left
  if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
    navigator.serviceWorker.getRegistrations().then(function (rs) { rs.forEach(function (r) { r.unregister(); }); });
  }

  function api(method, path, body, type) {
    var opts = { method: method, headers: {}, cache: "no-store" };
    if (token) { opts.headers.Authorization = "Bearer " + token; }
    if (body !== undefined && body !== null) {
      if (type) { opts.headers["Content-Type"] = type; opts.body = body; }
      else { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    }
    return fetch(path, opts).then(function (r) {
      if (r.status === 401) { logout(); throw new Error("log in again"); }
      var ct = r.headers.get("Content-Type") || "";
      if (ct.indexOf("application/json") === 0) {
        return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error || r.status); } return j; });
      }
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.blob();
    });
  }

  /** Shows a media object from memory: an img or a video that offers no download. */
  function media(path, kind) {
    var el = document.createElement(kind);
    if (kind === "video") {
      el.controls = true;
      el.setAttribute("controlsList", "nodownload noremoteplayback");
      el.disablePictureInPicture = true;
    }
    el.addEventListener("contextmenu", function (e) { e.preventDefault(); });
    api("GET", path).then(function (blob) { el.src = URL.createObjectURL(blob); })
      .catch(function (e) { el.alt = String(e.message); });
    return el;
  }

  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator();
      o.frequency.value = 880;
      o.connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + 0.6);
    } catch (e) { /* no audio device */ }
  }

  /** Sound and light when an id appears that was not there at the last poll (not on the first one). */
  function prompt(ids) {
    var fresh = seen !== null && ids.some(function (id) { return seen.indexOf(id) < 0; });
    seen = ids;
    if (fresh) {
      document.body.classList.remove("alarm-flash");
      void document.body.offsetWidth;
      document.body.classList.add("alarm-flash");
      document.body.setAttribute("data-alerts", String(Number(document.body.getAttribute("data-alerts") || 0) + 1));
      beep();
    }
  }

  function logout() {
    if (token) { fetch("/api/logout", { method: "POST", headers: { Authorization: "Bearer " + token } }).catch(function () {}); }
    token = null;
    sessionStorage.removeItem("arc4j.terminal.token");
    document.getElementById("app-view").hidden = true;
    document.getElementById("login-view").hidden = false;
  }

  function text(tag, s, cls) {
    var el = document.createElement(tag);
    el.textContent = s == null ? "" : String(s);
    if (cls) { el.className = cls; }
    return el;
  }

  /** The login form and the page's frame, titled by the document's title. */
  function frame() {
    var title = document.title;
    document.body.insertAdjacentHTML("afterbegin",
      '<section id="login-view" class="login"><form id="login-form" autocomplete="off"><h1></h1>'
      + '<label>用户名 · User <input id="username" name="username" required></label>'
      + '<label>密码 · Password <input id="password" name="password" type="password" required></label>'
      + '<button id="login-button" class="primary" type="submit">登录 · Log in</button>'
      + '<p id="login-error" class="error" role="alert"></p></form></section>'
      + '<section id="app-view" hidden><header class="bar"><strong></strong>'
      + '<button id="logout" type="button">退出 · Log out</button></header>'
      + '<main><p id="error" class="error" role="alert"></p><div id="list"></div>'
      + '<p id="empty" class="muted">暂无警情 · Nothing to show</p></main></section>');
    document.querySelector("#login-form h1").textContent = title;
    document.querySelector("header.bar strong").textContent = title;
  }

  /** The heading of an alarm's card: category and zone, customer and site, the address. */
  function heading(card, a) {
    card.setAttribute("data-case-id", a.id);
    card.appendChild(text("h2", a.category + " · " + (a.zoneName || a.zone || "")));
    var site = a.site || {};
    var cu = a.customer || {};
    card.appendChild(text("p", (cu.name || "") + " · " + (site.name || ""), "muted"));
    card.appendChild(text("p", site.address || cu.address || "", "address"));
  }

  /** Contacts as a list, phone numbers as tel: links. */
  function contacts(cls, list) {
    var ul = document.createElement("ul");
    ul.className = "plain " + cls;
    (list || []).forEach(function (k) {
      var li = text("li", k.name + " (" + k.role + ") ");
      var a = text("a", k.phone);
      a.href = "tel:" + k.phone;
      li.appendChild(a);
      ul.appendChild(li);
    });
    return ul;
  }

  /** Adds the recorded clips of a case not yet in the box, as videos that offer no download. */
  function clips(box, caseId, list) {
    (list || []).forEach(function (c) {
      if (c.state === "recorded" && !box.querySelector("[data-n='" + c.n + "']")) {
        var v = media("/api/terminal/cases/" + encodeURIComponent(caseId) + "/clips/" + c.n, "video");
        v.setAttribute("data-n", c.n);
        box.appendChild(v);
      }
    });
  }

  /**
   * A refresh that lists json[key] from path as cards: build(item) once per id, update(card, item) at every poll;
   * cards of ids no longer listed go; a new id prompts.
   */
  function lister(path, key, build, update) {
    var cards = {};
    return function () {
      return api("GET", path).then(function (j) {
        document.getElementById("error").textContent = "";
        var ids = j[key].map(function (a) { return a.id; });
        prompt(ids);
        Object.keys(cards).forEach(function (id) { if (ids.indexOf(id) < 0) { cards[id].remove(); delete cards[id]; } });
        j[key].forEach(function (a) {
          if (!cards[a.id]) { cards[a.id] = build(a); document.getElementById("list").appendChild(cards[a.id]); }
          update(cards[a.id], a);
        });
        document.getElementById("empty").hidden = ids.length > 0;
      }).catch(function (e) { document.getElementById("error").textContent = e.message; });
    };
  }

  /** Starts a terminal: login, then refresh() every two seconds. */
  function start(refresh) {
    frame();
    var every = null;
    function run() {
      document.getElementById("login-view").hidden = true;
      document.getElementById("app-view").hidden = false;
      refresh();
      every = every || setInterval(refresh, 2000);
    }
    document.getElementById("login-form").addEventListener("submit", function (e) {
      e.preventDefault();
      beep(); // the click allows audio for the rest of the shift
      fetch("/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: document.getElementById("username").value,
          password: document.getElementById("password").value }) })
        .then(function (r) { return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error); } return j; }); })
        .then(function (j) {
          token = j.token;
          sessionStorage.setItem("arc4j.terminal.token", token);
          document.getElementById("login-error").textContent = "";
          run();
        })
        .catch(function (err) { document.getElementById("login-error").textContent = err.message; });
    });
    document.getElementById("logout").addEventListener("click", logout);
    if (token) { run(); }
  }

  window.Terminal = { api: api, media: media, start: start, text: text, heading: heading, contacts: contacts,
    clips: clips, lister: lister };
})();
