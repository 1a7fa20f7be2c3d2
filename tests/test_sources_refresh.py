"""The sources feature without Discord (issue #17): the pure news plan and its rendering, and a
refresh against the stand-in IGF site with the real catalog, database and seeds folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import render
from bot.catalog import Catalog
from bot.clock import FrozenClock
from bot.models import SessionSummary
from bot.sources import FetchPolicy, PageFetcher, stored_name
from bot.sources.ledger import Appeared
from bot.sources.news import MAX_SHOWN, NewsItem, news_buttons, news_text, plan_news, render_news
from bot.sources.refresh import Refresher, kind_of, outcomes_hash
from tests.helpers import ROOT
from tests.sources_server import OF5_PATH, WS170_PATH, SourcesServer

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def summary(n: int, *, event: str = "IGF 2021", key: str | None = None) -> SessionSummary:
    return SessionSummary(
        id=n,
        key=key or f"igf-2021-workshop-{n}",
        heading=f"IGF 2021 WS #{n}",
        title=f"Session {n} " + "with a very long title " * 20,
        event=event,
        year=2021,
        session_type="Workshop",
        number=n,
        starts_at=None,
        ends_at=None,
        room=None,
    )


def item(n: int, **changes: object) -> NewsItem:
    record = summary(n, **changes)  # type: ignore[arg-type]
    appeared = Appeared(record.key, f"hash{n}", START - timedelta(minutes=n))
    return NewsItem(appeared, record, "A takeaway *with* markdown " + "and more words " * 60)


# --------------------------------------------------------------------------- the pure plan


def test_nothing_to_tell_is_no_post() -> None:
    assert plan_news([]) is None


def test_the_post_is_capped_grouped_and_within_discords_limits() -> None:
    items = [item(n, event=f"IGF {2006 + n % 13}") for n in range(1, 31)]
    plan = plan_news(items)
    assert plan is not None and len(plan.shown) == MAX_SHOWN and plan.more == 20
    embeds = render_news(plan)
    assert 1 <= len(embeds) <= render.EMBEDS_PER_MESSAGE
    assert sum(render.embed_size(e) for e in embeds) <= render.EMBED_TOTAL_LIMIT
    titles = [e.title or "" for e in embeds]
    assert len(set(titles)) == len(titles)  # one embed per event
    assert all(t.startswith("New key takeaways — IGF ") for t in titles)
    for embed in embeds:
        for field in embed.fields:
            assert len(field.name or "") <= render.FIELD_NAME_LIMIT
            assert len(field.value or "") <= render.FIELD_VALUE_LIMIT
            assert "\\*with\\*" in (field.value or "")  # document text is escaped
    assert "…and 20 more sessions" in (embeds[-1].footer.text or "")
    buttons = news_buttons(plan)
    assert len(buttons) == MAX_SHOWN
    assert all(len(c) <= render.CUSTOM_ID_LIMIT and c.startswith("news:") for _, c in buttons)
    assert all(len(label) <= render.BUTTON_LABEL_LIMIT for label, _ in buttons)
    assert "Workshop #1:" in news_text(plan)


def test_a_key_that_cannot_be_a_custom_id_gets_no_button() -> None:
    plan = plan_news([item(1, key="k" * 120), item(2, key="Odd Key!"), item(3)])
    assert plan is not None
    assert [c for _, c in news_buttons(plan)] == ["news:igf-2021-workshop-3"]


def test_a_session_with_only_calls_to_action_says_so() -> None:
    plan = plan_news([replace(item(1), is_call=True, first="Act now")])
    assert plan is not None
    (embed,) = render_news(plan)
    assert embed.fields[0].value == "**Call to action:** Act now"


def test_kind_and_outcomes_hash() -> None:
    assert kind_of("https://www.intgovforum.org" + OF5_PATH) == "session"
    assert kind_of("https://www.intgovforum.org/en/igf-2021-schedule") == "list"
    assert outcomes_hash(["a"], ["b"]) != outcomes_hash(["a", "b"], [])
    assert outcomes_hash(["a"], ["b"]) == outcomes_hash(("a",), ("b",))


# --------------------------------------------------------------------------- a refresh


def loopback(**changes: object) -> FetchPolicy:
    policy = FetchPolicy(
        hosts=frozenset({"127.0.0.1"}),
        http_hosts=frozenset({"127.0.0.1"}),
        allow_private=True,
        min_interval_s=0.0,
        total_timeout_s=1.0,
        max_bytes=200_000,
    )
    return replace(policy, **changes)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def site(clock: FrozenClock) -> AsyncIterator[SourcesServer]:
    server = await SourcesServer(lambda: clock.now().timestamp()).start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def refresher(tmp_path: Path, seeds: Path, clock: FrozenClock) -> AsyncIterator[Refresher]:
    catalog = await Catalog.open(tmp_path / "igf.db", seeds)
    await catalog.reload()
    fetcher = PageFetcher(loopback(), clock=clock)
    try:
        yield Refresher(catalog, seeds, fetcher, clock)
    finally:
        await fetcher.close()
        await catalog.close()


AWKWARD = {
    "/broken": "the server answered 500",
    "/moved-away": "redirected to a refused address",
    "/slow": "timed out",
    "/endless": "larger than 200,000 bytes",
    "/feed.json": "not an HTML page (application/json)",
    "/private/page": "robots.txt disallows this page",
}


async def test_awkward_pages_fail_politely_and_back_off(
    refresher: Refresher, site: SourcesServer, seeds: Path, clock: FrozenClock
) -> None:
    urls = [site.base_url + path for path in AWKWARD]
    await refresher.ledger.add_sources(urls, "session")
    report = await refresher.refresh()
    for url, why in report.failed:
        assert AWKWARD[url.removeprefix(site.base_url)] in why, (url, why)
    assert len(report.failed) == len(AWKWARD) and report.written == []
    assert not (seeds / "fetched").exists()
    states = {s.url: s.state for s in await refresher.ledger.all_sources()}
    assert all(s.failures == 1 and s.next_attempt_at is not None for s in states.values())

    asked = len(site.seen)
    again = await refresher.refresh()  # at the same moment: every source is backing off
    assert again.deferred == len(AWKWARD) and len(site.seen) == asked


async def test_429_pauses_the_host_for_its_retry_after(
    refresher: Refresher, site: SourcesServer, clock: FrozenClock
) -> None:
    await refresher.ledger.add_sources([site.base_url + "/busy"], "session")
    first = await refresher.refresh()
    assert "429" in first.failed[0][1]
    await refresher.ledger.add_sources([site.base_url + WS170_PATH], "session")
    paused = await refresher.refresh()
    assert paused.deferred == 2 and paused.fetched == 0  # the whole host waits
    clock.advance(timedelta(seconds=121))
    resumed = await refresher.refresh()
    assert resumed.fetched == 1 and resumed.written == [site.base_url + WS170_PATH]


async def test_takeaways_that_appear_between_two_refreshes_are_noted_once(
    refresher: Refresher, site: SourcesServer, seeds: Path, clock: FrozenClock
) -> None:
    url = site.base_url + WS170_PATH
    await refresher.ledger.add_sources([url], "session")
    first = await refresher.refresh()
    assert first.written == [url] and first.appeared == []  # the baseline announces nothing
    assert await refresher.ledger.unposted(1, START - timedelta(days=1)) == []
    assert (seeds / stored_name(url)).is_file()

    unchanged = await refresher.refresh()
    assert unchanged.not_modified == 1 and unchanged.written == [] and unchanged.load is None

    site.publish_takeaways = True
    clock.advance(timedelta(minutes=30))
    changed = await refresher.refresh()
    assert changed.written == [url] and changed.appeared == ["igf-2021-workshop-170"]
    (news,) = await refresher.ledger.unposted(1, START)
    assert news.session_key == "igf-2021-workshop-170" and news.first_seen_at == clock.now()
    assert await refresher.ledger.claim_news(1, [news]) == [news]
    assert await refresher.ledger.claim_news(1, [news]) == []  # never twice
    assert await refresher.ledger.unposted(1, START) == []
    assert await refresher.ledger.unposted(2, START) == [news]  # another server: its own
    newest = await refresher.catalog.latest_outcomes("takeaways", 5)
    assert newest[0][0].key == "igf-2021-workshop-170"


async def test_a_list_page_brings_at_most_500_pages(
    refresher: Refresher, site: SourcesServer, seeds: Path
) -> None:
    big = site.base_url + "/list-big"
    await refresher.ledger.add_sources([big], "list")
    report = await refresher.refresh([big])
    assert len(report.found) == 500 and report.fetched == 501 and len(report.written) == 500
    assert report.load is not None and len(report.load.added) == 500
    assert len(list((seeds / "fetched").rglob("*.txt"))) == 500
    again = await refresher.refresh([big])
    assert again.found == [] and again.not_modified == 500 and again.fetched == 1
    assert await refresher.ledger.count_found_on(big) == 500


def test_fetch_refuses_what_the_policy_refuses(tmp_path: Path, seeds: Path) -> None:
    env = {**os.environ, "SEEDS_DIR": str(seeds)}
    env.pop("DISCORD_TOKEN", None)
    url = "http://127.0.0.1/en/content/igf-2021-ws-1"
    command = [sys.executable, "-m", "bot", "fetch", url, "--db", str(tmp_path / "igf.db")]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert f"refused {url}: 127.0.0.1 is not an allowed host" in done.stdout
    assert not (seeds / "fetched").exists()
