// Lesson page: restore the reading position, send a reading heartbeat while the page is visible,
// keep progress on the device while offline (offline.js sends it when the signal returns), and
// load held-back images on tap (data saver). Progressive enhancement only: the page works fully
// without this script.
(function () {
  "use strict";
  var lesson = document.getElementById("lesson");
  if (!lesson || !window.fetch) { return; }
  var url = lesson.getAttribute("data-heartbeat");
  var csrf = lesson.getAttribute("data-csrf");
  var moduleKey = lesson.getAttribute("data-module");
  var offline = window.PimpasaOffline;
  var user = offline && offline.user;
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
  function keep(kind, scroll) {
    if (!offline || !user || !moduleKey) { return Promise.reject(new Error("no queue")); }
    return offline.queue({user: user, module: moduleKey, kind: kind, scroll: scroll});
  }

  // Opened without a signal (a copy kept on the device): the server has not seen this opening.
  if (offline && (offline.fromCache || !navigator.onLine)) { keep("open"); }

  function send() {
    var scroll = scrollFraction();
    if (!navigator.onLine) { return keep("heartbeat", scroll).catch(function () {}); }
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({scroll: scroll})
    }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error("not counted"); }
    }).catch(function () { return keep("heartbeat", scroll).catch(function () {}); });
  }
  function beat() {
    if (document.visibilityState === "visible") { send(); }
  }
  setInterval(beat, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { send(); }
  });

  // "Tandai selesai" without a signal: keep a "done" event on the device instead of failing.
  var finish = document.getElementById("finish");
  var form = finish && finish.querySelector("form[data-offline-done]");
  function showSaved() {
    var note = document.createElement("p");
    note.className = "flash flash-info";
    note.setAttribute("role", "status");
    note.textContent = finish.getAttribute("data-saved-offline");
    if (form) { form.hidden = true; }
    finish.appendChild(note);
  }
  if (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine || !offline || !user) { return; }  // online: the ordinary form post
      event.preventDefault();
      keep("done").then(showSaved, function () { form.submit(); });
    });
  }
  if (finish && params.get("offline") === "saved") { showSaved(); }  // queued by the service worker

  // Data saver: an image held back is a link; a tap loads the picture in its place.
  Array.prototype.forEach.call(document.querySelectorAll("a.image-held"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var img = document.createElement("img");
      img.src = link.getAttribute("data-src");
      img.alt = link.getAttribute("data-alt") || "";
      ["width", "height"].forEach(function (name) {
        var value = link.getAttribute("data-" + name);
        if (value) { img.setAttribute(name, value); }
      });
      link.parentNode.replaceChild(img, link);
    });
  });
})();
