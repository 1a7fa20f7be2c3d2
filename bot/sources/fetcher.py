"""The polite, safe page fetcher of issue #17 (no Discord in here).

`PageFetcher.fetch(url, state)` returns a `FetchResult` and never raises for network trouble:
the policy (policy.py) decides where it may go, robots.txt is obeyed, requests to one host are
a second apart, validators from the caller's `SourceState` make the request conditional, and
429/503 pause the whole host for the Retry-After the server asked for.
"""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import logging
import re
from datetime import UTC, datetime, timedelta
from types import TracebackType
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver

from bot.clock import Clock, SystemClock
from bot.sources.limiter import Sleep
from bot.sources.policy import DEFAULT_USER_AGENT, FetchPolicy, normal_host
from bot.sources.robots import RobotsCache
from bot.sources.state import FetchResult, SourceState
from bot.sources.transport import FetchError, Reply, Transport

log = logging.getLogger(__name__)

HOST_PAUSE_S = 60.0  # a 429/503 without Retry-After pauses its host this long
MAX_HOST_PAUSE_S = 3600.0
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Text from the Content-Type charset, else a BOM or <meta> charset, else UTF-8; bad bytes
    become U+FFFD rather than an error."""
    if body.startswith(codecs.BOM_UTF8):
        return body.decode("utf-8-sig", errors="replace")
    meta = _META_CHARSET.search(body[:4096])
    meta_name = meta.group(1).decode("ascii") if meta else None
    codec = _codec(header_charset) or _codec(meta_name) or "utf-8"
    return body.decode(codec, errors="replace")


def _conditional_headers(state: SourceState | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if state is not None and state.etag:
        headers["If-None-Match"] = state.etag
    if state is not None and state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def _error(
    url: str,
    message: str,
    retry_after_s: float | None = None,
    *,
    final_url: str | None = None,
    deferred: bool = False,
) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final_url or url,
        status="error",
        error=message,
        retry_after_s=retry_after_s,
        deferred=deferred,
    )


class PageFetcher:
    """Fetches IGF pages politely. Use as `async with PageFetcher(...) as fetcher:`.

    A policy with `allow_private` and `http_hosts`, and a `resolver`, are for tests on loopback;
    `clock` and `sleep` let tests run the per-host rate and the backoffs on a fake clock.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._clock = clock or SystemClock()
        self._transport = Transport(self.policy, user_agent, self._clock, sleep, resolver)
        self._robots = RobotsCache(self._transport, self._clock, user_agent)
        self._host_paused_until: dict[str, datetime] = {}

    async def __aenter__(self) -> PageFetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._transport.close()

    async def fetch(self, url: str, state: SourceState | None = None) -> FetchResult:
        """Fetch one page; with `state`, conditionally, and not before its next attempt time."""
        now = self._clock.now()
        if state is not None and state.next_attempt_at is not None and now < state.next_attempt_at:
            wait = (state.next_attempt_at - now).total_seconds()
            return _error(url, "backing off after failures", wait, deferred=True)
        host = normal_host(urlsplit(url).hostname)
        paused = self._host_paused_until.get(host)
        if paused is not None and now < paused:
            wait = (paused - now).total_seconds()
            return _error(url, f"{host} asked us to wait", wait, deferred=True)
        try:
            reply = await self._transport.get(
                url, _conditional_headers(state), self.policy.html_types, self._robots.check
            )
        except FetchError as exc:
            result = _error(url, str(exc), exc.retry_after_s)
        else:
            result = self._interpret(url, reply, state)
        log.info("fetched %s: %s %s", url, result.status, result.error or "")
        return result

    def _interpret(self, url: str, reply: Reply, state: SourceState | None) -> FetchResult:
        etag = reply.headers.get("ETag")
        last_modified = reply.headers.get("Last-Modified")
        if reply.status == 304:
            return FetchResult(
                url=url,
                final_url=reply.url,
                status="not_modified",
                etag=etag or (state.etag if state else None),
                last_modified=last_modified or (state.last_modified if state else None),
            )
        if reply.status == 429 or reply.status >= 500:
            return self._refused_by_server(url, reply)
        if reply.status != 200:
            return _error(url, f"the server answered {reply.status}", final_url=reply.url)
        if reply.content_type not in self.policy.html_types:
            message = f"not an HTML page ({reply.content_type or 'no content type'})"
            return _error(url, message, final_url=reply.url)
        return FetchResult(
            url=url,
            final_url=reply.url,
            status="ok",
            text=decode_html(reply.body, reply.charset),
            etag=etag,
            last_modified=last_modified,
        )

    def _refused_by_server(self, url: str, reply: Reply) -> FetchResult:
        now = self._clock.now()
        retry_after = retry_after_seconds(reply.headers.get("Retry-After"), now)
        if reply.status in (429, 503):  # the host itself is overloaded: leave all of it alone
            pause = min(retry_after if retry_after is not None else HOST_PAUSE_S, MAX_HOST_PAUSE_S)
            host = normal_host(urlsplit(reply.url).hostname)
            self._host_paused_until[host] = now + timedelta(seconds=pause)
        message = f"the server answered {reply.status}"
        return _error(url, message, retry_after, final_url=reply.url)
