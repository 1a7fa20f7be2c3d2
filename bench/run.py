"""Benchmark of igf-forum-bot at archive scale (issue #6).

    python bench/run.py [--n N] [--json] [--seed S] [--queries Q] [--profile] [--keep]

Generates a deterministic synthetic corpus of N session pages (bench/corpus.py) in a temporary
directory and measures, next to the naive way of doing the same thing:

* cold load (parse + store) at N, and at 1,000 too when N >= 10,000: seconds, documents per
  second, peak RSS. Each cold load runs in a fresh child process that does what the bot does
  at start (load the directory, build the fuzzy indexes, render a card), so its peak RSS is
  the bot's and not the benchmark's;
* reload with one changed file (the loader's hash-and-reparse-what-changed path), against a
  full re-parse (parse every file + apply all);
* autocomplete latency for sessions and people (`bot.fuzzy`), p50/p99 over Q prefixes of 1-12
  characters with typos, against `rapidfuzz.process.extract(q, raw, scorer=fuzz.WRatio,
  limit=25)` over the raw titles/names;
* `/search` latency (`Store.search`), p50/p99 over a few hundred queries;
* session-card rendering time (`bot.render.session_card`).

It is a benchmark, not a test: nothing here asserts on time. Targets are printed beside the
numbers. With --json the last line of output is one JSON object. --profile prints cProfile
top entries (to stderr) for the cold load, the one-file reload and autocomplete.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import inspect
import io
import json
import math
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from bench.corpus import DEFAULT_SEED, write_corpus  # noqa: E402
from bench.queries import autocomplete_queries, search_queries  # noqa: E402
from bot.parser import ParseError, parse_bytes  # noqa: E402
from bot.store import Store  # noqa: E402

SMALL_N = 1000
SEARCH_QUERIES = 300
CARDS = 200
RELOAD_REPEATS = 5
CHECK_SAMPLE = 200

# Targets at N = 10,000 on a 2-core machine (issue #6): (key, limit, unit, description).
TARGETS: tuple[tuple[str, float, str, str], ...] = (
    ("cold_load_s", 10.0, "s", "cold load"),
    ("reload_one_s", 0.5, "s", "one-file reload"),
    ("session_ac_p99_ms", 10.0, "ms", "session autocomplete p99"),
    ("person_ac_p99_ms", 10.0, "ms", "person autocomplete p99"),
    ("search_p99_ms", 20.0, "ms", "search p99"),
    ("peak_rss_mb", 200.0, "MB", "peak RSS"),
)
MIN_AC_SPEEDUP = 5.0


# ------------------------------------------------------------------------------- helpers


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far, of this process or (RUSAGE_CHILDREN) of its largest
    finished child, e.g. a parser worker. Linux reports KiB, macOS bytes."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def print_profile(profilers: Sequence[cProfile.Profile], title: str, top: int = 25) -> None:
    out = io.StringIO()
    stats = pstats.Stats(*profilers, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(f"\n===== cProfile: {title} =====", file=sys.stderr)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()), file=sys.stderr)


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


# ------------------------------------------------------------------------------- the bot's API
# Coded against the bot's modules; each has a small stand-in so the benchmark runs before (or
# without) them. `impl` in the JSON says which one was measured.


class LoaderAdapter:
    """The reload path: `bot.loader.load_directory(store, dir)` or `Loader(store, dir).load()`."""

    def __init__(self, store: Store, directory: Path):
        self.store = store
        self.directory = directory
        load_directory = _optional("bot.loader", "load_directory")
        loader_class = _optional("bot.loader", "Loader")
        if load_directory is not None:
            self.impl = "bot.loader.load_directory"
            self._load: Callable[[], Awaitable[Any]] = lambda: load_directory(store, directory)
        elif loader_class is not None:
            self.impl = "bot.loader.Loader.load"
            self._load = loader_class(store, directory).load
        else:
            self.impl = "bench fallback (hash, parse changed, one apply)"
            self._load = self._fallback

    async def load(self) -> Any:
        return await self._load()

    async def _fallback(self) -> None:
        import hashlib

        known = await self.store.file_hashes()
        files = {p.name: p.read_bytes() for p in sorted(self.directory.glob("*.txt"))}
        upserts = []
        for name, data in files.items():
            digest = hashlib.sha256(data).hexdigest()
            if known.get(name) != digest:
                upserts.append((name, digest, parse_bytes(data, name)))
        await self.store.apply(upserts, [name for name in known if name not in files])


def build_indexes(sessions: Sequence[Any], people: Sequence[Any]) -> tuple[Any, Any, str]:
    session_index = _optional("bot.fuzzy", "SessionIndex")
    people_index = _optional("bot.fuzzy", "PeopleIndex")
    if session_index is not None and people_index is not None:
        return session_index(sessions), people_index(people), "bot.fuzzy"
    return (
        _FallbackIndex([s.title for s in sessions], sessions),
        _FallbackIndex([p.name for p in people], people),
        "bench fallback (folded strings + WRatio)",
    )


class _FallbackIndex:
    """Stand-in for `bot.fuzzy`: preprocessed (folded) strings, one WRatio extract."""

    def __init__(self, texts: Sequence[str], items: Sequence[Any]):
        from bot.names import fold

        self._fold = fold
        self._items = list(items)
        self._texts = [fold(t) for t in texts]

    def autocomplete(self, text: str, limit: int = 25) -> list[Any]:
        hits = process.extract(
            self._fold(text), self._texts, scorer=fuzz.WRatio, processor=None, limit=limit
        )
        return [self._items[i] for _, _, i in hits]


def card_renderer() -> tuple[Callable[[Any], Any], str]:
    session_card = _optional("bot.render", "session_card")
    if session_card is not None:
        return session_card, "bot.render.session_card"

    def fallback(record: Any) -> Any:
        import discord

        embed = discord.Embed(title=record.heading[:256], description=record.title[:4096])
        for speaker in record.speakers[:25]:
            embed.add_field(name=speaker.name[:256], value=(speaker.affiliation or "—")[:1024])
        return [embed]

    return fallback, "bench fallback (minimal embed)"


# ------------------------------------------------------------------------------- cold load


# The loader's and the store's steps that run in worker threads (asyncio.to_thread), where a
# cProfile of the event loop sees nothing but `epoll`: (module, candidate functions, phase).
# Only the outermost function of a step is wrapped (the first candidate that exists): inner
# ones may be handed to a process pool, and a wrapper cannot be pickled.
PHASES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("bot.loader", ("_hash_documents", "_read_documents"), "read"),
    ("bot.loader", ("_parse_with", "parse_documents", "_parse_all"), "parse"),
    ("bot.store.loading", ("_prepare_all",), "prepare"),
)


class Phases:
    """Times (and with `profile`, profiles) the load's steps where they run.

    Wraps the module-level functions of `PHASES` and `store.apply`; seconds add up over calls.
    A step the code no longer has is simply not reported.
    """

    def __init__(self, store: Store, profile: bool):
        self.seconds: dict[str, float] = {}
        self.profiles: dict[str, list[cProfile.Profile]] = {}
        self.profile = profile
        self._in_apply = False
        self._undo: list[tuple[Any, str, Any]] = []
        for module_name, candidates, phase in PHASES:
            module = importlib.import_module(module_name)
            for attribute in candidates:
                original = getattr(module, attribute, None)
                if callable(original):
                    setattr(module, attribute, self._wrap(original, phase))
                    self._undo.append((module, attribute, original))
                    break
        for name in ("apply", "apply_batches"):  # apply calls apply_batches: time the outer
            self._time_store_method(store, name)

    def _time_store_method(self, store: Store, name: str) -> None:
        original = getattr(store, name)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            if self._in_apply:
                return await original(*args, **kwargs)
            self._in_apply = True
            start = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                self._in_apply = False
                self._add("apply", time.perf_counter() - start)

        setattr(store, name, timed)
        self._undo.append((store, name, original))

    def _add(self, phase: str, seconds: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds

    def _wrap(self, function: Callable[..., Any], phase: str) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            profiler = cProfile.Profile() if self.profile else None
            start = time.perf_counter()
            if profiler:
                self.profiles.setdefault(phase, []).append(profiler)
                profiler.enable()
            try:
                return function(*args, **kwargs)
            finally:
                if profiler:
                    profiler.disable()
                self._add(phase, time.perf_counter() - start)

        return wrapper

    def reset(self) -> None:
        self.seconds.clear()
        self.profiles.clear()

    def print_profiles(self, title: str) -> None:
        for phase, profilers in self.profiles.items():
            print_profile(profilers, f"{title}: {phase} (worker thread)")

    def close(self) -> None:
        for owner, attribute, original in reversed(self._undo):
            setattr(owner, attribute, original)
        self._undo.clear()


async def cold_load_child(directory: Path, db: Path, profile: bool) -> dict[str, Any]:
    """Runs in a fresh process: what the bot does at start, timed; peak RSS at the end."""
    store = await Store.open(db)
    phases = Phases(store, profile)
    try:
        loader = LoaderAdapter(store, directory)
        profiler = cProfile.Profile() if profile else None
        start, cpu_start, workers_start = time.perf_counter(), time.process_time(), _children_cpu()
        if profiler:
            profiler.enable()
        report = await loader.load()
        if profiler:
            profiler.disable()
        load_s = time.perf_counter() - start
        load_cpu_s = time.process_time() - cpu_start + _children_cpu() - workers_start
        rss_after_load = peak_rss_mb()
        phases.close()
        if profiler:
            print_profile([profiler], f"cold load, {directory.name}: event loop")
            phases.print_profiles(f"cold load, {directory.name}")

        start = time.perf_counter()
        sessions = await store.all_sessions()
        people = await store.all_people()
        session_index, people_index, fuzzy_impl = build_indexes(sessions, people)
        index_s = time.perf_counter() - start
        for text in ("data gov", "zhang", "belli"):
            session_index.autocomplete(text)
            people_index.autocomplete(text)
        card, _ = card_renderer()
        if sessions:
            record = await store.session(sessions[0].id)
            card(record)
        counts = await store.counts()
    finally:
        await store.close()
    loaded = len(getattr(report, "added", []) or []) or counts.sessions
    return {
        "load_s": load_s,
        "load_cpu_s": load_cpu_s,
        "read_s": phases.seconds.get("read"),
        "parse_s": phases.seconds.get("parse"),
        "prepare_s": phases.seconds.get("prepare"),
        "apply_s": phases.seconds.get("apply"),
        "index_build_s": index_s,
        # WAL checkpoint after the load's commit, in the background (store.close waits for it)
        "checkpoint_s": getattr(store, "last_checkpoint_s", None),
        "sessions": counts.sessions,
        "people": counts.people,
        "loaded": loaded,
        "rejected": len(getattr(report, "rejected", []) or []),
        "rss_after_load_mb": rss_after_load,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_workers_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
        "loader_impl": loader.impl,
        "fuzzy_impl": fuzzy_impl,
    }


def run_cold_child(directory: Path, db: Path, profile: bool) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child-cold", str(directory)]
    command += ["--child-db", str(db)] + (["--profile"] if profile else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"cold-load child failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------- measurements


def _edit(path: Path, round_: int) -> None:
    """A realistic edit: a rapporteur adds a sentence to the last key takeaway."""
    text = path.read_text(encoding="utf-8")
    marker = "\n\nCall to Action"
    addition = f" Participants asked for a follow-up meeting (revision {round_})."
    text = text.replace(marker, addition + marker, 1) if marker in text else text + addition
    path.write_text(text, encoding="utf-8")


def _parse_every_file(directory: Path, known: dict[str, str]) -> list[tuple[str, str, Any]]:
    upserts = []
    for path in sorted(directory.glob("*.txt")):
        data = path.read_bytes()
        try:
            session = parse_bytes(data, path.name)
        except ParseError:
            continue
        upserts.append((path.name, known.get(path.name, ""), session))
    return upserts


async def measure_reload(
    store: Store, directory: Path, files: Sequence[Path], profile: bool
) -> dict[str, Any]:
    loader = LoaderAdapter(store, directory)
    catalog_class = _optional("bot.catalog", "Catalog")
    rng = random.Random(7)
    picks = rng.sample(list(files), min(len(files), 2 * RELOAD_REPEATS))

    start = time.perf_counter()
    await loader.load()
    noop_s = time.perf_counter() - start

    one: list[float] = []
    profiler = cProfile.Profile() if profile else None
    phases = Phases(store, profile)
    try:
        for round_, path in enumerate(picks[:RELOAD_REPEATS]):
            _edit(path, round_)
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            report = await loader.load()
            if profiler:
                profiler.disable()
            one.append(time.perf_counter() - start)
            updated = len(getattr(report, "updated", [1]) or [])
            if updated != 1:
                log(f"warning: reload updated {updated} sessions, expected 1")
    finally:
        phases.close()
    reload_phases = {
        f"reload_{phase}_s": seconds / len(one) for phase, seconds in phases.seconds.items()
    }
    if profiler:
        print_profile([profiler], "one-file reload: event loop")
        phases.print_profiles("one-file reload")

    # What /reload does in the bot: the load, then new fuzzy indexes from the store.
    with_indexes: list[float] = []
    for round_, path in enumerate(picks[RELOAD_REPEATS:]):
        _edit(path, 100 + round_)
        start = time.perf_counter()
        if catalog_class is not None:
            catalog = catalog_class(store, directory)
            await catalog.reload()
        else:
            await loader.load()
            build_indexes(await store.all_sessions(), await store.all_people())
        with_indexes.append(time.perf_counter() - start)

    # The naive way: parse every file and apply them all, in one transaction.
    known = await store.file_hashes()
    start = time.perf_counter()
    upserts = await asyncio.to_thread(_parse_every_file, directory, known)
    parsed_s = time.perf_counter() - start
    await store.apply(upserts, [])
    full_s = time.perf_counter() - start
    # After a write that rewrote every session the store merges its full-text index in the
    # background; later measures (search) are of the settled store, as users would see it.
    settle = getattr(store, "settle", None)
    if settle is not None:
        await settle()
    return {
        "reload_noop_s": noop_s,
        "reload_one_s": statistics.median(one),
        "reload_one_max_s": max(one),
        "reload_with_indexes_s": statistics.median(with_indexes) if with_indexes else None,
        "full_reparse_s": full_s,
        "full_reparse_parse_s": parsed_s,
        "full_reparse_fts_merge_s": getattr(store, "last_optimize_s", None),
        "reload_speedup": full_s / statistics.median(one),
        **reload_phases,
        "loader_impl": loader.impl,
        "reload_index_impl": "bot.catalog.Catalog.reload" if catalog_class else "bench",
    }


def _time_calls(
    function: Callable[[str], Any], queries: Sequence[str], cpu: list[float] | None = None
) -> list[float]:
    """Wall-clock ms per call; with `cpu`, also this thread's CPU ms per call."""
    for query in queries[:20]:  # warm-up
        function(query)
    timings = []
    for query in queries:
        start, cpu_start = time.perf_counter_ns(), time.thread_time_ns()
        function(query)
        timings.append((time.perf_counter_ns() - start) / 1e6)
        if cpu is not None:
            cpu.append((time.thread_time_ns() - cpu_start) / 1e6)
    return timings


def measure_autocomplete(
    sessions: Sequence[Any], people: Sequence[Any], count: int, seed: int, profile: bool
) -> dict[str, Any]:
    start = time.perf_counter()
    session_index, people_index, impl = build_indexes(sessions, people)
    build_s = time.perf_counter() - start
    rng = random.Random(seed + 1)
    titles = [s.title for s in sessions]
    names = [p.name for p in people]
    session_queries = autocomplete_queries(rng, titles, count)
    person_queries = autocomplete_queries(rng, names, count)

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    cpu_sessions: list[float] = []
    cpu_people: list[float] = []
    ours_sessions = _time_calls(
        lambda q: session_index.autocomplete(q, 25), session_queries, cpu_sessions
    )
    ours_people = _time_calls(
        lambda q: people_index.autocomplete(q, 25), person_queries, cpu_people
    )
    if profiler:
        profiler.disable()
        print_profile([profiler], "autocomplete (bot.fuzzy), sessions + people")

    # The naive way: WRatio over the raw strings, no preprocessing at all.
    naive_sessions = _time_calls(
        lambda q: process.extract(q, titles, scorer=fuzz.WRatio, limit=25), session_queries
    )
    naive_people = _time_calls(
        lambda q: process.extract(q, names, scorer=fuzz.WRatio, limit=25), person_queries
    )
    empty = sum(1 for q in session_queries if not session_index.autocomplete(q, 25))
    empty += sum(1 for q in person_queries if not people_index.autocomplete(q, 25))

    def p(values: list[float], q: float) -> float:
        return round(percentile(values, q), 3)

    result = {
        "fuzzy_impl": impl,
        "index_build_s": build_s,
        "ac_queries": 2 * count,
        "ac_empty_results": empty,
        "session_ac_p50_ms": p(ours_sessions, 50),
        "session_ac_p99_ms": p(ours_sessions, 99),
        "session_ac_max_ms": p(ours_sessions, 100),
        "person_ac_p50_ms": p(ours_people, 50),
        "person_ac_p99_ms": p(ours_people, 99),
        "person_ac_max_ms": p(ours_people, 100),
        "session_ac_cpu_p99_ms": p(cpu_sessions, 99),
        "person_ac_cpu_p99_ms": p(cpu_people, 99),
        "naive_session_ac_p50_ms": p(naive_sessions, 50),
        "naive_session_ac_p99_ms": p(naive_sessions, 99),
        "naive_person_ac_p50_ms": p(naive_people, 50),
        "naive_person_ac_p99_ms": p(naive_people, 99),
        "ac_p99_ms": p(ours_sessions + ours_people, 99),
        "naive_ac_p99_ms": p(naive_sessions + naive_people, 99),
    }
    result["session_ac_speedup_p99"] = round(
        result["naive_session_ac_p99_ms"] / max(result["session_ac_p99_ms"], 1e-6), 1
    )
    result["person_ac_speedup_p99"] = round(
        result["naive_person_ac_p99_ms"] / max(result["person_ac_p99_ms"], 1e-6), 1
    )
    result["ac_speedup_p99"] = round(result["naive_ac_p99_ms"] / max(result["ac_p99_ms"], 1e-6), 1)
    return result


async def measure_search(
    store: Store, titles: Sequence[str], names: Sequence[str], seed: int
) -> dict[str, Any]:
    queries = search_queries(random.Random(seed + 2), titles, names, SEARCH_QUERIES)
    limit = _optional("bot.answers", "SEARCH_RESULTS") or 10  # as many hits as /search shows
    for query in queries[:10]:
        await store.search(query, limit=limit)
    timings, hits = [], 0
    for query in queries:
        start = time.perf_counter_ns()
        found = await store.search(query, limit=limit)
        timings.append((time.perf_counter_ns() - start) / 1e6)
        hits += bool(found)
    return {
        "search_queries": len(queries),
        "search_limit": limit,
        "search_with_hits": hits,
        "search_p50_ms": round(percentile(timings, 50), 3),
        "search_p99_ms": round(percentile(timings, 99), 3),
        "search_max_ms": round(percentile(timings, 100), 3),
    }


async def measure_cards(store: Store, sessions: Sequence[Any], seed: int) -> dict[str, Any]:
    card, impl = card_renderer()
    rng = random.Random(seed + 3)
    picks = rng.sample(list(sessions), min(len(sessions), CARDS))
    fetch, render = [], []
    for summary in picks:
        start = time.perf_counter_ns()
        record = await store.session(summary.id)
        fetch.append((time.perf_counter_ns() - start) / 1e6)
        start = time.perf_counter_ns()
        card(record)
        render.append((time.perf_counter_ns() - start) / 1e6)
    return {
        "render_impl": impl,
        "cards": len(picks),
        "card_render_ms": round(statistics.mean(render), 3) if render else None,
        "card_render_p99_ms": round(percentile(render, 99), 3) if render else None,
        "card_fetch_p50_ms": round(percentile(fetch, 50), 3) if fetch else None,
    }


# ------------------------------------------------------------------------------- main


async def measure_warm(
    directory: Path, db: Path, files: Sequence[Path], args: argparse.Namespace
) -> dict[str, Any]:
    store = await Store.open(db)
    try:
        results: dict[str, Any] = {}
        results |= await measure_reload(store, directory, files, args.profile)
        sessions = await store.all_sessions()
        people = await store.all_people()
        results |= measure_autocomplete(sessions, people, args.queries, args.seed, args.profile)
        titles = [s.title for s in sessions]
        names = [p.name for p in people]
        results |= await measure_search(store, titles, names, args.seed)
        results |= await measure_cards(store, sessions, args.seed)
    finally:
        await store.close()
    return results


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="igf-bench-"))
    results: dict[str, Any] = {"n": args.n, "seed": args.seed, "cpus": os.cpu_count()}
    results["loadavg_start"] = round(os.getloadavg()[0], 2)
    results["commit"] = _commit()
    try:
        log(f"generating {args.n:,} documents in {work} …")
        start = time.perf_counter()
        corpus = write_corpus(work / "docs", args.n, args.seed, check_sample=CHECK_SAMPLE)
        results["generate_s"] = round(time.perf_counter() - start, 2)
        results["corpus_mb"] = round(corpus.bytes / 1e6, 1)
        results["corpus_checked"] = corpus.checked
        results["corpus_mismatches"] = len(corpus.problems)
        for problem in corpus.problems[:20]:
            log(f"corpus check: {problem}")

        if args.n >= 10 * SMALL_N:
            # The first 1,000 documents of the corpus are the corpus for N = 1,000.
            small = work / "docs-1000"
            small.mkdir()
            for path in corpus.files[:SMALL_N]:
                os.link(path, small / path.name)
            log("cold load, N = 1,000 …")
            child = run_cold_child(small, work / "bench-1000.db", args.profile)
            results["cold_load_1000_s"] = round(child["load_s"], 3)
            results["cold_load_1000_docs_per_s"] = round(SMALL_N / child["load_s"], 1)
            results["peak_rss_1000_mb"] = round(child["peak_rss_mb"], 1)

        log(f"cold load, N = {args.n:,} …")
        db = work / "bench.db"
        child = run_cold_child(corpus.directory, db, args.profile)
        results["cold_load_s"] = round(child["load_s"], 3)
        results["cold_load_docs_per_s"] = round(args.n / child["load_s"], 1)
        results["cold_load_cpu_s"] = round(child["load_cpu_s"], 3)
        for phase in ("read", "parse", "prepare", "apply"):
            results[f"cold_{phase}_s"] = _round(child[f"{phase}_s"], 3)
        results["cold_index_build_s"] = round(child["index_build_s"], 3)
        results["cold_checkpoint_s"] = _round(child["checkpoint_s"], 3)
        results["sessions"] = child["sessions"]
        results["people"] = child["people"]
        results["rejected"] = child["rejected"]
        results["rss_after_load_mb"] = round(child["rss_after_load_mb"], 1)
        results["peak_rss_mb"] = round(child["peak_rss_mb"], 1)
        results["peak_rss_workers_mb"] = round(child["peak_rss_workers_mb"], 1)
        results["db_mb"] = round(sum(p.stat().st_size for p in work.glob("bench.db*")) / 1e6, 1)

        log("reload, autocomplete, search, cards …")
        warm = asyncio.run(measure_warm(corpus.directory, db, corpus.files, args))
        for key, value in warm.items():
            results[key] = round(value, 4) if isinstance(value, float) else value
        results["harness_peak_rss_mb"] = round(peak_rss_mb(), 1)
        results["loadavg_end"] = round(os.getloadavg()[0], 2)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["targets"] = {
        key: {"limit": limit, "met": results.get(key) is not None and results[key] <= limit}
        for key, limit, _, _ in TARGETS
    }
    results["targets"]["ac_speedup_p99"] = {
        "limit": f">= {MIN_AC_SPEEDUP}",
        "met": min(results["session_ac_speedup_p99"], results["person_ac_speedup_p99"])
        >= MIN_AC_SPEEDUP,
    }
    return results


def _commit() -> str | None:
    """The measured tree: HEAD, with "+dirty" when bot/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        return None
    return f"{head}+dirty" if head and dirty else head or None


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def table(results: dict[str, Any]) -> str:
    """The human-readable report."""
    n = results["n"]

    def row(label: str, value: Any, unit: str = "", target: str = "", naive: str = "") -> str:
        shown = "—" if value is None else (f"{value:,.3f}" if isinstance(value, float) else value)
        return f"| {label:<38} | {shown!s:>16} {unit:<3}| {target:<14} | {naive:<26} |"

    def status(key: str) -> str:
        target = results["targets"].get(key)
        if target is None:
            return ""
        return f"{'ok' if target['met'] else 'MISS'} (≤ {target['limit']})"

    lines = [
        f"igf-forum-bot benchmark: N = {n:,}, seed {results['seed']}, {results['cpus']} CPUs, "
        f"corpus {results['corpus_mb']} MB, {results['sessions']:,} sessions, "
        f"{results['people']:,} people, load average {results['loadavg_start']} at start, "
        f"{results['loadavg_end']} at end",
        f"implementations: loader={results.get('loader_impl')}, fuzzy={results.get('fuzzy_impl')},"
        f" render={results.get('render_impl')}",
        f"tree: {results.get('commit')}; corpus check: {results['corpus_checked']} documents "
        f"parsed, {results['corpus_mismatches']} mismatches",
        "",
        f"| {'measure':<38} | {'value':>20} | {'target':<14} | {'naive way':<26} |",
        f"|{'-' * 40}|{'-' * 22}|{'-' * 16}|{'-' * 28}|",
    ]
    if "cold_load_1000_s" in results:
        lines.append(row("cold load N=1,000", results["cold_load_1000_s"], "s"))
        lines.append(row("  docs/s", results["cold_load_1000_docs_per_s"]))
        lines.append(row("  peak RSS", results["peak_rss_1000_mb"], "MB"))
    lines += [
        row(f"cold load N={n:,}", results["cold_load_s"], "s", status("cold_load_s")),
        row(
            "  read / parse (workers, summed) / apply_batches incl. waiting",
            f"{results['cold_read_s']} / {results['cold_parse_s']} / {results['cold_apply_s']}",
            "s",
        ),
        row("  docs/s", results["cold_load_docs_per_s"]),
        row("  CPU time (incl. worker processes)", results["cold_load_cpu_s"], "s"),
        row(
            "  peak RSS (load + indexes + card)",
            results["peak_rss_mb"],
            "MB",
            status("peak_rss_mb"),
        ),
        row("  peak RSS of a parser worker process", results["peak_rss_workers_mb"], "MB"),
        row("  fuzzy index build", results["cold_index_build_s"], "s"),
        row(
            "  WAL checkpoint, after the load, in the background", results["cold_checkpoint_s"], "s"
        ),
        row("reload, nothing changed", results["reload_noop_s"], "s"),
        row(
            "reload, one file changed (median)",
            results["reload_one_s"],
            "s",
            status("reload_one_s"),
            f"full re-parse {results['full_reparse_s']:.2f} s",
        ),
        row("  one file, worst of 5", results["reload_one_max_s"], "s"),
        row(
            "  read / parse / store (mean)",
            " / ".join(
                f"{results.get(f'reload_{phase}_s', float('nan')):.3f}"
                for phase in ("read", "parse", "apply")
            ),
            "s",
        ),
        row("  one file + index rebuild", results["reload_with_indexes_s"], "s"),
        row("  speed-up vs full re-parse", f"{results['reload_speedup']:.0f}x"),
        row(
            "  full-text merge after it, background",
            results.get("full_reparse_fts_merge_s"),
            "s",
        ),
        row(
            "session autocomplete p50",
            results["session_ac_p50_ms"],
            "ms",
            "",
            f"WRatio {results['naive_session_ac_p50_ms']:.2f} ms",
        ),
        row(
            "session autocomplete p99",
            results["session_ac_p99_ms"],
            "ms",
            status("session_ac_p99_ms"),
            f"WRatio {results['naive_session_ac_p99_ms']:.2f} ms "
            f"({results['session_ac_speedup_p99']}x)",
        ),
        row("  CPU time p99", results["session_ac_cpu_p99_ms"], "ms"),
        row(
            "person autocomplete p50",
            results["person_ac_p50_ms"],
            "ms",
            "",
            f"WRatio {results['naive_person_ac_p50_ms']:.2f} ms",
        ),
        row(
            "person autocomplete p99",
            results["person_ac_p99_ms"],
            "ms",
            status("person_ac_p99_ms"),
            f"WRatio {results['naive_person_ac_p99_ms']:.2f} ms "
            f"({results['person_ac_speedup_p99']}x)",
        ),
        row("  CPU time p99", results["person_ac_cpu_p99_ms"], "ms"),
        row("search p50", results["search_p50_ms"], "ms"),
        row("search p99", results["search_p99_ms"], "ms", status("search_p99_ms")),
        row("session card render (mean)", results["card_render_ms"], "ms"),
        row("session card render p99", results["card_render_p99_ms"], "ms"),
    ]
    speedup = results["targets"]["ac_speedup_p99"]
    lines.append("")
    lines.append(
        f"autocomplete vs naive at p99: sessions {results['session_ac_speedup_p99']}x, "
        f"people {results['person_ac_speedup_p99']}x "
        f"({'ok' if speedup['met'] else 'MISS'}, target ≥ {MIN_AC_SPEEDUP}x); "
        f"{results['ac_empty_results']} of {results['ac_queries']} queries found nothing"
    )
    lines.append(
        f"search: {results['search_with_hits']} of {results['search_queries']} queries had hits"
    )
    if results["n"] < 10000:
        lines.append(f"(targets are for N = 10,000; this run is N = {n:,})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--queries", type=int, default=1000, help="autocomplete queries per kind")
    parser.add_argument("--profile", action="store_true", help="cProfile hot paths to stderr")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--child-cold", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child_cold is not None:
        result = asyncio.run(cold_load_child(args.child_cold, args.child_db, args.profile))
        print(json.dumps(result))
        return 0
    if args.n < 1:
        parser.error("--n must be at least 1")

    results = run(args)
    print(table(results))
    if args.json:
        print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
