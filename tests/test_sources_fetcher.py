"""The page fetcher of issue #17: its pure rules (policy, state, links, stored names)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sources import (
    DEFAULT_HOSTS,
    MAX_LINKS,
    FetchPolicy,
    FetchResult,
    SourceState,
    address_refusal,
    backoff_seconds,
    is_due,
    looks_like_session,
    session_links,
    stored_name,
    update_state,
)

SAFE_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")
START = datetime(2021, 12, 10, 9, 0, tzinfo=UTC)


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
