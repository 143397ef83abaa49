"""A polite HTTP fetcher for `armsledger watch`.

Outlets and GDELT are shared infrastructure: a watcher that hammers them gets
blocked, and one that hangs on a slow server stops keeping the ledger current.
So every request has a timeout, a size cap (the body is read in chunks and
abandoned past the cap), a user agent naming the tool, a minimum interval
between two requests to the same host, and retries with exponential back-off
for the failures that are worth retrying (connection errors, 429 and 5xx).
Conditional requests (ETag / Last-Modified) let a feed that has not changed
cost one 304.

Plain :mod:`urllib`: no extra dependency, and nothing here needs more.
"""
from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from .. import __version__

USER_AGENT = f"armsledger/{__version__} (+https://github.com/armsledger; arms-transfer ledger)"
DEFAULT_TIMEOUT = 20.0  # seconds per request
DEFAULT_MAX_BYTES = 5_000_000  # a page or feed larger than this is refused
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0  # seconds before the first retry; doubled each time
DEFAULT_HOST_INTERVAL = 1.0  # seconds between two requests to one host
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class Response:
    """What a fetch gave: ``status`` 200 with ``body``, 304 (not modified), or ``error`` set."""

    url: str
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    permanent: bool = False  # retrying later will not help (404, too large, not http)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class Fetcher:
    """Fetch URLs politely (see module doc). Thread-safe; one instance per watcher."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
                 host_interval: float = DEFAULT_HOST_INTERVAL, user_agent: str = USER_AGENT):
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = max(0, retries)
        self.backoff = backoff
        self.host_interval = host_interval
        self.user_agent = user_agent
        self._last: dict[str, float] = {}  # host -> monotonic time of its last request
        self._lock = threading.Lock()
        self.requests = 0  # how many requests went out (tests and logs)

    def _wait_for_host(self, host: str) -> None:
        """Sleep until this host's interval has passed since our last request to it."""
        with self._lock:
            now = time.monotonic()
            due = self._last.get(host, 0.0) + self.host_interval
            start = max(now, due)
            self._last[host] = start
        if start > now:
            time.sleep(start - now)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET ``url``; conditional when ``etag``/``last_modified`` are given. Never raises."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Response(url, error="not an http(s) URL", permanent=True)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        delay = self.backoff
        last = Response(url, error="not fetched")
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(delay)
                delay *= 2
            self._wait_for_host(parts.hostname.lower())
            last = self._once(url, headers)
            if last.ok or last.status == 304 or last.permanent:
                return last
        return last

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self.requests += 1
        req = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:  # noqa: S310 - http(s) only, checked
                hdrs = {k.lower(): v for k, v in r.headers.items()}
                size = hdrs.get("content-length", "")
                if size.isdigit() and int(size) > self.max_bytes:
                    return Response(url, r.status, headers=hdrs, permanent=True,
                                    error=f"larger than the size cap ({int(size)} > {self.max_bytes} bytes)")
                chunks, total = [], 0
                while True:
                    chunk = r.read(65536)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > self.max_bytes:
                        return Response(url, r.status, headers=hdrs, permanent=True,
                                        error=f"larger than the size cap ({self.max_bytes} bytes)")
                    chunks.append(chunk)
                return Response(url, r.status, b"".join(chunks), hdrs)
        except urllib.error.HTTPError as e:
            hdrs = {k.lower(): v for k, v in (e.headers or {}).items()}
            if e.code == 304:
                return Response(url, 304, headers=hdrs)
            return Response(url, e.code, headers=hdrs, error=f"HTTP {e.code} {e.reason}",
                            permanent=e.code not in RETRY_STATUS)
        except (urllib.error.URLError, OSError, ValueError) as e:  # refused, timed out, reset, bad URL
            reason = getattr(e, "reason", None) or e
            return Response(url, error=f"{type(e).__name__}: {reason}")
