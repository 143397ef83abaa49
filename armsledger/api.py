"""The Python API. The CLI is a thin layer over this module, so the two never drift.

    from armsledger import Ledger
    led = Ledger("arms.db")
    report = led.ingest(["articles/"])
    led.ledger(recipient="MLI")
    led.deal(led.ledger()[0]["id"])
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from armsledger.bounded import default_timeout, extract_bounded
from armsledger.errors import UsageError
from armsledger.ingest import IngestError, read_paths
from armsledger.validate import validate_claims
from armsledger.models import Article, Claim, Deal


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0  # already in the ledger (same content hash)
    claims: int = 0
    errors: list[IngestError] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.added} article(s) added, {self.skipped} already stored, {self.claims} claim(s), "
                f"{len(self.errors)} error(s)")


def read_articles(paths: Iterable[str | Path], published: str | None = None, outlet: str | None = None,
                  errors: list[IngestError] | None = None, max_bytes: int | None = None,
                  on_error: Callable[[IngestError], None] | None = None,
                  exclude: frozenset[str] = frozenset()) -> Iterator[Article]:
    """Articles from files and folders; unreadable files go to `errors` (and `on_error`, as they
    happen) instead of stopping the batch. ``max_bytes``: the size cap (see armsledger.ingest)."""
    for item in read_paths(paths, published=published, outlet=outlet, max_bytes=max_bytes, exclude=exclude):
        if isinstance(item, IngestError):
            if errors is not None:
                errors.append(item)
            if on_error is not None:
                on_error(item)
            continue
        yield item


def extract_paths(paths: Iterable[str | Path], published: str | None = None, outlet: str | None = None,
                  errors: list[IngestError] | None = None, workers: int = 1, timeout: float | None = None,
                  max_bytes: int | None = None, on_error: Callable[[IngestError], None] | None = None
                  ) -> Iterator[tuple[Article, list[Claim]]]:
    """(article, claims) for every readable article, without storing anything.

    ``timeout``: seconds of extraction per article (None: ARMSLEDGER_TIMEOUT or
    60 s; 0: no limit); an article over it is reported in ``errors`` and skipped.
    """
    def report(err: IngestError) -> None:
        if errors is not None:
            errors.append(err)
        if on_error is not None:
            on_error(err)

    arts = read_articles(paths, published, outlet, None, max_bytes=max_bytes, on_error=report)
    for a, claims, err in extract_bounded(arts, workers=workers,
                                          timeout=default_timeout() if timeout is None else timeout):
        if err is not None:
            report(IngestError(a.path or a.id, err))
            continue
        yield a, validate_claims(claims or [])


class Ledger:
    """A ledger stored in SQLite (one file) or PostgreSQL (a ``postgresql://`` URL). Every method
    is what one CLI command does.

    ``create=False`` opens an existing ledger only (a missing file raises
    :class:`armsledger.errors.DatabaseError` instead of creating one).
    Filters take what the CLI takes: ISO3 codes or names ("Mali", "Malian"),
    stages in any case, categories or category groups; an unknown value raises
    :class:`armsledger.errors.UnknownValue` naming it, with suggestions.
    """

    def __init__(self, path: str | Path | None = None, create: bool = True):
        from armsledger.store import open_store

        self.store = open_store(path, create=create)  # SQLite file, or a postgresql:// URL
        self.path = self.store.path

    def ingest(self, paths: Iterable[str | Path], published: str | None = None, outlet: str | None = None,
               on_article: Callable[[Article, bool], None] | None = None, workers: int = 1,
               timeout: float | None = None, max_bytes: int | None = None,
               on_error: Callable[[IngestError], None] | None = None, scheduler: str | None = None,
               batch_size: int | None = None) -> IngestReport:
        """Read, extract and store; one transaction per article, so an interrupted run loses nothing stored.

        ``workers`` processes extract at once; ``timeout`` bounds each article's extraction
        (seconds; None: ARMSLEDGER_TIMEOUT or 60 s; 0: none); files over ``max_bytes`` are
        not read. Every problem goes to the report's errors, and to ``on_error`` as it happens.
        ``scheduler`` (``tcp://HOST:PORT``): extraction runs on that Dask cluster instead, in
        batches of ``batch_size`` articles (see armsledger.cluster); storing stays here, in order.
        """
        report = IngestReport()

        def fail(err: IngestError) -> None:
            report.errors.append(err)
            if on_error is not None:
                on_error(err)

        def new_articles() -> Iterator[Article]:
            own = frozenset() if self.path == ":memory:" else frozenset(
                os.path.realpath(self.path + suffix) for suffix in ("", "-wal", "-shm", "-journal"))
            for article in read_articles(paths, published, outlet, None, max_bytes=max_bytes, on_error=fail,
                                         exclude=own):
                if self.store.has_article(article.id):
                    report.skipped += 1
                    if on_article:
                        on_article(article, False)
                    continue
                yield article

        limit = default_timeout() if timeout is None else timeout
        if scheduler:
            from armsledger.cluster import DEFAULT_BATCH, extract_on_cluster

            extracted = extract_on_cluster(new_articles(), scheduler, batch_size=batch_size or DEFAULT_BATCH,
                                           timeout=limit)
        else:
            extracted = extract_bounded(new_articles(), workers=workers, timeout=limit)
        for article, claims, err in extracted:
            if err is not None:
                fail(IngestError(article.path or article.id, err))
                continue
            try:
                claims = validate_claims(claims or [])
                added = self.store.add(article, claims)  # one transaction: all of the article or nothing
            except Exception as e:  # reported by name; the batch goes on, and a later run retries it
                fail(IngestError(article.path or article.id, f"{type(e).__name__}: {e}"))
                continue
            if added:
                report.added += 1
                report.claims += len(claims)
            else:
                report.skipped += 1
            if on_article:
                on_article(article, True)
        if report.added and self._has_reviews():
            self.reviews.apply_merges()  # new claims of merged-away deals join their targets
        return report

    def resolve_filters(self, supplier: str | None = None, recipient: str | None = None,
                        category: str | None = None, stage: str | None = None, year: int | None = None,
                        limit: int | None = None, year_from: int | None = None, year_to: int | None = None,
                        outlet: str | None = None, has_contradictions: bool | None = None) -> dict[str, Any]:
        """Filters as the user wrote them → the values stored (raises UnknownValue or UsageError).

        Countries and actors by ISO3 code or name ("Mali", "Malian"), stages in any case,
        categories or category groups; years within 1-9999; ``limit`` 0 or more."""
        from armsledger.filters import (MAX_LIMIT, MAX_YEAR, MIN_YEAR, check_int, resolve_actor,
                                        resolve_category, resolve_stage)

        out: dict[str, Any] = {}
        if supplier:
            out["supplier"] = resolve_actor(supplier, self.store.distinct("supplier"))
        if recipient:
            out["recipient"] = resolve_actor(recipient, self.store.distinct("recipient"))
        if category:
            out["category"] = resolve_category(category, self.store.distinct("category"))
        if stage:
            out["stage"] = resolve_stage(stage)
        for name, value in (("year", year), ("year_from", year_from), ("year_to", year_to)):
            if value is not None and value != "":
                out[name] = check_int(name.replace("_", "-"), value, MIN_YEAR, MAX_YEAR)
        if limit is not None:
            out["limit"] = check_int("limit", limit, 0, MAX_LIMIT)
        if outlet and str(outlet).strip():
            out["outlet"] = str(outlet).strip()
        if has_contradictions is not None:
            out["has_contradictions"] = bool(has_contradictions)
        return out

    # -- review (armsledger.store.reviews) -----------------------------------------
    @property
    def reviews(self):
        """Review actions and queries (accept, reject, correct, move, merge; audit)."""
        if getattr(self, "_reviews", None) is None:
            from armsledger.store.reviews import Reviews

            self._reviews = Reviews(self.store)
        return self._reviews

    def _has_reviews(self) -> bool:
        return self.store._has_table("deal_merges")  # reviews exist only where the workbench made them

    def reextract(self, article_ids: Iterable[str] | None = None) -> dict:
        """Extract stored articles again (all when ``article_ids`` is None) and replace their
        claims; reviews and merges are applied again to the new claims."""
        from armsledger.extract import extract

        ids = list(article_ids) if article_ids is not None else [
            r[0] for r in self.store._conn.execute("SELECT id FROM articles ORDER BY rowid")]
        done = claims = kept = 0
        for aid in ids:
            article = self.store.article(aid)
            if article is None:
                continue
            found = extract(article)
            kept += self.reviews.replace_claims(article, found)
            done += 1
            claims += len(found)
        return {"articles": done, "claims": claims, "reviews_applied": kept}

    def ledger(self, supplier: str | None = None, recipient: str | None = None, category: str | None = None,
               stage: str | None = None, year: int | None = None, limit: int | None = None,
               sources: bool = True, **more: Any) -> list[dict]:
        """One dict per deal, with its sources (``outlets``, ``urls``, ``published``: those of its
        articles; ``sources=False`` leaves them out). Filters: supplier, recipient, category, stage,
        year, year_from, year_to, outlet, has_contradictions, limit (names resolved as the CLI does)."""
        try:
            f = self.resolve_filters(supplier, recipient, category, stage, year, limit, **more)
        except TypeError as e:  # a keyword that is not a filter
            raise UsageError(f"unknown filter: {e}") from None
        rows = self.store.ledger(**f)
        if sources:
            found = self.store.deal_sources([r["id"] for r in rows])
            for r in rows:
                r.update(found.get(r["id"], {}))
        return rows

    def article(self, article_id: str) -> tuple[Article, list[Claim]] | None:
        """A stored article and its claims; ``article_id`` may also be a claim id ("<article>-<n>")."""
        ident = article_id.strip()
        a = self.store.article(ident)
        if a is None and "-" in ident:
            ident = ident.rsplit("-", 1)[0]
            a = self.store.article(ident)
        if a is None:
            return None
        return a, self.store.claims(article_id=a.id)

    def deal(self, deal_id: str) -> Deal | None:
        """The full deal: claims with evidence and sources, tranches, contradictions, running totals."""
        return self.store.deal(deal_id)

    def deals(self, **filters: Any) -> list[Deal]:
        """Full deals for the ledger rows the filters select."""
        out = []
        for row in self.ledger(sources=False, **filters):
            d = self.store.deal(row["id"])
            if d is not None:
                out.append(d)
        return out

    def _deal_ids(self, filters: dict[str, Any]) -> list[str] | None:
        return [r["id"] for r in self.ledger(sources=False, **filters)] if filters else None

    def claims_table(self, **filters: Any) -> tuple[list[str], Iterator[tuple]]:
        """(columns, rows) of the ``claims_flat`` view: one claim per row, plain columns (country codes
        and names, designation, family, category, quantity, stage, date, granularity, attribution,
        hedged, terms, deal id, article id, url, outlet, published, title, the quote of each field)."""
        return self.store.flat("claims_flat", self._deal_ids(filters))

    def deals_table(self, **filters: Any) -> tuple[list[str], Iterator[tuple]]:
        """(columns, rows) of the ``deals_summary`` view: one deal per row, plain columns, with
        the outlets and URLs of its sources."""
        return self.store.flat("deals_summary", self._deal_ids(filters))

    def claims_frame(self, **filters: Any) -> Any:
        """The claims as a pandas DataFrame (``pip install 'armsledger[frames]'``); ledger filters apply."""
        from armsledger.serve.export import frame

        return frame(*self.claims_table(**filters))

    def deals_frame(self, **filters: Any) -> Any:
        """The deals as a pandas DataFrame, one row per deal (same columns as the ``deals_summary`` view)."""
        from armsledger.serve.export import frame

        return frame(*self.deals_table(**filters))

    def export_claims(self, out: Any, fmt: str = "csv", **filters: Any) -> int:
        """Write one claim per row: CSV to a text stream, or ``xlsx``/``parquet`` to a file path."""
        from armsledger.serve.export import write_flat

        return write_flat(*self.claims_table(**filters), out, fmt)

    def export_sipri(self, fh: IO[str], include_unconfirmed: bool = False, reviewed_only: bool = False,
                     **filters) -> int:
        """Register rows for the deals with an order or a delivery (SIPRI's rule); with
        ``include_unconfirmed`` pledged, expected and denied deals too, marked in the status
        column; with ``reviewed_only`` deals built from accepted or corrected claims only. Deals
        without a family or a meaningful category are never rows. Returns the number of rows written."""
        from armsledger.serve.export import write_sipri_csv

        if reviewed_only:
            deals = self.reviews.reviewed_deals(**self.resolve_filters(**filters))
        else:
            deals = self.deals(**filters)
        return write_sipri_csv(deals, fh, confirmed_only=not include_unconfirmed)

    def reconcile(self, register: str | Path, **filters) -> dict:
        from armsledger.serve.reconcile import read_sipri, reconcile

        return reconcile(self.deals(**filters), read_sipri(register))

    def stats(self) -> dict:
        return self.store.stats()
