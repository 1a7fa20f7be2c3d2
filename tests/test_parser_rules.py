"""The general rules of issue #13, each on a small page of its kind (not a corpus page): page
generations, where the type and year stand, role labels outside the standard block, lists of
people, non-session pages, placeholders and the warnings `parse_document` returns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.names import is_placeholder
from bot.parser import ParseError, parse_document, parse_text
from bot.parser.shapes import split_role_labels


def names(people: list) -> list[str]:  # type: ignore[type-arg]
    return [p.name for p in people]


# ------------------------------------------------------------------------ page generations


def test_schedule_site_banner_date_line_and_quoted_title() -> None:
    page = (
        "URL: https://igf2016.sched.com/event/Ab1/some-session\n\n"
        "Welcome to IGF2016! Create your schedule below and participate!\n"
        "Venue Map\nBack To Schedule\n"
        "Tuesday, December 6 • 11:00 - 12:30\n\n"
        "Sign up or log in to save this to your schedule, view media, leave feedback!\n\n"
        "“Access and Diversity in the Digital Age”\n\n"
        "[90 minutes – Tuesday 6 December – Room 6, Jalisco]\n\n"
        "This main session will look at access.\n"
    )
    session = parse_text(page)
    assert session.title == "Access and Diversity in the Digital Age"
    assert (session.event, session.year) == ("IGF 2016", 2016)
    assert session.starts_at == datetime(2016, 12, 6, 17, 0, tzinfo=UTC)  # Guadalajara
    assert session.room == "Room 6"
    assert session.session_type == "Main Session"


def test_has_ended_banner_and_reference_after_the_title() -> None:
    page = "IGF 2015 has ended\n\nYouth and the Internet - Workshop 12\n\nSome text.\n"
    session = parse_text(page)
    assert session.title == "Youth and the Internet"
    assert (session.session_type, session.number) == ("Workshop", 12)


def test_breadcrumb_and_room_label_are_not_the_title() -> None:
    page = (
        "URL: https://www.intgovforum.org/content/igf-2016-open-topic\n\n"
        "You are here\n\nRoom\n    Salle VI\n\n"
        "IGF MAIN SESSION ON ACCESS\n\nAbout the session.\n"
    )
    session = parse_text(page)
    assert session.title == "ACCESS"
    assert session.room == "Salle VI"
    assert (session.session_type, session.year) == ("Main Session", 2016)


def test_archive_iso_date_line_and_type_in_the_body() -> None:
    page = (
        "URL: http://igf2009.example.org/content/some-workshop\n\n"
        "Mon, 2009-11-16 14:30 - 16:00\n"
        "This workshop will explore\nthe question.\n"
    )
    session = parse_text(page)
    assert session.year == 2009 and session.session_type == "Workshop"
    assert session.starts_at == datetime(2009, 11, 16, 12, 30, tzinfo=UTC)  # Cairo, UTC+2
    assert session.duration_minutes == 90


@pytest.mark.parametrize(
    ("heading", "kind", "title"),
    [
        ("IGF 2012 High Level Panel V", "High-Level Session", "High Level Panel V"),
        ("IGF 2022 Global Youth Summit", "Day 0 Event", "Global Youth Summit"),
        ("IGF 2021 Main Session Trust matters", "Main Session", "Trust matters"),
        ("IGF 2019 Best Practice Forum on Gender", "Best Practice Forum", None),
    ],
)
def test_type_as_a_name_and_main_session_prefix(heading: str, kind: str, title: str | None) -> None:
    session = parse_text(f"{heading}\n\nThe session text.\n")
    assert session.session_type == kind
    assert session.title == (title or heading.split(" ", 2)[2])


def test_url_slug_type_with_a_digit() -> None:
    url = "https://www.intgovforum.org/en/content/igf-2024-day-0-event-82-a-title"
    session = parse_text(f"URL: {url}\n\nSession\nOrganiser Office, UK\n")
    assert (session.session_type, session.number, session.year) == ("Day 0 Event", 82, 2024)


def test_a_session_label_page_that_describes_this_session_is_a_session() -> None:
    session = parse_text("Session\nThis session will address elections.\n")
    assert session.starts_at is None and session.speakers == []


# ------------------------------------------------------------------------------ role labels


def test_several_role_labels_on_one_line() -> None:
    line = "Moderator: Jane Doe Speakers: Ann Lee; Bob Ray Rapporteur: Carl Moe"
    assert split_role_labels(line) == [
        "Moderator: Jane Doe",
        "Speakers: Ann Lee; Bob Ray",
        "Rapporteur: Carl Moe",
    ]
    session = parse_text(f"IGF 2010 Workshop #3 Title\n\n{line}\n")
    assert names(session.onsite_moderators) == ["Jane Doe"]
    assert names(session.speakers) == ["Ann Lee", "Bob Ray"]
    assert names(session.rapporteurs) == ["Carl Moe"]


def test_report_block_labels_and_trailing_moderator() -> None:
    page = (
        "IGF 2008 Workshop #7 Title\n\n"
        "Chair/Moderator: Ann Lee\n"
        "Rapporteur/Notetaker: Bob Ray\n"
        "Speakers: Carl Moe, Dana Poe\n"
        "Online moderator: Eve Roe & Finn Soe\n"
    )
    session = parse_text(page)
    assert names(session.onsite_moderators) == ["Ann Lee"]
    assert names(session.rapporteurs) == ["Bob Ray"]
    assert names(session.speakers) == ["Carl Moe", "Dana Poe"]
    assert names(session.online_moderators) == ["Eve Roe", "Finn Soe"]


def test_labelled_lower_case_speaker_doubled_name_and_honorific() -> None:
    page = (
        "IGF 2019 WS #1 Title\n\n"
        "Speaker 1: jin yan, Private Sector, Asia-Pacific Group\n"
        "Speaker 2: Karen McCabe Karen McCabe, IEEE\n"
        "Speaker 3: Hon. Neema Lugangira, Parliament\n"
    )
    assert names(parse_text(page).speakers) == ["jin yan", "Karen McCabe", "Neema Lugangira"]


def test_moderator_and_organizer_are_organiser_people() -> None:
    page = (
        "IGF 2025 Open Forum #1 Title\n\nOrganizers\nSome Ministry of Things\n"
        "Moderator and Organizer: Yoichi Iida (main), Yuka Nishimura (sub)\n"
    )
    parsed = parse_document(page.encode())
    assert parsed.organizer_people == ["Yoichi Iida", "Yuka Nishimura"]
    assert parsed.session.organizers == ["Some Ministry of Things"]


def test_policy_questions_one_per_question_mark_or_bullet() -> None:
    page = (
        "IGF 2022 WS #2 Title\n\nPolicy Question(s)\n\n"
        "What is A? How does B differ? Why C?\n\n"
        "Relevance: text.\n"
    )
    assert len(parse_text(page).policy_questions) == 3
    page = "IGF 2020 WS #3 Title\n\nPolicy Question(s)\n\n• How A? • What B?\n"
    assert parse_text(page).policy_questions == ["How A?", "What B?"]


# -------------------------------------------------------------------------- non-session pages


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (
            "Deprecated: Function x() is deprecated in /home/site/a.php on line 12\n" * 5,
            "server warnings",
        ),
        (
            "URL: https://dig.watch/event/igf-2023/ws-1-title\n\nWS #1 Title\nSummary\nText.\n",
            "third-party report",
        ),
        ("IGF 2023 WS #1 Title\n\nSession at a Glance\nKeypoints\nText.\n", "third-party report"),
        ("MAG Meeting - 12 March 2019\n\nIGF 2019 agenda text.\n", "MAG meeting"),
        ("Open Consultations and MAG meeting\n\nText.\n", "open-consultation"),
        (
            "URL: https://igf2018.sched.com/list/descriptions/type/Access\n\nA (WS1)\nB (WS2)\n",
            "list of several sessions",
        ),
        (
            "Schedule\n\nIGF 2018 WS #1 One\nModerator: Ann Lee\n\nIGF 2018 WS #2 Two\n",
            "list of several sessions",
        ),
        (
            "URL: https://www.intgovforum.org/themes2018/x\n\nTheme\n\n"
            "IGF 2018 LIGHTNING SESSION #1 A\n\nIGF 2018 LIGHTNING SESSION #2 B\n",
            "list of themes",
        ),
    ],
)
def test_non_session_pages_are_rejected_with_their_reason(page: str, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_text(page)
    assert reason in caught.value.reason


# ------------------------------------------------------------------ placeholders and warnings


@pytest.mark.parametrize(
    "text",
    [
        "TBD",
        "tbc",
        "Speaker 3",
        "Delegate from Kenya",
        "Representative of UNESCO",
        "[email protected]",
    ],
)
def test_placeholders_are_not_people(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["Jane Doe", "Tbd Ndlovu", "Speaker Pelosi", "Delegate Smith"])
def test_names_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)


def test_parse_document_warns_about_what_the_page_lacks_and_did_not_use() -> None:
    page = "IGF 2021 WS #9 Title\n\nModerator: TBD\n\nSome text.\n"
    parsed = parse_document(page.encode(), "p.txt")
    assert "no date and time found on the page" in parsed.warnings
    assert "no room found on the page" in parsed.warnings
    assert any("naming no person (TBD)" in w for w in parsed.warnings)
    assert parsed.session.number == 9


# ------------------------------------------------------------------------- lists of people


def test_2024_unlabelled_people_block_by_position() -> None:
    page = (
        "URL: https://intgovforum.org/en/content/igf-2024-day-0-event-9-some-title\n\n"
        "Session\nMinistry of Digital Affairs, Ruritania\n"
        "Ann Lee, Director, Ministry of Digital Affairs Bob Ray – Ministry of Digital Affairs "
        "Carl Ben Moe – Open Network Initiative\n"
        "Government: Dana Poe – Minister of Digital Affairs.\n"
        "Civil Society: Eve Roe, Campaign Lead at Open Network.\n"
        "Academia: Finn Soe. Ruritania University.\n"
        "Ann Lee\nBob Ray/Carl Ben Moe\nGus Toe/Hal Uoe\n"
    )
    parsed = parse_document(page.encode())
    session = parsed.session
    assert parsed.organizer_people == ["Ann Lee", "Bob Ray", "Carl Ben Moe"]
    assert names(session.speakers) == ["Dana Poe", "Eve Roe", "Finn Soe"]
    assert names(session.onsite_moderators) == ["Ann Lee"]
    assert names(session.online_moderators) == ["Bob Ray", "Carl Ben Moe"]
    assert names(session.rapporteurs) == ["Gus Toe", "Hal Uoe"]


def test_additional_speakers_then_the_unlabelled_moderator() -> None:
    page = (
        "IGF 2023 WS #5 Title\n\n"
        "Speaker 1: Ann Lee, Civil Society, African Group\n\n"
        "Additional Speakers\n\n"
        "Bob Ray, Civil Society, Asia-Pacific Group\n\n"
        "Carl Moe, Private Sector, African Group\n\n\n"
        "Dana Poe, Government, African Group\n\n"
        "Online Moderator\n\n"
        "Eve Roe, Civil Society, African Group\n\n\n"
        "Finn Soe, Civil Society, African Group\n\n"
    )
    session = parse_text(page)
    assert names(session.speakers) == ["Ann Lee", "Bob Ray", "Carl Moe"]
    assert names(session.onsite_moderators) == ["Dana Poe"]
    assert names(session.online_moderators) == ["Eve Roe"]
    assert names(session.rapporteurs) == ["Finn Soe"]


def test_year_from_a_date_line_alone() -> None:
    session = parse_text("Workshop on Access\n\n17 September 2010\n\nModerator: Ann Lee\n")
    assert (session.year, session.event) == (2010, "IGF 2010")


def test_additional_speakers_as_a_bullet_list() -> None:
    page = (
        "IGF 2020 WS #4 Title\n\nSpeaker 1: Ann Lee, Civil Society, African Group\n\n"
        "Additional Speakers\n\nPropose speakers\n\n"
        "  • Bob Ray: - Chief Executive Officer, Office of the Regulator\n"
        "  • Hon. Carl Moe, Member of Parliament, Ghana\n"
        "  • Ann Lee, Legal Practitioner\n"
    )
    assert names(parse_text(page).speakers) == ["Ann Lee", "Bob Ray", "Carl Moe"]
