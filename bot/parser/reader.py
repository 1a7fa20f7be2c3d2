"""The page reader: a state machine over a page's lines that fills a `Draft`."""

from __future__ import annotations

import re
from itertools import chain

from bot.models import Person, Sdg, Session, Speaker
from bot.names import person_key, strip_honorifics
from bot.parser.cleaning import is_boilerplate
from bot.parser.dates import FOTIGF_DATE, SCHEDULE_MINUTES, is_schedule_line, parse_schedule
from bot.parser.draft import Draft, paragraphs
from bot.parser.heading import (
    BARE_REFERENCE,
    HEADING_RE,
    TYPE_COLON,
    TYPED_TITLE,
    heading_from_url,
    roman,
)
from bot.parser.lines import (
    AFTER_QUESTION,
    FORMAT_RE,
    INLINE_LABEL_LIKE,
    LABELLED_ORGANIZERS,
    LABELLED_PEOPLE,
    MINUTES_SUFFIX,
    NUMBER_PREFIX,
    NUMBERED,
    PARTICIPANTS_GAIN,
    PEOPLE_LABEL_INITIALS,
    PQ_LABEL,
    REPORT_START,
    STAKEHOLDER_TAIL,
    STOPWORDS,
    TARGET_CODE,
    TARGET_TOKEN,
    THEMED_QUESTION,
    WORDS,
    inline_label_parts,
    is_enumerated,
    is_segment_line,
    label_of,
    mentions_org,
    sdg_of,
    segment_dash,
    split_enumerated,
)
from bot.parser.people import (
    NAME_SEPARATORS,
    clean_name,
    is_key_among,
    is_org_line,
    is_person_line,
    looks_like_name,
    person_chunks,
    speaker_fields,
    split_people,
    split_run_on,
    tidy_org,
)
from bot.vocabulary import (
    SDG_NAMES,
    canonical_type,
)

_ON_TAIL = re.compile(r"\s+on\s+.*$")


class PageReader:
    def __init__(self, lines: list[str], url: str | None, source: str | None):
        self.lines = lines
        self.url = url
        self.source = source
        self.d = Draft()
        self.state = "top"
        self.segment: str | None = None
        self.pending_segment: str | None = None
        self.blank_run = 1  # the first line after the heading starts a paragraph
        self.numbered_speakers = False
        self._closed: set[str] = set()  # moderator/rapporteur slots filled by template order
        self._last_short_line: str | None = None  # a bare format name ("Theater") above "Duration"
        # Pages that label organizers or speakers get no shape-based guessing for them.
        heads = [line for line in lines if line[:1] in PEOPLE_LABEL_INITIALS]
        self.labelled_people = any(LABELLED_PEOPLE.match(line) for line in heads)
        self.labelled_organizers = any(LABELLED_ORGANIZERS.match(line) for line in heads)

    # -- driver ---------------------------------------------------------------------------

    def read(self) -> Session:
        start = self._read_heading()
        for line in self.lines[start:]:
            if not line:
                self.blank_run += 1
                self._on_blank()
                continue
            self._on_line(line)
            self.blank_run = 0
        return self._finish()

    def _on_line(self, line: str) -> None:
        if is_boilerplate(line) or line.startswith(">>Twitter"):
            return
        state = self.state
        if state == "report":
            self._report_line(line)
            return
        label = label_of(line)
        in_outcomes = state in {"takeaways", "calls"}
        if label and not (in_outcomes and label not in {"calls", "report"}):
            self._enter(label, line)
            return
        if in_outcomes:
            self._outcome_line(line)
            return
        if self._inline_label(line) or self._shaped_line(line):
            return
        handler = getattr(self, f"_in_{self.state}", None) or self._in_top
        handler(line)

    def _enter(self, label: str, line: str) -> None:
        self.pending_segment = None
        if label in {"onsite", "online", "rapporteur"}:
            self.state = label
        elif label == "add_speakers":
            self.state = "speakers"
        else:
            self.state = label

    def _on_blank(self) -> None:
        state, d = self.state, self.d
        if state in {"room", "schedule_label"}:
            return
        if state == "format_description":
            self.state = "after_format"
        elif state in {"onsite", "online", "rapporteur"} and self._slot(state):
            self.state = "after_people"
        elif state == "takeaways" and d.takeaways and d.takeaways[-1]:
            d.takeaways.append([])
        elif state == "calls" and d.calls and d.calls[-1]:
            d.calls.append([])
        if d.description and d.description[-1]:
            d.description.append("")

    # -- heading ----------------------------------------------------------------------------

    def _read_heading(self) -> int:
        index = next((i for i, line in enumerate(self.lines) if line), len(self.lines))
        while index < len(self.lines) and (
            not self.lines[index] or is_boilerplate(self.lines[index])
        ):
            index += 1
        first = self.lines[index] if index < len(self.lines) else ""
        slug_heading = heading_from_url(self.url)
        if slug_heading and not HEADING_RE.match(first):
            heading, start = slug_heading, index
        else:
            heading, start = first, index + 1
            # "IGF 2019 WS #415" alone, with the title on the next line.
            if BARE_REFERENCE.match(heading):
                nxt = self.lines[start] if start < len(self.lines) else ""
                if nxt and not label_of(nxt) and not is_schedule_line(nxt):
                    heading, start = f"{heading} {nxt}", start + 1
        self.d.heading = heading
        self._interpret_heading(heading)
        return start

    def _interpret_heading(self, heading: str) -> None:
        d = self.d
        match = HEADING_RE.match(heading)
        rest = heading
        if match:
            d.year = int(match.group("year"))
            d.event = f"IGF {d.year}"
            rest = match.group("rest")
        type_match = TYPED_TITLE.match(rest)
        if type_match:
            d.session_type = canonical_type(type_match.group("type"))
            if type_match.group("n"):
                d.number = int(type_match.group("n"))
                d.title = type_match.group("title").strip() or rest
            elif type_match.group("roman"):
                d.number = roman(type_match.group("roman"))
                d.title = rest
            elif TYPE_COLON.match(rest):
                d.title = type_match.group("title").strip() or rest
            else:
                d.title = rest
        else:
            d.title = rest or heading

    # -- inline labels ("Organizer 1: …") ---------------------------------------------------

    def _inline_label(self, line: str) -> bool:
        d = self.d
        parts = inline_label_parts(line) if ":" in line[:60] else None
        if not parts:
            return False
        label, numbered, value = parts
        if label in {"organizer", "organiser", "co-organizer"}:
            if value:
                d.organizers.append(tidy_org(value))
            self.state = "organizers"
        elif label in {"speaker", "panelist"}:
            if numbered:
                self.numbered_speakers = True
                self.state = "numbered_speakers"
            self._add_speaker(value)
        elif label in {"moderator", "co-moderator", "onsite moderator", "moderator and organizer"}:
            for part in split_people(value):
                self._add_person(d.onsite, part)
        elif label == "online moderator":
            self._add_person(d.online, value)
        elif label == "rapporteur":
            for part in split_people(value):
                self._add_person(d.rapporteurs, part)
        elif label == "format description":
            d.format_description = [value] if value else []
            self.state = "format_description"
        elif label == "duration (minutes)" and value.isdigit():
            d.duration_minutes = int(value)
            if not d.format and self._last_short_line:
                d.format = self._last_short_line
        elif label == "session format" and FORMAT_RE.match(line):
            self._set_format(line)
        elif label == "description":
            self.state = "description"
            if value:
                self._add_description(value)
        elif label == "title" and value and self.state == "top":
            d.title = value
        elif label == "targets":
            self._add_targets(value)
            self.state = "targets"
        elif label in {"proposer's name", "co-proposer's name"}:
            d.organizers.append(clean_name(value))
            self.state = "organizers"
        elif label in {"proposer's organization", "co-proposer's organization"} and d.organizers:
            d.organizers[-1] = f"{d.organizers[-1]}, {value}"
        elif label in {"policy question(s)", "policy questions"}:
            self.state = "pq"
            if value:
                self._add_questions(value)
        elif label in {
            "country",
            "stakeholder group",
            "stakeholder",
            "regional group",
            "organizational affiliation",
            "twitter comments for this session",
        }:
            pass
        else:
            return False
        return True

    # -- shape-recognised lines ---------------------------------------------------------------

    def _shaped_line(self, line: str) -> bool:
        d, state = self.d, self.state
        if d.starts_at is None and state in {"top", "schedule"} and is_schedule_line(line):
            self._set_schedule(line)
            self.state = "room" if d.room is None else "top"
            return True
        fotigf = FOTIGF_DATE.match(line) if d.starts_at is None and state == "top" else None
        if fotigf:
            self._set_fotigf(fotigf)
            return True
        if state != "description" and not d.format and FORMAT_RE.match(line):
            self._set_format(line)
            return True
        sdg = sdg_of(line)
        if sdg:
            if sdg.number not in {s.number for s in d.sdgs}:
                d.sdgs.append(sdg)
            self.state = "sdgs"
            return True
        if state in {"sdgs", "top", "after_people"} and TARGET_CODE.match(line):
            d.targets.append(line)
            self.state = "sdgs"
            return True
        return False

    # -- per-state handlers -------------------------------------------------------------------

    def _in_top(self, line: str) -> None:
        self._last_short_line = line if len(line) <= 40 else None
        if self.state == "top" and self._top_questions(line):
            return
        if not self.labelled_people and self._unlabelled_people(line):
            return
        if self.labelled_people and self._top_organizers(line):
            return
        if self.numbered_speakers and is_person_line(line):
            self._fill_next_slot(line)
            return
        if NUMBERED.match(line) and is_segment_line(line):
            self._set_segment(line)
        if (
            self.state == "top"
            and not self.d.description
            and len(line) < 60
            and not line.endswith(".")
        ):
            return  # a subtheme or track name near the top: not part of the description
        self._add_description(line)

    def _top_organizers(self, line: str) -> bool:
        # 2024-2025 pages open with the organising entity and its people, labels lost.
        nothing_yet = not (self.d.speakers or self.d.description or self.d.format)
        if self.labelled_organizers or not nothing_yet or self.state not in {"top", "organizers"}:
            return False
        entity = is_org_line(line) or (len(line) <= 80 and not line.endswith((".", "?", ":")))
        if entity and not self.d.organizers:
            self.d.organizers.append(tidy_org(line))
            self.state = "organizers"
            return True
        if self.d.organizers and len(split_run_on(line)) > 1:
            self._in_organizers(line)
            return True
        return False

    def _top_questions(self, line: str) -> bool:
        # Seeds list policy questions unlabelled, right under the schedule: "Theme: question?"
        if self.d.format or self.d.description:
            return False
        if THEMED_QUESTION.match(line):
            self.d.policy_questions.append(line)
            return True
        return False

    def _unlabelled_people(self, line: str) -> bool:
        state = self.state
        if state not in {
            "top",
            "description",
            "org_block",
            "speakers_block",
            "after_format",
            "org_people_done",
        }:
            return False
        in_speakers = state == "speakers_block"
        after_blank = self.blank_run >= 1
        if in_speakers and is_segment_line(line):
            self._set_segment(line)
            return True
        if in_speakers and segment_dash(line):
            self._in_speakers(line)
            return True
        if state == "org_block" and not after_blank and len(split_run_on(line)) > 1:
            self._in_organizers(line)
            self.state = "org_people_done"  # the next run of people is the speakers
            return True
        if in_speakers and "," not in line and is_person_line(line):
            return self._fill_next_slot(line)
        starts_block = (after_blank or state == "org_people_done") and "," in line
        if is_person_line(line) and (starts_block or in_speakers):
            if in_speakers and not after_blank and self._is_continuation(line):
                self._extend_last_speaker(line)
                return True
            self.state = "speakers_block"
            for part in split_run_on(line):
                self._add_speaker(part)
            return True
        if in_speakers and not after_blank and self.d.speakers:
            self._extend_last_speaker(line)
            return True
        if is_org_line(line) and not self.d.speakers and (after_blank or state == "org_block"):
            self.state = "org_block"
            self.d.organizers.append(tidy_org(line))
            return True
        return False

    def _is_continuation(self, line: str) -> bool:
        name, _ = person_chunks(line)
        return mentions_org(name)

    def _in_org_block(self, line: str) -> None:
        self._in_top(line)

    def _in_speakers_block(self, line: str) -> None:
        self._in_top(line)

    def _in_org_people_done(self, line: str) -> None:
        self._in_top(line)

    def _in_after_format(self, line: str) -> None:
        self._in_top(line)

    def _in_schedule(self, line: str) -> None:
        self.state = "top"
        self._in_top(line)

    def _in_room(self, line: str) -> None:
        words = WORDS.findall(line)
        looks_like_room = (
            len(line) <= 60
            and not line.endswith((".", "?"))
            and not FORMAT_RE.match(line)
            and not INLINE_LABEL_LIKE.match(line)
            and all(w[:1].isupper() or w[:1].isdigit() or w in STOPWORDS for w in words)
        )
        if looks_like_room and self.d.room is None:
            self.d.room = line
            self.state = "top"
        else:
            self.state = "top"
            self._on_line(line)

    def _in_pq(self, line: str) -> None:
        if PARTICIPANTS_GAIN.match(line):
            self.state = "description"
            self._add_description(line)
            return
        if self.d.policy_questions and self.blank_run >= 1 and not is_enumerated(line):
            self.state = "description"
            self._add_description(line)
            return
        self._add_questions(line)

    def _in_description(self, line: str) -> None:
        if not self.labelled_people and self._unlabelled_people(line):
            return
        self._add_description(line)

    def _in_organizers(self, line: str) -> None:
        parts = split_run_on(line)
        self.d.organizers.extend(tidy_org(strip_honorifics(p)) for p in parts)

    def _in_speakers(self, line: str) -> None:
        if self.numbered_speakers and STAKEHOLDER_TAIL.search(line) and is_person_line(line):
            # "Name, Civil Society, African Group" after the additional speakers is the
            # template's unlabelled moderator / rapporteur line, not another speaker.
            self._fill_next_slot(line)
            return
        if is_segment_line(line) and not is_person_line(line):
            self._set_segment(line)
            return
        for part in split_run_on(line):
            seg = segment_dash(part)
            if seg:
                self.segment = seg.group("seg").strip()
                for name in seg.group("names").split(","):
                    self._add_speaker(name)
                continue
            self._add_speaker(part)

    def _in_numbered_speakers(self, line: str) -> None:
        if is_person_line(line):
            self._fill_next_slot(line)
        else:
            self._in_top(line)

    def _in_onsite(self, line: str) -> None:
        self._people_value(self.d.onsite, line)

    def _in_online(self, line: str) -> None:
        self._people_value(self.d.online, line)

    def _in_rapporteur(self, line: str) -> None:
        self._people_value(self.d.rapporteurs, line)

    def _people_value(self, slot: list[Person], line: str) -> None:
        if looks_like_name(person_chunks(line)[0]) or not slot:
            for part in split_run_on(line):
                self._add_person(slot, part)
        else:
            self.state = "top"
            self._in_top(line)

    def _in_after_people(self, line: str) -> None:
        short = len(line) < 120 and not line.endswith(".")
        if (is_person_line(line) or short) and self._fill_next_slot(line):
            return
        self.state = "top"
        self._in_top(line)

    def _in_format(self, line: str) -> None:
        if FORMAT_RE.match(line):
            self._set_format(line)
        elif not self.d.format and len(line) <= 60:
            self.d.format = line
        else:
            self.state = "top"
            self._in_top(line)

    def _in_format_description(self, line: str) -> None:
        if self._top_like_question_run(line):
            return
        self.d.format_description.append(line)

    def _top_like_question_run(self, line: str) -> bool:
        # 2024 pages follow the format description with the policy questions, unlabelled.
        if line.count("?") >= 2 and line.rstrip().endswith("?"):
            self.state = "pq"
            for question in AFTER_QUESTION.split(line):
                self._add_questions(question)
            return True
        if PARTICIPANTS_GAIN.match(line):
            self.state = "description"
            self._add_description(line)
            return True
        return False

    def _in_sdgs(self, line: str) -> None:
        self.state = "top"
        self._in_top(line)

    def _in_targets(self, line: str) -> None:
        if self.d.targets and not TARGET_CODE.match(line) and self.blank_run == 0:
            self.d.targets[-1] += " " + line
        else:
            self.state = "top"
            self._in_top(line)

    def _in_skip(self, line: str) -> None:
        pass

    def _in_report(self, line: str) -> None:
        self._report_line(line)

    # -- outcomes and report ----------------------------------------------------------------

    def _outcome_line(self, line: str) -> None:
        target = self.d.takeaways if self.state == "takeaways" else self.d.calls
        if self.state == "calls" and REPORT_START.match(line):
            self.state = "report"
            self._report_line(line)
            return
        if not target:
            target.append([])
        target[-1].append(line)

    def _report_line(self, line: str) -> None:
        self.d.report.append(line if self.blank_run == 0 or not self.d.report else "\n" + line)
        people = REPORT_START.match(line)
        if not people:
            return
        role, value = people.group("role").casefold(), people.group("value")
        names = NAME_SEPARATORS.split(value) if "/" in value or ";" in value else [value]
        for name in names:
            if not name.strip():
                continue
            # The report names people the page already listed ("Moderator: Dr Zhang Fang"):
            # one person, so only names not seen anywhere on the page are added.
            if role.startswith("moderator"):
                self._add_person(self.d.onsite, name, known_elsewhere_ok=False)
            elif role.startswith("rapporteur"):
                self._add_person(self.d.rapporteurs, name, known_elsewhere_ok=False)
            else:
                self._add_speaker(name)

    # -- adders -----------------------------------------------------------------------------

    def _is_known(self, key: str) -> bool:
        """Whether anyone on the page so far has this `person_key`."""
        d = self.d
        return is_key_among(key, chain(d.speakers, d.onsite, d.online, d.rapporteurs))

    def _add_speaker(self, text: str) -> None:
        fields = speaker_fields(text)
        if fields is None or self._is_known(fields[3]):
            return
        name, affiliation, note, _ = fields
        if self.pending_segment:
            self.segment, self.pending_segment = self.pending_segment, None
        self.d.speakers.append(Speaker(name, affiliation, self.segment, note))

    def _extend_last_speaker(self, line: str) -> None:
        last = self.d.speakers[-1]
        extra = line.strip(" .")
        affiliation = f"{last.affiliation.rstrip(' .')}; {extra}" if last.affiliation else extra
        self.d.speakers[-1] = Speaker(last.name, affiliation.strip(" ."), last.segment, last.note)

    def _set_segment(self, line: str) -> None:
        segment = NUMBER_PREFIX.sub("", line)
        segment = MINUTES_SUFFIX.sub("", segment).strip()
        # "Xu Feng, …" then "Keynote Speech" then "Topic 1: …": a segment line that no speaker
        # followed names what the speaker above it does.
        if self.pending_segment and self.d.speakers and self.d.speakers[-1].segment is None:
            last = self.d.speakers[-1]
            self.d.speakers[-1] = Speaker(
                last.name, last.affiliation, self.pending_segment, last.note
            )
        self.pending_segment = segment
        self.segment = None

    def _add_person(
        self, slot: list[Person], text: str, *, known_elsewhere_ok: bool = True
    ) -> None:
        name, affiliation = person_chunks(text)
        if not name:
            return
        key = person_key(name)
        taken = is_key_among(key, slot) if known_elsewhere_ok else self._is_known(key)
        if not taken:
            slot.append(Person(name, affiliation))

    def _slot(self, state: str) -> list[Person]:
        return {"onsite": self.d.onsite, "online": self.d.online, "rapporteur": self.d.rapporteurs}[
            state
        ]

    def _fill_next_slot(self, line: str) -> bool:
        # IGF's template orders these: moderator, online moderator, rapporteur.
        for state in ("onsite", "online", "rapporteur"):
            slot = self._slot(state)
            if not slot and not self._slot_closed(state):
                slot.append(Person(*person_chunks(line)))
                self._closed.add(state)
                return True
        return False

    def _slot_closed(self, state: str) -> bool:
        order = ("onsite", "online", "rapporteur")
        # A slot is closed once a later one has been filled: nothing goes back up the template.
        later = order[order.index(state) + 1 :]
        return state in self._closed or any(self._slot(s) for s in later)

    def _add_description(self, line: str) -> None:
        self.d.description.append(line)

    def _add_questions(self, text: str) -> None:
        if PQ_LABEL.match(text):
            return
        for question in split_enumerated(text):
            self.d.policy_questions.append(question)

    def _add_targets(self, value: str) -> None:
        tokens = value.split()
        if tokens and all(TARGET_TOKEN.fullmatch(t) for t in tokens):
            self.d.targets.extend(tokens)
        elif value:
            self.d.targets.append(value)

    # -- schedule and format ----------------------------------------------------------------

    def _set_schedule(self, line: str) -> None:
        d = self.d
        duration = SCHEDULE_MINUTES.search(line)
        if duration:
            d.duration_minutes = int(duration.group(1))
        start, end = parse_schedule(line, d.year)
        d.starts_at, d.ends_at = start, end
        if d.year is None and start is not None:
            d.year = start.year
            d.event = d.event or f"IGF {d.year}"

    def _set_fotigf(self, match: re.Match[str]) -> None:
        d = self.d
        d.year = d.year or int(match.group("y"))
        d.event = d.event or f"IGF {d.year}"
        kind = _ON_TAIL.sub("", match.group("type"))
        d.session_type = d.session_type or canonical_type(kind) or kind.strip()

    def _set_format(self, line: str) -> None:
        match = FORMAT_RE.match(line)
        assert match is not None
        self.d.format = match.group("format").strip()
        self.d.duration_minutes = int(match.group("minutes"))
        self.state = "after_format"

    # -- result -----------------------------------------------------------------------------

    def _finish(self) -> Session:
        d = self.d
        if d.duration_minutes is None and d.starts_at and d.ends_at:
            d.duration_minutes = int((d.ends_at - d.starts_at).total_seconds() // 60)
        sdg_numbers = {s.number for s in d.sdgs}
        for code in d.targets:
            goal = TARGET_CODE.match(code)
            if (
                goal
                and int(goal.group("goal")) in SDG_NAMES
                and int(goal.group("goal")) not in sdg_numbers
            ):
                number = int(goal.group("goal"))
                d.sdgs.append(Sdg(number, SDG_NAMES[number]))
                sdg_numbers.add(number)
        return Session(
            heading=d.heading,
            title=d.title.strip() or d.heading,
            event=d.event,
            year=d.year,
            session_type=d.session_type,
            number=d.number,
            starts_at=d.starts_at,
            ends_at=d.ends_at,
            room=d.room,
            format=d.format,
            duration_minutes=d.duration_minutes,
            format_description=" ".join(d.format_description).strip() or None,
            policy_questions=[q for q in d.policy_questions if q],
            description=paragraphs(d.description) or None,
            organizers=[o for o in d.organizers if o],
            speakers=d.speakers,
            onsite_moderators=d.onsite,
            online_moderators=d.online,
            rapporteurs=d.rapporteurs,
            sdgs=d.sdgs,
            targets=d.targets,
            key_takeaways=[" ".join(p) for p in d.takeaways if p],
            calls_to_action=[" ".join(p) for p in d.calls if p],
            report="\n".join(d.report).strip() or None,
            source_url=self.url,
        )
