"""The Catalog on the bundled seeds/: look-ups, the query protocol and choice values."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bot.fuzzy
from bot.catalog import (
    MAX_CHOICE_VALUE,
    MAX_QUERY_CHARS,
    Catalog,
    ChoiceValue,
    Filters,
    Query,
)

ROOT = Path(__file__).resolve().parent.parent
OF5 = "igf-2021-open-forum-5"
OF25 = "igf-2022-open-forum-25"
# The parser takes names of up to 60 characters: "person:" and this one pass 64.
LONG_NAME = "Luca Belli Maximiliano Alessandro Gianluca Fitzgerald-Ortega"
BUTTON_PREFIX = "section:description:"  # the longest custom_id prefix put before a value
DISCORD_MAX = 100  # characters in a choice value or a custom_id


@pytest.fixture
async def long_names(tmp_path: Path) -> AsyncIterator[Catalog]:
    """The seeds, with Luca Belli's name long enough to need the digest form of a value."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    page = seeds / "000_2d8a54ebfe520b7f.txt"
    page.write_text(page.read_text().replace("Luca Belli", LONG_NAME))
    opened = await Catalog.open(tmp_path / "long.db", seeds)
    await opened.reload()
    try:
        yield opened
    finally:
        await opened.close()


# ------------------------------------------------------------------------------ sessions


async def test_find_session_by_key(catalog: Catalog) -> None:
    lookup = await catalog.find_session(OF5)
    assert lookup.best is not None and lookup.best.key == OF5 and lookup.exact


@pytest.mark.parametrize(
    ("text", "key"),
    [("Open Forum #5", OF5), ("of 25", OF25), ("IGF 2022 Open Forum #25", OF25), ("OF5", OF5)],
)
async def test_find_session_by_reference(catalog: Catalog, text: str, key: str) -> None:
    lookup = await catalog.find_session(text)
    assert lookup.best is not None and lookup.best.key == key and lookup.exact


async def test_a_reference_is_parsed_once_per_query(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = bot.fuzzy.parse_reference

    def counting(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text)

    monkeypatch.setattr(bot.fuzzy, "parse_reference", counting)
    lookup = await catalog.find_session("Open Forum #5")
    assert lookup.best is not None and lookup.best.key == OF5
    assert calls == ["Open Forum #5"]


async def test_find_session_by_title(catalog: Catalog) -> None:
    lookup = await catalog.find_session("rule-making on artificial intelligence")
    assert lookup.best is not None and lookup.best.key == OF5
    typo = await catalog.find_session("intelligent social governanse")
    assert typo.best is not None and typo.best.key == OF25


async def test_ambiguous_title_offers_both(catalog: Catalog) -> None:
    lookup = await catalog.find_session("intelligen")
    found = ([lookup.best] if lookup.best else []) + lookup.alternatives
    assert {s.key for s in found} == {OF5, OF25}
    assert not lookup.exact


@pytest.mark.parametrize("text", ["qqqq zzzz xxxx", "", "   ", "Town Hall #35"])
async def test_session_not_found(catalog: Catalog, text: str) -> None:
    lookup = await catalog.find_session(text)
    assert lookup.best is None and lookup.alternatives == []


@pytest.mark.parametrize("text", ["1", "2", "2023", " 2 "])
async def test_a_typed_number_is_never_a_row_id(catalog: Catalog, text: str) -> None:
    """Rows 1 and 2 exist; a number is text to look up, not an id."""
    lookup = await catalog.find_session(text)
    assert lookup.best is None and lookup.alternatives == []


async def test_query_text_is_capped_once(catalog: Catalog) -> None:
    flood = "Open Forum #5 " + "x" * 500
    assert len(Query.of(flood).text) == MAX_QUERY_CHARS
    lookup = await catalog.find_session(flood)
    assert lookup.best is not None and lookup.best.key == OF5


# ------------------------------------------------------------------------------ people


@pytest.mark.parametrize("text", ["luca belli", "LUCA BELI", "Prof. Luca Belli"])
async def test_find_person(catalog: Catalog, text: str) -> None:
    lookup = await catalog.find_person(text)
    assert lookup.best is not None and lookup.best.key == "luca belli"


async def test_person_not_found(catalog: Catalog) -> None:
    assert (await catalog.find_person("qqqq zzzz")).best is None
    assert (await catalog.person("nobody at all")) is None


# ------------------------------------------------------------------------------ choice values


async def test_session_choice_values_round_trip(catalog: Catalog) -> None:
    choices = catalog.session_choices("intelligen")
    assert {value for _, value in choices} == {f"session:{OF5}", f"session:{OF25}"}
    for label, value in choices:
        assert len(label) <= DISCORD_MAX
        assert catalog.decode_choice(value) == ChoiceValue("session", value.split(":", 1)[1])
        lookup = await catalog.find_session(value)
        assert lookup.best is not None and lookup.best.key == value.split(":", 1)[1]


async def test_person_choice_values_round_trip(catalog: Catalog) -> None:
    (label, value), *_ = catalog.person_choices("luca bel")
    assert label.startswith("Luca Belli") and value == "person:luca belli"
    assert catalog.decode_choice(value) == ChoiceValue("person", "luca belli")
    lookup = await catalog.find_person(value)
    assert lookup.best is not None and lookup.best.name == "Luca Belli"


async def test_a_long_key_is_encoded_as_a_digest_that_decodes(long_names: Catalog) -> None:
    (_, value), *_ = long_names.person_choices("luca belli")
    assert value.startswith("person#") and len(value) <= MAX_CHOICE_VALUE
    assert len(BUTTON_PREFIX + value) <= DISCORD_MAX
    choice = long_names.decode_choice(value)
    assert choice == ChoiceValue("person", LONG_NAME.lower())
    lookup = await long_names.find_person(value)
    assert lookup.best is not None and lookup.best.key == choice.key
    assert (await long_names.person(choice.key)) is not None


def test_every_encoded_value_fits_discord() -> None:
    for key in ["k", "x" * 57, "x" * 58, "x" * 200, "é" * 300]:
        for kind in ("session", "person"):
            value = ChoiceValue(kind, key).encode()  # type: ignore[arg-type]
            assert len(BUTTON_PREFIX + value) <= DISCORD_MAX


@pytest.mark.parametrize(
    "value",
    [
        "session:igf-1999-workshop-1",  # stale: no such session (any more)
        "person:nobody at all",
        "session#" + "0" * 32,  # a digest that names nothing
        "session:",
        "person#",
        "session",
        "sessions:igf-2021-open-forum-5",
        "person:igf-2021-open-forum-5",  # a session key as a person
        "42",
        "",
        "\x00",
    ],
)
async def test_unknown_or_malformed_values_are_not_found(catalog: Catalog, value: str) -> None:
    assert catalog.decode_choice(value) is None
    if value.startswith(("session:", "session#")):
        lookup = await catalog.find_session(value)
        assert lookup.best is None and lookup.alternatives == []
    if value.startswith(("person:", "person#")):
        lookup = await catalog.find_person(value)
        assert lookup.best is None and lookup.alternatives == []


async def test_a_value_goes_stale_when_its_session_is_removed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    opened = await Catalog.open(tmp_path / "igf.db", seeds)
    try:
        await opened.reload()
        value = ChoiceValue("session", OF25).encode()
        assert opened.decode_choice(value) is not None
        (seeds / "001_f0b5d1bb55f3a80c.txt").unlink()
        await opened.reload()
        assert opened.decode_choice(value) is None
        assert (await opened.find_session(value)).best is None
    finally:
        await opened.close()


# ------------------------------------------------------------------------------ lists, records


async def test_filters_normalise_the_session_type_once(catalog: Catalog) -> None:
    assert Filters.of(session_type="of").session_type == "Open Forum"
    assert Filters.of(session_type="open-forum").session_type == "Open Forum"
    assert Filters.of(session_type="no such type").session_type is None
    hits = await catalog.search("intelligent", Filters.of(session_type="OF", year=2022), 10)
    assert [h.session.key for h in hits] == [OF25]
    assert [s.key for s in await catalog.browse(Filters.of(session_type="OF", year=2021))] == [OF5]
    assert await catalog.browse(Filters.of(session_type="Town Hall")) == []
    assert len(await catalog.browse(Filters.of(session_type="no such type"))) == 2  # no filter


async def test_records_and_counts(catalog: Catalog) -> None:
    record = await catalog.session_record(OF5)
    assert record is not None and record.room == "Ballroom B"
    assert await catalog.session_record("igf-1999-workshop-1") is None
    assert [r.key for r in await catalog.all_records()] == [OF25, OF5]
    counts = await catalog.counts()
    assert counts.sessions == 2 and counts.years == [2022, 2021]
    assert await catalog.meta("loaded_at") is not None


async def test_reads_for_the_digest(catalog: Catalog) -> None:
    day = await catalog.sessions_between(
        datetime(2021, 12, 10, tzinfo=UTC), datetime(2021, 12, 11, tzinfo=UTC)
    )
    assert [s.key for s in day] == [OF5]
    assert (
        await catalog.sessions_between(
            datetime(2021, 12, 10, 8, 31, tzinfo=UTC), datetime(2021, 12, 11, tzinfo=UTC)
        )
        == []
    )
    with_outcomes = await catalog.sessions_with_outcomes()
    assert {s.key for s, _, _ in with_outcomes} == {OF5, OF25}
    assert all(len(takeaways) == 2 and len(calls) == 2 for _, takeaways, calls in with_outcomes)
    assert [s.key for s in await catalog.sessions_added_since("2000-01-01")] == [OF5, OF25]
    assert await catalog.sessions_added_since(datetime.now(UTC).replace(year=2100)) == []
    assert await catalog.digests.all_guild_settings() == []  # the digest's ledger, on this store
