"""Reading the JSONL data files (countries, actors, equipment, triggers) and users' own.

One reader, so every file gets the same rules: blank lines and lines starting with "#" or "//"
are skipped, and a bad line is an error that names the file and the line.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator


def records(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each entry of a JSONL data file."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("//"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{lineno}: not valid JSON: {e}") from None
            if not isinstance(obj, dict):
                raise ValueError(f"{path}:{lineno}: expected a JSON object")
            yield lineno, obj
