"""Write access: bearer tokens from ``ARMSLEDGER_TOKEN`` or a token file.

A token file holds one token a line, optionally preceded by the reviewer's name
(``alice s3cret-token``); blank lines and ``#`` comments are ignored. With no token
configured the server is read-only: every write answers 403.
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Tokens:
    """The tokens that may write, each with the reviewer it names (or None)."""
    tokens: dict[str, str | None] = field(default_factory=dict)

    @property
    def writable(self) -> bool:
        return bool(self.tokens)

    def check(self, presented: str | None) -> tuple[bool, str | None]:
        """(valid, reviewer named by the token) for a presented token (constant-time compare)."""
        if not presented:
            return False, None
        for token, name in self.tokens.items():
            if hmac.compare_digest(token.encode("utf-8"), presented.encode("utf-8")):
                return True, name
        return False, None


def load_tokens(token: str | None = None, token_file: str | Path | None = None) -> Tokens:
    """Tokens from the arguments, else from ``ARMSLEDGER_TOKEN`` / ``ARMSLEDGER_TOKEN_FILE``."""
    out: dict[str, str | None] = {}
    token = token if token is not None else os.environ.get("ARMSLEDGER_TOKEN")
    if token and token.strip():
        out[token.strip()] = None
    token_file = token_file if token_file is not None else os.environ.get("ARMSLEDGER_TOKEN_FILE")
    if token_file:
        for line in Path(token_file).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) >= 2:
                out[parts[-1]] = " ".join(parts[:-1])
            else:
                out[parts[0]] = None
    return Tokens(out)
