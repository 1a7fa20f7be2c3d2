"""The parser against what a careful reader sees on each page."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Person, Sdg, Session, Speaker
from bot.names import person_key
from bot.parser import ParseError, parse_bytes, parse_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
NOT_SESSIONS = ROOT / "tests" / "fixtures" / "not-sessions"
SEED_2021 = SEEDS / "000_2d8a54ebfe520b7f.txt"
SEED_2022 = SEEDS / "001_f0b5d1bb55f3a80c.txt"


def parse_file(path: Path) -> Session:
    return parse_bytes(path.read_bytes(), path.name)


def names(people: list[Person] | list[Speaker]) -> list[str]:
    return [p.name for p in people]


# ---------------------------------------------------------------------------------- seed 2021


@pytest.fixture(scope="module")
def of5() -> Session:
    return parse_file(SEED_2021)


def test_2021_identity(of5: Session) -> None:
    assert of5.heading == (
        "IGF 2021 Open Forum #5 Development and Rule-Making on Artificial Intelligence"
    )
    assert (of5.event, of5.year, of5.session_type, of5.number) == (
        "IGF 2021",
        2021,
        "Open Forum",
        5,
    )
    assert of5.title == "Development and Rule-Making on Artificial Intelligence"
    assert of5.reference == "Open Forum #5"
    assert of5.key == "igf-2021-open-forum-5"
    assert of5.source_url is None


def test_2021_schedule_room_format(of5: Session) -> None:
    assert of5.starts_at == datetime(2021, 12, 10, 8, 30, tzinfo=UTC)
    assert of5.ends_at == datetime(2021, 12, 10, 9, 30, tzinfo=UTC)
    assert of5.starts_at.utcoffset() is not None
    assert of5.room == "Ballroom B"
    assert (of5.format, of5.duration_minutes, of5.format_description) == (
        "Round Table - U-shape",
        60,
        None,
    )


def test_2021_policy_questions_and_description(of5: Session) -> None:
    assert len(of5.policy_questions) == 2
    assert of5.policy_questions[0].startswith(
        "Governance and cooperation for an evolving Internet:"
    )
    assert of5.policy_questions[1].startswith("Technical Internet governance: How can")
    assert of5.description is not None
    assert of5.description.startswith("Artificial Intelligence (AI), a major strategic technology")
    assert of5.description.endswith(
        "offering interaction with speakers and delegates across the world."
    )
    assert "\n\n" in of5.description  # two paragraphs kept apart


def test_2021_organizers(of5: Session) -> None:
    assert of5.organizers == [
        "Bureau of International Cooperation, Cyberspace Administration of China",
        "Chinese Academy of Cyberspace Studies",
    ]


def test_2021_speakers_with_segments(of5: Session) -> None:
    topic1 = "Topic 1: Cutting Edge Developments of AI and Their Impacts"
    topic2 = "Topic 2: International Governance and International Cooperation on AI"
    assert [(s.name, s.segment) for s in of5.speakers] == [
        ("Xu Feng", "Keynote Speech"),
        ("Gong Ke", topic1),
        ("David Robertson", topic1),
        ("Zhang Hui", topic1),
        ("Wang Bo", topic1),
        ("Ma Yanjun", topic1),
        ("Xue Lan", topic2),
        ("Thorsten Jelinek", topic2),
        ("Ayad Al-Ani", topic2),
        ("Luca Belli", topic2),
        ("Xia Xueping", "Concluding Remarks"),
    ]
    belli = of5.speakers[9]
    assert (
        belli.affiliation
        == "Professor of Internet Governance and Regulation, Fundação Getulio Vargas"
    )
    assert of5.speakers[0].affiliation == (
        "Deputy Director General, Bureau of International Cooperation, "
        "Cyberspace Administration of China"
    )
    assert all(s.note is None for s in of5.speakers)


def test_2021_moderators_rapporteur(of5: Session) -> None:
    delegate = Person("Delegate from Cyberspace Administration of China")
    assert of5.onsite_moderators == [delegate]
    assert of5.online_moderators == [
        Person(
            "Li Yuxiao",
            "Vice President, Chinese Academy of Cyberspace Studies; "
            "Secretary-General, Cybersecurity Association of China",
        )
    ]
    assert of5.rapporteurs == [delegate]


def test_2021_sdgs_targets_outcomes(of5: Session) -> None:
    assert [s.number for s in of5.sdgs] == [8, 9, 10, 11, 12, 16]
    assert of5.sdgs[1] == Sdg(9, "Industry, Innovation and Infrastructure")
    assert len(of5.targets) == 1 and of5.targets[0].startswith("With diversified application")
    assert len(of5.key_takeaways) == 2
    assert of5.key_takeaways[0].startswith("AI is having a significant and far-reaching impact")
    assert of5.key_takeaways[1].endswith("through sufficient communication.")
    assert len(of5.calls_to_action) == 2
    assert of5.calls_to_action[0].startswith(
        "Artificial intelligence should benefit human well-being"
    )
    assert of5.calls_to_action[1].endswith("ethics and moral codes, etc.")
    assert of5.report is None


# ---------------------------------------------------------------------------------- seed 2022


@pytest.fixture(scope="module")
def of25() -> Session:
    return parse_file(SEED_2022)


def test_2022_identity_schedule_format(of25: Session) -> None:
    assert (of25.event, of25.session_type, of25.number) == ("IGF 2022", "Open Forum", 25)
    assert of25.title == "Explore the road of intelligent social governance in advance"
    assert of25.starts_at == datetime(2022, 11, 29, 13, 15, tzinfo=UTC)
    assert of25.ends_at == datetime(2022, 11, 29, 14, 15, tzinfo=UTC)
    assert of25.room == "Banquet Hall A"
    assert (of25.format, of25.duration_minutes) == ("Other", 60)
    assert of25.format_description == "online meeting"
    assert of25.policy_questions == []


def test_2022_description_keeps_bullets(of25: Session) -> None:
    assert of25.description is not None
    assert of25.description.startswith(
        "The deep restructuring of society by artificial intelligence"
    )
    assert (
        "• the methods and paths of future-oriented intelligent society governance;"
        in of25.description
    )
    assert of25.description.endswith("shared future for mankind in the intelligent era.")


def test_2022_organizers(of25: Session) -> None:
    assert of25.organizers == [
        "Bureau of Information Technology Development, Cyberspace Administration of China",
        "Institute of intelligent Society Governance, Tsinghua University",
        "Center for Science, Technology & Education Policy, Tsinghua University",
    ]


def test_2022_speakers_notes_and_continuations(of25: Session) -> None:
    assert names(of25.speakers) == [
        "Zhang Peng",
        "Su Jun",
        "John E. Hopcroft",
        "Zhang Xiao",
        "Simon Marvin",
        "Huang Cui",
        "Wang Yingchun",
    ]
    assert of25.speakers[0].note == "opening speech"
    assert of25.speakers[0].affiliation == (
        "Deputy Director General of Information Technology Bureau, "
        "Cyberspace Administration of China"
    )
    # The second line under Simon Marvin is his second affiliation, not another speaker.
    assert of25.speakers[4].affiliation == (
        "Professor Urban Institute, University of Sheffield; "
        "Professor School of Architecture, Design and Planning, University of Sydney"
    )


def test_2022_people_are_one_person_each(of25: Session) -> None:
    assert of25.onsite_moderators == [Person("Amrita Choudhury")]
    # "Moderator: Dr Zhang Fang" in the report is the online moderator, not a new person.
    assert names(of25.online_moderators) == ["Zhang Fang"]
    assert of25.online_moderators[0].affiliation.startswith(
        "Associate Director of Center for Science"
    )
    assert names(of25.rapporteurs)[0] == "Li Xiaoli"
    assert names(of25.rapporteurs)[1:] == [
        "Lian Xiangpeng",
        "Tu Shengming",
        "Zhang Yu",
        "Ren Tianpei",
    ]
    everyone = [*of25.speakers, *of25.onsite_moderators, *of25.online_moderators, *of25.rapporteurs]
    keys = [person_key(p.name) for p in everyone]
    assert len(keys) == len(set(keys))


def test_2022_sdgs_targets_outcomes_report(of25: Session) -> None:
    assert of25.sdgs == [Sdg(4, "Quality Education")]
    assert of25.targets == ["4", "10"]
    assert len(of25.key_takeaways) == 2 and len(of25.calls_to_action) == 2
    assert of25.calls_to_action[1].startswith(
        "Panelists further called on the international community"
    )
    assert of25.report is not None
    assert of25.report.startswith("Moderator: Dr Zhang Fang")
    assert "(3) Actively promoting international exchange" in of25.report
    assert of25.report.rstrip().endswith("academic conferences.")


def test_json_round_trip(of5: Session, of25: Session) -> None:
    for session in (of5, of25):
        assert Session.from_json(session.to_json()) == session


# ---------------------------------------------------------------------------------- corpus

# What a reader sees on each corpus page (they are cut at ~2,000 bytes, so only what is there).
CORPUS_FACTS: dict[str, dict[str, object]] = {
    "igf-2010-dc-gender.txt": dict(
        event="IGF 2010", session_type="Dynamic Coalition", title="Dynamic Coalition on Gender"
    ),
    "igf-2015-main-setting-the-scene.txt": dict(
        event="IGF 2015", session_type="Main Session", title="Setting the Scene"
    ),
    "igf-2016-main-bpfs-cenb.txt": dict(
        event="IGF 2016",
        session_type="Main Session",
        duration_minutes=90,
        starts_at=datetime(2016, 12, 9, 16, 0, tzinfo=UTC),  # 10:00 in Guadalajara
        ends_at=datetime(2016, 12, 9, 17, 30, tzinfo=UTC),
        onsite=["Helani Galpaya", "Alison Gillwald"],
        speakers_include=[
            "Constance Bommelaer",
            "Frank Larue",
            "Alex Wong",
            "Markus Kummer",
            "Izumi Okutani",
        ],
    ),
    "igf-2017-ws-100.txt": dict(
        number=100,
        session_type="Workshop",
        format="Break-out Group Discussions",
        duration_minutes=90,
        speakers=[
            "Audrey Plonk",
            "Nguyen Trong Duong",
            "Lara Pace",
            "Belisario Contreras",
            "Didier Nkurikiyimfura",
            "Arnold van Rhijn",
            "Lillian Nalwoga",
        ],
        organizers_start=["Sophie Tomlinson, ICC BASIS", "Timea Suto, ICC BASIS"],
    ),
    "igf-2018-ws-376.txt": dict(
        number=376,
        title="Innovative approaches to connecting underserved areas",
        room="Salle XI",
        format="Panel",
        duration_minutes=90,
        speakers=[
            "Dada John",
            "Ritu Srivastava",
            "Bill Murdoch",
            "Peter Bloom",
            "Karla Valesco",
            "Matthew Rantanen",
            "Gonzalo Lopez-Barajas",
            "Loreto Bravo",
        ],
        onsite=["Sebastian Bellagamba"],
        online=["Katie Watson"],
        rapporteurs=["Katie Watson"],
        organizers=["Bellagama Sebastian, Internet Society", "Peter Bloom, Rhizomatica"],
    ),
    "igf-2019-intro-breakout-data-governance.txt": dict(
        session_type="Introductory Session", title="Data Governance", starts_at=None
    ),
    "igf-2019-ws-415.txt": dict(
        title="Multilingual Internet: support local languages and scripts",
        number=415,
        format="Round Table - U-shape",
        duration_minutes=90,
        sdgs=[9, 10, 11],
        policy_question_count=6,
        speakers=["Satish Babu", "Edmon Chung", "Natalia Filina", "Patrik Fältström"],
        onsite=["Edmon Chung"],
        online=["Natalia Filina"],
        rapporteurs=["Satish Babu"],
    ),
    "igf-2020-ws-136.txt": dict(
        number=136,
        format="Round Table - Circle",
        duration_minutes=60,
        sdgs=[16],
        policy_question_count=1,
        speakers=["Cristina Tardaguila", "Lisa Garcia", "Asad Baig"],
        organizers=["Civil Society, Asia-Pacific Group", "Civil Society, Asia-Pacific Group"],
    ),
    "igf-2020-ws-229.txt": dict(
        number=229,
        format="Round Table - U-shape",
        duration_minutes=90,
        speakers_include=["Farzaneh Badii", "Guilherme Canela Godoi", "Vargas Paula"],
    ),
    "igf-2021-introductory-session-iii.txt": dict(
        session_type="Introductory Session",
        number=3,
        starts_at=datetime(2021, 11, 3, 13, 0, tzinfo=UTC),
        ends_at=None,
        room=None,
        onsite=["Avri Doria"],
        speakers_include=["Maria Paz Canales", "Ben Wallis", "Paula Martins"],
    ),
    "igf-2021-of-16.txt": dict(
        number=16,
        title="Globalpolicy.ai",
        room="Hall A3",
        format="Panel - Auditorium",
        starts_at=datetime(2021, 12, 9, 15, 50, tzinfo=UTC),
        policy_question_count=2,
    ),
    "igf-2021-of-5.txt": dict(
        number=5, room="Ballroom B", format="Round Table - U-shape", policy_question_count=2
    ),
    "igf-2021-th-35.txt": dict(
        session_type="Town Hall",
        number=35,
        room="Conference Room 8",
        format="Round Table - U-shape",
        starts_at=datetime(2021, 12, 7, 14, 0, tzinfo=UTC),
        policy_question_count=1,
        organizers=[],
    ),
    "igf-2021-ws-170.txt": dict(
        number=170,
        room="Conference Room 6",
        format="Panel - Auditorium",
        duration_minutes=90,
        speakers=[
            "Beeban Kidron",
            "Hoda Dahroug",
            "Kenneth Adu-Amanfoh",
            "Thomas Salzmann",
            "David Miles",
            "Tomasz Kulasa",
            "Agne Kaarlep",
        ],
        onsite=["Jutta Croll"],
        online=["Torsten Krause"],
        rapporteurs=["Marlene Fasolt"],
    ),
    "igf-2021-ws-35.txt": dict(
        number=35,
        room="Conference Room 3",
        format="Round Table - Circle",
        speakers=[
            "Rob McMahon",
            "Risper Nyambok",
            "Gustaff Harriman Iskandar",
            "Ronda Železný-Green",
            "Roxana Widmer-Iliescu",
        ],
        onsite=["Carlos Francisco Baca Feldman"],
        online=["Lilian Chamorro Rojas"],
        rapporteurs=["Ndunge Kiundi"],
    ),
    "igf-2022-nri-coordination-session.txt": dict(
        session_type="NRI",
        number=None,
        room="Banquet Hall B",
        duration_minutes=70,
        starts_at=datetime(2022, 11, 28, 10, 0, tzinfo=UTC),
    ),
    "igf-2022-ws-162.txt": dict(
        number=162,
        room=None,
        format="Panel - Auditorium",
        policy_question_count=3,
        speakers=[
            "Lee McKnight",
            "Andre Laperriere",
            "Jane Asantewaa Appiah-Okyere",
            "Ephrem Kwaa-Aidoo",
        ],
        onsite=["Kwaku Antwi"],
        online=["Thokozile Precious Miya"],
        rapporteurs=["Taiwo Peter Akinremi"],
    ),
    "igf-2022-ws-482.txt": dict(
        number=482,
        room="Large Briefing Room",
        sdgs=[3, 4, 5, 8, 9, 10, 16],
        policy_question_count=3,
        onsite=["Laura Schwartz-Henderson"],
        online=["DIAGNE El Hadji Daouda"],
        rapporteurs=["Benjamin Whitehead"],
    ),
    "igf-2023-of-86.txt": dict(
        number=86,
        room="WS 8 – Room C-1",
        format="Other",
        duration_minutes=60,
        speakers=[],
        format_description_start="Format #8: Open Forum",
    ),
    "igf-2023-ws-164.txt": dict(
        number=164,
        format="Round Table",
        policy_question_count=2,
        onsite=["Lorenzo Vargas"],
        online=["Nils Brock"],
        rapporteurs=["Lorenzo Vargas"],
    ),
    "igf-2023-ws-197.txt": dict(
        number=197,
        room="WS 1 – Annex Hall 1",
        organizers=[
            "Timea Suto, International Chamber of Commerce",
            "Rose Payne, International Chamber of Commerce",
        ],
        onsite=["Timea Suto"],
        online=["Rose Payne"],
        rapporteurs=["Meni ANASTASIADOU"],
        speakers_include=["David Pendle", "Raúl Echeberría"],
    ),
    "igf-2023-ws-318.txt": dict(
        number=318,
        policy_question_count=3,
        onsite=["Man Hei Connie Siu"],
        online=["Saba Tiku Beyene"],
        rapporteurs=["Kateryna Bovsunovska"],
        organizers_start=["Man Hei Connie Siu, International Telecommunication Union"],
    ),
    "igf-2023-ws-403.txt": dict(
        number=403,
        room="WS 1 – Annex Hall 1",
        onsite=["Marija Manojlovic"],
        online=["Natalie Shoup"],
        speakers_include=["Albert Antwi-Boasiako", "Henri Verdier", "Salomé Eggler"],
    ),
    "igf-2024-lt-22.txt": dict(
        session_type="Lightning Talk",
        number=22,
        sdgs=[7, 9, 12, 13, 15, 17],
        speakers=["Karen Woo", "Jasmine Ko", "Ida Padikuor Na-Tei"],
        onsite=["Athanase Bahizire"],
        online=["Denise Leal"],
        organizers_start=["Youth IGF DRC"],
    ),
    "igf-2024-of-27.txt": dict(
        number=27,
        format="Theater",
        duration_minutes=60,
        organizers=["Ministry of Internal Affairs and Communications"],
        onsite=["Yoichi Iida", "Yuka Nishimura", "Honoka Ninagawa"],
    ),
    "igf-2024-of-54.txt": dict(
        number=54, format=None, duration_minutes=90, format_description_start="The theatre seating"
    ),
    "igf-2024-ws-42.txt": dict(
        number=42,
        format="Roundtable",
        duration_minutes=90,
        policy_question_count=3,
        onsite=["Len Manriquez"],
        online=["Jim Prendergast"],
        rapporteurs=["Samantha Dickinson"],
    ),
    "igf-2024-ws-93.txt": dict(
        number=93,
        format="Theater",
        duration_minutes=60,
        onsite=["Xiao Zhang"],
        online=["Lang Wang"],
        rapporteurs=["Xitao Jiang"],
        speakers=[
            "Health Yao",
            "Edmon Chung",
            "Abdalmonem Tharwat Galila",
            "Anil Kumar Jain",
            "Xianhong Hu",
        ],
    ),
    "igf-2025-day0-17.txt": dict(
        session_type="Day 0 Event",
        number=17,
        format="Theater",
        sdgs=[16, 17],
        onsite=["Beltsazar Krisetya"],
        online=["Maria Monica Wihardja"],
        rapporteurs=["Patricia Larasgita"],
        organizers_start=["Centre for Strategic and International Studies"],
        speakers_include=["Arianne Santoso", "Robert Nicholls"],
    ),
    "igf-2025-launch-award-126.txt": dict(
        session_type="Launch / Award",
        number=126,
        organizers_start=["Women in Internet Governance"],
        speakers_include=["Raymond Mamattah", "Gloria F. Amofah-Adjekum", "June Parris"],
    ),
    "igf-2025-ws-263.txt": dict(
        number=263,
        format="Classroom",
        duration_minutes=90,
        policy_question_count=3,
        speakers=[
            "Samson Esayas",
            "Isobel Acquah",
            "Vebjørn Røskar Krågebakk",
            "Noha Lea Halim",
            "Fabienne Marco",
        ],
    ),
}

REJECTIONS = {
    "call-for-town-halls-2023.txt": "call for proposals",
    "digwatch-2023-open-mic-v2.txt": "third-party report",
    "friendsoftheigf-2010-closing-transcript.txt": "transcript",
    "igf-2025-of-30-transcript.txt": "transcript",
    "sched-2024-12-19-list.txt": "list of several sessions",
}


def test_every_corpus_page_has_facts() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.txt")) == sorted(CORPUS_FACTS)
    assert sorted(p.name for p in NOT_SESSIONS.glob("*.txt")) == sorted(REJECTIONS)


@pytest.mark.parametrize("name", sorted(CORPUS_FACTS))
def test_corpus_page(name: str) -> None:
    session = parse_file(CORPUS / name)
    facts = dict(CORPUS_FACTS[name])
    url = (CORPUS / name).read_text().splitlines()[0].removeprefix("URL: ")
    assert session.source_url == url
    year = int(name.split("-")[1])
    if "intro-breakout" not in name:  # the page never says its year
        assert session.year == year and session.event == f"IGF {year}"
    for field, expected in facts.items():
        if field in {"speakers", "onsite", "online", "rapporteurs"}:
            attr = {"onsite": "onsite_moderators", "online": "online_moderators"}.get(field, field)
            assert names(getattr(session, attr)) == expected, field
        elif field == "speakers_include":
            assert set(expected) <= set(names(session.speakers)), names(session.speakers)
        elif field == "organizers_start":
            assert session.organizers[: len(expected)] == expected
        elif field == "sdgs":
            assert [s.number for s in session.sdgs] == expected
        elif field == "policy_question_count":
            assert len(session.policy_questions) == expected, session.policy_questions
        elif field == "format_description_start":
            assert (session.format_description or "").startswith(str(expected))
        else:
            assert getattr(session, field) == expected, field
    for person in [*session.speakers, *session.onsite_moderators, *session.online_moderators]:
        assert person.name.strip() == person.name and len(person.name.split()) >= 2


@pytest.mark.parametrize("name", sorted(REJECTIONS))
def test_not_session_pages_are_rejected_with_reason(name: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_file(NOT_SESSIONS / name)
    assert REJECTIONS[name] in caught.value.reason
    assert name in str(caught.value)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty document"),
        (b"   \n\n  ", "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"IGF 2021 WS #1 Caf\xe9", "not UTF-8"),
        (b"Just some words about nothing in particular.", "no session structure"),
    ],
)
def test_non_documents_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "upload.txt")
    assert reason in caught.value.reason


def test_page_cut_short_yields_what_it_has() -> None:
    text = SEED_2021.read_text()
    cut = text[: text.index("Gong Ke")]
    session = parse_text(cut)
    assert session.number == 5 and session.room == "Ballroom B"
    assert names(session.speakers) == ["Xu Feng"]
    assert session.key_takeaways == []


def test_local_times_without_zone_use_the_venue_zone() -> None:
    session = parse_text("IGF 2025 WS #1 Test\n\nMonday, 23rd June, 2025, 09:00 - 10:30\nRoom 1\n")
    assert session.starts_at == datetime(2025, 6, 23, 7, 0, tzinfo=UTC)  # Oslo is UTC+2 in June
    assert session.ends_at == datetime(2025, 6, 23, 8, 30, tzinfo=UTC)


# ---------------------------------------------------------------------------------- robustness


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_arbitrary_text_only_raises_parse_error(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_text(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_raise_parse_error(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_bytes(data)


SEED_LINES = [*SEED_2021.read_text().splitlines(), *SEED_2022.read_text().splitlines()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SEED_LINES), max_size=80),
    st.lists(st.tuples(st.integers(0, 79), st.text(max_size=40)), max_size=5),
)
def test_mutated_seeds_only_raise_parse_error(
    lines: list[str], noise: list[tuple[int, str]]
) -> None:
    for position, junk in noise:
        lines.insert(min(position, len(lines)), junk)
    try:
        session = parse_text("\n".join(lines))
    except ParseError:
        return
    assert session.heading
