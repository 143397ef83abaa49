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

import json
import pathlib
import random
from dataclasses import dataclass
from typing import Iterable

from armsledger.evaluate import EvalReport, article_key

RESAMPLES = 2000
SEED = 0


@dataclass(frozen=True)
class Counts:
    """One article's matched records, false positives and missed records."""
    tp: int
    fp: int
    fn: int


def article_counts(report: EvalReport) -> dict[str, Counts]:
    """Per-article counts behind a report's F1: every covered article, those with nothing too."""
    missed: dict[str, int] = {}
    for g in report.misses:
        missed[g["article"]] = missed.get(g["article"], 0) + 1
    fps: dict[str, int] = {}
    for p in report.false_positives:
        a = article_key(p)
        fps[a] = fps.get(a, 0) + 1
    golds = report.gold_by_article or {}
    out = {}
    for a in sorted(report.covered or set(golds) | set(missed) | set(fps)):
        fn = missed.get(a, 0)
        out[a] = Counts(tp=golds.get(a, 0) - fn, fp=fps.get(a, 0), fn=fn)
    return out


def f1_of(rows: Iterable[Counts]) -> float:
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
    lo = values[int(tail * (len(values) - 1))]
    hi = values[int(round((1 - tail) * (len(values) - 1)))]
    return lo, hi


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
    """Per-split, per-article counts as JSON (no text of any article), for a later `compare`."""
    data = {s: {a: [c.tp, c.fp, c.fn] for a, c in counts.items()} for s, counts in by_split.items()}
    tmp = pathlib.Path(str(path) + ".tmp")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def load_counts(path: str | pathlib.Path) -> dict[str, dict[str, Counts]]:
    """Read what `save_counts` wrote; a clear ValueError for anything else."""
    try:
        data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        return {s: {a: Counts(*map(int, v)) for a, v in arts.items()} for s, arts in data.items()}
    except (OSError, ValueError, TypeError, AttributeError) as e:
        raise ValueError(f"{path}: not a counts file written by `armsledger eval --save-counts` ({e})") from None
