"""Keep a ledger current from folders, feeds, URL lists and GDELT (``armsledger watch``).

One *cycle* looks at every source once: new or changed files in the folders,
the new items of every feed (fetched with ETag / Last-Modified, so an unchanged
feed costs one 304), the URLs of every list not yet stored, and the arms-related
source URLs of every GDELT data file the index names that was not read before.
Each new page is fetched politely (see fetch.py), its main text extracted with
trafilatura (ingest/html.py), its claims extracted and stored in one
transaction, exactly as ``ingest`` does. What was seen, and every failure with
its reason, goes to the ledger (state.py), so a restart resumes and nothing is
fetched or stored twice. ``run`` repeats cycles; between them it sleeps, but
wakes at once when a watched folder changes (watchfiles).
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..bounded import default_timeout, extract_bounded
from ..ingest import IngestError, read_path
from ..ingest.files import decode_bytes, shown_path
from ..ingest.header import clean_value, normalise_date, read_text
from ..ingest.html import looks_like_html, read_html
from ..models import Article
from ..validate import validate_claims
from . import gdelt
from .fetch import Fetcher, Response
from .state import OK, WatchState

GDELT_MAX_BYTES = 200_000_000  # a GKG file is tens of MB zipped


@dataclass
class WatchReport:
    """What one cycle (or a whole run) did."""

    added: int = 0
    skipped: int = 0  # already in the ledger
    claims: int = 0
    failed: int = 0
    fetched: int = 0
    messages: list[str] = field(default_factory=list)

    def merge(self, other: "WatchReport") -> None:
        self.added += other.added
        self.skipped += other.skipped
        self.claims += other.claims
        self.failed += other.failed
        self.fetched += other.fetched
        self.messages.extend(other.messages)

    def summary(self) -> str:
        return (f"{self.added} article(s) added, {self.skipped} already stored, {self.claims} claim(s), "
                f"{self.failed} failure(s), {self.fetched} page(s) fetched")


def page_article(resp: Response, published: str | None = None, outlet: str | None = None,
                 title: str | None = None) -> Article | IngestError:
    """A fetched page as an Article (HTML through trafilatura, anything else as text)."""
    try:
        text = decode_bytes(resp.body, markup=True)
    except Exception as e:  # _DecodeFailure: binary, empty, undecodable
        return IngestError(resp.url, str(e))
    if looks_like_html(text) or "html" in resp.content_type.lower():
        art = read_html(text, path=resp.url, published=published, outlet=outlet)
    else:
        art = read_text(text, path=resp.url, published=published, outlet=outlet)
    if isinstance(art, Article):
        art.url = art.url or resp.url
        art.title = art.title or clean_value(title)
    return art


def read_url_list(path: str) -> list[str]:
    """The URLs of a list file: one per line; blank lines and ``#`` comments ignored."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


class Watcher:
    """Watches sources and stores what is new in ``store`` (any armsledger store backend)."""

    def __init__(self, store, folders: Iterable[str | Path] = (), feeds: Iterable[str] = (),
                 url_lists: Iterable[str | Path] = (), gdelt_indexes: Iterable[str] = (),
                 fetcher: Fetcher | None = None, timeout: float | None = None, workers: int = 1,
                 max_attempts: int = 3, log: Callable[[str], None] | None = None,
                 gdelt_codes: Iterable[str] = gdelt.ARMS_EVENT_CODES,
                 gdelt_themes: tuple[str, ...] = gdelt.ARMS_THEMES, max_gdelt_urls: int | None = None):
        self.store = store
        self.folders = [Path(f) for f in folders]
        self.feeds = list(feeds)
        self.url_lists = [str(u) for u in url_lists]
        self.gdelt_indexes = list(gdelt_indexes)
        self.fetcher = fetcher or Fetcher()
        self.timeout = default_timeout() if timeout is None else timeout
        self.workers = workers
        self.state = WatchState(store, max_attempts=max_attempts)
        self.log = log or (lambda _msg: None)
        self.gdelt_codes = frozenset(gdelt_codes)
        self.gdelt_themes = tuple(gdelt_themes)
        self.max_gdelt_urls = max_gdelt_urls

    # -- storing -----------------------------------------------------------------
    def _store(self, articles: list[tuple[str, Article]], report: WatchReport) -> dict[str, str | None]:
        """Extract and store (key, article) pairs; returns key -> None (stored or already there)
        or the reason it failed. One transaction per article, as in ``ingest``."""
        results: dict[str, str | None] = {}
        fresh = []
        for key, art in articles:
            if self.store.has_article(art.id):
                report.skipped += 1
                results.setdefault(key, None)
            else:
                fresh.append((key, art))
        keys = iter([k for k, _ in fresh])
        seen_now: set[str] = set()
        for (art, claims, err), key in zip(extract_bounded((a for _, a in fresh), workers=self.workers,
                                                           timeout=self.timeout), keys):
            if err is None:
                try:
                    claims = validate_claims(claims or [])
                    added = self.store.add(art, claims)
                except Exception as e:  # reported with the key; retried on a later cycle
                    err = f"{type(e).__name__}: {e}"
                else:
                    if added and art.id not in seen_now:
                        report.added += 1
                        report.claims += len(claims)
                    else:
                        report.skipped += 1
                    seen_now.add(art.id)
            if err is not None:
                results[key] = err
            else:
                results.setdefault(key, None)
        return results

    def _fail(self, key: str, source: str, reason: str, report: WatchReport, permanent: bool = False,
              fingerprint: str | None = None) -> None:
        self.state.failed(key, source, reason, permanent=permanent, fingerprint=fingerprint)
        report.failed += 1
        msg = f"{key}: {reason}"
        report.messages.append(msg)
        self.log(msg)

    # -- sources -------------------------------------------------------------------
    def _files(self, report: WatchReport) -> None:
        """New and changed files: the fingerprint is (mtime, size), so an edited file is read again."""
        for folder in self.folders:
            paths = [folder] if folder.is_file() else sorted(
                p for p in folder.rglob("*") if p.is_file() and not any(
                    part.startswith(".") for part in p.relative_to(folder).parts))
            for p in paths:
                try:
                    st = p.stat()
                except OSError:
                    continue
                key, fp = f"file:{os.path.realpath(p)}", f"{st.st_mtime_ns}:{st.st_size}"
                if not self.state.wanted(key, fp):
                    continue
                arts, errors = [], []
                for item in read_path(p):
                    (errors if isinstance(item, IngestError) else arts).append(item)
                results = self._store([(key, a) for a in arts], report)
                reasons = [e.reason for e in errors] + [r for r in results.values() if r]
                if reasons and not arts:
                    self._fail(key, str(folder), "; ".join(reasons), report, permanent=bool(errors),
                               fingerprint=fp)
                elif any(results.values()):
                    self._fail(key, str(folder), "; ".join(reasons), report, fingerprint=fp)
                else:
                    self.state.done(key, str(folder), len(arts), fingerprint=fp)
                    for e in errors:  # bad lines of a JSONL file: reported, the rest stored
                        report.messages.append(str(e))

    def _pages(self, urls: list[tuple[str, dict]], source: str, report: WatchReport) -> int:
        """Fetch and store every URL not stored yet; ``urls`` pairs a URL with metadata for it
        (published, outlet, title: what a feed item says, used where the page says nothing).
        Returns how many failed in a way worth retrying later."""
        retry = 0
        todo: list[tuple[str, Article]] = []
        for url, meta in urls:
            key = f"url:{url}"
            if not self.state.wanted(key):
                continue
            resp = self.fetcher.get(url)
            report.fetched += 1
            if not resp.ok:
                self._fail(key, source, resp.error or f"HTTP {resp.status}", report, permanent=resp.permanent)
                retry += not resp.permanent
                continue
            art = page_article(resp, meta.get("published"), meta.get("outlet"), meta.get("title"))
            if isinstance(art, IngestError):
                self._fail(key, source, art.reason, report, permanent=True)
                continue
            todo.append((key, art))
        for key, reason in self._store(todo, report).items():
            if reason:
                self._fail(key, source, reason, report)
                retry += 1
            else:
                self.state.done(key, source, 1)
        return retry

    def _feeds(self, report: WatchReport) -> None:
        import feedparser

        for feed in self.feeds:
            etag, modified = self.state.validators(feed)
            resp = self.fetcher.get(feed, etag=etag, last_modified=modified)
            if resp.status == 304:
                self.state.polled(feed, "not modified")
                continue
            if not resp.ok:
                self.state.polled(feed, FAILED_POLL, reason=resp.error)
                report.failed += 1
                report.messages.append(f"{feed}: {resp.error}")
                self.log(f"{feed}: {resp.error}")
                continue
            parsed = feedparser.parse(resp.body)
            outlet = clean_value(parsed.feed.get("title")) if parsed.get("feed") else None
            items = []
            for e in parsed.entries:
                link = (e.get("link") or "").strip()
                if not link:
                    continue
                pub = normalise_date(e.get("published") or e.get("updated") or "")
                items.append((link, {"published": pub, "outlet": outlet, "title": e.get("title")}))
            if self._pages(items, feed, report):
                # an item to retry: keep the old validators, so the next poll reads the feed again
                self.state.polled(feed, "retry")
            else:
                self.state.polled(feed, OK, etag=resp.etag, last_modified=resp.last_modified)

    def _lists(self, report: WatchReport) -> None:
        for lst in self.url_lists:
            try:
                urls = read_url_list(lst)
            except OSError as e:
                report.failed += 1
                report.messages.append(f"{shown_path(lst)}: {e.strerror or e}")
                continue
            self._pages([(u, {}) for u in urls], lst, report)

    def _gdelt(self, report: WatchReport) -> None:
        """The index lists only the latest files, so a data file or page that failed is retried
        from the state (``watch_items``), not from the index."""
        if self.gdelt_indexes:
            by_source: dict[str, list[tuple[str, dict]]] = {}
            for key, src in self.state.retryable("url:"):
                if src and src.lower().endswith(".zip"):  # a page a GDELT file listed
                    by_source.setdefault(src, []).append((key[len("url:"):], {}))
            for src, items in by_source.items():
                self._pages(items, src, report)
        for index in self.gdelt_indexes:
            etag, modified = self.state.validators(index)
            resp = self.fetcher.get(index, etag=etag, last_modified=modified)
            listed: list[str] = [k[len("gdelt:"):] for k, src in self.state.retryable("gdelt:") if src == index]
            if resp.status == 304:
                self.state.polled(index, "not modified")
            elif not resp.ok:
                self.state.polled(index, FAILED_POLL, reason=resp.error)
                report.failed += 1
                report.messages.append(f"{index}: {resp.error}")
            else:
                listed += gdelt.index_urls(resp.body.decode("utf-8", "replace"))
                self.state.polled(index, OK, etag=resp.etag, last_modified=resp.last_modified)
            for data_url in dict.fromkeys(listed):
                key = f"gdelt:{data_url}"
                if not self.state.wanted(key):
                    continue
                cap, self.fetcher.max_bytes = self.fetcher.max_bytes, max(self.fetcher.max_bytes, GDELT_MAX_BYTES)
                try:
                    data = self.fetcher.get(data_url)
                finally:
                    self.fetcher.max_bytes = cap
                if not data.ok:
                    self._fail(key, index, data.error or f"HTTP {data.status}", report, permanent=data.permanent)
                    continue
                try:
                    urls = gdelt.source_urls(data_url, data.body, self.gdelt_codes, self.gdelt_themes)
                except Exception as e:  # a damaged zip or CSV
                    self._fail(key, index, f"not a GDELT file: {type(e).__name__}: {e}", report, permanent=True)
                    continue
                if self.max_gdelt_urls is not None:
                    urls = urls[:self.max_gdelt_urls]
                self._pages([(u, {}) for u in urls], data_url, report)
                self.state.done(key, index, len(urls))

    # -- running -----------------------------------------------------------------------
    def cycle(self) -> WatchReport:
        """Look at every source once and store what is new."""
        report = WatchReport()
        self._files(report)
        self._lists(report)
        self._feeds(report)
        self._gdelt(report)
        return report

    def run(self, interval: float = 300.0, once: bool = False, stop: threading.Event | None = None,
            on_cycle: Callable[[WatchReport], None] | None = None) -> WatchReport:
        """Cycles until ``stop`` is set (or one with ``once``); waits ``interval`` seconds between
        cycles, waking early when a watched folder changes."""
        total = WatchReport()
        stop = stop or threading.Event()
        while True:
            rep = self.cycle()
            total.merge(rep)
            if on_cycle:
                on_cycle(rep)
            if once or stop.is_set():
                return total
            self._wait(interval, stop)
            if stop.is_set():
                return total

    def _wait(self, interval: float, stop: threading.Event) -> None:
        folders = [str(f) for f in self.folders if f.exists()]
        if not folders:
            stop.wait(interval)
            return
        import watchfiles

        deadline = time.monotonic() + interval
        for _changes in watchfiles.watch(*folders, stop_event=stop, yield_on_timeout=True,
                                         rust_timeout=int(max(0.05, min(interval, 1.0)) * 1000),
                                         debounce=200, raise_interrupt=False):
            if _changes or stop.is_set() or time.monotonic() >= deadline:
                return


FAILED_POLL = "failed"
