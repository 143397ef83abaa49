"""The data types that flow between the stages: Article → Claim → Deal.

Every stage takes and returns these plain dataclasses, so any stage can be run,
tested or replaced alone, and everything serialises to JSON without custom code.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

STAGES = ("ordered", "delivered", "expected", "pledged", "denied")
KINDS = ("transfer", "cumulative")
GRANULARITIES = ("day", "month", "year")

_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The text as stored: the one form every offset points into.

    No-break and other odd spaces become plain spaces and line ends become \\n,
    so quotes copied from a browser match; paragraphs are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\u200a\u3000\t\f\v]", " ", text)
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\x00", "")
    lines = [ln.rstrip() for ln in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def article_id(text: str) -> str:
    """Content hash of the normalised text with all whitespace collapsed.

    Two copies of one article that differ only in layout get the same id,
    which is what makes ingest idempotent across paths and formats.
    """
    canon = _SPACES.sub(" ", normalise_text(text)).strip().lower()
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD" or None when unknown
    path: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        self.text = normalise_text(self.text)
        if not self.id:
            self.id = article_id(self.text)

    def meta(self) -> dict[str, Any]:
        """The article as claims refer to it (no text)."""
        return {"id": self.id, "path": self.path, "url": self.url, "title": self.title,
                "outlet": self.outlet, "published": self.published}


@dataclass
class Evidence:
    start: int
    end: int
    quote: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Evidence":
        return cls(start, end, text[start:end])


@functools.lru_cache(maxsize=None)
def _field_names(cls: type) -> frozenset[str]:
    """A dataclass's field names, looked up once: a deal view parses every claim of the deal."""
    return frozenset(f.name for f in dataclasses.fields(cls))


@dataclass
class Claim:
    """One reported transfer (kind "transfer") or a running total (kind "cumulative").

    Fields that the article does not state stay None; `evidence` maps a field
    name to the verbatim span that supports it.
    """
    article: dict[str, Any]
    kind: str = "transfer"
    supplier: str | None = None
    recipient: str | None = None
    maker: str | None = None
    designation: str | None = None
    family: str | None = None
    category: str | None = None
    quantity: int | None = None
    uncertain: bool = False
    stage: str | None = None
    date: str | None = None
    granularity: str | None = None
    date_text: str | None = None
    date_unresolved: bool = False
    attribution: str | None = None
    hedged: bool = False
    terms: dict[str, Any] = field(default_factory=dict)
    # how the extractor reached a value that the text does not state outright: "date_source"
    # ("published": the publication day stands in), "antecedent" ("the helicopters" → an earlier
    # model), "before_latest" (a running total stated before the latest delivery) ...
    notes: dict[str, Any] = field(default_factory=dict)
    denies: str | None = None
    evidence: dict[str, Evidence] = field(default_factory=dict)
    id: str = ""
    # the learned decision's probability that this is a reported transfer as stated (0-1);
    # None for claims the model did not decide (running totals, or rules only)
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["equipment"] = {"designation": self.designation, "family": self.family,
                          "category": self.category, "maker": self.maker}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        names = _field_names(cls)
        kw = {k: v for k, v in d.items() if k in names}
        eq = d.get("equipment") or {}
        for k in ("designation", "family", "category", "maker"):
            if kw.get(k) is None and eq.get(k) is not None:
                kw[k] = eq[k]
        kw["evidence"] = {k: (v if isinstance(v, Evidence) else Evidence(**v))
                          for k, v in (d.get("evidence") or {}).items()}
        return cls(**kw)


@dataclass
class Contradiction:
    field: str
    description: str
    sides: list[dict[str, Any]]  # each {"value": ..., "claims": [claim ids]}


@dataclass
class Tranche:
    date: str | None
    quantity: int | None
    claims: list[str]


@dataclass
class Deal:
    id: str
    supplier: str | None
    recipient: str | None
    family: str | None
    category: str | None
    claims: list[Claim] = field(default_factory=list)
    tranches: list[Tranche] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    # added by resolve: order groups (ordered claims clustered by date, like tranches)
    orders: list[Tranche] = field(default_factory=list)
    # added by resolve/store: cumulative-total checks against the ledger (see resolve.cumulative)
    checks: list[Contradiction] = field(default_factory=list)
    # added by store: every running total stated for this deal's equipment (consistent or not):
    # {"claim", "scope", "stated", "as_of", "ledger_sum", "consistent", "source", "quote"}
    totals: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["claims"] = [c.to_dict() for c in self.claims]
        return d
