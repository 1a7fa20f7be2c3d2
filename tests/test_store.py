"""Store tests: real aiosqlite on tmp_path files, Sessions built by hand."""

from __future__ import annotations

import asyncio
import pickle
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.store.loading
from bot import render
from bot.fuzzy import PeopleIndex, SessionIndex
from bot.models import MATCH_END, MATCH_START, Person, Sdg, Session, SessionSummary, Speaker
from bot.store import (
    SCHEMA_VERSION,
    SEARCH_READERS,
    Duplicate,
    Store,
    fts_query,
    prepare_session,
)
from bot.store.search import _BM25_WEIGHTS, query_words, rank_order
from bot.vocabulary import SESSION_TYPE_ABBREVIATIONS, SessionReference, parse_reference

UTC_PLUS_1 = timezone(timedelta(hours=1))


def of5(**changes: object) -> Session:
    """IGF 2021 Open Forum #5, every field filled in."""
    session = Session(
        heading="IGF 2021 Open Forum #5 Development and Rule-Making on Artificial Intelligence",
        title="Development and Rule-Making on Artificial Intelligence",
        event="IGF 2021",
        year=2021,
        session_type="Open Forum",
        number=5,
        starts_at=datetime(2021, 12, 10, 8, 30, tzinfo=UTC),
        ends_at=datetime(2021, 12, 10, 9, 30, tzinfo=UTC),
        room="Ballroom B",
        format="Round Table - U-shape",
        duration_minutes=60,
        format_description="Round table with remote participation.",
        policy_questions=[
            "Governance and cooperation for an evolving Internet",
            "Technical Internet governance",
        ],
        description=(
            "Artificial Intelligence (AI), a major strategic technology, has profoundly "
            "impacted the international cyberspace governance system."
        ),
        organizers=["Cyberspace Administration of China", "Fundação Getulio Vargas"],
        speakers=[
            Speaker(
                "Luca Belli",
                "Professor of Internet Governance and Regulation, Fundação Getulio Vargas",
                "Panel I",
                "opening remarks",
            ),
            Speaker("Ren Xianliang", "World Internet Conference", None, "keynote"),
        ],
        onsite_moderators=[Person("Prof. Su Jun", "Tsinghua University")],
        online_moderators=[Person("Zhang Xiao")],
        rapporteurs=[Person("Li Yan", "China Academy of Information and Communications")],
        sdgs=[Sdg(9, "Industry, Innovation and Infrastructure"), Sdg(17)],
        targets=["9.1", "17.16"],
        key_takeaways=["AI rule-making needs every stakeholder at the table."],
        calls_to_action=["Build an inclusive AI governance ecosystem."],
        report="The session discussed the development and governance of AI.",
        source_url="https://www.intgovforum.org/en/content/igf-2021-open-forum-5",
    )
    return replace(session, **changes)


def ws(number: int, year: int, title: str, **changes: object) -> Session:
    base = Session(
        heading=f"IGF {year} WS #{number} {title}",
        title=title,
        event=f"IGF {year}",
        year=year,
        session_type="Workshop",
        number=number,
        starts_at=datetime(year, 11, 1, 10, 0, tzinfo=UTC) + timedelta(hours=number),
    )
    return replace(base, **changes)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await Store.open(tmp_path / "data" / "igf.db") as opened:
        yield opened


async def load(store: Store, *sessions: Session) -> None:
    await store.apply([(f"{s.key}.txt", f"hash-{s.key}", s) for s in sessions], [])


# --------------------------------------------------------------------------- schema


async def test_open_creates_dirs_wal_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "igf.db"
    store = await Store.open(path)
    await store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {
        "sessions",
        "people",
        "session_people",
        "organizers",
        "session_sdgs",
        "takeaways",
        "calls_to_action",
        "sessions_fts",
        "guild_settings",
        "digest_posts",
        "digest_featured",
        "meta",
    } <= tables


async def test_migrations_from_empty_file_and_reopen_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "igf.db"
    path.touch()  # an empty file is a valid, empty database
    async with await Store.open(path) as store:
        await load(store, of5())
    async with await Store.open(path) as store:  # reopen: nothing to migrate
        assert (await store.counts()).sessions == 1
    with sqlite3.connect(path) as conn:  # pretend we were at version 0: re-run migrations
        conn.execute("PRAGMA user_version = 0")
    async with await Store.open(path) as store:
        assert (await store.counts()).sessions == 1
        assert (await store.session(1)) == of5()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "igf.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(RuntimeError, match="newer"):
        await Store.open(path)


# --------------------------------------------------------------------------- loading


async def test_full_session_round_trips(store: Store) -> None:
    session = of5()
    result = await store.apply([("of5.txt", "h1", session)], [])
    assert [(c.source_file, c.key, c.title) for c in result.added] == [
        ("of5.txt", "igf-2021-open-forum-5", session.title)
    ]
    assert await store.session(1) == session
    row = await store.session_row(1)
    assert row is not None
    assert row.starts_at == datetime(2021, 12, 10, 8, 30, tzinfo=UTC)
    assert row.reference == "Open Forum #5"
    assert await store.session_by_key("igf-2021-open-forum-5") == row
    assert await store.file_hashes() == {"of5.txt": "h1"}
    assert await store.get_meta("loaded_at") is not None
    assert await store.session(999) is None


async def test_non_utc_times_round_trip_exactly_and_index_in_utc(store: Store) -> None:
    late = of5(starts_at=datetime(2021, 12, 11, 0, 30, tzinfo=UTC_PLUS_1))
    await load(store, late)
    assert (await store.session(1)) == late  # the JSON keeps the original offset
    row = await store.session_row(1)
    assert row is not None and row.starts_at is not None
    assert row.starts_at.tzinfo == UTC and row.starts_at.hour == 23
    assert [s.id for s in await store.sessions_filtered(day=date(2021, 12, 10))] == [1]


async def test_update_keeps_id_and_rewrites_children(store: Store) -> None:
    await store.apply([("of5.txt", "h1", of5())], [])
    changed = of5(
        title="Development and Rule-Making on AI (revised)",
        speakers=[Speaker("Nnenna Nwakanma", "Web Foundation")],
        key_takeaways=[],
    )
    result = await store.apply([("of5.txt", "h2", changed)], [])
    assert [c.title for c in result.updated] == [changed.title] and not result.added
    assert await store.session(1) == changed
    assert await store.file_hashes() == {"of5.txt": "h2"}
    names = {p.name for p in await store.all_people()}
    assert "Nnenna Nwakanma" in names and "Luca Belli" not in names
    assert (await store.counts()).takeaways == 0
    assert [h.session.id for h in await store.search("revised")] == [1]
    assert await store.search("Belli") == []


async def test_removal_deletes_session_children_and_orphans(store: Store) -> None:
    await store.apply([("of5.txt", "h1", of5()), ("ws.txt", "h2", ws(100, 2017, "Youth"))], [])
    result = await store.apply([], ["of5.txt", "not-there.txt"])
    assert [(c.source_file, c.title) for c in result.removed] == [("of5.txt", of5().title)]
    assert await store.session(1) is None
    assert await store.all_people() == []
    assert await store.search("artificial") == []
    counts = await store.counts()
    assert (counts.sessions, counts.takeaways, counts.calls_to_action) == (1, 0, 0)


async def test_duplicate_keys_get_suffixes_that_stay_stable(store: Store) -> None:
    # Without a number the key comes from the heading: same heading, not the same session.
    untitled = of5(number=None)
    base = untitled.key
    result = await store.apply(
        [("a.txt", "h", untitled), ("b.txt", "h", untitled), ("c.txt", "h", untitled)], []
    )
    keys = [c.key for c in result.added]
    assert keys == [base, f"{base}-2", f"{base}-3"]
    result = await store.apply([("b.txt", "h2", of5(number=None, room="Hall 2"))], ["a.txt"])
    assert [c.key for c in result.updated] == [f"{base}-2"]  # kept, not renamed
    result = await store.apply([("d.txt", "h", untitled)], [])
    assert [c.key for c in result.added] == [base]


async def test_two_files_of_one_session_are_one_session_the_richer_kept(store: Store) -> None:
    poor = of5(key_takeaways=[], report=None)
    result = await store.apply([("a.txt", "h1", poor), ("b.txt", "h2", of5())], [])
    assert [c.source_file for c in result.added] == ["b.txt"]
    assert result.duplicates == [Duplicate("a.txt", "b.txt", "igf-2021-open-forum-5")]
    assert (await store.counts()).sessions == 1
    # A richer copy later replaces the stored one; a poorer or equal one is the duplicate.
    result = await store.apply(
        [("c.txt", "h3", of5(description="A longer description. " * 20))], []
    )
    assert result.duplicates == [Duplicate("b.txt", "c.txt", "igf-2021-open-forum-5")]
    result = await store.apply(
        [("d.txt", "h3", of5(description="A longer description. " * 20))], []
    )
    assert result.duplicates == [Duplicate("d.txt", "c.txt", "igf-2021-open-forum-5")]
    assert await store.file_hashes() == {"c.txt": "h3"}


async def test_row_ids_are_never_given_twice(store: Store) -> None:
    await store.apply([("a.txt", "h", ws(1, 2021, "One")), ("b.txt", "h", ws(2, 2021, "Two"))], [])
    await store.apply([], ["b.txt"])
    await store.apply([("c.txt", "h", ws(3, 2021, "Three"))], [])
    ids = {s.title: s.id for s in await store.all_sessions()}
    assert ids["Three"] == 3  # not 2, which "Two" had


async def test_bad_session_rolls_back_whole_load(store: Store) -> None:
    await store.apply([("of5.txt", "h1", of5())], [])
    before = (await store.counts(), await store.all_people(), await store.file_hashes())
    broken = replace(ws(35, 2021, "Broken"), title=None)  # NOT NULL fails mid-load
    with pytest.raises(sqlite3.IntegrityError):
        await store.apply(
            [("ws100.txt", "h", ws(100, 2017, "Good one")), ("ws35.txt", "h", broken)],
            ["of5.txt"],
        )
    assert (await store.counts(), await store.all_people(), await store.file_hashes()) == before
    assert await store.session(1) == of5()
    await load(store, ws(100, 2017, "Good one"))  # the store is still usable
    assert (await store.counts()).sessions == 2


async def test_failure_after_rows_written_rolls_back_and_reader_never_sees_half(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.apply([("of5.txt", "h1", of5())], [])
    seen_mid_load: list[int] = []
    original = store._write_children

    async def write_then_fail(conn, rows):  # type: ignore[no-untyped-def]
        await original(conn, rows)  # every row of the new load is now written
        seen_mid_load.append((await store.counts()).sessions)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_write_children", write_then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        await store.apply([(f"ws{n}.txt", "h", ws(n, 2022, f"Topic {n}")) for n in range(5)], [])
    assert seen_mid_load == [1]
    assert (await store.counts()).sessions == 1
    assert await store.file_hashes() == {"of5.txt": "h1"}


async def test_readers_see_old_or_new_during_slow_apply(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = [ws(n, 2022, f"Old title {n}") for n in range(1, 6)]
    await load(store, *old)
    entered, release = asyncio.Event(), asyncio.Event()
    original = store._write_children

    async def slow_write(conn, rows):  # type: ignore[no-untyped-def]
        entered.set()
        await release.wait()  # the writer transaction stays open across this await
        return await original(conn, rows)

    monkeypatch.setattr(store, "_write_children", slow_write)
    new = [replace(s, title=s.title.replace("Old", "New")) for s in old]
    task = asyncio.create_task(store.apply([(f"{s.key}.txt", "h2", s) for s in new], []))
    await entered.wait()

    async def versions() -> set[str]:
        titles = [s.title for s in await store.all_sessions()]
        assert len(titles) == 5
        return {t.split()[0] for t in titles}

    try:
        assert await versions() == {"Old"}
        assert await store.search("new") == []
        assert len(await store.search("old title")) == 5
        readers = [asyncio.create_task(versions()) for _ in range(20)]
    finally:
        release.set()
    snapshots = await asyncio.gather(*readers)
    await task
    assert all(s in ({"Old"}, {"New"}) for s in snapshots)  # never a mix
    assert await versions() == {"New"}
    assert len(await store.search("new")) == 5


async def test_cancelled_apply_rolls_back_and_store_stays_usable(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await load(store, of5())
    entered = asyncio.Event()
    original = store._write_children

    async def stuck(conn, rows):  # type: ignore[no-untyped-def]
        entered.set()
        await asyncio.Event().wait()  # never returns: the load is cancelled here
        return await original(conn, rows)

    monkeypatch.setattr(store, "_write_children", stuck)
    task = asyncio.create_task(store.apply([("ws.txt", "h", ws(1, 2022, "Never"))], []))
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    monkeypatch.undo()
    assert await store.file_hashes() == {"igf-2021-open-forum-5.txt": "hash-igf-2021-open-forum-5"}
    await load(store, ws(2, 2022, "After"))
    assert (await store.counts()).sessions == 2


async def test_concurrent_applies_are_serialised(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    original = store._write_sessions

    async def traced(conn, upserts, existing, keys):  # type: ignore[no-untyped-def]
        events.append(f"start {upserts[0].source_file}")
        await asyncio.sleep(0.01)
        result = await original(conn, upserts, existing, keys)
        events.append(f"end {upserts[0].source_file}")
        return result

    monkeypatch.setattr(store, "_write_sessions", traced)
    untitled = of5(number=None)
    first = store.apply([("a.txt", "h", untitled)], [])
    second = store.apply([("b.txt", "h", untitled)], [])  # same Session.key: must see a.txt
    results = await asyncio.gather(first, second)
    assert events == ["start a.txt", "end a.txt", "start b.txt", "end b.txt"]
    assert [r.added[0].key for r in results] == [untitled.key, f"{untitled.key}-2"]


# --------------------------------------------------------------------------- search


async def test_search_ranks_title_match_first_with_bold_snippet(store: Store) -> None:
    in_description = ws(
        1, 2023, "Data flows", description="Privacy, privacy and more privacy for users."
    )
    in_title = ws(2, 2022, "Privacy by design in the Global South")
    await load(store, in_description, in_title)
    hits = await store.search("privacy")
    assert [h.session.title for h in hits] == [in_title.title, in_description.title]
    assert hits[0].rank > hits[1].rank
    # The store marks matches in plain text; rendering makes them bold.
    assert all(MATCH_START in h.snippet and MATCH_END in h.snippet for h in hits)
    shown = [render.discord_snippet(h.snippet) for h in hits]
    assert all("**" in text and len(text) <= 210 for text in shown)
    assert "**Privacy**" in shown[0]


async def test_search_folds_diacritics(store: Store) -> None:
    await load(store, of5(), ws(9, 2023, "Fundação digital", description="Mídia e democracia"))
    assert {h.session.key for h in await store.search("fundacao")} == {
        "igf-2021-open-forum-5",  # via the speaker's affiliation and organizers
        "igf-2023-workshop-9",
    }
    assert [h.session.number for h in await store.search("midia")] == [9]
    assert [h.session.number for h in await store.search("FUNDAÇÃO DIGITAL")] == [9]


async def test_search_and_then_or_and_filters(store: Store) -> None:
    await load(
        store,
        of5(),
        ws(100, 2017, "Youth and cybersecurity"),
        ws(35, 2021, "Cybersecurity capacity in Africa"),
    )
    assert [h.session.number for h in await store.search("cybersecurity africa")] == [35]
    either = await store.search("youth nonexistentword")  # AND finds nothing -> OR
    assert [h.session.number for h in either] == [100]
    assert [h.session.number for h in await store.search("cybersecurity", year=2017)] == [100]
    # the store takes the canonical type; "OF" is normalised once, by the Catalog
    assert [h.session.number for h in await store.search("ai", session_type="Open Forum")] == [5]
    assert await store.search("cybersecurity", session_type="Town Hall") == []
    assert len(await store.search("cybersecurity", limit=1)) == 1


async def test_search_split_across_readers_ranks_exactly_like_one_query(
    store: Store, tmp_path: Path
) -> None:
    words = ["privacy", "data", "youth", "africa", "cloud", "rights"]
    sessions = [
        ws(
            n,
            2015 + n % 10,
            f"{words[n % 6].title()} and {words[n * 7 % 6]} {n}",
            description=" ".join(words[(n + k) % 6] for k in range(n % 5 + 1)),
            key_takeaways=[f"{words[n * 5 % 6]} matters"] if n % 3 else [],
        )
        for n in range(1, 61)
    ]
    await load(store, *sessions)
    weights = [_BM25_WEIGHTS[k] for k in _BM25_WEIGHTS]
    with sqlite3.connect(store.path) as conn:  # the same ranking as one statement
        conn.row_factory = sqlite3.Row
        for text in ["privacy", "data youth", "africa rights cloud", "2"]:
            match = fts_query(text)
            rows = conn.execute(
                "SELECT rowid AS id, title, bm25(sessions_fts, ?, ?, ?, ?, ?, ?) AS score "
                "FROM sessions_fts WHERE sessions_fts MATCH ?",
                (*weights, match),
            ).fetchall()
            # exact title words first, then bm25 and the newest id (the ORDER BY)
            words = query_words(text)
            ordered = sorted(rows, key=lambda row: rank_order(row, words))
            one_query = [row["id"] for row in ordered[:25]]
            assert one_query, text
            hits = await store.search(text, limit=25)
            assert [h.session.id for h in hits] == one_query, text


async def test_the_wal_is_checkpointed_into_the_database_file_after_the_commit(
    store: Store,
) -> None:
    await load(store, of5(), ws(1, 2020, "One"))
    await store.settle()
    assert store.last_checkpoint_s is not None
    # immutable=1 reads the database file alone, without the WAL
    uri = f"file:{store.path}?immutable=1"
    with sqlite3.connect(uri, uri=True) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 2


def test_a_prepared_session_crosses_to_another_process_unchanged() -> None:
    prepared = prepare_session("of5.txt", "hash-of5", of5())
    copy = pickle.loads(pickle.dumps(prepared))
    assert copy == prepared
    assert copy.fts == prepared.fts and copy.session_people == prepared.session_people


def fts_segments(path: Path) -> int:
    """How many b-tree segments the full-text index is in (FTS5 keeps the segment id in the
    bits above 37 of a `_data` row id; rows below that are its own records)."""
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT COUNT(DISTINCT id >> 37) FROM sessions_fts_data WHERE id >= (1 << 37)"
        ).fetchone()[0]


async def test_a_write_that_rewrites_many_sessions_merges_the_index_afterwards(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.store.loading, "FTS_OPTIMIZE_AFTER", 3)
    sessions = [ws(n, 2020, f"Cloud policy {n}") for n in range(1, 4)]
    for session in sessions:  # each commit writes its own segment
        await load(store, session)
    await load(store, replace(sessions[0], title="Cloud policy one"))  # 1 rewrite: no merge
    await store.settle()
    assert store.last_optimize_s is None
    assert fts_segments(store.path) >= 4

    await load(store, *(replace(s, title=f"Cloud rules {s.number}") for s in sessions))
    await store.settle()
    assert store.last_optimize_s is not None
    assert fts_segments(store.path) == 1
    hits = await store.search("cloud rules", limit=10)
    assert sorted(h.session.number for h in hits) == [1, 2, 3]
    assert await store.search("policy") == []


async def test_every_load_moves_the_generation_that_readers_compare(store: Store) -> None:
    async with store._snapshots() as readers:
        assert len(readers) == SEARCH_READERS
    seen = []
    for session in (of5(), ws(1, 2020, "One"), ws(2, 2020, "Two")):
        await load(store, session)
        seen.append(await store.get_meta("generation"))
    assert len(set(seen)) == 3


HOSTILE = [
    '"unbalanced',
    "AND OR (",
    "*",
    "NEAR(",
    "-",
    ":",
    "",
    "   ",
    "x" * 10_000,
    "word " * 5_000,
    "🙂🔥 ai 🙂",
    "nul\x00byte",
    "title:privacy",
    "priv*",
    '"" "',
    "'; DROP TABLE sessions; --",
    "NOT privacy",
    "^privacy",
    "{title} : privacy",
    "_ __ ___",
]


@pytest.mark.parametrize("text", HOSTILE)
async def test_search_never_raises(store: Store, text: str) -> None:
    await load(store, of5())
    assert isinstance(await store.search(text), list)
    assert (await store.counts()).sessions == 1


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text())
async def test_search_never_raises_on_any_text(store: Store, text: str) -> None:
    hits = await store.search(text)
    assert isinstance(hits, list)


@given(text=st.text(max_size=300))
def test_fts_query_is_only_quoted_words(text: str) -> None:
    match = fts_query(text)
    if match is not None:
        # a quoted word, a phrase of them, or the last word also as a prefix: nothing else
        word = r'"[^\W_]+"'
        term = rf"(?:{word}(?: \+ {word})*|\({word} OR {word}\*\))"
        assert re.fullmatch(rf"{term}(?: AND {term})*", match), match


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("cyber", '("cyber" OR "cyber"*)'),
        ('"intelligent society"', '"intelligent" + "society"'),
        ("children's right", '"children" AND ("right" OR "right"*)'),
        ("children's rights", '"children" AND "rights"'),
        ("IGF’s ai", '"IGF" AND "ai"'),
        ('"open" forum x', '"open" AND "forum" AND "x"'),
    ],
)
def test_fts_query_phrases_apostrophes_and_the_last_word_as_prefix(text: str, match: str) -> None:
    assert fts_query(text) == match


def test_snippet_escapes_markdown_and_balances_markers() -> None:
    assert render.discord_snippet("a *b* \x02match\x03 c_d") == "a \\*b\\* **match** c\\_d"
    long = render.discord_snippet("word " * 30 + "\x02hit " + "more " * 60 + "end\x03")
    assert len(long) <= 210 and long.count("**") % 2 == 0 and long.endswith("…")


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Open Forum #5", SessionReference("Open Forum", 5)),
        ("open forum 5", SessionReference("Open Forum", 5)),
        ("OF #5", SessionReference("Open Forum", 5)),
        ("OF5", SessionReference("Open Forum", 5)),
        ("WS #100", SessionReference("Workshop", 100)),
        ("ws 100", SessionReference("Workshop", 100)),
        ("Town Hall #35", SessionReference("Town Hall", 35)),
        ("TH 35", SessionReference("Town Hall", 35)),
        ("LT 22", SessionReference("Lightning Talk", 22)),
        ("IGF 2021 Open Forum #5", SessionReference("Open Forum", 5, 2021)),
        ("2021 OF 5", SessionReference("Open Forum", 5, 2021)),
        ("IGF 2021 WS #35 Title follows", SessionReference("Workshop", 35, 2021)),
        ("Day 0 Event #17", SessionReference("Day 0 Event", 17)),
        ("BPF 3", SessionReference("Best Practice Forum", 3)),
        ("open forum", None),
        ("OF 5x", None),
        ("privacy", None),
        ("", None),
    ],
)
def test_parse_reference(text: str, expected: SessionReference | None) -> None:
    assert parse_reference(text) == expected


@given(text=st.text(max_size=400))
def test_parse_reference_never_raises(text: str) -> None:
    ref = parse_reference(text)
    assert ref is None or ref.number >= 0


def test_abbreviation_table() -> None:
    for abbreviation, long_form in {
        "WS": "Workshop",
        "OF": "Open Forum",
        "TH": "Town Hall",
        "LT": "Lightning Talk",
        "NS": "Networking Session",
        "DC": "Dynamic Coalition",
        "BPF": "Best Practice Forum",
        "PN": "Policy Network",
    }.items():
        assert SESSION_TYPE_ABBREVIATIONS[abbreviation] == long_form


async def test_sessions_by_reference_newest_first(store: Store) -> None:
    await load(store, ws(35, 2021, "Old"), ws(35, 2023, "New"), of5())
    # References are resolved once, in the index built from the store's sessions.
    index = SessionIndex(await store.all_sessions())

    def by_reference(text: str) -> list[SessionSummary]:
        lookup = index.resolve(text)
        return [lookup.best, *lookup.alternatives] if lookup.exact and lookup.best else []

    assert [s.year for s in by_reference("WS #35")] == [2023, 2021]
    assert [s.title for s in by_reference("2021 ws 35")] == ["Old"]
    assert [s.number for s in by_reference("OF5")] == [5]
    assert by_reference("Town Hall #35") == []
    assert by_reference("hello") == []


# --------------------------------------------------------------------------- people


async def test_people_merge_across_sessions_newest_first(store: Store) -> None:
    older = of5()  # "Prof. Su Jun", onsite moderator, 2021
    newer = ws(
        42,
        2024,
        "AI and the Global Digital Compact",
        speakers=[Speaker("Su Jun", "Institute for AI International Governance", "Panel", None)],
    )
    newest = ws(43, 2024, "Youth and AI", rapporteurs=[Person("SU JUN", "Tsinghua University")])
    await load(store, older, newer, newest)
    su_jun = [p for p in await store.all_people() if p.key == "su jun"]
    assert len(su_jun) == 1 and su_jun[0].session_count == 3
    detail = await store.person(su_jun[0].key)
    assert detail is not None
    assert detail.name == "Su Jun"  # the most common spelling, honorific stripped
    assert [(r.session.number, r.role) for r in detail.roles] == [
        (43, "rapporteur"),
        (42, "speaker"),
        (5, "onsite_moderator"),
    ]
    assert detail.organizations == [
        "Tsinghua University",
        "Institute for AI International Governance",
    ]
    assert [r.segment for r in detail.roles] == [None, "Panel", None]
    assert await store.person("nobody at all") is None


async def test_person_display_name_is_most_common_spelling(store: Store) -> None:
    await load(
        store,
        ws(1, 2022, "A", speakers=[Speaker("Luca Belli")]),
        ws(2, 2022, "B", speakers=[Speaker("Dr. Luca Belli")]),
        ws(3, 2023, "C", speakers=[Speaker("LUCA BELLI")]),
    )
    (person,) = await store.all_people()
    assert (person.key, person.name, person.session_count) == ("luca belli", "Luca Belli", 3)
    people = PeopleIndex(await store.all_people())
    assert people.by_key(person.key) == person
    assert people.by_key("luca bell") is None


@pytest.mark.parametrize("in_one_load", [True, False])
async def test_display_name_ties_go_to_the_newest_session_then_alphabetical(
    tmp_path: Path, in_one_load: bool
) -> None:
    # People new in a load get their names picked from the load's rows (`Spellings`); people
    # already stored, by a query. Both pick alike.
    sessions = [
        ws(1, 2022, "A", speakers=[Speaker("ANN LEE")]),
        ws(2, 2024, "B", speakers=[Speaker("Ann Lee"), Speaker("Bob Ray"), Speaker("BOB RAY")]),
        ws(3, 2023, "C", speakers=[Speaker("Ann LEE")], starts_at=None),
    ]
    async with await Store.open(tmp_path / "names.db") as store:
        if in_one_load:
            await load(store, *sessions)
        else:
            await load(store, sessions[0])
            await load(store, *sessions[1:])
        names = {p.key: p.name for p in await store.all_people()}
    # Ann: three spellings once each, the 2024 one is newest. Bob: two spellings once each,
    # both in 2024's session: the first in code-point order.
    assert names == {"ann lee": "Ann Lee", "bob ray": "BOB RAY"}


# --------------------------------------------------------------------------- listings


async def test_filters_listings_and_counts(store: Store) -> None:
    a = ws(1, 2023, "Morning", starts_at=datetime(2023, 10, 9, 1, 0, tzinfo=UTC), sdgs=[Sdg(5)])
    b = ws(2, 2023, "Noon", starts_at=datetime(2023, 10, 9, 12, 0, tzinfo=UTC))
    c = ws(3, 2023, "Next day", starts_at=datetime(2023, 10, 10, 1, 0, tzinfo=UTC))
    await load(store, c, b, a, of5())
    assert [s.title for s in await store.sessions_filtered(day=date(2023, 10, 9))] == [
        "Morning",
        "Noon",
    ]
    assert [s.number for s in await store.sessions_filtered(year=2021)] == [5]
    assert [s.number for s in await store.sessions_filtered(session_type="Open Forum")] == [5]
    assert [s.number for s in await store.sessions_filtered(sdg=5)] == [1]
    assert [s.number for s in await store.sessions_filtered(sdg=9)] == [5]
    assert len(await store.sessions_filtered(limit=2)) == 2
    tokyo = timezone(timedelta(hours=9))  # local 9 Oct in Tokyo = 8 Oct 15:00 .. 9 Oct 15:00
    local_day = await store.sessions_filtered(
        starts_from=datetime(2023, 10, 9, tzinfo=tokyo),
        starts_before=datetime(2023, 10, 10, tzinfo=tokyo),
    )
    assert [s.title for s in local_day] == ["Morning", "Noon"]
    assert [s.number for s in await store.all_sessions()] == [3, 2, 1, 5]  # newest first
    counts = await store.counts()
    assert (counts.sessions, counts.takeaways, counts.calls_to_action) == (4, 1, 1)
    assert counts.years == [2023, 2021] == await store.years()
    assert await store.session_types() == ["Open Forum", "Workshop"]


async def test_latest_sessions_with(store: Store) -> None:
    newer = ws(7, 2024, "Newer", key_takeaways=["First.", "Second."])
    await load(store, of5(), newer, ws(8, 2024, "None"))
    latest = await store.latest_sessions_with("takeaways", 5)
    assert [(s.number, texts) for s, texts in latest] == [
        (7, ["First.", "Second."]),
        (5, of5().key_takeaways),
    ]
    calls = await store.latest_sessions_with("calls_to_action", 1)
    assert [(s.number, texts) for s, texts in calls] == [(5, of5().calls_to_action)]


async def test_sessions_added_since_ignores_updates(store: Store) -> None:
    await load(store, of5())
    before = datetime.now(UTC) - timedelta(seconds=2)
    assert [s.number for s in await store.sessions_added_since(before)] == [5]
    assert await store.sessions_added_since(datetime.now(UTC) + timedelta(seconds=2)) == []
    await load(store, of5(room="Hall 1"))  # an update keeps added_at
    assert await store.sessions_added_since("9999") == []


async def test_meta_round_trip(store: Store) -> None:
    assert await store.get_meta("nope") is None
    await store.set_meta("source", "seeds/")
    assert await store.get_meta("source") == "seeds/"


async def test_v1_database_loses_its_duplicate_text_columns_and_keeps_its_sessions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "igf.db"
    async with await Store.open(path) as store:
        await load(store, of5())
    with sqlite3.connect(path) as conn:  # rebuild the v1 shape: text columns present
        conn.execute("ALTER TABLE sessions ADD COLUMN description TEXT")
        conn.execute("ALTER TABLE sessions ADD COLUMN report TEXT")
        conn.execute("UPDATE sessions SET description = 'old copy', report = 'old copy'")
        conn.execute("PRAGMA user_version = 1")
    async with await Store.open(path) as store:
        assert await store.session(1) == of5()
        assert [hit.session.id for hit in await store.search(of5().title)] == [1]
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not {"description", "report"} & columns


@pytest.mark.parametrize("content", [b"these are my notes\n" * 300, b"newer"])
async def test_a_failed_open_leaves_no_connection_thread(tmp_path: Path, content: bytes) -> None:
    import threading

    path = tmp_path / "igf.db"
    if content == b"newer":
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = set(threading.enumerate())
    with pytest.raises((sqlite3.DatabaseError, RuntimeError)):
        await Store.open(path)
    started = [t for t in threading.enumerate() if t not in before]
    for thread in started:
        thread.join(10)  # a closed connection's thread ends; an open one would stay
    assert [t for t in started if t.is_alive()] == []
