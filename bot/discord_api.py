"""Where discord.py sends its REST calls and opens its gateway websocket.

discord.py hard-codes ``https://discord.com/api/v10`` and ``wss://gateway.discord.gg/``.
Two situations need another address:

* production behind an HTTP proxy or API gateway that fronts Discord (``DISCORD_API_BASE``);
* tests, where a fake Discord listens on ``http://127.0.0.1:PORT``.

discord.py reads ``discord.http.Route.BASE`` on every request (interaction callbacks and
webhooks included) and ``DiscordWebSocket.DEFAULT_GATEWAY`` whenever a plain ``Bot``
connects. ``AutoShardedBot`` asks ``GET /gateway/bot`` for its websocket URL and resumes
on the URL READY gives, so the server at ``base_url`` controls those itself.
Call :func:`point_discord_at` once, before ``bot.start()``.
"""

from __future__ import annotations

import discord.http
import yarl
from discord.gateway import DiscordWebSocket

DEFAULT_API_BASE = "https://discord.com"

_WS_SCHEMES = {"http": "ws", "https": "wss"}


def point_discord_at(base_url: str) -> None:
    """Send discord.py's REST calls to ``{base_url}/api/v10`` and its gateway to base_url's host.

    ``base_url`` is a scheme and host with an optional port, e.g. ``https://discord.com``
    (the default: REST on ``https://discord.com/api/v10``, gateway on
    ``wss://gateway.discord.gg/``) or ``http://127.0.0.1:8080`` (REST on
    ``http://127.0.0.1:8080/api/v10``, gateway on ``ws://127.0.0.1:8080/``). A path is
    kept (``https://proxy.example/discord`` → ``wss://proxy.example/discord/``); a trailing
    ``/`` or ``/api/v10`` is tolerated.
    """
    base = base_url.strip().rstrip("/")
    if base.endswith("/api/v10"):
        base = base.removesuffix("/api/v10")
    url = yarl.URL(base)
    if url.scheme not in _WS_SCHEMES or not url.host:
        raise ValueError(f"DISCORD_API_BASE must be an http(s) URL with a host, not {base_url!r}")

    discord.http.Route.BASE = f"{base}/api/v10"
    if base == DEFAULT_API_BASE:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("wss://gateway.discord.gg/")
    else:
        # A proxy mounted under a path (https://proxy.example/discord) keeps that path.
        ws_path = url.path.rstrip("/") + "/"
        DiscordWebSocket.DEFAULT_GATEWAY = url.with_scheme(_WS_SCHEMES[url.scheme]).with_path(
            ws_path
        )
