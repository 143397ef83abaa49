"""Files and folders → Articles, choosing the reader by extension and content.

* ``.jsonl``: one JSON object per line (see jsonl.py)
* ``.html``/``.htm``/``.xhtml``, or content starting ``<!doctype html``/``<html``:
  a saved web page (see html.py)
* ``.rss``/``.atom``, or XML whose root is ``<rss>``/``<feed>``/``<rdf:RDF>``:
  a feed (see feed.py)
* anything else: the header text format, or plain text (see header.py)

Files are UTF-8, with or without a byte-order mark. Nothing here raises for a
bad input: it is yielded as an IngestError and the other inputs go on.

Bounds: only regular files are read (a named pipe, device or socket is reported,
never opened for a blocking read); a folder that cannot be listed is reported; a
file over the size cap (``max_bytes``, default DEFAULT_MAX_BYTES = 2 MB, or
``ARMSLEDGER_MAX_BYTES``) is reported without being read. JSONL and feed files
hold many articles, so their cap is ``CONTAINER_FACTOR`` times larger, and each
article's text is held to ``max_bytes`` characters. JSONL is read line by line.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..models import Article
from .feed import looks_like_feed, read_feed
from .header import IngestError, read_text
from .html import looks_like_html, read_html
from .jsonl import read_jsonl_lines

HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
FEED_EXTENSIONS = {".rss", ".atom"}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}

DEFAULT_MAX_BYTES = 2_000_000
MAX_BYTES_ENV = "ARMSLEDGER_MAX_BYTES"
CONTAINER_FACTOR = 100  # a JSONL or feed file may be this many times max_bytes

_SNIFF = 8192
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13, 27}
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I)


class _DecodeFailure(Exception):
    pass


def _declared_charset(data: bytes) -> str | None:
    """The encoding an HTML/XML file declares for itself, if any (not UTF-8)."""
    m = _DECLARED_CHARSET.search(data[:4096])
    if not m:
        return None
    name = (m[1] or m[2]).decode("ascii", "replace")
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return None if name in ("utf-8", "utf-8-sig") else name


def decode_bytes(data: bytes, markup: bool = False) -> str:
    """The text of a file's bytes, or _DecodeFailure with the reason.

    ``markup``: the file may be HTML/XML, so an encoding it declares itself
    (``<meta charset>``, ``<?xml encoding?>``) is honoured when UTF-8 fails.
    Nothing else is guessed: undecodable UTF-8 is an error, not latin-1.
    """
    if not data or not data.strip():
        raise _DecodeFailure("empty file")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise _DecodeFailure("UTF-32 text is not supported (save the file as UTF-8)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _DecodeFailure("UTF-16 text is not supported (save the file as UTF-8)")
    head = data[:_SNIFF]
    if b"\x00" in head:
        raise _DecodeFailure("binary file")
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if sum(b >= 0x80 or b in _CONTROL for b in head) > 0.3 * len(head):
            raise _DecodeFailure("binary file") from None
        declared = _declared_charset(data) if markup or data.lstrip()[:1] == b"<" else None
        if declared:
            try:
                return data.decode(declared)
            except (UnicodeDecodeError, LookupError):
                pass
        bad = data[bom + exc.start]
        raise _DecodeFailure(
            f"not valid UTF-8 (byte 0x{bad:02x} at offset {bom + exc.start})") from None
    if sum(b in _CONTROL for b in head) > 0.1 * len(head):
        raise _DecodeFailure("binary file")
    if not text.strip():
        raise _DecodeFailure("empty file")
    return text


def default_max_bytes() -> int:
    """The size cap: ``ARMSLEDGER_MAX_BYTES`` if set to a positive number, else DEFAULT_MAX_BYTES."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    try:
        n = int(raw) if raw else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES
    return n if n > 0 else DEFAULT_MAX_BYTES


def shown_path(path: str | Path) -> str:
    """A path as text that can be printed and stored (undecodable bytes in a name become U+FFFD)."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _not_regular(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _open_regular(path: Path, shown: str, cap: int) -> tuple[int | None, IngestError | None]:
    """An open descriptor on a regular file no larger than ``cap``, or the error to report."""
    try:
        st = os.stat(path)  # follows links: a link to /dev/zero is a device
    except OSError as exc:
        return None, IngestError(shown, exc.strerror or str(exc))
    if not stat.S_ISREG(st.st_mode):
        return None, IngestError(shown, f"{_not_regular(st.st_mode)}, not a regular file; skipped")
    if st.st_size > cap:
        return None, IngestError(shown, f"file is {_size(st.st_size)}, over the {_size(cap)} limit; skipped "
                                        f"(raise it with --max-bytes or {MAX_BYTES_ENV})")
    try:  # O_NONBLOCK: never wait on something swapped in after the check
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, IngestError(shown, exc.strerror or str(exc))
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None, IngestError(shown, f"{_not_regular(st.st_mode)}, not a regular file; skipped")
    return fd, None


def _read_all(fd: int, cap: int) -> bytes:
    """At most ``cap`` + 1 bytes from ``fd`` (the caller checks for the + 1)."""
    with os.fdopen(fd, "rb") as fh:
        return fh.read(cap + 1)


def _read_file(path: Path, shown: str, published: str | None,
               outlet: str | None, max_bytes: int) -> Iterator[Article | IngestError]:
    suffix = path.suffix.lower()
    container = suffix in JSONL_EXTENSIONS or suffix in FEED_EXTENSIONS
    cap = max_bytes * CONTAINER_FACTOR if container else max_bytes
    fd, err = _open_regular(path, shown, cap)
    if err is not None:
        yield err
        return
    if suffix in JSONL_EXTENSIONS:
        with os.fdopen(fd, "rb") as fh:  # type: ignore[arg-type]
            yield from read_jsonl_lines(fh, shown, published, outlet, max_chars=max_bytes)
        return
    try:
        data = _read_all(fd, cap)  # type: ignore[arg-type]
    except OSError as exc:
        yield IngestError(shown, exc.strerror or str(exc))
        return
    if len(data) > cap:  # grew since it was checked
        yield IngestError(shown, f"file is over the {_size(cap)} limit; skipped "
                                 f"(raise it with --max-bytes or {MAX_BYTES_ENV})")
        return
    try:
        text = decode_bytes(data, markup=suffix in HTML_EXTENSIONS | FEED_EXTENSIONS | {".xml"})
    except _DecodeFailure as exc:
        yield IngestError(shown, str(exc))
        return
    # old Mac line ends (CR alone) are line ends; a NUL past the sniffed head is dropped
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")

    if suffix in FEED_EXTENSIONS or (suffix not in HTML_EXTENSIONS and looks_like_feed(text)):
        yield from read_feed(text, shown, published, outlet)
    elif suffix in HTML_EXTENSIONS or looks_like_html(text):
        yield read_html(text, shown, published, outlet)
    elif suffix == ".xml":
        yield IngestError(shown, "XML file that is not an RSS or Atom feed")
    else:
        try:
            yield read_text(text, shown, published, outlet)
        except ValueError as exc:
            yield IngestError(shown, str(exc))


def _guarded(path: Path, shown: str, published: str | None,
             outlet: str | None, max_bytes: int) -> Iterator[Article | IngestError]:
    """_read_file, with an unexpected failure in a reader reported, not raised, and
    each article's text held to ``max_bytes`` characters."""
    try:
        for item in _read_file(path, shown, published, outlet, max_bytes):
            if isinstance(item, Article) and len(item.text) > max_bytes:
                item = IngestError(item.path or shown, f"article text is {len(item.text):,} characters, over the "
                                                       f"{max_bytes:,} limit; skipped (raise it with --max-bytes "
                                                       f"or {MAX_BYTES_ENV})")
            yield item
    except Exception as exc:  # a reader bug must not lose the other files
        yield IngestError(shown, f"could not be read: {type(exc).__name__}: {exc}")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk_folder(folder: Path, errors: list[IngestError] | None = None) -> Iterator[Path]:
    """Every non-hidden file under ``folder``, recursively, in sorted path order.
    Folders that cannot be listed go to ``errors``."""
    found: list[Path] = []

    def onerror(exc: OSError) -> None:
        if errors is not None:
            errors.append(IngestError(shown_path(exc.filename or folder),
                                      f"folder could not be read: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=onerror):
        dirnames[:] = [d for d in dirnames if not _is_hidden(d)]
        found.extend(Path(dirpath) / f for f in filenames if not _is_hidden(f))
    return iter(sorted(found))


def read_path(path: str | Path, published: str | None = None,
              outlet: str | None = None, max_bytes: int | None = None,
              exclude: frozenset[str] = frozenset()) -> Iterator[Article | IngestError]:
    """Articles (and errors) from one file or, recursively, one folder.

    ``published``/``outlet`` fill in metadata that a file does not give itself.
    Article.path is the path as given (joined with the file's place in a
    folder); for JSONL and feeds it is "file:LINE". ``max_bytes``: the size cap
    (default: ``ARMSLEDGER_MAX_BYTES`` or DEFAULT_MAX_BYTES). Files of a folder whose real
    path is in ``exclude`` (the ledger's own database files) are passed over.
    """
    cap = max_bytes if max_bytes and max_bytes > 0 else default_max_bytes()
    p = Path(path)
    if p.is_dir():
        folder_errors: list[IngestError] = []
        files = _walk_folder(p, folder_errors)
        yield from folder_errors
        for f in files:
            if exclude and os.path.realpath(f) in exclude:
                continue
            yield from _guarded(f, shown_path(f), published, outlet, cap)
    elif p.exists() or p.is_symlink():
        yield from _guarded(p, shown_path(path), published, outlet, cap)
    else:
        yield IngestError(shown_path(path), "no such file or folder")


def read_paths(paths: Iterable[str | Path], published: str | None = None,
               outlet: str | None = None, max_bytes: int | None = None,
               exclude: frozenset[str] = frozenset()) -> Iterator[Article | IngestError]:
    """read_path over several files/folders in the order given. Never raises."""
    for path in paths:
        yield from read_path(path, published, outlet, max_bytes, exclude)
