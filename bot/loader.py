"""Load the documents of a directory into the store, re-parsing only what changed.

One load is one transaction. A file that no longer parses keeps its previous version in the
database and is reported, so a bad edit never deletes a session.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from bot.models import Session
from bot.parser import ParseError, parse_bytes
from bot.store import FileChange, Store

log = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".txt",)
# Below this many changed files one process parses faster than starting workers.
PARALLEL_THRESHOLD = 400
MAX_WORKERS = 4


@dataclass(frozen=True, slots=True)
class Rejected:
    file: str
    reason: str
    kept_previous: bool = False


@dataclass(slots=True)
class LoadReport:
    """What a load did, for `/reload`, `python -m bot load` and the logs."""

    added: list[FileChange] = field(default_factory=list)
    updated: list[FileChange] = field(default_factory=list)
    removed: list[FileChange] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    unchanged: int = 0
    parsed: int = 0

    @property
    def ok(self) -> bool:
        return not self.rejected

    def lines(self) -> list[str]:
        out = [
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"removed {len(self.removed)}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)}"
        ]
        out += [f"+ {c.source_file}: {c.title}" for c in self.added]
        out += [f"~ {c.source_file}: {c.title}" for c in self.updated]
        out += [f"- {c.source_file}: {c.title}" for c in self.removed]
        for r in self.rejected:
            kept = " (previous version kept)" if r.kept_previous else ""
            out.append(f"! {r.file}: {r.reason}{kept}")
        return out


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_documents(directory: Path) -> dict[str, bytes]:
    if not directory.is_dir():
        return {}
    return {
        path.name: path.read_bytes()
        for path in sorted(directory.iterdir())
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES
    }


def _parse_all(files: dict[str, bytes]) -> tuple[dict[str, Session], dict[str, str]]:
    parsed: dict[str, Session] = {}
    failed: dict[str, str] = {}
    for name, data in files.items():
        try:
            parsed[name] = parse_bytes(data, name)
        except ParseError as exc:
            failed[name] = exc.reason
        except Exception as exc:  # a parser bug must not stop the other files loading
            log.exception("parser failed on %s", name)
            failed[name] = f"parser error ({type(exc).__name__}); the file was not loaded"
    return parsed, failed


def parse_documents(files: dict[str, bytes]) -> tuple[dict[str, Session], dict[str, str]]:
    """Parse many files, on every core when there are enough of them (a cold load)."""
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    if len(files) < PARALLEL_THRESHOLD or workers < 2:
        return _parse_all(files)
    items = list(files.items())
    chunks = [dict(items[i::workers]) for i in range(workers)]
    # spawn, not fork: the caller runs an event loop and aiosqlite threads.
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = list(pool.map(_parse_all, chunks))
    except (OSError, RuntimeError, BrokenProcessPool) as exc:
        # e.g. a script without an `if __name__ == "__main__":` guard: parse here instead.
        log.warning("parallel parsing unavailable (%s); parsing in one process", exc)
        return _parse_all(files)
    parsed: dict[str, Session] = {}
    failed: dict[str, str] = {}
    for chunk_parsed, chunk_failed in results:
        parsed.update(chunk_parsed)
        failed.update(chunk_failed)
    order = {name: i for i, name in enumerate(files)}
    return dict(sorted(parsed.items(), key=lambda kv: order[kv[0]])), failed


class Loader:
    """Loads one directory into one store; loads are serialised."""

    def __init__(self, store: Store, directory: Path):
        self.store = store
        self.directory = directory
        self._lock = asyncio.Lock()

    async def load(self) -> LoadReport:
        async with self._lock:
            return await self._load()

    async def _load(self) -> LoadReport:
        files = await asyncio.to_thread(_read_documents, self.directory)
        known = await self.store.file_hashes()
        hashes = {name: content_hash(data) for name, data in files.items()}
        changed = {name: data for name, data in files.items() if known.get(name) != hashes[name]}
        parsed, failed = await asyncio.to_thread(parse_documents, changed)
        upserts = [(name, hashes[name], session) for name, session in parsed.items()]
        removals = [name for name in known if name not in files]
        result = await self.store.apply(upserts, removals)
        report = LoadReport(
            added=list(result.added),
            updated=list(result.updated),
            removed=list(result.removed),
            rejected=[Rejected(name, reason, name in known) for name, reason in failed.items()],
            unchanged=len(files) - len(changed),
            parsed=len(changed),
        )
        for line in report.lines():
            log.info("load %s: %s", self.directory, line)
        return report
