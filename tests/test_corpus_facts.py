"""The fact tables of tests/corpus_facts.py and the stick that measures the parser against them.

No assertion on batch 2's score: those facts are the target the parser has yet to reach.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bench import parser_quality
from bot.models import Session
from tests.corpus_facts import CORPUS_FACTS_BATCH2, REJECTIONS_BATCH2

BATCH2 = Path(__file__).resolve().parent / "fixtures" / "corpus" / "batch2"
SESSION_FIELDS = {f.name for f in dataclasses.fields(Session)}


def test_every_batch2_page_has_facts() -> None:
    assert sorted(p.name for p in BATCH2.glob("*.txt")) == sorted(CORPUS_FACTS_BATCH2)
    assert sorted(p.name for p in (BATCH2 / "not-sessions").glob("*.txt")) == sorted(
        REJECTIONS_BATCH2
    )


def test_every_fact_key_is_one_the_stick_can_check() -> None:
    known = SESSION_FIELDS | set(parser_quality.CHECKS)
    for name, facts in CORPUS_FACTS_BATCH2.items():
        assert set(facts) <= known, (name, set(facts) - known)


def test_organizer_people_reads_names_not_organisations() -> None:
    session = Session(
        heading="h",
        title="t",
        organizers=[
            "Timea Suto, ICC BASIS",
            "Civil Society, Asia-Pacific Group",
            "Youth IGF DRC",
            "Centre for Strategic and International Studies",
            "Foreign, Commonwealth and Development Office, UK",
            "Michael J. Oghia,",
        ],
    )
    assert parser_quality.organizer_people(session) == ["Timea Suto", "Michael J. Oghia"]


def test_the_stick_runs_and_batch1_is_all_correct() -> None:
    results = {batch.name: parser_quality.measure(batch) for batch in parser_quality.BATCHES}
    batch1 = results["batch1"]
    assert batch1.fields > 0 and batch1.correct == batch1.fields, batch1.wrong
    assert not batch1.rejected_sessions and not batch1.accepted_non_sessions
    assert results["batch2"].fields == sum(len(f) for f in CORPUS_FACTS_BATCH2.values())
