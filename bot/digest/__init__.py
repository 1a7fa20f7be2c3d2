"""The daily forum digest, as one feature: settings -> data -> pure plan -> embeds -> thin cog.

Each server may have a digest posted at a local time in a channel of its choice. On a forum day
it lists that day's sessions; on other days it features sessions "from the archive" (with key
takeaways or calls to action), rotating through the whole archive before any repeats, plus what
was added since the server's last digest.

The modules, in the order data flows through them:

* `ledger` - what the digest remembers per server: settings, the claim/confirm ledger of posts
  (never twice) and the featured rotation; its SQL, on the store's connection primitives.
  Reached as ``catalog.digests``.
* `timing` - due-time maths (post times, local days, DST) and time-zone names/autocomplete.
* `source` - what a plan needs, read through the `bot.catalog.Catalog`; what servers due
  together share is read once.
* `plan` - pure: `select_digest` decides a `DigestPlan`.
* `render` - pure: a plan as Discord embeds (within Discord's limits) or terminal text.
* `scheduler` - the minute tick: claim, send through an injected sender, confirm; restart-safe,
  with an injected `bot.clock.Clock`.
* `replies` - the text of every ``/digest`` answer, as `bot.answers.Reply` objects.

``cogs/digest.py`` keeps only the commands, the permission check and the Discord adapter
(sending to a channel, checking a channel's permissions). ``python -m bot digest`` prints
`source.digest_text_for`.
"""
