"""Guard the extraction quality measured on the real dev set (read in place from ../shared/eval/dev).

The floors are the figures recorded in README.md ("Extraction quality"); raise them when
extraction improves, never lower them to make a change pass.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from armsledger.api import extract_paths
from armsledger.evaluate import evaluate

SHARED = Path(os.environ.get("ARMSLEDGER_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
DEV = SHARED / "eval" / "dev"
pytestmark = pytest.mark.skipif(not (DEV / "gold.jsonl").exists(), reason=f"dev set not found at {DEV}")

F1_FLOOR = 0.85
QTY_FLOOR = 0.91
DATE_FLOOR = 0.90
NEGATIVE_FP_CEILING = 0


@pytest.fixture(scope="module")
def run():
    articles, preds = {}, []
    for article, claims in extract_paths([DEV / "articles"]):
        articles[article.id] = article
        preds.extend(claims)
    return articles, preds


def test_dev_set_scores_hold(run):
    _articles, preds = run
    report = evaluate(DEV / "gold.jsonl", [c.to_dict() for c in preds], DEV / "articles")
    print(report.summary_line())
    assert report.f1 >= F1_FLOOR, report.summary_line()
    assert report.qty_ok / report.qty_n >= QTY_FLOOR, report.summary_line()
    assert report.date_ok / report.date_n >= DATE_FLOOR, report.summary_line()
    assert report.negative_fp <= NEGATIVE_FP_CEILING, report.summary_line()


def test_every_evidence_quote_is_verbatim(run):
    articles, preds = run
    for c in preds:
        text = articles[c.article["id"]].text
        for field, ev in c.evidence.items():
            assert text[ev.start:ev.end] == ev.quote, (c.id, field)


def test_cli_eval_agrees_with_the_official_scorer(tmp_path):
    """`armsledger eval` and ../shared/eval/score.py print the same summary line."""
    scorer = SHARED / "eval" / "score.py"
    if not scorer.exists():
        pytest.skip("score.py not found")
    exe = [sys.executable, "-m", "armsledger.serve.cli"]
    pred = tmp_path / "pred.jsonl"
    with open(pred, "w") as fh:
        subprocess.run(exe + ["extract", str(DEV / "articles"), "--format", "jsonl"], stdout=fh, check=True)
    ours = subprocess.run(exe + ["eval", str(DEV / "articles"), "--gold", str(DEV / "gold.jsonl")],
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    theirs = subprocess.run([sys.executable, str(scorer), str(DEV / "gold.jsonl"), str(pred), "--articles",
                             str(DEV / "articles")], capture_output=True, text=True, check=True).stdout.strip()
    assert ours == theirs.splitlines()[-1]
