"""The benchmark's corpus generator: deterministic, and every document reads back as generated.

No timing here: bench/run.py measures, this only checks that what it measures is real input.
"""

from __future__ import annotations

from collections import Counter

from bench.corpus import check_document, iter_documents
from bot.parser import parse_bytes


def test_generator_is_deterministic_and_prefix_stable() -> None:
    first = [(d.filename, d.text) for d in iter_documents(20, seed=5)]
    again = [(d.filename, d.text) for d in iter_documents(20, seed=5)]
    longer = [(d.filename, d.text) for d in iter_documents(25, seed=5)]
    other = [(d.filename, d.text) for d in iter_documents(20, seed=6)]
    assert first == again
    assert longer[:20] == first
    assert first != other
    assert len({name for name, _ in first}) == 20


def test_every_generated_document_parses_as_generated() -> None:
    documents = list(iter_documents(20))
    for document in documents:
        session = parse_bytes(document.text.encode("utf-8"), document.filename)
        assert session.session_type == document.expected.session_type
        assert session.number == document.expected.number
        assert len(session.speakers) == len(document.expected.speakers)
        assert check_document(document) == []


def test_generator_covers_types_layouts_and_repeat_speakers() -> None:
    documents = list(iter_documents(400))
    types = Counter(d.expected.session_type for d in documents)
    assert set(types) == {
        "Workshop",
        "Open Forum",
        "Town Hall",
        "Lightning Talk",
        "Networking Session",
        "Launch / Award",
        "Main Session",
        "Day 0 Event",
        "Dynamic Coalition",
        "NRI",
    }
    assert {d.expected.layout for d in documents} == {"seed", "labelled"}
    people = Counter(
        key
        for d in documents
        for key in (*d.expected.speakers, *d.expected.onsite, *d.expected.online)
    )
    assert max(people.values()) >= 5  # people are reused across sessions
    counts = [
        len(d.expected.speakers)
        + len(d.expected.onsite)
        + len(d.expected.online)
        + len(d.expected.rapporteurs)
        for d in documents
    ]
    assert min(counts) >= 3 and max(counts) <= 15
    text = "\n".join(d.text for d in documents[:100])
    for marker in ("Prof.", "Dr", "H.E.", "Ms.", "Topic 1:", "Organizer 1:", "Speaker 1:"):
        assert marker in text
    assert any(ch in text for ch in "éçøüšł")  # accents
