"""JSON Lines → Articles: one JSON object per line.

Each object needs ``text`` and may have ``url``, ``title``, ``published`` and
``outlet``; other keys are ignored. Blank lines are skipped. A bad line is an
IngestError naming the file and line; the good lines still come through
(invalid JSON, nesting too deep, a line that is not UTF-8, a lone surrogate
escape, which becomes U+FFFD).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from ..models import Article
from .header import IngestError, article_from


def record_to_article(record: object, path: str, line: int, published: str | None = None,
                      outlet: str | None = None) -> Article | IngestError:
    """One decoded JSON value → Article (path "file:LINE") or IngestError."""
    if not isinstance(record, dict):
        kind = type(record).__name__ if record is not None else "null"
        return IngestError(path, f"line {line}: expected a JSON object, got {kind}", line)
    text = record.get("text")
    if text is None:
        return IngestError(path, f"line {line}: no 'text' field", line)
    if not isinstance(text, str):
        return IngestError(path, f"line {line}: 'text' is not a string", line)
    if not text.strip():
        return IngestError(path, f"line {line}: 'text' is empty", line)
    return article_from(text, record, f"{path}:{line}", published, outlet)


def _fix_surrogates(value: object) -> object:
    """Strings with lone surrogates ("\\ud800") made storable: each becomes U+FFFD."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {k: _fix_surrogates(v) for k, v in value.items()}
    return value


def _one_line(raw: str, path: str, number: int, published: str | None, outlet: str | None,
              max_chars: int | None) -> Article | IngestError | None:
    raw = raw.strip().lstrip("\ufeff")
    if not raw:
        return None
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        return IngestError(path, f"line {number}: invalid JSON: {exc.msg} (column {exc.colno})", number)
    except RecursionError:
        return IngestError(path, f"line {number}: invalid JSON: nested too deeply", number)
    except Exception as exc:  # anything else json.loads may raise: this line only
        return IngestError(path, f"line {number}: invalid JSON: {type(exc).__name__}: {exc}", number)
    if isinstance(record, dict) and isinstance(record.get("text"), str) and max_chars \
            and len(record["text"]) > max_chars:
        return IngestError(path, f"line {number}: article text is {len(record['text']):,} characters, over the "
                                 f"{max_chars:,} limit; skipped", number)
    try:
        return record_to_article(_fix_surrogates(record), path, number, published, outlet)
    except Exception as exc:  # a bad value in this record must not lose the lines after it
        return IngestError(path, f"line {number}: {type(exc).__name__}: {exc}", number)


def read_jsonl(text: str, path: str, published: str | None = None,
               outlet: str | None = None) -> Iterator[Article | IngestError]:
    """Articles and per-line errors from the decoded content of a .jsonl file."""
    for number, raw in enumerate(text.split("\n"), start=1):
        item = _one_line(raw, path, number, published, outlet, None)
        if item is not None:
            yield item


def read_jsonl_lines(fh: IO[bytes], path: str, published: str | None = None, outlet: str | None = None,
                     max_chars: int | None = None) -> Iterator[Article | IngestError]:
    """Articles and per-line errors from a .jsonl file opened in binary, read one line at a time.

    A line that is not UTF-8, not JSON, nested too deeply or longer than
    ``max_chars`` is reported with its number; the other lines go on.
    """
    limit = (max_chars * 4 + 1024) if max_chars else None  # UTF-8 bytes of max_chars characters, and JSON
    for number, raw in enumerate(_lines(fh, limit), start=1):
        if raw is None:
            yield IngestError(path, f"line {number}: longer than {limit:,} bytes; skipped", number)
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\x00" in raw and raw.count(b"\x00") > len(raw) // 10:
            yield IngestError(path, f"line {number}: binary data", number)
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield IngestError(path, f"line {number}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                                    f"{exc.start + 1})", number)
            continue
        item = _one_line(line.replace("\x00", ""), path, number, published, outlet, max_chars)
        if item is not None:
            yield item


def _lines(fh: IO[bytes], limit: int | None) -> Iterator[bytes | None]:
    """Lines of a binary file (LF, CRLF or CR alone end a line); None for a line over ``limit`` bytes,
    which is skipped without being held in memory."""
    buf = b""
    pending = b""  # a CR at the end of a chunk may be the first half of CRLF
    too_long = False
    while True:
        chunk = fh.read(1 << 16)
        if not chunk:
            if pending:
                buf += b"\n"
            else:
                break
            chunk = b""
        raw = pending + chunk
        pending = b"\r" if raw.endswith(b"\r") and chunk else b""
        if pending:
            raw = raw[:-1]
        buf += raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        parts = buf.split(b"\n")
        buf = parts.pop()
        for part in parts:
            if too_long:
                too_long = False
                yield None
            elif limit is not None and len(part) > limit:
                yield None
            else:
                yield part
        if limit is not None and len(buf) > limit:
            buf = b""
            too_long = True
    if too_long:
        yield None
    elif buf.strip():
        yield buf
