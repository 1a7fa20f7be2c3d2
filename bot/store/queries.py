"""Reads: sessions, people and counts, each in one snapshot of the database."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import ClassVar, Literal

import aiosqlite

from bot.models import Counts, PersonDetail, PersonRole, PersonSummary, Session, SessionSummary
from bot.names import fold
from bot.store.connection import Database
from bot.store.rows import summary_from_row, utc_iso

OutcomeKind = Literal["takeaways", "calls_to_action"]


class Queries(Database):
    # ----------------------------------------------------------------- one session

    async def session(self, session_id: int) -> Session | None:
        """The full record, exactly as loaded (from the stored JSON). By row id: only for
        bot/digest.py until the digest branch reads `Catalog.session_record(key)`."""
        row = await self.fetchone("SELECT data FROM sessions WHERE id = ?", (session_id,))
        return Session.from_json(json.loads(row[0])) if row else None

    async def all_records(self) -> list[Session]:
        """Every full record, newest first."""
        rows = await self.fetchall(
            """
            SELECT data FROM sessions
            ORDER BY starts_at DESC NULLS LAST, year DESC NULLS LAST, id DESC
            """
        )
        return [Session.from_json(json.loads(row[0])) for row in rows]

    async def session_record(self, key: str) -> Session | None:
        """The full record of the session with this stable key."""
        row = await self.fetchone("SELECT data FROM sessions WHERE key = ?", (key,))
        return Session.from_json(json.loads(row[0])) if row else None

    async def session_row(self, session_id: int) -> SessionSummary | None:
        row = await self.fetchone("SELECT * FROM session_summaries WHERE id = ?", (session_id,))
        return summary_from_row(row) if row else None

    async def session_by_key(self, key: str) -> SessionSummary | None:
        row = await self.fetchone("SELECT * FROM session_summaries WHERE key = ?", (key,))
        return summary_from_row(row) if row else None

    # ----------------------------------------------------------------- lists of sessions

    async def all_sessions(self, conn: aiosqlite.Connection | None = None) -> list[SessionSummary]:
        """Every session, newest first (the fuzzy index's rank order); on `conn` when given
        (a load's writer, to see what it is about to commit)."""
        rows = await self._fetch_on(
            conn,
            """
            SELECT * FROM session_summaries
            ORDER BY starts_at DESC NULLS LAST, year DESC NULLS LAST, id DESC
            """,
        )
        return [summary_from_row(row) for row in rows]

    async def _fetch_on(self, conn: aiosqlite.Connection | None, sql: str) -> list[sqlite3.Row]:
        if conn is None:
            return await self.fetchall(sql)
        return list(await conn.execute_fetchall(sql))

    async def sessions_added_since(self, since: str | datetime) -> list[SessionSummary]:
        """Sessions first stored after `since` (updates do not count), in start order."""
        since_text = utc_iso(since) if isinstance(since, datetime) else since
        rows = await self.fetchall(
            """
            SELECT * FROM session_summaries
            WHERE id IN (SELECT id FROM sessions WHERE added_at > ?)
            ORDER BY starts_at NULLS LAST, id
            """,
            (since_text,),
        )
        return [summary_from_row(row) for row in rows]

    async def sessions_filtered(
        self,
        *,
        year: int | None = None,
        session_type: str | None = None,
        sdg: int | None = None,
        day: date | None = None,
        starts_from: datetime | None = None,
        starts_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[SessionSummary]:
        """Sessions in start order. `session_type` is the canonical type. `day` is a UTC day;
        for a local day pass a `starts_from`/`starts_before` range of aware datetimes."""
        params = {
            "year": year,
            "session_type": session_type,
            "sdg": sdg,
            "day": day.isoformat() if day else None,
            "starts_from": utc_iso(starts_from),
            "starts_before": utc_iso(starts_before),
            "limit": -1 if limit is None else max(0, limit),
        }
        sql = """
            SELECT v.* FROM session_summaries v
            WHERE (:year IS NULL OR v.year = :year)
              AND (:session_type IS NULL OR v.session_type = :session_type COLLATE NOCASE)
              AND (:sdg IS NULL OR EXISTS
                    (SELECT 1 FROM session_sdgs g WHERE g.session_id = v.id AND g.number = :sdg))
              AND (:day IS NULL OR v.start_day = :day)
              AND (:starts_from IS NULL OR v.starts_at >= :starts_from)
              AND (:starts_before IS NULL OR v.starts_at < :starts_before)
            ORDER BY v.starts_at NULLS LAST, v.id
            LIMIT :limit
        """
        return [summary_from_row(row) for row in await self.fetchall(sql, params)]

    # The newest sessions having key takeaways (:takeaways) or calls to action (:calls): run by
    # `latest_sessions_with` and `sessions_with_outcomes`.
    _SQL_HAVING_OUTCOMES: ClassVar[str] = """
        SELECT v.* FROM session_summaries v
        WHERE (:takeaways AND EXISTS (SELECT 1 FROM takeaways t WHERE t.session_id = v.id))
           OR (:calls AND EXISTS (SELECT 1 FROM calls_to_action c WHERE c.session_id = v.id))
        ORDER BY v.starts_at DESC NULLS LAST, v.year DESC NULLS LAST, v.id DESC
        LIMIT :limit
    """

    async def latest_sessions_with(
        self, kind: OutcomeKind, limit: int
    ) -> list[tuple[SessionSummary, list[str]]]:
        """The newest sessions that have key takeaways (or calls to action), with the texts."""
        if kind not in ("takeaways", "calls_to_action"):
            raise ValueError(f"unknown outcome kind {kind!r}")
        wanted = {"takeaways": kind == "takeaways", "calls": kind == "calls_to_action"}
        async with self.read() as conn:
            rows = await conn.execute_fetchall(self._SQL_HAVING_OUTCOMES, wanted | {"limit": limit})
            sessions = [summary_from_row(r) for r in rows]
            texts: dict[int, list[str]] = {}
            for session_id, _, text in await conn.execute_fetchall(
                """
                SELECT session_id, position, text FROM takeaways
                WHERE :takeaways AND session_id IN (SELECT value FROM json_each(:ids))
                UNION ALL
                SELECT session_id, position, text FROM calls_to_action
                WHERE :calls AND session_id IN (SELECT value FROM json_each(:ids))
                ORDER BY session_id, position
                """,
                wanted | {"ids": json.dumps([s.id for s in sessions])},
            ):
                texts.setdefault(session_id, []).append(text)
        return [(s, texts.get(s.id, [])) for s in sessions]

    # ----------------------------------------------------------------- totals

    _SQL_YEARS: ClassVar[str] = (
        "SELECT DISTINCT year FROM sessions WHERE year IS NOT NULL ORDER BY year DESC"
    )

    async def counts(self) -> Counts:
        async with self.read() as conn:
            numbers = [
                (await conn.execute_fetchall(sql))[0][0]
                for sql in (
                    "SELECT COUNT(*) FROM sessions",
                    "SELECT COUNT(*) FROM people",
                    "SELECT COUNT(*) FROM takeaways",
                    "SELECT COUNT(*) FROM calls_to_action",
                )
            ]
            years = [row[0] for row in await conn.execute_fetchall(self._SQL_YEARS)]
        return Counts(*numbers, years=years)

    async def years(self) -> list[int]:
        """Years with sessions, newest first."""
        return [row[0] for row in await self.fetchall(self._SQL_YEARS)]

    async def session_types(self) -> list[str]:
        rows = await self.fetchall(
            """
            SELECT DISTINCT session_type FROM sessions WHERE session_type IS NOT NULL
            ORDER BY session_type
            """
        )
        return [row[0] for row in rows]

    # ----------------------------------------------------------------- people

    async def all_people(self, conn: aiosqlite.Connection | None = None) -> list[PersonSummary]:
        """Everyone, most sessions first (the fuzzy index's rank order); on `conn` as in
        `all_sessions`."""
        rows = await self._fetch_on(
            conn,
            """
            SELECT p.id, p.key, p.name, COUNT(DISTINCT sp.session_id) AS session_count
            FROM people p JOIN session_people sp ON sp.person_id = p.id
            GROUP BY p.id
            ORDER BY session_count DESC, p.name COLLATE NOCASE, p.id
            """,
        )
        return [PersonSummary(*row) for row in rows]

    async def person(self, person_key: str) -> PersonDetail | None:
        """A person (by their stable key) with every role they had, newest session first."""
        async with self.read() as conn:
            found = await conn.execute_fetchall(
                "SELECT id, key, name FROM people WHERE key = ?", (person_key,)
            )
            if not found:
                return None
            person = found[0]
            rows = await conn.execute_fetchall(
                """
                SELECT v.*, sp.role AS role, sp.affiliation AS affiliation,
                       sp.segment AS segment, sp.note AS note, sp.organization AS organization,
                       sp.stakeholder_group AS stakeholder_group, sp.region AS region
                FROM session_people sp JOIN session_summaries v ON v.id = sp.session_id
                WHERE sp.person_id = ?
                ORDER BY v.starts_at DESC NULLS LAST, v.year DESC NULLS LAST, v.id DESC,
                         sp.role, sp.position
                """,
                (person["id"],),
            )
            roles = [_person_role(r) for r in rows]
            organizations = _distinct([r.organization for r in roles])
            same = await self._name_order_variants(conn, person["key"], organizations)
        groups = [r.stakeholder_group for r in roles] + [r.region for r in roles]
        return PersonDetail(
            person["id"],
            person["key"],
            person["name"],
            organizations,
            roles,
            groups=_distinct(groups),
            possibly_same=same,
        )

    # People with one of these keys, and the organisations of their roles.
    _SQL_PEOPLE_AND_ORGANIZATIONS: ClassVar[str] = """
        SELECT p.name, sp.organization FROM people p
        JOIN session_people sp ON sp.person_id = p.id
        WHERE p.key IN (SELECT value FROM json_each(?)) AND sp.organization IS NOT NULL
        ORDER BY p.name
    """

    async def _name_order_variants(
        self, conn: aiosqlite.Connection, key: str, organizations: list[str]
    ) -> list[str]:
        """The names of people whose key is `key` in another word order ("xiao zhang" for
        "zhang xiao") and who share one of `organizations`: never merged, only shown."""
        variants = name_orders(key)
        if not variants or not organizations:
            return []
        ours = {fold(o) for o in organizations}
        rows = await conn.execute_fetchall(
            self._SQL_PEOPLE_AND_ORGANIZATIONS, (json.dumps(variants),)
        )
        return list(dict.fromkeys(name for name, org in rows if fold(org) in ours))


def name_orders(key: str) -> list[str]:
    """A person key's other word orders that pages use: reversed ("xiao zhang" for "zhang
    xiao"), and for three words or more the family name moved from the end to the front or
    back ("li yu xiao" / "yu xiao li")."""
    words = key.split()
    if len(words) < 2:
        return []
    orders = [words[::-1], words[-1:] + words[:-1], words[1:] + words[:1]]
    return [o for o in dict.fromkeys(" ".join(w) for w in orders) if o != key]


def _person_role(row: sqlite3.Row) -> PersonRole:
    return PersonRole(
        summary_from_row(row),
        row["role"],
        row["affiliation"],
        row["segment"],
        row["note"],
        row["organization"],
        row["stakeholder_group"],
        row["region"],
    )


def _distinct(texts: list[str | None]) -> list[str]:
    """Each text once (folded: case and accents), in order; None left out."""
    seen: dict[str, str] = {}
    for text in texts:
        if text:
            seen.setdefault(fold(text), text)
    return list(seen.values())
