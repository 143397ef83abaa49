"""How far a record F1 can be trusted: bootstrap intervals over articles.

A split of 80 articles and 169 records moves by about 0.006 of F1 per record, and by more than that
when a model is retrained on the same data. A figure without its spread invites reading noise as
progress. Records of one article are not independent (one misread sentence costs several), so the
resampling unit is the article: each resample draws the split's articles with replacement and
recomputes F1 from the summed matches, false positives and misses (a cluster bootstrap).

Two runs on the same articles are compared *paired*: each resample draws one set of articles and
scores both runs on it, so the article-to-article variation both share cancels out. That is far more
sensitive than comparing two intervals, and it is the way to tell whether a change moved a held-out
split. Everything here is computed from per-article counts only (no text), so it is safe to print and
to save for a held-out split.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import random
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable

from armsledger.evaluate import EvalReport, article_key

RESAMPLES = 2000
SEED = 0


@dataclass(frozen=True)
class Counts:
    """One article's matched records, false positives and missed records, and a digest of its claims
    (`claims_digest`; "" where not recorded)."""
    tp: int
    fp: int
    fn: int
    claims: str = ""


# the fields of a claim that a change to the extraction can move (not its id, confidence or quotes)
DIGEST_FIELDS = ("kind", "stage", "supplier", "recipient", "designation", "family", "category", "quantity",
                 "uncertain", "date", "granularity")
_DIGEST = re.compile(r"[0-9a-f]{16}")


def _field(claim: dict, key: str) -> object:
    value = claim.get(key)
    if value is None and isinstance(claim.get("equipment"), dict):
        value = claim["equipment"].get(key)
    return value


def claims_digest(claims: Iterable[dict]) -> str:
    """A short hash of one article's claims, in any order. Two runs whose digests agree made the same claims
    in `DIGEST_FIELDS`; so a change can be checked to leave a held-out split's claims as they were, claim for
    claim, without anyone reading them (nothing of a claim can be read back from the digest)."""
    rows = sorted(json.dumps([_field(c, k) for k in DIGEST_FIELDS], default=str) for c in claims)
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()[:16]


def with_digests(counts: dict[str, Counts], claims: Iterable[dict]) -> dict[str, Counts]:
    """The counts, each with the digest of its article's claims (claims of other articles are ignored)."""
    by_article: dict[str, list[dict]] = {}
    for c in claims:
        by_article.setdefault(article_key(c), []).append(c)
    return {a: replace(n, claims=claims_digest(by_article.get(a, []))) for a, n in counts.items()}


def changed(counts: dict[str, Counts], baseline: dict[str, Counts]) -> int | None:
    """How many of the articles both runs scored have other claims in this run; None when either run did not
    record its claims' digests (a counts file written before they were)."""
    keys = set(counts) & set(baseline)
    if not keys or any(not counts[k].claims or not baseline[k].claims for k in keys):
        return None
    return sum(counts[k].claims != baseline[k].claims for k in keys)


def article_counts(report: EvalReport) -> dict[str, Counts]:
    """Per-article counts behind a report's F1: every covered article, those with nothing too."""
    golds = report.gold_by_article
    if golds is None:
        raise ValueError("the report does not say how many gold records each article has")
    missed = Counter(g["article"] for g in report.misses)
    fps = Counter(article_key(p) for p in report.false_positives)
    return {a: Counts(tp=golds[a] - missed[a], fp=fps[a], fn=missed[a]) for a in sorted(golds)}


def f1_of(rows: Iterable[Counts]) -> float:
    """Record F1 of summed counts, 2tp / (2tp + fp + fn): the scorer's F1 from its precision and recall."""
    tp = fp = fn = 0
    for r in rows:
        tp, fp, fn = tp + r.tp, fp + r.fp, fn + r.fn
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _draws(keys: list[str], resamples: int, seed: int) -> Iterable[list[str]]:
    rng = random.Random(seed)
    for _ in range(resamples):
        yield [keys[rng.randrange(len(keys))] for _ in keys]


def _percentiles(values: list[float], level: float) -> tuple[float, float]:
    values = sorted(values)
    tail = (1 - level) / 2
    last = len(values) - 1
    return values[round(tail * last)], values[round((1 - tail) * last)]


def f1_interval(counts: dict[str, Counts], level: float = 0.95, resamples: int = RESAMPLES,
                seed: int = SEED) -> tuple[float, float]:
    """Percentile interval of record F1 over articles drawn with replacement (deterministic)."""
    keys = sorted(counts)
    if not keys:
        return 0.0, 0.0
    return _percentiles([f1_of(counts[k] for k in draw) for draw in _draws(keys, resamples, seed)], level)


@dataclass(frozen=True)
class Comparison:
    delta: float                  # F1 of this run minus the baseline's, on the articles both scored
    low: float                    # percentile interval of the difference
    high: float
    better_share: float           # share of resamples in which this run's F1 is higher
    articles: int


def compare(counts: dict[str, Counts], baseline: dict[str, Counts], level: float = 0.95,
            resamples: int = RESAMPLES, seed: int = SEED) -> Comparison:
    """Paired bootstrap of the F1 difference between two runs over the articles both scored."""
    keys = sorted(set(counts) & set(baseline))
    if not keys:
        raise ValueError("the two runs share no article")
    delta = f1_of(counts[k] for k in keys) - f1_of(baseline[k] for k in keys)
    diffs = [f1_of(counts[k] for k in draw) - f1_of(baseline[k] for k in draw)
             for draw in _draws(keys, resamples, seed)]
    lo, hi = _percentiles(diffs, level)
    return Comparison(delta, lo, hi, sum(d > 0 for d in diffs) / len(diffs), len(keys))


def save_counts(path: str | pathlib.Path, by_split: dict[str, dict[str, Counts]]) -> None:
    """Per-split, per-article counts as JSON (no text of any article), for a later `compare`.
    Written to a temporary file beside `path` and renamed, so a failed write leaves no half file."""
    path = pathlib.Path(path)
    data = {s: {a: [c.tp, c.fp, c.fn] + ([c.claims] if c.claims else []) for a, c in counts.items()}
            for s, counts in by_split.items()}
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise


def _counts(v: object) -> Counts:
    if not (isinstance(v, list) and len(v) in (3, 4) and all(type(x) is int and x >= 0 for x in v[:3])
            and (len(v) == 3 or (isinstance(v[3], str) and _DIGEST.fullmatch(v[3])))):
        raise ValueError(f"{v!r} is not three counts and a claims digest")
    return Counts(*v)  # type: ignore[arg-type]


def load_counts(path: str | pathlib.Path) -> dict[str, dict[str, Counts]]:
    """Read what `save_counts` wrote; a ValueError naming the file for anything else."""
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ValueError(f"{path}: cannot read ({e.strerror or e})") from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object of splits")
        out = {}
        for split, arts in data.items():
            if not isinstance(arts, dict):
                raise ValueError(f"split {split!r} is not an object of articles")
            out[split] = {str(a): _counts(v) for a, v in arts.items()}
        return out
    except (ValueError, RecursionError) as e:
        raise ValueError(f"{path}: not a counts file written by `armsledger eval --save-counts` ({e})") from None


def mismatched(counts: dict[str, Counts], baseline: dict[str, Counts]) -> list[str]:
    """Shared articles whose number of gold records differs between the runs: scored against another gold."""
    return sorted(a for a in set(counts) & set(baseline)
                  if counts[a].tp + counts[a].fn != baseline[a].tp + baseline[a].fn)
