"""Typing a reference or a type finds sessions (issue #14): autocomplete of years, types and
number prefixes; a reference's year is kept, and a year without it says which years have it."""

from __future__ import annotations

import pytest

from bot.fuzzy import SessionIndex, close_name
from bot.vocabulary import SessionReference, parse_reference
from tests.test_fuzzy import summary

SESSIONS = [  # newest first, as Store.all_sessions() returns them
    summary(1, "Of Data and Trust", 2024, "Workshop", 10),
    summary(2, "Open Data for All", 2023, "Open Forum", 8),
    summary(3, "Youth in the Digital Age", 2023, "Town Hall", 3),
    summary(4, "Shaping AI Norms", 2023, "Workshop", 1),
    summary(5, "A Plan of Action", 2022, "Open Forum", 25),
    summary(6, "Development and Rule-Making on Artificial Intelligence", 2021, "Open Forum", 5),
    summary(7, "Networks of the Future", 2021, "Workshop", 100),
    summary(8, "Net Neutrality Today", 2020, "Networking Session", 4),
]
INDEX = SessionIndex(SESSIONS)


def ids(text: str) -> list[int]:
    return [s.id for s in INDEX.autocomplete(text)]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("open fo", [2, 5, 6]),
        ("Open Forum", [2, 5, 6]),
        ("Town Hall", [3]),
        ("2023", [2, 3, 4]),
        ("IGF 2023", [2, 3, 4]),
        ("WS 1", [4, 1, 7]),  # #1, then #10 and #100, newest first
        ("WS 10", [1, 7]),
        ("OF 8", [2]),
        ("2023 open forum", [2]),
        ("Open Forum 2021", [6]),
    ],
)
def test_a_typed_year_type_or_reference_lists_its_sessions_newest_first(
    text: str, first: list[int]
) -> None:
    assert ids(text)[: len(first)] == first


def test_of_5_is_open_forum_5_before_titles_with_the_word_of() -> None:
    assert ids("OF 5")[0] == 6
    assert set(ids("of")) >= {2, 5, 6}


def test_a_title_word_that_begins_a_type_name_is_still_a_title_word() -> None:
    assert ids("net")[:2] == [7, 8]  # "Networks", "Net Neutrality": titles, newest first


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("Open Forum #5 2022", SessionReference("Open Forum", 5, 2022)),
        ("OF 5 (IGF 2022)", SessionReference("Open Forum", 5, 2022)),
        ("2022 OF 5", SessionReference("Open Forum", 5, 2022)),
        ("IGF 2021 Open Forum #5 Towards 2030", SessionReference("Open Forum", 5, 2021)),
        ("Open Forum #5 Towards 2030", SessionReference("Open Forum", 5, None)),
    ],
)
def test_a_year_after_the_number_is_the_references_year(
    text: str, reference: SessionReference
) -> None:
    assert parse_reference(text) == reference


@pytest.mark.parametrize("text", ["2022 OF 5", "Open Forum #5 2022", "IGF 2022 Open Forum #5"])
def test_a_reference_in_a_year_without_it_opens_nothing_and_names_the_other_years(
    text: str,
) -> None:
    lookup = INDEX.resolve(text)
    assert lookup.best is None and lookup.alternatives == []  # never Open Forum #25
    assert [s.id for s in lookup.other_years] == [6]


def test_a_reference_no_year_has_is_not_guessed_from_titles() -> None:
    lookup = INDEX.resolve("OF 77")
    assert lookup.best is None and lookup.alternatives == [] and lookup.other_years == []


@pytest.mark.parametrize(
    ("text", "name", "close"),
    [
        ("zhang", "Zhang Fang", True),
        ("zhang fa", "Zhang Fang", True),
        ("zang fang", "Zhang Fang", True),
        ("x", "Xu Feng", False),
        ("luca", "Zhang Fang", False),
    ],
)
def test_a_close_name(text: str, name: str, close: bool) -> None:
    assert close_name(text, name) is close
