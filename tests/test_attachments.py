"""Uploaded files are read only from Discord's CDN, streamed, never past the byte cap."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.attachments import AttachmentError, AttachmentPolicy, read_attachment

CAP = 10_000


@pytest.fixture
async def cdn() -> AsyncIterator[tuple[str, dict[str, int]]]:
    sent = {"bytes": 0}

    async def small(request: web.Request) -> web.Response:
        return web.Response(body=b"IGF 2021 Open Forum #5")

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # chunked: no declared length
        await response.prepare(request)
        try:
            for _ in range(10_000):  # would be 640 MB
                await response.write(b"x" * 65_536)
                sent["bytes"] += 65_536
        except (ConnectionError, RuntimeError):  # the client hung up: what we want
            pass
        return response

    async def declared_big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * (CAP + 1))

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("https://example.com/file.txt")

    app = web.Application()
    app.router.add_get("/attachments/1/small.txt", small)
    app.router.add_get("/attachments/2/endless.txt", endless)
    app.router.add_get("/attachments/3/big.txt", declared_big)
    app.router.add_get("/attachments/4/moved.txt", redirect)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", sent
    finally:
        await runner.cleanup()


async def test_reads_a_small_file_from_the_configured_base(cdn: tuple[str, dict[str, int]]) -> None:
    base, _ = cdn
    policy = AttachmentPolicy.for_api_base(base)
    data = await read_attachment(f"{base}/attachments/1/small.txt", max_bytes=CAP, policy=policy)
    assert data == b"IGF 2021 Open Forum #5"


async def test_a_stream_that_never_ends_is_cut_at_the_cap(cdn: tuple[str, dict[str, int]]) -> None:
    base, sent = cdn
    policy = AttachmentPolicy.for_api_base(base)
    with pytest.raises(AttachmentError, match="larger than 10,000 bytes"):
        await read_attachment(f"{base}/attachments/2/endless.txt", max_bytes=CAP, policy=policy)
    # Stopped after what the socket buffers hold (a few MB on loopback), not its 640 MB.
    assert sent["bytes"] < 32 * 1024 * 1024


async def test_a_declared_length_over_the_cap_is_refused(cdn: tuple[str, dict[str, int]]) -> None:
    base, _ = cdn
    policy = AttachmentPolicy.for_api_base(base)
    with pytest.raises(AttachmentError, match="larger than"):
        await read_attachment(f"{base}/attachments/3/big.txt", max_bytes=CAP, policy=policy)


async def test_redirects_are_not_followed(cdn: tuple[str, dict[str, int]]) -> None:
    base, _ = cdn
    policy = AttachmentPolicy.for_api_base(base)
    with pytest.raises(AttachmentError, match="answered 302"):
        await read_attachment(f"{base}/attachments/4/moved.txt", max_bytes=CAP, policy=policy)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://evil.example/attachments/1/a.txt", "not on Discord's CDN"),
        ("http://cdn.discordapp.com/attachments/1/a.txt", "not https"),
        ("https://127.0.0.1/attachments/1/a.txt", "not on Discord's CDN"),
        ("file:///etc/passwd", "not on Discord's CDN"),
        ("https://cdn.discordapp.com.evil.example/a.txt", "not on Discord's CDN"),
    ],
)
async def test_only_discords_cdn_over_https(url: str, reason: str) -> None:
    with pytest.raises(AttachmentError, match=reason):
        await read_attachment(url, max_bytes=CAP, policy=AttachmentPolicy())


def test_the_policy_for_discord_itself_is_the_cdn_only() -> None:
    assert AttachmentPolicy.for_api_base("https://discord.com") == AttachmentPolicy()
    proxy = AttachmentPolicy.for_api_base("https://proxy.example")
    assert "proxy.example" in proxy.hosts and not proxy.http_hosts
