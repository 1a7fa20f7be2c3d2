"""Loads that would lose the archive are refused; degraded updates and copies are reported."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.catalog import Catalog, ChoiceValue, Filters
from bot.preflight import SeedsError
from bot.store import Duplicate
from tests.helpers import ROOT

OF5_FILE = "000_2d8a54ebfe520b7f.txt"
OF5_KEY = "igf-2021-open-forum-5"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def add_numbered(seeds: Path, prefix: str, first: int, count: int) -> str:
    """`count` more Open Forums (#first upward) as prefix0.txt, …; returns the model text."""
    text = (seeds / OF5_FILE).read_text()
    for n in range(count):
        (seeds / f"{prefix}{n}.txt").write_text(
            text.replace("Open Forum #5", f"Open Forum #{first + n}")
        )
    return text


async def sessions(catalog: Catalog) -> int:
    return (await catalog.counts()).sessions


@pytest.mark.parametrize("kind", ["missing", "file"])
async def test_a_missing_or_file_seeds_path_is_an_error_and_keeps_the_archive(
    catalog: Catalog, seeds: Path, kind: str
) -> None:
    shutil.rmtree(seeds)
    if kind == "file":
        seeds.write_text("not a folder")
    with pytest.raises(SeedsError, match=r"seeds directory .* SEEDS_DIR") as raised:
        await catalog.reload(prune=True)
    assert "\n" not in str(raised.value)
    assert await sessions(catalog) == 2


async def test_an_empty_seeds_directory_is_refused_unless_pruning(
    catalog: Catalog, seeds: Path
) -> None:
    for path in seeds.iterdir():
        path.unlink()
    report = await catalog.reload()
    assert report.refused == "would remove 2 of 2 sessions (seeds/ has no documents)"
    assert report.would_remove == 2 and not report.ok
    assert report.lines() == [
        "refused: would remove 2 of 2 sessions (seeds/ has no documents); nothing was changed "
        "(load --prune to apply it)"
    ]
    assert await sessions(catalog) == 2
    assert (await catalog.find_session("Open Forum #5")).best is not None
    pruned = await catalog.reload(prune=True)
    assert (pruned.refused, len(pruned.removed)) == (None, 2)
    assert await sessions(catalog) == 0


async def test_removing_more_than_half_is_refused_but_half_is_not(
    tmp_path: Path, seeds: Path
) -> None:
    text = add_numbered(seeds, "extra", 90, 2)
    async with await Catalog.open(tmp_path / "other.db", seeds) as catalog:
        await catalog.reload()
        (seeds / "extra0.txt").unlink()
        (seeds / "extra1.txt").unlink()
        assert len((await catalog.reload()).removed) == 2  # 2 of 4: allowed
        (seeds / OF5_FILE).unlink()
        (seeds / "001_f0b5d1bb55f3a80c.txt").unlink()
        (seeds / "new.txt").write_text(text.replace("Open Forum #5", "Open Forum #99"))
        report = await catalog.reload()
        assert report.refused == "would remove 2 of 2 sessions" and report.would_remove == 2
        assert await sessions(catalog) == 2


@pytest.mark.parametrize("cut", ["200 bytes", "half"])
async def test_a_truncated_update_keeps_the_previous_version_unless_forced(
    catalog: Catalog, seeds: Path, cut: str
) -> None:
    path = seeds / "001_f0b5d1bb55f3a80c.txt"
    data = path.read_bytes()
    path.write_bytes(data[:200] if cut == "200 bytes" else data[: len(data) // 2])
    key = "igf-2022-open-forum-25"
    before = await catalog.session_record(key)
    assert before is not None and before.key_takeaways
    report = await catalog.reload()
    (line,) = [line for line in report.lines() if line.startswith("!")]
    assert line.startswith(f"! {path.name}: suspicious: lost ")
    assert ("2 key takeaways" if cut == "200 bytes" else "most of its report") in line
    assert line.endswith("; previous version kept (load --force to accept)")
    assert not report.updated and not report.ok
    assert await catalog.session_record(key) == before
    forced = await catalog.reload(force=True)
    assert [c.source_file for c in forced.updated] == [path.name]
    after = await catalog.session_record(key)
    assert after is not None and after != before and after.title == before.title


async def test_an_update_that_keeps_what_it_had_is_not_suspicious(
    catalog: Catalog, seeds: Path
) -> None:
    path = seeds / OF5_FILE
    path.write_text(path.read_text().replace("Ballroom B", "Ballroom C"))
    report = await catalog.reload()
    assert report.ok and [c.source_file for c in report.updated] == [OF5_FILE]


async def test_two_files_of_one_session_load_as_one_and_the_poorer_is_reported(
    tmp_path: Path, seeds: Path
) -> None:
    text = (seeds / OF5_FILE).read_text()
    (seeds / "copy_of_of5.txt").write_text(text)  # an exact copy under another name
    (seeds / "short_of5.txt").write_text(text[:1500])  # the same session, less of it
    async with await Catalog.open(tmp_path / "other.db", seeds) as catalog:
        report = await catalog.reload()
        assert await sessions(catalog) == 2
        assert sorted(report.duplicates, key=lambda d: d.file) == [
            Duplicate("copy_of_of5.txt", OF5_FILE, OF5_KEY),
            Duplicate("short_of5.txt", OF5_FILE, OF5_KEY),
        ]
        assert (
            f"= short_of5.txt: same session as {OF5_FILE} ({OF5_KEY}); {OF5_FILE} kept"
            in report.lines()
        )
        assert [s.key for s in await catalog.browse(Filters())].count(OF5_KEY) == 1


async def test_importing_a_loaded_document_again_creates_no_session(
    catalog: Catalog, seeds: Path
) -> None:
    text = (seeds / OF5_FILE).read_text()
    name, existed, report = await catalog.add_document(text)
    assert (name, existed) == (OF5_FILE, True)
    assert not report.added and await sessions(catalog) == 2
    assert not (set(p.name for p in seeds.iterdir()) - {OF5_FILE, "001_f0b5d1bb55f3a80c.txt"})
    # The same session in a poorer page: saved, but reported as a copy, not a new session.
    name, existed, report = await catalog.add_document(text[:1500])
    assert not existed and not report.added
    assert report.duplicates == [Duplicate(name, OF5_FILE, OF5_KEY)]
    assert await sessions(catalog) == 2


async def test_a_query_during_a_reload_sees_the_old_catalogue_or_the_new_one(
    tmp_path: Path, seeds: Path
) -> None:
    add_numbered(seeds, "of", 100, 40)
    async with await Catalog.open(tmp_path / "other.db", seeds) as catalog:
        await catalog.reload()
        for n in range(20):
            (seeds / f"of{n}.txt").unlink()
        gone = [f"igf-2021-open-forum-{100 + n}" for n in range(20)]
        reload = asyncio.create_task(catalog.reload())
        mixed = 0
        while not reload.done():
            stored = {s.key for s in await catalog.browse(Filters())}  # SQL, then the indexes
            indexed = [catalog.decode_choice(ChoiceValue("session", k).encode()) for k in gone]
            mixed += any(key not in stored for key in gone) and any(indexed)
        assert len((await reload).removed) == 20
        assert mixed == 0  # never rows of the new catalogue with indexes of the old
