"""Following the forum live, as one feature: ``/now``, ``/next``, reminders by DM, a personal
agenda and calendar files.

The modules, in the order data flows through them (the shape of `bot.digest`):

* `ledger` - the ``reminders`` table: one row per (user, session key), the claim/confirm
  states that make a reminder go out at most once; its SQL on the store's primitives.
  Reached as ``catalog.reminders``.
* `source` - what the feature reads, through the `bot.catalog.Catalog` only; a session is read
  once per round of work.
* `plan` - pure: the records (`ReminderSession`, `Reminder`), what to do with a due reminder
  (`decide`), what is on now or next (`in_progress`, `starting_within`).
* `calendar` - pure: sessions as iCalendar text (the ``icalendar`` library).
* `render` - pure: DMs, ``/remind list``, ``/agenda``, ``/now`` and ``/next`` as embeds.
* `scheduler` - the minute tick: follow moved or removed sessions, then claim, send through an
  injected sender (paced under Discord's rate limit, in time order) and confirm; restart-safe.
* `replies` - every command answer as a `bot.answers.Reply`.

``cogs/reminders.py`` and ``cogs/live.py`` keep only the commands, the card buttons and the
Discord adapter (sending a DM). ``python -m bot calendar QUERY`` prints `calendar_text_for`.
"""
