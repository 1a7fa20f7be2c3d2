"""Keeping the archive current from the IGF website (issue #17): the network core, no Discord.

- policy: where the fetcher may go (allowlist, https, public addresses) and its limits
- resolver: DNS answers checked before connecting (no rebinding)
- limiter: one request a second per host
- transport: the aiohttp session, redirects within the policy, timeouts, byte cap
- robots: robots.txt per host
- fetcher: `PageFetcher` and HTML decoding, Retry-After, host pauses
- state: `FetchResult`, `SourceState` and the pure `update_state`
- links: session links on a list page
- filenames: the stored file for a URL

The integration (no Discord either; the cog is cogs/sources.py):

- ledger: the sources table, the news claim/confirm ledger, the news switch, and when each
  session's takeaways appeared; reached as ``catalog.sources``
- refresh: `Refresher` - due sources -> fetch -> seeds/fetched/ -> reload -> what appeared
- news: the pure plan and the embeds and buttons of the "new takeaways" post
- scheduler: the periodic refresh (`REFRESH_MINUTES`) and the posts, on an injected clock
- replies: every ``/source`` and ``/digest news`` answer as a `bot.answers.Reply`
- cli: ``python -m bot fetch``
"""

from bot.sources.fetcher import PageFetcher, decode_html, retry_after_seconds
from bot.sources.filenames import stored_name
from bot.sources.links import MAX_LINKS, looks_like_session, session_links
from bot.sources.policy import DEFAULT_HOSTS, DEFAULT_USER_AGENT, FetchPolicy, address_refusal
from bot.sources.state import (
    FetchResult,
    FetchStatus,
    SourceState,
    backoff_seconds,
    is_due,
    update_state,
)

__all__ = [
    "DEFAULT_HOSTS",
    "DEFAULT_USER_AGENT",
    "MAX_LINKS",
    "FetchPolicy",
    "FetchResult",
    "FetchStatus",
    "PageFetcher",
    "SourceState",
    "address_refusal",
    "backoff_seconds",
    "decode_html",
    "is_due",
    "looks_like_session",
    "retry_after_seconds",
    "session_links",
    "stored_name",
    "update_state",
]
