// Offline reading and progress that waits for the signal. Progressive enhancement only: every
// page works without this script. Also loaded by the service worker (importScripts) for the
// shared progress queue, so the first part must run in a worker too.
(function (root) {
  "use strict";
  var DB_NAME = "pimpasa", EVENTS = "events", META = "meta";
  var CACHE = "pimpasa-offline-v1";
  var SYNC_URL = "/progress/events";
  var DOWNLOADS = "pimpasa.downloads", FALLBACK_QUEUE = "pimpasa.events";

  // ---- the queue of progress events (IndexedDB; localStorage when IndexedDB is refused) ----
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!root.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(EVENTS, {keyPath: "id"});
        request.result.createObjectStore(META);
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function fallbackList() {
    try { return JSON.parse(root.localStorage.getItem(FALLBACK_QUEUE) || "[]"); } catch (e) { return []; }
  }
  function fallbackSave(list) { root.localStorage.setItem(FALLBACK_QUEUE, JSON.stringify(list)); }
  var hasLocalStorage = (function () { try { return !!root.localStorage; } catch (e) { return false; } })();

  function allEvents() {
    return withStore(EVENTS, "readonly", function (store) { return store.getAll(); })
      .then(function (list) { return (list || []).concat(hasLocalStorage ? fallbackList() : []); },
            function () { return hasLocalStorage ? fallbackList() : []; });
  }
  function removeEvents(ids) {
    var gone = {};
    ids.forEach(function (id) { gone[id] = true; });
    if (hasLocalStorage) {
      fallbackSave(fallbackList().filter(function (e) { return !gone[e.id]; }));
    }
    return withStore(EVENTS, "readwrite", function (store) {
      ids.forEach(function (id) { store.delete(id); });
    }).catch(function () { /* nothing stored there */ });
  }
  function newId() {
    var c = root.crypto;
    if (c && c.randomUUID) { return c.randomUUID(); }
    var bytes = new Uint8Array(16), i;
    if (c && c.getRandomValues) { c.getRandomValues(bytes); }
    else { for (i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function queue(event) {
    var item = {id: newId(), user: String(event.user), module: event.module, kind: event.kind,
                at: new Date().toISOString()};
    if (typeof event.scroll === "number") { item.scroll = Math.min(1, Math.max(0, event.scroll)); }
    return withStore(EVENTS, "readwrite", function (store) { store.put(item); })
      .catch(function () {
        if (!hasLocalStorage) { throw new Error("nowhere to keep the event"); }
        var list = fallbackList(); list.push(item); fallbackSave(list);
      })
      .then(function () { askForSync(); return item; });
  }
  function rememberUser(user) {
    return withStore(META, "readwrite", function (store) { store.put(String(user), "user"); })
      .catch(function () {});
  }
  function currentUser() {
    return withStore(META, "readonly", function (store) { return store.get("user"); });
  }
  function askForSync() {
    var sw = root.navigator && root.navigator.serviceWorker;
    if (!sw || typeof root.document === "undefined") { return; }
    sw.ready.then(function (reg) {
      if (reg.sync) { return reg.sync.register("pimpasa-progress"); }
    }).catch(function () {});
  }

  function postChunk(chunk, token) {
    return fetch(SYNC_URL, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(chunk.map(function (e) {
        var sent = {id: e.id, module: e.module, kind: e.kind, at: e.at};
        if (typeof e.scroll === "number") { sent.scroll = e.scroll; }
        return sent;
      }))
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          return removeEvents(body.applied.concat(body.seen, body.dropped)).then(function () {
            return body.applied.length;
          });
        }
        if (response.status === 400 && typeof body.index === "number" && chunk[body.index]) {
          // This event can never be accepted: drop it and send the rest again.
          var bad = chunk[body.index];
          return removeEvents([bad.id]).then(function () {
            var rest = chunk.filter(function (e) { return e !== bad; });
            return rest.length ? postChunk(rest, token) : 0;
          });
        }
        throw new Error("not sent: " + response.status);
      });
    });
  }

  var flushing = null;
  // Send the signed-in user's queued events; resolves to the number newly counted.
  function flush() {
    if (flushing) { return flushing; }
    flushing = allEvents().then(function (events) {
      if (!events.length) { return 0; }
      return fetch(SYNC_URL, {credentials: "same-origin", cache: "no-store",
                              headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error("signed out"); }
          return response.json();
        })
        .then(function (info) {
          var mine = events.filter(function (e) { return e.user === String(info.user); });
          var size = info.max_events || 200, chunks = [], i, sent = 0;
          for (i = 0; i < mine.length; i += size) { chunks.push(mine.slice(i, i + size)); }
          return chunks.reduce(function (done, chunk) {
            return done.then(function () {
              return postChunk(chunk, info.csrf_token).then(function (n) { sent += n; });
            });
          }, Promise.resolve()).then(function () { return sent; });
        });
    }).catch(function () { return 0; }).then(function (sent) { flushing = null; return sent; });
    return flushing;
  }

  root.PimpasaOffline = {queue: queue, flush: flush, newId: newId, allEvents: allEvents,
                         currentUser: currentUser, cacheName: CACHE};
  if (typeof root.document === "undefined") { return; }  // in the service worker: the queue only

  // ---- the page ----
  var doc = root.document, body = doc.body;
  var user = body.getAttribute("data-user");
  var fromCache = body.hasAttribute("data-from-cache");
  root.PimpasaOffline.user = user;
  root.PimpasaOffline.fromCache = fromCache;

  function showOfflineState() {
    var notice = doc.getElementById("offline-notice");
    if (notice) { notice.hidden = navigator.onLine && !fromCache; }
  }
  showOfflineState();
  root.addEventListener("offline", showOfflineState);
  root.addEventListener("online", function () {
    fromCache = false;
    showOfflineState();
    flush();
  });

  if (user) {
    rememberUser(user);
    if (navigator.onLine && !fromCache) { flush(); }
  }

  if ("serviceWorker" in navigator && root.isSecureContext) {
    root.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
    });
  }

  // Signing out on a shared phone: remove the pages kept for this officer.
  Array.prototype.forEach.call(doc.querySelectorAll("form[action$='/logout']"), function (form) {
    form.addEventListener("submit", function () {
      if (root.caches) { root.caches.delete(CACHE); }
      try { root.localStorage.removeItem(DOWNLOADS); } catch (e) { /* private mode */ }
    });
  });

  // ---- downloads ("Unduh untuk dibaca offline") ----
  function downloads() {
    try { return JSON.parse(root.localStorage.getItem(DOWNLOADS) || "{}"); } catch (e) { return {}; }
  }
  function saveDownload(bundle) {
    var all = downloads();
    all[bundle.course] = {title: bundle.title, url: bundle.url, at: new Date().toISOString(),
                          modules: bundle.modules.map(function (m) { return {title: m.title, url: m.url}; })};
    try { root.localStorage.setItem(DOWNLOADS, JSON.stringify(all)); } catch (e) { /* full */ }
  }
  function localDate(iso) {
    try { return new Date(iso).toLocaleDateString(doc.documentElement.lang || "id"); } catch (e) { return iso; }
  }
  function cacheKey(url) {
    var u = new URL(url, root.location.href);
    return u.pathname.indexOf("/a/") === 0 || u.pathname.indexOf("/media/") === 0 ? u.href : u.origin + u.pathname;
  }
  function fetchInto(cache, url) {
    return fetch(url, {credentials: "same-origin", headers: {"X-Pimpasa-Download": "1"}})
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("not stored: " + url); }
        return cache.put(cacheKey(url), response);
      });
  }
  // "≈ 1,2 MB" in the page's language: the size is stated before anything is fetched
  function approxSize(bytes) {
    var lang = doc.documentElement.lang || "id";
    var mb = bytes >= 1000000, value = mb ? bytes / 1000000 : Math.max(1, Math.round(bytes / 1000));
    var shown = root.Intl ? new Intl.NumberFormat(lang, {maximumFractionDigits: mb ? 1 : 0}).format(value)
                          : String(mb ? Math.round(value * 10) / 10 : value);
    return "\u2248 " + shown + (mb ? " MB" : " KB");
  }
  function download(box, button, status) {
    var text = function (name) { return box.getAttribute("data-" + name) || ""; };
    var size = "";
    button.disabled = true;
    status.textContent = text("starting");
    fetch(box.getAttribute("data-bundle"), {credentials: "same-origin", cache: "no-store",
                                             headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("no bundle"); }
        return response.json();
      })
      .then(function (bundle) {
        if (bundle.bytes) {
          size = " (" + approxSize(bundle.bytes) + ")";
          status.textContent = text("starting") + size;
        }
        return root.caches.open(CACHE).then(function (cache) {
          var done = 0, total = bundle.urls.length;
          bundle.missed = 0;
          // one at a time: gentle on a weak connection, and the progress is honest
          return bundle.urls.reduce(function (previous, url) {
            return previous.then(function () {
              return fetchInto(cache, url).catch(function (error) {
                if (!navigator.onLine) { throw error; }  // the signal went: stop here
                bundle.missed += 1;                       // this page refused: keep the rest
              });
            }).then(function () {
              done += 1;
              status.textContent = text("progress").replace("{done}", done).replace("{total}", total) + size;
            });
          }, Promise.resolve()).then(function () { return bundle; });
        });
      })
      .then(function (bundle) {
        saveDownload(bundle);
        status.textContent = bundle.missed ? text("partial").replace("{missed}", bundle.missed) : text("done");
        box.classList.add("is-downloaded");
        button.disabled = false;
      })
      .catch(function () {
        status.textContent = text("failed");
        button.disabled = false;
      });
  }
  var box = doc.getElementById("offline-download");
  if (box && root.caches && "serviceWorker" in navigator) {
    var button = box.querySelector("button"), status = box.querySelector("[role=status]");
    var saved = downloads()[box.getAttribute("data-course")];
    if (saved) { status.textContent = box.getAttribute("data-saved").replace("{date}", localDate(saved.at)); }
    var known = parseInt(box.getAttribute("data-size"), 10);  // optional: the size, from the page
    if (known > 0) { button.appendChild(doc.createTextNode(" (" + approxSize(known) + ")")); }
    box.hidden = false;
    var note = doc.getElementById("offline-download-note");
    if (note) { note.hidden = true; }
    button.addEventListener("click", function () { download(box, button, status); });
  }

  // ---- the offline page: list the downloaded courses kept on this device ----
  // The offline page shown for a quiz address says why a quiz cannot wait on the device.
  var quizNote = doc.getElementById("offline-quiz"), generic = doc.getElementById("offline-generic");
  if (quizNote && generic) {
    var isQuiz = /\/quiz(\/|$)/.test(root.location.pathname);
    if (isQuiz) { generic.hidden = true; quizNote.parentNode.insertBefore(quizNote, generic); }
    else { quizNote.hidden = true; }
  }
  var list = doc.getElementById("offline-courses");
  if (list) {
    var all = downloads(), slugs = Object.keys(all);
    if (!slugs.length) {
      var empty = doc.createElement("p");
      empty.textContent = list.getAttribute("data-empty");
      list.appendChild(empty);
    } else {
      var ul = doc.createElement("ul");
      ul.className = "cards";
      slugs.forEach(function (slug) {
        var course = all[slug], li = doc.createElement("li"), h = doc.createElement("h3"), a = doc.createElement("a");
        li.className = "card";
        a.href = course.url; a.textContent = course.title; h.appendChild(a); li.appendChild(h);
        var when = doc.createElement("p");
        when.className = "meta";
        when.textContent = list.getAttribute("data-saved").replace("{date}", localDate(course.at));
        li.appendChild(when);
        var ol = doc.createElement("ol");
        course.modules.forEach(function (m) {
          var item = doc.createElement("li"), link = doc.createElement("a");
          link.href = m.url; link.textContent = m.title; item.appendChild(link); ol.appendChild(item);
        });
        li.appendChild(ol);
        ul.appendChild(li);
      });
      list.appendChild(ul);
    }
  }
})(typeof self !== "undefined" ? self : this);
