/*
 * The operator's screen recording (GA 1383 操作人员的工作录像): the console tab is captured with getDisplayMedia
 * (preferring this tab), recorded by MediaRecorder as WebM and uploaded every two seconds as a numbered chunk,
 * each with the case on screen at the time (its retention class then follows the case: at least 180 days,
 * forever for a police alarm). A chunk that fails to upload is retried, in order, before the next one.
 */
(function () {
  "use strict";
  var bar = document.querySelector("header.bar");
  if (!bar || !navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia || !window.MediaRecorder) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.id = "screen-record";
  button.textContent = "录屏 · Record screen";
  var state = document.createElement("span");
  state.id = "screen-record-state";
  state.setAttribute("data-chunks", "0");
  bar.insertBefore(state, bar.querySelector("#logout"));
  bar.insertBefore(button, state);
  var recorder = null;
  var queue = Promise.resolve();
  var seq = 0;
  var id = null;

  function token() { return sessionStorage.getItem("arc4j.token"); }
  function currentCase() {
    var v = document.getElementById("case-view");
    return v && !v.hidden ? v.getAttribute("data-case-id") : null;
  }
  function call(method, path, body, type) {
    var h = { Authorization: "Bearer " + token() };
    if (type) { h["Content-Type"] = type; }
    return fetch(path, { method: method, headers: h, body: body }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) { throw new Error(j.error || r.status); } return j; });
    });
  }
  function upload(blob, n, c, tries) {
    var q = c ? "?case=" + encodeURIComponent(c) : "";
    return call("PUT", "/api/work/recordings/" + id + "/chunks/" + n + q, blob, "video/webm").then(function () {
      state.setAttribute("data-chunks", String(n + 1));
      state.textContent = "● " + (n + 1);
    }).catch(function (e) {
      if (tries > 0) { return new Promise(function (ok) { setTimeout(ok, 1000); }).then(function () { return upload(blob, n, c, tries - 1); }); }
      state.textContent = "录屏上传失败 · upload failed: " + e.message;
      state.setAttribute("data-error", e.message);
    });
  }
  function stop() {
    if (recorder && recorder.state !== "inactive") { recorder.stop(); }
    if (recorder) { recorder.stream.getTracks().forEach(function (t) { t.stop(); }); }
    recorder = null;
    button.textContent = "录屏 · Record screen";
  }
  button.addEventListener("click", function () {
    if (recorder) { stop(); return; }
    navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 5 }, audio: false, preferCurrentTab: true })
      .then(function (stream) {
        return call("POST", "/api/work/recordings").then(function (j) {
          id = j.id;
          seq = 0;
          state.setAttribute("data-recording", id);
          var type = MediaRecorder.isTypeSupported("video/webm;codecs=vp8") ? "video/webm;codecs=vp8" : "video/webm";
          recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 500000 });
          recorder.ondataavailable = function (e) {
            if (!e.data || !e.data.size) { return; }
            var n = seq++;
            var c = currentCase();
            queue = queue.then(function () { return upload(e.data, n, c, 5); });
          };
          stream.getVideoTracks()[0].addEventListener("ended", stop);
          recorder.start(2000);
          button.textContent = "停止录屏 · Stop recording";
        });
      })
      .catch(function (e) {
        state.textContent = "无法录屏 · cannot record: " + e.name + " " + e.message;
        state.setAttribute("data-error", e.name + ": " + e.message);
      });
  });
  window.arc4jScreenRecorder = { stop: stop };
})();
