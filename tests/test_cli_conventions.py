"""CLI conventions: every bad invocation gives its exit code (1 failure, 2 usage), a one-line
message naming the path or value, and no traceback; read commands never create a database;
the Python API resolves filter values exactly as the CLI does."""
from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import armsledger
from armsledger.errors import DatabaseError, UnknownValue, UsageError
from armsledger.serve.cli import app

EXAMPLES = Path(armsledger.__file__).parent / "examples"
runner = CliRunner()


def run(*args, env: dict | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conv") / "arms.db"
    res = run("ingest", EXAMPLES, "--db", path)
    assert res.exit_code == 0, res.output
    return path


def assert_clean_error(res, code: int, *words: str) -> None:
    """Exit code, every word in the message, no traceback."""
    out = res.output
    assert res.exit_code == code, (res.exit_code, out, res.exception)
    assert "Traceback" not in out
    for w in words:
        assert w in out, (w, out)


def test_version():
    res = run("--version")
    assert res.exit_code == 0 and res.stdout.strip() == f"armsledger {armsledger.__version__}"


def test_ingest_nothing_readable_fails_and_creates_nothing(tmp_path):
    target = tmp_path / "x.db"
    res = run("ingest", tmp_path / "nonexistent", "--db", target)
    assert_clean_error(res, 1, "nonexistent", "no such file or folder")
    assert not target.exists()


@pytest.mark.parametrize("command", [["ledger"], ["export"], ["deal", "abc"], ["ledger", "--format", "csv"]])
def test_read_commands_never_create_a_database(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    res = run(*command, env={"ARMSLEDGER_DB": ""})
    assert_clean_error(res, 1, "armsledger.db", "no such ledger database")
    res = run(*command, "--db", tmp_path / "typo.db")
    assert_clean_error(res, 1, "typo.db", "no such ledger database")
    assert list(tmp_path.iterdir()) == []


def test_db_that_is_a_folder(tmp_path):
    folder = tmp_path / "afolder"
    folder.mkdir()
    assert_clean_error(run("ingest", EXAMPLES, "--db", folder), 1, "afolder", "is a folder")
    assert_clean_error(run("ledger", "--db", folder), 1, "afolder", "is a folder")


def test_db_that_is_not_a_database(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list: eggs, milk\n" * 50)
    before = notes.read_bytes()
    assert_clean_error(run("ledger", "--db", notes), 1, "notes.txt", "not a usable armsledger database")
    assert_clean_error(run("ingest", EXAMPLES, "--db", notes), 1, "notes.txt")
    assert notes.read_bytes() == before


def test_sqlite_file_of_another_program_is_not_touched_by_reads(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    assert_clean_error(run("ledger", "--db", other), 1, "other.db", "not an armsledger ledger")
    con = sqlite3.connect(other)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["t"]
    con.close()


def test_debug_shows_the_traceback(tmp_path):
    res = run("--debug", "ledger", "--db", tmp_path / "missing.db")
    assert res.exit_code == 1
    assert "Traceback" in res.output and "missing.db" in res.output


@pytest.mark.parametrize("args, words", [
    (["--recipient", "Narnia"], ["Narnia", "no such country", "did you mean"]),
    (["--supplier", "Brazill"], ["Brazill", "did you mean", "Brazil"]),
    (["--stage", "shipped"], ["shipped", "no such stage", "ordered, delivered, expected, pledged, denied"]),
    (["--category", "spaceship"], ["spaceship", "no such category", "helicopter", "armoured vehicle"]),
])
def test_unknown_filter_values_are_named(db, args, words):
    for command in (["ledger"], ["ledger", "--format", "csv"], ["export"]):
        res = run(*command, "--db", db, *args)
        assert_clean_error(res, 2, *words)
        assert res.stdout == ""  # nothing that looks like an (empty) answer


@pytest.mark.parametrize("args, option", [
    (["--limit", "-1"], "--limit"),
    (["--limit", "9223372036854775808"], "--limit"),
    (["--year", "99999999999999999999"], "--year"),
    (["--year", "abc"], "--year"),
    (["--format", "xml"], "--format"),
    (["--no-such-option"], "--no-such-option"),
])
def test_usage_errors_exit_2(db, args, option):
    assert_clean_error(run("ledger", "--db", db, *args), 2, option)


def test_ingest_integer_options_range_checked(tmp_path):
    assert_clean_error(run("ingest", EXAMPLES, "--db", tmp_path / "a.db", "-j", "0"), 2, "-j")
    assert_clean_error(run("ingest", EXAMPLES, "--db", tmp_path / "a.db", "--max-bytes", "-5"), 2, "--max-bytes")
    assert not (tmp_path / "a.db").exists()


def test_output_that_cannot_be_written(db, tmp_path):
    res = run("export", "--db", db, "-o", tmp_path / "no" / "such" / "dir" / "out.csv")
    assert_clean_error(res, 1, "out.csv", "cannot write")


def test_reconcile_missing_or_bad_register(db, tmp_path):
    assert_clean_error(run("reconcile", tmp_path / "nonexistent.csv", "--db", db), 1, "nonexistent.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    assert_clean_error(run("reconcile", bad, "--db", db), 1, "bad.csv", "not a SIPRI trade register")


def test_deal_unknown_id_is_a_failure(db):
    assert_clean_error(run("deal", "nosuchdeal", "--db", db), 1, "nosuchdeal", "no such deal")


def test_one_format_option_everywhere(db):
    did = json.loads(run("ledger", "--db", db, "--format", "json").stdout)[0]["id"]
    as_json = json.loads(run("deal", did, "--db", db, "--format", "json").stdout)
    assert as_json["id"] == did
    assert json.loads(run("deal", did, "--db", db, "--json").stdout) == as_json  # the old flag still works
    for command in ("ledger", "export", "deal", "reconcile", "extract"):
        assert "--format" in run(command, "--help").stdout


def test_help_lists_choices(db):
    text = run("ledger", "--help").stdout
    for word in ("ordered", "delivered", "pledged", "denied", "helicopter", "armoured vehicle"):
        assert word in text, word


def test_empty_result_csv_still_has_a_header(db):
    out = run("ledger", "--db", db, "--recipient", "Mali", "--format", "csv")
    assert out.exit_code == 0
    assert out.stdout.splitlines() == [out.stdout.splitlines()[0]] and out.stdout.startswith("id,supplier")


def test_filters_shared_by_ledger_and_export(db):
    rows = json.loads(run("ledger", "--db", db, "--format", "json", "--contradictions").stdout)
    assert rows and all(r["n_contradictions"] > 0 for r in rows)
    exported = json.loads(run("export", "--db", db, "--format", "json", "--contradictions").stdout)
    assert [r["id"] for r in exported] == [r["id"] for r in rows]
    none = json.loads(run("ledger", "--db", db, "--format", "json", "--no-contradictions").stdout)
    assert {r["id"] for r in none}.isdisjoint(r["id"] for r in rows)
    coastal = json.loads(run("ledger", "--db", db, "-f", "json", "--source-outlet", "coastal daily (example)").stdout)
    assert [(r["supplier"], r["recipient"]) for r in coastal] == [("BRA", "GHA")]
    ranged = json.loads(run("ledger", "--db", db, "-f", "json", "--from", "2021", "--to", "2021").stdout)
    assert ranged == json.loads(run("ledger", "--db", db, "-f", "json", "--year", "2021").stdout)


def test_api_resolves_names_as_the_cli_does(db):
    from armsledger import Ledger

    led = Ledger(db, create=False)
    by_code = led.ledger(recipient="GHA")
    assert by_code
    assert led.ledger(recipient="Ghana") == by_code == led.ledger(recipient="gha")
    assert led.ledger(supplier="Brazilian") == by_code
    delivered = led.ledger(stage="delivered")
    assert delivered and led.ledger(stage="Delivered") == delivered
    assert led.ledger(category="Helicopters") == led.ledger(category="helicopter")
    cli_rows = json.loads(run("ledger", "--db", db, "-f", "json", "--recipient", "Ghana",
                              "--stage", "Delivered").stdout)
    assert cli_rows == led.ledger(recipient="Ghana", stage="Delivered")
    with pytest.raises(UnknownValue) as e:
        led.ledger(recipient="Narnia")
    assert "Narnia" in str(e.value)
    with pytest.raises(UnknownValue):
        led.ledger(stage="shipped")
    with pytest.raises(UsageError):
        led.ledger(limit=-1)
    with pytest.raises(DatabaseError):
        Ledger(Path(db).parent / "missing.db", create=False)
    assert not (Path(db).parent / "missing.db").exists()


def test_installed_command_exit_codes(tmp_path):
    """The real console entry point (not the test runner): codes and no traceback."""
    cmd = [sys.executable, "-m", "armsledger.serve.cli"]
    res = subprocess.run(cmd + ["ledger", "--db", str(tmp_path / "none.db")], capture_output=True, text=True)
    assert res.returncode == 1 and "none.db" in res.stderr and "Traceback" not in res.stderr
    res = subprocess.run(cmd + ["ledger", "--limit", "-1", "--db", str(tmp_path / "none.db")],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = subprocess.run(cmd + ["--version"], capture_output=True, text=True)
    assert res.returncode == 0 and armsledger.__version__ in res.stdout


class _FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_only(monkeypatch, tmp_path):
    from armsledger.serve import cli as cli_module

    fake = _FakeTTY()
    monkeypatch.setattr(sys, "stderr", fake)
    with cli_module._Progress("ingesting", quiet=False, total=3) as p:
        assert p.progress is not None
        for _ in range(3):
            p.advance()
        p.progress.refresh()
        shown = fake.getvalue()
    assert "ingesting" in shown and "3/3" in shown and "/s" in shown
    assert cli_module._Progress("ingesting", quiet=True, total=3).progress is None  # --quiet
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: nothing
    assert cli_module._Progress("ingesting", quiet=False, total=3).progress is None
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.txt").write_text("x")
    (folder / "b.html").write_text("x")
    assert cli_module._count_inputs([folder]) == 2
    (folder / "c.jsonl").write_text("{}")
    assert cli_module._count_inputs([folder]) is None  # many articles per file: no total


def test_extract_and_eval_exit_1_when_a_file_fails(tmp_path):
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "good.txt").write_text("published: 2024-03-01\n---\nChad received two Mi-24 helicopters from Russia.\n")
    (folder / "empty.txt").write_text("")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("")
    res = run("extract", folder)
    assert_clean_error(res, 1, "empty.txt", "empty file", "1 file(s) or article(s) could not be read")
    assert '"recipient": "TCD"' in res.stdout  # the good file's claims are still printed
    res = run("eval", folder, "--gold", gold)
    assert_clean_error(res, 1, "empty.txt")
    (folder / "empty.txt").unlink()
    assert run("extract", folder).exit_code == 0
    assert_clean_error(run("eval", tmp_path / "nope", "--gold", gold), 1, "nope", "no such articles folder")


def test_api_rejects_unknown_filter_keywords(db):
    from armsledger import Ledger

    with pytest.raises(UsageError):
        Ledger(db, create=False).ledger(colour="red")
    rows = Ledger(db, create=False).ledger(sources=False)
    assert rows and "outlets" not in rows[0]
