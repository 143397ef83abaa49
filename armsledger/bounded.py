"""Extraction with a time budget per article, in worker processes.

One pathological article (a sentence repeated thousands of times, a megabyte on
one line) must not hang a batch. :func:`extract_bounded` runs
:func:`armsledger.extract.extract` in forked worker processes; an article that
takes longer than ``timeout`` seconds is reported and its worker is killed and
replaced, and the batch goes on. Results come back in input order. ``workers``
processes run at once (``ingest -j N``).

Where ``fork`` is not available (Windows), or with ``workers=1`` and no
timeout, extraction runs in this process without a time limit.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Iterable, Iterator

from .models import Article, Claim

DEFAULT_TIMEOUT = 60.0  # seconds of extraction per article (ARMSLEDGER_TIMEOUT, ingest --timeout)
TIMEOUT_ENV = "ARMSLEDGER_TIMEOUT"


def default_timeout() -> float:
    """The per-article time budget: ``ARMSLEDGER_TIMEOUT`` seconds, else DEFAULT_TIMEOUT (0 = none)."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


def _extract(article: Article) -> list[Claim]:
    import armsledger.extract as ex  # looked up at call time, so a replaced extract() is used

    return ex.extract(article)


def _worker(conn: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        idx, article = msg
        try:
            result: tuple = (idx, _extract(article), None)
        except BaseException as e:  # noqa: BLE001 - reported to the parent by name
            result = (idx, None, f"extraction failed: {type(e).__name__}: {e}")
        try:
            conn.send(result)
        except Exception as e:  # e.g. a result that cannot be pickled
            conn.send((idx, None, f"extraction failed: {type(e).__name__}: {e}"))


@dataclass
class _Slot:
    proc: Any
    conn: Any
    job: tuple[int, Article, float] | None = None


def _spawn(ctx: Any) -> _Slot:
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_worker, args=(child,), daemon=True)
    proc.start()
    child.close()
    return _Slot(proc, parent)


def _stop(slot: _Slot, kill: bool = False) -> None:
    try:
        if not kill:
            slot.conn.send(None)
    except (OSError, ValueError):
        kill = True
    if kill:
        slot.proc.kill()
    slot.proc.join(timeout=5)
    if slot.proc.is_alive():
        slot.proc.kill()
        slot.proc.join(timeout=5)
    slot.conn.close()


def _in_process(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Claim] | None, str | None]]:
    for a in articles:
        try:
            yield a, _extract(a), None
        except Exception as e:  # one article must not stop a batch
            yield a, None, f"extraction failed: {type(e).__name__}: {e}"


def extract_bounded(articles: Iterable[Article], workers: int = 1, timeout: float | None = None
                    ) -> Iterator[tuple[Article, list[Claim] | None, str | None]]:
    """(article, claims, None) or (article, None, reason) for each article, in input order.

    ``timeout``: seconds of extraction allowed per article (None or 0: no limit);
    an article over it gives the reason "extraction took longer than N s ...".
    """
    workers = max(1, int(workers))
    if (workers == 1 and not timeout) or "fork" not in mp.get_all_start_methods():
        yield from _in_process(articles)
        return
    ctx = mp.get_context("fork")
    try:  # load the extractor's data once here; forked workers share it
        _extract(Article(text="Warm-up."))
    except Exception:
        pass
    it = enumerate(articles)
    slots = [_spawn(ctx) for _ in range(workers)]
    done: dict[int, tuple[Article, list[Claim] | None, str | None]] = {}
    next_out = 0
    exhausted = False
    try:
        while True:
            for i, s in enumerate(slots):
                if s.job is None and not exhausted and len(done) < 64 * workers:
                    try:
                        idx, art = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    try:
                        s.conn.send((idx, art))
                    except (OSError, ValueError) as e:  # the worker is gone: report, replace
                        done[idx] = (art, None, f"extraction worker failed: {e}")
                        _stop(s, kill=True)
                        slots[i] = _spawn(ctx)
                        continue
                    s.job = (idx, art, time.monotonic())
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [s for s in slots if s.job is not None]
            if not busy:
                if exhausted:
                    break
                continue
            now = time.monotonic()
            left = min(s.job[2] + timeout - now for s in busy) if timeout else None  # type: ignore[index]
            wait([s.conn for s in busy] + [s.proc.sentinel for s in busy],
                 timeout=max(0.0, left) if left is not None else None)
            for i, s in enumerate(slots):
                if s.job is None:
                    continue
                idx, art, started = s.job
                if s.conn.poll():
                    try:
                        _, claims, err = s.conn.recv()
                    except (EOFError, OSError):
                        claims, err = None, f"extraction worker died (exit code {s.proc.exitcode})"
                        _stop(s, kill=True)
                        slots[i] = _spawn(ctx)
                    else:
                        s.job = None
                    done[idx] = (art, claims, err)
                elif not s.proc.is_alive():
                    done[idx] = (art, None, f"extraction worker died (exit code {s.proc.exitcode}; "
                                            "out of memory?)")
                    _stop(s, kill=True)
                    slots[i] = _spawn(ctx)
                elif timeout and time.monotonic() - started > timeout:
                    done[idx] = (art, None, f"extraction took longer than {timeout:g} s and was stopped "
                                            f"(raise the limit with --timeout or {TIMEOUT_ENV})")
                    _stop(s, kill=True)
                    slots[i] = _spawn(ctx)
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1
    finally:
        for s in slots:
            _stop(s, kill=s.job is not None)
