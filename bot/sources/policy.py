"""Where the page fetcher may go: allowed hosts, https only, public addresses only.

Pure rules, no I/O. The resolver (resolver.py) applies `address_refusal` to every address a
host name resolves to; `FetchPolicy.refusal` covers what can be decided from the URL alone,
including hosts written as IP literals (aiohttp never asks the resolver about those).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_HOSTS = frozenset({"intgovforum.org"})
DEFAULT_USER_AGENT = "igf-forum-bot/0.1 (+https://github.com/igf-forum-bot/igf-forum-bot)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_REDIRECTS = 5


def normal_host(host: str | None) -> str:
    """Lower case, without the trailing dot of a fully qualified name."""
    return (host or "").strip().lower().rstrip(".")


def address_refusal(address: str) -> str | None:
    """Why a connection to this IP address is refused, or None when it is a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback, whatever the IPv6 flags say
    for kind in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return f"{ip} is a {kind.replace('_', '-')} address"
    if not ip.is_global:  # shared (100.64/10), documentation, benchmarking ...
        return f"{ip} is not a public address"
    return None


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """The fetcher's rules. The defaults are the production ones; the switches are for tests."""

    hosts: frozenset[str] = DEFAULT_HOSTS  # each also allows its subdomains
    http_hosts: frozenset[str] = frozenset()  # hosts allowed over plain http (tests only)
    allow_private: bool = False  # allow loopback/private addresses (tests only)
    max_redirects: int = MAX_REDIRECTS
    max_bytes: int = 5 * 1024 * 1024
    connect_timeout_s: float = 10.0
    total_timeout_s: float = 30.0
    min_interval_s: float = 1.0  # between two requests to one host
    html_types: frozenset[str] = field(default=HTML_TYPES)

    def host_allowed(self, host: str) -> bool:
        host = normal_host(host)
        return any(host == h or host.endswith("." + h) for h in map(normal_host, self.hosts))

    def refusal(self, url: str) -> str | None:
        """Why this URL may not be fetched, or None when the URL itself is acceptable."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            return "the address is malformed"
        host = normal_host(parts.hostname)
        if not host or not self.host_allowed(host):
            return f"{host or 'no host'} is not an allowed host"
        if parts.username is not None or parts.password is not None:
            return "the address carries credentials"
        plain_ok = parts.scheme == "http" and host in {normal_host(h) for h in self.http_hosts}
        if parts.scheme != "https" and not plain_ok:
            return "the address is not https"
        if not self.allow_private and _is_ip_literal(host):
            return address_refusal(host)
        return None

    def permits(self, url: str) -> bool:
        return self.refusal(url) is None
