"""Naming the stored copy of a fetched page (pure)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit

MAX_NAME = 150
_UNSAFE = re.compile(r"[^a-z0-9]+")
_UNSAFE_HOST = re.compile(r"[^a-z0-9.-]+")
_DOTS = re.compile(r"\.+")


def _host_part(url: str) -> str:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = _UNSAFE_HOST.sub("-", (parts.hostname or "").lower())
    host = _DOTS.sub(".", host).strip(".-") or "no-host"  # never "." or ".."
    return f"{host[:60]}-{port}" if port else host[:60]


def stored_name(url: str) -> str:
    """`fetched/<host>/<slug>-<hash>.txt`: stable for a URL, distinct for distinct URLs (the
    hash covers the whole address bar but the fragment), only [a-z0-9.-], at most 150 characters,
    and no part is empty, "." or ".." so it cannot climb out of `fetched/`."""
    whole = url.split("#", 1)[0]
    digest = hashlib.sha256(whole.encode("utf-8", errors="surrogatepass")).hexdigest()[:12]
    parts = urlsplit(whole)
    slug = _UNSAFE.sub("-", unquote(f"{parts.path}?{parts.query}").lower()).strip("-") or "index"
    prefix = f"fetched/{_host_part(whole)}/"
    room = MAX_NAME - len(prefix) - len(digest) - len("-.txt")
    slug = slug[:room].rstrip("-") or "index"
    return f"{prefix}{slug}-{digest}.txt"
