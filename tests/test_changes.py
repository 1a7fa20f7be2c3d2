"""Schedule changes: the pure diff, the notice plan and lines, the durable batches, and the
change lines of the load report - on a real database, no Discord."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import render
from bot.catalog import Catalog
from bot.changes.diff import ChangeSet, SessionFacts, diff
from bot.changes.plan import plan_notice
from bot.changes.render import render_notice
from bot.changes.text import describe

T0 = datetime(2030, 11, 10, 9, 0, tzinfo=UTC)
OF5_FILE = "000_2d8a54ebfe520b7f.txt"


def facts(
    key: str, hour: int = 9, room: str | None = "Ballroom B", title: str = "AI"
) -> SessionFacts:
    start = T0.replace(hour=hour)
    return SessionFacts(
        key, title, "Open Forum #5", "IGF 2030", start, start + timedelta(hours=1), room
    )


def test_diff_finds_added_removed_and_the_fields_that_changed() -> None:
    before = {"a": facts("a"), "b": facts("b", 10), "c": facts("c", 11)}
    after = {
        "a": facts("a", room="Room 3"),
        "b": facts("b", 10),
        "d": facts("d", 12),
        "c": facts("c", 13, title="AI and rules"),
    }
    changes = diff(before, after)
    assert [(c.kind, c.key) for c in changes.changes] == [
        ("updated", "a"),  # in start order: 09:00
        ("added", "d"),  # 12:00
        ("updated", "c"),  # moved to 13:00
    ]
    assert changes.for_key("a").fields == ("room",)
    assert changes.for_key("c").fields == ("time", "title")
    assert changes.for_key("b") is None  # unchanged
    removed = diff(before, {k: v for k, v in before.items() if k != "b"})
    assert [(c.kind, c.key) for c in removed.changes] == [("removed", "b")]
    assert not diff(before, dict(before))


def test_a_change_set_survives_json() -> None:
    changes = diff({"a": facts("a"), "b": facts("b")}, {"a": facts("a", 14), "c": facts("c")})
    assert ChangeSet.loads(changes.dumps()) == changes


def test_change_lines_say_what_changed() -> None:
    (change,) = diff({"a": facts("a")}, {"a": facts("a", 10, room="Room 3")}).changes
    assert describe(change) == (
        "Time: 2030-11-10 09:00–10:00 UTC → 2030-11-10 10:00–11:00 UTC; Room: Ballroom B → Room 3"
    )


def test_the_notice_keeps_sessions_not_yet_ended_grouped_by_local_day() -> None:
    before = {"past": facts("past", 8), "late": facts("late", 23), "gone": facts("gone", 12)}
    after = {"past": facts("past", 8, room="Room 9"), "late": facts("late", 23, room="Room 3")}
    now = T0.replace(hour=10)  # "past" ended at 09:00
    tokyo = plan_notice(diff(before, after), now, ZoneInfo("Asia/Tokyo"))
    assert [(d.day.isoformat(), [c.key for c in d.changes]) for d in tokyo.days] == [
        ("2030-11-10", ["gone"]),  # 21:00 Tokyo
        ("2030-11-11", ["late"]),  # 08:00 Tokyo the next day
    ]
    embed = render_notice(tokyo)
    assert "Room: Ballroom B → Room 3" in embed.description
    assert "cancelled" in embed.description and "past" not in embed.description
    assert not plan_notice(diff(before, after), T0.replace(day=12), ZoneInfo("UTC"))


def test_a_long_notice_stays_within_discord_limits_and_counts_the_rest() -> None:
    before = {f"k{i}": facts(f"k{i}", title="T" * 200) for i in range(300)}
    after = {k: facts(k, room="Room 3", title="T" * 200) for k in before}
    embed = render_notice(plan_notice(diff(before, after), T0 - timedelta(days=1), ZoneInfo("UTC")))
    assert len(embed.description) <= render.DESCRIPTION_LIMIT
    assert render.embed_size(embed) <= render.EMBED_TOTAL_LIMIT
    assert "more changes" in embed.description


async def test_a_reload_stores_one_batch_and_reports_the_changes(
    tmp_path: Path, seeds: Path
) -> None:
    catalog = await Catalog.open(tmp_path / "igf.db", seeds)
    try:
        first = await catalog.reload()
        assert first.changes is not None  # the first import is never a batch
        assert await catalog.changes.batches_after(0) == []
        text = (seeds / OF5_FILE).read_text()
        (seeds / OF5_FILE).write_text(text.replace("Ballroom B", "Room 3"))
        report = await catalog.reload()
        assert "  IGF 2021 Open Forum #5: Room: Ballroom B → Room 3" in report.lines()
        (batch,) = await catalog.changes.batches_after(0)
        assert [(c.kind, c.fields) for c in batch.changes.changes] == [("updated", ("room",))]
        again = await catalog.reload()  # nothing changed: no batch
        assert again.changes is None and len(await catalog.changes.batches_after(0)) == 1
    finally:
        await catalog.close()
    reopened = await Catalog.open(tmp_path / "igf.db", seeds)  # a restart: the batch is kept
    try:
        await reopened.reload()
        assert len(await reopened.changes.batches_after(0)) == 1
    finally:
        await reopened.close()
