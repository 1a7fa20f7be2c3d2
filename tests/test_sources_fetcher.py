"""The page fetcher of issue #17: polite, safe, conditional - against a local stand-in site."""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import FrozenClock
from bot.sources import (
    DEFAULT_HOSTS,
    DEFAULT_USER_AGENT,
    MAX_LINKS,
    FetchPolicy,
    FetchResult,
    PageFetcher,
    SourceState,
    address_refusal,
    backoff_seconds,
    decode_html,
    is_due,
    looks_like_session,
    retry_after_seconds,
    session_links,
    stored_name,
    update_state,
)
from bot.sources.limiter import HostRateLimiter
from bot.sources.resolver import BlockedAddressError, SafeResolver
from bot.sources.robots import RETRY_S
from tests.sources_server import LIST_PAGE, OF5_PATH, WS170_PATH, SourcesServer

SAFE_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")
START = datetime(2021, 12, 10, 9, 0, tzinfo=UTC)
LOOPBACK_NAMES = {
    "www.intgovforum.org": ["127.0.0.1"],
    "a.intgovforum.org": ["127.0.0.1"],
    "b.intgovforum.org": ["127.0.0.1"],
}


class FakeTime(FrozenClock):
    """A clock that `sleep` moves forward; concurrent sleepers wake together, as in real time."""

    def __init__(self) -> None:
        super().__init__(START)
        self.slept: list[float] = []

    def seconds(self) -> float:
        return self.now().timestamp()

    async def sleep(self, delay: float) -> None:
        self.slept.append(delay)
        wake = self.now() + timedelta(seconds=delay)
        await asyncio.sleep(0)
        if wake > self.now():
            self.set(wake)


class FakeResolver(AbstractResolver):
    """Answers from a table, so tests can give names (and rebinding answers) to loopback."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"no such host: {host}")
        return [
            ResolveResult(
                hostname=host,
                host=ip,
                port=port,
                family=socket.AF_INET6 if ":" in ip else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for ip in self.table[host]
        ]

    async def close(self) -> None:
        pass


def loopback_policy(**changes: object) -> FetchPolicy:
    """The test-only switches: loopback allowed, plain http to the stand-in's names."""
    policy = FetchPolicy(
        hosts=frozenset({"127.0.0.1", "intgovforum.org"}),
        http_hosts=frozenset({"127.0.0.1", *LOOPBACK_NAMES}),
        allow_private=True,
    )
    return replace(policy, **changes)  # type: ignore[arg-type]


def make_fetcher(clock: FakeTime, policy: FetchPolicy | None = None) -> PageFetcher:
    return PageFetcher(
        policy or loopback_policy(),
        clock=clock,
        sleep=clock.sleep,
        resolver=FakeResolver(LOOPBACK_NAMES),
    )


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def server(clock: FakeTime) -> AsyncIterator[SourcesServer]:
    site = await SourcesServer(clock.seconds).start()
    try:
        yield site
    finally:
        await site.stop()


@pytest.fixture
async def fetcher(clock: FakeTime) -> AsyncIterator[PageFetcher]:
    async with make_fetcher(clock) as page_fetcher:
        yield page_fetcher


# --- fetching a page -----------------------------------------------------------------------


async def test_fetches_a_session_page_as_text(server: SourcesServer, fetcher: PageFetcher) -> None:
    url = server.base_url + OF5_PATH
    result = await fetcher.fetch(url)
    assert result.status == "ok" and result.error is None
    assert result.url == result.final_url == url
    assert "Ballroom B" in result.text and "<h1>IGF 2021 Open Forum #5" in result.text
    assert result.etag == '"v1"' and result.last_modified == "Fri, 10 Dec 2021 09:30:00 GMT"
    assert server.paths() == ["/robots.txt", OF5_PATH]
    assert server.seen[1].headers["User-Agent"] == DEFAULT_USER_AGENT


def test_the_default_user_agent_names_the_bot_and_its_repository() -> None:
    assert DEFAULT_USER_AGENT.startswith("igf-forum-bot/")
    assert "(+https://github.com/" in DEFAULT_USER_AGENT


async def test_a_custom_user_agent_is_sent(server: SourcesServer, clock: FakeTime) -> None:
    agent = "igf-forum-bot/9.9 (+https://github.com/example/fork)"
    async with PageFetcher(
        loopback_policy(), user_agent=agent, clock=clock, sleep=clock.sleep
    ) as f:
        await f.fetch(server.base_url + OF5_PATH)
    assert {seen.headers["User-Agent"] for seen in server.seen} == {agent}


async def test_an_etag_makes_the_next_request_conditional(
    server: SourcesServer, fetcher: PageFetcher, clock: FakeTime
) -> None:
    url = server.base_url + OF5_PATH
    first = await fetcher.fetch(url)
    first_at = clock.now()
    state = update_state(None, first, first_at)
    clock.advance(timedelta(hours=1))
    again = await fetcher.fetch(url, state)
    assert again.status == "not_modified" and again.text == ""
    assert again.etag == '"v1"'
    assert server.seen[-1].headers["If-None-Match"] == '"v1"'
    assert server.seen[-1].headers["If-Modified-Since"] == "Fri, 10 Dec 2021 09:30:00 GMT"
    kept = update_state(state, again, clock.now())
    assert kept.last_fetched_at == clock.now() and kept.last_changed_at == first_at
    assert kept.text_sha256 == state.text_sha256 and kept.etag == '"v1"'

    server.version = 2
    clock.advance(timedelta(hours=1))
    changed = await fetcher.fetch(url, kept)
    assert changed.status == "ok" and "Updated." in changed.text and changed.etag == '"v2"'
    assert update_state(kept, changed, clock.now()).last_changed_at == clock.now()


async def test_last_modified_alone_makes_the_request_conditional(
    server: SourcesServer, fetcher: PageFetcher
) -> None:
    state = SourceState(last_modified="Fri, 10 Dec 2021 09:30:00 GMT")
    result = await fetcher.fetch(server.base_url + OF5_PATH, state)
    assert result.status == "not_modified"
    assert result.last_modified == "Fri, 10 Dec 2021 09:30:00 GMT"
    assert "If-None-Match" not in server.seen[-1].headers


async def test_the_charset_comes_from_the_meta_tag_when_the_header_has_none(
    server: SourcesServer, fetcher: PageFetcher
) -> None:
    result = await fetcher.fetch(server.base_url + "/latin1")
    assert result.status == "ok" and "Réunion" in result.text


async def test_only_html_is_accepted(server: SourcesServer, fetcher: PageFetcher) -> None:
    result = await fetcher.fetch(server.base_url + "/feed.json")
    assert result.status == "error" and result.error == "not an HTML page (application/json)"


# --- redirects -----------------------------------------------------------------------------


async def test_a_redirect_within_the_allowlist_is_followed(
    server: SourcesServer, fetcher: PageFetcher
) -> None:
    result = await fetcher.fetch(server.base_url + "/moved-home")
    assert result.status == "ok" and "Ballroom B" in result.text
    assert result.final_url == server.base_url + OF5_PATH
    assert result.url == server.base_url + "/moved-home"


async def test_a_redirect_to_another_host_is_not_followed(
    server: SourcesServer, fetcher: PageFetcher
) -> None:
    result = await fetcher.fetch(server.base_url + "/moved-away")
    assert result.status == "error"
    assert result.error == (
        "redirected to a refused address: elsewhere.example is not an allowed host"
    )
    assert server.paths() == ["/robots.txt", "/moved-away"]


async def test_at_most_five_redirects(server: SourcesServer, fetcher: PageFetcher) -> None:
    result = await fetcher.fetch(server.base_url + "/loop/0")
    assert result.status == "error" and result.error == "more than 5 redirects"
    assert [p for p in server.paths() if p.startswith("/loop/")] == [f"/loop/{n}" for n in range(6)]


# --- limits --------------------------------------------------------------------------------


async def test_a_slow_page_times_out(server: SourcesServer, clock: FakeTime) -> None:
    async with make_fetcher(clock, loopback_policy(total_timeout_s=0.3)) as fetcher:
        result = await fetcher.fetch(server.base_url + "/slow")
    assert result.status == "error"
    assert result.error == "timed out (limits: connect 10 s, total 0.3 s)"


async def test_an_endless_page_is_cut_at_the_byte_cap(
    server: SourcesServer, clock: FakeTime
) -> None:
    async with make_fetcher(clock, loopback_policy(max_bytes=100_000)) as fetcher:
        result = await fetcher.fetch(server.base_url + "/endless")
    assert result.status == "error" and result.error == "the page is larger than 100,000 bytes"
    # Stopped after what the socket buffers hold (a few MB on loopback), not its 640 MB.
    assert server.streamed < 32 * 1024 * 1024


# --- robots.txt ----------------------------------------------------------------------------


async def test_robots_txt_is_obeyed_and_asked_once_per_host(
    server: SourcesServer, fetcher: PageFetcher
) -> None:
    refused = await fetcher.fetch(server.base_url + "/private/page")
    assert refused.status == "error" and refused.error == "robots.txt disallows this page"
    assert (await fetcher.fetch(server.base_url + OF5_PATH)).status == "ok"
    assert server.paths() == ["/robots.txt", OF5_PATH]


async def test_a_missing_robots_txt_allows_everything(
    server: SourcesServer, fetcher: PageFetcher
) -> None:
    server.robots_status = 404
    result = await fetcher.fetch(server.base_url + "/private/page")
    assert result.status == "ok"


async def test_an_unreadable_robots_txt_disallows_until_it_is_asked_again(
    server: SourcesServer, fetcher: PageFetcher, clock: FakeTime
) -> None:
    server.robots_status = 503
    url = server.base_url + OF5_PATH
    refused = await fetcher.fetch(url)
    assert refused.status == "error"
    assert refused.error == "robots.txt could not be read (HTTP 503); retrying later"
    assert refused.retry_after_s == RETRY_S
    assert server.paths() == ["/robots.txt"]

    server.robots_status = 200
    clock.advance(timedelta(seconds=RETRY_S / 2))
    assert (await fetcher.fetch(url)).status == "error"
    assert server.paths() == ["/robots.txt"]  # not asked again yet
    clock.advance(timedelta(seconds=RETRY_S))
    assert (await fetcher.fetch(url)).status == "ok"
    assert server.paths() == ["/robots.txt", "/robots.txt", OF5_PATH]


# --- failures and backing off --------------------------------------------------------------


async def test_429_pauses_the_host_for_its_retry_after(
    server: SourcesServer, fetcher: PageFetcher, clock: FakeTime
) -> None:
    busy = await fetcher.fetch(server.base_url + "/busy")
    assert busy.status == "error" and busy.error == "the server answered 429"
    assert busy.retry_after_s == 120
    state = update_state(None, busy, clock.now())
    assert state.failures == 1 and state.next_attempt_at == clock.now() + timedelta(seconds=120)
    assert state.last_error == "the server answered 429"

    other = await fetcher.fetch(server.base_url + OF5_PATH)  # same host, another page
    assert other.status == "error" and other.deferred and other.retry_after_s == 120
    assert other.error == "127.0.0.1 asked us to wait"
    assert update_state(state, other, clock.now()) == state
    assert server.paths() == ["/robots.txt", "/busy"]

    clock.advance(timedelta(seconds=121))
    assert (await fetcher.fetch(server.base_url + OF5_PATH)).status == "ok"


async def test_retry_after_as_an_http_date(
    server: SourcesServer, fetcher: PageFetcher, clock: FakeTime
) -> None:
    result = await fetcher.fetch(server.base_url + "/busy-until")
    assert result.status == "error" and result.error == "the server answered 503"
    # 10:00 GMT less the clock's 09:00 and the one second robots.txt took first
    assert result.retry_after_s == pytest.approx(3600 - 1)


async def test_a_failing_source_is_not_retried_before_its_time(
    server: SourcesServer, fetcher: PageFetcher, clock: FakeTime
) -> None:
    url = server.base_url + "/broken"
    state: SourceState | None = None
    delays = []
    for _ in range(3):
        result = await fetcher.fetch(url, state)
        assert result.status == "error" and result.error == "the server answered 500"
        assert result.retry_after_s is None
        state = update_state(state, result, clock.now())
        assert state.next_attempt_at is not None
        delays.append((state.next_attempt_at - clock.now()).total_seconds())

        early = await fetcher.fetch(url, state)  # a tight loop gets nowhere
        assert early.deferred and early.error == "backing off after failures"
        assert update_state(state, early, clock.now()) == state
        clock.set(state.next_attempt_at)
    assert delays == [60, 120, 240]
    assert state is not None and state.failures == 3
    assert server.paths().count("/broken") == 3


# --- the per-host rate ---------------------------------------------------------------------


async def test_requests_to_one_host_are_a_second_apart(
    server: SourcesServer, fetcher: PageFetcher
) -> None:
    await fetcher.fetch(server.base_url + OF5_PATH)
    await fetcher.fetch(server.base_url + WS170_PATH)
    times = [seen.at for seen in server.seen]
    assert len(times) == 3  # robots.txt and the two pages
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))


async def test_different_hosts_are_not_serialised(
    server: SourcesServer, fetcher: PageFetcher, clock: FakeTime
) -> None:
    hosts = ("a.intgovforum.org", "b.intgovforum.org")
    urls = [f"http://{host}:{server.port}{OF5_PATH}" for host in hosts]
    results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    assert [result.status for result in results] == ["ok", "ok"]
    by_host: dict[str, list[float]] = {}
    for seen in server.seen:
        by_host.setdefault(seen.headers["Host"].split(":")[0], []).append(seen.at)
    start = START.timestamp()
    # Each host: robots.txt at once, its page a second later - the two hosts side by side.
    assert by_host == {host: [start, start + 1.0] for host in hosts}


async def test_the_limiter_waits_only_for_the_same_host() -> None:
    clock = FakeTime()
    limiter = HostRateLimiter(clock, clock.sleep, interval_s=1.0)
    await limiter.wait("a.example")
    await limiter.wait("b.example")
    assert clock.slept == []
    await limiter.wait("a.example")
    assert clock.slept == [1.0]
    clock.advance(timedelta(seconds=5))
    await limiter.wait("a.example")
    assert clock.slept == [1.0]


async def test_concurrent_waits_for_one_host_are_granted_a_second_apart() -> None:
    clock = FakeTime()
    limiter = HostRateLimiter(clock, clock.sleep, interval_s=1.0)
    granted: list[float] = []

    async def request() -> None:
        await limiter.wait("a.example")
        granted.append(clock.seconds() - START.timestamp())

    await asyncio.gather(request(), request(), request())
    assert granted == [0.0, 1.0, 2.0]


async def test_a_clock_that_jumps_back_never_makes_a_wait_longer_than_the_interval() -> None:
    clock = FakeTime()
    limiter = HostRateLimiter(clock, clock.sleep, interval_s=1.0)
    await limiter.wait("a.example")
    clock.advance(timedelta(hours=-1))
    await limiter.wait("a.example")
    assert clock.slept == [1.0]


# --- addresses -----------------------------------------------------------------------------


async def test_without_the_test_switches_loopback_is_refused_before_connecting(
    server: SourcesServer, clock: FakeTime
) -> None:
    # Allowed host and plain http, so only the address check stands in the way.
    policy = loopback_policy(allow_private=False)
    resolver = FakeResolver({"www.intgovforum.org": ["93.184.216.34", "127.0.0.1"]})
    async with PageFetcher(policy, clock=clock, sleep=clock.sleep, resolver=resolver) as fetcher:
        literal = await fetcher.fetch(server.base_url + OF5_PATH)
        rebound = await fetcher.fetch(f"http://www.intgovforum.org:{server.port}{OF5_PATH}")
    async with PageFetcher(clock=clock, sleep=clock.sleep) as fetcher:  # no switches at all
        default = await fetcher.fetch(server.base_url + OF5_PATH)
    assert default.error == "refused: 127.0.0.1 is not an allowed host"
    assert literal.status == "error" and literal.error == "refused: 127.0.0.1 is a loopback address"
    assert rebound.status == "error"
    assert rebound.error == (
        "refused: www.intgovforum.org resolves to a refused address: "
        "127.0.0.1 is a loopback address"
    )
    assert resolver.asked == ["www.intgovforum.org"]
    assert server.seen == []


async def test_a_name_for_loopback_is_refused_by_the_real_resolver(
    server: SourcesServer, clock: FakeTime
) -> None:
    policy = FetchPolicy(hosts=frozenset({"localhost"}), http_hosts=frozenset({"localhost"}))
    async with PageFetcher(policy, clock=clock, sleep=clock.sleep) as fetcher:
        result = await fetcher.fetch(f"http://localhost:{server.port}{OF5_PATH}")
    assert result.status == "error" and result.error is not None
    assert result.error.startswith("refused: localhost resolves to a refused address")
    assert server.seen == []


async def test_the_safe_resolver_refuses_a_host_with_any_private_address() -> None:
    inner = FakeResolver(
        {"mixed.example": ["93.184.216.34", "10.0.0.7"], "ok.example": ["1.1.1.1"]}
    )
    resolver = SafeResolver(inner)
    with pytest.raises(BlockedAddressError, match=r"10\.0\.0\.7 is a private address"):
        await resolver.resolve("mixed.example", 443)
    assert [r["host"] for r in await resolver.resolve("ok.example", 443)] == ["1.1.1.1"]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("172.16.5.4", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "not a public"),
    ],
)
def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    reason = address_refusal(address)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(address) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.intgovforum.org/en/content/x", None),
        ("https://intgovforum.org/en/content/x", None),
        ("https://INTGOVFORUM.ORG./en/content/x", None),
        ("http://www.intgovforum.org/en/content/x", "the address is not https"),
        ("https://example.com/", "example.com is not an allowed host"),
        ("https://intgovforum.org.evil.example/", "intgovforum.org.evil.example is not an allowed"),
        ("https://notintgovforum.org/", "notintgovforum.org is not an allowed host"),
        ("https://user:pw@intgovforum.org/", "the address carries credentials"),
        ("ftp://intgovforum.org/", "the address is not https"),
        ("file:///etc/passwd", "no host is not an allowed host"),
        ("https://intgovforum.org:99999/", "the address is malformed"),
    ],
)
def test_the_default_policy(url: str, reason: str | None) -> None:
    policy = FetchPolicy()
    assert policy.hosts == DEFAULT_HOSTS
    refusal = policy.refusal(url)
    assert refusal == reason or (reason is not None and refusal is not None and reason in refusal)
    assert policy.permits(url) is (reason is None)


def test_an_allowed_ip_literal_must_still_be_public() -> None:
    policy = FetchPolicy(hosts=frozenset({"10.0.0.1", "93.184.216.34"}))
    assert policy.refusal("https://10.0.0.1/") == "10.0.0.1 is a private address"
    assert policy.refusal("https://93.184.216.34/") is None


# --- pure helpers --------------------------------------------------------------------------


def test_session_links_on_a_list_page() -> None:
    base = "https://www.intgovforum.org/en/content/igf-2021-sessions"
    links = session_links(LIST_PAGE, base, FetchPolicy().permits)
    assert links == [
        "https://www.intgovforum.org" + OF5_PATH,
        "https://www.intgovforum.org" + WS170_PATH,
        "https://www.intgovforum.org/en/content/igf-2021-town-hall-35-internet-and-jurisdiction",
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/en/content/igf-2021-open-forum-16-globalpolicyai", True),
        ("/multilingual/content/igf-2017-ws-100-bridging-digital-divides", True),
        ("/content/igf-2021-town-hall-63-tackling-the-menace-of-e-waste", True),
        ("/en/content/igf-2025-day-0-event-17-leveraging-the-2024-elections", True),
        ("/en/content/introductory-breakout-session-data-governance", True),
        ("/session/1099", True),
        ("/zh-hans/content/igf-2025-day-3-conference-hall-open-forum-30-high-level", False),
        ("/en/content/igf-2023-call-for-town-halls", False),
        ("/en/themes2018/development-innovation-economic-issues", False),
        ("/transcript/349", False),
        ("/en/user/logout", False),
        ("/en/content/about-the-igf", False),
    ],
)
def test_which_paths_look_like_session_pages(path: str, expected: bool) -> None:
    assert looks_like_session(path) is expected


def test_session_links_keep_only_what_the_policy_permits() -> None:
    assert session_links(LIST_PAGE, "http://www.intgovforum.org/list", FetchPolicy().permits) == []
    everything = session_links(LIST_PAGE, "http://www.intgovforum.org/list", lambda url: True)
    assert len(everything) == 3


def test_session_links_are_capped() -> None:
    html = "".join(
        f'<a href="/en/content/igf-2024-ws-{n}-x">{n}</a>' for n in range(MAX_LINKS + 50)
    )
    links = session_links(html, "https://intgovforum.org/en/list", FetchPolicy().permits)
    assert len(links) == MAX_LINKS == len(set(links))
    assert links[0] == "https://intgovforum.org/en/content/igf-2024-ws-0-x"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.intgovforum.org/en/content/igf-2021-ws-170-child-protection-online",
        "https://intgovforum.org/../../etc/passwd",
        "https://intgovforum.org/%2e%2e/%2e%2e/etc/passwd?x=../../y",
        "https://..:443/..",
        "https://intgovforum.org/" + "very-long-" * 100,
        "https://intgovforum.org/ünïcødé/页面?q=😀",
        "https://intgovforum.org",
    ],
)
def test_stored_names_are_short_and_safe(url: str) -> None:
    name = stored_name(url)
    assert name.startswith("fetched/") and name.endswith(".txt") and len(name) <= 150
    _, host, file = name.split("/")
    assert host not in ("", ".", "..") and set(host) <= SAFE_CHARACTERS
    assert set(file) <= SAFE_CHARACTERS and not file.startswith(".")
    assert stored_name(url) == name


def test_stored_names_read_like_the_page_and_tell_urls_apart() -> None:
    url = "https://www.intgovforum.org/en/content/igf-2021-ws-170-child-protection-online"
    name = stored_name(url)
    assert name.startswith("fetched/www.intgovforum.org/en-content-igf-2021-ws-170-child")
    assert stored_name(url + "#speakers") == name
    assert stored_name(url + "?page=2") != name
    assert stored_name("https://intgovforum.org/a-b") != stored_name("https://intgovforum.org/a/b")


@given(st.text(max_size=300))
def test_any_url_gets_a_safe_name(tail: str) -> None:
    name = stored_name("https://intgovforum.org/" + tail)
    assert len(name) <= 150 and ".." not in name.split("/")


def test_decoding() -> None:
    assert decode_html("é".encode("cp1252"), "windows-1252") == "é"
    assert decode_html(b'<meta charset="latin-1"><p>\xe9</p>').endswith("<p>é</p>")
    assert decode_html(b"\xef\xbb\xbf<p>ok</p>", "latin-1") == "<p>ok</p>"
    assert decode_html(b"<p>\xff</p>", "no-such-charset") == "<p>\ufffd</p>"


def test_retry_after_values() -> None:
    assert retry_after_seconds("120", START) == 120
    assert retry_after_seconds("Fri, 10 Dec 2021 09:01:00 GMT", START) == 60
    assert retry_after_seconds("Thu, 09 Dec 2021 09:00:00 GMT", START) == 0
    assert retry_after_seconds("soon", START) is None
    assert retry_after_seconds(None, START) is None


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff_seconds(40) == 24 * 3600
    assert backoff_seconds(1, retry_after_s=7) == 7
    assert backoff_seconds(1, retry_after_s=0) == 1
    assert backoff_seconds(1, retry_after_s=10**9) == 24 * 3600


def test_a_success_clears_the_failures() -> None:
    failed = SourceState(etag='"old"', failures=4, next_attempt_at=START, last_error="boom")
    assert not is_due(failed, START - timedelta(seconds=1)) and is_due(failed, START)
    ok = FetchResult(url="u", final_url="u", status="ok", text="<p>x</p>", etag=None)
    fresh = update_state(failed, ok, START)
    assert (fresh.failures, fresh.next_attempt_at, fresh.last_error) == (0, None, None)
    assert fresh.etag is None  # a 200 without an ETag drops the stale one
    assert fresh.last_fetched_at == fresh.last_changed_at == START
    same = update_state(fresh, ok, START + timedelta(days=1))
    assert same.last_changed_at == START and same.last_fetched_at == START + timedelta(days=1)
