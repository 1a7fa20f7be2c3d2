"""A local stand-in for the IGF website, for the page fetcher's tests (127.0.0.1, plain http).

It serves session and list pages as HTML built from the repository's seeds and corpus, with an
ETag and Last-Modified that honour conditional requests, plus every awkward case the fetcher
must survive: 429 with Retry-After, 500, redirects (home, away, in a loop), a slow page, an
endless page, a JSON document and a robots.txt that disallows /private/. It records every
request it receives, with the time of an injected clock, so tests can assert what never arrived.

For the sources integration (issue #17): WS #170's key takeaways and calls to action appear when
a test sets `publish_takeaways` (the page's ETag changes with them), `/list-2021` links only to
pages this server has, `/list-big` links to 600 of the small pages, and the small pages
`/en/content/igf-2021-session-<n>` never change (ETag "bench"): the benchmark of a refresh
where everything answers 304.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
OF5_PATH = (
    "/en/content/igf-2021-open-forum-5-development-and-rule-making-on-artificial-intelligence"
)
WS170_PATH = "/en/content/igf-2021-ws-170-child-protection-online-how-to-legislate"
ROBOTS = "User-agent: *\nDisallow: /private/\n"
LAST_MODIFIED = "Fri, 10 Dec 2021 09:30:00 GMT"
WS170_TAKEAWAYS = (
    "Child protection online needs legislation that is technology-neutral and future-proof.",
    "Children's rights must be considered in the design of digital services from the start.",
)
WS170_CALL = "Legislators should consult children when drafting laws on online safety."


def page_html(text: str, charset: str = "utf-8") -> str:
    """A small session page: the title as <h1>, each further line as a paragraph."""
    title, *lines = [line for line in text.splitlines() if line.strip()]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{html.escape(title)}'
        f"</title></head><body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>"
    )


def _corpus_text(name: str) -> str:
    """A corpus page's text without its `URL:` line."""
    text = (ROOT / "tests/fixtures/corpus" / name).read_text(encoding="utf-8")
    return text.split("\n", 1)[1] if text.startswith("URL:") else text


LIST_PAGE = f"""<html><body><h1>IGF 2021 sessions</h1><ul>
<li><a href="{OF5_PATH}">Open Forum #5</a></li>
<li><a href="{OF5_PATH}#speakers">Open Forum #5 again, with a fragment</a></li>
<li><a href="{WS170_PATH}?check_logged_in=1">WS #170</a></li>
<li><a href="../../en/content/igf-2021-town-hall-35-internet-and-jurisdiction">TH #35</a></li>
<li><a href="https://elsewhere.example/en/content/igf-2021-ws-35-building">another host</a></li>
<li><a href="/en/content/igf-2023-call-for-town-halls">a call for proposals</a></li>
<li><a href="/zh-hans/content/igf-2025-day-3-conference-hall-open-forum-30-high">transcript</a></li>
<li><a href="/en/user/logout?destination=content/igf-2023-ws-170-global">log out</a></li>
<li><a href="mailto:igf@un.org">mail</a> <a href="/en/about">about</a> <a>no href</a></li>
</ul></body></html>"""

LIST_2021 = f"""<html><body><h1>IGF 2021 sessions</h1><ul>
<li><a href="{OF5_PATH}">Open Forum #5</a></li> <li><a href="{WS170_PATH}">WS #170</a></li>
<li><a href="/en/about">about</a></li></ul></body></html>"""


def _outcomes_text() -> str:
    takeaways = "\n".join(WS170_TAKEAWAYS)
    return (
        f"\nKey Takeaways (* deadline 2 hours after session)\n{takeaways}\n"
        f"Call to Action (* deadline 2 hours after session)\n{WS170_CALL}"
    )


@dataclass(frozen=True, slots=True)
class Seen:
    path: str
    headers: dict[str, str]
    at: float  # the injected clock's time when the request arrived


class SourcesServer:
    def __init__(self, now: Callable[[], float] = lambda: 0.0) -> None:
        self.now = now
        self.seen: list[Seen] = []
        self.version = 1  # bump to change the session pages (and their ETag)
        self.robots_status = 200
        self.streamed = 0  # bytes the endless page managed to send
        self.publish_takeaways = False  # WS #170's takeaways appear on its page
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        return [seen.path for seen in self.seen]

    async def start(self) -> SourcesServer:
        app = web.Application(middlewares=[self._record])
        for path, handler in self._routes().items():
            app.router.add_get(path, handler)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def _routes(self) -> dict[str, Callable[[web.Request], object]]:
        return {
            "/robots.txt": self._robots,
            OF5_PATH: self._session,
            WS170_PATH: self._session,
            "/private/page": self._session,
            "/list": self._list,
            "/list-2021": self._list_2021,
            "/list-big": self._list_big,
            "/en/content/igf-2021-session-{n}": self._small,
            "/busy": self._busy,
            "/busy-until": self._busy_until,
            "/broken": self._broken,
            "/moved-away": self._moved_away,
            "/moved-home": self._moved_home,
            "/loop/{n}": self._loop,
            "/slow": self._slow,
            "/endless": self._endless,
            "/feed.json": self._json,
            "/latin1": self._latin1,
        }

    @web.middleware
    async def _record(self, request: web.Request, handler: Callable) -> web.StreamResponse:  # type: ignore[type-arg]
        self.seen.append(Seen(request.path, dict(request.headers), self.now()))
        return await handler(request)

    async def _robots(self, request: web.Request) -> web.Response:
        if self.robots_status != 200:
            return web.Response(status=self.robots_status, text="no")
        return web.Response(text=ROBOTS, content_type="text/plain")

    async def _session(self, request: web.Request) -> web.Response:
        name = "igf-2021-ws-170.txt" if request.path == WS170_PATH else "igf-2021-of-5.txt"
        text = _corpus_text(name) + ("\nUpdated." if self.version > 1 else "")
        etag = f'"v{self.version}"'
        if request.path == WS170_PATH and self.publish_takeaways:
            text, etag = text + _outcomes_text(), f'"v{self.version}-outcomes"'
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        unchanged = request.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in request.headers
            and request.headers.get("If-Modified-Since") == LAST_MODIFIED
            and self.version == 1
        )
        if unchanged:
            return web.Response(status=304, headers=headers)
        return web.Response(text=page_html(text), content_type="text/html", headers=headers)

    async def _list(self, request: web.Request) -> web.Response:
        return web.Response(text=LIST_PAGE, content_type="text/html")

    async def _list_2021(self, request: web.Request) -> web.Response:
        return web.Response(text=LIST_2021, content_type="text/html")

    async def _list_big(self, request: web.Request) -> web.Response:
        links = "".join(f'<a href="/en/content/igf-2021-session-{n}">{n}</a>' for n in range(600))
        return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")

    async def _small(self, request: web.Request) -> web.Response:
        headers = {"ETag": '"bench"'}
        if request.headers.get("If-None-Match") == '"bench"':
            return web.Response(status=304, headers=headers)
        n = request.match_info["n"]
        text = f"IGF 2021 Session {n}\nRoom {n}"
        return web.Response(text=page_html(text), content_type="text/html", headers=headers)

    async def _busy(self, request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "120"}, text="slow down")

    async def _busy_until(self, request: web.Request) -> web.Response:
        headers = {"Retry-After": "Fri, 10 Dec 2021 10:00:00 GMT"}
        return web.Response(status=503, headers=headers, text="maintenance")

    async def _broken(self, request: web.Request) -> web.Response:
        return web.Response(status=500, text="oops")

    async def _moved_away(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("https://elsewhere.example/en/content/igf-2021-ws-35")

    async def _moved_home(self, request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(OF5_PATH)

    async def _loop(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(f"/loop/{int(request.match_info['n']) + 1}")

    async def _slow(self, request: web.Request) -> web.Response:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), 5)
        return web.Response(text="<p>late</p>", content_type="text/html")

    async def _endless(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})  # no length
        await response.prepare(request)
        try:
            for _ in range(10_000):  # would be 640 MB
                await response.write(b"<p>" + b"x" * 65_530 + b"</p>")
                self.streamed += 65_537
        except (ConnectionError, RuntimeError):  # the client hung up: what we want
            pass
        return response

    async def _json(self, request: web.Request) -> web.Response:
        return web.json_response({"sessions": []})

    async def _latin1(self, request: web.Request) -> web.Response:
        body = page_html("Réunion\nSalle B", charset="iso-8859-1").encode("iso-8859-1")
        return web.Response(body=body, headers={"Content-Type": "text/html"})
