"""Train the learned decisions from an annotated corpus (``armsledger train CORPUS``).

A corpus folder holds ``articles/``, ``gold.jsonl`` and optionally ``splits.json``; only the
``train`` split is read (never ``validation``), plus any extra corpora given whole (e.g.
``../shared/eval/dev``). Each rule candidate is expanded into its readings (its stages and the
parties in each role, see extract/decide.py) and each is labelled by the official matching rule
(see label_rows). One L2 logistic regression per part (stage, supplier, recipient, and the same-event pair decision;
scikit-learn's liblinear, deterministic) is fitted on the sparse features. 5-fold cross-validation by article
(repeated over three fold assignments) chooses the reading mode, and its out-of-fold claims calibrate the
confidences (Platt scaling over the whole threshold range); the decision threshold is where the calibrated
confidence is half the best cross-validated F1 (f1_threshold). All of it is chosen without looking at any
held-out article. The result is a JSON file of weights.
"""
from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from armsledger.evaluate import article_key, equipment_matches, evaluate, load_gold, load_splits, same_actor
from armsledger.extract import decide as D
from armsledger.extract import repeats
from armsledger.extract.pipeline import Extractor
from armsledger.ingest import read_paths
from armsledger.models import Article, Claim

C_REG = 0.3
THRESHOLDS = [round(0.02 + 0.02 * i, 3) for i in range(40)]
MODES = ("rule", "parties", "all")
MODE_TIE = 0.005       # mean F1 within which modes count as tied
# Cross-validation is repeated over these fold assignments and averaged: one assignment moves record F1
# by up to 0.01 at a threshold, more than most differences between thresholds (docs/extraction.md)
CV_SEEDS = (13, 14, 15)


@dataclass
class Doc:
    article: Article
    key: str            # the file stem gold lines refer to
    corpus: Path
    claims: list[Claim]
    readings: list[D.Readings]
    labels: dict[str, list[tuple[list[str], int]]]   # part → (features, label) rows
    negative: bool = False  # a no-transfer article (its gold line is "none")


def corpus_articles(corpus: Path, split: str | None) -> tuple[list[str] | None, Path]:
    """The article stems of `split` in `corpus` (all when there is no splits.json or split is None)."""
    splits = load_splits(corpus) if split else {}
    return (splits[split] if splits else None), corpus / "articles"


def label_rows(claims: list[Claim], rs: list[D.Readings], gold: list[dict]) -> dict[str, list[tuple[list[str], int]]]:
    """Training rows by the official matching rule: a stage is right when a gold record of the
    article has that stage and matches the equipment; a party is right in a role when a gold record
    matching the equipment has it in that role."""
    rows: dict[str, list[tuple[list[str], int]]] = {p: [] for p in D.PARTS}
    for r in rs:
        c = claims[r.claim]
        p = {"equipment": {"designation": c.designation, "family": c.family, "category": c.category}}
        same = [g for g in gold if equipment_matches(g, p)]
        here = [g for g in same if _same_sentence(g.get("evidence"), c)]
        same = here or same  # the record told in this very sentence, when there is one
        for s, f in r.stage.items():
            rows["stage"].append((f, int(any(g.get("stage") == s for g in same))))
        for x, f in r.supplier.items():
            rows["supplier"].append((f, int(any(same_actor(x, [g.get("supplier"), g.get("supplier_country")])
                                                for g in same))))
        for x, f in r.recipient.items():
            rows["recipient"].append((f, int(any(same_actor(x, [g.get("recipient")]) for g in same))))
    rows[repeats.PART] = pair_rows(claims, gold)
    return rows


def pair_rows(claims: list[Claim], gold: list[dict]) -> list[tuple[list[str], int]]:
    """Training rows of the same-event decision (repeats.py), by the official matching rule: a pair is
    two events (0) when its claims can stand for two distinct gold records, one event (1) when only one
    of them can stand for any. Pairs neither of whose claims matches a record teach nothing and are left out."""
    def records(c: Claim) -> set[int]:
        d = c.to_dict()
        return {n for n, g in enumerate(gold) if g.get("stage") == c.stage and equipment_matches(g, d)
                and same_actor(c.supplier, [g.get("supplier"), g.get("supplier_country")])
                and same_actor(c.recipient, [g.get("recipient")])}

    ts = [c for c in claims if c.kind == "transfer"]
    recs = [records(c) for c in ts]
    rows = []
    for i in range(len(ts)):
        for j in range(i + 1, len(ts)):
            if not repeats.paired(ts[i], ts[j], dates_may_differ=True) or not (recs[i] or recs[j]):
                continue
            two = any(x != y for x in recs[i] for y in recs[j])
            rows.append((repeats.pair_features(ts[i], ts[j]), 0 if two else 1))
    return rows


def _same_sentence(evidence: str | None, c: Claim) -> bool:
    """Gold evidence (one whole sentence) and the claim's sentence are the same text, or one holds the other
    (the two sentence splitters may cut a run-together sentence differently)."""
    ev = c.evidence.get("sentence")
    if not evidence or ev is None:
        return False
    a, b = repeats.core(evidence), repeats.core(ev.quote)
    return bool(a and b) and (a in b or b in a)


def load_docs(corpora: Iterable[tuple[Path, str | None]]) -> list[Doc]:
    """Rule candidates and their labels for every article of the given (corpus, split)s."""
    ex = Extractor()
    docs: list[Doc] = []
    for corpus, split in corpora:
        stems, folder = corpus_articles(corpus, split)
        gold, negatives = load_gold(corpus / "gold.jsonl")
        by_article: dict[str, list[dict]] = {}
        for g in gold:
            by_article.setdefault(g["article"], []).append(g)
        paths = [folder / f"{s}.txt" for s in stems] if stems is not None else sorted(folder.glob("*.txt"))
        for item in read_paths(paths):
            if not isinstance(item, Article):
                continue
            key = Path(item.path or "").stem
            if key not in by_article and key not in negatives:
                continue
            claims = ex.candidates(item)
            rs = D.readings(claims, ex.gazetteer)
            docs.append(Doc(item, key, corpus, claims, rs, label_rows(claims, rs, by_article.get(key, [])),
                            negative=key in negatives))
    return docs


def _fit_part(rows: list[tuple[list[str], int]], c_reg: float) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    ys = [y for _f, y in rows]
    if len(set(ys)) < 2:
        raise ValueError("the training data has no positive (or no negative) rows")
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1.0 for f in fs} for fs, _y in rows])
    X.indices = X.indices.astype("int32")  # liblinear wants 32-bit indices
    X.indptr = X.indptr.astype("int32")
    lr = LogisticRegression(C=c_reg, solver="liblinear", max_iter=1000, random_state=0)
    lr.fit(X, ys)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 5) for n, w in zip(names, lr.coef_[0]) if abs(w) >= 1e-4}
    return weights, round(float(lr.intercept_[0]), 5)


def fit(docs: list[Doc], c_reg: float | None = None) -> D.Model:
    weights, bias = {}, {}
    for part in D.PARTS:
        rows = [row for d in docs for row in d.labels[part]]
        if part == repeats.PART and len({y for _f, y in rows}) < 2:
            continue  # a corpus too small to show both answers: repeats fold by the rule
        weights[part], bias[part] = _fit_part(rows, C_REG if c_reg is None else c_reg)
    return D.Model(weights=weights, bias=bias)


def predict(docs: list[Doc], model: D.Model, thresholds: list[float], mode: str) -> dict[float, dict[Path, list[dict]]]:
    """Decided claims per threshold, per corpus."""
    out: dict[float, dict[Path, list[dict]]] = {t: {} for t in thresholds}
    for d in docs:
        cands = D.best_readings(d.readings, model, d.claims, mode)
        same = D.same_event(model)
        for t in thresholds:
            out[t].setdefault(d.corpus, []).extend(c.to_dict() for c in D.choose(d.claims, cands, t, same=same))
    return out


def score(docs: list[Doc], preds: dict[Path, list[dict]]) -> float:
    """Record F1 over all corpora together (true positives, predictions and gold summed)."""
    tp = npred = ngold = 0
    for corpus in sorted({d.corpus for d in docs}):
        keys = [d.key for d in docs if d.corpus == corpus]
        r = evaluate(corpus / "gold.jsonl", preds.get(corpus, []), corpus / "articles", only=keys)
        tp, npred, ngold = tp + r.tp, npred + r.pred, ngold + r.gold
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def negative_articles(docs: list[Doc], preds: dict[Path, list[dict]]) -> int:
    """How many no-transfer articles (gold lines "none") get a transfer claim: the issue's own count."""
    claimed = {(corpus, article_key(p)) for corpus, ps in preds.items() for p in ps
               if p.get("kind", "transfer") == "transfer"}
    return sum(1 for d in docs if d.negative and (d.corpus, d.key) in claimed)


@dataclass
class CrossValidation:
    f1: dict[tuple[str, float], float]        # (mode, threshold) → record F1, mean over the fold assignments
    negatives: dict[tuple[str, float], int]   # (mode, threshold) → no-transfer articles with a claim, summed
    lowest: dict[str, list[dict[Path, list[dict]]]]  # mode → each assignment's out-of-fold predictions at the
    # lowest threshold (what the calibration is fitted on)


def cross_validate(docs: list[Doc], folds: int = 5, seeds: Iterable[int] = CV_SEEDS,
                   judged_on: Path | None = None) -> CrossValidation:
    """Record F1 of each (mode, threshold) in k-fold cross-validation by article, repeated over several
    fold assignments and averaged, plus the rules alone ("rules", 0.0).

    `judged_on`: the corpus whose out-of-fold articles the figures are scored on (all when None). Every
    corpus is trained on, but an extra corpus that the rules were written on (dev) flatters the rules'
    own readings, so it should not judge the choice between the rules' reading and the model's."""
    judged = [d for d in docs if judged_on is None or d.corpus == judged_on]
    seeds = list(seeds)
    f1s: dict[tuple[str, float], float] = {}
    negs: dict[tuple[str, float], int] = {}
    lowest: dict[str, list[dict[Path, list[dict]]]] = {m: [] for m in MODES}
    for seed in seeds:
        order = list(range(len(docs)))
        random.Random(seed).shuffle(order)
        preds_at: dict[tuple[str, float], dict[Path, list[dict]]] = {(m, t): {} for m in MODES for t in THRESHOLDS}
        for k in range(folds):
            test = [docs[i] for i in order[k::folds]]
            model = fit([docs[i] for n, i in enumerate(order) if n % folds != k])
            for m in MODES:
                fold = predict(test, model, THRESHOLDS, m)
                for t in THRESHOLDS:
                    for corpus, ps in fold[t].items():
                        preds_at[(m, t)].setdefault(corpus, []).extend(ps)
        for key, preds in preds_at.items():
            f1s[key] = f1s.get(key, 0.0) + score(judged, preds) / len(seeds)
            negs[key] = negs.get(key, 0) + negative_articles(judged, preds)
        for m in MODES:
            lowest[m].append(preds_at[(m, THRESHOLDS[0])])
    rules: dict[Path, list[dict]] = {}
    for d in docs:
        rules.setdefault(d.corpus, []).extend(c.to_dict() for c in d.claims if not D.proposed(c))
    f1s[("rules", 0.0)] = score(judged, rules)
    negs[("rules", 0.0)] = negative_articles(judged, rules) * len(seeds)
    return CrossValidation(f1s, negs, lowest)


def fit_calibration(docs: list[Doc], preds: list[dict[Path, list[dict]]]) -> list[float]:
    """Platt scaling of out-of-fold confidences: [a, b] with P(matched) = sigmoid(a·logit(p) + b).

    The joint probability of three models is not itself a calibrated probability (it runs low);
    refitting it on claims none of the fold models saw makes "0.7" mean seven in ten are right.
    `preds`: the out-of-fold claims of each fold assignment, pooled, each assignment scored on its own (matching
    is one-to-one within one set of predictions)."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for one in preds:
        for corpus in sorted({d.corpus for d in docs}):
            keys = [d.key for d in docs if d.corpus == corpus]
            ps = [p for p in one.get(corpus, []) if p.get("kind", "transfer") == "transfer"]
            r = evaluate(corpus / "gold.jsonl", ps, corpus / "articles", only=keys)
            wrong = {id(p) for p in r.false_positives}
            for p in ps:
                if p.get("confidence") is None or article_key(p) not in (r.covered or set()):
                    continue
                q = min(max(float(p["confidence"]), 1e-4), 1 - 1e-4)
                xs.append([math.log(q / (1 - q))])
                ys.append(0 if id(p) in wrong else 1)
    if len(set(ys)) < 2:
        return [1.0, 0.0]
    lr = LogisticRegression(C=1e4, solver="liblinear", random_state=0).fit(xs, ys)
    return [round(float(lr.coef_[0][0]), 5), round(float(lr.intercept_[0]), 5)]


def _smoothed(curve: dict[float, float]) -> dict[float, float]:
    """Each grid point's F1 as the mean of itself and its two neighbours."""
    grid = sorted(curve)
    out = {}
    for i, t in enumerate(grid):
        near = [curve[grid[j]] for j in (i - 1, i, i + 1) if 0 <= j < len(grid)]
        out[t] = sum(near) / len(near)
    return out


def best_smoothed(curve: dict[float, float]) -> float:
    """The best cross-validated F1 the threshold can reach, read off the curve smoothed over each grid
    point and its two neighbours: record F1 is flat over a wide range of thresholds and noisy within it,
    so the raw maximum flatters whichever grid point the noise favoured (smoothing damps a spike; it does
    not remove it)."""
    if not curve:
        raise ValueError("no cross-validated F1 to read a best from")
    return max(_smoothed(curve).values())


def best_grid_point(curve: dict[float, float]) -> float:
    """The grid point of the best smoothed F1 (the lower one of equals): the threshold when the
    calibration cannot be used to place it."""
    smooth = _smoothed(curve)
    return max(smooth, key=lambda t: (round(smooth[t], 4), -t))


def f1_threshold(calibration: list[float], f1_best: float) -> float:
    """The raw threshold at which a claim's calibrated confidence is half the best F1.

    For calibrated probabilities the threshold that maximises expected F1 is half that F1 (Lipton, Elkan
    and Narayanaswamy, "Optimal thresholding of classifiers to maximize F1 measure", 2014): a claim right
    with probability p raises F1 exactly when p > F1/2. Unlike the arg-max of a flat, noisy curve, this
    moves little when the model does: a change of one candidate in the corpus no longer swings the
    threshold across the plateau (0.08 to 0.16 before), which moved validation more than the changes
    being measured."""
    a, b = calibration
    if a <= 0:
        raise ValueError(f"calibration slope {a} is not positive: confidences do not rise with the model's")
    target = min(max(f1_best / 2, 1e-6), 1 - 1e-6)
    logit = (math.log(target / (1 - target)) - b) / a
    # never outside the grid cross-validation scored: 0 would keep every reading, 1 almost none
    return min(max(round(D._sigmoid(logit), 4), THRESHOLDS[0]), THRESHOLDS[-1])


def train(corpora: list[tuple[Path, str | None]], out: Path | None = None,
          cv_seeds: tuple[int, ...] = CV_SEEDS) -> D.Model:
    """Fit the decision model and choose its mode and threshold by cross-validation.

    `cv_seeds`: the fold assignments cross-validation averages over. The committed model uses CV_SEEDS; other
    seeds retrain the same inputs with other folds, which moves the threshold and so a few claims: how far a
    retrain alone moves a held-out figure (docs/extraction.md, "Measuring")."""
    docs = load_docs(corpora)
    judged_on = corpora[0][0]  # the annotated corpus; extra corpora (dev) only add training rows
    cv = cross_validate(docs, seeds=cv_seeds, judged_on=judged_on)
    f1s = cv.f1
    best = max(f for k, f in f1s.items() if k[0] != "rules")
    # (the modes are compared by their raw best, with a tie margin wider than the smoothing would move it)
    # the simplest mode (MODES is ordered: keep the rules' reading, then re-decide parties, then all)
    # within cross-validation noise of the best: a more flexible mode must win clearly to be chosen
    mode = next(m for m in MODES if max(f for k, f in f1s.items() if k[0] == m) >= best - MODE_TIE)
    curve = {t: f for (m, t), f in f1s.items() if m == mode}
    model = fit(docs)
    # calibrated on the out-of-fold claims at the lowest threshold, so that it spans the range the
    # threshold is chosen in; then the threshold where a claim is as likely right as half the best F1
    # (pooled over every fold assignment: one assignment's claims move the calibration, and so the threshold,
    # by as much as most changes being measured)
    model.calibration = fit_calibration([d for d in docs if d.corpus == judged_on], cv.lowest[mode])
    f1_best = best_smoothed(curve)
    if model.calibration[0] > 0 and model.calibration != [1.0, 0.0] and f1_best > 0:
        threshold = f1_threshold(model.calibration, f1_best)
    else:  # no usable calibration (too few claims, or of one outcome): the best smoothed grid point
        threshold = best_grid_point(curve)
    model.threshold = threshold
    near = min(curve, key=lambda t: (abs(t - threshold), t))  # the grid point nearest, for the record
    model.meta = {"trained_on": [f"{c.name}:{s or 'all'}" for c, s in corpora], "articles": len(docs),
                  "rows": {p: sum(len(d.labels[p]) for d in docs) for p in D.PARTS},
                  "C": C_REG, "readings": mode, "cv_judged_on": f"{judged_on.name}:{corpora[0][1] or 'all'}",
                  "cv_f1": round(f1_best, 4), "cv_f1_at": [near, round(curve[near], 4)],
                  "cv_f1_rules": round(f1s[("rules", 0.0)], 4),
                  "cv_seeds": list(cv_seeds), "cv_negative_articles": cv.negatives[(mode, near)],
                  "cv_best_per_mode": {m: max((round(v, 4), k[1]) for k, v in f1s.items() if k[0] == m) for m in MODES}}
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(model.to_json(), indent=0, sort_keys=False) + "\n")
    return model
