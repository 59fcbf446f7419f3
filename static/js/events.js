// Check-in without signal: the event page's code form keeps the check-in on the phone, with the
// moment it was made and the officer it was made for, and sends it when the signal returns.
// Progressive enhancement: without this script the form posts as usual (and needs a signal).
// Loaded on the event pages and the dashboard, so a queued check-in goes out from either.
(function () {
  "use strict";
  var KEY = "pimpasa.checkins";
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function save(list) { try { localStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* full */ } }
  var form = document.getElementById("checkin-form");
  var status = document.getElementById("checkin-queue");
  function say(text) { if (status) { status.textContent = text; } }

  function flush() {
    var list = load();
    if (!list.length || !navigator.onLine) { return; }
    // A fresh token from this page (the one stored with the entry may have expired).
    var holder = form || document.querySelector("[data-events-csrf]");
    var csrf = holder ? (holder.getAttribute("data-csrf") || holder.getAttribute("data-events-csrf")) : null;
    list.forEach(function (entry) {
      fetch(entry.url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf || entry.csrf},
        body: JSON.stringify({code: entry.code, scanned_at: entry.scanned_at, officer: entry.officer})
      }).then(function (response) {
        return response.json().then(function (body) { return {status: response.status, body: body}; });
      }).then(function (result) {
        if (result.status === 400 || result.status >= 500) { return; } // keep it, try again later
        save(load().filter(function (e) { return e.id !== entry.id; }));
        say(result.body.message || (form && form.getAttribute("data-msg-sent")) || "");
        if (result.body.ok && form && String(entry.event) === form.getAttribute("data-event")) {
          window.location.reload();
        }
      }).catch(function () { /* still no signal */ });
    });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      var code = form.querySelector("input[name=code]").value;
      var list = load();
      list.push({id: String(Date.now()) + Math.random(), url: form.getAttribute("data-queue-url"),
                 event: form.getAttribute("data-event"), code: code, scanned_at: Date.now(),
                 officer: parseInt(form.getAttribute("data-officer"), 10),
                 csrf: form.getAttribute("data-csrf")});
      save(list);
      say(form.getAttribute("data-msg-queued"));
    });
    if (load().length) { say(form.getAttribute("data-msg-queued")); }
  }
  // The organiser's QR screen: load the next code when this one's 2 minutes are up.
  var screen = document.getElementById("qr-screen");
  if (screen) {
    var seconds = parseInt(screen.getAttribute("data-refresh"), 10) || 120;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
  window.addEventListener("online", flush);
  flush();
}());
