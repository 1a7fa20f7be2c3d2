"""bot.render: the text toolkit's promises and every page within Discord's limits."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone

import discord
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import answers, render
from bot.models import (
    Counts,
    Person,
    PersonDetail,
    PersonRole,
    Sdg,
    SearchHit,
    Session,
    SessionSummary,
    Speaker,
)
from tests.fake_discord.limits import embed_text_length, validate_embed

SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ------------------------------------------------------------------------------ strategies

_TRICKY = "*_~|`\\<>@#-[]():/.!1 \n\t"
_CHARS = st.one_of(st.sampled_from(_TRICKY), st.characters(blacklist_categories=("Cs",)))


def texts(min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    return st.text(_CHARS, min_size=min_size, max_size=max_size)


# Markdown-heavy text and 5,000-character runs, with and without spaces to split at.
long_texts = st.one_of(
    texts(1, 300),
    st.builds(lambda piece, n: (piece * n)[:5000], texts(1, 30), st.integers(150, 5000)),
)
names = st.one_of(texts(1, 120), st.sampled_from(["**Bold** _it_", "@everyone <@1>", "*" * 300]))
optional = st.none() | texts(0, 300)
moments = st.none() | st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)
people = st.lists(st.builds(Person, name=names, affiliation=optional), max_size=6)
speakers = st.lists(
    st.builds(
        Speaker,
        name=names,
        affiliation=optional,
        segment=st.none() | st.sampled_from(["Opening", "Panel"]) | texts(1, 300),
        note=st.none() | texts(0, 60),
    ),
    max_size=60,
)
sessions = st.builds(
    Session,
    heading=texts(1, 400),
    title=texts(1, 800),
    event=st.none() | texts(0, 60),
    year=st.none() | st.integers(2006, 2030),
    session_type=st.none() | st.sampled_from(["Open Forum", "Workshop"]) | texts(1, 80),
    number=st.none() | st.integers(0, 9999),
    starts_at=moments,
    ends_at=moments,
    room=optional,
    format=optional,
    duration_minutes=st.none() | st.integers(1, 600),
    policy_questions=st.lists(texts(1, 400), max_size=8),
    description=st.none() | long_texts,
    organizers=st.lists(names, max_size=30),
    speakers=speakers,
    onsite_moderators=people,
    online_moderators=people,
    rapporteurs=people,
    sdgs=st.lists(
        st.builds(Sdg, number=st.integers(1, 17), name=st.none() | texts(1, 80)), max_size=17
    ),
    key_takeaways=st.lists(long_texts, max_size=5),
    calls_to_action=st.lists(long_texts, max_size=5),
    report=st.none() | long_texts,
    source_url=st.none()
    | st.sampled_from(["https://www.intgovforum.org/en/content/x", "javascript:alert(1)"]),
)


def summary_of(session: Session, ident: int = 1) -> SessionSummary:
    return SessionSummary(
        ident,
        session.key,
        session.heading,
        session.title,
        session.event,
        session.year,
        session.session_type,
        session.number,
        session.starts_at,
        session.ends_at,
        session.room,
    )


summaries = st.builds(summary_of, sessions, st.integers(1, 10**6))

# ------------------------------------------------------------------------------ checks


def assert_within_limits(embed: discord.Embed) -> None:
    """Every part and the 6,000 total, checked here and by the fake Discord's validator."""
    data = embed.to_dict()
    assert not validate_embed(data), validate_embed(data).tree
    assert len(embed.title or "") <= render.TITLE_LIMIT
    assert len(embed.description or "") <= render.DESCRIPTION_LIMIT
    assert len(embed.fields) <= render.FIELD_COUNT_LIMIT
    for item in embed.fields:
        assert 0 < len(item.name or "") <= render.FIELD_NAME_LIMIT
        assert 0 < len(item.value or "") <= render.FIELD_VALUE_LIMIT
    assert len(embed.footer.text or "") <= render.FOOTER_LIMIT
    assert render.embed_size(embed) == embed_text_length(data) <= render.EMBED_TOTAL_LIMIT


def assert_pages(pages: list[discord.Embed]) -> None:
    assert pages
    for page in pages:
        assert_within_limits(page)
    if len(pages) > 1:
        for index, page in enumerate(pages, 1):
            assert (page.footer.text or "").endswith(f"Page {index}/{len(pages)}")


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def all_text(pages: list[discord.Embed]) -> str:
    return squeezed("".join(page.description or "" for page in pages))


def unescape(text: str) -> list[tuple[str, bool]]:
    """Characters as Discord shows them, each with whether a backslash escaped it."""
    shown: list[tuple[str, bool]] = []
    index = 0
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text):
            shown.append((text[index + 1], True))
            index += 2
        else:
            shown.append((text[index], False))
            index += 1
    return shown


# ------------------------------------------------------------------------------ text


@given(texts(0, 600), st.integers(1, 300))
def test_shorten_never_exceeds_the_limit_and_keeps_a_prefix(text: str, limit: int) -> None:
    result = render.shorten(text, limit)
    whole = render.one_line(text) if "\n" not in text else text.strip()
    assert len(result) <= limit
    if len(whole) <= limit:
        assert result == whole
    else:
        assert result.endswith(render.ELLIPSIS)
        assert whole.startswith(result[:-1])
    assert render.cut(text, limit) == (result, len(whole) > limit)


def test_shorten_cuts_at_a_word_and_never_leaves_a_dangling_escape() -> None:
    assert render.shorten("alpha beta gamma delta", 15) == "alpha beta…"
    assert render.shorten("abc", 0) == ""
    assert render.cut("short", 10) == ("short", False)
    escaped = render.md("x" * 8 + "*" * 10)
    assert not render.shorten(escaped, 10).endswith("\\…")


@given(texts(0, 3000), st.integers(1, 500))
def test_chunk_pieces_fit_and_lose_nothing(text: str, limit: int) -> None:
    pieces = render.chunk(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    # only whitespace at the ends and around each split is dropped: the pieces are the
    # text's own substrings, in order
    rest = text
    for piece in pieces:
        before, found, rest = rest.partition(piece)
        assert found and not before.strip()
    assert not rest.strip()


@given(texts(0, 2000), st.integers(2, 300))
def test_chunk_never_splits_an_escape(text: str, limit: int) -> None:
    for piece in render.chunk(render.md(text), limit):
        trailing = len(piece) - len(piece.rstrip("\\"))
        assert trailing % 2 == 0


def test_chunk_prefers_paragraphs_then_sentences() -> None:
    text = "First paragraph here.\n\nSecond one. It has two sentences."
    assert render.chunk(text, 30) == [
        "First paragraph here.",
        "Second one.",
        "It has two sentences.",
    ]
    with pytest.raises(ValueError):
        render.chunk("text", 0)


@given(texts(0, 400).filter(lambda t: ":/" not in t))
def test_md_leaves_no_markdown_or_mention_trigger(text: str) -> None:
    shown = unescape(render.md(text))
    assert "".join(c for c, _ in shown) == text  # the reader sees the document's own text
    plain = [(c, escaped) for c, escaped in shown]
    for index, (char, escaped) in enumerate(plain):
        if escaped:
            continue
        assert char not in "*_~|`\\", (text, index)
        following = "".join(c for c, _ in plain[index + 1 : index + 4])
        if char == "<":
            assert not re.match(r"[@#/:]|a:|t:|id:", following), text
        if char == "[":
            rest = "".join(c for c, _ in plain[index + 1 :]).split("\n")[0]
            assert not re.search(r"\]\(.+\)", rest), text
    line_start = True
    for index, (char, escaped) in enumerate(plain):
        if line_start and char not in " \t" and not escaped:
            after = "".join(c for c, _ in plain[index:])
            assert not re.match(r"[-#>]|\d+\.[ \t]", after) or _ordinal_escaped(plain, index)
        line_start = char == "\n" or (line_start and char in " \t")


def _ordinal_escaped(plain: list[tuple[str, bool]], index: int) -> bool:
    """For "12. ": the dot is the escaped character."""
    while plain[index][0].isdigit():
        index += 1
    return plain[index] == (".", True)


def test_md_examples() -> None:
    assert render.md("**bold** and _it_") == "\\*\\*bold\\*\\* and \\_it\\_"
    assert render.md("[**x**](https://e.org)") == "\\[\\*\\*x\\*\\*](https://e.org)"
    assert render.md("<@123> <#5> <t:1:R>") == "\\<@123> \\<#5> \\<t:1:R>"
    assert render.md("see https://e.org/a_b_c") == "see https://e.org/a_b_c"  # links keep working
    assert render.md("1. one\n\n- two\n# three") == "1\\. one\n\n\\- two\n\\# three"
    assert render.md(None) == ""


def test_one_line() -> None:
    assert render.one_line("  a\n\tb   c \n") == "a b c"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://example.org/file",
        "https://exa mple.org",
        "//example.org",
        "",
        None,
        "https://" + "a" * 2000,
    ],
)
def test_safe_url_refuses(url: str | None) -> None:
    assert render.safe_url(url) is None


def test_safe_url_keeps_http_and_https() -> None:
    page = "https://www.intgovforum.org/en/content/igf-2021-of-5?x=1#top"
    assert render.safe_url(page) == page
    assert render.safe_url("http://example.org") == "http://example.org"
    assert render.make_embed("t", url="javascript:alert(1)").url is None


def test_timestamps() -> None:
    moment = datetime(2021, 12, 10, 8, 30, tzinfo=UTC)
    assert render.timestamp(moment, "F") == "<t:1639125000:F>"
    assert render.timestamp(moment) == "<t:1639125000>"
    assert render.timestamp(moment.replace(tzinfo=None), "R") == "<t:1639125000:R>"  # naive = UTC
    in_paris = moment.astimezone(timezone(timedelta(hours=1)))
    assert render.timestamp(in_paris, "t") == "<t:1639125000:t>"
    for style in "tTdDfFR":
        assert render.timestamp(moment, style) == f"<t:1639125000:{style}>"
    with pytest.raises(ValueError):
        render.timestamp(moment, "x")
    end = moment + timedelta(hours=1)
    assert render.when(moment, end) == "<t:1639125000:F> – <t:1639128600:t> (<t:1639125000:R>)"
    assert render.when(None, end) == render.EMPTY


def test_embed_to_text_reads_timestamps_and_escapes() -> None:
    embed = render.make_embed("Title", "At <t:1639125000:F> (<t:1639125000:R>) \\*x\\*")
    embed.add_field(name="When", value="<t:1639125000:t> on <t:1639125000:d>")
    embed.set_footer(text="foot")
    assert render.embed_to_text(embed) == (
        "## Title\nAt Friday 10 December 2021 08:30 UTC (relative) *x*\n"
        "\n[When]\n08:30 UTC on 2021-12-10\n-- foot"
    )


# ------------------------------------------------------------------------------ embeds


@SLOW
@given(
    st.lists(
        st.builds(
            lambda title, description, fields, footer: (title, description, fields, footer),
            texts(0, 400),
            st.text(max_size=6000),
            st.lists(st.tuples(texts(0, 300), st.text(max_size=1500)), max_size=30),
            texts(0, 2200),
        ),
        max_size=12,
    )
)
def test_enforce_limits_brings_any_message_within_limits(parts: list) -> None:
    embeds = []
    for title, description, fields, footer in parts:
        embed = discord.Embed(title=title or None, description=description or None)
        for name, value in fields:
            embed.add_field(name=name, value=value)
        if footer:
            embed.set_footer(text=footer)
        embeds.append(embed)
    fitted = render.enforce_limits(embeds)
    assert len(fitted) <= render.EMBEDS_PER_MESSAGE
    for embed in fitted:
        assert_within_limits(embed)
    assert sum(map(render.embed_size, fitted)) <= render.EMBED_TOTAL_LIMIT


def test_enforce_limits_leaves_fitting_embeds_alone() -> None:
    embed = render.make_embed("Title  with  spaces", "A  description")
    embed.add_field(name="a", value="b")
    before = embed.to_dict()
    assert [e.to_dict() for e in render.enforce_limits([embed])] == [before]


def test_enforce_limits_cuts_fields_before_dropping_an_embed() -> None:
    crowded = render.make_embed("Fields")
    for index in range(25):
        crowded.add_field(name=f"f{index}", value="word " * 250)
    fitted = render.enforce_limits([crowded, render.make_embed("Text", "x" * 4000)])
    assert len(fitted) == 2 and len(fitted[0].fields) == 25
    assert sum(map(render.embed_size, fitted)) <= render.EMBED_TOTAL_LIMIT


def test_a_blank_footer_is_left_out() -> None:
    assert render.session_list("Sessions", [], footer="\r")[0].footer.text is None


# ------------------------------------------------------------------------------ sessions


def test_a_blank_segment_is_no_segment_and_never_a_blank_field_name() -> None:
    # Found by hypothesis: a segment of one space once gave a field Discord refuses.
    people = [Speaker("Ana Lima", segment=" "), Speaker("Bo Chen", segment="Panel")]
    card = render.session_card(Session(heading="IGF 2021 WS #1 T", title="T", speakers=people))
    assert_within_limits(card)
    assert [f.name for f in card.fields][:2] == ["Speakers", "Panel"]


@SLOW
@given(sessions)
def test_session_card_within_limits(session: Session) -> None:
    card = render.session_card(session)
    assert_within_limits(card)
    assert card.footer.text and card.footer.text.endswith(session.key)
    if session.source_url and session.source_url.startswith("javascript"):
        assert card.url is None


def test_crowded_card_keeps_its_footer_within_the_total() -> None:
    """Fields fitted up to the brim once left no room for the footer set after them (6,013)."""
    speaker = Speaker("*Name*", "_Affiliation_ " * 20, "Segment")
    session = Session(
        heading="Heading words " * 30,
        title="A very long title " * 300,
        session_type="Workshop",
        year=2023,
        key_takeaways=["t"] * 99,
        calls_to_action=["c"] * 99,
        speakers=[speaker] * 6,
        rapporteurs=[Person("R" * 20)] * 19,
    )
    card = render.session_card(session)
    assert_within_limits(card)
    crowded = dataclasses.replace(session, speakers=[speaker] * 80)
    assert_within_limits(render.session_card(crowded))
    assert render.session_card(crowded).fields[-1].name == "More"
    assert card.footer.text == f"99 takeaways · 99 calls to action · key {session.key}"


@SLOW
@given(sessions, st.sampled_from(render.SECTIONS))
def test_every_section_page_within_limits_and_nothing_dropped(
    session: Session, section: str
) -> None:
    pages = render.session_section(session, section)
    assert_pages(pages)
    shown = all_text(pages)
    expected = {
        "takeaways": session.key_takeaways,
        "actions": session.calls_to_action,
        "report": [session.report or ""],
        "description": [session.description or "", *session.policy_questions],
    }.get(section, [])
    position = 0
    for text in expected:
        needle = squeezed(render.md(text))
        found = shown.find(needle, position)
        assert found >= 0, f"{section}: text missing"
        position = found + len(needle)


def test_five_thousand_character_takeaway_flows_onto_a_second_page() -> None:
    takeaway = " ".join(f"Sentence {i} about meaningful access." for i in range(140))
    assert len(takeaway) > 5000
    session = Session(
        heading="IGF 2023 WS #1 Title", title="Title", key_takeaways=[takeaway, "Short."]
    )
    pages = render.session_section(session, "takeaways")
    assert len(pages) == 2
    assert all_text(pages) == squeezed(f"**1.** {takeaway}**2.** Short.")


def test_unknown_section_is_refused() -> None:
    with pytest.raises(ValueError):
        render.session_section(Session(heading="h", title="t"), "nope")


# ------------------------------------------------------------------------------ people and lists

ROLES = st.sampled_from(["speaker", "onsite_moderator", "online_moderator", "rapporteur"])
_ROLE_MARK = re.compile(
    r"(?<![*\\])\*(Speaker|Onsite moderator|Online moderator|Rapporteur)\*(?!\*)"
)


@SLOW
@given(
    names,
    st.lists(texts(0, 300), max_size=15),
    st.lists(st.tuples(summaries, ROLES, st.none() | texts(0, 200)), max_size=30),
)
def test_person_pages_within_limits_with_every_role(
    name: str, affiliations: list, roles: list
) -> None:
    held = [PersonRole(s, role, None, segment, None) for s, role, segment in roles]
    pages = render.person_pages(PersonDetail(1, "k", name, affiliations, held))
    assert_pages(pages)
    marks = sum(len(_ROLE_MARK.findall(page.description or "")) for page in pages)
    assert marks == len(held)


def test_person_page_header_counts_before_the_cut() -> None:
    """A markdown-heavy affiliation list once pushed the first page to 4,508 characters."""
    long_title = "A *deeply* _nested_ title " * 6
    summary = SessionSummary(
        1, "k", "h", long_title, "IGF 2021", 2021, "Workshop", 1, None, None, None
    )
    roles = [PersonRole(summary, "speaker", None, "Segment " * 30, None) for _ in range(8)]
    affiliations = ["*_~|`" * 40 for _ in range(10)]
    pages = render.person_pages(PersonDetail(1, "k", "**Name**", affiliations, roles))
    assert_pages(pages)
    assert pages[0].description and pages[0].description.startswith("**Organisations seen**")
    assert sum(len(_ROLE_MARK.findall(p.description or "")) for p in pages) == 8


@SLOW
@given(st.lists(summaries, max_size=40), texts(0, 60))
def test_session_list_pages_within_limits(rows: list[SessionSummary], footer: str) -> None:
    pages = render.session_list("Sessions", rows, footer=footer)
    assert_pages(pages)
    assert len(pages) >= max(1, -(-len(rows) // 10))


@SLOW
@given(st.lists(st.tuples(summaries, texts(0, 400)), max_size=25), texts(1, 300))
def test_search_pages_within_limits(hits: list, query: str) -> None:
    pages = render.search_pages(query, [SearchHit(s, snippet, 1.0) for s, snippet in hits])
    assert_pages(pages)


@SLOW
@given(st.lists(st.tuples(summaries, st.lists(long_texts, min_size=1, max_size=4)), max_size=5))
def test_outcomes_pages_within_limits_and_nothing_dropped(items: list) -> None:
    pages = render.outcomes_pages("Key takeaways", items)
    assert_pages(pages)
    # every page opens with its session's line; the takeaways flow on behind it
    remaining = iter(pages)
    for summary, texts_ in items:
        head = render.summary_line(summary) + "\n\n"
        body = squeezed("\n\n".join(f"**{i}.** {render.md(t)}" for i, t in enumerate(texts_, 1)))
        shown = ""
        while len(shown) < len(body):
            description = next(remaining).description or ""
            assert description.startswith(head)
            shown += squeezed(description[len(head) :])
        assert shown == body
    assert next(remaining, None) is None or not items  # an empty list has one "none" page


@given(texts(0, 500), st.lists(texts(0, 300), max_size=20))
def test_suggestions_within_limits(query: str, options: list[str]) -> None:
    assert_within_limits(render.suggestions_embed(query, "session", options))


def test_about_and_help_within_limits() -> None:
    counts = Counts(sessions=2, people=27, takeaways=4, calls_to_action=4, years=[2021, 2022])
    about = render.about_embed(counts, loaded_at="now", version="0.1.0", latency_ms=41.6)
    assert_within_limits(about)
    assert [f.value for f in about.fields][2] == "2021–2022"
    assert about.footer.text == "version 0.1.0 · gateway latency 42 ms"
    assert_within_limits(answers.help_reply().pages[0])
