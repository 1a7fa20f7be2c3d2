"""SQLite storage for IGF session records: atomic loads, snapshot-consistent queries.

* `connection` - the single writer and the snapshot readers, transactions, background upkeep;
* `schema` - migrations;
* `rows` - sessions made into rows (the loader prepares them in worker processes);
* `loading`, `queries`, `search` - the writes and reads, each statement in the method
  that runs it.

Only the `Catalog` and the `Loader` use the store. Scheduled features (bot/digest/, …) keep
their ledger's SQL in their own folder and run it on the connection primitives of
`Database` (`write`, `read`, `fetchall`, `fetchone`), handed to them by the Catalog.
"""

from __future__ import annotations

from bot.store.connection import SEARCH_READERS, Database
from bot.store.loading import FTS_OPTIMIZE_AFTER, Duplicate, LoadResult, Loads, Quality
from bot.store.queries import OutcomeKind, Queries
from bot.store.rows import PreparedSession, Profile, prepare_session
from bot.store.schema import MIGRATIONS, SCHEMA_VERSION, split_sql
from bot.store.search import Search, SearchResults, fts_query

__all__ = [
    "FTS_OPTIMIZE_AFTER",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SEARCH_READERS",
    "Database",
    "Duplicate",
    "LoadResult",
    "OutcomeKind",
    "PreparedSession",
    "Profile",
    "Quality",
    "SearchResults",
    "Store",
    "fts_query",
    "prepare_session",
    "split_sql",
]


class Store(Loads, Queries, Search, Database):
    """The bot's database. Create with ``await Store.open(path)``."""
