"""A DNS resolver that refuses hosts with any non-public address, checked before connecting.

aiohttp connects to exactly the addresses its resolver returns, so checking them here (and not
in a separate lookup before the request) leaves no window for DNS rebinding: the address that
was checked is the address that is dialled.
"""

from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from bot.sources.policy import address_refusal


class BlockedAddressError(OSError):
    """The host resolves to an address the fetcher may not connect to."""


class SafeResolver(AbstractResolver):
    """Wraps another resolver; refuses the whole host when any of its addresses is not public."""

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner if inner is not None else DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            reason = address_refusal(result["host"])
            if reason is not None:
                raise BlockedAddressError(f"{host} resolves to a refused address: {reason}")
        return results

    async def close(self) -> None:
        await self._inner.close()
