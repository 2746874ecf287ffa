// Reading time of a study material: while the page is visible (document.visibilityState) it reports every few
// seconds how long it was visible since its last report; the server adds no more than the time since the last
// report it received, capped per report. A hidden (background) tab reports nothing; coming back starts afresh.
(function () {
  "use strict";
  var box = document.querySelector("[data-study-beat]");
  if (!box || !window.fetch) return;
  var url = box.dataset.studyBeat;
  var every = Math.max(1, parseInt(box.dataset.every, 10) || 15) * 1000;
  var token = box.dataset.csrf;
  var timer = null;
  var last = 0;
  var bar = box.querySelector("[data-study-bar]");
  var spent = box.querySelector("[data-study-minutes]");
  var done = box.querySelector("[data-study-done]");
  function show(data) {
    if (!data || data.error) return;
    box.dataset.seconds = data.seconds;
    if (bar) { bar.style.width = data.percent + "%"; bar.setAttribute("aria-valuenow", data.percent); }
    if (spent) spent.textContent = data.minutes;
    if (data.finished) {
      box.dataset.finished = "1";
      if (done) done.classList.remove("d-none");
    }
  }
  function send(elapsed) {
    var body = new URLSearchParams();
    body.set("elapsed", String(elapsed));
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
      body: body
    }).then(function (r) { return r.json(); }).then(show).catch(function () { /* offline: the next beat tries */ });
  }
  function tick() {
    if (document.visibilityState !== "visible") { stop(); return; }
    var now = Date.now();
    send(Math.min(Math.round((now - last) / 1000), 2 * every / 1000));
    last = now;
  }
  function start() {
    if (timer) return;
    last = Date.now();
    send(0);
    timer = window.setInterval(tick, every);
  }
  function stop() {
    if (timer) { window.clearInterval(timer); timer = null; }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") start(); else stop();
  });
  if (document.visibilityState === "visible") start();
})();
