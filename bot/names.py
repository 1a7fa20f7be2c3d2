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
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Letters that NFKD does not decompose.
    stripped = stripped.translate(
        str.maketrans(
            {
                "ø": "o",
                "Ø": "O",
                "ß": "ss",
                "æ": "ae",
                "Æ": "AE",
                "đ": "d",
                "ł": "l",
                "Ł": "L",
                "ı": "i",
            }
        )
    )
    return re.sub(r"\s+", " ", stripped).strip().casefold()


def strip_honorifics(name: str) -> str:
    """ "Prof. Su Jun" -> "Su Jun"; keeps the name as written otherwise."""
    cleaned = _HONORIFIC_RE.sub("", name.strip())
    return cleaned.strip() or name.strip()


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """The key that identifies a person across sessions."""
    key = fold(strip_honorifics(name))
    key = re.sub(r"[^\w\s-]", "", key)
    return re.sub(r"\s+", " ", key).strip()
