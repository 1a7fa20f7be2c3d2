"""`ParseError`: what the parser raises for anything that is not one session page."""

from __future__ import annotations


class ParseError(ValueError):
    """The document is not a session page we can read; `reason` says why, for a person."""

    def __init__(self, reason: str, *, source: str | None = None, line: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        where = source or "document"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {reason}")
