"""Cleaning a page's text before it is read: line endings, white space, lock marks, e-mail
placeholders and boilerplate lines; the leading "URL: …" line."""

from __future__ import annotations

import re

_BOILERPLATE = {
    "check-in and access this session from the igf schedule.",
    "session",
    "about this session",
    "loading…",
}

_BOILERPLATE_MAX_LEN = max(map(len, _BOILERPLATE))

_LOCK_MARKS = ("🔒", "πŸ”’")

_EMAIL_PLACEHOLDER = re.compile(r"<?\[email\s*protected\]>?", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    # casefold never shortens a string, so a longer line cannot fold to boilerplate.
    return len(line) <= _BOILERPLATE_MAX_LEN and line.casefold() in _BOILERPLATE


def clean_lines(text: str) -> list[str]:
    # Each search for one character first: str finds one character about ten times faster
    # than a longer string (7 of a page's 50 µs went to "\r\n" alone).
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ")
    for mark in _LOCK_MARKS:
        if mark[0] in text:
            text = text.replace(mark, "")
    if "]" in text and "protected]" in text:
        text = _EMAIL_PLACEHOLDER.sub("", text)
    return [raw if not raw or _is_tidy(raw) else " ".join(raw.split()) for raw in text.split("\n")]


def _is_tidy(line: str) -> bool:
    """Whether `" ".join(line.split())` would return `line` unchanged, at a fraction of the cost."""
    # isprintable() is False for every white space character but " " (tabs, no-break spaces…).
    return (
        not line.startswith(" ")
        and not line.endswith(" ")
        and "  " not in line
        and line.isprintable()
    )


_CONTROL_CHARS = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])

_ALL_BUT_CONTROL_CHARS = bytes(b for b in range(256) if b not in _CONTROL_CHARS)


def control_ratio(text: str) -> float:
    sample = text[:5000]
    # UTF-8 writes each control character as that one byte, and no other character uses bytes
    # below 0x20: counting bytes counts characters, and bytes.translate is much faster than re.
    controls = sample.encode("utf-8", "surrogatepass").translate(None, _ALL_BUT_CONTROL_CHARS)
    return len(controls) / max(1, len(sample))


def take_url(lines: list[str]) -> tuple[str | None, list[str]]:
    for i, line in enumerate(lines):
        if not line:
            continue
        match = _URL_LINE.match(line)
        if match:
            return match.group(1), lines[i + 1 :]
        return None, lines[i:]
    return None, lines


_URL_LINE = re.compile(r"^URL:\s*(\S+)\s*$", re.IGNORECASE)
