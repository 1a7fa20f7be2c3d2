"""The scheduled-events planner, pure: creates soonest first within the room left, edits
of moved or renamed sessions, deletes of removed ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.events.plan import EventSpec, StoredEvent, plan_events
from bot.events.render import event_description, key_in
from bot.models import Session, Speaker

NOW = datetime(2030, 11, 10, 8, 0, tzinfo=UTC)


def spec(key: str, hours: float = 1, room: str = "Ballroom B", name: str = "") -> EventSpec:
    start = NOW + timedelta(hours=hours)
    return EventSpec(key, name or f"Open Forum #{key}", room, start, start + timedelta(hours=1))


def published(s: EventSpec, event_id: int = 1) -> StoredEvent:
    return StoredEvent(s.key, "published", event_id, s)


def test_creates_the_soonest_first_and_counts_the_rest() -> None:
    wanted = [spec(str(i), hours=10 - i) for i in range(5)]
    actions = plan_events(wanted, {}, [], NOW, free_slots=3)
    assert [s.key for s in actions.create] == ["4", "3", "2"]
    assert actions.left_out == 2


def test_publishing_again_creates_nothing() -> None:
    wanted = [spec("1"), spec("2", 2)]
    actions = plan_events(wanted, {}, [published(s) for s in wanted], NOW, free_slots=100)
    assert actions.is_empty and actions.left_out == 0


def test_a_failed_event_is_tried_again() -> None:
    wanted = [spec("1")]
    failed = StoredEvent("1", "failed", None, None, "400 50035")
    assert [s.key for s in plan_events(wanted, {}, [failed], NOW, 1).create] == ["1"]


def test_moved_and_renamed_sessions_are_edited_removed_ones_deleted() -> None:
    moved, renamed, gone = spec("m"), spec("r", 2), spec("g", 3)
    stored = [published(moved, 1), published(renamed, 2), published(gone, 3)]
    wanted = [spec("m", 5, room="Room 3"), spec("r", 2, name="New title")]
    actions = plan_events(wanted, {"g": None}, stored, NOW, free_slots=0)
    assert [(e.event_id, s.location, s.name) for e, s in actions.edit] == [
        (1, "Room 3", "Open Forum #m"),
        (2, "Ballroom B", "New title"),
    ]
    assert [e.event_id for e in actions.delete] == [3]


def test_a_session_moved_out_of_the_scope_is_edited_not_dropped() -> None:
    stored = [published(spec("m"))]
    actions = plan_events([], {"m": spec("m", 30)}, stored, NOW, free_slots=0)
    assert [s.starts_at for _, s in actions.edit] == [NOW + timedelta(hours=30)]


def test_started_events_are_left_to_discord_and_ended_ones_forgotten() -> None:
    running = published(spec("run", hours=-0.5))
    ended, ended_gone = published(spec("old", hours=-5)), published(spec("gone", hours=-5))
    moved = spec("run", hours=3)
    current = {"run": moved, "old": spec("old", hours=-5), "gone": None}
    actions = plan_events([], current, [running, ended, ended_gone], NOW, 0)
    assert not actions.edit and not actions.delete
    assert [e.key for e in actions.forget] == ["gone", "old"]


def test_deleting_a_live_event_makes_room_for_a_create() -> None:
    gone = published(spec("g"))
    actions = plan_events([spec("new", 2)], {"g": None}, [gone], NOW, free_slots=0)
    assert [e.key for e in actions.delete] == ["g"] and [s.key for s in actions.create] == ["new"]


def test_the_description_fits_and_carries_the_session_key() -> None:
    record = Session(
        heading="h",
        title="t",
        speakers=[Speaker(f"Speaker number {i}") for i in range(200)],
        source_url="https://www.intgovforum.org/en/content/igf-2030-of-5",
    )
    text = event_description("igf-2030-open-forum-5", record)
    assert len(text) <= 1000
    assert text.startswith("Speakers: Speaker number 0, ")
    assert "https://www.intgovforum.org/en/content/igf-2030-of-5" in text
    assert key_in(text) == "igf-2030-open-forum-5"
    assert key_in("made by someone else") is None
