"""The reminders' pure plan, the calendar file and the ledger's rules (no Discord here)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.reminders.calendar import build_calendar, calendar_text_for
from bot.reminders.ledger import ReminderLedger, ReminderLimitError
from bot.reminders.plan import (
    LATE_AFTER,
    Reminder,
    ReminderSession,
    can_remind,
    check_minutes,
    check_window,
    decide,
    in_progress,
    new_reminder,
    starting_within,
)
from bot.store import Store

START = datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
NOW = START - timedelta(days=1)


def session(key: str = "igf-2026-workshop-1", **changes: object) -> ReminderSession:
    values: dict[str, object] = {
        "key": key,
        "title": "A session",
        "reference": "Workshop #1",
        "event": "IGF 2026",
        "starts_at": START,
        "ends_at": END,
        "room": "Room 1",
        "source_url": "https://example.org/ws1",
    }
    values.update(changes)
    return ReminderSession(**values)  # type: ignore[arg-type]


def reminder(minutes: int = 15, now: datetime = NOW) -> Reminder:
    return new_reminder(42, session(), minutes, now)


# --------------------------------------------------------------------------- plan


def test_due_time_is_ahead_of_the_start_but_never_in_the_past() -> None:
    assert reminder(15).due_at == START - timedelta(minutes=15)
    assert reminder(1440).due_at == START - timedelta(days=1)
    soon = START - timedelta(minutes=5)
    assert reminder(15, now=soon).due_at == soon  # set late: due at once, not "late"


@pytest.mark.parametrize(
    ("at", "action"),
    [
        (START - timedelta(minutes=16), "wait"),
        (START - timedelta(minutes=15), "send"),
        (START - timedelta(minutes=15) + LATE_AFTER, "send"),
        (START - timedelta(minutes=12), "send_late"),
        (END - timedelta(seconds=1), "send_late"),
        (END, "missed"),
    ],
)
def test_decide_when_due(at: datetime, action: str) -> None:
    assert decide(reminder(15), session(), at).action == action


def test_decide_follows_moves_and_notices_removals() -> None:
    moved = session(starts_at=START + timedelta(hours=2), ends_at=END + timedelta(hours=2))
    assert decide(reminder(), moved, START).action == "moved"
    assert decide(reminder(), None, START).action == "gone"
    assert decide(reminder(), session(starts_at=None, ends_at=None), START).action == "gone"


def test_a_session_with_no_end_lasts_an_hour() -> None:
    open_ended = new_reminder(1, session(ends_at=None), 0, NOW)
    assert decide(open_ended, session(ends_at=None), START + timedelta(minutes=59)).action == (
        "send_late"
    )
    assert decide(open_ended, session(ends_at=None), START + timedelta(hours=1)).action == "missed"


def test_limits_of_the_options() -> None:
    assert check_minutes(0) == 0 and check_minutes(1440) == 1440
    for bad in (-1, 1441):
        with pytest.raises(ValueError):
            check_minutes(bad)
    assert check_window(None) == 60 and check_window(1440) == 1440
    with pytest.raises(ValueError):
        check_window(1441)
    assert can_remind(session(), NOW) is None
    assert can_remind(session(), START) == "it has already started"
    assert can_remind(session(starts_at=None), NOW) == "it has no date or time in the programme"


def test_in_progress_and_starting_within() -> None:
    early = session("a", starts_at=START - timedelta(hours=1), ends_at=START)
    main = session("b")
    later = session("c", starts_at=START + timedelta(minutes=30), ends_at=END + timedelta(hours=1))
    day = session("d", starts_at=START.replace(hour=0), ends_at=None)  # a date, no time
    everything = [later, day, main, early]
    assert [s.key for s in in_progress(everything, START)] == ["b"]
    assert [s.key for s in in_progress(everything, START + timedelta(minutes=45))] == ["b", "c"]
    assert [s.key for s in starting_within(everything, START, 30)] == ["b"]
    assert [s.key for s in starting_within(everything, START, 31)] == ["b", "c"]
    assert day.all_day and not main.all_day


# --------------------------------------------------------------------------- calendar


def test_calendar_events_in_utc_all_day_and_left_out() -> None:
    dated = session("igf-2026-workshop-2", starts_at=START.replace(hour=0), ends_at=None)
    undated = session("igf-2026-workshop-3", starts_at=None, ends_at=None, title="Undated")
    built = build_calendar([session(), dated, undated], NOW)
    assert built.events == 2
    assert built.notes == ("IGF 2026 · Workshop #1: Undated has no date; left out",)
    assert "\r\nDTSTART:20261025T090000Z\r\n" in built.text
    assert "\r\nDTSTART;VALUE=DATE:20261025\r\n" in built.text
    first, second = Calendar.from_ical(built.data).walk("VEVENT")
    assert str(first["UID"]) == "igf-2026-workshop-1@igf-forum-bot"
    assert first.decoded("DTEND") == END
    assert str(first["LOCATION"]) == "Room 1"
    assert str(first["DESCRIPTION"]) == "IGF 2026 · Workshop #1\nhttps://example.org/ws1"
    assert second.decoded("DTEND") == START.date() + timedelta(days=1)
    assert build_calendar([session()], NOW).data == build_calendar([session()], NOW).data


# --------------------------------------------------------------------------- ledger


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "r.db")
    try:
        yield opened
    finally:
        await opened.close()


async def test_one_reminder_per_user_and_session_and_a_limit(store: Store) -> None:
    ledger = ReminderLedger(store, limit=3)
    for index in range(3):
        created = await ledger.upsert(new_reminder(7, session(f"k{index}"), 15, NOW), NOW)
        assert created
    assert not await ledger.upsert(new_reminder(7, session("k0"), 30, NOW), NOW)  # updated
    with pytest.raises(ReminderLimitError):
        await ledger.upsert(new_reminder(7, session("k3"), 15, NOW), NOW)
    assert await ledger.upsert(new_reminder(8, session("k3"), 15, NOW), NOW)  # another user
    mine = await ledger.for_user(7)
    assert [r.session_key for r in mine] == ["k0", "k1", "k2"]
    assert mine[0].minutes_before == 30


async def test_claim_once_and_follow_a_move(store: Store) -> None:
    ledger = ReminderLedger(store)
    await ledger.upsert(reminder(15), NOW)
    due = START - timedelta(minutes=15)
    assert [r.user_id for r in await ledger.due(due)] == [42]
    assert await ledger.claim(42, session().key, due)
    assert not await ledger.claim(42, session().key, due)  # never twice
    assert await ledger.due(due) == []
    await ledger.mark(42, session().key, "sent", due)
    later = START + timedelta(days=1)
    assert await ledger.follow(session().key, later, later + timedelta(hours=1), NOW) == 1
    (moved,) = await ledger.for_user(42)
    assert moved.status == "scheduled" and moved.due_at == later - timedelta(minutes=15)
    assert await ledger.follow(session().key, later, later + timedelta(hours=1), NOW) == 0


async def test_calendar_text_for_names_no_session_in_an_empty_database(tmp_path: Path) -> None:
    from bot.catalog import Catalog

    catalog = await Catalog.open(tmp_path / "c.db", tmp_path)
    try:
        text, notes = await calendar_text_for(catalog, "nothing here", NOW)
    finally:
        await catalog.close()
    assert text == "" and notes == ["no session matches 'nothing here'"]


def test_python_m_bot_calendar_prints_the_sessions(
    tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("SEEDS_DIR", str(seeds))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["calendar", "Open Forum #5", "--db", str(tmp_path / "cli.db")]) == 0
    (event,) = Calendar.from_ical(capsys.readouterr().out).walk("VEVENT")
    assert str(event["UID"]) == "igf-2021-open-forum-5@igf-forum-bot"
    assert str(event["LOCATION"]) == "Ballroom B"
    assert main(["calendar", "open forum", "--db", str(tmp_path / "cli.db")]) == 0
    assert len(Calendar.from_ical(capsys.readouterr().out).walk("VEVENT")) == 2  # a type: all
    assert main(["calendar", "2022", "--db", str(tmp_path / "cli.db")]) == 0
    (only,) = Calendar.from_ical(capsys.readouterr().out).walk("VEVENT")
    assert str(only["UID"]).startswith("igf-2022-open-forum-25")


def test_the_reminders_bench_runs_small(capsys: pytest.CaptureFixture) -> None:
    """The benchmark's own checks at a small size (it measures; this asserts no time)."""
    import json

    from bench.reminders import main

    assert main(["--n", "60", "--dm-sample", "5", "--pace-sample", "3", "--json"]) == 0
    numbers = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert numbers["sent"] == 60 and numbers["in_due_order"] and numbers["each_once"]
    assert numbers["dm_sent"] == numbers["dm_messages"] == 5
