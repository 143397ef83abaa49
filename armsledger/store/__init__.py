"""Storage backends. :class:`Store` is the SQLite one (the default); a ``postgresql://`` URL
opens :class:`~armsledger.store.postgres.PgStore` (see :func:`open_store`)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from .sqlite import SCHEMA_VERSION, Store

__all__ = ["Store", "SCHEMA_VERSION", "open_store", "db_location"]

DB_ENV = "ARMSLEDGER_DB"


def db_location(path: str | Path | None) -> str:
    """The database as the user wrote it. A ``postgresql://host/db`` URL that went through
    ``pathlib.Path`` (the CLI's --db) lost a slash; the original is recovered from the
    environment or the command line, else the slash is put back."""
    if path is None:
        return os.environ.get(DB_ENV) or "armsledger.db"
    text = str(path)
    low = text.lower()
    if isinstance(path, Path) and low.startswith(("postgresql:/", "postgres:/")) and "://" not in text:
        for raw in [os.environ.get(DB_ENV, ""), *sys.argv, *(a.split("=", 1)[-1] for a in sys.argv)]:
            if raw and raw.lower().startswith(("postgresql:", "postgres:")) and str(Path(raw)) == text:
                return raw
        scheme, rest = text.split(":", 1)
        return f"{scheme}://{rest.lstrip('/')}"
    return text


def open_store(path: str | Path | None = None, create: bool = True, **kw: Any):
    """The store for ``path``: PostgreSQL for a ``postgresql://`` URL, else an SQLite file
    (``None``: ``ARMSLEDGER_DB`` or ``armsledger.db``)."""
    loc = db_location(path)
    if loc.lower().startswith(("postgresql:", "postgres:")):
        from .postgres import PgStore

        return PgStore(loc, create=create, **kw)
    return Store(loc, create=create, **kw)
