"""The scorer library agrees with the official score.py; all cases are invented."""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from armsledger.evaluate import EvalReport, evaluate, evaluate_files, load_gold

REPO = pathlib.Path(__file__).resolve().parents[1]
SHARED = pathlib.Path(os.environ.get("ARMSLEDGER_SHARED") or REPO.parent / "shared")
SCORE_PY = SHARED / "eval" / "score.py"


def gold_rec(article="a1", supplier="FRA", recipient="BRA", equipment="Tigre HX9", category="helicopter",
             quantity=6, stage="ordered", date="2031-03", evidence="Invented sentence.", **kw):
    d = {"article": article, "supplier": supplier, "recipient": recipient, "equipment": equipment,
         "category": category, "quantity": quantity, "stage": stage, "date": date, "evidence": evidence}
    d["supplier_country"] = kw.pop("supplier_country", supplier if len(supplier or "") == 3 else None)
    d.update(kw)
    return d


def pred(article="a1", supplier="FRA", recipient="BRA", designation="Tigre HX9", family=None,
         category="helicopter", quantity=6, stage="ordered", date="2031-03-02", kind="transfer",
         published="2031-03-05", quote="An invented supporting sentence.", **kw):
    d = {"article": {"id": "x" + article, "path": f"/tmp/arts/{article}.txt", "url": None,
                     "outlet": "Invented Wire", "published": published},
         "kind": kind, "supplier": supplier, "recipient": recipient,
         "equipment": {"designation": designation, "family": family, "category": category, "maker": None},
         "quantity": quantity, "stage": stage, "date": date,
         "evidence": {"quantity": {"start": 0, "end": 8, "quote": quote[:8]},
                      "stage": {"start": 0, "end": len(quote), "quote": quote}}}
    d.update(kw)
    return d


def write(tmp_path: pathlib.Path, gold: list[dict], preds: list[dict]) -> tuple[pathlib.Path, pathlib.Path]:
    g, p = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    g.write_text("".join(json.dumps(r) + "\n" for r in gold))
    p.write_text("".join(json.dumps(r) + "\n" for r in preds))
    return g, p


def run_score_py(gold: pathlib.Path, preds: pathlib.Path, *extra: str) -> list[str]:
    out = subprocess.run([sys.executable, str(SCORE_PY), str(gold), str(preds), *extra],
                         capture_output=True, text=True, check=True).stdout
    return out.rstrip("\n").split("\n")


def score(tmp_path, gold, preds, articles_dir=None) -> EvalReport:
    g, p = write(tmp_path, gold, preds)
    report = evaluate(g, preds, articles_dir)
    if SCORE_PY.exists():  # every case is also a cross-check against the official scorer
        extra = ("--articles", str(articles_dir)) if articles_dir else ()
        official = run_score_py(g, p, "--verbose", *extra)
        assert report.summary_line() == official[-1]
        mine = [ln for ln in report.verbose_lines() if not ln.startswith("      evidence: ")]
        assert mine == official
    return report


# --- the rules ----------------------------------------------------------------------

def test_exact_match(tmp_path):
    r = score(tmp_path, [gold_rec()], [pred()])
    assert (r.gold, r.pred, r.tp) == (1, 1, 1)
    assert (r.precision, r.recall, r.f1) == (1.0, 1.0, 1.0)
    assert (r.qty_ok, r.qty_n, r.date_ok, r.date_n) == (1, 1, 1, 1)
    assert r.summary_line() == ("gold=1 pred=1 tp=1 P=1.000 R=1.000 F1=1.000 "
                                "qty=1/1 date=1/1 negative_article_fp=0")


def test_equipment_code_match(tmp_path):
    g = gold_rec(equipment="Mi-35P", supplier="RUS", recipient="KEN")
    r = score(tmp_path, [g], [pred(supplier="RUS", recipient="KEN", designation="Mil Mi35P")])
    assert r.tp == 1
    # a different model number is no match even though the category agrees
    r = score(tmp_path, [g], [pred(supplier="RUS", recipient="KEN", designation="Mi-28NE")])
    assert r.tp == 0 and len(r.misses) == 1 and len(r.false_positives) == 1
    # gold names a model, prediction names none: no match
    r = score(tmp_path, [g], [pred(supplier="RUS", recipient="KEN", designation="attack helicopters")])
    assert r.tp == 0


def test_code_found_in_family(tmp_path):
    g = gold_rec(equipment="Mi-35P", supplier="RUS", recipient="KEN")
    r = score(tmp_path, [g], [pred(supplier="RUS", recipient="KEN", designation="gunships", family="Mi-35")])
    assert r.tp == 1  # "mi35" is inside "mi35p"


def test_category_fallback_when_gold_has_no_model(tmp_path):
    g = gold_rec(equipment="patrol vessels", category="ship", supplier="ESP", recipient="URY")
    ok = pred(supplier="ESP", recipient="URY", designation="coastal craft", category="ship")
    wrong = pred(supplier="ESP", recipient="URY", designation="coastal craft", category="aircraft")
    assert score(tmp_path, [g], [ok]).tp == 1
    assert score(tmp_path, [g], [wrong]).tp == 0
    # no category on the prediction: its designation's words decide
    assert score(tmp_path, [g], [pred(supplier="ESP", recipient="URY", designation="frigates",
                                      category=None)]).tp == 1
    # gold names neither a model nor a kind: actors and stage decide
    vague = gold_rec(equipment="similar deliveries", category=None, supplier="ESP", recipient="URY")
    assert score(tmp_path, [vague], [wrong]).tp == 1


def test_supplier_company_vs_iso3(tmp_path):
    g = gold_rec(supplier="Korvald Dynamics", supplier_country="NOR", recipient="CHL",
                 equipment="KD-40", category="artillery")
    by_country = pred(supplier="NOR", recipient="CHL", designation="KD-40", category="artillery")
    by_company = pred(supplier="Korvald Dynamics AS", recipient="CHL", designation="KD-40", category="artillery")
    by_other = pred(supplier="SWE", recipient="CHL", designation="KD-40", category="artillery")
    assert score(tmp_path, [g], [by_country]).tp == 1
    assert score(tmp_path, [g], [by_company]).tp == 1  # longer name contains the gold name
    assert score(tmp_path, [g], [by_other]).tp == 0
    # three-letter codes must be equal, never merely contained
    g2 = gold_rec(supplier="FRA", recipient="BRA")
    assert score(tmp_path, [g2], [pred(supplier="FR", recipient="BRA")]).tp == 0


def test_one_to_one_matching(tmp_path):
    g = gold_rec()
    r = score(tmp_path, [g], [pred(quantity=4), pred()])
    assert (r.tp, r.pred, len(r.false_positives)) == (1, 2, 1)
    assert r.qty_ok == 1  # the closer prediction (same quantity) was chosen
    assert r.false_positives[0]["quantity"] == 4
    assert r.precision == 0.5 and r.recall == 1.0


def test_greedy_in_gold_order_prefers_earliest_on_tie(tmp_path):
    g1, g2 = gold_rec(quantity=None, date=None), gold_rec(quantity=None, date=None)
    r = score(tmp_path, [g1, g2], [pred(quantity=3), pred(quantity=5), pred(quantity=7)])
    assert r.tp == 2 and [p["quantity"] for p in r.false_positives] == [7]


def test_cumulative_never_false_positive(tmp_path):
    g = gold_rec(stage="delivered", quantity=12)
    cum = pred(kind="cumulative", stage=None, quantity=12)
    r = score(tmp_path, [g], [cum])
    assert (r.tp, r.pred, r.precision) == (1, 0, 1.0)  # matched through the cumulative claim
    other = pred(kind="cumulative", recipient="ARG")
    r = score(tmp_path, [g], [other])
    assert (r.tp, r.pred, len(r.false_positives)) == (0, 0, 0)
    # a transfer that fits is preferred to a cumulative one
    r = score(tmp_path, [g], [cum, pred(stage="delivered", quantity=10)])
    assert r.tp == 1 and r.qty_ok == 0


def test_date_compared_at_gold_granularity(tmp_path):
    g_month = gold_rec(date="2031-03")
    assert score(tmp_path, [g_month], [pred(date="2031-03-17")]).date_ok == 1
    assert score(tmp_path, [g_month], [pred(date="2031")]).date_ok == 0
    r = score(tmp_path, [gold_rec(date="2031")], [pred(date="2031-11")])
    assert (r.date_ok, r.date_n) == (1, 1)
    r = score(tmp_path, [gold_rec(date="2031-03-02")], [pred(date="2031-03")])
    assert (r.date_ok, r.date_n) == (0, 1) and len(r.date_errors) == 1
    # gold with no date is not counted
    r = score(tmp_path, [gold_rec(date=None)], [pred()])
    assert r.date_n == 0


def test_negative_article_false_positives(tmp_path):
    gold = [gold_rec(), {"article": "n9", "none": True}]
    preds = [pred(), pred(article="n9"), pred(article="n9", designation="Zeta 7"),
             pred(article="n9", kind="cumulative"), pred(article="elsewhere")]
    r = score(tmp_path, gold, preds)
    assert r.negative_fp == 2  # transfers only; cumulative and uncovered articles are ignored
    assert r.pred == 3 and r.tp == 1
    # the target counts articles: two claims on one no-transfer article are one such article
    assert (r.negative_articles, r.negatives) == (1, 1)
    assert r.negatives_line() == "no-transfer articles with a claim: 1 of 1 (2 claims)"
    assert (r.to_dict()["negative_articles"], r.to_dict()["negatives"]) == (1, 1)
    quiet = score(tmp_path, gold + [{"article": "n8", "none": True}], [pred(), pred(article="n9", kind="cumulative")])
    assert (quiet.negative_fp, quiet.negative_articles, quiet.negatives) == (0, 0, 2)
    assert quiet.negatives_line() == "no-transfer articles with a claim: 0 of 2 (0 claims)"
    # a claim with no kind is a transfer; a split counts only its own no-transfer articles
    bare = pred(article="n8")
    del bare["kind"]
    gold_file = tmp_path / "g.jsonl"
    gold_file.write_text("".join(json.dumps(g) + "\n" for g in gold + [{"article": "n8", "none": True}]))
    split = evaluate(gold_file, [pred(), bare, pred(article="n9")], only=["a1", "n8"])
    assert (split.negative_fp, split.negative_articles, split.negatives) == (1, 1, 1)
    assert split.negatives_line() == "no-transfer articles with a claim: 1 of 1 (1 claim)"
    # an annotation file scored as predictions: its "none" lines claim nothing, as score.py reads them
    none_lines = evaluate(gold_file, gold + [{"article": "n8", "none": True}])
    assert (none_lines.pred, none_lines.negative_fp, none_lines.negative_articles) == (1, 0, 0)


def test_no_anchor_rule(tmp_path):
    g = gold_rec(date="2031-03")
    # no date predicted and no publication date: not counted
    r = score(tmp_path, [g], [pred(date=None, published=None)])
    assert (r.tp, r.date_n) == (1, 0)
    # a publication date is known: the missing date counts as wrong
    r = score(tmp_path, [g], [pred(date=None, published="2031-03-05")])
    assert (r.date_ok, r.date_n) == (0, 1)
    # a date predicted without an anchor is still judged
    r = score(tmp_path, [g], [pred(date="2030-01", published="unknown")])
    assert (r.date_ok, r.date_n) == (0, 1)


def test_articles_dir_headers_override_prediction(tmp_path):
    arts = tmp_path / "arts"
    arts.mkdir()
    (arts / "a1.txt").write_text("url: unknown\ntitle: Invented\npublished: unknown\noutlet: X\n---\nBody.\n")
    (arts / "a2.txt").write_text("url: unknown\ntitle: Invented\npublished: 2031-05-01\noutlet: X\n---\nBody.\n")
    gold = [gold_rec(), gold_rec(article="a2")]
    preds = [pred(date=None, published="2031-03-05"), pred(article="a2", date=None, published=None)]
    r = score(tmp_path, gold, preds, articles_dir=arts)
    assert r.tp == 2 and r.date_n == 1  # a1: header says unknown; a2: header gives a date
    r = score(tmp_path, gold, preds)
    assert r.date_n == 1


def test_verbose_lines_carry_evidence(tmp_path):
    gold = [gold_rec(evidence="Invented gold sentence about six helicopters."),
            gold_rec(equipment="Zeta-7", evidence="Invented gold sentence about Zeta.")]
    preds = [pred(quantity=5, date="2030"), pred(designation="Omega-3", quote="Invented predicted sentence.")]
    r = score(tmp_path, gold, preds)
    lines = r.verbose_lines()
    assert lines[-1] == r.summary_line()
    miss = lines.index(next(ln for ln in lines if ln.startswith("MISS")))
    assert lines[miss + 1] == "      evidence: Invented gold sentence about Zeta."
    fp = lines.index(next(ln for ln in lines if ln.startswith("FP")))
    assert lines[fp + 1] == "      evidence: Invented predicted sentence."
    assert any(ln.startswith("QTY ") for ln in lines) and any(ln.startswith("DATE") for ln in lines)


def test_load_gold_and_files(tmp_path):
    g, p = write(tmp_path, [gold_rec(), {"article": "n1", "none": True}], [pred()])
    gold, negatives = load_gold(g)
    assert len(gold) == 1 and negatives == {"n1"}
    assert evaluate_files(g, p).tp == 1


def test_empty_inputs(tmp_path):
    r = score(tmp_path, [], [])
    assert r.summary_line() == "gold=0 pred=0 tp=0 P=0.000 R=0.000 F1=0.000 qty=0/0 date=0/0 negative_article_fp=0"


@pytest.mark.skipif(not SCORE_PY.exists(), reason="shared/eval/score.py not present")
def test_summary_equals_score_py_on_mixed_case(tmp_path):
    arts = tmp_path / "arts"
    arts.mkdir()
    for name, pub in (("a1", "2031-03-05"), ("a2", "unknown"), ("n9", "2031-01-01")):
        (arts / f"{name}.txt").write_text(f"url: unknown\npublished: {pub}\n---\nInvented body.\n")
    gold = [gold_rec(), gold_rec(equipment="Mi-35P", supplier="RUS", recipient="KEN", article="a2"),
            gold_rec(supplier="Korvald Dynamics", supplier_country="NOR", equipment="armoured trucks",
                     category="armoured vehicle", quantity=None, stage="delivered", date="2031"),
            {"article": "n9", "none": True}]
    preds = [pred(), pred(quantity=2), pred(article="a2", supplier="RUS", recipient="KEN",
                                            designation="Mi35P", date=None, published=None),
             pred(supplier="NOR", designation="trucks", category="armored vehicle", stage="delivered",
                  date="2031-07", kind="cumulative"),
             pred(article="n9"), pred(article="zz")]
    g, p = write(tmp_path, gold, preds)
    for articles in (None, arts):
        report = evaluate(g, preds, articles)
        extra = ("--articles", str(articles)) if articles else ()
        assert report.summary_line() == run_score_py(g, p, *extra)[-1]


@pytest.mark.skipif(not (SHARED / "eval" / "dev" / "gold.jsonl").exists(), reason="dev set not present")
def test_gold_against_itself_as_predictions(tmp_path):
    """Turning the dev gold into predictions must score like score.py does (no article text is used)."""
    dev = SHARED / "eval" / "dev"
    gold, _ = load_gold(dev / "gold.jsonl")
    preds = [{"article": {"path": f"{g['article']}.txt", "published": None}, "kind": "transfer",
              "supplier": g["supplier"], "recipient": g["recipient"],
              "equipment": {"designation": g["equipment"], "family": None, "category": g["category"]},
              "quantity": g["quantity"], "stage": g["stage"], "date": g["date"]} for g in gold[::2]]
    p = tmp_path / "pred.jsonl"
    p.write_text("".join(json.dumps(x) + "\n" for x in preds))
    report = evaluate(dev / "gold.jsonl", preds, dev / "articles")
    assert report.summary_line() == run_score_py(dev / "gold.jsonl", p, "--articles", str(dev / "articles"))[-1]
    assert report.tp >= len(preds) - 2


@pytest.mark.skipif(not SCORE_PY.exists(), reason="shared/eval/score.py not present")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_cases_agree_with_score_py(tmp_path, seed):
    import random
    rng = random.Random(seed)
    arts, actors = ["a1", "a2", "a3"], ["FRA", "BRA", "NOR", "Korvald Dynamics", "KEN"]
    equip = [("Tigre HX9", "helicopter"), ("KD-40", "artillery"), ("patrol boats", "ship"),
             ("trucks", "armoured vehicle"), ("similar deliveries", None)]
    stages, dates = ["ordered", "delivered", "pledged"], [None, "2031", "2031-03", "2031-03-02", "2030-12"]
    gold = []
    for _ in range(12):
        e, c = rng.choice(equip)
        gold.append(gold_rec(article=rng.choice(arts), supplier=rng.choice(actors), supplier_country="NOR",
                             recipient=rng.choice(actors), equipment=e, category=c,
                             quantity=rng.choice([None, 2, 6]), stage=rng.choice(stages), date=rng.choice(dates)))
    gold.append({"article": "n1", "none": True})
    preds = []
    for _ in range(30):
        e, c = rng.choice(equip)
        g = rng.choice(gold[:-1]) if rng.random() < 0.7 else {}  # most predictions echo a gold record
        pick = lambda key, *alts: g[key] if g and rng.random() < 0.8 else rng.choice(alts)  # noqa: E731
        preds.append(pred(article=pick("article", *arts, "n1", "zz"), supplier=pick("supplier", *actors),
                          recipient=pick("recipient", *actors),
                          designation=pick("equipment", e, "HX-9", "KD40 Mk2"),
                          category=pick("category", c, None, "aircraft"), quantity=pick("quantity", None, 2, 6),
                          stage=pick("stage", *stages, None), date=pick("date", *dates),
                          kind=rng.choice(["transfer", "transfer", "cumulative"]),
                          published=rng.choice([None, "unknown", "2031-04-01"])))
    report = score(tmp_path, gold, preds)
    assert report.gold == 12 and report.tp > 0


def test_miss_causes_tell_a_missed_article_from_a_missed_item(tmp_path):
    from armsledger.evaluate import miss_causes
    gold = [gold_rec(article="a1"),                                   # matched
            gold_rec(article="a1", stage="delivered"),                # same parties and item: the stage
            gold_rec(article="a1", supplier="DEU", recipient="CHL",   # nothing near in an article with claims
                     equipment="Type 209 submarine", category="submarine"),
            gold_rec(article="a2"), gold_rec(article="a2", stage="expected")]  # an article with no claim at all
    preds = [pred(article="a1")]
    r = score(tmp_path, gold, preds)
    assert miss_causes(r, preds) == {"stage": 1, "actors": 0, "equipment": 0, "no candidate": 1,
                                     "no claim in the article": 2}


def test_stage_table_counts_gold_claims_and_matches_per_stage(tmp_path):
    from armsledger.evaluate import stage_line
    gold = [gold_rec(article="a1"),                                   # ordered, matched
            gold_rec(article="a1", stage="delivered"),                # delivered, missed
            gold_rec(article="a2", stage="denied", quantity=None)]    # denied, matched
    preds = [pred(article="a1"),
             pred(article="a1", stage="expected"),                    # an expected claim no record has
             pred(article="a2", stage="denied", quantity=None)]
    r = score(tmp_path, gold, preds)
    assert r.by_stage == {"ordered": (1, 1, 0), "delivered": (1, 0, 0), "expected": (0, 0, 1),
                          "pledged": (0, 0, 0), "denied": (1, 1, 0)}
    assert stage_line(r) == ("ordered P 1.00 R 1.00 (1 of 1 gold, 0 false positives); "
                             "delivered P - R 0.00 (0 of 1 gold, 0 false positives); "
                             "expected P 0.00 R - (0 of 0 gold, 1 false positive); "
                             "denied P 1.00 R 1.00 (1 of 1 gold, 0 false positives)")


def test_stage_precision_counts_a_running_total_as_the_scorer_does(tmp_path):
    """A running-total claim may take a gold record (a match) but is never a false positive, so a stage's
    precision stays within 0 and 1 when running totals match."""
    from armsledger.evaluate import stage_line
    gold = [gold_rec(article="a1", stage="delivered", quantity=35)]
    preds = [pred(article="a1", stage="delivered", quantity=35, kind="cumulative")]
    r = score(tmp_path, gold, preds)
    assert (r.tp, r.pred, r.precision) == (1, 0, 1.0)
    assert r.by_stage["delivered"] == (1, 1, 0)
    assert stage_line(r) == "delivered P 1.00 R 1.00 (1 of 1 gold, 0 false positives)"


def test_stage_table_keeps_claims_with_no_stage_or_an_odd_one(tmp_path):
    """A prediction file may hold a claim with no stage or a stage of another type: it is a false positive
    like any other, and the table says so rather than dropping it or failing."""
    from armsledger.evaluate import stage_line
    gold = [gold_rec(article="a1")]
    preds = [pred(article="a1"), pred(article="a1", stage=None), pred(article="a1", stage=3)]
    r = score(tmp_path, gold, preds)
    assert r.pred - r.tp == 2
    assert r.by_stage["(no stage)"] == (0, 0, 1) and r.by_stage["3"] == (0, 0, 1)
    assert sum(fp for _g, _tp, fp in r.by_stage.values()) == len(r.false_positives)
    assert "(no stage) P 0.00 R - (0 of 0 gold, 1 false positive)" in stage_line(r)
