"""What a page costs on the wire, read from Chromium's DevTools protocol (CDP), and the slow
mobile network profile the phone tests run under."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import request, request_finished

# "Slow 3G"-like: about 400 kbit/s each way and a 400 ms round trip.
SLOW_MOBILE = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 // 8,
               "uploadThroughput": 400 * 1000 // 8}


@dataclass
class Transfer:
    url: str
    kind: str
    method: str = "GET"
    status: int = 0
    encoded_bytes: int = 0          # everything received: headers and (compressed) body
    header_bytes: int = 0
    from_cache: bool = False
    from_service_worker: bool = False
    finished: bool = False


@dataclass
class NetworkLog:
    """Every request a page makes, with its bytes as they crossed the network."""

    transfers: dict[str, Transfer] = field(default_factory=dict)

    @classmethod
    def attach(cls, context, page) -> "NetworkLog":
        log = cls()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.on("Network.requestWillBeSent", log._sent)
        cdp.on("Network.responseReceived", log._response)
        cdp.on("Network.loadingFinished", log._finished)
        cdp.on("Network.requestServedFromCache", log._cached)
        log.cdp = cdp
        return log

    def _sent(self, event):
        url = event["request"]["url"]
        if url.startswith("data:"):
            return
        self.transfers[event["requestId"]] = Transfer(url=url, kind=event.get("type", "Other"),
                                                      method=event["request"]["method"])

    def _response(self, event):
        transfer = self.transfers.get(event["requestId"])
        if transfer:
            response = event["response"]
            transfer.status = response.get("status", 0)
            transfer.from_cache = transfer.from_cache or response.get("fromDiskCache", False)
            transfer.from_service_worker = response.get("fromServiceWorker", False)
            transfer.header_bytes = int(response.get("encodedDataLength", 0))

    def _finished(self, event):
        transfer = self.transfers.get(event["requestId"])
        if transfer:
            transfer.encoded_bytes = int(event.get("encodedDataLength", 0))
            transfer.finished = True

    def _cached(self, event):
        transfer = self.transfers.get(event["requestId"])
        if transfer:
            transfer.from_cache = True

    def emulate(self, conditions: dict) -> None:
        self.cdp.send("Network.emulateNetworkConditions", conditions)

    @property
    def over_network(self) -> list[Transfer]:
        """What the page fetched over the network to show itself (GETs not served from cache)."""
        return [t for t in self.transfers.values() if not t.from_cache and t.method == "GET"]

    @property
    def sent(self) -> list[Transfer]:
        """What the page's scripts sent (POSTs: progress, autosave), not part of its weight."""
        return [t for t in self.transfers.values() if t.method != "GET"]

    def total_bytes(self) -> int:
        return sum(t.encoded_bytes for t in self.over_network)

    def body_bytes(self) -> int:
        """The (compressed) bodies alone, without the response headers."""
        return sum(max(0, t.encoded_bytes - t.header_bytes) for t in self.over_network)


PROBE_COOKIE = "weight_probe"


def mark_context(context, base_url: str) -> str:
    """Give a browser context a cookie of its own, so the server can tell its requests
    (the service worker's too) from any other browser's."""
    import uuid

    probe = uuid.uuid4().hex[:12]
    context.add_cookies([{"name": PROBE_COOKIE, "value": probe, "url": base_url}])
    return probe


def sign_in_quietly(context, base_url: str, username: str, password: str) -> None:
    """Sign in through the context's request API: cookies set, no page loaded, cache empty."""
    response = context.request.post(f"{base_url}/login",
                                    form={"identifier": username, "password": password},
                                    max_redirects=0)
    assert response.status == 302, response.status


@dataclass(frozen=True)
class ServerHit:
    probe: str
    path: str
    status: int
    bytes: int  # status line, headers and body as sent


class ServerLog:
    """Every request that reached the app: the ground truth of what crossed the network, the
    service worker's own requests included (the page's DevTools session does not see those)."""

    def __init__(self, app):
        self.app = app
        self.hits: list[ServerHit] = []
        self.ignored: list[Transfer] = []

    def _record(self, sender, response, **extra):
        if response.status_code in (204, 304):
            body = 0
        elif response.direct_passthrough:
            body = int(response.headers.get("Content-Length") or 0)
        else:
            body = len(response.get_data())
        head = len(f"HTTP/1.1 {response.status}\r\n") + sum(
            len(k) + len(v) + 4 for k, v in response.headers.items()) + 2
        self.hits.append(ServerHit(request.cookies.get(PROBE_COOKIE, ""), request.path,
                                   response.status_code, head + body))

    def __enter__(self) -> "ServerLog":
        request_finished.connect(self._record, self.app)
        return self

    def __exit__(self, *exc) -> None:
        request_finished.disconnect(self._record, self.app)

    def beyond(self, page_transfers: list[Transfer], probe: str) -> list[ServerHit]:
        """The hits from the browser context marked with `probe` (see `mark_context`) that the
        page's own requests do not account for (the service worker's)."""
        left = Counter(urlsplit(t.url).path for t in page_transfers)
        left.update(urlsplit(t.url).path for t in self.ignored)
        extra = []
        for hit in self.hits:
            if hit.probe != probe:
                continue
            if left[hit.path]:
                left[hit.path] -= 1
            else:
                extra.append(hit)
        return extra
