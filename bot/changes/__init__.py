"""Schedule-change notices, as one feature: what a reload changed, stored, announced once.

The modules, in the order data flows through them:

* `diff` - pure: two snapshots of session summaries keyed by the stable session ``key``
  (before and after a load) -> a `ChangeSet` (added, updated with the fields that changed,
  removed), which survives a round trip through JSON.
* `ledger` - the durable "change batches" (one row per reload that changed the schedule) and
  the claim/confirm ledger of notices per (server, batch); its SQL, on the store's primitives.
  Reached as ``catalog.changes``.
* `plan` - pure: what one server's notice says (sessions not yet ended, grouped by local day).
* `render` - pure: the human-readable change lines (for ``load``/``/reload`` reports too) and a
  notice as Discord embeds.
* `scheduler` - the tick: for each server with a digest channel and notices on, every new
  batch is claimed, sent through an injected sender and confirmed - once, across restarts.

`bot.catalog.Catalog.reload` takes the snapshots and records the batch; ``/digest changes``
(cogs/digest.py) turns notices on or off; ``cogs/changes.py`` runs the tick.
"""
