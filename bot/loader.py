"""Load the documents of a directory into the store, re-parsing only what changed.

One load is one transaction. A file that no longer parses keeps its previous version in the
database and is reported, so a bad edit never deletes a session; so does an update that lost
most of what its previous version had (`losses`), unless the load is forced. A missing seeds
directory is an error, and a load that would remove all sessions or more than half of them
applies nothing unless asked to prune: a wrong SEEDS_DIR must not empty the archive.

A cold load of thousands of files streams: files are read and parsed a batch at a time (on
every core when there are many) while SQLite writes the previous batch, so memory holds one
batch, not the archive.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import aiosqlite

from bot.changes.text import report_line
from bot.models import FileChange
from bot.offload import worker_pool
from bot.parser import ParseError, parse_document
from bot.preflight import check_seeds
from bot.store import Duplicate, PreparedSession, Profile, Quality, Store, prepare_session

if TYPE_CHECKING:
    from bot.changes.diff import ChangeSet

log = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".txt",)
BATCH_SIZE = 500
# Below this many changed files one process parses faster than starting workers.
PARALLEL_THRESHOLD = 400
MAX_WORKERS = 4
# Batches parsed ahead of the one being written, so that the workers never wait for SQLite.
PREFETCH = 2

# name -> the parsed session made into rows; name -> why it was rejected
Parsed = tuple[dict[str, PreparedSession], dict[str, str]]
# name -> (content, content hash)
Files = dict[str, tuple[bytes, str]]
BeforeCommit = Callable[[aiosqlite.Connection], Awaitable[None]] | None


@dataclass(frozen=True, slots=True)
class Rejected:
    file: str
    reason: str
    kept_previous: bool = False
    suspicious: bool = False  # parsed, but lost most of its previous version (`losses`)

    def line(self) -> str:
        if self.suspicious:
            return (
                f"! {self.file}: suspicious: {self.reason}; previous version kept "
                "(load --force to accept)"
            )
        kept = " (previous version kept)" if self.kept_previous else ""
        return f"! {self.file}: {self.reason}{kept}"


@dataclass(slots=True)
class LoadReport:
    """What a load did, for `/reload`, `python -m bot load` and the logs."""

    added: list[FileChange] = field(default_factory=list)
    updated: list[FileChange] = field(default_factory=list)
    removed: list[FileChange] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    unchanged: int = 0
    parsed: int = 0
    changes: ChangeSet | None = None  # the schedule changes (set by Catalog.reload)
    # A load refused before it changed anything: why (one line), and how many sessions it
    # would have removed. `Catalog.reload(prune=True)` applies it anyway.
    refused: str | None = None
    would_remove: int = 0
    quality: Quality | None = None  # what the stored sessions lack, after the load
    warnings: dict[str, list[str]] = field(default_factory=dict)  # file -> `Parsed.warnings`

    @property
    def ok(self) -> bool:
        return not self.rejected and self.refused is None

    def lines(self, *, verbose: bool = False) -> list[str]:
        """The report, one line each: counts, each file's change or rejection, then the quality
        summary; `verbose` adds the parse warnings of each page parsed."""
        if self.refused is not None:
            return [f"refused: {self.refused}; nothing was changed (load --prune to apply it)"]
        out = [
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"removed {len(self.removed)}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)}, duplicates {len(self.duplicates)}"
        ]
        out += [f"+ {c.source_file}: {c.title}" for c in self.added]
        for c in self.updated:
            out.append(f"~ {c.source_file}: {c.title}")
            change = self.changes.for_key(c.key) if self.changes else None
            if change is not None and change.kind == "updated":
                out.append(report_line(change))
        out += [f"- {c.source_file}: {c.title}" for c in self.removed]
        out += [
            f"= {d.file}: same session as {d.kept} ({d.key}); {d.kept} kept"
            for d in self.duplicates
        ]
        out += [r.line() for r in self.rejected]
        if verbose:
            for name, warnings in sorted(self.warnings.items()):
                out += [f"? {name}: {warning}" for warning in warnings]
        return out + self.summary()

    def summary(self) -> list[str]:
        """The quality summary: what the stored sessions lack, and the rejections by reason."""
        out = [self.quality.line()] if self.quality is not None else []
        reasons = collections.Counter(
            "suspicious update" if r.suspicious else r.reason for r in self.rejected
        )
        if reasons:
            ordered = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
            counted = (f"{reason} ({n})" for reason, n in ordered)
            out.append("rejected by reason: " + "; ".join(counted))
        return out


def losses(old: Profile, new: Profile) -> list[str]:
    """What an update lost of its previous version, if that makes it suspicious: key
    takeaways or calls to action that existed and are gone; under half the people, the
    report or the whole text (a truncated or half-saved page: cut at half its bytes, a
    page keeps over half its text but its report, last, loses most of its own)."""
    lost: list[str] = []
    if old.takeaways and not new.takeaways:
        lost.append(f"{old.takeaways} key takeaways")
    if old.calls_to_action and not new.calls_to_action:
        lost.append(f"{old.calls_to_action} calls to action")
    if new.report * 2 < old.report:
        lost.append("report" if not new.report else "most of its report")
    if new.people * 2 < old.people:
        lost.append(f"{old.people - new.people} of {old.people} people")
    if new.text * 2 < old.text:
        lost.append(f"most of its text ({new.text:,} of {old.text:,} characters)")
    return lost


def refusal(directory: Path, stored: int, removals: int, documents: int) -> str | None:
    """Why a load that removes `removals` of `stored` sessions must be asked for: all of
    them, or more than half."""
    if not removals or (removals * 2 <= stored and removals < stored):
        return None
    empty = f" ({directory.name}/ has no documents)" if not documents else ""
    return f"would remove {removals} of {stored} sessions{empty}"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _document_entries(directory: Path, prefix: str = "") -> list[tuple[str, os.DirEntry[str]]]:
    """(name, entry) of the document files, by name. os.scandir, not pathlib: at 10,000 files
    pathlib's sorting and second stat per file were most of a one-file reload."""
    if not directory.is_dir():
        return []
    with os.scandir(directory) as entries:
        documents = [
            (prefix + entry.name, entry)
            for entry in entries
            if entry.name.lower().endswith(DOCUMENT_SUFFIXES) and entry.is_file()
        ]
    return sorted(documents, key=lambda pair: pair[0])


# Pages fetched by bot.sources (issue #17) are kept in fetched/<host>/: one level per host.
FETCHED_DIR = "fetched"


def _fetched_entries(directory: Path) -> list[tuple[str, os.DirEntry[str]]]:
    root = directory / FETCHED_DIR
    if not root.is_dir():
        return []
    with os.scandir(root) as hosts:
        folders = sorted(h.name for h in hosts if h.is_dir(follow_symlinks=False))
    return [
        pair
        for host in folders
        for pair in _document_entries(root / host, f"{FETCHED_DIR}/{host}/")
    ]


@dataclass(frozen=True, slots=True)
class _Seen:
    size: int
    mtime_ns: int
    digest: str
    hashed_at_ns: int


# File timestamps advance in clock ticks, so a same-size rewrite within one tick keeps its
# mtime. Like git's "racily clean" rule, a cached hash is trusted only for files whose mtime
# was already this far in the past when they were hashed.
RACY_WINDOW_NS = 2_000_000_000


def _hash_documents(directory: Path, seen: dict[str, _Seen]) -> dict[str, str]:
    """name -> content hash; files unchanged since the last load (by size and mtime, outside
    the racy window) are not read again. Updates `seen`."""
    hashes: dict[str, str] = {}
    for name, entry in _document_entries(directory) + _fetched_entries(directory):
        stat = entry.stat()
        old = seen.get(name)
        if (
            old is not None
            and (old.size, old.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
            and old.hashed_at_ns - stat.st_mtime_ns > RACY_WINDOW_NS
        ):
            hashes[name] = old.digest
            continue
        now = time.time_ns()
        with open(entry.path, "rb") as file:
            digest = content_hash(file.read())
        seen[name] = _Seen(stat.st_size, stat.st_mtime_ns, digest, now)
        hashes[name] = digest
    for gone in set(seen) - set(hashes):
        del seen[gone]
    return hashes


def _read(
    directory: Path, names: list[str], hashes: dict[str, str]
) -> tuple[Files, dict[str, str]]:
    files: Files = {}
    missing: dict[str, str] = {}
    for name in names:
        try:
            files[name] = ((directory / name).read_bytes(), hashes[name])
        except OSError as exc:  # removed or unreadable since it was hashed
            missing[name] = f"cannot read the file ({exc.strerror or exc})"
    return files, missing


def _parse_all(files: Files) -> Parsed:
    """Parse and make rows: in a worker process, both run beside the main process's writes."""
    parsed: dict[str, PreparedSession] = {}
    failed: dict[str, str] = {}
    for name, (data, digest) in files.items():
        try:
            page = parse_document(data, name)
            parsed[name] = prepare_session(
                name, digest, page.session, page.organizer_people, page.warnings
            )
        except ParseError as exc:
            failed[name] = exc.reason
        except Exception as exc:  # a parser bug must not stop the other files loading
            log.exception("parser failed on %s", name)
            failed[name] = f"parser error ({type(exc).__name__}); the file was not loaded"
    return parsed, failed


def _parse_with(pool: Executor | None, workers: int, files: Files) -> Parsed:
    if pool is None or workers < 2:
        return _parse_all(files)
    items = list(files.items())
    chunks = [dict(items[i::workers]) for i in range(workers)]
    parsed: dict[str, PreparedSession] = {}
    failed: dict[str, str] = {}
    for chunk_parsed, chunk_failed in pool.map(_parse_all, chunks):
        parsed.update(chunk_parsed)
        failed.update(chunk_failed)
    order = {name: i for i, name in enumerate(files)}
    return dict(sorted(parsed.items(), key=lambda kv: order[kv[0]])), failed


@contextlib.contextmanager
def _worker_pool(changed: int) -> Iterator[tuple[Executor | None, int]]:
    """Worker processes for a big load; none for a small one or where they cannot start."""
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    if changed < PARALLEL_THRESHOLD or workers < 2:
        yield None, 1
        return
    # Workers die with this process: a kill -9 of a load must not leave them parsing.
    pool = worker_pool(workers)
    try:
        yield pool, workers
    finally:
        pool.shutdown(cancel_futures=True)


class _Parsers:
    """Where one load's batches are parsed: in the worker processes while they work, else
    here. Batches are parsed from several threads at once (see `Loader._batches`)."""

    def __init__(self, pool: Executor | None, workers: int):
        self.pool = pool
        self.workers = workers

    def parse(self, files: Files) -> Parsed:
        pool = self.pool
        try:
            return _parse_with(pool, self.workers, files)
        except (OSError, RuntimeError, BrokenProcessPool) as exc:
            if pool is None:
                raise
            # e.g. a script without an `if __name__ == "__main__":` guard. A broken pool
            # stays broken: the rest of the load parses here, and it is said once.
            if self.pool is pool:
                self.pool = None
                log.warning("parallel parsing unavailable (%s); parsing in one process", exc)
        return _parse_with(None, 1, files)


def parse_documents(files: Files) -> Parsed:
    """Parse many files, on every core when there are enough of them."""
    with _worker_pool(len(files)) as (pool, workers):
        return _Parsers(pool, workers).parse(files)


class Loader:
    """Loads one directory into one store; loads are serialised."""

    def __init__(self, store: Store, directory: Path):
        self.store = store
        self.directory = directory
        self._lock = asyncio.Lock()
        self._seen: dict[str, _Seen] = {}

    async def load(
        self, *, prune: bool = False, force: bool = False, before_commit: BeforeCommit = None
    ) -> LoadReport:
        """Load what changed. `SeedsError` if the directory is missing; a load removing
        all or most sessions is refused (nothing applied) unless `prune`; an update that
        lost most of its previous version is kept out unless `force`. `before_commit`: see
        `Store.apply_batches` (not called for a refused load)."""
        async with self._lock:
            check_seeds(self.directory)
            return await self._load(prune, force, before_commit)

    async def _load(self, prune: bool, force: bool, before_commit: BeforeCommit) -> LoadReport:
        hashes = await asyncio.to_thread(_hash_documents, self.directory, self._seen)
        known = await self.store.file_hashes()
        changed = [name for name, digest in hashes.items() if known.get(name) != digest]
        removals = [name for name in known if name not in hashes]
        refused = refusal(self.directory, len(known), len(removals), len(hashes))
        if refused is not None and not prune:
            log.warning("load %s refused: %s", self.directory, refused)
            return LoadReport(refused=refused, would_remove=len(removals))
        previous = {} if force else await self.store.profiles([n for n in changed if n in known])
        failed: dict[str, str] = {}
        suspicious: dict[str, str] = {}
        guard = _Guard(previous, suspicious)
        batches = self._batches(changed, hashes, failed, guard)
        quality: list[Quality] = []

        async def measure(conn: aiosqlite.Connection) -> None:
            quality.append(await self.store.quality(conn))
            if before_commit is not None:
                await before_commit(conn)

        result = await self.store.apply_batches(batches, removals, measure)
        report = LoadReport(
            added=list(result.added),
            updated=list(result.updated),
            removed=list(result.removed),
            rejected=[Rejected(name, reason, name in known) for name, reason in failed.items()]
            + [
                Rejected(name, reason, True, suspicious=True) for name, reason in suspicious.items()
            ],
            duplicates=list(result.duplicates),
            unchanged=len(hashes) - len(changed),
            parsed=len(changed),
            quality=quality[0] if quality else None,
            warnings=guard.warnings,
        )
        for line in report.lines():
            log.info("load %s: %s", self.directory, line)
        return report

    async def _batches(
        self, names: list[str], hashes: dict[str, str], failed: dict[str, str], guard: _Guard
    ) -> AsyncIterator[list[PreparedSession]]:
        """Parsed batches of `names`; the workers stay PREFETCH batches ahead of the store."""
        chunks = [names[i : i + BATCH_SIZE] for i in range(0, len(names), BATCH_SIZE)]
        with _worker_pool(len(names)) as (pool, workers):
            parsers = _Parsers(pool, workers)

            def parse(chunk: list[str]) -> Parsed:
                files, missing = _read(self.directory, chunk, hashes)
                failed.update(missing)
                return parsers.parse(files)

            pending: collections.deque[asyncio.Future[Parsed]] = collections.deque()
            for chunk in chunks:
                pending.append(asyncio.ensure_future(asyncio.to_thread(parse, chunk)))
                if len(pending) > PREFETCH:
                    yield guard.keep(await self._next_batch(pending, failed))
            while pending:
                yield guard.keep(await self._next_batch(pending, failed))

    @staticmethod
    async def _next_batch(
        pending: collections.deque[asyncio.Future[Parsed]], failed: dict[str, str]
    ) -> list[PreparedSession]:
        parsed, chunk_failed = await pending.popleft()
        failed.update(chunk_failed)
        return list(parsed.values())


@dataclass(slots=True)
class _Guard:
    """Keeps updates that lost most of their previous version out of a load; notes the
    parse warnings of every page on the way."""

    previous: dict[str, Profile]  # source file -> its stored version's profile
    suspicious: dict[str, str]  # source file -> what it lost
    warnings: dict[str, list[str]] = field(default_factory=dict)  # of every page it saw

    def keep(self, batch: list[PreparedSession]) -> list[PreparedSession]:
        kept: list[PreparedSession] = []
        for prepared in batch:
            if prepared.warnings:
                self.warnings[prepared.source_file] = prepared.warnings
            old = self.previous.get(prepared.source_file)
            lost = losses(old, prepared.profile) if old is not None else []
            if lost:
                self.suspicious[prepared.source_file] = "lost " + ", ".join(lost)
            else:
                kept.append(prepared)
        return kept
