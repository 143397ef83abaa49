"""Score extracted claims against a hand-annotated gold file.

This is the library form of the project's official scorer (``shared/eval/score.py``):
given the same gold file, the same predictions and the same articles directory it
reaches the same numbers, and :meth:`EvalReport.summary_line` prints the scorer's
final line character for character.

Matching rules, in short:

* only predictions for articles that the gold file covers are looked at; claims of
  kind ``transfer`` (or with no kind) are predictions, claims of kind ``cumulative``
  ("a total of 35 jets has been delivered") may stand in for a gold record but are
  never counted as false positives;
* a prediction *fits* a gold record when the article, supplier, recipient and stage
  agree and so does the equipment (shared model codes, or one name containing the
  other, or — where gold names no model — the category);
* matching is one-to-one and greedy in gold order; among fitting predictions the one
  that also agrees on quantity (worth 2) and date (worth 1) wins, then the earliest;
* quantity and date accuracy are measured on matched pairs; a date is right when
  the predicted date starts with the gold date (so it is compared at gold's
  granularity); a matched prediction with no date for an article with no known
  publication date (the "no-anchor" rule) is left out of the date count;
* every transfer prediction on an article annotated as reporting no transfer is a
  ``negative_article_fp`` (claims, as score.py counts them); ``negative_articles`` counts the
  no-transfer articles that hold one or more.
"""
from __future__ import annotations

import json
import pathlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

__all__ = ["EvalReport", "load_gold", "load_predictions", "read_published", "evaluate",
           "evaluate_files", "same_actor", "equipment_matches", "category_of", "codes", "core", "stage_line"]

# --- normalisation helpers ---------------------------------------------------------

# Words that reveal a category, tried in this order (the first hit wins).
_CATEGORY_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("uav", ("uav", "drone", "unmanned")),
    ("helicopter", ("helicopter",)),
    ("air defence", ("sam", "air defence", "air defense", "anti-aircraft", "surface-to-air")),
    ("radar/sensor", ("radar", "sensor", "sonar")),
    ("missile", ("missile", "torpedo")),
    ("ship", ("ship", "vessel", "frigate", "corvette", "boat", "submarine", "destroyer", "patrol")),
    ("artillery", ("artillery", "gun", "howitzer", "mortar", "rocket launcher", "mrl")),
    ("armoured vehicle", ("armoured", "armored", "apc", "ifv", "tank", "vehicle", "mrap")),
    ("engine", ("engine",)),
    ("aircraft", ("aircraft", "fighter", "jet", "trainer", "transport", "bomber", "tanker", "plane")),
]

_NON_ALNUM = re.compile(r"[^a-z0-9]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/\.]*")
_DIGIT = re.compile(r"\d")
_PUBLISHED = re.compile(r"^published: *(.*)$", re.M)


def core(s: Any) -> str:
    """Lower-case letters and digits only: "Mi-35P" -> "mi35p"."""
    return _NON_ALNUM.sub("", (s or "").lower())


def codes(s: str | None) -> set[str]:
    """Model-number-like tokens (they contain a digit), reduced to their core."""
    out = set()
    for tok in _TOKEN.findall(s or ""):
        c = core(tok)
        if _DIGIT.search(tok) and len(c) >= 2:
            out.add(c)
    return out


def category_of(text: str | None) -> str | None:
    """The category a free-text equipment name or category points to, if any."""
    t = (text or "").lower()
    for cat, words in _CATEGORY_WORDS:
        if any(w in t for w in words):
            return cat
    return None


def _value(p: dict, key: str) -> Any:
    """A prediction's field; a {"value": ...} wrapper is unwrapped."""
    v = p.get(key)
    if isinstance(v, dict):
        v = v.get("value")
    return v


def _actor(v: Any) -> str:
    if isinstance(v, dict):
        v = v.get("value") or v.get("code") or v.get("name")
    return core(str(v)) if v else ""


def same_actor(pred: Any, names: Iterable[Any]) -> bool:
    """ISO3 codes must be equal; longer names (companies, armed groups) may contain each other."""
    a = _actor(pred)
    if not a:
        return False
    for n in names:
        b = core(n)
        if not b:
            continue
        if a == b or (len(a) > 3 and len(b) > 3 and (a in b or b in a)):
            return True
    return False


def _equipment(p: dict) -> tuple[str, str | None, str | None]:
    e = p.get("equipment") or {}
    if isinstance(e, str):
        return e, None, None
    return e.get("designation") or "", e.get("family") or "", e.get("category") or ""


def equipment_matches(gold: dict, pred: dict) -> bool:
    """Equipment agreement between a gold record and a prediction (see module doc)."""
    gold_name = gold.get("equipment") or ""
    designation, family, category = _equipment(pred)
    gold_codes = codes(gold_name)
    pred_codes = codes(designation) | codes(family)
    if gold_codes:
        return bool(pred_codes) and any(a in b or b in a for a in gold_codes for b in pred_codes)
    # Gold names no model number: names, then categories.
    g, d = core(gold_name), core(designation)
    if g and (g in d or (d and d in g)):
        return True
    gold_cat = gold.get("category") or category_of(gold_name)
    if gold_cat is None:  # gold names neither a model nor a kind: actors and stage decide
        return True
    return gold_cat == (category_of(category) or category_of(designation))


def article_key(p: dict) -> str:
    """The article a prediction belongs to, as gold names it (the file stem)."""
    a = p.get("article") or {}
    if isinstance(a, str):
        return pathlib.Path(a).stem
    return pathlib.Path(a.get("path") or a.get("id") or "").stem


# --- loading ----------------------------------------------------------------------

def load_gold(path: str | pathlib.Path) -> tuple[list[dict], set[str]]:
    """Gold transfer records (file order) and the ids of articles annotated as reporting none."""
    gold: list[dict] = []
    negatives: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("none"):
                negatives.add(rec["article"])
            else:
                gold.append(rec)
    return gold, negatives


def load_predictions(path: str | pathlib.Path) -> list[dict]:
    """Claims as ``armsledger extract --format jsonl`` writes them."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_published(articles_dir: str | pathlib.Path) -> dict[str, str]:
    """Publication date per article stem from the ``published:`` header line ("unknown" if absent)."""
    out: dict[str, str] = {}
    for f in pathlib.Path(articles_dir).glob("*.txt"):
        header = f.read_text(errors="replace").split("---\n", 1)[0]
        m = _PUBLISHED.search(header)
        out[f.stem] = m.group(1).strip() if m else "unknown"
    return out


# --- the report -------------------------------------------------------------------

def _evidence_text(p: dict) -> str:
    """A prediction's supporting text: its distinct evidence quotes in text order, nested ones dropped."""
    ev = p.get("evidence") or {}
    spans = []
    for v in ev.values():
        if isinstance(v, dict) and v.get("quote"):
            spans.append((v.get("start") or 0, v.get("end") or 0, v["quote"]))
        elif isinstance(v, str) and v:
            spans.append((0, 0, v))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    for s in spans:
        if any(s[2] in k[2] for k in kept):
            continue
        kept.append(s)
    return " | ".join(" ".join(k[2].split()) for k in kept)


@dataclass
class EvalReport:
    gold: int
    pred: int
    tp: int
    precision: float
    recall: float
    f1: float
    qty_ok: int
    qty_n: int
    date_ok: int
    date_n: int
    negative_fp: int
    misses: list[dict] = field(default_factory=list)            # gold records with no match
    false_positives: list[dict] = field(default_factory=list)   # transfer predictions with no match
    qty_errors: list[dict] = field(default_factory=list)        # {"gold": g, "pred": p, "index": i}
    date_errors: list[dict] = field(default_factory=list)       # same; i = position among the matches
    covered: set[str] | None = None                             # article stems scored
    gold_by_article: dict[str, int] | None = None               # gold records per scored article
    by_stage: dict[str, tuple[int, int, int]] | None = None     # stage: (gold, matched, false positives)
    # negative_fp counts claims, as score.py does; the target is about articles: how many of the
    # scored no-transfer articles (`negatives`) hold at least one transfer claim
    negative_articles: int = 0
    negatives: int = 0

    def summary_line(self) -> str:
        return (f"gold={self.gold} pred={self.pred} tp={self.tp} P={self.precision:.3f} "
                f"R={self.recall:.3f} F1={self.f1:.3f} qty={self.qty_ok}/{self.qty_n} "
                f"date={self.date_ok}/{self.date_n} negative_article_fp={self.negative_fp}")

    def negatives_line(self) -> str:
        """The no-transfer articles that hold a transfer claim, beside the claims on them (the
        scorer's negative_article_fp)."""
        return (f"no-transfer articles with a claim: {self.negative_articles} of {self.negatives} "
                f"({self.negative_fp} claim{'' if self.negative_fp == 1 else 's'})")

    def verbose_lines(self) -> list[str]:
        """score.py --verbose's lines, each miss/FP followed by its evidence, then the summary."""
        def words(*xs: Any) -> str:
            return " ".join(str(x) for x in xs)

        lines: list[str] = []
        for g in self.misses:
            lines.append(words("MISS", g.get("article"), g.get("supplier"), g.get("recipient"),
                               g.get("equipment"), g.get("stage"), g.get("quantity"), g.get("date")))
            if g.get("evidence"):
                lines.append("      evidence: " + " ".join(str(g["evidence"]).split()))
        for p in self.false_positives:
            lines.append(words("FP  ", article_key(p), _actor(p.get("supplier")), _actor(p.get("recipient")),
                               _equipment(p)[0], _value(p, "stage")))
            ev = _evidence_text(p)
            if ev:
                lines.append("      evidence: " + ev)
        # score.py interleaves quantity and date errors per matched pair, in gold order
        errors = [("QTY ", e) for e in self.qty_errors] + [("DATE", e) for e in self.date_errors]
        errors.sort(key=lambda t: (t[1]["index"], t[0] != "QTY "))
        for tag, e in errors:
            g, p = e["gold"], e["pred"]
            key = "quantity" if tag == "QTY " else "date"
            lines.append(words(tag, g.get("article"), g.get("equipment"), "gold", g.get(key),
                               "pred", _value(p, key)))
        lines.append(self.summary_line())
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("gold", "pred", "tp", "precision", "recall", "f1", "qty_ok",
                                               "qty_n", "date_ok", "date_n", "negative_fp",
                                               "negative_articles", "negatives")}


# --- scoring ----------------------------------------------------------------------

# the guidelines' stages, in their order (as models.STAGES; this module, like score.py, reads claim dicts
# and depends on no other part of armsledger)
STAGES = ("ordered", "delivered", "expected", "pledged", "denied")


def _stage_key(stage: Any) -> str:
    """A stage as a table key: a claim file may hold no stage, or something other than a string."""
    if stage is None or stage == "":
        return "(no stage)"
    return stage if isinstance(stage, str) else str(stage)

def _date_starts(p: dict, gold_date: Any) -> bool:
    return str(_value(p, "date") or "").startswith(gold_date)


def evaluate(gold_path: str | pathlib.Path, pred_claims: Iterable[dict],
             articles_dir: str | pathlib.Path | None = None, only: Iterable[str] | None = None) -> EvalReport:
    """Score claim dicts (``Claim.to_dict()`` form) against a gold.jsonl file.

    `only` restricts scoring to those article stems (a split of a corpus): gold lines and
    predictions of other articles are ignored, exactly as if the gold file held only these.
    """
    published = read_published(articles_dir) if articles_dir else {}
    gold, negatives = load_gold(gold_path)
    if only is not None:
        keep = set(only)
        gold = [g for g in gold if g["article"] in keep]
        negatives = negatives & keep
    covered = {g["article"] for g in gold} | negatives
    per_article = Counter(g["article"] for g in gold)

    transfers: list[dict] = []
    cumulative: list[dict] = []
    for p in pred_claims:
        if not isinstance(p, dict):  # a Claim object
            p = p.to_dict()
        if p.get("none") or article_key(p) not in covered:
            continue  # a "none" line (an annotation file scored as predictions) claims nothing, as in score.py
        kind = p.get("kind", "transfer")
        if kind == "transfer":
            transfers.append(p)
        elif kind == "cumulative":
            p = dict(p)
            p["stage"] = _value(p, "stage") or "delivered"
            cumulative.append(p)

    def fits(g: dict, p: dict) -> bool:
        return (article_key(p) == g["article"]
                and same_actor(p.get("supplier"), [g.get("supplier"), g.get("supplier_country")])
                and same_actor(p.get("recipient"), [g.get("recipient")])
                and (_value(p, "stage") or "") == g.get("stage")
                and equipment_matches(g, p))

    def closeness(g: dict, p: dict) -> int:
        same_qty = _value(p, "quantity") == g.get("quantity")
        same_date = bool(g.get("date") and _date_starts(p, g["date"]))
        return 2 * same_qty + same_date

    def best(g: dict, pool: list[dict], taken: set[int]) -> int | None:
        cands = [(closeness(g, p), -i) for i, p in enumerate(pool) if i not in taken and fits(g, p)]
        return -max(cands)[1] if cands else None

    used_t: set[int] = set()
    used_c: set[int] = set()
    matches: list[tuple[dict, dict]] = []
    misses: list[dict] = []
    for g in gold:
        i = best(g, transfers, used_t)
        if i is not None:
            used_t.add(i)
            matches.append((g, transfers[i]))
            continue
        i = best(g, cumulative, used_c)
        if i is not None:
            used_c.add(i)
            matches.append((g, cumulative[i]))
        else:
            misses.append(g)

    tp = len(matches)
    fp = len(transfers) - len(used_t)
    fn = len(gold) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def no_anchor(p: dict) -> bool:
        """No date predicted and no publication date known: relative dates could not be resolved."""
        a = p.get("article") if isinstance(p.get("article"), dict) else {}
        pub = published.get(article_key(p), a.get("published")) if published else a.get("published")
        return not _value(p, "date") and str(pub or "unknown").lower() in ("unknown", "none", "")

    qty_pairs = [(g, p) for g, p in matches if g.get("quantity") is not None]
    qty_ok = sum(1 for g, p in qty_pairs if _value(p, "quantity") == g["quantity"])
    date_pairs = [(g, p) for g, p in matches if g.get("date") and not no_anchor(p)]
    date_ok = sum(1 for g, p in date_pairs if _date_starts(p, g["date"]))

    qty_errors, date_errors = [], []
    for order, (g, p) in enumerate(matches):
        if g.get("quantity") is not None and _value(p, "quantity") != g["quantity"]:
            qty_errors.append({"gold": g, "pred": p, "index": order})
        if g.get("date") and not _date_starts(p, g["date"]):
            date_errors.append({"gold": g, "pred": p, "index": order})

    # per stage as overall: a match counts whether its claim is a transfer or a running total, a false
    # positive only when it is a transfer claim no gold record took
    unmatched = [p for i, p in enumerate(transfers) if i not in used_t]
    stage_gold = Counter(_stage_key(g.get("stage")) for g in gold)
    stage_tp = Counter(_stage_key(g.get("stage")) for g, _p in matches)
    stage_fp = Counter(_stage_key(_value(p, "stage")) for p in unmatched)
    by_stage = {s: (stage_gold[s], stage_tp[s], stage_fp[s])
                for s in STAGES + tuple(sorted(k for k in set(stage_gold) | set(stage_fp) if k not in STAGES))}

    return EvalReport(
        gold=len(gold), pred=len(transfers), tp=tp, precision=precision, recall=recall, f1=f1,
        qty_ok=qty_ok, qty_n=len(qty_pairs), date_ok=date_ok, date_n=len(date_pairs),
        negative_fp=sum(1 for p in transfers if article_key(p) in negatives),
        negative_articles=len({article_key(p) for p in transfers} & negatives),
        negatives=len(negatives),
        misses=misses,
        false_positives=unmatched,
        qty_errors=qty_errors, date_errors=date_errors, covered=covered,
        gold_by_article={a: per_article.get(a, 0) for a in covered},  # no-transfer articles hold 0
        by_stage=by_stage,
    )


def evaluate_files(gold_path: str | pathlib.Path, pred_path: str | pathlib.Path,
                   articles_dir: str | pathlib.Path | None = None) -> EvalReport:
    """:func:`evaluate` on a predictions file (one claim per line)."""
    return evaluate(gold_path, load_predictions(pred_path), articles_dir)


# --- corpora with splits, per-field causes, calibration ------------------------------

FIELD_CAUSES = ("stage", "actors", "equipment", "no candidate", "no claim in the article")


def miss_causes(report: EvalReport, pred_claims: Iterable[dict]) -> dict[str, int]:
    """Why each gold record was missed, by the field that kept the nearest prediction from matching.

    "stage": a prediction of the article agrees on parties and equipment; "actors": one with the
    equipment and stage agrees on at most one party; "equipment": one agrees on both parties and
    the stage; "no candidate": nothing near; "no claim in the article": the article yielded no transfer
    claim at all (the whole article was missed or dropped, not one item of it). Counts only: safe to print
    for a held-out split.
    """
    by_article: dict[str, list[dict]] = {}
    for p in pred_claims:
        if not isinstance(p, dict):
            p = p.to_dict()
        if p.get("kind", "transfer") == "transfer":
            by_article.setdefault(article_key(p), []).append(p)
    out = {k: 0 for k in FIELD_CAUSES}
    for g in report.misses:
        ps = by_article.get(g["article"], [])

        def sup(p: dict) -> bool:
            return same_actor(p.get("supplier"), [g.get("supplier"), g.get("supplier_country")])

        def rec(p: dict) -> bool:
            return same_actor(p.get("recipient"), [g.get("recipient")])

        def stage(p: dict) -> bool:
            return (_value(p, "stage") or "") == g.get("stage")

        if any(sup(p) and rec(p) and equipment_matches(g, p) for p in ps):
            out["stage"] += 1
        elif any(stage(p) and equipment_matches(g, p) for p in ps):
            out["actors"] += 1
        elif any(sup(p) and rec(p) and stage(p) for p in ps):
            out["equipment"] += 1
        elif not ps:
            out["no claim in the article"] += 1
        else:
            out["no candidate"] += 1
    return out


def stage_line(report: EvalReport) -> str:
    """Precision and recall per stage ("ordered P 0.62 R 0.54 (37 of 68 gold, 23 false positives)"), so
    that a stage the extraction reads badly shows, as a stage that few records have would not in the
    overall figure. Precision is the scorer's, tp / (tp + fp). Counts only: safe to print for a held-out
    split."""
    parts = []
    for stage, (gold, tp, fp) in (report.by_stage or {}).items():
        if not gold and not fp:
            continue
        p = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        r = f"{tp / gold:.2f}" if gold else "-"
        parts.append(f"{stage} P {p} R {r} ({tp} of {gold} gold, {fp} false positive{'' if fp == 1 else 's'})")
    return "; ".join(parts) or "no records and no claims"


def calibration(report: EvalReport, pred_claims: Iterable[dict], bins: int = 5) -> tuple[float | None, list[tuple]]:
    """Brier score of claim confidences against "matched a gold record", and a reliability table
    (bin low, bin high, claims, mean confidence, share matched). None when no claim has a confidence."""
    unmatched = {id(p) for p in report.false_positives}
    pairs = []
    for p in pred_claims:
        if isinstance(p, dict) and p.get("kind", "transfer") == "transfer" and p.get("confidence") is not None:
            if report.covered is not None and article_key(p) not in report.covered:
                continue
            pairs.append((float(p["confidence"]), 0 if id(p) in unmatched else 1))
    if not pairs:
        return None, []
    brier = sum((c - y) ** 2 for c, y in pairs) / len(pairs)
    table = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inbin = [(c, y) for c, y in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inbin:
            table.append((lo, hi, len(inbin), sum(c for c, _ in inbin) / len(inbin),
                          sum(y for _, y in inbin) / len(inbin)))
    return brier, table


def load_splits(corpus: str | pathlib.Path) -> dict[str, list[str]]:
    """A corpus folder's splits.json ({"train": [...], "validation": [...]}), or {} when it has none."""
    p = pathlib.Path(corpus) / "splits.json"
    if not p.exists():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))
