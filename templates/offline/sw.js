// Pimpasa Learning service worker, rendered by learning/web/offline.py from templates/offline/sw.js.
// Pages: network first, the device's copy when the network fails (or is very slow).
// Hashed assets (/a/) and images (/media/): from the device first, they never change.
// A "Tandai selesai" sent while the signal is gone is queued on the device, like offline.js does.
"use strict";
var VERSION = {{ version|tojson }};
var CACHE = "pimpasa-offline-v1";
var PRECACHE = {{ precache|tojson }};
// The offline page travels inside this script, so installing costs no extra request.
var OFFLINE_PAGE = {{ offline_page|tojson }};
var SLOW_NETWORK_MS = 8000;
var PAGE_PATHS = [/^\/$/, /^\/courses\/[^/]+\/$/, /^\/courses\/[^/]+\/[^/]+$/];
var DONE_PATH = /^\/courses\/([^/]+)\/([^/]+)\/done$/;

// ---- static/js/offline.js, included whole (one file fewer to fetch): self.PimpasaOffline ----
{{ queue_source|safe }}
// ---- end of static/js/offline.js ----

self.addEventListener("install", function (event) {
  // Keep the page assets the browser already holds (only-if-cached: no network at all);
  // any other asset is kept the first time a page asks for it.
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(PRECACHE.map(function (url) {
      return cache.match(url).then(function (hit) {
        if (hit) { return; }
        return fetch(url, {cache: "only-if-cached", mode: "same-origin"}).then(function (response) {
          if (response.ok) { return cache.put(url, response); }
        }).catch(function () { /* not in the browser cache: kept when first used */ });
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("pimpasa-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function pageKey(url) { return url.origin + url.pathname; }

function fromCache(key) {
  return caches.open(CACHE).then(function (cache) { return cache.match(key); });
}

// A copy from the device is marked on <body>, so the page can say it is offline and count
// the opening of a module as an offline event.
function markFromCache(response) {
  return response.text().then(function (text) {
    return new Response(text.replace("<body ", "<body data-from-cache=\"1\" "), {
      status: 200, headers: {"Content-Type": "text/html; charset=utf-8", "X-Served-From": "device"}
    });
  });
}

function offlineFallback(key) {
  return fromCache(key).then(function (hit) {
    return markFromCache(hit || new Response(OFFLINE_PAGE));
  });
}

function networkFirst(event, url) {
  var key = pageKey(url);
  var keep = PAGE_PATHS.some(function (re) { return re.test(url.pathname); });
  var network = fetch(event.request).then(function (response) {
    var type = response.headers.get("Content-Type") || "";
    if (keep && response.ok && !response.redirected && response.type === "basic"
        && type.indexOf("text/html") === 0) {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(key, copy); }));
    }
    return response;
  });
  return new Promise(function (resolve) {
    var settled = false;
    function settle(response) { if (!settled) { settled = true; resolve(response); } }
    var timer = setTimeout(function () {
      fromCache(key).then(function (hit) { if (hit) { markFromCache(hit).then(settle); } });
    }, SLOW_NETWORK_MS);
    network.then(function (response) { clearTimeout(timer); settle(response); }, function () {
      clearTimeout(timer);
      offlineFallback(key).then(settle);
    });
  });
}

// A smaller copy of an image (/media/360/<sha>.webp, picked by srcset) that is not on the
// device while the signal is gone: the full-size image a download kept shows instead.
var MEDIA_COPY = /^\/media\/\d+\/([0-9a-f]{64}\.[a-z]+)$/;

function cacheFirst(event) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(event.request).then(function (hit) {
      return hit || fetch(event.request).then(function (response) {
        if (response.ok && response.type === "basic") {
          event.waitUntil(cache.put(event.request, response.clone()));
        }
        return response;
      }, function (error) {
        var copy = MEDIA_COPY.exec(new URL(event.request.url).pathname);
        if (!copy) { throw error; }
        return cache.match(self.location.origin + "/media/" + copy[1]).then(function (full) {
          if (full) { return full; }
          throw error;
        });
      });
    });
  });
}

// The form post failed for want of a signal: keep a "done" event and show the module again.
function doneOrQueue(event, url) {
  var match = DONE_PATH.exec(url.pathname);
  return fetch(event.request.clone()).catch(function () {
    var modulePath = "/courses/" + match[1] + "/" + match[2];
    return self.PimpasaOffline.currentUser().then(function (user) {
      if (!user) { throw new Error("unknown user"); }
      return self.PimpasaOffline.queue({user: user, module: match[1] + "/" + match[2], kind: "done"});
    }).then(function () {
      return Response.redirect(modulePath + "?offline=saved", 303);
    }, function () { return offlineFallback(self.location.origin + modulePath); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate" && DONE_PATH.test(url.pathname)) {
    event.respondWith(doneOrQueue(event, url));
    return;
  }
  if (request.method !== "GET") { return; }
  if (url.pathname.indexOf("/a/") === 0 || url.pathname.indexOf("/media/") === 0) {
    event.respondWith(cacheFirst(event));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, url));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "pimpasa-progress") { event.waitUntil(self.PimpasaOffline.flush()); }
});

self.addEventListener("message", function (event) {
  if (event.data === "flush") { event.waitUntil(self.PimpasaOffline.flush()); }
});
// version {{ version }}
