"""Files and folders → Articles, choosing the reader by extension and content.

* ``.jsonl``: one JSON object per line (see jsonl.py)
* ``.html``/``.htm``/``.xhtml``, or content starting ``<!doctype html``/``<html``:
  a saved web page (see html.py)
* ``.rss``/``.atom``, or XML whose root is ``<rss>``/``<feed>``/``<rdf:RDF>``:
  a feed (see feed.py)
* anything else: the header text format, or plain text (see header.py)

Files are UTF-8, with or without a byte-order mark. Nothing here raises for a
bad input: it is yielded as an IngestError and the other inputs go on.
"""
from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..models import Article
from .feed import looks_like_feed, read_feed
from .header import IngestError, read_text
from .html import looks_like_html, read_html
from .jsonl import read_jsonl

HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
FEED_EXTENSIONS = {".rss", ".atom"}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}

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


def _read_file(path: Path, shown: str, published: str | None,
               outlet: str | None) -> Iterator[Article | IngestError]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(shown, exc.strerror or str(exc))
        return
    suffix = path.suffix.lower()
    try:
        text = decode_bytes(data, markup=suffix in HTML_EXTENSIONS | FEED_EXTENSIONS | {".xml"})
    except _DecodeFailure as exc:
        yield IngestError(shown, str(exc))
        return

    if suffix in JSONL_EXTENSIONS:
        yield from read_jsonl(text, shown, published, outlet)
    elif suffix in FEED_EXTENSIONS or (suffix not in HTML_EXTENSIONS and looks_like_feed(text)):
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
             outlet: str | None) -> Iterator[Article | IngestError]:
    """_read_file, with an unexpected failure in a reader reported, not raised."""
    try:
        yield from _read_file(path, shown, published, outlet)
    except Exception as exc:  # a reader bug must not lose the other files
        yield IngestError(shown, f"could not be read: {type(exc).__name__}: {exc}")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk_folder(folder: Path) -> Iterator[Path]:
    """Every non-hidden file under ``folder``, recursively, in sorted path order."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not _is_hidden(d)]
        found.extend(Path(dirpath) / f for f in filenames if not _is_hidden(f))
    return iter(sorted(found))


def read_path(path: str | Path, published: str | None = None,
              outlet: str | None = None) -> Iterator[Article | IngestError]:
    """Articles (and errors) from one file or, recursively, one folder.

    ``published``/``outlet`` fill in metadata that a file does not give itself.
    Article.path is the path as given (joined with the file's place in a
    folder); for JSONL and feeds it is "file:LINE".
    """
    p = Path(path)
    if p.is_dir():
        for f in _walk_folder(p):
            yield from _guarded(f, str(f), published, outlet)
    elif p.exists():
        yield from _guarded(p, str(path), published, outlet)
    else:
        yield IngestError(str(path), "no such file or folder")


def read_paths(paths: Iterable[str | Path], published: str | None = None,
               outlet: str | None = None) -> Iterator[Article | IngestError]:
    """read_path over several files/folders in the order given. Never raises."""
    for path in paths:
        yield from read_path(path, published, outlet)
