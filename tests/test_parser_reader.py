"""The parser package's own contracts: its public API, the reader's states, the draft's fields."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

import bot.parser
from bot.models import Session
from bot.parser.cleaning import clean_lines, take_url
from bot.parser.draft import Draft
from bot.parser.reader import HANDLERS, PageReader
from bot.parser.shapes import LABELS
from bot.parser.states import LABEL_STATES, State

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "tests" / "fixtures" / "corpus").rglob("*.txt")) + sorted(
    (ROOT / "seeds").glob("*.txt")
)


def test_public_api() -> None:
    public = "MAX_DOCUMENT_BYTES ParseError Parsed parse_bytes parse_document parse_text"
    assert set(bot.parser.__all__) == set(public.split())
    for name in bot.parser.__all__:
        assert getattr(bot.parser, name) is not None


def test_every_state_has_a_handler() -> None:
    assert set(HANDLERS) == set(State)
    assert all(callable(handler) for handler in HANDLERS.values())


def test_every_label_opens_a_state() -> None:
    kinds = {kind for _, kind in LABELS}
    assert set(LABEL_STATES) == kinds
    assert all(isinstance(state, State) for state in LABEL_STATES.values())


def test_the_draft_gathers_lines_under_session_field_names() -> None:
    gathered = {f.name for f in fields(Draft)} - {"session"}
    assert gathered == {
        "format_description",
        "description",
        "key_takeaways",
        "calls_to_action",
        "report",
    }
    assert gathered <= {f.name for f in fields(Session)}


def test_an_empty_draft_finishes_as_an_empty_session() -> None:
    draft = Draft(Session(heading="IGF 2021", title=" A title "))
    assert draft.to_session() == Session(heading="IGF 2021", title="A title")


def test_a_draft_joins_its_gathered_lines() -> None:
    draft = Draft(Session(heading="IGF 2021", title=""))
    draft.description += ["One", "line.", "", "", "", "Two."]
    draft.key_takeaways += [["A", "takeaway."], [], ["B."]]
    draft.report += ["Report", "\nmore"]
    session = draft.to_session()
    assert session.title == "IGF 2021"
    assert session.description == "One\nline.\n\nTwo."
    assert session.key_takeaways == ["A takeaway.", "B."]
    assert session.report == "Report\n\nmore"


class _RecordingReader(PageReader):
    """Notes each state the reader is in when a line arrives."""

    seen: set[object]

    def _on_line(self, line: str) -> None:
        self.seen.add(self.state)
        super()._on_line(line)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_the_reader_is_only_ever_in_a_known_state(path: Path) -> None:
    url, lines = take_url(clean_lines(path.read_text(encoding="utf-8-sig")))
    reader = _RecordingReader(lines, url, path.name)
    reader.seen = set()
    session = reader.read()
    assert session.heading
    assert reader.seen
    assert all(type(state) is State for state in reader.seen | {reader.state})


def test_a_time_label_reads_the_schedule_after_it() -> None:
    session = bot.parser.parse_text(
        "IGF 2021 Open Forum #5 A title\nTime\n"
        "Friday, 10th December, 2021 (08:30 UTC) - Friday, 10th December, 2021 (09:30 UTC)\n"
        "Ballroom B\n"
    )
    assert session.starts_at is not None and session.starts_at.hour == 8
    assert session.room == "Ballroom B"
    assert session.duration_minutes == 60


def test_a_time_label_without_a_schedule_gives_the_line_back_to_the_page() -> None:
    session = bot.parser.parse_text(
        "IGF 2021 Open Forum #5 A title\nTime\nTo be announced\nRoom\nBallroom B\n\n"
        "This session is about data.\n"
    )
    assert session.starts_at is None
    assert session.room == "Ballroom B"
    assert session.description == "This session is about data."
