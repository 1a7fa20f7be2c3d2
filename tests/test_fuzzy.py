"""Fuzzy index tests: resolve ("did you mean") and autocomplete over realistic IGF names."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.fuzzy import MAX_QUERY_CHARS, MAX_RESULTS, PeopleIndex, SessionIndex, normalise_name
from bot.models import Person, PersonSummary, Session, SessionSummary, Speaker
from bot.names import person_key
from bot.store import Store

NAMES = [  # most active first, as Store.all_people() returns them
    "Anriette Esterhuysen",
    "Luca Belli",
    "Vint Cerf",
    "Nnenna Nwakanma",
    "Luca Bellini",
    "Lucas Bell",
    "Su Jun",
    "Jun Li",
    "Bertrand de La Chapelle",
    "Marília Maciel",
]


def people_index(names: list[str] = NAMES) -> PeopleIndex:
    people = [
        PersonSummary(i + 1, person_key(name), name, len(names) - i) for i, name in enumerate(names)
    ]
    return PeopleIndex(people)


def summary(
    id_: int, title: str, year: int, kind: str | None = "Workshop", number: int | None = None
) -> SessionSummary:
    number = id_ if number is None and kind else number
    heading = f"IGF {year} {kind} #{number} {title}" if kind else f"IGF {year} {title}"
    starts = datetime(year, 12, 1, tzinfo=UTC) + timedelta(hours=id_)
    return SessionSummary(
        id_, f"k{id_}", heading, title, None, year, kind, number, starts, None, None
    )


SESSIONS = [  # newest first, as Store.all_sessions() returns them
    summary(
        1,
        "Effective E-Waste Solutions for a Sustainable Digital Future",
        2024,
        "Lightning Talk",
        22,
    ),
    summary(2, "Main Session: Digital Cooperation", 2023, "Main Session", None),
    summary(3, "Cybersecurity Capacity Building in Africa", 2021, "Workshop", 35),
    summary(4, "Development and Rule-Making on Artificial Intelligence", 2021, "Open Forum", 5),
    summary(5, "Youth Participation in Internet Governance", 2021, "Town Hall", 35),
    summary(6, "Main Session: Digital Cooperation", 2019, "Main Session", None),
    summary(7, "Data Governance and Rule-Making", 2017, "Workshop", 100),
]


# --------------------------------------------------------------------------- people


@pytest.mark.parametrize("text", ["luca belli", "Belli", "LUCA BELLI", "luca beli", "belli luca"])
def test_resolves_luca_belli(text: str) -> None:
    resolution = people_index().resolve(text)
    assert resolution.best is not None and resolution.best.name == "Luca Belli"


def test_exact_match_is_flagged() -> None:
    index = people_index()
    assert index.resolve("LUCA BELLI").exact is True
    assert index.resolve("luca beli").exact is False


def test_honorific_is_ignored() -> None:
    assert person_key("Prof. Su Jun") == person_key("su jun") == "su jun"
    assert normalise_name("Prof. Su Jun") == normalise_name("SU JUN")
    for text in ("Prof. Su Jun", "su jun", "Dr Su Jun"):
        resolution = people_index().resolve(text)
        assert resolution.best is not None and resolution.best.name == "Su Jun"
        assert resolution.exact


def test_ambiguous_name_gives_alternatives() -> None:
    resolution = people_index().resolve("jun")  # "Su Jun" and "Jun Li" tie
    assert resolution.best is None
    assert {p.name for p in resolution.alternatives} >= {"Su Jun", "Jun Li"}
    assert len(resolution.alternatives) <= 5


def test_diacritics_fold() -> None:
    resolution = people_index().resolve("marilia maciel")
    assert resolution.best is not None and resolution.best.name == "Marília Maciel"
    assert [p.name for p in people_index().autocomplete("Marí")] == ["Marília Maciel"]


@pytest.mark.parametrize("text", ["qxzjvw", "zzzz zzzz", "wqwqwq"])
def test_garbage_finds_nothing(text: str) -> None:
    resolution = people_index().resolve(text)
    assert resolution.best is None and resolution.alternatives == []
    assert people_index().autocomplete(text) == []


@pytest.mark.parametrize("text", ["!!!", "🙂", "\x00", "  "])
def test_text_without_words_is_an_empty_query(text: str) -> None:
    assert people_index().resolve(text).best is None
    assert len(people_index().autocomplete(text)) == len(NAMES)


def test_empty_query() -> None:
    index = people_index()
    assert [p.name for p in index.autocomplete("", limit=3)] == NAMES[:3]  # most active
    assert index.resolve("").best is None and index.resolve("   ").alternatives == []


def test_autocomplete_prefix_then_word_prefix_then_fuzzy() -> None:
    index = people_index()
    assert [p.name for p in index.autocomplete("luca")] == [
        "Luca Belli",
        "Luca Bellini",
        "Lucas Bell",
    ]
    assert next(p.name for p in index.autocomplete("lucas bell")) == "Lucas Bell"  # exact first
    word_prefix = [p.name for p in index.autocomplete("bell")]  # in rank order
    assert word_prefix[:3] == ["Luca Belli", "Luca Bellini", "Lucas Bell"]
    assert [p.name for p in index.autocomplete("esterhuisen")] == ["Anriette Esterhuysen"]  # typo
    assert [p.name for p in index.autocomplete("chapelle de la")] == ["Bertrand de La Chapelle"]


def test_autocomplete_limit_and_no_duplicates() -> None:
    names = [f"Participant Number{n}" for n in range(200)] + NAMES
    index = people_index(names)
    for text in ("", "p", "participant", "participant numbr", "number1"):
        results = index.autocomplete(text, limit=100)
        assert len(results) <= MAX_RESULTS
        assert len({p.id for p in results}) == len(results)
    assert len(index.autocomplete("participant", limit=5)) == 5


def test_query_is_capped_at_100_chars() -> None:
    index = people_index()
    assert index.autocomplete("x" * 100 + "luca belli") == []
    assert index.resolve("x" * 100 + "luca belli").best is None
    assert index.resolve("luca belli" + " " * 90 + "zzzzzz").best is not None
    flood = "luca belli " * 5_000  # only what Discord would send is read
    assert index.autocomplete(flood) == index.autocomplete(flood[:MAX_QUERY_CHARS]) != []


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    people = people_index()
    sessions = SessionIndex(SESSIONS)
    assert len(people.autocomplete(text)) <= MAX_RESULTS
    assert len(sessions.autocomplete(text)) <= MAX_RESULTS
    people.resolve(text)
    sessions.resolve(text)


def test_empty_index() -> None:
    assert PeopleIndex([]).autocomplete("luca") == []
    assert PeopleIndex([]).resolve("luca").best is None
    assert SessionIndex([]).autocomplete("") == []
    assert SessionIndex([]).resolve("OF 5").best is None


# --------------------------------------------------------------------------- sessions


@pytest.mark.parametrize("text", ["Open Forum #5", "OF5", "of 5", "IGF 2021 Open Forum #5"])
def test_session_reference_resolves_exactly(text: str) -> None:
    resolution = SessionIndex(SESSIONS).resolve(text)
    assert resolution.best is not None and resolution.best.id == 4 and resolution.exact


def test_reference_in_several_years_picks_newest() -> None:
    resolution = SessionIndex(SESSIONS).resolve("TH 35")
    assert resolution.best is not None and resolution.best.id == 5
    ws35 = SessionIndex(SESSIONS).resolve("WS 35")
    assert ws35.best is not None and ws35.best.id == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("development and rule-making on artificial intelligence", 4),
        ("Development and rule", 4),
        ("developmnt and rule making", 4),  # typo
        ("artifical inteligence", 4),  # typos, words from the middle
        ("e-waste", 1),
        ("cybersecurity africa", 3),
        ("youth internet governance", 5),
    ],
)
def test_session_title_resolves(text: str, expected: int) -> None:
    resolution = SessionIndex(SESSIONS).resolve(text)
    assert resolution.best is not None and resolution.best.id == expected


def test_same_title_in_two_years_picks_newest_with_alternative() -> None:
    resolution = SessionIndex(SESSIONS).resolve("main session: digital cooperation")
    assert resolution.exact and resolution.best is not None and resolution.best.year == 2023
    assert [s.year for s in resolution.alternatives] == [2019]


def test_ambiguous_title_gives_did_you_mean() -> None:
    resolution = SessionIndex(SESSIONS).resolve("rule-making")
    assert resolution.best is None
    assert {s.id for s in resolution.alternatives} == {4, 7}


def test_session_autocomplete_orders_reference_prefix_fuzzy() -> None:
    index = SessionIndex(SESSIONS)
    assert [s.id for s in index.autocomplete("OF 5")][:1] == [4]
    assert [s.id for s in index.autocomplete("")] == [s.id for s in SESSIONS]  # newest first
    assert [s.id for s in index.autocomplete("main")] == [2, 6]
    assert [s.id for s in index.autocomplete("rule")] == [4, 7]
    assert [s.id for s in index.autocomplete("cybersecurty")] == [3]
    assert index.autocomplete("qqqqzzzz") == []


# --------------------------------------------------------------------------- with a Store


async def test_index_built_from_store(tmp_path: Path) -> None:
    session = Session(
        heading="IGF 2021 Open Forum #5 Development and Rule-Making on Artificial Intelligence",
        title="Development and Rule-Making on Artificial Intelligence",
        year=2021,
        session_type="Open Forum",
        number=5,
        speakers=[Speaker("Luca Belli", "Fundação Getulio Vargas")],
        onsite_moderators=[Person("Prof. Su Jun")],
    )
    async with await Store.open(tmp_path / "igf.db") as store:
        await store.apply([("of5.txt", "h", session)], [])
        people = PeopleIndex(await store.all_people())
        sessions = SessionIndex(await store.all_sessions())
        best = people.resolve("luca beli").best
        assert best is not None
        detail = await store.person(best.key)
        assert detail is not None and detail.organizations == ["Fundação Getulio Vargas"]
        su_jun = people.resolve("su jun").best
        assert su_jun is not None and su_jun.name == "Su Jun"
        assert [s.key for s in sessions.autocomplete("rule making")] == ["igf-2021-open-forum-5"]


# --------------------------------------------------------------------------- scale


def test_autocomplete_at_archive_scale_finds_through_typos() -> None:
    """10,000 sessions and 50,000 look-alike names. How fast is measured by
    `bench/run.py`, not here; this checks what comes back at that size."""
    rng = random.Random(7)
    syllables = [
        "ka",
        "lo",
        "mi",
        "ra",
        "ten",
        "su",
        "jun",
        "bel",
        "li",
        "an",
        "dro",
        "va",
        "gar",
        "ci",
        "ne",
        "to",
        "ma",
        "ria",
        "pe",
        "ol",
        "iv",
        "er",
    ]

    def word(low: int, high: int) -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(low, high)))

    firsts = [word(1, 3) for _ in range(3_000)]
    names = [f"{rng.choice(firsts)} {word(2, 4)}".title() for _ in range(50_000)]
    people = PeopleIndex(
        [PersonSummary(i, person_key(n), n, 1) for i, n in enumerate([*names, "Luca Belli"])]
    )
    topics = [
        "internet",
        "governance",
        "digital",
        "cooperation",
        "artificial",
        "intelligence",
        "data",
        "youth",
    ]
    start = datetime(2025, 6, 1, tzinfo=UTC)
    sessions = SessionIndex(
        [
            SessionSummary(
                i,
                f"k{i}",
                "h",
                " ".join(rng.choice([*topics, word(2, 3)]) for _ in range(8)),
                None,
                2025,
                "Workshop",
                i,
                start - timedelta(hours=i),
                None,
                None,
            )
            for i in range(10_000)
        ]
    )
    assert [p.name for p in people.autocomplete("luca beli")] == ["Luca Belli"]
    assert people.autocomplete("xqzt kwpl") == []
    hits = sessions.autocomplete("artifical inteligence governance")
    assert len(hits) == MAX_RESULTS
    for hit in hits:  # each typo was read as the word it misspells, in every hit
        assert {"artificial", "intelligence", "governance"} <= set(hit.title.split())
    for index, text in [
        (people, "luca beli"),
        (people, "anriete esterhuisen"),
        (sessions, "artifical inteligence governance"),
    ]:
        for end in range(1, len(text) + 1):  # as it is typed
            results = index.autocomplete(text[:end])
            assert len(results) <= MAX_RESULTS
            assert len({r.id for r in results}) == len(results)
