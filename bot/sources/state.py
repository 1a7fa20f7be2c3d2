"""What one fetch returns, and what the caller keeps per URL between fetches (pure)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

FetchStatus = Literal["ok", "not_modified", "error"]

BASE_BACKOFF_S = 60.0
MAX_BACKOFF_S = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    final_url: str
    status: FetchStatus
    text: str = ""  # the decoded page when status is "ok"
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # one line, for `/source list`
    retry_after_s: float | None = None
    deferred: bool = False  # no request was made: the source or its host is backing off


@dataclass(frozen=True, slots=True)
class SourceState:
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0  # consecutive
    next_attempt_at: datetime | None = None
    last_fetched_at: datetime | None = None
    last_changed_at: datetime | None = None
    last_error: str | None = None
    # Servers without validators answer 200 to unchanged pages; the hash tells a real change.
    text_sha256: str | None = None


def backoff_seconds(failures: int, retry_after_s: float | None = None) -> float:
    """How long to wait after the `failures`-th failure in a row: the server's Retry-After if it
    gave one, else exponential from one minute; never less than a second nor more than a day."""
    if retry_after_s is not None:
        delay = retry_after_s
    else:
        delay = BASE_BACKOFF_S * 2 ** min(max(failures - 1, 0), 20)
    return min(max(delay, 1.0), MAX_BACKOFF_S)


def is_due(state: SourceState | None, now: datetime) -> bool:
    return state is None or state.next_attempt_at is None or now >= state.next_attempt_at


def update_state(state: SourceState | None, result: FetchResult, now: datetime) -> SourceState:
    """The state to persist after `result`; a deferred result (no request made) changes nothing."""
    state = state or SourceState()
    if result.deferred:
        return state
    if result.status == "error":
        failures = state.failures + 1
        delay = backoff_seconds(failures, result.retry_after_s)
        return replace(
            state,
            failures=failures,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=result.error,
        )
    fresh = replace(
        state,
        etag=result.etag or state.etag,
        last_modified=result.last_modified or state.last_modified,
        failures=0,
        next_attempt_at=None,
        last_fetched_at=now,
        last_error=None,
    )
    if result.status == "not_modified":
        return fresh
    digest = hashlib.sha256(result.text.encode("utf-8")).hexdigest()
    changed = digest != state.text_sha256
    return replace(
        fresh,
        etag=result.etag,
        last_modified=result.last_modified,
        text_sha256=digest,
        last_changed_at=now if changed else state.last_changed_at,
    )
