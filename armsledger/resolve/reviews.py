"""Which review belongs to which claim: the review logic that does not touch storage.

A review is keyed by a stable signature of the claim it was made on (its article, the offsets of
its evidence sentence, its kind, its normalised designation and its stage, as the machine
extracted them), not by the claim id, which changes when the extractor finds one claim more or
less. After re-extraction every review of the article is matched to the new claims, from the
strictest signature to the loosest, so a corrected field stays corrected. The store
(store/reviews.py) reads and writes the reviews; this module only decides.
"""
from __future__ import annotations

import hashlib
from typing import Any

from ..models import Claim
from .deals import normalise_designation

SIGNATURE_FIELDS = ("article_id", "sent_start", "sent_end", "kind", "designation", "stage")
# from the full signature to the same sentence and designation, then the same sentence and stage
MATCH_TIERS = (("sent_start", "sent_end", "kind", "designation", "stage"),
               ("sent_start", "sent_end", "designation"),
               ("sent_start", "sent_end", "stage"))


def signature(c: Claim) -> dict[str, Any]:
    """The stable parts of a claim that a review is keyed on, and their hash (``key``)."""
    art = c.article.get("id") if isinstance(c.article, dict) else str(c.article)
    ev = c.evidence or {}
    sent = ev.get("sentence")
    if sent is not None:
        s0, s1 = sent.start, sent.end
    elif ev:
        s0, s1 = min(e.start for e in ev.values()), max(e.end for e in ev.values())
    else:
        s0 = s1 = -1
    desig = normalise_designation(c.designation, c.maker) or (c.category or "").lower()
    sig = {"article_id": art or "", "sent_start": int(s0), "sent_end": int(s1), "kind": c.kind or "transfer",
           "designation": desig, "stage": c.stage or ""}
    raw = "|".join(str(sig[k]) for k in SIGNATURE_FIELDS)
    sig["key"] = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]
    return sig


def match_reviews(reviews: list[dict[str, Any]], claims: list[Claim]) -> dict[str, dict[str, Any]]:
    """{claim id: review} for an article's reviews (each with its ``key`` and the ``sig`` it was
    made on) over the article's new claims: tier by tier, a review goes to the one claim that
    agrees with it on the tier's fields; a review that fits several claims, or none, waits for a
    looser tier, and is left unmatched at the end rather than guessed."""
    sigs = {c.id: signature(c) for c in claims}
    out: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    for tier in MATCH_TIERS:
        for rev in reviews:
            if rev["key"] in used:
                continue
            hits = [cid for cid, s in sigs.items() if cid not in out and all(s[k] == rev["sig"][k] for k in tier)]
            if len(hits) == 1:
                out[hits[0]] = rev
                used.add(rev["key"])
    return out
