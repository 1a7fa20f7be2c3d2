"""Text for Discord: the one cutter, chunking, markdown escaping, safe links, timestamps.

The rule for long text: nothing is silently lost. `chunk` splits text for further pages and
loses nothing; `shorten` is only for text that must fit one place (a title, a label), and
always says so with an ellipsis.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.models import MATCH_END, MATCH_START

EMPTY = "—"
ELLIPSIS = "…"

_WHITESPACE = re.compile(r"\s+")
_TRIMMED = " ,;:."
# What `md` escapes: what discord.utils.escape_markdown does (bare links left working), with
# holes closed: the text of a masked link is escaped too (escape_markdown leaves "[**x**](y)"
# bold); a line's "-", "#", ">" or "1." is escaped after any indent and after a blank line;
# and <@id>, <#id>, </cmd:id>, <:emoji:id>, <t:…>, <id:…> stay text.
_MARKDOWN = re.compile(
    r"(?P<url><[^: >]+:/[^ >]+>|https?://[^\s<]+[^<.,:;\"'\]\s])"
    r"|(?P<item>^[ \t]*(?:\d+(?=\.[ \t])|(?=[-#>])))[-.#>]"
    r"|(?P<markdown>[_\\~|*`]|\[(?=.+\]\(.+\))|<(?=[@#/:]|a:|t:|id:))",
    re.MULTILINE,
)
_SAFE_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_URL_MAX = 1000  # not a Discord limit: page addresses are far shorter, longer ones are junk
TIMESTAMP_STYLES = frozenset("tTdDfFR")


def one_line(text: str) -> str:
    """Every run of whitespace (newlines too) as one space, ends trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def cut(text: str, limit: int) -> tuple[str, bool]:
    """`shorten`, and whether anything was left out.

    One-line text has its whitespace collapsed first; text with line breaks keeps them.
    """
    text = one_line(text) if "\n" not in text else text.strip()
    if len(text) <= limit:
        return text, False
    if limit <= 0:
        return "", True
    kept = text[: limit - 1]
    space = kept.rfind(" ")
    if space > limit // 2:
        kept = kept[:space]
    # a dangling backslash would escape the ellipsis instead of the character it was for
    return kept.rstrip(_TRIMMED).rstrip("\\") + ELLIPSIS, True


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters: cut at a word boundary, with an ellipsis."""
    return cut(text, limit)[0]


def chunk(text: str, limit: int) -> list[str]:
    """Split `text` into pieces of at most `limit` characters, losing nothing.

    Splits at paragraph breaks, then line breaks, then sentence ends, then spaces; only a
    run without any of those is split hard (never between a backslash and what it escapes).
    Whitespace at the ends of the text and around each split is dropped: joining the pieces
    gives the text back up to that whitespace.
    """
    if limit < 1:
        raise ValueError(f"chunk limit must be positive, not {limit}")
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        split = _split_point(text[:limit], limit)
        pieces.append(text[:split].rstrip())
        text = text[split:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _split_point(window: str, limit: int) -> int:
    split = window.rfind("\n\n")
    for separator in ("\n", ". ", " "):
        if split > limit // 3:
            break
        split = window.rfind(separator)
        if separator == ". " and split != -1:
            split += 1
    if split > 0:
        return split
    trailing = len(window) - len(window.rstrip("\\"))
    return limit - 1 if trailing % 2 and limit > 1 else limit


def md(text: str | None) -> str:
    """Document text shown as-is: never markdown, never a mention or other `<…>` token.

    "@everyone" stays readable text: embeds never ping, and every reply is sent with
    mentions disabled (``allowed_mentions``).
    """
    return _MARKDOWN.sub(_escaped, text or "")


def _escaped(match: re.Match[str]) -> str:
    if match.group("url"):
        return match.group("url")
    if match.group("item") is not None:  # "1.", "-", "#" or ">" opening a line
        return match.group("item") + "\\" + match.group(0)[-1]
    return "\\" + match.group("markdown")


def safe_url(url: str | None) -> str | None:
    """`url` when it is a plain http(s) address, else None (no javascript:, data:, ftp:)."""
    if url and len(url) <= _URL_MAX and _SAFE_URL.fullmatch(url):
        return url
    return None


def full_and_relative(moment: datetime) -> str:
    """ "<t:…:F> (<t:…:R>)": the date and time, and how long from now, in each reader's zone."""
    return f"{timestamp(moment, 'F')} ({timestamp(moment, 'R')})"


def timestamp(moment: datetime, style: str | None = None) -> str:
    """Discord's `<t:unix:style>`: each reader sees it in their own zone. Naive means UTC."""
    if style is not None and style not in TIMESTAMP_STYLES:
        raise ValueError(f"unknown timestamp style {style!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    unix = int(moment.timestamp())
    return f"<t:{unix}:{style}>" if style else f"<t:{unix}>"


def when(start: datetime | None, end: datetime | None) -> str:
    """A start (full date), its end time and how far away it is; `EMPTY` without a start."""
    if start is None:
        return EMPTY
    text = timestamp(start, "F")
    if end is not None:
        text += f" – {timestamp(end, 't')}"
    return f"{text} ({timestamp(start, 'R')})"


SNIPPET_CHARS = 200


def discord_snippet(raw: str, limit: int = SNIPPET_CHARS) -> str:
    """A search snippet (matches between MATCH_START and MATCH_END) as escaped Discord
    markdown with the matches in bold, at most `limit` characters plus a closing ``**…``."""
    text = md(one_line(raw)).replace(MATCH_START, "**").replace(MATCH_END, "**")
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip("\\")
        if text.count("**") % 2:
            text += "**"
        text += ELLIPSIS
    return text
