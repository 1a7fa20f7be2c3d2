"""What the fake knows about one interaction it dispatched, and the test-facing view of it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import limits
from .limits import FLAG_EPHEMERAL, FLAG_LOADING
from .models import FakeChannel, FakeGuild, FakeUser, RecordedFile, RecordedRequest

if TYPE_CHECKING:
    from .server import FakeDiscord, StoredMessage

# Callback (interaction response) types
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE = 1, 4, 5, 6
UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 7, 8, 9

CALLBACK_NAMES = {
    PONG: "pong",
    CHANNEL_MESSAGE: "message",
    DEFERRED_CHANNEL_MESSAGE: "deferred message",
    DEFERRED_UPDATE_MESSAGE: "deferred update",
    UPDATE_MESSAGE: "update message",
    AUTOCOMPLETE_RESULT: "autocomplete result",
    MODAL: "modal",
}


class InteractionFailed(AssertionError):
    """The bot did not answer an interaction the way Discord needs; ``result`` has the details."""

    def __init__(self, message: str, result: InteractionResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(eq=False)
class InteractionRecord:
    id: int
    token: str
    type: int
    label: str
    """For messages: ``/digest channel``, ``click 'next'``..."""
    payload: dict[str, Any]
    user: FakeUser
    guild: FakeGuild | None
    channel: FakeChannel
    source_message_id: int | None = None
    """The message a component (or the modal opened from one) sits on."""
    dispatched_at: float | None = None
    responded_at: float | None = None
    response_type: int | None = None
    response: dict[str, Any] | None = None
    original_id: int | None = None
    original_edits: int = 0
    original_deleted: bool = False
    followup_ids: list[int] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    missed_deadline: bool = False
    last_rejection_at: float | None = None

    @property
    def settled(self) -> bool:
        """Discord shows a final answer: a message/update/choices/modal, or a deferral
        followed by an edit, a followup or a deletion."""
        if self.response_type is None:
            return False
        if self.response_type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE):
            return bool(self.original_edits or self.original_deleted or self.followup_ids)
        return True

    @property
    def rejections(self) -> list[RecordedRequest]:
        return [r for r in self.requests if not r.ok]


def _redact_token(path: str, token: str) -> str:
    return path.replace(token, "{token}")


class InteractionResult:
    """A live view of one interaction: properties always show the current state.

    ``message`` is the interaction's message as it is now: the reply (types 4/5, after
    edits) or, for component interactions answered with 6/7, the message the component is on.
    """

    def __init__(self, fake: FakeDiscord, record: InteractionRecord) -> None:
        self._fake = fake
        self.record = record

    def __repr__(self) -> str:
        return f"<InteractionResult {self.record.label} response={self.response_name}>"

    # --- the response ------------------------------------------------------------------------

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def response_type(self) -> int | None:
        return self.record.response_type

    @property
    def response_name(self) -> str | None:
        t = self.record.response_type
        return None if t is None else CALLBACK_NAMES.get(t, str(t))

    @property
    def deferred(self) -> bool:
        return self.record.response_type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE)

    @property
    def latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE to the accepted callback."""
        r = self.record
        if r.responded_at is None or r.dispatched_at is None:
            return None
        return r.responded_at - r.dispatched_at

    @property
    def stored(self) -> StoredMessage | None:
        if self.record.original_id is None:
            return None
        return self._fake._messages.get(self.record.original_id)

    @property
    def has_message(self) -> bool:
        stored = self.stored
        return stored is not None and not stored.deleted

    @property
    def message(self) -> dict[str, Any]:
        """The message as it is now; fails if there is none (autocomplete, modal, deleted)."""
        stored = self.stored
        if stored is None or stored.deleted:
            raise InteractionFailed(
                f"{self.record.label} has no message (response: {self.response_name})\n"
                + self.describe(),
                self,
            )
        return stored.payload

    @property
    def content(self) -> str:
        return str(self.message.get("content") or "")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.message.get("embeds") or [])

    @property
    def embed(self) -> dict[str, Any]:
        """The only embed; fails unless there is exactly one."""
        embeds = self.embeds
        if len(embeds) != 1:
            raise InteractionFailed(f"expected one embed, got {len(embeds)}", self)
        return embeds[0]

    @property
    def components(self) -> list[dict[str, Any]]:
        return list(self.message.get("components") or [])

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return list(self.message.get("attachments") or [])

    @property
    def files(self) -> list[RecordedFile]:
        """Uploaded files (name and bytes) of the message."""
        stored = self.stored
        return [] if stored is None else list(stored.files)

    @property
    def ephemeral(self) -> bool:
        if self.has_message:
            return bool(self.message.get("flags", 0) & FLAG_EPHEMERAL)
        data = (self.record.response or {}).get("data") or {}
        return bool(data.get("flags", 0) & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Still showing "Bot is thinking..." (deferred, not edited yet)."""
        return self.has_message and bool(self.message.get("flags", 0) & FLAG_LOADING)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """``allowed_mentions`` the bot sent with the message (None: not sent)."""
        stored = self.stored
        return None if stored is None else stored.allowed_mentions

    @property
    def followups(self) -> list[dict[str, Any]]:
        out = []
        for mid in self.record.followup_ids:
            stored = self._fake._messages.get(mid)
            if stored is not None and not stored.deleted:
                out.append(stored.payload)
        return out

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self.record.choices

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.record.modal

    @property
    def rejections(self) -> list[RecordedRequest]:
        """Requests for this interaction the fake refused (4xx), in order."""
        return self.record.rejections

    # --- components --------------------------------------------------------------------------

    def iter_components(self) -> Iterator[dict[str, Any]]:
        yield from walk_components(self.components)

    def component(
        self, custom_id: str | None = None, *, label: str | None = None
    ) -> dict[str, Any]:
        """The component with this custom_id (or button label); fails listing what exists."""
        for c in self.iter_components():
            if custom_id is not None and c.get("custom_id") == custom_id:
                return c
            if label is not None and c.get("label") == label:
                return c
        present = [
            c.get("custom_id") or c.get("label")
            for c in self.iter_components()
            if c.get("type") != limits.ACTION_ROW
        ]
        raise InteractionFailed(
            f"no component {custom_id or label!r}; message has {present}",
            self,
        )

    # --- waiting -----------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[InteractionResult], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "the condition",
    ) -> InteractionResult:
        ok = await self._fake._wait(lambda: predicate(self), timeout)
        if not ok:
            raise InteractionFailed(
                f"timed out after {timeout}s waiting for {what} on {self.record.label}\n"
                + self.describe(),
                self,
            )
        return self

    async def wait_for_followups(
        self,
        count: int = 1,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[dict[str, Any]]:
        await self.wait_for(
            lambda r: len(r.record.followup_ids) >= count,
            timeout=timeout,
            what=f"{count} followup(s)",
        )
        return self.followups

    async def wait_for_edit(
        self,
        edits: int = 1,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait until the original message was edited ``edits`` times in total."""
        await self.wait_for(
            lambda r: r.record.original_edits >= edits, timeout=timeout, what=f"edit #{edits}"
        )
        return self.message

    # --- diagnostics -------------------------------------------------------------------------

    def describe(self) -> str:
        r = self.record
        lines = [f"  interaction {r.label} (id {r.id}), response: {self.response_name}"]
        if r.missed_deadline:
            lines.append("  !! no callback within the deadline: 'The application did not respond'")
        if not r.requests:
            lines.append("  the fake received no request for this interaction")
        for req in r.requests:
            lines.append("  " + _redact_token(req.describe(), r.token))
            if not req.ok and req.json is not None:
                lines.append(f"      body: {_shorten(req.json)}")
        others = [
            q
            for q in self._fake.requests
            if r.dispatched_at is not None and q.at >= r.dispatched_at and q not in r.requests
        ]
        if others:
            lines.append("  other requests since dispatch:")
            lines.extend("    " + q.describe() for q in others[-10:])
        lines.append(
            "  (an exception in the bot's handler is logged by discord.py, see captured logs)"
        )
        return "\n".join(lines)


def _shorten(value: Any, limit: int = 600) -> str:
    text = re.sub(r"\s+", " ", repr(value))
    return text if len(text) <= limit else text[:limit] + "…"


def walk_components(components: list[Any]) -> Iterator[dict[str, Any]]:
    for c in components:
        if not isinstance(c, dict):
            continue
        yield c
        yield from walk_components(c.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(c.get(key), dict):
                yield from walk_components([c[key]])
