"""Saved IGF web pages (HTML) to the text the parser reads."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.html_import import html_to_text, looks_like_html
from bot.models import Session
from bot.parser import ParseError, parse_bytes, parse_text

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "tests" / "fixtures" / "html"
OF5_HTML = HTML / "igf-2021-open-forum-5.html"
WS403_HTML = HTML / "igf-2023-ws-403.html"
NEWS_HTML = HTML / "igf-news-norway-2025.html"
SEED_2021 = ROOT / "seeds" / "000_2d8a54ebfe520b7f.txt"
WS403_TEXT = ROOT / "tests" / "fixtures" / "corpus" / "igf-2023-ws-403.txt"
OF5_URL = (
    "https://www.intgovforum.org/en/content/"
    "igf-2021-open-forum-5-development-and-rule-making-on-artificial-intelligence"
)
WS403_URL = (
    "https://info.intgovforum.org/en/content/"
    "igf-2023-ws-403-safe-digital-futures-for-children-aligning-global-agendas"
)


def convert(path: Path) -> str:
    return html_to_text(path.read_text(encoding="utf-8"))


def key_facts(session: Session) -> dict[str, object]:
    return {
        "heading": session.heading,
        "title": session.title,
        "event": session.event,
        "session_type": session.session_type,
        "number": session.number,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "room": session.room,
        "format": session.format,
        "duration_minutes": session.duration_minutes,
        "speakers": [(s.name, s.affiliation, s.segment) for s in session.speakers],
        "onsite": [p.name for p in session.onsite_moderators],
        "online": [(p.name, p.affiliation) for p in session.online_moderators],
        "rapporteurs": [p.name for p in session.rapporteurs],
        "organizers": session.organizers,
        "sdgs": [s.number for s in session.sdgs],
        "policy_questions": session.policy_questions,
        "takeaways": len(session.key_takeaways),
        "calls": len(session.calls_to_action),
    }


# ----------------------------------------------------------------------------- fixture pages


@pytest.fixture(scope="module")
def of5_text() -> str:
    return convert(OF5_HTML)


@pytest.fixture(scope="module")
def of5(of5_text: str) -> Session:
    return parse_text(of5_text, OF5_HTML.name)


def test_of5_page_gives_the_seed_facts(of5: Session) -> None:
    seed = parse_bytes(SEED_2021.read_bytes(), SEED_2021.name)
    assert key_facts(of5) == key_facts(seed)
    # and, spelled out, the facts that matter most
    assert of5.heading == (
        "IGF 2021 Open Forum #5 Development and Rule-Making on Artificial Intelligence"
    )
    assert (of5.event, of5.session_type, of5.number) == ("IGF 2021", "Open Forum", 5)
    assert of5.starts_at is not None and of5.starts_at.isoformat() == "2021-12-10T08:30:00+00:00"
    assert (of5.room, of5.format, of5.duration_minutes) == (
        "Ballroom B",
        "Round Table - U-shape",
        60,
    )
    topic1 = "Topic 1: Cutting Edge Developments of AI and Their Impacts"
    assert [(s.name, s.segment) for s in of5.speakers][:2] == [
        ("Xu Feng", "Keynote Speech"),
        ("Gong Ke", topic1),
    ]
    assert of5.speakers[-1].segment == "Concluding Remarks"
    assert of5.speakers[9].affiliation == (
        "Professor of Internet Governance and Regulation, Fundação Getulio Vargas"
    )
    assert [p.name for p in of5.online_moderators] == ["Li Yuxiao"]
    assert [s.number for s in of5.sdgs] == [8, 9, 10, 11, 12, 16]
    assert (len(of5.key_takeaways), len(of5.calls_to_action)) == (2, 2)
    assert of5.description == seed.description
    assert of5.targets == seed.targets


def test_of5_page_keeps_its_canonical_address(of5: Session) -> None:
    assert of5.source_url == OF5_URL


def test_output_opens_with_url_then_the_session_heading(of5_text: str) -> None:
    lines = of5_text.splitlines()
    assert lines[:4] == [
        f"URL: {OF5_URL}",
        "",
        "IGF 2021 Open Forum #5 Development and Rule-Making on Artificial Intelligence",
        "",
    ]
    assert of5_text.count("IGF 2021 Open Forum #5") == 1  # the h1 is not repeated


def test_labels_sit_on_their_own_line_followed_by_a_blank(of5_text: str) -> None:
    lines = of5_text.splitlines()
    for label in ("Policy Question(s)", "Format", "Speakers", "Onsite Moderator", "SDGs"):
        index = lines.index(label)
        assert lines[index - 1] == "" and lines[index + 1] == "", label
    assert "Format\n\nRound Table - U-shape - 60 Min\n" in of5_text
    assert "Targets: With diversified application scenarios" in of5_text


def test_ws403_page_gives_the_corpus_facts() -> None:
    text = convert(WS403_HTML)
    session = parse_text(text, WS403_HTML.name)
    corpus = parse_bytes(WS403_TEXT.read_bytes(), WS403_TEXT.name)
    assert key_facts(session) == key_facts(corpus)
    assert session.source_url == corpus.source_url == WS403_URL
    assert session.number == 403 and session.room == "WS 1 – Annex Hall 1"
    assert [p.name for p in session.onsite_moderators] == ["Marija Manojlovic"]
    assert [p.name for p in session.online_moderators] == ["Natalie Shoup"]
    assert "Salomé Eggler" in [s.name for s in session.speakers]
    assert len(session.policy_questions) == 3
    # Numbered labels are written inline, the way the text pages have them.
    assert "\nOrganizer 1: Natalie Shoup, End Violence Partnership\n" in text
    assert "\nSpeaker 8: Salomé Eggler, Director of Digital Transformation Centre," in text
    assert "\n• What are the best practices for building ‘child-centred safety by design’" in text


def test_news_page_is_rejected_by_the_parser() -> None:
    text = convert(NEWS_HTML)
    assert text.splitlines()[2] == "Norway to host the twentieth Internet Governance Forum"
    with pytest.raises(ParseError, match="no session structure"):
        parse_text(text, NEWS_HTML.name)


def test_news_page_keeps_non_ascii_text_and_lists() -> None:
    text = convert(NEWS_HTML)
    assert "Lillestrøm, near Oslo" in text
    assert "« Le Forum sur la gouvernance de l’Internet est un espace unique de dialogue »" in text
    assert "互联网治理论坛" in text
    assert "\n\nWhat happens next\n\n• The call for session proposals opens in January.\n" in text
    assert "\n• Travel support applications are handled by the Secretariat.\n" in text


LEAKS = [
    "must not leak",
    "Skip to main content",
    "Main navigation",
    "Share on",
    "Share this session",
    "Twitter",
    "dataLayer",
    "gtag",
    "_paq",
    "max-width",
    "font-weight",
    "Home",
    "Schedule\n",
    "Français",
    "OK, I agree",
    "Accept",
    "email protected",
    "[email",
    "E-mail:",
    "Related sessions",
    "Upcoming sessions",
    "Search",
]


@pytest.mark.parametrize("path", [OF5_HTML, WS403_HTML, NEWS_HTML], ids=lambda p: p.stem)
def test_scripts_navigation_and_chrome_never_appear(path: Path) -> None:
    text = convert(path)
    for leak in LEAKS:
        assert leak not in text, leak
    assert "Internet Governance Forum" not in text.splitlines()  # the site name
    assert "<" not in text and "&amp;" not in text and "&nbsp;" not in text


# ------------------------------------------------------------------------------- small pages


def test_block_elements_lists_and_whitespace() -> None:
    html = (
        "<body><h2>Agenda</h2><p>First   line\n  continues<br>second line</p>"
        "<ul><li>one</li><li><p>two</p></li></ul><ol start='3'><li>three</li><li>four</li></ol>"
        "<dl><dt>Room</dt><dd>Hall&nbsp;A</dd></dl><table><tr><td>a</td><td>b</td></tr></table>"
        "<div>AT&amp;T <b>bold</b><i>italic</i></div></body>"
    )
    assert html_to_text(html) == (
        "Agenda\n\nFirst line continues\nsecond line\n\n• one\n• two\n\n3. three\n4. four\n"
        "Room\nHall A\n\na b\n\nAT&T bolditalic\n"
    )


def test_field_labels_inline_and_above() -> None:
    html = (
        "<main>"
        '<div class="field field--label-above"><div class="field__label">Rapporteur</div>'
        '<div class="field__item">Jane Doe, ACME</div></div>'
        '<div class="field field--label-inline"><div class="field__label">Country</div>'
        '<div class="field__items"><div class="field__item">Kenya</div>'
        '<div class="field__item">Ghana</div></div></div>'
        '<div class="field"><div class="field__label">Speaker 2</div>'
        '<div class="field__item">John Roe, ACME</div></div>'
        '<div class="field field-label-inline"><div class="field-label">Organizer 3:&nbsp;</div>'
        '<div class="field-items"><div class="field-item">Åsa Ström</div></div></div>'
        "</main>"
    )
    assert html_to_text(html) == (
        "Rapporteur\n\nJane Doe, ACME\nCountry: Kenya\nGhana\nSpeaker 2: John Roe, ACME\n"
        "Organizer 3: Åsa Ström\n"
    )


def test_url_line_from_canonical_og_url_or_source_url() -> None:
    body = "<h1>IGF 2022 WS #1 Title</h1><p>Body</p>"
    assert html_to_text(body).startswith("IGF 2022 WS #1 Title\n\nBody")
    given = html_to_text(body, source_url="https://intgovforum.org/en/content/x")
    assert given.startswith("URL: https://intgovforum.org/en/content/x\n\nIGF 2022 WS #1 Title\n")
    relative = '<link rel="canonical" href="/en/content/igf 2022 ws 1">' + body
    assert html_to_text(relative, source_url="https://www.intgovforum.org/any").startswith(
        "URL: https://www.intgovforum.org/en/content/igf%202022%20ws%201\n"
    )
    og = '<meta property="og:url" content="https://www.intgovforum.org/en/content/y">' + body
    assert html_to_text(og, source_url="https://elsewhere.example/").startswith(
        "URL: https://www.intgovforum.org/en/content/y\n"
    )
    bogus = '<link rel="canonical" href="javascript:alert(1)">' + body
    assert html_to_text(bogus).startswith("IGF 2022 WS #1 Title")


def test_title_is_the_session_heading_not_the_site_name() -> None:
    html = (
        "<html><head><title>IGF 2019 WS #415 Some Title | Internet Governance Forum</title></head>"
        '<body><header><h1 class="site-name">Internet Governance Forum</h1></header>'
        "<main><p>Tuesday text</p></main></body></html>"
    )
    assert html_to_text(html).splitlines()[0] == "IGF 2019 WS #415 Some Title"
    in_article = (
        '<body><header class="site"><div class="logo">IGF</div></header>'
        "<article><header><h1>IGF 2020 WS #136 Article Title</h1></header><p>x</p></article>"
    )
    assert html_to_text(in_article) == "IGF 2020 WS #136 Article Title\n\nx\n"


def test_cloudflare_email_protection_is_dropped() -> None:
    html = (
        '<main><p>Contact <a href="/cdn-cgi/l/email-protection#abc" class="__cf_email__" '
        'data-cfemail="abc">[email&#160;protected]</a> or <span data-cfemail="x">x</span>'
        "[email protected] today</p></main>"
    )
    assert html_to_text(html) == "Contact or today\n"


def test_hidden_elements_and_chrome_classes_are_dropped() -> None:
    html = (
        '<body class="one-sidebar"><div class="page has-sidebar">'
        "<h1>IGF 2024 WS #42 Title</h1>"
        '<div hidden>hidden</div><div style="display: none">none</div>'
        '<div aria-hidden="true">aria</div><div id="cookie-notice">cookies</div>'
        '<div class="field--name-field-research">Research stays</div>'
        '<div class="block-social-media">social</div><div class="menu--main">menu</div>'
        '<div class="region-sidebar-second">sidebar</div><p>Body text stays here.</p>'
        '<div class="hidden">drupal hidden</div><span class="visually-hidden">label</span>'
        "</div></body>"
    )
    assert (
        html_to_text(html) == "IGF 2024 WS #42 Title\n\nResearch stays\n\nBody text stays here.\n"
    )


def test_plain_text_is_read_as_html_whitespace() -> None:
    text = "IGF 2021 Open Forum #5 Title\n\nBallroom B\nCafé 中文 ø"
    assert html_to_text(text) == "IGF 2021 Open Forum #5 Title Ballroom B Café 中文 ø\n"
    assert html_to_text("") == ""
    assert html_to_text("<p>carriage\rreturn\x0bvertical\x1ctab\x07bell</p>") == (
        "carriage return vertical tabbell\n"  # the bell is dropped
    )
    assert html_to_text("<script>alert(1)</script><style>p{}</style>") == ""


@pytest.mark.parametrize(
    "html",
    [
        "<![ foo",
        "<!\x00",
        "<p>&#xD800;&#0;\x00\ud800x</p>",
        "<div>" * 5000 + "deep" + "</div>" * 5000,
        "<ul>" + "<li>item" * 3000,
        "<table><td>cell</table><tr></ol></li>",
        '<a href="http://[::1">x</a><link rel="canonical" href="http://[::1">',
    ],
    ids=["rejected", "nul-decl", "bad-chars", "deep", "unclosed", "orphans", "bad-url"],
)
def test_odd_markup_never_raises(html: str) -> None:
    text = html_to_text(html, source_url="http://[bad")
    assert isinstance(text, str)
    assert "\x00" not in text and "\ud800" not in text


# ------------------------------------------------------------------------------------ sniff


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!DOCTYPE html><html><body></body></html>", True),
        (b"\xef\xbb\xbf\n  <!doctype HTML>", True),
        (b"<HTML lang=en>", True),
        (b"<Body>hi</Body>", True),
        (b"x" * 2000 + b"<html>", False),
        (b"<p>only a paragraph</p>", False),
        (b"IGF 2021 Open Forum #5 Title\n", False),
        (b"", False),
    ],
)
def test_looks_like_html(data: bytes, expected: bool) -> None:
    assert looks_like_html(data) is expected


def test_fixtures_sniff_as_html_and_seeds_do_not() -> None:
    for path in (OF5_HTML, WS403_HTML, NEWS_HTML):
        assert looks_like_html(path.read_bytes())
    assert not looks_like_html(SEED_2021.read_bytes())
    assert not looks_like_html(WS403_TEXT.read_bytes())


# ------------------------------------------------------------------------------- hypothesis

_TAGS = [
    "p",
    "div",
    "span",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "tr",
    "td",
    "table",
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "main",
    "article",
    "pre",
    "a",
    "dt",
    "dd",
    "form",
    "svg",
    "!--",
    "![CDATA[",
    "!DOCTYPE",
    "?xml",
]
_ATTRS = [
    "",
    ' class="field__label"',
    ' class="field field--label-inline"',
    ' class="menu"',
    ' class="__cf_email__"',
    ' id="content"',
    ' role="main"',
    " hidden",
    ' rel="canonical" href="/x"',
    ' property="og:url" content="http://a b"',
    ' style="display:none"',
    ' start="x"',
    ' class="field__label"',
    " class",
]
_fragment = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(_TAGS), st.sampled_from(_ATTRS)),
        st.builds(lambda t: f"</{t}>", st.sampled_from(_TAGS)),
        st.sampled_from(
            ["&amp;", "&nbsp;", "&#xD800;", "&bogus;", "&#", "<", ">", "[email protected]"]
        ),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    assert isinstance(html_to_text(text), str)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_fragment, st.one_of(st.none(), st.text(max_size=30)))
def test_arbitrary_html_fragments_never_raise(html: str, source_url: str | None) -> None:
    text = html_to_text(html, source_url=source_url)
    assert isinstance(text, str)
    # and what comes out is something the parser either reads or rejects with a reason
    with contextlib.suppress(ParseError):
        parse_text(text)
