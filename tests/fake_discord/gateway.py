"""The fake gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME, and the
transport compression discord.py asks for (``zlib-stream``, or ``zstd-stream`` when the
``zstandard`` package is installed)."""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import WSMsgType, web

from .models import GatewayEvent

if TYPE_CHECKING:
    from .server import FakeDiscord

# Opcodes
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE, RESUME, RECONNECT = 0, 1, 2, 3, 4, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11

# Intents
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT

BACKLOG_MAX = 1000


class _Encoder(Protocol):
    def encode(self, text: str) -> bytes | str: ...


class _Plain:
    def encode(self, text: str) -> str:
        return text


class _ZlibStream:
    """One deflate stream per connection; every message ends with Z_SYNC_FLUSH (00 00 ff ff)."""

    def __init__(self) -> None:
        self._compressor = zlib.compressobj()

    def encode(self, text: str) -> bytes:
        data = text.encode()
        return self._compressor.compress(data) + self._compressor.flush(zlib.Z_SYNC_FLUSH)


def _zstd_encoder() -> _Encoder | None:
    """A zstd stream flushed per message, if the library discord.py would use is installed."""
    try:
        import zstandard  # type: ignore[import-not-found]
    except ImportError:
        try:
            from compression import zstd  # type: ignore[import-not-found]
        except ImportError:
            return None

        class _StdlibZstd:
            def __init__(self) -> None:
                self._compressor = zstd.ZstdCompressor()

            def encode(self, text: str) -> bytes:
                return self._compressor.compress(
                    text.encode(), mode=zstd.ZstdCompressor.FLUSH_BLOCK
                )

        return _StdlibZstd()

    class _Zstandard:
        def __init__(self) -> None:
            self._compressor = zstandard.ZstdCompressor().compressobj()

        def encode(self, text: str) -> bytes:
            out: bytes = self._compressor.compress(text.encode())
            return out + self._compressor.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)

    return _Zstandard()


@dataclass(eq=False)
class Connection:
    ws: web.WebSocketResponse
    encoder: _Encoder
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    session: GatewaySession | None = None


@dataclass(eq=False)
class GatewaySession:
    session_id: str
    token: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    connection: Connection | None = None
    backlog: list[dict[str, Any]] = field(default_factory=list)
    guilds_sent: bool = False

    @property
    def live(self) -> bool:
        return self.connection is not None and not self.connection.ws.closed


class Gateway:
    """Websocket endpoint at ``/`` (and ``/resume`` for READY's ``resume_gateway_url``)."""

    def __init__(self, fake: FakeDiscord, *, heartbeat_interval_ms: int) -> None:
        self._fake = fake
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, GatewaySession] = {}
        self.current: GatewaySession | None = None
        self.events: list[GatewayEvent] = []
        self.connections = 0
        self.identifies = 0
        self.resumes = 0
        self.handshakes: list[tuple[str, dict[str, str]]] = []
        """Path and query of every websocket connection, in order."""
        self._open: set[Connection] = set()

    @property
    def compression(self) -> list[str | None]:
        """The ``compress`` query parameter of every connection, in order."""
        return [query.get("compress") for _, query in self.handshakes]

    # --- sending -----------------------------------------------------------------------------

    async def _send(self, conn: Connection, frame: dict[str, Any]) -> None:
        session_id = conn.session.session_id if conn.session else None
        self.events.append(
            GatewayEvent(
                "sent", frame["op"], frame.get("t"), frame.get("s"), frame.get("d"), session_id
            )
        )
        text = json.dumps(frame, separators=(",", ":"))
        async with conn.lock:  # compress and send in one step, or the stream breaks
            if conn.ws.closed:
                return
            encoded = conn.encoder.encode(text)
            try:
                if isinstance(encoded, bytes):
                    await conn.ws.send_bytes(encoded)
                else:
                    await conn.ws.send_str(encoded)
            except ConnectionError:
                pass
        self._fake._changed()

    async def dispatch(self, session: GatewaySession, event: str, data: Any) -> None:
        """Send (or, while the session is disconnected, queue for RESUME) a DISPATCH."""
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.backlog.append(frame)
        del session.backlog[:-BACKLOG_MAX]
        if session.connection is not None and not session.connection.ws.closed:
            await self._send(session.connection, frame)
        else:
            self.events.append(
                GatewayEvent("queued", DISPATCH, event, session.seq, data, session.session_id)
            )

    # --- test controls -----------------------------------------------------------------------

    async def drop(self, code: int = 4000) -> None:
        """Close the live connection; the session stays resumable (like a network blip)."""
        session = self.current
        if session is None or session.connection is None:
            raise AssertionError("no gateway connection to drop")
        conn = session.connection
        session.connection = None
        await conn.ws.close(code=code, message=b"dropped by the test")

    async def send_reconnect(self) -> None:
        """Opcode 7: the client closes and RESUMEs."""
        session = self._require_live()
        assert session.connection is not None
        await self._send(session.connection, {"op": RECONNECT, "d": None, "s": None, "t": None})

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Opcode 9. With ``resumable=False`` the client IDENTIFYs again (note: AutoShardedBot's
        default ``before_identify_hook`` sleeps 5 s before a non-initial IDENTIFY)."""
        session = self._require_live()
        assert session.connection is not None
        if not resumable:
            self.sessions.pop(session.session_id, None)
        await self._send(
            session.connection, {"op": INVALID_SESSION, "d": resumable, "s": None, "t": None}
        )

    def _require_live(self) -> GatewaySession:
        session = self.current
        if session is None or not session.live:
            raise AssertionError("no live gateway session")
        return session

    async def close_all(self) -> None:
        for conn in list(self._open):
            await conn.ws.close(code=1001, message=b"fake discord stopping")

    # --- the endpoint ------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress")
        self.handshakes.append((request.path, dict(request.query)))
        encoder: _Encoder | None
        if compress is None:
            encoder = _Plain()
        elif compress == "zlib-stream":
            encoder = _ZlibStream()
        elif compress == "zstd-stream":
            encoder = _zstd_encoder()
        else:
            encoder = None
        conn = Connection(ws=ws, encoder=encoder or _Plain())
        self.connections += 1
        self._open.add(conn)
        try:
            if request.query.get("v") != "10":
                await ws.close(code=4012, message=b"Invalid API version")
                return ws
            if request.query.get("encoding", "json") != "json" or encoder is None:
                await ws.close(code=4002, message=b"Decode error")
                return ws
            await self._send(
                conn,
                {
                    "op": HELLO,
                    "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                    "s": None,
                    "t": None,
                },
            )
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    await ws.close(code=4002, message=b"Decode error")
                    break
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Decode error")
                    break
                await self._received(conn, frame)
        finally:
            self._open.discard(conn)
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
            self._fake._changed()
        return ws

    async def _received(self, conn: Connection, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        data = frame.get("d")
        logged = data
        if isinstance(data, dict) and "token" in data:
            logged = {**data, "token": "<redacted>"}
        session_id = conn.session.session_id if conn.session else None
        self.events.append(
            GatewayEvent(
                "received", op if isinstance(op, int) else -1, None, None, logged, session_id
            )
        )
        self._fake._changed()
        handlers: dict[int, Callable[[Connection, Any], Any]] = {
            HEARTBEAT: self._on_heartbeat,
            IDENTIFY: self._on_identify,
            RESUME: self._on_resume,
            REQUEST_MEMBERS: self._on_request_members,
        }
        if op in (PRESENCE, VOICE_STATE):
            return
        handler = handlers.get(op) if isinstance(op, int) else None
        if handler is None:
            await conn.ws.close(code=4001, message=b"Unknown opcode")
            return
        if op not in (HEARTBEAT, IDENTIFY, RESUME) and conn.session is None:
            await conn.ws.close(code=4003, message=b"Not authenticated")
            return
        await handler(conn, data)

    async def _on_heartbeat(self, conn: Connection, data: Any) -> None:
        await self._send(conn, {"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})

    async def _on_identify(self, conn: Connection, data: dict[str, Any]) -> None:
        fake = self._fake
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated")
            return
        if not fake._token_ok(data.get("token")):
            await conn.ws.close(code=4004, message=b"Authentication failed")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await conn.ws.close(code=4013, message=b"Invalid intent(s)")
            return
        if (
            fake.allowed_intents is not None
            and intents & PRIVILEGED_INTENTS & ~fake.allowed_intents
        ):
            await conn.ws.close(code=4014, message=b"Disallowed intent(s)")
            return
        shard = data.get("shard")
        if shard is not None and (shard[1] != 1 or shard[0] != 0):
            await conn.ws.close(code=4010, message=b"Invalid shard")
            return
        self.identifies += 1
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            token=data.get("token", ""),
            intents=intents,
            shard=shard,
        )
        self.sessions[session.session_id] = session
        session.connection = conn
        conn.session = session
        self.current = session
        await self.dispatch(session, "READY", fake._ready_payload(session))
        if intents & GUILDS:
            for guild in list(fake.guilds.values()):
                await self.dispatch(session, "GUILD_CREATE", fake._guild_create(guild, session))
        session.guilds_sent = True
        fake._changed()

    async def _on_resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or session.token != data.get("token"):
            await self._send(conn, {"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        self.resumes += 1
        old = session.connection
        session.connection = conn
        conn.session = session
        self.current = session
        if old is not None and old is not conn:
            await old.ws.close(code=4000, message=b"session resumed elsewhere")
        last_seen = data.get("seq") or 0
        for frame in list(session.backlog):
            if frame["s"] > last_seen:
                await self._send(conn, frame)
        await self.dispatch(session, "RESUMED", {"_trace": ["fake-discord"]})
        self._fake._changed()

    async def _on_request_members(self, conn: Connection, data: dict[str, Any]) -> None:
        assert conn.session is not None
        fake = self._fake
        guild = fake.guilds.get(int(data.get("guild_id", 0)))
        members = []
        if guild is not None:
            user_ids = {int(u) for u in data.get("user_ids") or []}
            query = (data.get("query") or "").lower()
            for member in guild.members.values():
                if user_ids and member.user.id not in user_ids:
                    continue
                if not member.user.username.lower().startswith(query):
                    continue
                members.append(member)
        chunk: dict[str, Any] = {
            "guild_id": str(data.get("guild_id")),
            "members": [fake._member_payload(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self.dispatch(conn.session, "GUILD_MEMBERS_CHUNK", chunk)
