"""End to end: the real `armsledger` CLI (and the Python API beside it) on the shipped
example articles and on small files written here."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import armsledger
from armsledger.ingest import read_path
from armsledger.models import Article
from armsledger.serve.cli import app

EXAMPLES = Path(armsledger.__file__).parent / "examples"
REGISTER = Path(__file__).resolve().parents[2] / "shared" / "data" / "sipri" / "trade-register-2025-03-13.csv"

SIPRI_COLUMNS = ["Recipient", "Supplier", "Year of order", "Number ordered", "Weapon designation",
                 "Weapon description", "Number delivered", "Year(s) of delivery", "status", "Comments"]
CLAIM_KEYS = {"article", "kind", "supplier", "recipient", "equipment", "quantity", "uncertain", "stage", "date",
              "granularity", "attribution", "hedged", "terms", "evidence"}

runner = CliRunner()


def cli(*args, ok: bool = True, env: dict | None = None):
    result = runner.invoke(app, [str(a) for a in args], env=env)
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def texts_of(path: Path) -> dict[str, str]:
    """Article id -> stored text, read the way ingest reads it."""
    return {a.id: a.text for a in read_path(path) if isinstance(a, Article)}


def check_evidence(claims: list[dict], texts: dict[str, str]) -> None:
    for c in claims:
        text = texts[c["article"]["id"]]
        assert c["evidence"], c
        for field, ev in c["evidence"].items():
            assert set(ev) >= {"start", "end", "quote"}, (field, ev)
            assert 0 <= ev["start"] <= ev["end"] <= len(text), (field, ev)
            assert text[ev["start"]:ev["end"]] == ev["quote"], (c["id"], field, ev)


def write_bad_folder(folder: Path) -> Path:
    """The examples plus a binary file, an empty file and a file that is not UTF-8."""
    shutil.copytree(EXAMPLES, folder)
    (folder / "photo.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "blank.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Le Br\u00e9sil a livr\u00e9 des avions au Ghana.\n".encode("latin-1"))
    return folder


def dump(db: Path) -> dict[str, list]:
    """Every row of every table, sorted, for a before/after comparison."""
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def example_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("ledger") / "examples.db"
    res = cli("ingest", EXAMPLES, "--db", db)
    assert "5 article(s) added" in res.stdout
    return db


def ledger_json(db: Path, *args) -> list[dict]:
    return json.loads(cli("ledger", "--db", db, "--format", "json", *args).stdout)


def tucano_deal_id(db: Path) -> str:
    rows = ledger_json(db, "--recipient", "GHA", "--supplier", "BRA")
    assert len(rows) == 1, rows
    return rows[0]["id"]


# --------------------------------------------------------------------------- extract

def test_extract_jsonl_keys_and_evidence():
    res = cli("extract", EXAMPLES, "--format", "jsonl")
    lines = [line for line in res.stdout.splitlines() if line.strip()]
    claims = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all(isinstance(c, dict) for c in claims)
    assert len(claims) >= 10
    for c in claims:
        assert CLAIM_KEYS <= set(c), CLAIM_KEYS - set(c)
        assert {"id", "path", "url", "outlet", "published"} <= set(c["article"])
        assert {"designation", "family", "category"} <= set(c["equipment"])
        assert c["kind"] in ("transfer", "cumulative")
        assert c["stage"] in ("ordered", "delivered", "expected", "pledged", "denied")
        assert c["quantity"] is None or isinstance(c["quantity"], int)
        assert isinstance(c["uncertain"], bool) and isinstance(c["hedged"], bool)
        assert isinstance(c["terms"], dict)
        assert c["granularity"] in (None, "day", "month", "year")
        for f in ("recipient", "quantity", "attribution", "stage"):
            if c[f] is not None:
                assert f in c["evidence"], (f, c)
    check_evidence(claims, texts_of(EXAMPLES))
    # every example article yields claims, with its header metadata carried
    by_file = {Path(c["article"]["path"]).name for c in claims}
    assert by_file == {p.name for p in EXAMPLES.glob("*.txt")}
    first = next(c for c in claims if c["article"]["path"].endswith("01-northwind-tucano.txt"))
    assert first["article"]["published"] == "2023-05-12"
    assert first["article"]["outlet"] == "Northwind Wire (example)"
    assert first["article"]["url"].startswith("https://example.org/")
    # the Ghana delivery of four on "Thursday" (published Friday 2023-05-12)
    tucanos = [c for c in claims if c["supplier"] == "BRA" and c["recipient"] == "GHA"
               and c["stage"] == "delivered" and c["article"]["path"].endswith("01-northwind-tucano.txt")]
    assert [(c["quantity"], c["date"], c["granularity"]) for c in tucanos] == [(4, "2023-05-11", "day")]
    # a denial is a claim of its own
    assert any(c["stage"] == "denied" and c["supplier"] == "SRB" and c["recipient"] == "KEN" for c in claims)
    # "has already donated 60 ..." is cumulative, not a new transfer
    assert any(c["kind"] == "cumulative" and c["quantity"] == 60 for c in claims)


def test_extract_every_value_has_evidence():
    missing = []
    for c in jsonl(cli("extract", EXAMPLES).stdout):
        for f in ("supplier", "recipient", "designation", "quantity", "stage", "date", "attribution"):
            if c.get(f) is None or f in c["evidence"]:
                continue
            if f == "date" and c["notes"].get("date_source") == "published":
                continue  # the publication date: no words in the text to quote
            missing.append((c["id"], f, c[f]))
    assert missing == []


def test_extract_json_and_table_agree_with_jsonl():
    lines = jsonl(cli("extract", EXAMPLES).stdout)  # jsonl is the default
    as_json = json.loads(cli("extract", EXAMPLES, "--format", "json").stdout)
    assert as_json == lines
    table = cli("extract", EXAMPLES, "--format", "table").stdout
    for name in ("01-northwind-tucano.txt", "03-baltic-nasams.txt", "05-asia-fa50.txt"):
        assert name in table
    for word in ("BRA", "GHA", "NOR", "UKR", "delivered", "pledged", "denied", "cumulative"):
        assert word in table


def test_extract_does_not_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli("extract", EXAMPLES / "01-northwind-tucano.txt")
    assert list(tmp_path.iterdir()) == []


def test_extract_via_python_m(tmp_path):
    res = subprocess.run([sys.executable, "-m", "armsledger.serve.cli", "extract",
                          str(EXAMPLES / "03-baltic-nasams.txt")], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    claims = jsonl(res.stdout)
    assert {(c["supplier"], c["recipient"]) for c in claims} == {("NOR", "UKR")}


# ------------------------------------------------------------ --published / --outlet

PLAIN = "Brazil delivered two Super Tucano aircraft to Ghana on Monday, officials in Accra said.\n"


def test_published_and_outlet_for_plain_text(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text(PLAIN, encoding="utf-8")
    res = cli("extract", f, "--published", "2024-03-07", "--outlet", "My Test Wire")
    claims = jsonl(res.stdout)
    assert len(claims) == 1
    c = claims[0]
    assert c["article"]["published"] == "2024-03-07"
    assert c["article"]["outlet"] == "My Test Wire"
    assert (c["supplier"], c["recipient"], c["stage"], c["quantity"]) == ("BRA", "GHA", "delivered", 2)
    assert (c["date"], c["granularity"]) == ("2024-03-04", "day")  # the Monday before Thursday 7 March
    assert c["evidence"]["date"]["quote"] == "on Monday"
    check_evidence(claims, texts_of(f))


def test_relative_date_unresolved_without_published(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text(PLAIN, encoding="utf-8")
    c, = jsonl(cli("extract", f).stdout)
    assert c["article"]["published"] is None and c["article"]["outlet"] is None
    assert c["date"] is None
    assert c.get("date_unresolved") is True


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-45", "March 2024"])
def test_invalid_published_is_an_error(tmp_path, bad):
    f = tmp_path / "plain.txt"
    f.write_text(PLAIN, encoding="utf-8")
    for cmd in (["extract", f], ["ingest", f, "--db", tmp_path / "x.db"]):
        res = cli(*cmd, "--published", bad, ok=False)
        assert res.exit_code != 0
        assert "--published" in res.output and bad in res.output
        assert res.stdout.strip() == ""
    assert not (tmp_path / "x.db").exists() or dump(tmp_path / "x.db").get("articles", []) == []


def test_published_on_ingest_is_stored(tmp_path):
    from armsledger import Ledger

    f = tmp_path / "plain.txt"
    f.write_text(PLAIN, encoding="utf-8")
    db = tmp_path / "p.db"
    cli("ingest", f, "--db", db, "--published", "2024-03-07", "--outlet", "My Test Wire")
    rows = ledger_json(db, "--recipient", "Ghana")
    assert len(rows) == 1
    d = Ledger(db).deal(rows[0]["id"])
    c, = d.claims
    assert c.date == "2024-03-04" and c.article["outlet"] == "My Test Wire"


# ------------------------------------------------------------------------ ingest

def test_ingest_bad_files_and_idempotence(tmp_path):
    from armsledger import Ledger

    folder = write_bad_folder(tmp_path / "articles")
    db = tmp_path / "tmp.db"
    res = cli("ingest", folder, "--db", db, ok=False)
    assert res.exit_code == 1  # some files could not be read: a script can tell
    assert "5 article(s) added" in res.stdout and "3 error(s)" in res.stdout
    assert "3 file(s) or article(s) could not be read" in res.stderr
    err = res.stderr
    lines = {name: next((line for line in err.splitlines() if name in line), "")
             for name in ("photo.bin", "blank.txt", "latin1.txt")}
    assert "binary" in lines["photo.bin"]
    assert "empty" in lines["blank.txt"]
    assert "UTF-8" in lines["latin1.txt"]
    for name in ("01-northwind-tucano.txt", "05-asia-fa50.txt"):
        assert name not in err

    led = Ledger(db)
    stats, rows, content = led.stats(), led.ledger(), dump(db)
    assert stats["articles"] == 5 and stats["claims"] > 0 and stats["deals"] == len(rows) > 0

    again = cli("ingest", folder, "--db", db, ok=False)
    assert "0 article(s) added" in again.stdout and "5 already stored" in again.stdout
    assert "0 claim(s)" in again.stdout
    assert Ledger(db).stats() == stats
    assert Ledger(db).ledger() == rows
    assert dump(db) == content

    # the same article under another name (and from another folder) is stored once
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(EXAMPLES / "02-coastal-tucano.txt", other / "copy-of-02.txt")
    third = cli("ingest", other, "--db", db)
    assert "0 article(s) added, 1 already stored" in third.stdout
    assert dump(db) == content


def test_ingest_db_from_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = write_bad_folder(tmp_path / "articles")
    db = tmp_path / "env.db"
    res = cli("ingest", folder, env={"ARMSLEDGER_DB": str(db)}, ok=False)
    assert res.exit_code == 1
    assert "5 article(s) added" in res.stdout
    assert db.exists() and not (tmp_path / "armsledger.db").exists()
    assert "photo.bin" in res.stderr
    res2 = cli("ingest", folder, env={"ARMSLEDGER_DB": str(db)}, ok=False)
    assert "0 article(s) added" in res2.stdout
    assert ledger_json(db) == json.loads(cli("ledger", "--format", "json",
                                              env={"ARMSLEDGER_DB": str(db)}).stdout)


def test_ingest_missing_path_is_reported(tmp_path):
    db = tmp_path / "m.db"
    res = cli("ingest", EXAMPLES / "01-northwind-tucano.txt", tmp_path / "nope.txt", "--db", db, ok=False)
    assert res.exit_code == 1
    assert "1 article(s) added" in res.stdout
    assert "nope.txt" in res.stderr


# ------------------------------------------------------------------------ ledger

def test_ledger_filters(example_db):
    everything = ledger_json(example_db)
    assert len(everything) >= 5
    pairs = {(r["supplier"], r["recipient"]) for r in everything}
    assert {("BRA", "GHA"), ("NOR", "UKR"), ("SRB", "KEN"), ("KOR", "PHL")} <= pairs

    by_code = ledger_json(example_db, "--recipient", "GHA")
    assert by_code and {r["recipient"] for r in by_code} == {"GHA"}
    assert ledger_json(example_db, "--recipient", "Ghana") == by_code
    assert ledger_json(example_db, "--recipient", "gha") == by_code
    assert ledger_json(example_db, "--supplier", "Brazilian") == by_code
    assert ledger_json(example_db, "--supplier", "BRA") == by_code
    assert ledger_json(example_db, "--supplier", "Norway", "--recipient", "Ukrainian") == \
        [r for r in everything if (r["supplier"], r["recipient"]) == ("NOR", "UKR")]
    assert ledger_json(example_db, "--supplier", "BRA", "--recipient", "UKR") == []

    denied = ledger_json(example_db, "--stage", "denied")
    assert [(r["supplier"], r["recipient"]) for r in denied] == [("SRB", "KEN")]
    assert all("delivered" in r["stages"] for r in ledger_json(example_db, "--stage", "delivered"))
    pledged = ledger_json(example_db, "--stage", "pledged")
    assert pledged and {r["supplier"] for r in pledged} == {"NOR"}

    aircraft = ledger_json(example_db, "--category", "aircraft")
    assert {r["recipient"] for r in aircraft} == {"GHA", "PHL"}
    tucano = by_code[0]
    assert ledger_json(example_db, "--category", tucano["category"]) == by_code

    y2021 = ledger_json(example_db, "--year", "2021")
    assert [r["id"] for r in y2021] == [tucano["id"]]  # ordered in March 2021
    assert tucano["id"] in [r["id"] for r in ledger_json(example_db, "--year", "2023")]
    assert ledger_json(example_db, "--year", "1990") == []


def test_ledger_csv_and_table(example_db):
    rows = ledger_json(example_db)
    out = cli("ledger", "--db", example_db, "--format", "csv").stdout
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in parsed] == [r["id"] for r in rows]
    assert {"id", "supplier", "recipient", "family", "category"} <= set(parsed[0])
    gha = [r for r in parsed if r["recipient"] == "GHA"]
    assert len(gha) == 1 and gha[0]["supplier"] == "BRA"
    assert gha[0]["designations"] and not gha[0]["designations"].startswith("[")  # plain cells, not JSON

    table = cli("ledger", "--db", example_db).stdout
    for r in rows:
        assert r["id"] in table  # an id is shown whole, ready for `armsledger deal ID`
    filtered = cli("ledger", "--db", example_db, "--recipient", "Ghana", "--format", "csv").stdout
    assert len(list(csv.DictReader(io.StringIO(filtered)))) == 1


# -------------------------------------------------------------------------- deal

def test_deal_text_view(example_db):
    did = tucano_deal_id(example_db)
    d = json.loads(cli("deal", did, "--db", example_db, "--json").stdout)
    text = cli("deal", did, "--db", example_db).stdout
    assert did in text
    for c in d["claims"]:
        assert c["id"] in text
        for field, ev in c["evidence"].items():
            if "\n" not in ev["quote"]:
                assert f"“{ev['quote']}”" in text, (field, ev)
    assert "Contradictions (" in text
    for x in d["contradictions"]:
        assert x["description"] in text


def test_deal_json_two_outlets_contradict(example_db):
    did = tucano_deal_id(example_db)
    d = json.loads(cli("deal", did, "--db", example_db, "--json").stdout)
    assert {"id", "supplier", "recipient", "family", "category", "claims", "tranches", "contradictions"} <= set(d)
    assert (d["id"], d["supplier"], d["recipient"]) == (did, "BRA", "GHA")
    outlets = {c["article"]["outlet"] for c in d["claims"]}
    assert outlets == {"Northwind Wire (example)", "Coastal Daily (example)"}
    claim_ids = {c["id"] for c in d["claims"]}
    for t in d["tranches"]:
        assert set(t["claims"]) <= claim_ids
    deliveries = {c["id"]: c for c in d["claims"] if c["stage"] == "delivered"}
    assert sorted((c["quantity"], c["date"]) for c in deliveries.values()) == [(4, "2023-05-11"), (5, "2023-05-10")]
    # the two reports of the arrival disagree: the deal says so, naming the claims on each side
    assert d["contradictions"]
    for x in d["contradictions"]:
        assert len(x["sides"]) >= 2
        for side in x["sides"]:
            assert set(side["claims"]) <= claim_ids
    on_delivery = [x for x in d["contradictions"]
                   if {cid for s in x["sides"] for cid in s["claims"]} >= set(deliveries)]
    assert on_delivery, d["contradictions"]
    sides = on_delivery[0]["sides"]
    assert {cid for cid in sides[0]["claims"]}.isdisjoint(sides[1]["claims"])
    check_evidence(d["claims"], texts_of(EXAMPLES))


def test_deal_flags_quantity_of_same_delivery(example_db):
    did = tucano_deal_id(example_db)
    d = json.loads(cli("deal", did, "--db", example_db, "--json").stdout)
    assert any("quantit" in x["field"] for x in d["contradictions"]), d["contradictions"]


def test_ledger_does_not_sum_one_delivery_twice(example_db):
    """Two outlets' counts (4 and 5) of possibly the same arrival are one delivery, not nine."""
    row, = ledger_json(example_db, "--recipient", "GHA")
    assert row["quantity_delivered"] is not None and row["quantity_delivered"] <= row["quantity_ordered"]
    assert row["quantity_delivered"] == 5 and row["quantity_uncertain"]


def test_deal_unknown_id(example_db):
    res = cli("deal", "doesnotexist", "--db", example_db, ok=False)
    assert res.exit_code == 1
    assert "doesnotexist" in res.stderr


# ------------------------------------------------------------------------ export

def test_export_sipri(example_db, tmp_path):
    out = cli("export", "--format", "sipri", "--db", example_db).stdout
    rows = list(csv.reader(io.StringIO(out)))
    header = rows[0]
    assert [h for h in header if h.strip()] == SIPRI_COLUMNS
    assert header[:3] == ["Recipient", "Supplier", "Year of order"]
    body = [dict(zip(header, r)) for r in rows[1:]]  # unnamed "?" columns collapse; named ones stay
    # register rows: deals with an order or a delivery (SIPRI's rule); the pledges only on request
    confirmed = [r for r in ledger_json(example_db) if {"ordered", "delivered"} & set(r["stages"])]
    assert len(body) == len(confirmed) < len(ledger_json(example_db))
    ghana = [r for r in body if r["Recipient"] == "Ghana"]
    assert len(ghana) == 1
    g = ghana[0]
    assert g["Supplier"] == "Brazil"
    assert "Super Tucano" in g["Weapon designation"]
    assert g["Year of order"] == "2021" and g["Number ordered"] == "6"
    assert "2023" in g["Year(s) of delivery"]
    assert not any(len(r["Recipient"]) == 3 and r["Recipient"].isupper() for r in body)  # names, not codes
    assert {r["Supplier"] for r in body} >= {"Brazil", "Serbia", "South Korea"}
    everything = list(csv.reader(io.StringIO(cli("export", "--db", example_db, "--all-stages").stdout)))
    pledged = [dict(zip(header, r)) for r in everything[1:] if dict(zip(header, r))["Supplier"] == "Norway"]
    assert pledged and all(r["status"] == "Pledged (not confirmed)" for r in pledged)
    assert len(everything) - 1 == len(ledger_json(example_db))

    # --output writes the same file; filters by name work here too
    f = tmp_path / "out.csv"
    cli("export", "--db", example_db, "--output", f)
    assert list(csv.reader(f.open(newline="", encoding="utf-8"))) == rows
    only = list(csv.reader(io.StringIO(cli("export", "--db", example_db, "--recipient", "Ghana").stdout)))
    assert only == [header, rows[body.index(g) + 1]]


def test_export_csv_and_json(example_db):
    rows = ledger_json(example_db)
    as_json = json.loads(cli("export", "--format", "json", "--db", example_db).stdout)
    assert as_json == rows
    as_csv = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv", "--db", example_db).stdout)))
    assert [r["id"] for r in as_csv] == [r["id"] for r in rows]


# --------------------------------------------------------------------- reconcile

@pytest.mark.skipif(not REGISTER.exists(), reason="SIPRI register not present")
def test_reconcile(example_db):
    text = cli("reconcile", REGISTER, "--db", example_db).stdout
    counts = {}
    for key in ("matched", "ledger only", "register only"):
        line = next(line for line in text.splitlines() if line.startswith(key + ":"))
        counts[key] = int(line.split(":")[1])
    result = json.loads(cli("reconcile", REGISTER, "--db", example_db, "--json").stdout)
    assert counts == {"matched": len(result["matched"]), "ledger only": len(result["ledger_only"]),
                      "register only": len(result["register_only"])}
    # every deal is either matched to a register line or ledger-only
    assert counts["matched"] + counts["ledger only"] == len(ledger_json(example_db))
    assert counts["register only"] > 0


# -------------------------------------------------------------------------- eval

ARTICLE_A = "published: 2024-03-07\noutlet: Test Wire\n---\n" + PLAIN
ARTICLE_B = ("published: 2024-03-08\n---\nThe defence minister visited the air base on Tuesday and spoke with "
             "pilots about their training schedule.\n")


def write_eval(tmp_path: Path, gold: list[dict]) -> tuple[Path, Path]:
    arts = tmp_path / "arts"
    arts.mkdir(exist_ok=True)
    (arts / "sample-a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (arts / "sample-b.txt").write_text(ARTICLE_B, encoding="utf-8")
    g = tmp_path / "gold.jsonl"
    g.write_text("".join(json.dumps(r) + "\n" for r in gold), encoding="utf-8")
    return arts, g


def test_eval(tmp_path):
    good = {"article": "sample-a", "supplier": "BRA", "recipient": "GHA", "equipment": "Super Tucano",
            "category": "aircraft", "quantity": 2, "stage": "delivered", "date": "2024-03-04"}
    arts, gold = write_eval(tmp_path, [good, {"article": "sample-b", "none": True}])
    counts = tmp_path / "counts.json"
    out = cli("eval", arts, "--gold", gold, "--save-counts", counts).stdout.strip().splitlines()
    assert out[-1] == ("gold=1 pred=1 tp=1 P=1.000 R=1.000 F1=1.000 qty=1/1 date=1/1 "
                       "negative_article_fp=0")
    assert out[0] == "F1 95% interval 0.000-1.000 (bootstrap over 2 articles)"  # two articles say little
    assert out[1] == "by stage: delivered P 1.00 R 1.00 (1 of 1 gold, 0 false positives)"
    assert out[2] == "no-transfer articles with a claim: 0 of 1 (0 claims)"
    saved = json.loads(counts.read_text())["all"]
    assert {a: v[:3] for a, v in saved.items()} == {"sample-a": [1, 0, 0], "sample-b": [0, 0, 0]}
    assert all(len(v) == 4 and len(v[3]) == 16 for v in saved.values())  # and a digest of each article's claims
    assert saved["sample-a"][3] != saved["sample-b"][3]

    wrong = dict(good, supplier="FRA", quantity=3)
    arts, gold = write_eval(tmp_path, [wrong])
    res = cli("eval", arts, "--gold", gold, "--verbose", "--baseline", counts)
    last = res.stdout.strip().splitlines()[-1]
    assert last.startswith("gold=1 pred=1 tp=0 ") and "F1=0.000" in last
    assert "against counts.json: F1 -1.000 (95% interval -1.000 to -1.000" in res.stdout
    assert "against counts.json: other claims in 0 of 1 articles" in res.stdout  # the same claims, scored otherwise
    assert "MISS" in res.stdout and "FP" in res.stdout

    (tmp_path / "huge.json").write_text('{"all": {"sample-a": [1e999, 0, 0]}}')
    for bad, why in (("missing.json", "cannot read"), ("gold.jsonl", "not a counts file"),
                     ("huge.json", "not a counts file")):
        res = cli("eval", arts, "--gold", gold, "--baseline", tmp_path / bad, ok=False)
        assert res.exit_code == 1 and f"error: {tmp_path / bad}: {why}" in res.output
    res = cli("eval", arts, "--gold", gold, "--save-counts", tmp_path / "no" / "such" / "c.json", ok=False)
    assert res.exit_code == 1 and "c.json: cannot write the counts there" in res.output
    assert "gold=" not in res.output  # refused before the extraction

    # a baseline scored against another gold file is not compared with this run
    two = dict(good, equipment="Tigre", category="helicopter")
    arts, gold = write_eval(tmp_path, [good, two])
    res = cli("eval", arts, "--gold", gold, "--baseline", counts)
    assert "baseline counts.json: not compared, 1 article(s) have another number of gold records" in res.stdout


def test_eval_corpus_intervals_with_an_empty_split(tmp_path):
    good = {"article": "sample-a", "supplier": "BRA", "recipient": "GHA", "equipment": "Super Tucano",
            "category": "aircraft", "quantity": 2, "stage": "delivered", "date": "2024-03-04"}
    arts, gold = write_eval(tmp_path, [good, {"article": "sample-b", "none": True}])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    arts.rename(corpus / "articles")
    gold.rename(corpus / "gold.jsonl")
    (corpus / "splits.json").write_text(json.dumps({"validation": [], "train": ["sample-a", "sample-b"]}))
    counts = tmp_path / "c.json"
    out = cli("eval", corpus, "--save-counts", counts).stdout.splitlines()
    assert "[validation] F1 interval: no articles to resample" in out
    assert "[train] F1 95% interval 0.000-1.000 (bootstrap over 2 articles)" in out
    assert "[train] by stage: delivered P 1.00 R 1.00 (1 of 1 gold, 0 false positives)" in out
    assert "[validation] by stage: no records and no claims" in out  # an empty split
    assert "[train] no-transfer articles with a claim: 0 of 1 (0 claims)" in out
    assert "[validation] no-transfer articles with a claim: 0 of 0 (0 claims)" in out
    (tmp_path / "old.json").write_text(json.dumps({"validation": {}}))
    out = cli("eval", corpus, "--baseline", tmp_path / "old.json").stdout.splitlines()
    assert "[train] baseline old.json: no article of this split in it" in out
    out = cli("eval", corpus, "--baseline", counts).stdout.splitlines()
    assert any(line.startswith("[train] against c.json: F1 +0.000") for line in out)
    assert "[train] against c.json: other claims in 0 of 2 articles" in out
    # a counts file written before digests were recorded: the F1 comparison only
    old = {s: {a: v[:3] for a, v in arts.items()} for s, arts in json.loads(counts.read_text()).items()}
    (tmp_path / "plain.json").write_text(json.dumps(old))
    out = cli("eval", corpus, "--baseline", tmp_path / "plain.json").stdout.splitlines()
    assert any(line.startswith("[train] against plain.json: F1 +0.000") for line in out)
    assert not any("other claims" in line for line in out)


# -------------------------------------------------------------------------- demo

def test_demo(tmp_path):
    db = tmp_path / "demo.db"
    res = cli("demo", "--db", db)
    out = res.stdout
    assert "5 article(s) added" in out
    assert "Ledger (one row per deal)" in out
    assert "┃" in out and "supplier" in out and "GHA" in out  # a rendered table
    assert "Contradictions (" in out
    assert "Recipient,Supplier,Year of order" in out
    assert db.exists()
    assert res.stderr.strip() == ""


# ------------------------------------------------------------------------ Python API

def test_python_api_agrees_with_cli(tmp_path):
    from armsledger import Ledger

    folder = write_bad_folder(tmp_path / "articles")
    db_api, db_cli = tmp_path / "api.db", tmp_path / "cli.db"
    led = Ledger(db_api)
    report = led.ingest([folder])
    assert (report.added, report.skipped) == (5, 0)
    assert sorted(Path(e.path).name for e in report.errors) == ["blank.txt", "latin1.txt", "photo.bin"]
    assert report.claims == led.stats()["claims"]
    again = led.ingest([str(folder)])
    assert (again.added, again.skipped, again.claims) == (0, 5, 0)

    assert cli("ingest", folder, "--db", db_cli, ok=False).exit_code == 1  # three bad files
    strip = lambda s: {k: v for k, v in s.items() if k != "path"}  # noqa: E731
    assert strip(led.stats()) == strip(Ledger(db_cli).stats())

    gha = led.ledger(recipient="GHA")
    assert json.loads(json.dumps(gha)) == ledger_json(db_cli, "--recipient", "Ghana")
    assert json.loads(json.dumps(led.ledger())) == ledger_json(db_cli)

    d = led.deal(gha[0]["id"])
    assert d is not None and d.recipient == "GHA" and d.contradictions
    from armsledger.serve.cli import _jsonable

    assert _jsonable(d.to_dict()) == json.loads(cli("deal", d.id, "--db", db_cli, "--json").stdout)
    assert led.deal("nope") is None

    buf = io.StringIO(newline="")
    n = led.export_sipri(buf)
    assert n == len([r for r in led.ledger() if {"ordered", "delivered"} & set(r["stages"])])  # rows written
    assert list(csv.reader(io.StringIO(buf.getvalue()))) == \
        list(csv.reader(io.StringIO(cli("export", "--db", db_cli).stdout)))

    # the stored text is the text evidence offsets point into
    for c in d.claims:
        stored = led.store.article(c.article["id"])
        for ev in c.evidence.values():
            assert stored.text[ev.start:ev.end] == ev.quote


def test_an_article_that_breaks_extraction_does_not_stop_the_batch(tmp_path, monkeypatch):
    """A failure inside extraction is reported with the file's name; the other articles are stored."""
    import armsledger.extract as ex
    from armsledger.api import Ledger

    folder = tmp_path / "articles"
    folder.mkdir()
    good = folder / "good.txt"
    good.write_text("Ghana received four A-29 Super Tucano aircraft from Brazil on Monday.\n")
    bad = folder / "bad.txt"
    bad.write_text("This article makes the extractor fail.\n")
    real = ex.extract

    def flaky(article):
        if "fail" in article.text:
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(ex, "extract", flaky)
    led = Ledger(tmp_path / "x.db")
    report = led.ingest([folder], published="2024-03-06")
    assert report.added == 1
    assert len(report.errors) == 1 and "bad.txt" in str(report.errors[0]) and "boom" in str(report.errors[0])
    assert led.stats()["articles"] == 1


def test_train_without_scikit_learn_says_what_to_install(tmp_path, monkeypatch):
    """Training is an optional extra: without scikit-learn the command names the extra and exits non-zero, with no
    traceback (it looks the package up rather than importing it)."""
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "gold.jsonl").write_text("", encoding="utf-8")
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a))
    result = cli("train", corpus, ok=False)
    assert result.exit_code != 0
    assert "armsledger[train]" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("seeds", ["1,x", ",", "two"])
def test_train_refuses_cv_seeds_that_are_not_integers(tmp_path, seeds):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "gold.jsonl").write_text("", encoding="utf-8")
    result = cli("train", corpus, "--cv-seeds", seeds, "-o", tmp_path / "m.json", ok=False)
    assert result.exit_code == 2 and "--cv-seeds" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "m.json").exists()
