"""The `armsledger watch` command (continuous ingest for a shared ledger).

Kept out of cli.py so the commands of a shared ledger can change without
touching the one-analyst commands; cli.py registers them with one call.
"""
from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    """Add ``watch`` to the `armsledger` command."""
    from armsledger.serve.cli import DbOpt, TimeoutOpt, WorkersOpt, _safe

    @app.command()
    def watch(folders: Optional[List[Path]] = typer.Argument(None, help="Folders (or files) to watch."),
              feed: Optional[List[str]] = typer.Option(None, "--feed", help="RSS/Atom feed URL (repeatable)."),
              urls: Optional[List[Path]] = typer.Option(None, "--urls",
                                                        help="File listing URLs, one per line (repeatable)."),
              gdelt: Optional[List[str]] = typer.Option(
                  None, "--gdelt", help="GDELT 2.0 index URL, e.g. "
                  "http://data.gdeltproject.org/gdeltv2/lastupdate.txt (repeatable)."),
              db: Optional[Path] = DbOpt,
              once: bool = typer.Option(False, "--once", help="One pass over every source, then exit (cron)."),
              interval: float = typer.Option(300.0, "--interval", min=0.1, max=86400,
                                             help="Seconds between polls (a folder change wakes it early)."),
              rate: float = typer.Option(1.0, "--host-interval", min=0, max=3600,
                                         help="Seconds between two requests to the same host."),
              fetch_timeout: float = typer.Option(20.0, "--fetch-timeout", min=0.1, max=3600,
                                                  help="Seconds allowed per HTTP request."),
              retries: int = typer.Option(3, "--retries", min=0, max=20,
                                          help="Retries of a failed request (back-off doubles each time)."),
              max_page_bytes: int = typer.Option(5_000_000, "--max-page-bytes", min=1, max=2 ** 40,
                                                 help="Size cap of a fetched page or feed."),
              max_attempts: int = typer.Option(3, "--max-attempts", min=1, max=1000,
                                               help="Runs that may retry a failed URL before it is left alone."),
              max_gdelt_urls: Optional[int] = typer.Option(None, "--max-gdelt-urls", min=0,
                                                           help="At most this many URLs per GDELT file."),
              workers: int = WorkersOpt, timeout: Optional[float] = TimeoutOpt,
              quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but failures.")) -> None:
        """Keep a ledger current from folders, RSS/Atom feeds, URL lists and GDELT.

        What was seen (and every failure with its reason) is kept in the ledger, so a
        restart resumes and nothing is fetched or stored twice. Without --once it runs
        until interrupted. Exit code 1 with --once when anything failed.
        """
        from armsledger.api import Ledger
        from armsledger.watch import Fetcher, Watcher

        if not (folders or feed or urls or gdelt):
            raise typer.BadParameter("nothing to watch: give folders, --feed, --urls or --gdelt",
                                     param_hint="FOLDERS")
        missing = [str(p) for p in (folders or []) if not p.exists()]
        missing += [str(p) for p in (urls or []) if not p.is_file()]
        if missing:
            typer.echo(f"error: no such file or folder: {_safe(', '.join(missing))}", err=True)
            raise typer.Exit(1)
        led = Ledger(db)
        fetcher = Fetcher(timeout=fetch_timeout, max_bytes=max_page_bytes, retries=retries,
                          host_interval=rate)
        watcher = Watcher(led.store, folders=folders or [], feeds=feed or [], url_lists=urls or [],
                          gdelt_indexes=gdelt or [], fetcher=fetcher, timeout=timeout, workers=workers,
                          max_attempts=max_attempts, max_gdelt_urls=max_gdelt_urls,
                          log=lambda m: typer.echo(f"error: {_safe(m)}", err=True))
        stop = threading.Event()
        if not once and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())

        def show(rep) -> None:
            if not quiet:
                typer.echo(f"{rep.summary()} → {led.path}")

        try:
            total = watcher.run(interval=interval, once=once, stop=stop, on_cycle=show)
        except KeyboardInterrupt:
            typer.echo("stopped", err=True)
            raise typer.Exit(0)
        if once and total.failed:
            typer.echo(f"{total.failed} failure(s) (listed above; kept in the ledger and retried "
                       f"up to {max_attempts} runs)", err=True)
            raise typer.Exit(1)
        sys.stdout.flush()
