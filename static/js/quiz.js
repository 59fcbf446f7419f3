// Quiz attempt page: save each answer as it is given, keep answers that could not be sent on the
// device (localStorage) and send them when the connection returns. Progressive enhancement only:
// without this script the "Simpan" and "Kirim jawaban" buttons do the same job.
(function () {
  "use strict";
  var PREFIX = "pimpasa-quiz-";
  var FIELD = /^q(\d+)(?:-(\d+))?$/;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function load(id) {
    var s = storage();
    try { return (s && JSON.parse(s.getItem(PREFIX + id) || "{}")) || {}; } catch (e) { return {}; }
  }
  function store(id, pending) {
    var s = storage();
    if (!s) { return; }
    try {
      if (Object.keys(pending).length) { s.setItem(PREFIX + id, JSON.stringify(pending)); }
      else { s.removeItem(PREFIX + id); }
    } catch (e) { /* storage full or blocked: the server copy still counts */ }
  }

  // The result page: the attempt is over, forget anything kept for it.
  var result = document.getElementById("quiz-result");
  if (result) { store(result.getAttribute("data-attempt"), {}); }

  var form = document.getElementById("quiz-attempt");
  if (!form || !window.fetch || !window.JSON) { return; }
  var id = form.getAttribute("data-attempt");
  var url = form.getAttribute("data-autosave");
  var csrf = form.getAttribute("data-csrf");
  var rescueToken = form.getAttribute("data-rescue") || "";
  var status = document.getElementById("quiz-save-status");
  var pending = load(id); // field name -> [values] not yet confirmed by the server
  var sending = false;
  var stopped = false; // the attempt was closed, or the session ended
  var typing = null;

  function msg(key) { return form.getAttribute("data-msg-" + key) || ""; }
  function say(text, href, label) {
    status.textContent = text;
    if (href) {
      status.appendChild(document.createTextNode(" "));
      var link = document.createElement("a");
      link.href = href;
      link.textContent = label;
      status.appendChild(link);
    }
  }
  function questionOf(name) {
    var match = FIELD.exec(name || "");
    return match ? match[1] : null;
  }
  function controlsOf(number) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return questionOf(el.name) === number;
    });
  }
  // Every field of one question, as the server reads them (an unticked group sends []).
  function valuesOf(number) {
    var fields = {};
    controlsOf(number).forEach(function (el) {
      if (!fields[el.name]) { fields[el.name] = []; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { fields[el.name].push(el.value); }
      } else {
        fields[el.name].push(el.value);
      }
    });
    return fields;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function remember(number) {
    var fields = valuesOf(number);
    Object.keys(fields).forEach(function (name) { pending[name] = fields[name]; });
    store(id, pending);
  }

  function forget(sent) {
    Object.keys(sent).forEach(function (name) {
      if (same(pending[name], sent[name])) { delete pending[name]; }
    });
    store(id, pending);
  }

  function flush() {
    if (stopped || sending || !Object.keys(pending).length) { return; }
    var sent = JSON.parse(JSON.stringify(pending));
    sending = true;
    say(msg("saving"));
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf,
                "X-Rescue-Token": rescueToken},
      body: JSON.stringify({answers: sent})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {code: response.status, data: data};
      });
    }).then(function (reply) {
      sending = false;
      var data = reply.data || {};
      if (reply.code === 200) {
        forget(sent);
        say(msg("saved"));
        flush();
      } else if (reply.code === 401) {
        stopped = true;
        say(msg("session"), data.next_url || form.getAttribute("data-login"), msg("signin"));
      } else if (reply.code === 400 && data.kept) {
        stopped = true;
        say(msg("expired"), data.next_url || window.location.href, msg("reload"));
      } else if (reply.code === 409) {
        stopped = true;
        pending = {};
        store(id, pending);
        say(data.error || msg("closed"), data.result_url, msg("result"));
      } else if (reply.code === 400) {
        forget(sent); // refused input can never be saved; say why
        say(data.error || msg("refused"));
      } else {
        say(msg("offline"));
      }
    }).catch(function () {
      sending = false;
      say(msg("offline"));
    });
  }

  // Answers kept on this device from an earlier visit win over the page: they are newer.
  Object.keys(pending).forEach(function (name) {
    var values = pending[name] || [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name) { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = values.indexOf(el.value) !== -1; }
      else { el.value = values[0] || ""; }
    });
  });

  // Ordering: choosing a place changes that item only (no item is moved behind the officer's back,
  // so arrow keys that step through the numbers never reshuffle the others). A place given to two
  // items is marked on both and announced in the question's status line.
  function checkOrder(el) {
    var number = questionOf(el.name);
    var selects = controlsOf(number).filter(function (c) { return c.classList.contains("order"); });
    var counts = {};
    selects.forEach(function (c) { if (c.value) { counts[c.value] = (counts[c.value] || 0) + 1; } });
    var clashes = [];
    selects.forEach(function (c) {
      var clash = !!(c.value && counts[c.value] > 1);
      if (clash) { c.setAttribute("aria-invalid", "true"); } else { c.removeAttribute("aria-invalid"); }
      if (clash && clashes.indexOf(c.value) === -1) { clashes.push(c.value); }
    });
    var line = document.getElementById("q" + number + "-order-status");
    if (!line) { return; }
    var label = el.labels && el.labels[0] ? el.labels[0].textContent.trim() : "";
    var text = (line.getAttribute("data-set") || "").replace("{item}", label)
      .replace("{place}", el.value || line.getAttribute("data-none"));
    if (clashes.length) {
      text += " " + (line.getAttribute("data-clash") || "").replace("{place}", clashes.join(", "));
    }
    line.textContent = text;
  }

  form.addEventListener("change", function (event) {
    var number = questionOf(event.target.name);
    if (number === null) { return; }
    if (event.target.classList.contains("order")) { checkOrder(event.target); }
    remember(number);
    flush();
  });
  form.addEventListener("input", function (event) {
    var number = questionOf(event.target.name);
    if (number === null || event.target.tagName !== "INPUT" || event.target.type !== "text") { return; }
    remember(number);
    clearTimeout(typing);
    typing = setTimeout(flush, 800);
  });
  // Answers given before this script ran (a slow connection) are sent now.
  function changedOnPage(el) {
    if (el.type === "radio" || el.type === "checkbox") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      var marked = Array.prototype.filter.call(el.options, function (o) { return o.defaultSelected; });
      var initial = marked[0] || el.options[0];
      return el.value !== (initial ? initial.value : "");
    }
    return el.value !== el.defaultValue;
  }
  var early = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    var number = questionOf(el.name);
    if (number !== null && changedOnPage(el)) { early[number] = true; }
  });
  Object.keys(early).forEach(remember);

  window.addEventListener("online", flush);
  setInterval(flush, 20000);
  flush();

  // The time left, counted down on the device; the server alone decides the deadline.
  var deadline = document.getElementById("quiz-deadline");
  var left = document.getElementById("quiz-remaining");
  if (deadline && left) {
    var end = Date.now() + 1000 * parseInt(deadline.getAttribute("data-remaining"), 10);
    var tick = function () {
      var seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      var text = Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
      left.textContent = deadline.getAttribute("data-label") + " " + text;
      if (seconds === 0) {
        clearInterval(timer);
        setTimeout(function () { window.location.reload(); }, 3000);
      }
    };
    var timer = setInterval(tick, 1000);
    tick();
  }
})();
