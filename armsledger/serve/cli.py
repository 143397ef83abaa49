"""The `armsledger` command. Each command parses options, calls armsledger.api, prints."""
from __future__ import annotations

import csv
import json
import sys
import tempfile
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Build a sourced, deduplicated ledger of arms transfers from news articles.")

DbOpt = typer.Option(None, "--db", envvar="ARMSLEDGER_DB", help="SQLite file (default: armsledger.db).")
PubOpt = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for files that carry none.")
OutletOpt = typer.Option(None, "--outlet", help="Outlet name for files that carry none.")


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class LedgerFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    sipri = "sipri"
    csv = "csv"
    json = "json"
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
        typer.echo(f"error: {e}", err=True)


@app.command()
def ingest(paths: List[Path] = typer.Argument(..., help="Files or folders: text, HTML, JSONL, RSS/Atom."),
           db: Optional[Path] = DbOpt, published: Optional[str] = PubOpt, outlet: Optional[str] = OutletOpt) -> None:
    """Read articles, extract their claims and store them. Re-ingesting is a no-op."""
    from armsledger.api import Ledger

    published = _check_published(published)
    led = Ledger(db)
    progress = None
    if sys.stderr.isatty():
        from rich.progress import Progress, SpinnerColumn, TextColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} articles"),
                            transient=True)
        task = progress.add_task("ingesting")
        progress.start()
    try:
        report = led.ingest(paths, published=published, outlet=outlet,
                            on_article=(lambda a, new: progress.advance(task)) if progress else None)
    finally:
        if progress:
            progress.stop()
    _report_errors(report.errors)
    typer.echo(f"{report.summary()} → {led.path}")


@app.command()
def extract(paths: List[Path] = typer.Argument(..., help="Files or folders."),
            format: ExtractFormat = typer.Option(ExtractFormat.jsonl, "--format", "-f"),
            published: Optional[str] = PubOpt, outlet: Optional[str] = OutletOpt,
            workers: int = typer.Option(1, "--workers", "-j", help="Processes to use.")) -> None:
    """Print the claims found in articles, without storing anything."""
    from armsledger.api import extract_paths

    published = _check_published(published)
    errors: list = []
    rows = []
    for article, claims in extract_paths(paths, published, outlet, errors, workers=workers):
        for c in claims:
            d = _claim_json(c)
            if format == ExtractFormat.jsonl:
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
    _report_errors(errors)


@app.command()
def ledger(db: Optional[Path] = DbOpt, supplier: Optional[str] = typer.Option(None, help="ISO3 code or name."),
           recipient: Optional[str] = typer.Option(None, help="ISO3 code or name."),
           category: Optional[str] = None, stage: Optional[str] = None, year: Optional[int] = None,
           limit: Optional[int] = None, format: LedgerFormat = typer.Option(LedgerFormat.table, "--format", "-f")) -> None:
    """List deals, one row per transfer, with filters."""
    from armsledger.api import Ledger

    rows = Ledger(db).ledger(supplier=_code(supplier), recipient=_code(recipient), category=category, stage=stage,
                             year=year, limit=limit)
    _print_rows(rows, format)


@app.command()
def deal(deal_id: str, db: Optional[Path] = DbOpt, json_out: bool = typer.Option(False, "--json")) -> None:
    """One deal: every claim side by side with its quotes, tranches and contradictions."""
    from armsledger.api import Ledger

    d = Ledger(db).deal(deal_id)
    if d is None:
        typer.echo(f"no deal {deal_id!r}", err=True)
        raise typer.Exit(1)
    if json_out:
        typer.echo(json.dumps(_jsonable(d.to_dict()), ensure_ascii=False, indent=1))
        return
    from armsledger.serve.render import render_deal

    typer.echo(render_deal(d))


@app.command()
def export(format: ExportFormat = typer.Option(ExportFormat.sipri, "--format", "-f"), db: Optional[Path] = DbOpt,
           output: Optional[Path] = typer.Option(None, "--output", "-o"),
           supplier: Optional[str] = None, recipient: Optional[str] = None,
           reviewed_only: bool = typer.Option(False, "--reviewed-only", help="Only accepted or corrected claims.")) -> None:
    """Export the ledger: SIPRI trade-register columns, CSV, JSON, or reviewed claims as training gold lines."""
    from armsledger.api import Ledger

    led = Ledger(db)
    fh = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        if format == ExportFormat.sipri:
            led.export_sipri(fh, supplier=_code(supplier), recipient=_code(recipient), reviewed_only=reviewed_only)
        elif format == ExportFormat.training:
            for line in led.reviews.training_lines():
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            rows = led.ledger(supplier=_code(supplier), recipient=_code(recipient))
            if format == ExportFormat.json:
                fh.write(json.dumps(_jsonable(rows), ensure_ascii=False, indent=1) + "\n")
            else:
                _write_csv(rows, fh)
    finally:
        if output:
            fh.close()


@app.command()
def reconcile(register: Path = typer.Argument(..., help="A SIPRI trade-register CSV export."), db: Optional[Path] = DbOpt,
              json_out: bool = typer.Option(False, "--json")) -> None:
    """Compare the ledger with a SIPRI register: matched, ledger-only, register-only."""
    from armsledger.api import Ledger

    result = Ledger(db).reconcile(register)
    if json_out:
        typer.echo(json.dumps(_jsonable(result), ensure_ascii=False, indent=1))
        return
    from armsledger.serve.render import render_reconcile

    typer.echo(render_reconcile(result))


@app.command()
def serve(db: Optional[Path] = DbOpt, host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8000, "--port"),
          token_file: Optional[Path] = typer.Option(None, "--token-file", envvar="ARMSLEDGER_TOKEN_FILE",
                                                    help="Bearer tokens that may write (else ARMSLEDGER_TOKEN).")) -> None:
    """The web workbench and REST API: ledger, deals, articles, review, flows (read-only without a token)."""
    from armsledger.serve.web import serve as run

    run(db or "armsledger.db", host=host, port=port, token_file=token_file)


@app.command("eval")
def eval_(articles: Path = typer.Argument(..., help="Folder of articles the gold file refers to."),
          gold: Path = typer.Option(..., "--gold", help="Gold records (JSONL)."),
          verbose: bool = typer.Option(False, "--verbose", "-v"),
          workers: int = typer.Option(1, "--workers", "-j")) -> None:
    """Score extraction against hand-annotated gold records."""
    from armsledger.api import extract_paths
    from armsledger.evaluate import evaluate

    errors: list = []
    preds = [_claim_json(c) for _a, claims in extract_paths([articles], errors=errors, workers=workers) for c in claims]
    report = evaluate(gold, preds, articles)
    if verbose:
        for line in report.verbose_lines():
            typer.echo(line)
    typer.echo(report.summary_line())


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


def _code(name: Optional[str]) -> Optional[str]:
    """Accept "Mali", "Malian" or "MLI" on the command line."""
    if not name:
        return None
    if len(name) == 3 and name.isupper():
        return name
    from armsledger.gazetteer import Gazetteer

    a = Gazetteer.default().lookup(name)
    if a is None:
        # "gha" is GHA: codes are stored upper-case
        return name.upper() if len(name) == 3 and name.isalpha() else name
    return a.country if a.kind == "state" else a.code


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
    if not rows:
        return
    w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()), extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in r.items()})


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
        return ", ".join(str(x) for x in v)
    return str(v)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
