"""The page reader: a state machine over a page's lines that fills a `Draft`.

`PageReader.state` says what the lines being read belong to; it is one `State`
(`bot.parser.states`), and `HANDLERS` gives each state its handler:

* TOP: the page's body, no block open: prose, unlabelled people and organisations;
* SCHEDULE, ROOM: after a "Time" label; after the schedule line, where a room name may follow;
* POLICY_QUESTIONS, DESCRIPTION, FORMAT, FORMAT_DESCRIPTION, TARGETS, SDGS: inside that block;
* ORGANIZERS, SPEAKERS, NUMBERED_SPEAKERS ("Speaker 1: …"), ONSITE, ONLINE, RAPPORTEUR:
  inside a labelled list of people;
* ORG_BLOCK, ORG_PEOPLE_DONE, SPEAKERS_BLOCK: unlabelled organisers, the people after them,
  then the speakers, recognised by their shape;
* AFTER_FORMAT, AFTER_PEOPLE: after a format line; after a filled moderator/rapporteur block,
  where the next unlabelled person fills the next slot of the template;
* TAKEAWAYS, CALLS: key takeaways and calls to action, paragraph by paragraph;
* REPORT: the session report, which runs to the end of the page;
* SKIP: a block the session record does not keep (subthemes, agenda, background paper…).

What a line is, in order of precedence (`PageReader._on_line`):

1. boilerplate and ">>Twitter" lines are nothing;
2. in REPORT every line is the report's;
3. an explicit label ("Online Moderator") opens its block; inside TAKEAWAYS and CALLS only
   "Calls to action" and "Report" do, any other line is one of theirs;
4. an inline label ("Organizer 1: Jane Doe") gives its value and may change the state; a line
   with several role labels ("Moderator: A Speakers: B; C Rapporteur: D") is read one label
   at a time;
5. the shape of the line: the schedule (near the top), a date line of the FOTIGF template,
   a format line, an SDG, an SDG target;
6. otherwise the state's handler (`HANDLERS`), where the order of the blocks on IGF's template
   fills what is left: an unlabelled person after the speakers is the onsite moderator, then
   the online moderator, then the rapporteur.

The heading (`bot.parser.heading`) is read first; a date line above it is read here, before the
lines after it. Once the page is read, a type or a year the heading did not give is looked for
in a short line, the body ("This workshop will…") or a date line.

A blank line (`PageReader._on_blank`) ends FORMAT_DESCRIPTION, a filled ONSITE, ONLINE or
RAPPORTEUR block, and a paragraph of the description, the takeaways or the calls to action.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.models import Person, Session
from bot.names import is_placeholder, strip_honorifics
from bot.parser import dates, shapes
from bot.parser.cleaning import is_boilerplate
from bot.parser.dates import is_schedule_line
from bot.parser.draft import Draft
from bot.parser.heading import read_heading, type_from_body
from bot.parser.people import (
    clean_name,
    is_not_org,
    is_org_line,
    is_paragraph,
    is_person_line,
    looks_like_name,
    name_pair,
    person_chunks,
    role_prefixed_person,
    split_names,
    split_orgs,
    split_people,
    split_run_on,
    tidy_org,
)
from bot.parser.shapes import (
    PEOPLE_LABEL_INITIALS,
    STOPWORDS,
    inline_label_parts,
    is_enumerated,
    is_segment_line,
    label_of,
    mentions_org,
    sdg_of,
    segment_dash,
)
from bot.parser.slots import TemplateSlots
from bot.parser.speakers import SpeakerList
from bot.parser.states import LABEL_STATES, TEMPLATE_SLOTS, State

# Python 3.11 finds an enum member through EnumType.__getattr__: `State.TOP` costs ~75 ns,
# a module global ~10 ns, and the reader tests its state several times a line (~8% of the parse
# time). Its methods use these names, bound once.
_TOP = State.TOP
_SCHEDULE = State.SCHEDULE
_ROOM = State.ROOM
_POLICY_QUESTIONS = State.POLICY_QUESTIONS
_DESCRIPTION = State.DESCRIPTION
_ORGANIZERS = State.ORGANIZERS
_NUMBERED_SPEAKERS = State.NUMBERED_SPEAKERS
_ORG_BLOCK = State.ORG_BLOCK
_ORG_PEOPLE_DONE = State.ORG_PEOPLE_DONE
_SPEAKERS_BLOCK = State.SPEAKERS_BLOCK
_FORMAT_DESCRIPTION = State.FORMAT_DESCRIPTION
_AFTER_FORMAT = State.AFTER_FORMAT
_AFTER_PEOPLE = State.AFTER_PEOPLE
_SDGS = State.SDGS
_TARGETS = State.TARGETS
_TAKEAWAYS = State.TAKEAWAYS
_CALLS = State.CALLS
_REPORT = State.REPORT

_NAME_SEPARATORS = re.compile(r"\s*/\s*|;\s*")  # in "Moderators: A / B; C"
_OUTCOMES = frozenset({State.TAKEAWAYS, State.CALLS})
_SLOT_STATES = frozenset(TEMPLATE_SLOTS)
_ENDS_OUTCOMES = frozenset({"calls", "report"})  # the labels that end a run of outcomes
_TARGET_STATES = frozenset({State.SDGS, State.TOP, State.AFTER_PEOPLE})
_ENTITY_STATES = frozenset({State.TOP, State.ORGANIZERS})
_UNLABELLED_PEOPLE_STATES = frozenset(
    {
        State.TOP,
        State.DESCRIPTION,
        State.ORG_BLOCK,
        State.SPEAKERS_BLOCK,
        State.AFTER_FORMAT,
        State.ORG_PEOPLE_DONE,
    }
)
_IGNORED_INLINE_LABELS = frozenset(
    {
        "country",
        "stakeholder group",
        "stakeholder",
        "regional group",
        "organizational affiliation",
        "twitter comments for this session",
    }
)


class PageReader:
    """Reads one page's lines (cleaned, URL line taken) into a `Session`."""

    def __init__(self, lines: list[str], url: str | None, source: str | None):
        self.lines = lines
        self.url = url
        self.source = source
        self.session = Session(heading="", title="", source_url=url)
        self.draft = Draft(self.session)
        self.state = _TOP
        self.speaker_list = SpeakerList(self.draft)
        self.blank_run = 1  # the first line after the heading starts a paragraph
        self.numbered_speakers = False
        self.additional_speakers = False  # an "Additional Speakers" block was opened
        self.slots = TemplateSlots(self.draft)
        self._last_short_line: str | None = None  # a bare format name ("Theater") above "Duration"
        self.warnings: list[str] = []  # text that looked like a date or a role but was not used
        # People named as organisers outside the organiser lines ("Moderator and Organizer: …").
        self.organizer_people: list[str] = []
        # Pages that label organizers or speakers get no shape-based guessing for them.
        heads = [line for line in lines if line[:1] in PEOPLE_LABEL_INITIALS]
        self.labelled_people = any(shapes.LABELLED_PEOPLE.match(line) for line in heads)
        self.labelled_organizers = any(shapes.LABELLED_ORGANIZERS.match(line) for line in heads)

    # -- driver ---------------------------------------------------------------------------

    def read(self) -> Session:
        place = read_heading(self.lines, self.url, self.session)
        body = self.lines[place.start :]
        for line in [*place.before, *body] if place.before else body:
            if not line:
                self.blank_run += 1
                self._on_blank()
                continue
            self._on_line(line)
            self.blank_run = 0
        session = self.session
        if session.session_type is None:
            session.session_type = type_from_body(self.lines)
        if session.year is None:
            session.year = dates.year_of_date_line(self.lines)
            session.event = f"IGF {session.year}" if session.year else session.event
        return self.draft.to_session()

    def _on_line(self, line: str) -> None:
        if is_boilerplate(line) or line.startswith(">>Twitter"):
            return
        state = self.state
        if state is not _REPORT:
            label = label_of(line)
            in_outcomes = state in _OUTCOMES
            if label and (not in_outcomes or label in _ENDS_OUTCOMES):
                self.speaker_list.pending_segment = None
                self.state = LABEL_STATES[label]
                if label == "add_speakers" or (label == "online" and self.additional_speakers):
                    self._on_additional_speakers(label)
                return
            if not in_outcomes and (self._inline_label(line) or self._shaped_line(line)):
                return
        HANDLERS[state](self, line)

    def _on_blank(self) -> None:
        state, draft = self.state, self.draft
        if state is _ROOM:
            return
        if state is _FORMAT_DESCRIPTION:
            self.state = _AFTER_FORMAT
        elif state in _SLOT_STATES and self.slots[state]:
            self.state = _AFTER_PEOPLE
        elif state is _TAKEAWAYS and draft.key_takeaways and draft.key_takeaways[-1]:
            draft.key_takeaways.append([])
        elif state is _CALLS and draft.calls_to_action and draft.calls_to_action[-1]:
            draft.calls_to_action.append([])
        if draft.description and draft.description[-1]:
            draft.description.append("")

    def _on_additional_speakers(self, label: str) -> None:
        """After "Additional Speakers", the template's unlabelled onsite moderator is the
        person line right before the "Online Moderator" label: read as a speaker until then."""
        session = self.session
        if label == "add_speakers":
            self.additional_speakers = True
        elif not session.onsite_moderators and len(session.speakers) > 1:
            last = session.speakers.pop()
            session.onsite_moderators.append(Person(last.name, last.affiliation))

    # -- inline labels ("Organizer 1: …") ---------------------------------------------------

    def _inline_label(self, line: str) -> bool:
        parts = inline_label_parts(line) if ":" in line[:60] else None
        if not parts:
            return False
        label, numbered, value = parts
        if ":" in value:
            # "Onsite moderator: A, Online moderator: B & C": one label at a time.
            segments = shapes.split_role_labels(line)
            if len(segments) > 1:
                return any([self._inline_label(segment) for segment in segments])
        return self._inline_people(label, numbered, value) or self._inline_field(label, value, line)

    def _inline_people(self, label: str, numbered: bool, value: str) -> bool:
        session = self.session
        role = shapes.ROLE_OF_LABEL.get(label)
        if label in {"organizer", "organiser", "co-organizer"}:
            if value:
                session.organizers.append(tidy_org(value))
            self.state = _ORGANIZERS
        elif label in {"speaker", "panelist"}:
            if numbered:
                self.numbered_speakers = True
                self.state = _NUMBERED_SPEAKERS
            for part in value.split(";") if ";" in value else (value,):
                self.speaker_list.add(part, labelled=True)
        elif role is not None:
            self._inline_role(label, role, value)
        elif label in {"proposer's name", "co-proposer's name"}:
            session.organizers.append(clean_name(value))
            self.state = _ORGANIZERS
        elif (
            label in {"proposer's organization", "co-proposer's organization"}
            and session.organizers
        ):
            session.organizers[-1] = f"{session.organizers[-1]}, {value}"
        else:
            return False
        return True

    def _inline_role(self, label: str, role: str, value: str) -> None:
        """ "Chair/Moderator: A", "Rapporteur/Notetaker: B", "Speakers: C; D", "Moderator and
        Organizer: E (main), F (sub)": each person in the role's list."""
        draft, session = self.draft, self.session
        people = split_names(split_people(value)[0]) if "(" not in value else split_people(value)
        unnamed = [p for p in people if is_placeholder(person_chunks(p)[0])]
        if unnamed or not value:
            shown = ", ".join(unnamed) or "nobody"
            self.warnings.append(f"a {label!r} label naming no person ({shown})")
        if role == "speakers":
            for part in people:
                self.speaker_list.add(part, labelled=True)
            return
        slot = {
            "onsite": session.onsite_moderators,
            "online": session.online_moderators,
            "rapporteur": session.rapporteurs,
        }[role]
        for part in people:
            draft.add_person(slot, part)
        if "organi" in label:
            self.organizer_people.extend(clean_name(person_chunks(p)[0]) for p in people)

    def _inline_field(self, label: str, value: str, line: str) -> bool:
        draft, session = self.draft, self.session
        if label == "format description":
            draft.format_description = [value] if value else []
            self.state = _FORMAT_DESCRIPTION
        elif label == "duration (minutes)" and value.isdigit():
            session.duration_minutes = int(value)
            if not session.format and self._last_short_line:
                session.format = self._last_short_line
        elif label == "session format" and shapes.FORMAT_RE.match(line):
            self._set_format(line)
        elif label == "description":
            self.state = _DESCRIPTION
            if value:
                draft.description.append(value)
        elif label == "title" and value and self.state is _TOP:
            session.title = value
        elif label == "targets":
            draft.add_targets(value)
            self.state = _TARGETS
        elif label in {"policy question(s)", "policy questions"}:
            self.state = _POLICY_QUESTIONS
            if value:
                draft.add_questions(value)
        elif label not in _IGNORED_INLINE_LABELS:
            return False
        return True

    # -- shape-recognised lines ---------------------------------------------------------------

    def _shaped_line(self, line: str) -> bool:
        draft, session, state = self.draft, self.session, self.state
        at_top = state is _TOP
        if session.starts_at is None and (at_top or state is _SCHEDULE) and is_schedule_line(line):
            draft.set_schedule(line)
            if session.starts_at is None:
                self.warnings.append(f"a date line that could not be read: {line[:80]!r}")
            self.state = _ROOM if session.room is None else _TOP
            return True
        fotigf = dates.FOTIGF_DATE.match(line) if session.starts_at is None and at_top else None
        if fotigf:
            draft.set_fotigf(fotigf)
            return True
        if not session.format and shapes.FORMAT_RE.match(line):
            self._set_format(line)
            return True
        sdg = sdg_of(line)
        if sdg:
            if sdg.number not in {s.number for s in session.sdgs}:
                session.sdgs.append(sdg)
            self.state = _SDGS
            return True
        if state in _TARGET_STATES and shapes.TARGET_CODE.match(line):
            session.targets.append(line)
            self.state = _SDGS
            return True
        if session.room is None and at_top and ("Room" in line or "Salle" in line):
            return self._room_mention(line)
        return False

    def _room_mention(self, line: str) -> bool:
        """ "[… 10.00-11.30 – Room XVII, UNOG]", "Salle VI": the room, near the top."""
        mention = shapes.ROOM_MENTION.search(line) if len(line) <= 120 else None
        if mention and not self.draft.description:
            self.session.room = mention.group(0)
            return not line.replace(mention.group(0), "").strip(" ,.-–[]()")
        return False

    def _set_format(self, line: str) -> None:
        self.draft.set_format(line)
        self.state = _AFTER_FORMAT

    # -- per-state handlers -------------------------------------------------------------------

    def _in_top(self, line: str) -> None:
        self._last_short_line = line if len(line) <= 40 else None
        if self.state is _TOP and self._top_questions(line):
            return
        if not self.labelled_people and self._unlabelled_people(line):
            return
        if self.labelled_people and self._top_organizers(line):
            return
        if self.numbered_speakers and is_person_line(line):
            self.slots.fill_next(line)
            return
        if shapes.NUMBERED.match(line) and is_segment_line(line):
            self.speaker_list.open_segment(line)
        if (
            self.state is _TOP
            and not self.draft.description
            and len(line) < 60
            and not line.endswith(".")
        ):
            return  # a subtheme or track name near the top: not part of the description
        self.draft.description.append(line)

    def _top_organizers(self, line: str) -> bool:
        # 2024-2025 pages open with the organising entity and its people, labels lost.
        draft, session = self.draft, self.session
        nothing_yet = not (session.speakers or draft.description or session.format)
        if self.labelled_organizers or not nothing_yet or self.state not in _ENTITY_STATES:
            return False
        entity = is_org_line(line) or (
            len(line) <= 80 and not line.endswith((".", "?", ":")) and not is_not_org(line)
        )
        if entity and not session.organizers:
            session.organizers.extend(tidy_org(part) for part in split_orgs(line))
            self.state = _ORGANIZERS
            return True
        if session.organizers and not is_paragraph(line) and len(split_run_on(line)) > 1:
            self._in_organizers(line)
            return True
        return False

    def _top_questions(self, line: str) -> bool:
        # Seeds list policy questions unlabelled, right under the schedule: "Theme: question?"
        if self.session.format or self.draft.description:
            return False
        if shapes.THEMED_QUESTION.match(line):
            self.session.policy_questions.append(line)
            return True
        return False

    def _unlabelled_people(self, line: str) -> bool:
        state = self.state
        if state not in _UNLABELLED_PEOPLE_STATES:
            return False
        in_speakers = state is _SPEAKERS_BLOCK
        after_blank = self.blank_run >= 1
        if in_speakers and is_segment_line(line):
            self.speaker_list.open_segment(line)
            return True
        if in_speakers and segment_dash(line):
            self._in_speakers(line)
            return True
        if state is _ORG_BLOCK and not after_blank and len(split_run_on(line)) > 1:
            self._in_organizers(line)
            self.state = _ORG_PEOPLE_DONE  # the next run of people is the speakers
            return True
        if in_speakers and "," not in line:
            if is_person_line(line):
                return self.slots.fill_next(line)
            pair = name_pair(line) if "/" in line else None
            if pair:  # "Nicola Burgess/Laura O’Brian": two people in one slot
                return self.slots.fill_next(*pair)
        if (
            ":" in line
            and (in_speakers or state is _ORG_PEOPLE_DONE)
            and not self.session.onsite_moderators
        ):
            speaker = role_prefixed_person(line)  # "Civil Society: Felicia Anthonio, …"
            if speaker:
                self.state = _SPEAKERS_BLOCK
                self.speaker_list.add(speaker)
                return True
        return self._unlabelled_speakers(line, state, after_blank) or self._unlabelled_org(
            line, state, after_blank
        )

    def _unlabelled_speakers(self, line: str, state: State, after_blank: bool) -> bool:
        in_speakers = state is _SPEAKERS_BLOCK
        starts_block = (after_blank or state is _ORG_PEOPLE_DONE) and "," in line
        if is_person_line(line) and (starts_block or in_speakers):
            if in_speakers and not after_blank and mentions_org(person_chunks(line)[0]):
                self.speaker_list.extend_last(line)  # the line continues an affiliation
                return True
            self.state = _SPEAKERS_BLOCK
            for part in split_run_on(line):
                self.speaker_list.add(part)
            return True
        if in_speakers and not after_blank and self.session.speakers:
            self.speaker_list.extend_last(line)
            return True
        return False

    def _unlabelled_org(self, line: str, state: State, after_blank: bool) -> bool:
        session = self.session
        if is_org_line(line) and not session.speakers and (after_blank or state is _ORG_BLOCK):
            self.state = _ORG_BLOCK
            session.organizers.extend(tidy_org(part) for part in split_orgs(line))
            return True
        return False

    def _back_to_top(self, line: str) -> None:
        """`line` ends the block: it is read as if no block were open."""
        self.state = _TOP
        self._in_top(line)

    def _in_room(self, line: str) -> None:
        words = shapes.WORDS.findall(line)
        looks_like_room = (
            len(line) <= 60
            and not line.endswith((".", "?"))
            and not shapes.FORMAT_RE.match(line)
            and not shapes.INLINE_LABEL_LIKE.match(line)
            and all(w[:1].isupper() or w[:1].isdigit() or w in STOPWORDS for w in words)
        )
        self.state = _TOP
        if looks_like_room and self.session.room is None:
            self.session.room = line
        else:
            self._on_line(line)

    def _in_policy_questions(self, line: str) -> None:
        draft, session = self.draft, self.session
        if shapes.PARTICIPANTS_GAIN.match(line) or (
            session.policy_questions and self.blank_run >= 1 and not is_enumerated(line)
        ):
            self.state = _DESCRIPTION
            draft.description.append(line)
            return
        draft.add_questions(line)

    def _in_description(self, line: str) -> None:
        if not self.labelled_people and self._unlabelled_people(line):
            return
        self.draft.description.append(line)

    def _in_organizers(self, line: str) -> None:
        if is_paragraph(line):
            self._back_to_top(line)  # prose after the organisers: no longer a list of them
            return
        parts = split_run_on(line)
        self.session.organizers.extend(tidy_org(strip_honorifics(p)) for p in parts)

    def _in_speakers(self, line: str) -> None:
        if (
            self.numbered_speakers
            and not self.additional_speakers
            and shapes.STAKEHOLDER_TAIL.search(line)
            and is_person_line(line)
        ):
            # "Name, Civil Society, African Group" after the additional speakers is the
            # template's unlabelled moderator / rapporteur line, not another speaker.
            self.slots.fill_next(line)
            return
        if is_segment_line(line) and not is_person_line(line):
            self.speaker_list.open_segment(line)
            return
        for part in split_run_on(line):
            seg = segment_dash(part)
            if seg:
                self.speaker_list.segment = seg.group("seg").strip()
                for name in seg.group("names").split(","):
                    self.speaker_list.add(name)
                continue
            self.speaker_list.add(part)

    def _in_numbered_speakers(self, line: str) -> None:
        if is_person_line(line):
            self.slots.fill_next(line)
        else:
            self._in_top(line)

    def _in_template_slot(self, line: str) -> None:
        """ONSITE, ONLINE, RAPPORTEUR: the people of the slot the state names."""
        slot = self.slots[self.state]
        if looks_like_name(person_chunks(line)[0]) or not slot:
            for part in split_run_on(line):
                self.draft.add_person(slot, part)
        else:
            self._back_to_top(line)

    def _in_after_people(self, line: str) -> None:
        short = len(line) < 120 and not line.endswith(".")
        if (is_person_line(line) or short) and self.slots.fill_next(line):
            return
        self._back_to_top(line)

    def _in_format(self, line: str) -> None:
        if shapes.FORMAT_RE.match(line):
            self._set_format(line)
        elif not self.session.format and len(line) <= 60:
            self.session.format = line
        else:
            self._back_to_top(line)

    def _in_format_description(self, line: str) -> None:
        # 2024 pages follow the format description with the policy questions, unlabelled.
        if line.count("?") >= 2 and line.rstrip().endswith("?"):
            self.state = _POLICY_QUESTIONS
            for question in shapes.AFTER_QUESTION.split(line):
                self.draft.add_questions(question)
        elif shapes.PARTICIPANTS_GAIN.match(line):
            self.state = _DESCRIPTION
            self.draft.description.append(line)
        else:
            self.draft.format_description.append(line)

    def _in_targets(self, line: str) -> None:
        if self.session.targets and not shapes.TARGET_CODE.match(line) and self.blank_run == 0:
            self.session.targets[-1] += " " + line
        else:
            self._back_to_top(line)

    def _in_skip(self, line: str) -> None:
        pass

    # -- outcomes and report ----------------------------------------------------------------

    def _in_outcomes(self, line: str) -> None:
        """TAKEAWAYS, CALLS: one more line of the current paragraph."""
        draft = self.draft
        target = draft.key_takeaways if self.state is _TAKEAWAYS else draft.calls_to_action
        if self.state is _CALLS and shapes.REPORT_START.match(line):
            self.state = _REPORT
            self._in_report(line)
            return
        if not target:
            target.append([])
        target[-1].append(line)

    def _in_report(self, line: str) -> None:
        draft, session = self.draft, self.session
        draft.report.append(line if self.blank_run == 0 or not draft.report else "\n" + line)
        people = shapes.REPORT_START.match(line)
        if not people:
            return
        role, value = people.group("role").casefold(), people.group("value")
        names = _NAME_SEPARATORS.split(value) if "/" in value or ";" in value else [value]
        for name in names:
            if not name.strip():
                continue
            # The report names people the page already listed ("Moderator: Dr Zhang Fang"):
            # one person, so only names not seen anywhere on the page are added.
            if role.startswith("moderator"):
                draft.add_person(session.onsite_moderators, name, known_elsewhere_ok=False)
            elif role.startswith("rapporteur"):
                draft.add_person(session.rapporteurs, name, known_elsewhere_ok=False)
            else:
                self.speaker_list.add(name)


# Each state's handler of the lines that no label, inline label or shape claimed first.
HANDLERS: dict[State, Callable[[PageReader, str], None]] = {
    State.TOP: PageReader._in_top,
    State.SCHEDULE: PageReader._back_to_top,
    State.ROOM: PageReader._in_room,
    State.POLICY_QUESTIONS: PageReader._in_policy_questions,
    State.DESCRIPTION: PageReader._in_description,
    State.ORGANIZERS: PageReader._in_organizers,
    State.SPEAKERS: PageReader._in_speakers,
    State.NUMBERED_SPEAKERS: PageReader._in_numbered_speakers,
    State.ONSITE: PageReader._in_template_slot,
    State.ONLINE: PageReader._in_template_slot,
    State.RAPPORTEUR: PageReader._in_template_slot,
    State.ORG_BLOCK: PageReader._in_top,
    State.ORG_PEOPLE_DONE: PageReader._in_top,
    State.SPEAKERS_BLOCK: PageReader._in_top,
    State.FORMAT: PageReader._in_format,
    State.FORMAT_DESCRIPTION: PageReader._in_format_description,
    State.AFTER_FORMAT: PageReader._in_top,
    State.AFTER_PEOPLE: PageReader._in_after_people,
    State.SDGS: PageReader._back_to_top,
    State.TARGETS: PageReader._in_targets,
    State.TAKEAWAYS: PageReader._in_outcomes,
    State.CALLS: PageReader._in_outcomes,
    State.REPORT: PageReader._in_report,
    State.SKIP: PageReader._in_skip,
}
