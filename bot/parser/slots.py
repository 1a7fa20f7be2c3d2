"""The moderator and rapporteur slots of IGF's template, filled in its order by unlabelled
people: an unlabelled person after the speakers is the onsite moderator, then the online
moderator, then the rapporteur."""

from __future__ import annotations

from bot.models import Person
from bot.parser.draft import Draft
from bot.parser.people import person_chunks
from bot.parser.states import TEMPLATE_SLOTS, State


class TemplateSlots:
    """The slots of one draft, and which of them template order has filled."""

    def __init__(self, draft: Draft):
        session = draft.session
        # The session's lists are only ever appended to, never replaced.
        self._lists = {
            State.ONSITE: session.onsite_moderators,
            State.ONLINE: session.online_moderators,
            State.RAPPORTEUR: session.rapporteurs,
        }
        self._closed: set[State] = set()  # slots filled by template order

    def __getitem__(self, role: State) -> list[Person]:
        """The session's list for ONSITE, ONLINE or RAPPORTEUR."""
        return self._lists[role]

    def fill_next(self, *lines: str) -> bool:
        """Put the person on each line in the next open slot; False when none is open."""
        for role in TEMPLATE_SLOTS:
            slot = self._lists[role]
            if not slot and not self._is_closed(role):
                slot.extend(Person(*person_chunks(line)) for line in lines)
                self._closed.add(role)
                return True
        return False

    def _is_closed(self, role: State) -> bool:
        # A slot is closed once a later one has been filled: nothing goes back up the template.
        later = TEMPLATE_SLOTS[TEMPLATE_SLOTS.index(role) + 1 :]
        return role in self._closed or any(self._lists[s] for s in later)
