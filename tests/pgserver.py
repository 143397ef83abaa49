"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temporary folder, ``pg_ctl``
on a free port on 127.0.0.1 (as root both run as the ``postgres`` user: initdb refuses root).

``ARMSLEDGER_TEST_PG`` (a ``postgresql://`` URL to a server where that user may create
databases) is used instead when set. Each test gets a fresh database.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from urllib.parse import urlsplit, urlunsplit

ENV = "ARMSLEDGER_TEST_PG"


def pg_bin() -> str | None:
    """The folder of initdb/pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin (newest)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return os.path.dirname(found)
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]) if
                  d.split("/")[-2].isdigit() else 0)
    for d in reversed(dirs):
        if os.path.exists(os.path.join(d, "initdb")) and os.path.exists(os.path.join(d, "pg_ctl")):
            return d
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running server (ours or the developer's) that hands out fresh databases."""

    def __init__(self) -> None:
        self.tmp: str | None = None
        self.prefix: list[str] = []
        self.bindir = ""
        given = os.environ.get(ENV, "").strip()
        if given:
            self.base = given
            return
        bindir = pg_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL binaries (initdb, pg_ctl) not found")
        self.bindir = bindir
        self.tmp = tempfile.mkdtemp(prefix="armsledger-pg-")
        data = os.path.join(self.tmp, "data")
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        user = "postgres" if os.geteuid() == 0 else os.environ.get("USER") or "postgres"
        subprocess.run([*self.prefix, os.path.join(bindir, "initdb"), "-D", data, "-U", user, "-A", "trust",
                        "--no-locale", "-E", "UTF8"], check=True, capture_output=True)
        port = _free_port()
        opts = f"-p {port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        self.data, self.opts = data, opts
        self._start()
        self.base = f"postgresql://{user}@127.0.0.1:{port}/postgres"

    def new_database(self, icu_locale: str | None = None) -> str:
        """A fresh, empty database on the server; its URL. `icu_locale` ("en-US"): with that
        ICU collation as the database default, as many servers are set up, instead of C."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.base, autocommit=True) as c:
            if icu_locale:
                c.execute(f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}'")
            else:
                c.execute(f"CREATE DATABASE {name}")
        parts = urlsplit(self.base)
        return urlunsplit(parts._replace(path="/" + name))

    def _start(self) -> None:
        # the server's output goes to the log file: a pipe it inherited would never close
        subprocess.run([*self.prefix, os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-o", self.opts,
                        "-l", os.path.join(self.tmp or "", "log"), "-w", "-t", "60", "start"],
                       check=True, capture_output=True, timeout=120)

    def restart(self) -> None:
        """Stop the server (every connection cut) and start it again on the same port."""
        subprocess.run([*self.prefix, os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "fast",
                        "-w", "stop"], check=True, capture_output=True, timeout=120)
        self._start()

    def stop(self) -> None:
        if self.tmp is None:
            return
        subprocess.run([*self.prefix, os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "immediate",
                        "stop"], capture_output=True, timeout=120)
        shutil.rmtree(self.tmp, ignore_errors=True)
