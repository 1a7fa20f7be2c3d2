"""In-memory fuzzy look-up of sessions and people: autocomplete and "did you mean".

Pure (no I/O). The Catalog builds new indexes from the store's sessions and people after
each load and swaps them in with one assignment; a query never sees a half-built index.
Every query comes in as a `Query`: stripped, capped and folded once, its session reference
parsed once.

Why a query is staged rather than one `process.extract(WRatio)` over every string: on the
2-core target box, `fuzz.WRatio` over 50,000 names takes ~90 ms and `fuzz.partial_ratio`
~33 ms per call - far over the 10 ms per-keystroke budget. So each query runs cheapest
first and stops once it has `limit` results:

1. exact match of the normalised text (a dict);
2. the text as a prefix of a whole entry, then of any word in it: `str.find` over one
   joined string laid out in rank order, so the first hits are the best ranked;
3. fuzzy: every query word is matched against the vocabulary of distinct words - exactly,
   as the prefix of a longer word (the word being typed) or, for unknown words, by
   `fuzz.ratio` >= 80 (a typo or two: "beli" -> "belli") among words of similar length
   with the same first letter (a full vocabulary scan costs ~14 ms; a typo in the first
   letter is not corrected). Entries that contain a match for
   every query word are the candidates, ranked by ONE `process.extract` with
   `fuzz.WRatio` (processor=None, over preprocessed strings). WRatio is the scorer because
   it blends partial matching (a fragment of a long title scores high), token order
   ("belli luca") and plain edit distance, which suits half-typed, misspelt names.
"""

from __future__ import annotations

import bisect
import heapq
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from bot.models import PersonSummary, SessionSummary
from bot.names import fold, person_key
from bot.render.limits import CHOICES_LIMIT
from bot.vocabulary import SESSION_TYPES, SessionReference, parse_reference

log = logging.getLogger(__name__)

T = TypeVar("T")

# The one cap on query text, applied once by `Query.of`: Discord caps autocomplete input
# at 100 characters, and the slash options that take a query are capped to match.
MAX_QUERY_CHARS = 100
MAX_RESULTS = CHOICES_LIMIT  # Discord shows at most 25 autocomplete choices
_MAX_WORDS = 8
_MAX_PREFIX_WORDS = 64  # vocabulary words a half-typed word may expand to
_MAX_TYPO_LOOKUPS = 2  # unknown words corrected per query (each is a vocabulary scan)
_MAX_CANDIDATES = 400  # entries handed to WRatio
_WORD_TYPO_CUTOFF = 80.0
_AUTOCOMPLETE_CUTOFF = 60.0
_RESOLVE_CUTOFF = 50.0
_CLEAR_SCORE = 90.0  # a resolve hit this good wins if it also leads by _NEAR_MARGIN
_NEAR_MARGIN = 5.0
_CLEAR_MARGIN = 15.0  # ... or it wins by leading the runner-up this much
_ALL_WORDS_SCORE = 95.0  # every query word is a whole word of the entry ("Belli")
_MAX_ALTERNATIVES = 5
_WORD_RE = re.compile(r"[^\W_]+")


def _words(folded: str) -> str:
    return " ".join(_WORD_RE.findall(folded))


def normalise_title(text: str) -> str:
    """Search form of a title: folded, words of letters and digits, single spaces."""
    # For ASCII text `fold` is just lower-casing; skipping it makes building 10x faster.
    return _words(text.lower() if text.isascii() else fold(text))


def normalise_name(text: str) -> str:
    """Search form of a name: `person_key` (no honorific), then as a title."""
    return _words(person_key(text))


@dataclass(frozen=True, slots=True)
class Query:
    """Query text as every look-up takes it: stripped, capped at MAX_QUERY_CHARS, folded,
    with the session reference it spells ("Open Forum #5"), if any."""

    text: str
    folded: str
    reference: SessionReference | None

    @classmethod
    def of(cls, raw: str | Query) -> Query:
        if isinstance(raw, Query):
            return raw
        text = raw.strip()[:MAX_QUERY_CHARS]
        return cls(text, fold(text), parse_reference(text))


@dataclass(frozen=True, slots=True)
class Lookup(Generic[T]):
    """`best` when the query clearly names one entry (`exact` when it names it exactly: a
    key, a reference or the whole name); `alternatives` for "did you mean"."""

    best: T | None
    alternatives: list[T]
    exact: bool = False
    # A reference typed with a year that has no such session: the sessions with that
    # type and number in other years ("IGF 2022 Open Forum #5" -> the 2021 one).
    other_years: list[T] = field(default_factory=list)

    @classmethod
    def none(cls) -> Lookup[T]:
        return cls(None, [])


class FuzzyIndex(Generic[T]):
    """Entries in rank order (best first) with their preprocessed search strings."""

    def __init__(
        self,
        items: Sequence[T],
        keys: Sequence[str],
        texts: Sequence[str],
        normalise: Callable[[str], str],
    ):
        """`keys` are the entries' stable keys; `texts` are already normalised; `normalise`
        makes a folded query into the same form."""
        self._items = list(items)
        self._by_key = {key: index for index, key in enumerate(keys)}
        self._normalise = normalise
        self._texts = list(texts)
        self._exact: dict[str, list[int]] = {}
        self._postings: dict[str, list[int]] = {}
        for index, text in enumerate(self._texts):
            self._exact.setdefault(text, []).append(index)
            for word in dict.fromkeys(text.split()):
                self._postings.setdefault(word, []).append(index)
        self._vocabulary = sorted(self._postings)
        self._typo_pools: dict[tuple[str, int], list[str]] = {}
        for word in self._vocabulary:
            self._typo_pools.setdefault((word[0], len(word)), []).append(word)
        # "\n" + entry + "\n" + entry …: entry i starts right after self._starts[i].
        self._blob = "\n" + "\n".join(self._texts) + "\n"
        self._starts: list[int] = []
        position = 0
        for text in self._texts:
            self._starts.append(position)
            position += len(text) + 1

    def __len__(self) -> int:
        return len(self._items)

    # ----------------------------------------------------------------- public

    def autocomplete(self, text: str | Query, limit: int = MAX_RESULTS) -> list[T]:
        """Up to `limit` (<= 25) entries for a partly typed `text`, best first."""
        limit = max(0, min(limit, MAX_RESULTS))
        typed = Query.of(text)
        query = self._normalise(typed.folded)
        if not query:
            return self._items[:limit]
        found: dict[int, None] = dict.fromkeys(self._early_hits(typed, query, limit))
        if len(found) < limit:
            for index, _ in self._fuzzy(query, limit + len(found), _AUTOCOMPLETE_CUTOFF):
                found.setdefault(index)
        return [self._items[i] for i in list(found)[:limit]]

    def resolve(self, text: str | Query) -> Lookup[T]:
        """One entry if `text` clearly names it, else up to 5 "did you mean" alternatives."""
        query = self._normalise(Query.of(text).folded)
        if not query:
            return Lookup.none()
        exact = self._exact.get(query)
        if exact:
            return self._lookup(exact, exact=True)
        scored = self._resolve_scores(query)
        if not scored:
            return Lookup.none()
        top = scored[0][1]
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        ranked = [self._items[i] for i, _ in scored]
        if _clear_winner(top, runner_up):
            return Lookup(ranked[0], ranked[1 : _MAX_ALTERNATIVES + 1])
        return Lookup(None, ranked[:_MAX_ALTERNATIVES])

    def by_key(self, key: str) -> T | None:
        """The entry with this stable key, if the index holds it."""
        index = self._by_key.get(key)
        return None if index is None else self._items[index]

    def _lookup(self, indexes: Sequence[int], *, exact: bool) -> Lookup[T]:
        """The first of `indexes` as the answer, the next few as alternatives."""
        others = [self._items[i] for i in indexes[1 : _MAX_ALTERNATIVES + 1]]
        return Lookup(self._items[indexes[0]], others, exact=exact)

    # ----------------------------------------------------------------- stages

    def _early_hits(self, typed: Query, query: str, limit: int) -> list[int]:
        """What autocomplete lists before fuzzy hits; subclasses may prepend look-ups."""
        return self._text_hits(query, limit)

    def _text_hits(self, query: str, limit: int) -> list[int]:
        """Stages 1-2: exact, then whole-entry prefix, then word prefix."""
        hits = list(self._exact.get(query, ()))
        for needle in ("\n" + query, " " + query):
            if len(hits) >= limit:
                break
            hits += self._find(needle, limit - len(hits), set(hits))
        return hits

    def _find(self, needle: str, limit: int, seen: set[int]) -> list[int]:
        """Entries containing `needle` in the blob, in rank order, skipping `seen`."""
        hits: list[int] = []
        position = self._blob.find(needle)
        while position >= 0 and len(hits) < limit:
            index = bisect.bisect_right(self._starts, position) - 1
            if index not in seen:
                seen.add(index)
                hits.append(index)
            if index + 1 >= len(self._starts):
                break
            position = self._blob.find(needle, self._starts[index + 1])
        return hits

    def _fuzzy(self, query: str, limit: int | None, cutoff: float) -> list[tuple[int, float]]:
        """Stage 3: (entry index, WRatio score), best first."""
        candidates = self._candidates(query)
        if not candidates:
            return []
        choices = {i: self._texts[i] for i in candidates}
        results = process.extract(
            query,
            choices,
            scorer=fuzz.WRatio,
            processor=None,
            limit=limit,
            score_cutoff=cutoff,
        )
        return [(index, score) for _, score, index in results or ()]

    def _candidates(self, query: str) -> list[int]:
        """Entries with a match for every query word (or, failing that, for any word)."""
        words = query.split()[:_MAX_WORDS]
        typo_budget = [_MAX_TYPO_LOOKUPS]
        groups: list[set[int]] = []
        for position, word in enumerate(words):
            similar = self._similar_words(word, position == len(words) - 1, typo_budget)
            if similar:
                groups.append(set().union(*(self._postings[w] for w in similar)))
        if not groups:
            return []
        matched = set.intersection(*groups) or set.union(*groups)
        return heapq.nsmallest(_MAX_CANDIDATES, matched)  # smallest index = best ranked

    def _similar_words(self, word: str, last: bool, typo_budget: list[int]) -> list[str]:
        """Vocabulary words that `word` may stand for: itself, completions, typo fixes."""
        known = word in self._postings
        similar = [word] if known else []
        if last:
            similar += self._completions(word)
        if not known and len(word) >= 3 and typo_budget[0] > 0:
            typo_budget[0] -= 1
            similar += self._typo_fixes(word)
        return similar

    def _completions(self, prefix: str) -> list[str]:
        start = bisect.bisect_right(self._vocabulary, prefix)  # skips `prefix` itself
        words: list[str] = []
        for word in self._vocabulary[start : start + _MAX_PREFIX_WORDS]:
            if not word.startswith(prefix):
                break
            words.append(word)
        return words

    def _typo_fixes(self, word: str) -> list[str]:
        # fuzz.ratio >= 80 needs lengths within 2/3..3/2 of each other: scan only those.
        lengths = range((2 * len(word) + 2) // 3, (3 * len(word)) // 2 + 1)
        pool = [w for n in lengths for w in self._typo_pools.get((word[0], n), ())]
        results = process.extract(
            word, pool, scorer=fuzz.ratio, processor=None, limit=8, score_cutoff=_WORD_TYPO_CUTOFF
        )
        return [w for w, _, _ in results or ()]

    def _resolve_scores(self, query: str) -> list[tuple[int, float]]:
        """Candidates scored for `resolve`: WRatio, raised when every word is whole."""
        prefix_hits = self._text_hits(query, _MAX_CANDIDATES)
        scores = dict(self._fuzzy(query, None, _RESOLVE_CUTOFF))
        for index in prefix_hits:
            scores.setdefault(index, fuzz.WRatio(query, self._texts[index]))
        words = set(query.split())
        for index, score in scores.items():
            if words <= set(self._texts[index].split()):
                scores[index] = max(score, _ALL_WORDS_SCORE)
        return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


def _clear_winner(top: float, runner_up: float) -> bool:
    """RoboDanny-style: take the best hit only when it clearly stands out."""
    if top >= _CLEAR_SCORE and top - runner_up >= _NEAR_MARGIN:
        return True
    return top - runner_up >= _CLEAR_MARGIN and top >= _AUTOCOMPLETE_CUTOFF


_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# Folded type spellings, for "open fo", "town hall", "ws": (spelling, canonical type).
_TYPE_SPELLINGS = tuple(
    (_words(fold(spelling)), canonical)
    for canonical, spellings in SESSION_TYPES.items()
    for spelling in (canonical, *spellings)
)


@dataclass(frozen=True, slots=True)
class _Scope:
    """What a query like "IGF 2023", "open fo", "WS 1" or "2022 Town Hall" asks for: the
    sessions of a year and/or of types, their numbers starting with `number`."""

    year: int | None
    types: frozenset[str] | None
    number: str

    def admits(self, session: SessionSummary) -> bool:
        if self.year is not None and session.year != self.year:
            return False
        if self.types is not None and session.session_type not in self.types:
            return False
        return not self.number or str(session.number or "").startswith(self.number)


def _scope(query: str) -> _Scope | None:
    """The year, types and number prefix `query` (normalised) spells, or None when it is
    anything else (words of a title)."""
    words = query.split()
    if words[:1] == ["igf"]:
        words = words[1:]
    year = None
    for end in (0, -1):
        if words and year is None and _YEAR_RE.fullmatch(words[end]):
            year = int(words.pop(end))
    number = words.pop() if words and words[-1].isdigit() and len(words) > 1 else ""
    types = _types_spelled(" ".join(words)) if words else None
    if (words and not types) or (year is None and types is None):
        return None
    return _Scope(year, types, number)


def _types_spelled(typed: str) -> frozenset[str]:
    """Types whose spelling starts with `typed` whose first word is complete ("open fo" ->
    Open Forum; "net" is not "Networking Session": it begins many title words)."""
    first = typed.split()[0]
    return frozenset(
        canonical
        for spelling, canonical in _TYPE_SPELLINGS
        if spelling.startswith(typed) and spelling.split()[0] == first
    )


class SessionIndex(FuzzyIndex[SessionSummary]):
    """Sessions by title and by reference; pass the sessions newest first."""

    def __init__(self, sessions: Sequence[SessionSummary]):
        super().__init__(
            sessions,
            [s.key for s in sessions],
            [normalise_title(s.title) for s in sessions],
            _words,
        )
        self._by_reference: dict[tuple[str, int], list[int]] = {}
        for index, session in enumerate(sessions):
            if session.session_type and session.number is not None:
                ref = (fold(session.session_type), session.number)
                self._by_reference.setdefault(ref, []).append(index)

    def resolve(self, text: str | Query) -> Lookup[SessionSummary]:
        """A typed reference ("Open Forum #5", "2021 OF 5") is exact: newest session wins.
        A reference no session has is not guessed at: "did you mean" from autocomplete, and
        the years that have it when the year typed does not."""
        typed = Query.of(text)
        ref = typed.reference
        if ref is None:
            return super().resolve(typed)
        hits = self._reference_hits(ref)
        if hits:
            return self._lookup(hits, exact=True)
        elsewhere = self._reference_hits(SessionReference(ref.session_type, ref.number))
        return Lookup(None, [], other_years=[self._items[i] for i in elsewhere])

    def _early_hits(self, typed: Query, query: str, limit: int) -> list[int]:
        """Typed references ("OF 5", "2021 ws 100") come first, then the sessions of a
        typed year or type ("IGF 2023", "open fo", "WS 1"), newest first, then stages 1-2."""
        hits = self._reference_hits(typed.reference)
        scope = _scope(query)
        if scope is not None:
            seen_refs = set(hits)
            admitted = (
                i
                for i, session in enumerate(self._items)
                if i not in seen_refs and scope.admits(session)
            )
            hits += islice(admitted, limit)  # newest first: stop at `limit`
        seen = set(hits)
        return hits + [i for i in self._text_hits(query, limit) if i not in seen]

    def _reference_hits(self, ref: SessionReference | None) -> list[int]:
        if ref is None:
            return []
        indexes = self._by_reference.get((fold(ref.session_type), ref.number), [])
        return [i for i in indexes if ref.year is None or self._items[i].year == ref.year]


def close_name(text: str | Query, name: str) -> bool:
    """Every word typed (two letters or more) begins a word of `name` or is a typo of one:
    "zhang" is close to "Zhang Fang"; "x" is close to nobody."""
    typed = normalise_name(Query.of(text).folded).split()
    words = normalise_name(name).split()
    return bool(typed) and all(
        len(t) >= 2 and any(w.startswith(t) or fuzz.ratio(t, w) >= _WORD_TYPO_CUTOFF for w in words)
        for t in typed
    )


class PeopleIndex(FuzzyIndex[PersonSummary]):
    """People by name (honorifics ignored); pass the people most active first."""

    def __init__(self, people: Sequence[PersonSummary]):
        # `PersonSummary.key` is already `person_key(name)`: no need to fold 50,000 names.
        keys = [p.key for p in people]
        super().__init__(people, keys, [_words(k) for k in keys], normalise_name)
