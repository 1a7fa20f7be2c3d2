"""One person, however a page writes the name."""

from __future__ import annotations

import pytest

from bot.names import fold, person_key, strip_honorifics
from bot.store import fts_query


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Prof. Su Jun", "Su Jun"),
        ("Dr Zhang Fang", "zhang fang"),
        ("H.E. Mr. Henri Verdier", "Henri Verdier"),
        ("Ambassador Henri Verdier", "henri verdier"),
        ("Vebjørn Røskar Krågebakk", "Vebjorn Roskar Kragebakk"),
        ("Yıldız Tahir", "YILDIZ TAHIR"),
        ("Patrik Fältström", "patrik faltstrom"),
    ],
)
def test_same_person(a: str, b: str) -> None:
    assert person_key(a) == person_key(b)


def test_names_that_look_like_titles_are_kept() -> None:
    assert person_key("He Bin") == "he bin"  # "He" is a surname, not "H.E."
    assert strip_honorifics("Dr") == "Dr"  # never strip a name to nothing


def test_fold_is_for_search_keys() -> None:
    assert fold("  Fundação   Getulio ") == "fundacao getulio"


def test_stopwords_do_not_change_what_a_query_finds() -> None:
    assert fts_query("the governance of AI") == fts_query("governance AI")
    assert fts_query("the of") == '"the" AND "of"'  # nothing else: keep them
