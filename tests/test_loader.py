"""The loader: hash-based reloads, rejected files, and parallel parsing of big batches."""

from __future__ import annotations

import functools
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from bot import loader
from bot.loader import Loader, _parse_all, parse_documents
from bot.store import PreparedSession, Store

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "000_2d8a54ebfe520b7f.txt").read_text()


def numbered(n: int) -> bytes:
    return SEED.replace("Open Forum #5", f"Open Forum #{1000 + n}").encode()


def test_parallel_parse_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(loader, "MAX_WORKERS", 2)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    files = {f"doc_{n:03}.txt": (numbered(n), f"hash{n}") for n in range(30)}
    files["broken.txt"] = (b"\x00binary", "hash")
    parallel = parse_documents(files)
    serial = _parse_all(files)

    def rows(parsed: dict[str, PreparedSession]) -> dict[str, PreparedSession]:
        # `now` is the wall clock at preparation, the one field that may differ
        return {name: replace(p, params=p.params | {"now": None}) for name, p in parsed.items()}

    assert rows(parallel[0]) == rows(serial[0])
    assert parallel[1] == serial[1]
    assert list(parallel[0]) == [name for name in files if name != "broken.txt"]
    assert parallel[0]["doc_007.txt"].title == serial[0]["doc_007.txt"].title != ""
    assert parallel[0]["doc_007.txt"].params["content_hash"] == "hash7"
    assert "binary" in parallel[1]["broken.txt"]


async def test_a_broken_worker_pool_falls_back_once_and_loads_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Real worker processes that die as they start: the pool breaks on its first batch.
    dying_pool = functools.partial(ProcessPoolExecutor, initializer=os._exit, initargs=(3,))
    monkeypatch.setattr(loader, "worker_pool", dying_pool)
    monkeypatch.setattr(loader, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(loader, "BATCH_SIZE", 5)
    monkeypatch.setattr(loader.os, "cpu_count", lambda: 2)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(30):
        (seeds / f"s{n:02}.txt").write_bytes(numbered(n))
    async with await Store.open(tmp_path / "db.sqlite") as store:
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            report = await Loader(store, seeds).load()
        assert (len(report.added), report.ok) == (30, True)
        assert (await store.counts()).sessions == 30
    warnings = [r for r in caplog.records if "parallel parsing unavailable" in r.message]
    assert len(warnings) == 1


async def test_only_changed_files_are_parsed_and_bad_edits_keep_the_old_version(
    tmp_path: Path,
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(3):
        (seeds / f"s{n}.txt").write_bytes(numbered(n))
    async with await Store.open(tmp_path / "db.sqlite") as store:
        load = Loader(store, seeds)
        first = await load.load()
        assert (len(first.added), first.parsed, first.ok) == (3, 3, True)
        again = await load.load()
        assert (again.parsed, again.unchanged, len(again.updated)) == (0, 3, 0)
        (seeds / "s1.txt").write_bytes(b"")
        bad = await load.load()
        assert bad.parsed == 1 and not bad.ok
        assert bad.rejected[0].kept_previous and "empty" in bad.rejected[0].reason
        assert "previous version kept" in "\n".join(bad.lines())
        assert len(await store.all_sessions()) == 3
        (seeds / "s2.txt").unlink()
        gone = await load.load()
        assert [c.source_file for c in gone.removed] == ["s2.txt"]


def test_unchanged_files_are_not_read_again_but_racy_ones_are(tmp_path: Path) -> None:
    import os

    seen: dict[str, loader._Seen] = {}
    path = tmp_path / "a.txt"
    path.write_bytes(numbered(1))
    old = 1_000_000_000_000_000_000  # long ago: outside the racy window
    os.utime(path, ns=(old, old))
    first = loader._hash_documents(tmp_path, seen)
    # Same size and mtime, different content: trusted from the cache (not re-read)...
    path.write_bytes(numbered(2))
    os.utime(path, ns=(old, old))
    assert loader._hash_documents(tmp_path, seen) == first
    # ...but a file hashed within the racy window is always read again.
    path.write_bytes(numbered(3))
    fresh = loader._hash_documents(tmp_path, seen)
    path.write_bytes(numbered(4))  # same size, maybe the same clock tick
    assert loader._hash_documents(tmp_path, seen) != fresh
    path.unlink()
    assert loader._hash_documents(tmp_path, seen) == {} and seen == {}
