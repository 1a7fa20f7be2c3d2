"""Store text made into Discord markdown. The render toolkit takes this over when it lands."""

from __future__ import annotations

import re

from bot.store import MATCH_END, MATCH_START

SNIPPET_CHARS = 200
_MARKDOWN_RE = re.compile(r"([\\*_~`|>])")


def discord_snippet(raw: str, limit: int = SNIPPET_CHARS) -> str:
    """A search snippet (matches between MATCH_START and MATCH_END) -> escaped Discord
    markdown with ``**`` bold, at most `limit` characters plus a closing ``**…``."""
    text = _MARKDOWN_RE.sub(r"\\\1", " ".join(raw.split()))
    text = text.replace(MATCH_START, "**").replace(MATCH_END, "**")
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip("\\")
        if text.count("**") % 2:
            text += "**"
        text += "…"
    return text
