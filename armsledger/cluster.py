"""Extraction on a Dask distributed cluster (``armsledger ingest --scheduler tcp://HOST:PORT``).

Extraction is the slow part of ingest and needs no shared state, so it scales
out: articles go to the cluster in batches (a few hundred each, so the cost of
a task, a few milliseconds, is spread over many articles), and the results come
back to this process, which alone writes to the ledger. Results are yielded in
input order, whatever order the batches finish in, so the ledger is the one a
single-process run builds; storing is idempotent (an article already stored is
skipped), so a run interrupted and started again finishes the job.

At most ``window`` batches are in flight (by default two per worker), so a huge
input never sits in the scheduler's memory. A batch whose task fails (a worker
lost twice, say) is reported article by article; the others go on.

Workers need armsledger installed (the same version). The per-article time
limit applies where the worker may fork (``distributed.worker.daemon: false``);
in a default daemonic worker each article runs without a limit in the worker.
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from .bounded import extract_bounded
from .models import Article, Claim

DEFAULT_BATCH = 200


def extract_batch(articles: list[Article], timeout: float = 0.0) -> list[tuple[list[Claim] | None, str | None]]:
    """Runs on a worker: (claims, None) or (None, reason) for each article, in order."""
    if mp.current_process().daemon:  # a daemonic process may not fork: no time limit here
        timeout = 0.0
    return [(claims, err) for _a, claims, err in extract_bounded(articles, workers=1, timeout=timeout)]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while True:
        batch = list(islice(it, size))
        if not batch:
            return
        yield batch


def extract_on_cluster(articles: Iterable[Article], scheduler: str, batch_size: int = DEFAULT_BATCH,
                       timeout: float = 0.0, window: int | None = None, connect_timeout: float = 30.0
                       ) -> Iterator[tuple[Article, list[Claim] | None, str | None]]:
    """(article, claims, None) or (article, None, reason) for each article, in input order,
    extracted by the workers of the Dask scheduler at ``scheduler`` (``tcp://HOST:PORT``)."""
    from distributed import Client

    from .errors import ArmsledgerError

    try:
        client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise ArmsledgerError(f"{scheduler}: cannot reach the Dask scheduler ({e})") from None
    try:
        if window is None:
            window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque = deque()

        def drain() -> Iterator[tuple[Article, list[Claim] | None, str | None]]:
            batch, fut = pending.popleft()
            try:
                results = fut.result()
            except Exception as e:  # the task failed: every article of the batch is reported
                results = [(None, f"cluster batch failed: {type(e).__name__}: {e}")] * len(batch)
            for art, (claims, err) in zip(batch, results):
                yield art, claims, err

        for batch in _batches(articles, max(1, batch_size)):
            pending.append((batch, client.submit(extract_batch, batch, timeout, pure=False)))
            while len(pending) >= window:
                yield from drain()
        while pending:
            yield from drain()
    finally:
        client.close()
