"""Reading an uploaded file: only from Discord's CDN, streamed, with a hard byte cap.

An attachment's URL comes from the interaction payload. It is fetched only when its host is
Discord's CDN (or the API base an operator configured, such as a proxy or the tests' fake),
over https unless that configured base itself is plain http, without following redirects,
and never past the cap, whatever length the server declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from bot.discord_api import DEFAULT_API_BASE
from bot.sources.transport import FetchError, read_capped

DISCORD_CDN_HOSTS = frozenset({"cdn.discordapp.com", "media.discordapp.net"})
_TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=10)


class AttachmentError(ValueError):
    """The file cannot be read; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class AttachmentPolicy:
    hosts: frozenset[str] = DISCORD_CDN_HOSTS
    http_hosts: frozenset[str] = frozenset()  # hosts allowed over plain http

    @classmethod
    def for_api_base(cls, api_base: str) -> AttachmentPolicy:
        """Discord's CDN, plus the configured API base's host when it is not Discord's."""
        if api_base.rstrip("/") == DEFAULT_API_BASE:
            return cls()
        base = urlsplit(api_base)
        host = (base.hostname or "").lower()
        plain = frozenset({host}) if base.scheme == "http" else frozenset()
        return cls(DISCORD_CDN_HOSTS | {host}, plain)

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host not in self.hosts:
            raise AttachmentError(f"the file is not on Discord's CDN ({host or 'no host'})")
        if parts.scheme != "https" and not (parts.scheme == "http" and host in self.http_hosts):
            raise AttachmentError("the file's address is not https")


async def read_attachment(url: str, *, max_bytes: int, policy: AttachmentPolicy) -> bytes:
    """The file's bytes; `AttachmentError` when the policy or the cap refuses it."""
    policy.check(url)
    try:
        async with (
            aiohttp.ClientSession(timeout=_TIMEOUT) as session,
            session.get(url, allow_redirects=False) as response,
        ):
            if response.status != 200:
                raise AttachmentError(f"Discord's CDN answered {response.status}")
            return await read_capped(response, max_bytes)  # counts what arrives
    except FetchError:
        raise AttachmentError(f"the file is larger than {max_bytes:,} bytes") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise AttachmentError(f"the file could not be downloaded ({type(exc).__name__})") from None
