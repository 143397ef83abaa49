"""Sources in every view: contradictions name the outlet and date of each side.

:func:`cite` rewrites a deal's contradictions (and running-total checks) in place:
article hashes in descriptions become "Outlet, YYYY-MM-DD", the field label is
not repeated at the start of the description (views print ``field: description``),
and each side gets ``sources``: the url, outlet, publication date and title of
the article behind each of its claims (the first SOURCES_PER_SIDE of them; ``n_sources``
counts all).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from ..models import Deal

_ARTICLE_ID = re.compile(r"\b[0-9a-f]{16}\b")


def source_label(meta: dict[str, Any] | None) -> str | None:
    """"Coastal Daily, 2023-05-13" (outlet or file name, and publication date when known)."""
    if not meta:
        return None
    name = meta.get("outlet") or (Path(str(meta["path"])).name if meta.get("path") else None) or meta.get("id")
    return f"{name}, {meta['published']}" if meta.get("published") else name


def source_of(meta: dict[str, Any] | None, claim_id: str) -> dict[str, Any]:
    meta = meta or {}
    return {"claim": claim_id, "article": meta.get("id"), "outlet": meta.get("outlet"),
            "published": meta.get("published"), "url": meta.get("url"), "title": meta.get("title")}


# sources listed per side of a contradiction: enough to check a claim against its outlets; a deal told
# by hundreds of articles would otherwise list every one of them for every contradiction (a 976-claim
# deal: 145,000 sources, 28 MB). ``n_sources`` counts them all, and every claim id stays on its side.
SOURCES_PER_SIDE = 10


def cite(deal: Deal, lookup: Callable[[str], dict[str, Any] | None] | None = None) -> Deal:
    """Name sources in ``deal``'s contradictions and checks (see module doc). ``lookup`` gives
    an article's metadata for ids that none of the deal's claims come from (running totals).
    Each side lists the sources of its first SOURCES_PER_SIDE claims and counts them all in ``n_sources``."""
    by_article = {c.article.get("id"): c.article for c in deal.claims if isinstance(c.article, dict)}

    def meta(article_id: str | None) -> dict[str, Any] | None:
        if not article_id:
            return None
        if article_id not in by_article and lookup is not None:
            by_article[article_id] = lookup(article_id)  # type: ignore[assignment]
        return by_article.get(article_id)

    for x in [*deal.contradictions, *(deal.checks or [])]:
        desc = x.description
        if desc.lower().startswith(x.field.lower() + ": "):
            desc = desc[len(x.field) + 2:]
        x.description = _ARTICLE_ID.sub(lambda m: source_label(meta(m[0])) or m[0], desc)
        for side in x.sides:
            ids = side.get("claims", [])
            side["sources"] = [source_of(meta(str(cid).rsplit("-", 1)[0]), cid) for cid in ids[:SOURCES_PER_SIDE]]
            side["n_sources"] = len(ids)
    return deal
