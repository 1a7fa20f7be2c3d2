"""Which links on a list page lead to IGF session pages (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

MAX_LINKS = 500

# /en/content/<slug>, /zh-hans/content/<slug>, /multilingual/content/<slug>, /content/<slug>,
# and friendsoftheigf.org's numbered /session/1099 (no slug to judge: always a session).
_PAGE = re.compile(
    r"^/(?:session/\d+|(?:(?:[a-z]{2}(?:-[a-z]{2,4})?|multilingual)/)?content/(?P<slug>[^/]+))/?$",
    re.I,
)
# Session slugs mostly open with the year ("igf-2021-ws-35-..."); older ones name the format.
_FORMAT_WORDS = ("session", "workshop", "forum", "town-hall", "lightning-talk")
_SESSION_SLUG = re.compile(rf"^igf-\d{{4}}-|(?:^|-)(?:{'|'.join(_FORMAT_WORDS)})(?:-|$)", re.I)
_NOT_SESSION_SLUGS = (
    r"^igf-\d{4}-day-\d+-(?!event)",  # a day's transcript by room; "day-0-event-17" is a session
    r"^(?:igf-\d{4}-)?call-for-",  # a call for proposals
    r"(?:^|-)transcripts?(?:-|$)",
    r"(?:^|-)press-release",
)
_NOT_SESSION = re.compile("|".join(_NOT_SESSION_SLUGS), re.I)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def looks_like_session(path: str) -> bool:
    match = _PAGE.match(path)
    if match is None:
        return False
    slug = match.group("slug")
    return slug is None or (not _NOT_SESSION.search(slug) and bool(_SESSION_SLUG.search(slug)))


def session_links(html: str, base_url: str, allow: Callable[[str], bool]) -> list[str]:
    """Absolute links on `base_url`'s host that look like session pages and that `allow` accepts
    (pass `FetchPolicy.permits`), without query or fragment, first occurrence first, at most 500."""
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    base = urlsplit(base_url)
    found: dict[str, None] = {}
    for href in parser.hrefs:
        try:
            parts = urlsplit(urljoin(base_url, href))
        except ValueError:
            continue
        if parts.hostname != base.hostname or not looks_like_session(parts.path):
            continue
        link = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        if allow(link):
            found.setdefault(link, None)
            if len(found) >= MAX_LINKS:
                break
    return list(found)
