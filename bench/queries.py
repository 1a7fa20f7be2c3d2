"""What users type: autocomplete prefixes (with typos) and `/search` queries, deterministic."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence

from bench.corpus import ACTORS, CITIES, OBJECTS, TOPICS

_NEIGHBOURS = {
    "a": "qsz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "wa",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip past the first letter: swap, drop, double or hit a neighbour key."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("swap", "drop", "double", "neighbour"))
    if kind == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    near = _NEIGHBOURS.get(text[i].lower())
    return text[:i] + rng.choice(near) + text[i + 1 :] if near else text


def autocomplete_queries(
    rng: random.Random, sources: Sequence[str], count: int, *, typo_share: float = 0.3
) -> list[str]:
    """`count` partial inputs of 1-12 characters taken from `sources` (titles or names).

    Most start at the beginning of the text; some at a later word (a surname, a title's
    topic). About `typo_share` carry a typo; many are lower-cased or typed without accents,
    as people type them.
    """
    queries: list[str] = []
    for _ in range(count):
        source = rng.choice(sources)
        words = source.split()
        if len(words) > 1 and rng.random() < 0.3:
            start = rng.randrange(1, len(words))
            source = " ".join(words[start:])
        length = rng.randint(1, 12)
        query = source[:length].rstrip() or source[:length]
        if rng.random() < 0.6:
            query = query.lower()
        if rng.random() < 0.5:
            query = _strip_accents(query)
        if rng.random() < typo_share:
            query = typo(rng, query)
        queries.append(query)
    return queries


def search_queries(
    rng: random.Random, titles: Sequence[str], names: Sequence[str], count: int
) -> list[str]:
    """`count` `/search` inputs: topics, phrases, people, places, typos, words not in the corpus."""
    misses = ("blockchainz", "quokka", "teleportation", "zyxwv", "hovercraft policy")
    queries: list[str] = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.25:
            query = rng.choice(TOPICS).removeprefix("the ")
        elif kind < 0.4:
            query = " ".join(rng.choice(OBJECTS).split()[-2:])
        elif kind < 0.55:
            query = rng.choice(names).split()[-1]
        elif kind < 0.65:
            query = rng.choice(names)
        elif kind < 0.75:
            words = rng.choice(titles).split()
            start = rng.randrange(len(words))
            query = " ".join(words[start : start + rng.randint(1, 3)])
        elif kind < 0.83:
            query = f"{rng.choice(TOPICS).split()[-1]} {rng.choice(CITIES)}"
        elif kind < 0.9:
            query = rng.choice(ACTORS)
        elif kind < 0.95:
            query = typo(rng, rng.choice(TOPICS).removeprefix("the "))
        else:
            query = rng.choice(misses)
        queries.append(query.lower() if rng.random() < 0.5 else query)
    return queries
