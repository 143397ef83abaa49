"""What the tests of the steps after the decision read off an extraction: each transfer as (designation, stage,
supplier, recipient, quantity), from a one-sentence article published on a fixed day."""
from __future__ import annotations

from armsledger.extract import Extractor
from armsledger.models import Article


def transfers(ex: Extractor, text: str) -> list[tuple]:
    return [(c.designation, c.stage, c.supplier, c.recipient, c.quantity)
            for c in ex.extract(Article(text=text, published="2024-05-02")) if c.kind == "transfer"]
