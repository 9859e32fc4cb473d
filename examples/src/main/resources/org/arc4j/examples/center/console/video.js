// arc4j console: video verification of a case, live view (1/4/9 screens, PTZ, tours) and camera health.
// GA 1383 报警复核 and 视频监控. Video comes as fragmented MP4 over the WebSocket /ws/video into Media Source
// Extensions; plain JavaScript, no build step.
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
  function token() { return sessionStorage.getItem("arc4j.token"); }
  function api(method, path, body) {
    var opts = { method: method, headers: { Authorization: "Bearer " + token() } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(path, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) {
        if (!r.ok) { throw new Error(d.error || ("HTTP " + r.status)); }
        return d;
      });
    });
  }

  // G.711 (ITU-T G.711) to linear samples in [-1, 1]: MSE cannot play it in MP4, so it comes raw for Web Audio.
  function alaw(b) {
    b ^= 0x55;
    var seg = (b & 0x70) >> 4;
    var v = ((b & 0x0F) << 4) + 8;
    if (seg) { v = (v + 0x100) << (seg - 1); }
    return ((b & 0x80) ? v : -v) / 32768;
  }
  function ulaw(b) {
    b = ~b & 0xFF;
    var v = (((b & 0x0F) << 3) + 0x84) << ((b & 0x70) >> 4);
    return ((b & 0x80) ? 0x84 - v : v - 0x84) / 32768;
  }
  var audioContext = null;

  // A camera's raw G.711 into Web Audio, each frame scheduled at its media time against the video's currentTime.
  // The counts of decoded and played samples are on the video element (data-audio-decoded, data-audio-played).
  function G711Audio(video) {
    var decoded = 0;
    var played = 0;
    var gain = null;
    video.dataset.audioDecoded = "0";
    video.dataset.audioPlayed = "0";
    this.frame = function (data) {
      var bytes = new Uint8Array(data);
      var law = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) === "PCMA" ? alaw : ulaw;
      var view = new DataView(data);
      var mediaTime = (view.getUint32(4) * 4294967296 + view.getUint32(8)) / 1000;
      if (!audioContext) { audioContext = new (window.AudioContext || window.webkitAudioContext)(); }
      if (!gain) { gain = audioContext.createGain(); gain.connect(audioContext.destination); }
      if (audioContext.state === "suspended") { audioContext.resume().catch(function () {}); }
      var n = bytes.length - 12;
      var buf = audioContext.createBuffer(1, n, 8000);
      var ch = buf.getChannelData(0);
      for (var i = 0; i < n; i++) { ch[i] = law(bytes[12 + i]); }
      decoded += n;
      video.dataset.audioDecoded = String(decoded);
      var ahead = mediaTime - video.currentTime;
      if (ahead < -0.2 || video.paused && video.currentTime > 0) { return; } // late, or the picture stands still
      var src = audioContext.createBufferSource();
      src.buffer = buf;
      src.connect(gain);
      src.onended = function () { played += n; video.dataset.audioPlayed = String(played); };
      src.start(audioContext.currentTime + Math.max(0, ahead));
    };
    this.close = function () { if (gain) { gain.disconnect(); } };
  }

  // Cameras that serve still pictures (ONVIF snapshots), by id: loadCameras() and the case view fill it.
  var snapshotCameras = {};

  // Still pictures from the camera itself, once a second, where the browser cannot play its video (H.265): an
  // <img class="snapshot"> beside the <video>; data-pictures counts the pictures shown. Returns the stop function.
  function snapshots(video, camera) {
    var img = el("img", null, "snapshot");
    img.alt = camera;
    img.dataset.camera = camera;
    img.dataset.pictures = "0";
    video.hidden = true;
    video.parentNode.insertBefore(img, video.nextSibling);
    var stopped = false;
    var url = null;
    function next() {
      if (stopped) { return; }
      fetch("/api/video/cameras/" + encodeURIComponent(camera) + "/snapshot",
        { headers: { Authorization: "Bearer " + token() } }).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.blob();
      }).then(function (b) {
        if (stopped) { return; }
        if (url) { URL.revokeObjectURL(url); }
        url = URL.createObjectURL(b);
        img.src = url;
        img.dataset.pictures = String(Number(img.dataset.pictures) + 1);
        img.dataset.at = new Date().toISOString();
      }).catch(function (e) { img.dataset.error = e.message; })
        .then(function () { if (!stopped) { setTimeout(next, 1000); } });
    }
    next();
    return function () {
      stopped = true;
      if (url) { URL.revokeObjectURL(url); }
      img.remove();
      video.hidden = false;
    };
  }

  // One camera's stream into one <video>: the first text message names the MIME type and the wall-clock time of
  // media time 0; every binary message is an fMP4 segment appended in order, or, when withAudio asked for it, a
  // raw G.711 frame (starting "PCMA" or "PCMU", where a segment starts with a box size's 0 byte) for Web Audio.
  function Player(video, camera, fromMs, onStart, withAudio) {
    var live = fromMs === null;
    var ms = new MediaSource();
    var queue = [];
    var sb = null;
    var ws = null;
    var closed = false;
    var audio = null;
    var stopSnapshots = null;
    var self = this;
    self.start = null;
    video.muted = true;
    video.dataset.camera = camera;
    video.dataset.playable = "pending";
    video.src = URL.createObjectURL(ms);
    function pump() {
      if (closed || !sb || sb.updating) { return; }
      if (queue.length) {
        try { sb.appendBuffer(queue.shift()); } catch (e) { video.dataset.error = String(e); }
        return;
      }
      var b = video.buffered;
      if (b.length) {
        if (live && b.end(b.length - 1) - video.currentTime > 3) { video.currentTime = b.end(b.length - 1) - 0.5; }
        if (video.currentTime < b.start(0)) { video.currentTime = b.start(0); }
        // a console left open keeps about two minutes of video, not all of it
        if (video.currentTime - b.start(0) > 120) { sb.remove(b.start(0), video.currentTime - 60); return; }
      }
      if (video.paused && b.length) { video.play().catch(function () {}); }
    }
    ms.addEventListener("sourceopen", function () {
      var proto = location.protocol === "https:" ? "wss:" : "ws:";
      ws = new WebSocket(proto + "//" + location.host + "/ws/video?token=" + encodeURIComponent(token())
        + "&camera=" + encodeURIComponent(camera) + (live ? "" : "&from=" + fromMs)
        + (withAudio ? "&audio=g711" : ""));
      ws.binaryType = "arraybuffer";
      ws.onmessage = function (m) {
        if (closed) { return; }
        if (typeof m.data === "string") {
          var msg = JSON.parse(m.data);
          if (msg.type !== "start") { return; }
          self.start = msg;
          video.dataset.mime = msg.mime;
          video.dataset.firstFrameAt = msg.firstFrameAt;
          if (!window.MediaSource || !MediaSource.isTypeSupported(msg.mime)) {
            // an H.265-only camera, for instance: say so instead of a black picture
            video.dataset.playable = "false";
            if (snapshotCameras[camera] && video.parentNode && live) { stopSnapshots = snapshots(video, camera); }
            if (onStart) { onStart(msg, false); }
            ws.close();
            return;
          }
          video.dataset.playable = "true";
          if (msg.audio) { video.dataset.audio = msg.audio; }
          if (msg.audio === "AAC" && withAudio) { video.muted = false; } // AAC plays in the video itself
          sb = ms.addSourceBuffer(msg.mime);
          sb.addEventListener("updateend", pump);
          if (onStart) { onStart(msg, true); }
          return;
        }
        if (new Uint8Array(m.data, 0, 1)[0] !== 0) {
          if (!audio) { audio = new G711Audio(video); }
          audio.frame(m.data);
          return;
        }
        queue.push(m.data);
        pump();
      };
    });
    video.addEventListener("canplay", pump);
    var timer = setInterval(pump, 1000);
    this.close = function () {
      closed = true;
      clearInterval(timer);
      if (ws) { ws.close(); }
      if (audio) { audio.close(); }
      if (stopSnapshots) { stopSnapshots(); }
      video.removeAttribute("src");
      video.load();
    };
  }

  // ---- the case view: pre-alarm video from a chosen point beside live video, pictures, verification ----
  var shownCase = null;
  var players = [];
  var pictureTimer = null;

  function closePlayers() {
    players.forEach(function (p) { p.close(); });
    players = [];
    if (pictureTimer) { pictureTimer(); pictureTimer = null; }
  }

  // Evenly spaced pictures (4 per second of media time) taken from the decoded pre-alarm video: the picture
  // verification of GA 1383 (≥ 4 pictures per second) beside the moving picture.
  function collectPictures(video, strip, start) {
    var step = 0.25;
    var next = null;
    var stopped = false;
    var canvas = document.createElement("canvas");
    function frame(now, meta) {
      if (stopped) { return; }
      var mt = meta.mediaTime;
      if (next === null) { next = Math.ceil(mt / step) * step; }
      if (mt + 0.02 >= next && video.videoWidth) {
        canvas.width = video.videoWidth / 2;
        canvas.height = video.videoHeight / 2;
        canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
        var img = el("img", null, "picture");
        img.src = canvas.toDataURL("image/jpeg", 0.7);
        img.dataset.mediaTime = mt.toFixed(3);
        var at = new Date(new Date(start).getTime() + mt * 1000);
        img.title = at.toISOString();
        strip.appendChild(img);
        while (strip.children.length > 48) { strip.removeChild(strip.firstChild); }
        next = Math.floor(mt / step) * step + step;
      }
      video.requestVideoFrameCallback(frame);
    }
    if (video.requestVideoFrameCallback) { video.requestVideoFrameCallback(frame); }
    return function () { stopped = true; };
  }

  function showCaseVideo(c) {
    var panel = $("#case-video");
    if (!panel) { return; }
    if (shownCase === c.id) { return; }
    closePlayers();
    shownCase = c.id;
    panel.hidden = true;
    api("GET", "/api/video/cases/" + encodeURIComponent(c.id)).then(function (v) {
      if (shownCase !== c.id || !v.cameras.length) { return; }
      panel.hidden = false;
      panel.dataset.caseId = c.id;
      panel.dataset.triggerAt = v.triggerAt;
      var select = $("#case-camera");
      select.textContent = "";
      v.cameras.forEach(function (cam) {
        snapshotCameras[cam.id] = cam.snapshot;
        var o = el("option", cam.id + (cam.name ? " " + cam.name : "") + (cam.fault ? " ⚠ " + cam.fault : ""));
        o.value = cam.id;
        select.appendChild(o);
      });
      renderClips(v.clips);
      playCase(v);
    }).catch(function (e) { $("#video-error").textContent = e.message; });
  }

  function playCase(v) {
    closePlayers();
    var camera = $("#case-camera").value;
    var before = Number($("#prealarm-before").value || 5);
    var from = new Date(v.triggerAt).getTime() - before * 1000;
    var pre = $("#prealarm-video");
    var strip = $("#pictures");
    strip.textContent = "";
    $("#prealarm-from").textContent = "";
    $("#video-error").textContent = "";
    players.push(new Player(pre, camera, from, function (msg, playable) {
      $("#prealarm-from").textContent = t("预录起点 ", "pre-record from ") + new Date(msg.firstFrameAt).toLocaleTimeString()
        + " (" + t("报警 ", "alarm ") + new Date(v.triggerAt).toLocaleTimeString() + ")";
      if (!playable) { $("#video-error").textContent = t("此浏览器不能播放 ", "this browser cannot play ") + msg.mime; return; }
      pictureTimer = collectPictures(pre, strip, msg.firstFrameAt);
    }, true));
    players.push(new Player($("#case-live-video"), camera, null, null));
  }

  function renderClips(clips) {
    var ul = $("#case-clips");
    ul.textContent = "";
    (clips || []).forEach(function (k) {
      var li = el("li", k.camera + ": " + k.state + " — " + k.file + (k.bytes ? " (" + k.bytes + " B)" : "")
        + (k.reason ? " " + k.reason : ""));
      li.dataset.state = k.state;
      ul.appendChild(li);
    });
  }

  function verifyStart() {
    var id = $("#case-video").dataset.caseId;
    $("#video-error").textContent = "";
    api("POST", "/api/cases/" + encodeURIComponent(id) + "/actions", { action: "verify-start", method: $("#verify-method").value })
      .then(function (c) { $("#verify-state").textContent = c.state; })
      .catch(function (e) { $("#video-error").textContent = e.message; });
  }

  // ---- live view: layouts, PTZ, tours, camera health ----
  var cameras = [];
  var tiles = [];
  var selectedTile = 0;
  var tourTimer = null;
  var tourOffset = 0;

  function loadCameras() {
    return api("GET", "/api/video/cameras").then(function (d) {
      cameras = d.cameras;
      cameras.forEach(function (c) { snapshotCameras[c.id] = c.snapshot; });
      renderHealth();
      renderTree();
      renderGroups();
      return cameras;
    });
  }

  function renderHealth() {
    var body = $("#camera-table tbody");
    if (!body) { return; }
    body.textContent = "";
    cameras.forEach(function (c) {
      var tr = el("tr", null, c.fault ? "fault" : "");
      tr.dataset.camera = c.id;
      [c.id, c.name, c.site, c.codec, c.fps === null ? "—" : c.fps + " fps", c.bufferedSeconds + " s",
        c.clockErrorSeconds === null ? "—" : c.clockErrorSeconds + " s", c.fault ? "VIDEO_FAULT " + c.fault : "OK"]
        .forEach(function (x, i) { tr.appendChild(el("td", x, i === 7 ? "health" : "")); });
      var td = el("td");
      if (c.onvif) {
        var b = el("button", t("校时", "Set clock"));
        b.type = "button";
        b.addEventListener("click", function () { api("POST", "/api/video/cameras/" + c.id + "/clock", {}).then(loadCameras); });
        td.appendChild(b);
      }
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  // browsing by device and channel: each device (a GB/T 28181 device, or the RTSP server) with its channels; a
  // channel opens in the selected screen
  function renderTree() {
    var nav = $("#camera-tree");
    if (!nav) { return; }
    nav.textContent = "";
    var devices = {};
    cameras.forEach(function (c) { (devices[c.device] = devices[c.device] || []).push(c); });
    Object.keys(devices).sort().forEach(function (d) {
      var box = el("details");
      box.open = true;
      box.dataset.device = d;
      box.appendChild(el("summary", d + " (" + devices[d].length + ")"));
      devices[d].forEach(function (c) {
        var a = el("a", c.channel + " · " + c.id + (c.name ? " " + c.name : ""), c.fault ? "fault" : "");
        a.dataset.camera = c.id;
        a.addEventListener("click", function () {
          tour(false);
          $("#tour").checked = false;
          var tile = tiles[selectedTile];
          if (tile) { show(tile, c.id); }
        });
        box.appendChild(a);
      });
      nav.appendChild(box);
    });
  }

  // the groups a tour can go through: the cameras' areas or categories
  function renderGroups() {
    var by = $("#tour-by").value;
    var sel = $("#tour-group");
    var keep = sel.value;
    sel.textContent = "";
    sel.hidden = !by;
    if (!by) { return; }
    var seen = {};
    cameras.forEach(function (c) { if (c[by]) { seen[c[by]] = true; } });
    Object.keys(seen).sort().forEach(function (g) { var o = el("option", g); o.value = g; sel.appendChild(o); });
    if (keep && seen[keep]) { sel.value = keep; }
  }

  // the cameras a tour goes through: all, or those of the chosen area or category
  function tourCameras() {
    var by = $("#tour-by").value;
    var g = $("#tour-group").value;
    if (!by || !g) { return cameras; }
    return cameras.filter(function (c) { return c[by] === g; });
  }

  function loadPresets() {
    var sel = $("#ptz-preset");
    sel.textContent = "";
    var tile = tiles[selectedTile];
    var cam = tile && cameras.filter(function (c) { return c.id === tile.camera; })[0];
    if (!cam || !cam.onvif) { return; }
    api("GET", "/api/video/cameras/" + encodeURIComponent(cam.id) + "/presets").then(function (d) {
      if (tiles[selectedTile] !== tile || tile.camera !== cam.id) { return; }
      d.presets.forEach(function (p) {
        var o = el("option", p.name || p.token);
        o.value = p.token;
        sel.appendChild(o);
      });
    }).catch(function (e) { $("#ptz-error").textContent = e.message; });
  }

  function gotoPreset() {
    var tile = tiles[selectedTile];
    var preset = $("#ptz-preset").value;
    if (!tile || !tile.camera || !preset) { return; }
    api("POST", "/api/video/cameras/" + encodeURIComponent(tile.camera) + "/ptz", { preset: preset })
      .then(function () { $("#ptz-error").textContent = t("已转到预置位 ", "at preset ") + preset; })
      .catch(function (e) { $("#ptz-error").textContent = e.message; });
  }

  function layout(n) {
    var grid = $("#live-grid");
    tiles.forEach(function (x) { if (x.player) { x.player.close(); } });
    tiles = [];
    grid.textContent = "";
    grid.className = "live-grid n" + n;
    for (var i = 0; i < n; i++) {
      var tile = el("div", null, "tile");
      var video = el("video");
      video.autoplay = true;
      video.muted = true;
      video.playsInline = true;
      var label = el("span", "", "tile-label");
      tile.appendChild(video);
      tile.appendChild(label);
      (function (idx) { tile.addEventListener("click", function () { selectTile(idx); }); })(i);
      grid.appendChild(tile);
      tiles.push({ el: tile, video: video, label: label, player: null, camera: null });
    }
    selectTile(0);
    fill();
  }

  function selectTile(i) {
    selectedTile = i;
    tiles.forEach(function (x, j) { x.el.classList.toggle("selected", j === i); });
    loadPresets();
  }

  function show(tile, camera) {
    if (tile.camera === camera) { return; }
    if (tile.player) { tile.player.close(); tile.player = null; }
    tile.camera = camera;
    tile.label.textContent = camera || "";
    // the camera's sound only where one camera fills the screen: several at once would be noise
    if (camera) { tile.player = new Player(tile.video, camera, null, null, tiles.length === 1); }
    if (tiles[selectedTile] === tile) { loadPresets(); } // the selected screen's camera changed
  }

  function fill() {
    var list = tourTimer ? tourCameras() : cameras;
    if (!list.length) { return; }
    tiles.forEach(function (tile, i) {
      var idx = tourTimer ? (tourOffset + i) % list.length : i;
      show(tile, i < list.length || tourTimer ? list[idx].id : null);
    });
  }

  // a tour: the screens go through the cameras (all, or one area's or category's), a screenful every few seconds
  function tour(on) {
    if (tourTimer) { clearInterval(tourTimer); tourTimer = null; }
    tourOffset = 0;
    if (on) {
      var secs = Math.max(5, Number($("#tour-seconds").value || 10));
      tourTimer = setInterval(function () {
        tourOffset = (tourOffset + tiles.length) % Math.max(1, tourCameras().length);
        fill();
      }, secs * 1000);
      fill();
    }
  }

  function ptz(pan, tilt, zoom) {
    var tile = tiles[selectedTile];
    if (!tile || !tile.camera) { return; }
    $("#ptz-error").textContent = "";
    api("POST", "/api/video/cameras/" + encodeURIComponent(tile.camera) + "/ptz", { pan: pan, tilt: tilt, zoom: zoom })
      .then(function () { $("#ptz-error").textContent = t("已发送", "sent"); })
      .catch(function (e) { $("#ptz-error").textContent = e.message; });
  }

  function showLive(camera) {
    document.querySelectorAll("main > section.view").forEach(function (s) { s.hidden = s.id !== "live-view"; });
    loadCameras().then(function () {
      if (camera) {
        $("#layout").value = "1";
        layout(1);
        show(tiles[0], camera);
      } else if (!tiles.length) {
        layout(Number($("#layout").value));
      } else { fill(); }
    });
  }

  function hideLive() {
    $("#live-view").hidden = true;
    tour(false);
    $("#tour").checked = false;
    tiles.forEach(function (x) { if (x.player) { x.player.close(); x.player = null; x.camera = null; } });
  }

  window.arc4jVideo = { showLive: showLive, Player: Player };

  document.addEventListener("arc4j:case", function (e) { showCaseVideo(e.detail); });
  document.addEventListener("arc4j:push", function (e) {
    var msg = e.detail;
    if (msg.type === "camera") {
      cameras = cameras.map(function (c) { return c.id === msg.id ? msg : c; });
      renderHealth();
    }
    if (msg.type === "clip" && msg.caseId === shownCase) {
      api("GET", "/api/video/cases/" + encodeURIComponent(shownCase)).then(function (v) { renderClips(v.clips); });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!$("#live-view")) { return; }
    document.querySelectorAll("nav a").forEach(function (a) {
      a.addEventListener("click", function (e) {
        var v = a.getAttribute("data-view");
        if (v === "live") { e.preventDefault(); showLive(null); } else { hideLive(); }
      });
    });
    $("#layout").addEventListener("change", function () { layout(Number($("#layout").value)); });
    $("#tour").addEventListener("change", function () { tour($("#tour").checked); });
    $("#ptz-goto").addEventListener("click", gotoPreset);
    $("#tour-by").addEventListener("change", function () { renderGroups(); if (tourTimer) { tour(true); } });
    $("#tour-group").addEventListener("change", function () { if (tourTimer) { tour(true); } });
    document.querySelectorAll("#ptz button[data-ptz]").forEach(function (b) {
      var v = b.getAttribute("data-ptz").split(",").map(Number);
      b.addEventListener("click", function () { ptz(v[0], v[1], v[2]); });
    });
    $("#case-camera").addEventListener("change", function () { var s = shownCase; shownCase = null; showCaseVideo({ id: s }); });
    $("#prealarm-replay").addEventListener("click", function () { var s = shownCase; shownCase = null; showCaseVideo({ id: s }); });
    $("#verify-start").addEventListener("click", verifyStart);
    // leaving the case view stops its video
    setInterval(function () {
      if ($("#case-view").hidden && shownCase !== null) { closePlayers(); shownCase = null; }
    }, 1000);
  });
})();
