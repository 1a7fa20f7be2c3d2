"""Name normalisation: one person, however a page writes their name.

"Prof. Su Jun", "su jun" and "SU JUN" are one person; "Fundação" is found by "fundacao".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Honorifics and titles that pages put in front of names. Matched case-insensitively,
# with or without a trailing dot, only at the start of the name.
_HONORIFICS = (
    "h.e.",
    "prof",
    "professor",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "ambassador",
    "amb",
    "eng",
    "engr",
    "hon",
    "honourable",
    "honorable",
    "rev",
)
_HONORIFIC_RE = re.compile(
    r"^(?:(?:" + "|".join(re.escape(h) for h in _HONORIFICS) + r")\.?\s+)+",
    re.IGNORECASE,
)


# Letters that NFKD does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d", "ł": "l", "Ł": "L", "ı": "i"}
)


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse white space: for search keys, not display."""
    if text.isascii():
        # ASCII has no accents to strip, and `split()` collapses the same white space as `\s+`.
        return " ".join(text.split()).lower()
    return _fold_unicode(text)


@lru_cache(maxsize=8192)
def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_UNDECOMPOSED)
    return " ".join(stripped.split()).casefold()


@lru_cache(maxsize=65536)  # a person's name recurs on page after page (and role after role)
def strip_honorifics(name: str) -> str:
    """ "Prof. Su Jun" -> "Su Jun"; keeps the name as written otherwise."""
    cleaned = _HONORIFIC_RE.sub("", name.strip())
    return cleaned.strip() or name.strip()


_NOT_KEY_CHARS = re.compile(r"[^\w\s-]")


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """The key that identifies a person across sessions."""
    key = _NOT_KEY_CHARS.sub("", fold(strip_honorifics(name)))
    return " ".join(key.split())


# Role slots a page fills with no one in particular: "TBD", "Speaker 3", "Delegate from Kenya",
# an e-mail address or its "[email protected]" placeholder.
_PLACEHOLDER = re.compile(
    r"^(?:tb[dca]|to be (?:confirmed|determined|announced)|n/?a|none|other|"
    r"(?:speaker|panelist|panellist|moderator|rapporteur|participant|delegate|representative)"
    r"s?\s*#?\s*\d*|(?:a\s+)?(?:delegate|representative|speaker|member)s?\s+(?:from|of)\b.*|"
    r"\[?email\s*protected\]?|\S+@\S+\.\S+)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def is_placeholder(name: str) -> bool:
    """Whether `name` holds a role's place rather than naming a person ("TBD", "Speaker 3",
    "Delegate from …", "[email protected]"): kept on the session as written, never a person."""
    text = strip_honorifics(name).strip(" .,;:()[]<>")
    return not text or bool(_PLACEHOLDER.match(text))
