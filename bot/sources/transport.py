"""One aiohttp session that fetches within the policy: redirects checked hop by hop, one request a
second per host, connect and total timeouts, a streamed byte cap, no cookies, no proxies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver
from multidict import CIMultiDict, CIMultiDictProxy

from bot.clock import Clock
from bot.sources.limiter import HostRateLimiter, Sleep
from bot.sources.policy import FetchPolicy, normal_host
from bot.sources.resolver import BlockedAddressError, SafeResolver

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"

BeforeHop = Callable[[str], Awaitable[None]]


class FetchError(Exception):
    """The request failed or was refused; the message is one line, for people."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Refused(FetchError):
    """The policy or the address check refused the request before it was sent."""


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to the last hop. `body` is read only for a 200 of an accepted type."""

    url: str
    status: int
    headers: CIMultiDictProxy[str]
    content_type: str
    charset: str | None
    body: bytes


def _blocked_cause(exc: BaseException) -> BlockedAddressError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, BlockedAddressError):
            return seen
        seen = getattr(seen, "os_error", None) or seen.__cause__
    return None


class Transport:
    """Owns the HTTP session; create and close it inside a running event loop."""

    def __init__(
        self,
        policy: FetchPolicy,
        user_agent: str,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self.policy = policy
        self._user_agent = user_agent
        self._limiter = HostRateLimiter(clock, sleep, policy.min_interval_s)
        self._given_resolver = resolver
        self._own_resolver: AbstractResolver | None = None  # made here, so closed here
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            inner = self._given_resolver
            if inner is None:
                inner = self._own_resolver = DefaultResolver()
            resolver = inner if self.policy.allow_private else SafeResolver(inner)
            timeout = aiohttp.ClientTimeout(
                total=self.policy.total_timeout_s, sock_connect=self.policy.connect_timeout_s
            )
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(resolver=resolver),
                timeout=timeout,
                headers={"User-Agent": self._user_agent, "Accept": _ACCEPT},
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,  # never through a proxy from the environment
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._own_resolver is not None:
            await self._own_resolver.close()
            self._own_resolver = None

    async def get(
        self,
        url: str,
        headers: Mapping[str, str],
        accept: frozenset[str] | None,
        before_hop: BeforeHop | None = None,
    ) -> Reply:
        """GET `url`, following redirects only to addresses the policy permits.

        `before_hop` runs before each request (the robots.txt check); it raises to refuse.
        """
        for hop in range(self.policy.max_redirects + 1):
            reason = self.policy.refusal(url)
            if reason is not None:
                where = "redirected to a refused address" if hop else "refused"
                raise Refused(f"{where}: {reason}")
            if before_hop is not None:
                await before_hop(url)
            reply = await self._request(url, headers, accept)
            location = reply.headers.get("Location")
            if reply.status not in REDIRECT_STATUSES or not location:
                return reply
            url = urldefrag(urljoin(url, location)).url
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    async def _request(
        self, url: str, headers: Mapping[str, str], accept: frozenset[str] | None
    ) -> Reply:
        await self._limiter.wait(normal_host(urlsplit(url).hostname))
        try:
            async with (
                asyncio.timeout(self.policy.total_timeout_s),
                self._open().get(url, headers=headers, allow_redirects=False) as response,
            ):
                content_type = response.content_type.lower()
                body = b""
                if response.status == 200 and (accept is None or content_type in accept):
                    body = await read_capped(response, self.policy.max_bytes)
                return Reply(
                    url=url,
                    status=response.status,
                    headers=CIMultiDictProxy(CIMultiDict(response.headers)),
                    content_type=content_type,
                    charset=response.charset,
                    body=body,
                )
        except TimeoutError:  # aiohttp's connect timeout is a TimeoutError too
            policy = self.policy
            limits = f"connect {policy.connect_timeout_s:g} s, total {policy.total_timeout_s:g} s"
            raise FetchError(f"timed out (limits: {limits})") from None
        except aiohttp.ClientError as exc:
            blocked = _blocked_cause(exc)
            if blocked is not None:
                raise Refused(f"refused: {blocked}") from None
            raise FetchError(f"could not connect ({type(exc).__name__})") from None


async def read_capped(response: aiohttp.ClientResponse, cap: int) -> bytes:
    """The whole body, or `FetchError` as soon as more than `cap` bytes have arrived. The declared
    length only refuses early: it can lie, so what arrives is what is counted."""
    too_big = FetchError(f"the page is larger than {cap:,} bytes")
    if (response.content_length or 0) > cap:
        raise too_big
    try:
        await response.content.readexactly(cap + 1)
    except asyncio.IncompleteReadError as short:  # the body ended within the cap
        return short.partial
    raise too_big
