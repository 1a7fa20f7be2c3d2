"""JSON and CSV exports: exact round trips, spreadsheet-friendly cells, formula injection."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.export import (
    CSV_COLUMNS,
    sessions_from_csv,
    sessions_from_json,
    sessions_to_csv,
    sessions_to_json,
)
from bot.models import Person, Sdg, Session, Speaker
from bot.parser import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def seeds() -> list[Session]:
    return [parse_bytes(path.read_bytes(), path.name) for path in SEEDS]


def read_csv(data: bytes) -> list[dict[str, str]]:
    """What a spreadsheet or a script sees, independently of `sessions_from_csv`."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def minimal(**changes: object) -> Session:
    base = Session(heading="IGF 2024 WS #1 Test", title="Test", event="IGF 2024", year=2024)
    return dataclasses.replace(base, **changes)


# ------------------------------------------------------------------------------------ JSON


def test_seeds_round_trip_through_json(seeds: list[Session]) -> None:
    assert len(seeds) == 2
    back = sessions_from_json(sessions_to_json(seeds))
    assert back == seeds
    assert back[0].starts_at == datetime(2021, 12, 10, 8, 30, tzinfo=UTC)
    assert back[0].starts_at is not None and back[0].starts_at.utcoffset() is not None
    assert [type(s) for s in back[0].speakers] == [Speaker] * len(seeds[0].speakers)


def test_to_json_is_plain_json_detached_from_the_session(seeds: list[Session]) -> None:
    for session in seeds:
        data = session.to_json()
        assert set(data) == {f.name for f in dataclasses.fields(Session)}
        assert json.loads(json.dumps(data)) == data  # only JSON types: no dataclass, datetime
        for value in data.values():
            if isinstance(value, list):
                value.clear()
        assert Session.from_json(session.to_json()) == session  # the session is untouched


def test_json_is_a_pretty_utf8_array_in_the_given_order(seeds: list[Session]) -> None:
    data = sessions_to_json(list(reversed(seeds)))
    assert data.startswith(b"[\n  {")
    assert "Fundação Getulio Vargas".encode() in data  # ensure_ascii=False
    loaded = json.loads(data.decode("utf-8"))
    assert [item["heading"] for item in loaded] == [s.heading for s in reversed(seeds)]
    assert loaded[1] == seeds[0].to_json()
    assert loaded[1]["starts_at"] == "2021-12-10T08:30:00+00:00"


def test_json_empty_list() -> None:
    assert sessions_from_json(sessions_to_json([])) == []


@pytest.mark.parametrize(
    "data", [b"", b"{}", b"[1]", b'[{"title": "no heading"}]', b"\xff\xfe", b"not json"]
)
def test_json_import_rejects_other_documents(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a JSON export"):
        sessions_from_json(data)


# ------------------------------------------------------------------------------------- CSV


def test_csv_header_and_one_row_per_session(seeds: list[Session]) -> None:
    data = sessions_to_csv(seeds)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert next(reader) == list(CSV_COLUMNS)
    rows = read_csv(data)
    assert len(rows) == 2
    assert [row["key"] for row in rows] == ["igf-2021-open-forum-5", "igf-2022-open-forum-25"]
    assert rows == sessions_from_csv(data)


def test_csv_2021_seed_cells(seeds: list[Session]) -> None:
    row = read_csv(sessions_to_csv(seeds))[0]
    assert row["reference"] == "Open Forum #5"
    assert (row["event"], row["year"], row["session_type"], row["number"]) == (
        "IGF 2021",
        "2021",
        "Open Forum",
        "5",
    )
    assert row["title"] == "Development and Rule-Making on Artificial Intelligence"
    assert row["starts_at"] == "2021-12-10T08:30:00+00:00"
    assert row["ends_at"] == "2021-12-10T09:30:00+00:00"
    assert (row["room"], row["format"], row["duration_minutes"]) == (
        "Ballroom B",
        "Round Table - U-shape",
        "60",
    )
    speakers = row["speakers"].split(" | ")
    assert len(speakers) == 11
    assert speakers[0] == (
        "Xu Feng (Deputy Director General, Bureau of International Cooperation, "
        "Cyberspace Administration of China)"
    )
    assert speakers[9] == (
        "Luca Belli (Professor of Internet Governance and Regulation, Fundação Getulio Vargas)"
    )
    assert row["sdgs"] == (
        "8 Decent Work and Economic Growth | 9 Industry, Innovation and Infrastructure | "
        "10 Reduced Inequalities | 11 Sustainable Cities and Communities | "
        "12 Responsible Production and Consumption | 16 Peace, Justice and Strong Institutions"
    )
    assert row["onsite_moderators"] == "Delegate from Cyberspace Administration of China"
    assert row["online_moderators"].startswith("Li Yuxiao (Vice President, Chinese Academy")
    assert row["organizers"] == (
        "Bureau of International Cooperation, Cyberspace Administration of China | "
        "Chinese Academy of Cyberspace Studies"
    )
    assert len(row["key_takeaways"].split(" | ")) == 2
    assert len(row["calls_to_action"].split(" | ")) == 2
    assert len(row["policy_questions"].split(" | ")) == 2
    assert "\n\n" in row["description"]
    assert row["report"] == "" and row["source_url"] == ""


def test_csv_keeps_accents_and_other_scripts() -> None:
    session = minimal(
        speakers=[Speaker("Salomé Eggler", "Deutsche Gesellschaft für Zusammenarbeit")],
        rapporteurs=[Person("Øystein Ås"), Person("张伟", "中国互联网络信息中心")],
        sdgs=[Sdg(5)],
        room="Salle Genève",
    )
    row = read_csv(sessions_to_csv([session]))[0]
    assert row["speakers"] == "Salomé Eggler (Deutsche Gesellschaft für Zusammenarbeit)"
    assert row["rapporteurs"] == "Øystein Ås | 张伟 (中国互联网络信息中心)"
    assert row["sdgs"] == "5"
    assert row["room"] == "Salle Genève"
    assert row["starts_at"] == "" and row["number"] == ""


def test_csv_description_with_newlines_quotes_and_commas_round_trips() -> None:
    description = (
        'First paragraph, with "quotes", commas; and a ‘curly’ quote.\n\n'
        'Second paragraph\r\nwith a Windows line break, and a trailing quote"'
    )
    data = sessions_to_csv([minimal(description=description, report="one,two\nthree")])
    row = read_csv(data)[0]
    assert row["description"] == description
    assert row["report"] == "one,two\nthree"


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_csv_neutralises_formula_injection(title: str) -> None:
    session = minimal(title=title, organizers=["=evil()", "Good Org"], room="-3")
    row = read_csv(sessions_to_csv([session]))[0]
    assert row["title"] == "'" + title
    assert row["organizers"] == "'=evil() | Good Org"
    assert row["room"] == "'-3"
    assert row["heading"] == "IGF 2024 WS #1 Test"  # ordinary cells untouched


def test_csv_of_no_sessions_is_just_the_header() -> None:
    data = sessions_to_csv([])
    assert data == ("\ufeff" + ",".join(CSV_COLUMNS) + "\r\n").encode()
    assert sessions_from_csv(data) == []


def test_csv_import_tolerates_ragged_rows() -> None:
    data = "\ufeffkey,title\r\na\r\nb,B,extra\r\n".encode()
    assert sessions_from_csv(data) == [{"key": "a", "title": ""}, {"key": "b", "title": "B"}]


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@given(title=_text, description=_text, names=st.lists(_text, max_size=3))
def test_csv_cells_round_trip_up_to_the_formula_guard(
    title: str, description: str, names: list[str]
) -> None:
    session = minimal(title=title, description=description or None, organizers=names)
    row = sessions_from_csv(sessions_to_csv([session]))[0]
    for column, value in (
        ("title", title),
        ("description", description),
        ("organizers", " | ".join(names)),
    ):
        guarded = value[:1] in {"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"}
        assert row[column] == ("'" + value if guarded else value)
