"""The `armsledger` command. Each command parses options, calls armsledger.api, prints.

Exit codes: 0 success; 1 when anything failed (a file that could not be read, a
missing database, an unwritable output ...), with a one-line message on stderr;
2 for a usage error (an unknown option or value, a number out of range). No
traceback for a user error; ``armsledger --debug COMMAND`` (or ARMSLEDGER_DEBUG=1)
shows it.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import sys
import tempfile
import traceback
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from armsledger import __version__
from armsledger.errors import ArmsledgerError, UsageError

_DEBUG = {"on": False}


def _debug() -> bool:
    return _DEBUG["on"] or os.environ.get("ARMSLEDGER_DEBUG", "").strip() not in ("", "0")


def _fail(message: str, code: int) -> None:
    if _debug() and sys.exc_info()[0] is not None:
        traceback.print_exc()
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class _Commands(TyperGroup):
    """Turns user errors raised by any command into one-line messages and exit codes."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except BrokenPipeError:  # `armsledger export | head`: the reader has what it wanted
            try:
                sys.stdout = open(os.devnull, "w")
            except OSError:
                pass
            raise typer.Exit(0)
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130)
        except UsageError as e:
            _fail(str(e), 2)
        except ArmsledgerError as e:
            _fail(str(e), 1)
        except OSError as e:
            where = f"{e.filename}: " if e.filename else ""
            _fail(f"{where}{e.strerror or e}", 1)
        except sqlite3.Error as e:
            _fail(f"database error: {e}", 1)
        except Exception as e:  # a bug: still one line, the traceback on request
            _fail(f"internal error: {type(e).__name__}: {e} (run `armsledger --debug ...` for the traceback)", 1)


app = typer.Typer(cls=_Commands, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Build a sourced, deduplicated ledger of arms transfers from news articles. "
                       "Exit codes: 0 success, 1 something failed, 2 usage error.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"armsledger {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit."),
          debug: bool = typer.Option(False, "--debug", help="Show the traceback of an error.")) -> None:
    """Build a sourced, deduplicated ledger of arms transfers from news articles.

    Exit codes: 0 success; 1 something failed (files that could not be read, a missing
    database ...); 2 usage error (unknown option or value, number out of range).
    """
    _DEBUG["on"] = debug


DbOpt = typer.Option(None, "--db", envvar="ARMSLEDGER_DB",
                     help="SQLite file (default: armsledger.db) or postgresql://USER@HOST/DB. "
                          "Read commands never create it.")
PubOpt = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for files that carry none.")
OutletOpt = typer.Option(None, "--outlet", help="Outlet name for files that carry none.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="No progress display.")
WorkersOpt = typer.Option(1, "--workers", "-j", min=1, max=256, help="Processes extracting at once.")
TimeoutOpt = typer.Option(None, "--timeout", min=0, max=86400,
                          help="Seconds of extraction allowed per article; 0: no limit "
                               "(default: ARMSLEDGER_TIMEOUT or 60).")
MaxBytesOpt = typer.Option(None, "--max-bytes", min=1, max=2 ** 40,
                           help="Files larger than this are skipped unread "
                                "(default: ARMSLEDGER_MAX_BYTES or 2000000; JSONL/feeds: 100x).")
SupplierOpt = typer.Option(None, "--supplier", help="Supplier: ISO3 code or name (\"Russia\", \"Russian\", \"RUS\").")
RecipientOpt = typer.Option(None, "--recipient", help="Recipient: ISO3 code or name.")
CategoryOpt = typer.Option(None, "--category", help="A SIPRI description (\"combat helicopter\") or a group: "
                                                    "helicopter, aircraft, uav, armoured vehicle, artillery, "
                                                    "air defence, radar/sensor, missile, ship, engine, other.")
StageOpt = typer.Option(None, "--stage", help="Deals with a claim at this stage: ordered, delivered, expected, "
                                              "pledged, denied.")
YearOpt = typer.Option(None, "--year", min=1, max=9999, help="Deals with a claim dated in this year.")
YearFromOpt = typer.Option(None, "--from", min=1, max=9999, help="Deals with a claim dated in or after this year.")
YearToOpt = typer.Option(None, "--to", min=1, max=9999, help="Deals with a claim dated in or before this year.")
FilterOutletOpt = typer.Option(None, "--source-outlet", help="Deals with a claim from this outlet (any case).")
ContraOpt = typer.Option(None, "--contradictions/--no-contradictions",
                         help="Only deals with (or without) contradictions between sources.")
LimitOpt = typer.Option(None, "--limit", min=0, max=10 ** 12, help="At most this many rows.")


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class LedgerFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class DealFormat(str, Enum):
    table = "table"
    json = "json"


class ExportFormat(str, Enum):
    sipri = "sipri"
    csv = "csv"
    json = "json"
    claims = "claims"
    xlsx = "xlsx"
    parquet = "parquet"
    training = "training"


def _check_published(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    from armsledger.ingest import normalise_date

    iso = normalise_date(value)
    if iso is None:
        raise typer.BadParameter(f"not a full date: {value!r} (use YYYY-MM-DD)", param_hint="--published")
    return iso


def _report_errors(errors) -> None:
    for e in errors:
        _print_error(e)


def _print_error(e) -> None:
    typer.echo(f"error: {_safe(str(e))}", err=True)


def _filters(supplier=None, recipient=None, category=None, stage=None, year=None, year_from=None, year_to=None,
             outlet=None, contradictions=None, limit=None) -> dict:
    """The listing filters shared by ledger, export and reconcile, as Ledger.ledger takes them."""
    f = dict(supplier=supplier, recipient=recipient, category=category, stage=stage, year=year,
             year_from=year_from, year_to=year_to, outlet=outlet, has_contradictions=contradictions, limit=limit)
    return {k: v for k, v in f.items() if v is not None}


def _open(db: Optional[Path]):
    """An existing ledger (read commands never create one)."""
    from armsledger.api import Ledger

    return Ledger(db, create=False)


def _count_inputs(paths: List[Path]) -> int | None:
    """How many articles the inputs hold when that is one per file (no JSONL or feed files), else None."""
    from armsledger.ingest.files import FEED_EXTENSIONS, JSONL_EXTENSIONS

    n = 0
    for p in paths:
        files = [Path(d) / f for d, _dirs, fs in os.walk(p) for f in fs if not f.startswith(".")] \
            if p.is_dir() else [p]
        for f in files:
            if f.suffix.lower() in JSONL_EXTENSIONS | FEED_EXTENSIONS:
                return None
            n += 1
        if n > 1_000_000:
            return None
    return n or None


class _Progress:
    """A rich progress line on stderr when it is a terminal (bar, count, rate, ETA and elapsed time
    when the total is known; count, rate and elapsed otherwise); nothing otherwise or with --quiet."""

    def __init__(self, label: str, quiet: bool, total: int | None = None):
        self.progress = None
        if quiet or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        cols = [SpinnerColumn(), TextColumn("{task.description}")]
        cols += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()] if total else \
                [TextColumn("{task.completed} articles")]
        cols += [TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
        self.progress = Progress(*cols, console=Console(file=sys.stderr), transient=True)
        self.task = self.progress.add_task(label, total=total, rate="")

    def __enter__(self) -> "_Progress":
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.progress:
            self.progress.stop()

    def advance(self, *_args) -> None:
        if self.progress:
            self.progress.advance(self.task)
            task = self.progress.tasks[0]
            if task.elapsed:
                self.progress.update(self.task, rate=f"{task.completed / task.elapsed:.1f}/s")

    def error(self, e) -> None:
        if self.progress:
            self.progress.console.print(f"error: {_safe(str(e))}", markup=False, highlight=False)
        else:
            _print_error(e)


@app.command()
def ingest(paths: List[Path] = typer.Argument(..., help="Files or folders: text, HTML, JSONL, RSS/Atom."),
           db: Optional[Path] = DbOpt, published: Optional[str] = PubOpt, outlet: Optional[str] = OutletOpt,
           workers: int = WorkersOpt, timeout: Optional[float] = TimeoutOpt, max_bytes: Optional[int] = MaxBytesOpt,
           quiet: bool = QuietOpt,
           scheduler: Optional[str] = typer.Option(None, "--scheduler", envvar="ARMSLEDGER_SCHEDULER",
                                                   help="Extract on this Dask cluster (tcp://HOST:PORT)."),
           batch_size: int = typer.Option(200, "--batch-size", min=1, max=100_000,
                                          help="Articles per cluster task (with --scheduler).")) -> None:
    """Read articles, extract their claims and store them. Re-ingesting is a no-op.

    Problems are printed as they happen; exit code 1 if any file or article failed.
    """
    from armsledger.api import IngestReport, Ledger
    from armsledger.ingest import IngestError

    published = _check_published(published)
    missing = [p for p in paths if not (p.exists() or p.is_symlink())]
    if len(missing) == len(paths):  # nothing to read: do not create a database for it
        report = IngestReport(errors=[IngestError(str(p), "no such file or folder") for p in missing])
        _report_errors(report.errors)
        typer.echo(report.summary())
        raise typer.Exit(1)
    led = Ledger(db)
    total = None if quiet or not sys.stderr.isatty() else _count_inputs([p for p in paths if p not in missing])
    with _Progress("ingesting", quiet, total) as progress:
        report = led.ingest(paths, published=published, outlet=outlet, workers=workers, timeout=timeout,
                            max_bytes=max_bytes, on_article=progress.advance, on_error=progress.error,
                            scheduler=scheduler, batch_size=batch_size)
    typer.echo(f"{report.summary()} → {led.path}")
    if report.errors:
        typer.echo(f"{len(report.errors)} file(s) or article(s) could not be read or stored (listed above)",
                   err=True)
        raise typer.Exit(1)


@app.command()
def extract(paths: List[Path] = typer.Argument(..., help="Files or folders."),
            format: ExtractFormat = typer.Option(ExtractFormat.jsonl, "--format", "-f", help="jsonl, json or table."),
            published: Optional[str] = PubOpt, outlet: Optional[str] = OutletOpt,
            workers: int = WorkersOpt, timeout: Optional[float] = TimeoutOpt,
            max_bytes: Optional[int] = MaxBytesOpt, quiet: bool = QuietOpt) -> None:
    """Print the claims found in articles, without storing anything. Exit code 1 if any file failed."""
    from armsledger.api import extract_paths

    published = _check_published(published)
    errors: list = []
    rows = []
    total = None if quiet or not sys.stderr.isatty() else _count_inputs(paths)
    with _Progress("extracting", quiet, total) as progress:
        for _article, claims in extract_paths(paths, published, outlet, errors, workers=workers, timeout=timeout,
                                              max_bytes=max_bytes, on_error=progress.error):
            progress.advance()
            for c in claims:
                d = _claim_json(c)
                if format == ExtractFormat.jsonl:  # streams: each claim as soon as it is found
                    typer.echo(json.dumps(d, ensure_ascii=False))
                else:
                    rows.append(d)
    if format == ExtractFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif format == ExtractFormat.table:
        _table([{"article": Path(r["article"].get("path") or "").name, "kind": r["kind"], "supplier": r["supplier"],
                 "recipient": r["recipient"], "designation": r["equipment"]["designation"],
                 "family": r["equipment"]["family"], "qty": _qty(r), "stage": r["stage"], "date": r["date"]}
                for r in rows])
    if errors:
        typer.echo(f"{len(errors)} file(s) or article(s) could not be read", err=True)
        raise typer.Exit(1)


@app.command()
def ledger(db: Optional[Path] = DbOpt, supplier: Optional[str] = SupplierOpt,
           recipient: Optional[str] = RecipientOpt, category: Optional[str] = CategoryOpt,
           stage: Optional[str] = StageOpt, year: Optional[int] = YearOpt, year_from: Optional[int] = YearFromOpt,
           year_to: Optional[int] = YearToOpt, source_outlet: Optional[str] = FilterOutletOpt,
           contradictions: Optional[bool] = ContraOpt, limit: Optional[int] = LimitOpt,
           format: LedgerFormat = typer.Option(LedgerFormat.table, "--format", "-f", help="table, csv or json.")
           ) -> None:
    """List deals, one row per transfer, with filters."""
    rows = _open(db).ledger(**_filters(supplier, recipient, category, stage, year, year_from, year_to,
                                       source_outlet, contradictions, limit),
                            sources=format != LedgerFormat.table)  # the table shows no source columns
    _print_rows(rows, format)


@app.command()
def deal(deal_id: str = typer.Argument(..., help="A deal id, as `armsledger ledger` lists them."),
         db: Optional[Path] = DbOpt,
         format: DealFormat = typer.Option(DealFormat.table, "--format", "-f", help="table or json."),
         json_out: bool = typer.Option(False, "--json", hidden=True, help="Same as --format json.")) -> None:
    """One deal: every claim side by side with its quotes, sources, tranches and contradictions."""
    d = _open(db).deal(deal_id)
    if d is None:
        _fail(f"{deal_id}: no such deal (list deals with `armsledger ledger`)", 1)
    if json_out or format == DealFormat.json:
        typer.echo(json.dumps(_jsonable(d.to_dict()), ensure_ascii=False, indent=1))
        return
    from armsledger.serve.render import render_deal

    typer.echo(render_deal(d))


@app.command()
def article(article_id: str = typer.Argument(..., help="An article id (or a claim id), as `deal` shows them."),
            db: Optional[Path] = DbOpt,
            format: DealFormat = typer.Option(DealFormat.table, "--format", "-f", help="table or json.")) -> None:
    """A stored article: its source and text, with each claim's evidence marked «like this»[field #n]."""
    found = _open(db).article(article_id)
    if found is None:
        _fail(f"{article_id}: no such article in the ledger", 1)
    art, claims = found
    if format == DealFormat.json:
        typer.echo(json.dumps({"article": {**art.meta(), "text": art.text},
                               "claims": [_claim_json(c) for c in claims]}, ensure_ascii=False, indent=1))
        return
    from armsledger.serve.render import render_article

    typer.echo(render_article(art, claims))


@app.command()
def export(format: ExportFormat = typer.Option(
               ExportFormat.sipri, "--format", "-f",
               help="sipri: SIPRI trade-register layout (ordered/delivered deals); csv / json: one deal per row; "
                    "training: accepted and corrected claims as gold lines (GUIDELINES.md format); "
                    "claims: one claim per row with its source and quotes (CSV, or XLSX/Parquet when -o ends "
                    "in .xlsx/.parquet); xlsx / parquet: the claims table in that format (needs -o)."),
           db: Optional[Path] = DbOpt,
           output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
           supplier: Optional[str] = SupplierOpt, recipient: Optional[str] = RecipientOpt,
           category: Optional[str] = CategoryOpt, stage: Optional[str] = StageOpt, year: Optional[int] = YearOpt,
           year_from: Optional[int] = YearFromOpt, year_to: Optional[int] = YearToOpt,
           source_outlet: Optional[str] = FilterOutletOpt, contradictions: Optional[bool] = ContraOpt,
           all_stages: bool = typer.Option(False, "--all-stages",
                                           help="sipri: also pledged, expected and denied deals, marked in "
                                                "the status column."),
           reviewed_only: bool = typer.Option(False, "--reviewed-only",
                                              help="sipri: only claims a reviewer accepted or corrected.")) -> None:
    """Export the ledger: SIPRI trade-register columns, deals (CSV/JSON) or claims (CSV/XLSX/Parquet)."""
    led = _open(db)
    f = _filters(supplier, recipient, category, stage, year, year_from, year_to, source_outlet, contradictions)
    led.resolve_filters(**f)  # an unknown value fails before the output file is created
    binary = {ExportFormat.xlsx: "xlsx", ExportFormat.parquet: "parquet"}.get(format)
    if format == ExportFormat.claims and output is not None and output.suffix.lower() in (".xlsx", ".parquet"):
        binary = output.suffix.lower()[1:]
    if binary:
        if output is None:
            raise UsageError(f"--format {binary} writes a file: give one with -o FILE.{binary}")
        try:
            led.export_claims(str(output), binary, **f)
        except OSError as e:
            raise ArmsledgerError(f"{output}: cannot write ({e.strerror or e})") from None
        return
    fh = _output(output)
    try:
        if format == ExportFormat.sipri:
            led.export_sipri(fh, include_unconfirmed=all_stages, reviewed_only=reviewed_only, **f)
        elif format == ExportFormat.claims:
            led.export_claims(fh, "csv", **f)
        elif format == ExportFormat.training:
            for line in led.reviews.training_lines():
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            rows = led.ledger(**f)
            if format == ExportFormat.json:
                fh.write(json.dumps(_jsonable(rows), ensure_ascii=False, indent=1) + "\n")
            else:
                _write_csv(rows, fh)
    finally:
        if output:
            fh.close()


def _output(output: Optional[Path]):
    if output is None:
        return sys.stdout
    try:
        return open(output, "w", newline="", encoding="utf-8")
    except OSError as e:
        raise ArmsledgerError(f"{output}: cannot write ({e.strerror or e})") from None


@app.command()
def reconcile(register: Path = typer.Argument(..., help="A SIPRI trade-register CSV export."), db: Optional[Path] = DbOpt,
              format: LedgerFormat = typer.Option(LedgerFormat.table, "--format", "-f", help="table, csv or json."),
              output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
              limit: Optional[int] = typer.Option(None, "--limit", min=0, max=10 ** 12,
                                                  help="Table: at most this many rows per section (0: all)."),
              supplier: Optional[str] = SupplierOpt, recipient: Optional[str] = RecipientOpt,
              category: Optional[str] = CategoryOpt, stage: Optional[str] = StageOpt,
              year_from: Optional[int] = YearFromOpt, year_to: Optional[int] = YearToOpt,
              json_out: bool = typer.Option(False, "--json", hidden=True, help="Same as --format json.")) -> None:
    """Compare the ledger with a SIPRI register: matched (and why), ledger-only, register-only."""
    led = _open(db)
    if not register.is_file():
        raise ArmsledgerError(f"{register}: no such file (give a SIPRI trade-register CSV export)")
    f = _filters(supplier, recipient, category, stage, None, year_from, year_to)
    with _Progress("reconciling", quiet=not sys.stderr.isatty()):
        try:
            result = led.reconcile(register, **f)
        except ValueError as e:
            raise ArmsledgerError(str(e)) from None
    fh = _output(output)
    try:
        if json_out or format == LedgerFormat.json:
            fh.write(json.dumps(_jsonable(result), ensure_ascii=False, indent=1) + "\n")
        elif format == LedgerFormat.csv:
            import csv

            from armsledger.serve.render import reconcile_rows

            rows = reconcile_rows(result)
            w = csv.DictWriter(fh, fieldnames=["section", "deal", "supplier", "recipient", "ledger", "register",
                                               "register_line", "register_years", "why", "differences"],
                               lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        else:
            from armsledger.serve.render import render_reconcile

            fh.write(render_reconcile(result, limit=limit) + "\n")
    finally:
        if output:
            fh.close()


@app.command()
def serve(db: Optional[Path] = DbOpt, host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8000, "--port"),
          token_file: Optional[Path] = typer.Option(None, "--token-file", envvar="ARMSLEDGER_TOKEN_FILE",
                                                    help="Bearer tokens that may write (else ARMSLEDGER_TOKEN).")) -> None:
    """The web workbench and REST API: ledger, deals, articles, review, flows (read-only without a token)."""
    from armsledger.serve.web import serve as run

    run(db or "armsledger.db", host=host, port=port, token_file=token_file)


@app.command("eval")
def eval_(articles: Path = typer.Argument(..., help="Folder of articles the gold file refers to, or a corpus "
                                          "folder (articles/, gold.jsonl, splits.json)."),
          gold: Optional[Path] = typer.Option(None, "--gold", help="Gold records (JSONL); default: the corpus's gold.jsonl."),
          split: Optional[List[str]] = typer.Option(None, "--split", help="Splits of a corpus to score "
                                                    "(default: validation and train)."),
          verbose: bool = typer.Option(False, "--verbose", "-v", help="Each miss and false positive "
                                       "(refused for the validation split, which nobody reads)."),
          save_counts: Optional[Path] = typer.Option(None, "--save-counts", help="Write each split's per-article "
                                                     "counts (matched, false positives, missed; no text) to this "
                                                     "JSON file, to compare a later run against."),
          baseline: Optional[Path] = typer.Option(None, "--baseline", help="A file written by --save-counts for the "
                                                  "same articles and gold: print how far F1 moved against it "
                                                  "(paired bootstrap over articles)."),
          workers: int = WorkersOpt, quiet: bool = QuietOpt) -> None:
    """Score extraction against hand-annotated gold records.

    Given a corpus folder, scores each split (validation first) and prints, per split, the
    scorer's line, a 95% interval for its F1 (bootstrap over articles), the misses by cause (stage,
    actors, equipment, no candidate, no claim in the article), precision and recall per stage, how many
    no-transfer articles hold a claim (the scorer counts the claims on them), and how
    well claim confidences are calibrated (Brier score, reliability table). With --baseline, also the F1 difference from an
    earlier run on the same articles, paired article by article, so that a change is told from noise.
    """
    from armsledger import resampling
    from armsledger.api import extract_paths
    from armsledger.evaluate import calibration, evaluate, load_splits, miss_causes, stage_line

    if not articles.exists():
        raise ArmsledgerError(f"{articles}: no such articles folder")
    corpus = articles if (articles / "articles").is_dir() else None
    folder = corpus / "articles" if corpus else articles
    gold = gold or (corpus / "gold.jsonl" if corpus else None)
    if gold is None:
        raise UsageError(f"{articles}: give --gold, or a corpus folder with articles/ and gold.jsonl")
    if not gold.exists():
        raise ArmsledgerError(f"{gold}: no such gold file")
    splits = load_splits(corpus) if corpus else {}
    names = split or ([s for s in ("validation", "train") if s in splits] if splits else [])
    unknown = [n for n in names if n not in splits]
    if unknown:
        raise UsageError(f"{', '.join(unknown)}: no such split in {corpus or articles} "
                         f"(splits: {', '.join(splits) or 'none'})")
    if verbose and "validation" in names:
        raise UsageError("--verbose lists articles of the validation split, which is for aggregate figures "
                         "only; use --split train")
    before: dict[str, dict[str, resampling.Counts]] = {}
    if baseline is not None:
        try:
            before = resampling.load_counts(baseline)
        except ValueError as e:
            raise ArmsledgerError(str(e)) from None
    if save_counts is not None:  # said before the extraction, not after it
        where = save_counts.parent
        if save_counts.is_dir() or not where.is_dir() or not os.access(where, os.W_OK):
            raise ArmsledgerError(f"{save_counts}: cannot write the counts there (not a writable file path)")
    errors: list = []
    preds = []
    total = None if quiet or not sys.stderr.isatty() else _count_inputs([folder])
    with _Progress("extracting", quiet, total) as progress:
        for _a, claims in extract_paths([folder], errors=errors, workers=workers, on_error=progress.error):
            progress.advance()
            preds.extend(_claim_json(c) for c in claims)
    counts: dict[str, dict[str, resampling.Counts]] = {}
    label = baseline.name if baseline is not None else None
    if not names:
        report = evaluate(gold, preds, folder)
        if verbose:
            for line in report.verbose_lines():
                typer.echo(line)
        counts["all"] = resampling.with_digests(resampling.article_counts(report), preds)
        _print_spread("", counts["all"], before.get("all"), label)
        typer.echo(f"by stage: {stage_line(report)}")
        typer.echo(report.negatives_line())
        typer.echo(report.summary_line())  # last, as score.py's own last line
    for name in names:
        report = evaluate(gold, preds, folder, only=splits[name])
        if verbose:
            for line in report.verbose_lines()[:-1]:
                typer.echo(line)
        causes = miss_causes(report, preds)
        brier, table = calibration(report, preds)
        typer.echo(f"[{name}] {report.summary_line()}")
        counts[name] = resampling.with_digests(resampling.article_counts(report), preds)
        _print_spread(f"[{name}] ", counts[name], before.get(name), label)
        typer.echo(f"[{name}] misses by cause: " + ", ".join(f"{k} {v}" for k, v in causes.items()))
        typer.echo(f"[{name}] by stage: {stage_line(report)}")
        typer.echo(f"[{name}] {report.negatives_line()}")
        if brier is not None:
            typer.echo(f"[{name}] confidence: Brier {brier:.3f}; reliability " + "; ".join(
                f"{lo:.1f}-{hi:.1f}: {n} claims, mean {c:.2f}, matched {y:.2f}" for lo, hi, n, c, y in table))
    if save_counts is not None:
        try:
            resampling.save_counts(save_counts, counts)
        except OSError as e:
            raise ArmsledgerError(f"{save_counts}: cannot write the counts ({e.strerror or e})") from None
        if errors:
            typer.echo(f"{save_counts}: saved without the articles that could not be read", err=True)
    if errors:  # the scores stand, but they miss the articles that could not be read
        typer.echo(f"{len(errors)} file(s) or article(s) could not be read (the scores leave them out)", err=True)
        raise typer.Exit(1)


def _print_spread(prefix: str, counts: dict, before: Optional[dict], baseline: Optional[str]) -> None:
    """The F1's 95% interval over articles and, given a baseline run (`before`, from the file named
    `baseline`), the paired difference from it."""
    from armsledger import resampling

    if not counts:
        typer.echo(f"{prefix}F1 interval: no articles to resample")
        return
    lo, hi = resampling.f1_interval(counts)
    typer.echo(f"{prefix}F1 95% interval {lo:.3f}-{hi:.3f} (bootstrap over {len(counts)} articles)")
    if baseline is None:
        return
    if not before or not set(before) & set(counts):
        typer.echo(f"{prefix}baseline {baseline}: no article of this split in it")
        return
    odd = resampling.mismatched(counts, before)
    if odd:
        typer.echo(f"{prefix}baseline {baseline}: not compared, {len(odd)} article(s) have another number of gold "
                   f"records there (scored against another gold file?)")
        return
    cmp = resampling.compare(counts, before)
    typer.echo(f"{prefix}against {baseline}: F1 {cmp.delta:+.3f} (95% interval {cmp.low:+.3f} to "
               f"{cmp.high:+.3f}; higher in {cmp.better_share:.0%} of resamples; {cmp.articles} articles)")
    n = resampling.changed(counts, before)
    if n is not None:  # claim for claim, in counts only: safe for the held-out split
        typer.echo(f"{prefix}against {baseline}: other claims in {n} of {cmp.articles} articles")


@app.command()
def train(corpus: Path = typer.Argument(..., help="Corpus folder: articles/, gold.jsonl, splits.json (its train split is used)."),
          extra: Optional[List[Path]] = typer.Option(None, "--extra", help="Further corpora used whole (e.g. a dev set)."),
          out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write the model "
                                             "(default: the package's data/models/decisions.json)."),
          cv_seeds: Optional[str] = typer.Option(None, "--cv-seeds", help="Comma-separated fold-assignment seeds "
                                                 "for cross-validation (default: the committed model's). Other "
                                                 "seeds show how far a retrain alone moves the figures; "
                                                 "evaluate such a model with ARMSLEDGER_MODEL=FILE.")) -> None:
    """Train the learned decisions (stage, supplier, recipient) from annotated articles."""
    from armsledger.extract.decide import MODEL_PATH
    from armsledger.train import CV_SEEDS, train as run_training

    seeds = CV_SEEDS
    if cv_seeds is not None:
        try:
            seeds = tuple(int(x) for x in cv_seeds.split(",") if x.strip())
        except ValueError:
            raise UsageError(f"--cv-seeds {cv_seeds!r}: not a comma-separated list of integers") from None
        if not seeds:
            raise UsageError("--cv-seeds: give at least one seed")

    for c in [corpus] + list(extra or []):
        if not (c / "gold.jsonl").exists() or not (c / "articles").is_dir():
            raise UsageError(f"{c}: not a corpus folder (needs articles/ and gold.jsonl)")
    if importlib.util.find_spec("sklearn") is None:
        raise ArmsledgerError("training needs scikit-learn: pip install 'armsledger[train]'")
    target = out or MODEL_PATH
    model = run_training([(corpus, "train")] + [(e, None) for e in extra or []], target, cv_seeds=seeds)
    m = model.meta
    typer.echo(f"trained on {m['articles']} articles ({', '.join(m['trained_on'])}); readings: {m['readings']}, "
               f"threshold {model.threshold}; cross-validated F1 {m['cv_f1']} at best, smoothed (rules alone "
               f"{m['cv_f1_rules']}) → {target}")


@app.command()
def demo(db: Optional[Path] = typer.Option(None, "--db", help="Where to build the demo ledger (default: a temp file).")) -> None:
    """Build a ledger from the example articles shipped with armsledger and show it."""
    from armsledger.api import Ledger
    from armsledger.serve.render import render_deal

    folder = resources.files("armsledger") / "examples"
    with resources.as_file(folder) as path, tempfile.TemporaryDirectory(prefix="armsledger-demo-") as tmp:
        target = db or Path(tmp) / "demo.db"  # kept only when the user names a file
        led = Ledger(target)
        report = led.ingest([path])
        typer.echo(f"Ingested the example articles in {path}: {report.summary()}")
        _report_errors(report.errors)
        rows = led.ledger()
        typer.echo("\nLedger (one row per deal):")
        _print_rows(rows, LedgerFormat.table)
        shown = [r for r in rows if r.get("n_contradictions")] or rows[:1]
        for r in shown:
            typer.echo("")
            typer.echo(render_deal(led.deal(r["id"])))
        typer.echo("\nSIPRI register layout:")
        led.export_sipri(sys.stdout)
        if db:
            typer.echo(f"\nLedger file: {led.path}  (try: armsledger ledger --db {led.path})")
        else:
            typer.echo("\nThis demo ledger was temporary; keep one with: armsledger demo --db demo.db")
        led.store.close()


# ----------------------------------------------------------------- helpers
def _claim_json(c) -> dict:
    return _jsonable(c.to_dict())


def _jsonable(o):
    import dataclasses

    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return _jsonable(dataclasses.asdict(o))
    if isinstance(o, dict):
        return {k: _jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, set)):
        return [_jsonable(v) for v in o]
    return o


def _qty(r: dict) -> str:
    q = r.get("quantity")
    if q is None:
        return "?" if r.get("uncertain") else ""
    return f"{q}?" if r.get("uncertain") else str(q)


_TABLE_COLUMNS = ("id", "supplier", "recipient", "family", "category", "designations", "stages", "quantity_ordered",
                  "quantity_delivered", "order_date", "first_date", "last_date", "n_claims", "n_articles",
                  "n_contradictions")
_TABLE_HEADERS = {"quantity_ordered": "ordered", "quantity_delivered": "delivered", "n_claims": "claims",
                  "n_articles": "articles", "n_contradictions": "conflicts", "order_date": "order", "first_date": "first",
                  "last_date": "last"}


def _print_rows(rows: list[dict], fmt: LedgerFormat) -> None:
    if fmt == LedgerFormat.json:
        typer.echo(json.dumps(_jsonable(rows), ensure_ascii=False, indent=1))
    elif fmt == LedgerFormat.csv:
        _write_csv(rows, sys.stdout)
    else:
        # the terminal view keeps the columns an analyst scans; CSV and JSON carry everything
        _table([{_TABLE_HEADERS.get(k, k): (f"{r.get(k)}?" if k == "quantity_delivered" and r.get("quantity_uncertain")
                                             and r.get(k) is not None else r.get(k))
                 for k in _TABLE_COLUMNS if k in r} for r in rows])


def _write_csv(rows: list[dict], fh) -> None:
    """Ledger rows as CSV: plain cells (lists joined with "; ", yes/empty for booleans); a header
    even when there are no rows."""
    from armsledger.serve.export import write_csv

    write_csv(rows, fh)


def _table(rows: list[dict]) -> None:
    if not rows:
        typer.echo("(no rows)")
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(show_lines=False)
    cols = list(rows[0].keys())
    for c in cols:
        # an id is what `armsledger deal ID` takes: keep it on one line so it can be copied
        t.add_column(str(c), overflow="fold", no_wrap=c == "id",
                     min_width=max(len(_cell(r.get(c))) for r in rows) if c == "id" else None)
    for r in rows:
        t.add_row(*[_cell(r.get(c)) for c in cols])
    Console(width=max(160, Console().width)).print(t)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple, set)):
        return _safe(", ".join(str(x) for x in v))
    return _safe(str(v))


def _safe(text: str) -> str:
    """Text for the terminal: control characters and escape sequences from article text removed."""
    from armsledger.serve.render import strip_controls

    return strip_controls(text)


from armsledger.serve.shared_cli import register as _register_shared  # noqa: E402 - needs app

_register_shared(app)  # watch


def main() -> None:
    app()


if __name__ == "__main__":
    main()
