"""The schedule in Discord's own calendar: one external scheduled event per session.

``/events publish [year] [day] [type]`` records a *scope* for the server and publishes its
sessions that start in the future; from then on the server's events follow the catalogue.

The modules, in the order data flows through them:

* `ledger` - what the feature remembers per server: the published scopes and, per session,
  the event id (claim/confirm: never twice); its SQL, on the store's primitives. Reached as
  ``catalog.events``.
* `source` - what a plan needs, read through the `bot.catalog.Catalog`.
* `plan` - pure: `plan_events` decides creates, edits and deletes, soonest first, within
  Discord's 100 uncompleted events per server.
* `render` - pure: a session's event as Discord's REST body (within its field limits) and as
  text.
* `scheduler` - `EventPublisher`: sync one server (commands) or all (the minute tick);
  restart-safe, with an injected `bot.clock.Clock` and Discord behind `EventsAdapter`.
* `replies` - the text of every ``/events`` answer, as `bot.answers.Reply` objects.

``cogs/events.py`` keeps only the commands, the permission checks and the Discord adapter.
"""
