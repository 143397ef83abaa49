"""The Python API. The CLI is a thin layer over this module, so the two never drift.

    from armsledger import Ledger
    led = Ledger("arms.db")
    report = led.ingest(["articles/"])
    led.ledger(recipient="MLI")
    led.deal(led.ledger()[0]["id"])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from armsledger.extract import extract_many
from armsledger.ingest import IngestError, read_paths
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
                  errors: list[IngestError] | None = None) -> Iterator[Article]:
    """Articles from files and folders; unreadable files go to `errors` instead of stopping the batch."""
    for item in read_paths(paths, published=published, outlet=outlet):
        if isinstance(item, IngestError):
            if errors is not None:
                errors.append(item)
            continue
        yield item


def extract_paths(paths: Iterable[str | Path], published: str | None = None, outlet: str | None = None,
                  errors: list[IngestError] | None = None, workers: int = 1) -> Iterator[tuple[Article, list[Claim]]]:
    """(article, claims) for every readable article, without storing anything."""
    arts = list(read_articles(paths, published, outlet, errors)) if workers > 1 else None
    if arts is not None:
        yield from zip(arts, extract_many(arts, workers=workers))
        return
    from armsledger.extract import extract

    for a in read_articles(paths, published, outlet, errors):
        try:
            claims = extract(a)
        except Exception as e:  # one article must not stop a batch: report it and go on
            if errors is not None:
                errors.append(IngestError(a.path or a.id, f"extraction failed: {type(e).__name__}: {e}"))
            continue
        yield a, claims


class Ledger:
    """A ledger stored in SQLite (one file). Every method is what one CLI command does."""

    def __init__(self, path: str | Path | None = None):
        from armsledger.store import Store

        self.store = Store(path)
        self.path = self.store.path

    def ingest(self, paths: Iterable[str | Path], published: str | None = None, outlet: str | None = None,
               on_article: Callable[[Article, bool], None] | None = None) -> IngestReport:
        """Read, extract and store; one transaction per article, so an interrupted run loses nothing stored."""
        from armsledger.extract import extract

        report = IngestReport()
        for article in read_articles(paths, published, outlet, report.errors):
            if self.store.has_article(article.id):
                report.skipped += 1
                if on_article:
                    on_article(article, False)
                continue
            try:
                claims = extract(article)
                added = self.store.add(article, claims)  # one transaction: all of the article or nothing
            except Exception as e:  # reported by name; the batch goes on, and a later run retries it
                report.errors.append(IngestError(article.path or article.id, f"{type(e).__name__}: {e}"))
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

    # -- review (armsledger.store.reviews) -----------------------------------------
    @property
    def reviews(self):
        """Review actions and queries (accept, reject, correct, move, merge; audit)."""
        if getattr(self, "_reviews", None) is None:
            from armsledger.store.reviews import Reviews

            self._reviews = Reviews(self.store)
        return self._reviews

    def _has_reviews(self) -> bool:
        return self.store._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='deal_merges'").fetchone() is not None

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
               stage: str | None = None, year: int | None = None, limit: int | None = None) -> list[dict]:
        return self.store.ledger(supplier=supplier, recipient=recipient, category=category, stage=stage,
                                 year=year, limit=limit)

    def deal(self, deal_id: str) -> Deal | None:
        return self.store.deal(deal_id)

    def deals(self, **filters) -> list[Deal]:
        out = []
        for row in self.ledger(**filters):
            d = self.store.deal(row["id"])
            if d is not None:
                out.append(d)
        return out

    def export_sipri(self, fh: IO[str], reviewed_only: bool = False, **filters) -> int:
        """The SIPRI layout; ``reviewed_only``: deals built from accepted/corrected claims only."""
        from armsledger.serve.export import write_sipri_csv

        deals = self.reviews.reviewed_deals(**filters) if reviewed_only else self.deals(**filters)
        write_sipri_csv(deals, fh)
        return len(deals)

    def reconcile(self, register: str | Path, **filters) -> dict:
        from armsledger.serve.reconcile import read_sipri, reconcile

        return reconcile(self.deals(**filters), read_sipri(register))

    def stats(self) -> dict:
        return self.store.stats()
