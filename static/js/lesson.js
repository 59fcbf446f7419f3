// Lesson page: restore the reading position and send a reading heartbeat while the page is
// visible. Progressive enhancement only: the page works fully without this script.
(function () {
  "use strict";
  var lesson = document.getElementById("lesson");
  if (!lesson || !window.fetch) { return; }
  var url = lesson.getAttribute("data-heartbeat");
  var csrf = lesson.getAttribute("data-csrf");
  var params = new URLSearchParams(window.location.search);
  var pos = parseFloat(params.get("pos"));
  if (pos > 0 && pos <= 1) {
    window.addEventListener("load", function () {
      var max = document.documentElement.scrollHeight - window.innerHeight;
      window.scrollTo(0, Math.round(max * pos));
    });
  }
  function scrollFraction() {
    var max = document.documentElement.scrollHeight - window.innerHeight;
    return max > 0 ? Math.min(1, Math.max(0, window.scrollY / max)) : 1;
  }
  function send() {
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({scroll: scrollFraction()})
    }).catch(function () { /* offline: nothing to count until the signal returns */ });
  }
  function beat() {
    if (document.visibilityState === "visible") { send(); }
  }
  setInterval(beat, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { send(); }
  });
})();
