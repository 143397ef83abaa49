"""Bootstrap intervals of record F1 over articles, and paired comparisons of two runs (invented cases)."""
from __future__ import annotations

import json
import re as _re

import pytest
from test_evaluate import gold_rec, pred

from armsledger import resampling
from armsledger.evaluate import evaluate
from armsledger.resampling import Counts, article_counts, compare, f1_interval, f1_of


def _report(tmp_path, gold, preds):
    g = tmp_path / "gold.jsonl"
    g.write_text("".join(json.dumps(r) + "\n" for r in gold))
    return evaluate(g, preds)


def test_article_counts_add_up_to_the_report(tmp_path):
    gold = [gold_rec("a1"), gold_rec("a1", equipment="Rafale", category="aircraft"), gold_rec("a2"),
            {"article": "a3", "none": True}, gold_rec("a4", quantity=12)]
    preds = [pred("a1"), pred("a2", supplier="ITA"), pred("a3"),
             pred("zz"),                                    # an article the gold file does not cover
             pred("a4", kind="cumulative", quantity=12),   # a running total standing in for a record
             pred("a4", kind="cumulative", designation="K9", category="artillery")]  # never a false positive
    report = _report(tmp_path, gold, preds)
    counts = article_counts(report)
    # every scored article is there, including the no-transfer one and the one with nothing matched
    assert counts == {"a1": Counts(1, 0, 1), "a2": Counts(0, 1, 1), "a3": Counts(0, 1, 0), "a4": Counts(1, 0, 0)}
    assert f1_of(counts.values()) == pytest.approx(report.f1)
    assert sum(c.tp for c in counts.values()) == report.tp
    assert sum(c.fp for c in counts.values()) == len(report.false_positives)
    # a split: only its articles, counted as if the gold file held only them
    part = evaluate(tmp_path / "gold.jsonl", preds, only=["a2", "a3", "nowhere"])
    assert article_counts(part) == {"a2": Counts(0, 1, 1), "a3": Counts(0, 1, 0)}
    assert f1_of(article_counts(part).values()) == pytest.approx(part.f1)
    report.gold_by_article = None
    with pytest.raises(ValueError):
        article_counts(report)


def test_interval_holds_the_figure_and_is_reproducible():
    counts = {f"a{i}": Counts(tp=i % 3, fp=i % 2, fn=(i + 1) % 3) for i in range(40)}
    lo, hi = f1_interval(counts)
    assert lo < f1_of(counts.values()) < hi
    assert (lo, hi) == f1_interval(counts)  # seeded: the same counts print the same interval
    # more articles of the same mix give a narrower interval
    wide = {f"b{i}": c for i, c in enumerate(list(counts.values()) * 4)}
    lo4, hi4 = f1_interval(wide)
    assert hi4 - lo4 < hi - lo
    assert f1_interval({}) == (0.0, 0.0)


def test_a_run_better_on_every_article_is_told_from_noise():
    base = {f"a{i}": Counts(tp=1, fp=1, fn=1) for i in range(30)}
    better = {a: Counts(tp=2, fp=0, fn=0) for a in base}
    cmp = compare(better, base)
    assert cmp.delta == pytest.approx(1.0 - 0.5)
    assert cmp.low > 0 and cmp.better_share == 1.0 and cmp.articles == 30
    same = compare(base, base)
    assert (same.delta, same.low, same.high, same.better_share) == (0.0, 0.0, 0.0, 0.0)


def test_one_article_better_is_not_a_significant_change():
    base = {f"a{i}": Counts(tp=1 + i % 2, fp=i % 3 == 0, fn=i % 2) for i in range(80)}
    one = dict(base, a1=Counts(tp=base["a1"].tp + 1, fp=base["a1"].fp, fn=base["a1"].fn - 1))
    cmp = compare(one, base)
    assert cmp.delta > 0
    assert cmp.low <= 0 < cmp.high  # the interval straddles zero: one record is within the noise


def test_compare_uses_only_the_shared_articles():
    base = {"a1": Counts(1, 0, 0), "a2": Counts(0, 1, 1)}
    cmp = compare({"a1": Counts(1, 0, 0), "zz": Counts(0, 5, 5)}, base)
    assert cmp.articles == 1 and cmp.delta == 0.0
    with pytest.raises(ValueError):
        compare({"x": Counts(1, 0, 0)}, base)


def test_counts_file_round_trip_and_bad_files(tmp_path):
    data = {"validation": {"a1": Counts(2, 1, 0)}, "train": {"b": Counts(0, 0, 3)}}
    path = tmp_path / "counts.json"
    resampling.save_counts(path, data)
    assert resampling.load_counts(path) == data
    assert [p.name for p in tmp_path.iterdir()] == ["counts.json"]  # no temporary file left behind
    for i, text in enumerate(['{"validation": {"a1": "x"}}', '{"v": {"a1": "123"}}', '{"v": {"a1": [1e999, 0, 0]}}',
                              '{"v": {"a1": [1.9, true, 0]}}', '{"v": {"a1": [-1, 0, 1]}}', '{"v": {"a1": [1, 2]}}',
                              '[1, 2, 3]', '{"v": [1]}', "[" * 100000, "not json"]):
        bad = tmp_path / f"bad{i}.json"
        bad.write_text(text)
        with pytest.raises(ValueError, match=f"bad{i}.json: not a counts file"):
            resampling.load_counts(bad)
    with pytest.raises(ValueError, match="missing.json: cannot read"):
        resampling.load_counts(tmp_path / "missing.json")
    with pytest.raises(OSError):  # a target that is a folder: nothing half-written stays
        resampling.save_counts(tmp_path, data)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_claims_digest_tells_a_changed_claim_and_nothing_else():
    a = {"article": {"path": "x/a1.txt"}, "kind": "transfer", "stage": "delivered", "supplier": "FRA",
         "recipient": "EGY", "designation": "Rafale", "quantity": 3, "date": "2024-05", "confidence": 0.7}
    b = dict(a, designation="FREMM", quantity=1)
    d = resampling.claims_digest([a, b])
    assert _re.fullmatch(r"[0-9a-f]{16}", d)
    assert resampling.claims_digest([b, a]) == d  # order aside
    assert resampling.claims_digest([dict(a, confidence=0.9), b]) == d  # a confidence is no other claim
    for key, value in (("date", "2024-06"), ("quantity", 4), ("stage", "ordered"), ("recipient", "GRC")):
        assert resampling.claims_digest([dict(a, **{key: value}), b]) != d, key
    assert resampling.claims_digest([a]) != d and resampling.claims_digest([]) != d


def test_changed_articles_are_counted_when_both_runs_recorded_digests(tmp_path):
    counts = resampling.with_digests({"a1": Counts(1, 0, 0), "a2": Counts(0, 0, 1)},
                                     [{"article": {"path": "a1.txt"}, "kind": "transfer", "stage": "ordered"}])
    assert counts["a1"].claims and counts["a2"].claims == resampling.claims_digest([])
    path = tmp_path / "c.json"
    resampling.save_counts(path, {"v": counts})
    back = resampling.load_counts(path)["v"]
    assert back == counts and resampling.changed(back, counts) == 0
    other = dict(counts, a1=Counts(1, 0, 0, resampling.claims_digest([])))
    assert resampling.changed(other, counts) == 1
    assert resampling.changed({"a1": Counts(1, 0, 0), "a2": Counts(0, 0, 1)}, counts) is None  # an older file
    bad = tmp_path / "bad.json"
    bad.write_text('{"v": {"a1": [1, 0, 0, "not a digest"]}}')
    with pytest.raises(ValueError, match="bad.json: not a counts file"):
        resampling.load_counts(bad)


def test_runs_scored_against_other_gold_are_told_apart():
    base = {"a1": Counts(1, 0, 1), "a2": Counts(0, 1, 0)}
    assert resampling.mismatched({"a1": Counts(2, 3, 0), "a2": Counts(0, 0, 0), "a9": Counts(5, 0, 0)}, base) == []
    assert resampling.mismatched({"a1": Counts(1, 0, 2), "a2": Counts(0, 1, 0)}, base) == ["a1"]
