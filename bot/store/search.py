"""Full-text search: a safe MATCH expression from any text, bm25 ranking split across the
readers, and plain-text snippets with match markers (rendering turns them into markup)."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

import aiosqlite

from bot.models import SearchHit
from bot.names import fold
from bot.store.connection import Database
from bot.store.rows import summary_from_row

MAX_LIMIT = 50
# An AND of many words costs a posting-list walk each; no one types more than this.
_MAX_QUERY_TOKENS = 12
# bm25 column weights: a title match outranks everything; "description" also holds the
# policy questions, format, room and SDG names; "people" holds speaker and moderator names,
# affiliations and organizers (see bot.store.rows.fts_columns).
_BM25_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "w_title": 10.0,
        "w_description": 2.0,
        "w_takeaways": 4.0,
        "w_calls": 4.0,
        "w_report": 1.0,
        "w_people": 1.0,
    }
)
# Words too common to search for alone. One string: the words read as a line, not a column.
_STOPWORDS = frozenset(
    """
    a an and are as at be by for from how in is it of on or the to what which with
    """.split()  # noqa: SIM905
)


# An apostrophe inside a word ("children's", "IGF’s") ends it: the "s" is not a word.
_POSSESSIVE_RE = re.compile(r"(?<=[^\W_])['’](?:s\b)?")
_PHRASE_RE = re.compile(r'"([^"]*)"')
_WORD_RE = re.compile(r"[^\W_]+")
# The last word typed may be unfinished ("cyber" for "cybersecurity"): a short one also
# matches as a prefix. FTS5 merges every indexed word in the prefix's range at each
# evaluation; at 10,000 sessions such a search takes up to ~50 ms (p50 7 ms), against
# 17 ms with prefix indexes, which cost a cold load 1 s and 58 MB (schema v9 dropped
# them). A longer word is taken as typed in full: the stemmer already matches its forms.
_MIN_PREFIX, _MAX_PREFIX = 3, 5


class SearchResults(list[SearchHit]):
    """The best hits, best first, and how many sessions matched in all (`total`)."""

    def __init__(self, hits: Sequence[SearchHit] = (), total: int = 0) -> None:
        super().__init__(hits)
        self.total = total


def fts_query(text: str, operator: Literal["AND", "OR"] = "AND") -> str | None:
    """A safe FTS5 MATCH expression from arbitrary user text, or None if it has no words.

    Only letter/digit runs survive, each quoted as an FTS string, so operators, column
    filters, ``NEAR(``, ``*``, quotes and control characters in the input are inert. Words
    the user put between double quotes stay together as a phrase. An unquoted last word
    also matches as a prefix.
    """
    terms = _terms(_POSSESSIVE_RE.sub("", text))
    if not terms:
        return None
    quoted = [" + ".join(_quote(word) for word in term) for term in terms]
    last = terms[-1]
    if (
        len(last) == 1
        and _MIN_PREFIX <= len(last[0]) <= _MAX_PREFIX
        and not text.rstrip().endswith('"')
    ):
        quoted[-1] = f"({quoted[-1]} OR {quoted[-1]}*)"
    return f" {operator} ".join(quoted)


def query_words(text: str) -> list[str]:
    """The folded words of a query that count for exactness (stopwords out, as in MATCH)."""
    return [fold(w) for term in _terms(_POSSESSIVE_RE.sub("", text)) for w in term]


def exact_title_words(title: str, words: Sequence[str]) -> int:
    """How many of the query's words stand unchanged in the title: the index is stemmed,
    so "shutdown" and "shutdowns" rank alike there; the exact one goes first."""
    in_title = set(_WORD_RE.findall(fold(title)))
    return sum(1 for word in words if word in in_title)


def _terms(text: str) -> list[list[str]]:
    """Phrases (a list of words) and single words, in the order typed, at most
    _MAX_QUERY_TOKENS words in all."""
    terms: list[list[str]] = []
    for i, part in enumerate(_PHRASE_RE.split(text)):
        words = _WORD_RE.findall(part)
        if i % 2:  # between quotes
            terms += [words] if words else []
        else:
            terms += [[w] for w in words]
    # Words on nearly every page ("the", "of") add nothing to an AND query but make it
    # rank thousands of matches; keep them only when the query has nothing else.
    meaningful = [t for t in terms if len(t) > 1 or t[0].casefold() not in _STOPWORDS]
    kept: list[list[str]] = []
    budget = _MAX_QUERY_TOKENS
    for term in meaningful or terms:
        if budget <= 0:
            break
        kept.append(term[:budget])
        budget -= len(term)
    return kept


def _quote(word: str) -> str:
    return '"' + word[:64].replace('"', '""') + '"'


class Search(Database):
    async def search(
        self,
        text: str,
        *,
        year: int | None = None,
        session_type: str | None = None,
        limit: int = 10,
    ) -> SearchResults:
        """Full-text search, best first, with the number of matches in all; safe for any input
        (see `fts_query`).

        `session_type` is the canonical type ("Open Forum"). All words must match; if that
        finds nothing, any word may match. Snippets are plain text with match markers.
        """
        for operator in ("AND", "OR"):
            match = fts_query(text, operator)
            if match is None:
                return SearchResults()
            params = {
                "match": match,
                "year": year,
                "session_type": session_type,
                "limit": max(1, min(limit, MAX_LIMIT)),
                "words": query_words(text),
                **_BM25_WEIGHTS,
            }
            hits = await self._search(params)
            if hits:
                return hits
        return SearchResults()

    async def _search(self, params: dict[str, Any]) -> SearchResults:
        async with self._snapshots() as readers:
            ranked, total = await _rank(readers, params)
            if not ranked:
                return SearchResults()
            # Snippets cost ~0.3 ms a hit: they are split across the readers too.
            groups = [ranked[i :: len(readers)] for i in range(len(readers))]
            parts = await asyncio.gather(
                *(
                    _snippet_rows(conn, params["match"], group)
                    for conn, group in zip(readers, groups, strict=True)
                )
            )
        by_id = {row["id"]: row for rows in parts for row in rows}
        hits = [
            SearchHit(
                summary_from_row(by_id[r["id"]]), by_id[r["id"]]["snippet"] or "", -r["score"]
            )
            for r in ranked
            if r["id"] in by_id
        ]
        return SearchResults(hits, total)


# Search is two queries: rank every match (bm25), then make snippets for the top few only;
# snippet() in the ranking query ran for every match (~100 ms at 10k). Both run on every
# reader at once, each on a share of the work (see SEARCH_READERS).
# One statement a slice: its best `pool` rows by bm25, their titles (read for these few
# only: a column read beside bm25() is read for every match), and how many matched (a
# count without bm25() walks the posting lists alone; a window count kept every match).
# Each aiosqlite call is a trip to the reader's thread, so the three are one.
_SQL_RANK_FILTERED = """
    WITH best AS (
        SELECT sessions_fts.rowid AS id,
               bm25(sessions_fts, :w_title, :w_description, :w_takeaways, :w_calls,
                    :w_report, :w_people) AS score
        FROM sessions_fts JOIN session_summaries v ON v.id = sessions_fts.rowid
        WHERE sessions_fts MATCH :match AND sessions_fts.rowid BETWEEN :first AND :last
          AND (:year IS NULL OR v.year = :year)
          AND (:session_type IS NULL OR v.session_type = :session_type COLLATE NOCASE)
        ORDER BY score, id DESC
        LIMIT :pool
    )
    SELECT best.id, best.score, s.title,
           (SELECT count(*)
            FROM sessions_fts JOIN session_summaries v ON v.id = sessions_fts.rowid
            WHERE sessions_fts MATCH :match AND sessions_fts.rowid BETWEEN :first AND :last
              AND (:year IS NULL OR v.year = :year)
              AND (:session_type IS NULL OR v.session_type = :session_type COLLATE NOCASE)
           ) AS total
    FROM best JOIN sessions s ON s.id = best.id
"""
# Without filters, rank inside the full-text table alone: joining every match to the
# sessions view before the LIMIT made common-word queries ~2x slower at 10,000 sessions.
_SQL_RANK_UNFILTERED = """
    WITH best AS (
        SELECT rowid AS id,
               bm25(sessions_fts, :w_title, :w_description, :w_takeaways, :w_calls,
                    :w_report, :w_people) AS score
        FROM sessions_fts
        WHERE sessions_fts MATCH :match AND rowid BETWEEN :first AND :last
        ORDER BY score, rowid DESC
        LIMIT :pool
    )
    SELECT best.id, best.score, s.title,
           (SELECT count(*) FROM sessions_fts
            WHERE sessions_fts MATCH :match AND rowid BETWEEN :first AND :last) AS total
    FROM best JOIN sessions s ON s.id = best.id
"""


async def _rank(
    readers: Sequence[aiosqlite.Connection], params: dict[str, Any]
) -> tuple[list, int]:
    """The best `limit` matches and the number of matches: each reader ranks one slice of
    the ids, then one merge. Each slice gives MAX_LIMIT rows, so that an exact title match
    a little behind in bm25 still reaches the merge (see `rank_order`)."""
    filtered = params["year"] is not None or params["session_type"] is not None
    sql = _SQL_RANK_FILTERED if filtered else _SQL_RANK_UNFILTERED
    # Two subqueries: SQLite reads MIN or MAX of a primary key from the index only when it
    # is alone in its query; together they scanned the table.
    id_range = "SELECT (SELECT MIN(id) FROM sessions), (SELECT MAX(id) FROM sessions)"
    first, last = (await readers[0].execute_fetchall(id_range))[0]
    if first is None:
        return [], 0
    slices = _id_slices(first, last, len(readers))
    parts = await asyncio.gather(
        *(
            conn.execute_fetchall(sql, params | {"first": a, "last": b, "pool": MAX_LIMIT})
            for conn, (a, b) in zip(readers, slices, strict=True)
        )
    )
    rows = [row for part in parts for row in part]
    total = sum(part[0]["total"] for part in parts if part)
    words = params["words"]
    ranked = sorted(rows, key=lambda row: rank_order(row, words))
    return ranked[: params["limit"]], total


async def _snippet_rows(conn: aiosqlite.Connection, match: str, ranked: list) -> list:
    if not ranked:
        return []
    ids = json.dumps([row["id"] for row in ranked])
    # char(2)/char(3) are bot.models.MATCH_START/MATCH_END: the indexed text never holds them.
    sql = """
        SELECT v.*, snippet(sessions_fts, -1, char(2), char(3), '…', 24) AS snippet
        FROM sessions_fts JOIN session_summaries v ON v.id = sessions_fts.rowid
        WHERE sessions_fts MATCH :match
          AND sessions_fts.rowid IN (SELECT value FROM json_each(:ids))
    """
    return list(await conn.execute_fetchall(sql, {"match": match, "ids": ids}))


def _id_slices(first: int, last: int, count: int) -> list[tuple[int, int]]:
    """`count` contiguous id ranges covering first..last."""
    step = (last - first) // count + 1
    return [(first + i * step, min(last, first + (i + 1) * step - 1)) for i in range(count)]


def rank_order(row: sqlite3.Row, words: Sequence[str]) -> tuple[int, float, int]:
    """Most query words unchanged in the title first, then the ranking queries' ORDER BY:
    best bm25, then the newest id."""
    return -exact_title_words(row["title"], words), row["score"], -row["id"]
