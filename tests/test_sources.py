"""Sources everywhere: the deal view names the URL, outlet, date and title of each claim;
contradictions name the outlet and date of each side, with their label once; `armsledger
article` shows the stored text with each claim's evidence marked; article text never
sends control sequences to the terminal."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from armsledger import Ledger
from armsledger.serve.cli import app
from _cliutil import examples_ledger, run, runner
from armsledger.serve.render import strip_controls



@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return examples_ledger(tmp_path_factory.mktemp("src"))


def tucano(db: Path) -> str:
    return Ledger(db).ledger(recipient="GHA")[0]["id"]


def test_deal_view_names_every_source(db):
    did = tucano(db)
    d = json.loads(run("deal", did, "--db", db, "--format", "json"))
    text = run("deal", did, "--db", db)
    for c in d["claims"]:
        a = c["article"]
        block = text[text.index(f"- {c['id']} "):]
        source = block.splitlines()[1]
        assert source.strip().startswith("source")
        for value in (a["outlet"], a["published"], a["url"], a["title"]):
            assert value and value in source, (value, source)


def test_contradictions_name_outlet_and_date_once(db):
    did = tucano(db)
    d = json.loads(run("deal", did, "--db", db, "--format", "json"))
    text = run("deal", did, "--db", db)
    assert d["contradictions"]
    for x in d["contradictions"]:
        assert not x["description"].lower().startswith(x["field"].lower() + ":")
        assert f"! {x['field']}: {x['description']}" in text
        assert not re.search(r"\b[0-9a-f]{16}\b", x["description"]), x["description"]  # no bare article hashes
        for side in x["sides"]:
            assert [s["claim"] for s in side["sources"]] == side["claims"]
            for s in side["sources"]:
                assert s["outlet"] and s["published"] and s["url"]
                assert f"{s['outlet']}, {s['published']}" in x["description"]
    for line in text.splitlines():
        m = re.match(r"\s*! ([^:]+): (.*)", line)
        if m:
            assert not m[2].lower().startswith(m[1].lower() + ":"), line  # "delivery date: delivery date: ..."


def test_article_command_marks_every_piece_of_evidence(db):
    did = tucano(db)
    d = json.loads(run("deal", did, "--db", db, "--format", "json"))
    claim = d["claims"][0]
    art = claim["article"]
    text = run("article", art["id"], "--db", db)
    assert run("article", claim["id"], "--db", db) == text  # a claim id finds its article
    for value in (art["outlet"], art["published"], art["url"], art["title"]):
        assert value in text
    stored = json.loads(run("article", art["id"], "--db", db, "--format", "json"))
    assert stored["article"]["id"] == art["id"] and stored["claims"]
    for n, c in enumerate(stored["claims"]):
        for field, ev in c["evidence"].items():
            if field == "sentence":
                continue
            assert stored["article"]["text"][ev["start"]:ev["end"]] == ev["quote"]
            assert re.search("«" + re.escape(ev["quote"]) + r"»\[[^\]]*" + re.escape(f"{field} #{n}"), text), \
                (field, ev["quote"])
    res = runner.invoke(app, ["article", "0000000000000000", "--db", str(db)])
    assert res.exit_code == 1 and "no such article" in res.stderr


def test_control_sequences_never_reach_the_terminal(tmp_path):
    f = tmp_path / "esc.txt"
    f.write_text("published: 2024-03-01\noutlet: Esc \x1b[31mRed\x1b[0m Times\n---\n"
                 "Chad received two Mi-24 helicopters \x1b]0;pwned\x07from Russia on Monday.\x1b[2J\n")
    db = tmp_path / "e.db"
    run("ingest", f, "--db", db)
    led = Ledger(db)
    assert "\x1b" in led.store._conn.execute("SELECT text FROM articles").fetchone()[0]  # stored as read
    rows = led.ledger()
    outputs = [run("ledger", "--db", db), run("deal", rows[0]["id"], "--db", db)]
    art = led.store._conn.execute("SELECT id FROM articles").fetchone()[0]
    outputs.append(run("article", art, "--db", db))
    for out in outputs:
        assert "\x1b" not in out and "\x07" not in out
    assert "Red" in outputs[1] and "pwned" not in outputs[1]


@pytest.mark.parametrize("raw, clean", [
    ("a\x1b[31mb\x1b[0mc", "abc"), ("x\x1b]0;title\x07y", "xy"), ("p\x1b]8;;http://e\x1b\\q", "pq"),
    ("keep\nlines\tand tabs", "keep\nlines\tand tabs"), ("bell\x07 nul\x00 del\x7f c1\x9b2J", "bell nul del c1"),
])
def test_strip_controls(raw, clean):
    assert strip_controls(raw) == clean
