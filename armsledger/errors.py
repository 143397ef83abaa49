"""Errors a user can cause and fix: the CLI prints them as one line, never a traceback.

Each carries a message that names the path or value at fault and says what to do.
``UsageError`` is a bad option value (exit code 2 in the CLI); every other
``ArmsledgerError`` is a failure (exit code 1).
"""
from __future__ import annotations


class ArmsledgerError(Exception):
    """A failure the user can fix (bad database file, unreadable register ...)."""


class DatabaseError(ArmsledgerError):
    """The database path is missing, a folder, or not an armsledger SQLite file."""


class UsageError(ArmsledgerError, ValueError):
    """A value given to a command or API call that names nothing known (exit code 2)."""


class UnknownValue(UsageError):
    """A filter value that matches no country, actor, stage or category.

    ``suggestions`` are the closest known values (may be empty).
    """

    def __init__(self, kind: str, value: object, suggestions: list[str] | None = None,
                 choices: list[str] | None = None):
        self.kind = kind
        self.value = value
        self.suggestions = list(suggestions or [])
        self.choices = list(choices or [])
        msg = f"{value!s}: no such {kind}"
        if self.suggestions:
            msg += "; did you mean " + " or ".join(repr(s) for s in self.suggestions[:3]) + "?"
        if self.choices:
            msg += " (choices: " + ", ".join(self.choices) + ")"
        super().__init__(msg)
