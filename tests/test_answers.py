"""Each answers function on the bundled seeds/: what the Reply holds."""

from __future__ import annotations

from pathlib import Path

from bot import answers, render
from bot.catalog import Catalog, ChoiceValue
from bot.export import sessions_from_json
from bot.loader import LoadReport, Rejected
from bot.models import FileChange
from bot.parser import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
OF5 = "igf-2021-open-forum-5"
OF25 = "igf-2022-open-forum-25"
DISCORD_MAX = 100


def text_of(reply: answers.Reply) -> str:
    """Every title, description and field of every page, and the content."""
    parts = [reply.content or ""]
    for page in reply.pages:
        parts += [page.title or "", page.description or ""]
        parts += [f"{f.name}\n{f.value}" for f in page.fields]
    return "\n".join(parts)


def assert_choices_fit(reply: answers.Reply, catalog: Catalog) -> None:
    assert len(reply.choices) <= answers.MAX_CHOICES
    for choice in reply.choices:
        assert 1 <= len(choice.label) <= DISCORD_MAX
        assert catalog.decode_choice(choice.value) is not None, choice


# ------------------------------------------------------------------------------ sessions


async def test_session_card_by_reference(catalog: Catalog) -> None:
    reply = await answers.session(catalog, "Open Forum #5")
    assert not reply.ephemeral
    assert reply.pages[0].title.startswith("IGF 2021 Open Forum #5")
    assert "Ballroom B" in (reply.pages[0].description or "")
    assert reply.session == ChoiceValue("session", OF5)
    assert reply.choices == []


async def test_close_matches_give_a_card_and_the_others(catalog: Catalog) -> None:
    reply = await answers.session(catalog, "intelligen")
    assert reply.session is not None
    assert "Other close matches" in [f.name for f in reply.pages[0].fields]
    other = {ChoiceValue("session", OF5), ChoiceValue("session", OF25)} - {reply.session}
    assert [catalog.decode_choice(c.value) for c in reply.choices] == list(other)
    assert_choices_fit(reply, catalog)


async def test_no_session_is_an_ephemeral_did_you_mean(catalog: Catalog) -> None:
    reply = await answers.session(catalog, "qqqq zzzz xxxx")
    assert reply.ephemeral and reply.session is None
    assert reply.pages[0].title == "Not found"
    assert "qqqq zzzz xxxx" in (reply.pages[0].description or "")


async def test_a_number_opens_no_session_by_row_id(catalog: Catalog) -> None:
    reply = await answers.session(catalog, "1")
    assert reply.ephemeral and reply.pages[0].title == "Not found"


async def test_section_pages(catalog: Catalog) -> None:
    reply = await answers.section(catalog, OF5, "takeaways")
    assert reply.pages[0].title.startswith("Key takeaways — IGF 2021 Open Forum #5")
    assert reply.session == ChoiceValue("session", OF5)
    people = await answers.section(catalog, OF5, "speakers")
    assert "Luca Belli" in text_of(people)
    gone = await answers.section(catalog, "igf-1999-workshop-1", "takeaways")
    assert gone.ephemeral and gone.pages[0].title == "Not found"


async def test_open_choice(catalog: Catalog) -> None:
    card = await answers.open_choice(catalog, ChoiceValue("session", OF25).encode())
    assert card.pages[0].title.startswith("IGF 2022 Open Forum #25")
    person = await answers.open_choice(catalog, ChoiceValue("person", "luca belli").encode())
    assert person.pages[0].title == "Luca Belli"
    for stale in ("session:igf-1999-workshop-1", "person:nobody", "2", "", "session#00"):
        reply = await answers.open_choice(catalog, stale)
        assert reply.ephemeral and reply.pages[0].title == "Not found"


async def test_outcomes_of_one_session_and_the_latest(catalog: Catalog) -> None:
    one = await answers.outcomes(catalog, "actions", "OF 5")
    assert one.pages[0].title.startswith("Calls to action — IGF 2021 Open Forum #5")
    latest = await answers.outcomes(catalog, "takeaways", None)
    assert all(page.title == "Latest key takeaways" for page in latest.pages)
    calls = await answers.outcomes(catalog, "actions", None)
    assert all(page.title == "Latest calls to action" for page in calls.pages)
    missing = await answers.outcomes(catalog, "takeaways", "qqqq zzzz")
    assert missing.ephemeral and missing.pages[0].title == "Not found"


async def test_search_shows_bold_snippets_and_offers_the_hits(catalog: Catalog) -> None:
    reply = await answers.search(catalog, "intelligent society", 2022, "OF")
    assert "Explore the road of intelligent social governance" in text_of(reply)
    assert "**" in (reply.pages[0].description or "")
    assert "\x02" not in text_of(reply) and "\x03" not in text_of(reply)
    assert [catalog.decode_choice(c.value) for c in reply.choices] == [ChoiceValue("session", OF25)]
    nothing = await answers.search(catalog, "qqqqzzzz")
    assert nothing.ephemeral and nothing.pages[0].title == "Not found"


async def test_search_says_how_many_matched_in_all(catalog: Catalog) -> None:
    one = await answers.search(catalog, '"intelligent social governance"')
    assert one.pages[0].footer.text == "1 result"
    both = await answers.search(catalog, "governance")
    assert both.pages[0].footer.text == "2 results"
    assert answers._count_line(25, 1935) == "25 of 1,935 results"


async def test_a_phrase_and_an_apostrophe_in_search(catalog: Catalog) -> None:
    phrase = await answers.search(catalog, '"intelligent social governance"')
    picked = [catalog.decode_choice(c.value) for c in phrase.choices]
    assert picked == [ChoiceValue("session", OF25)]
    reversed_words = await answers.search(catalog, '"governance social intelligent"')
    assert reversed_words.choices == []
    children = await answers.search(catalog, "children's rights")
    assert children.pages  # an answer, never an error


async def test_search_finding_nothing_names_the_filters_to_drop(catalog: Catalog) -> None:
    filtered = text_of(await answers.search(catalog, "Luca Belli", 2022, "OF"))
    assert "with the filters: 2022, Open Forum" in filtered
    assert "without them" in filtered and "/search" not in filtered
    plain = text_of(await answers.search(catalog, "qqqqzzzz"))
    assert "filters" not in plain and "/search" not in plain


async def test_browse_names_its_filters(catalog: Catalog) -> None:
    reply = await answers.browse(catalog, year=2021, session_type="of")
    assert reply.pages[0].title == "Sessions — 2021, Open Forum"
    assert [catalog.decode_choice(c.value) for c in reply.choices] == [ChoiceValue("session", OF5)]
    everything = await answers.browse(catalog)
    assert everything.pages[0].title == "Sessions" and len(everything.choices) == 2


# ------------------------------------------------------------------------------ people


async def test_speaker(catalog: Catalog) -> None:
    reply = await answers.speaker(catalog, "Prof. Luca Belli")
    assert reply.pages[0].title == "Luca Belli"
    assert "Fundação Getulio Vargas" in text_of(reply)
    assert [catalog.decode_choice(c.value) for c in reply.choices] == [ChoiceValue("session", OF5)]


async def test_unknown_speaker_offers_people(catalog: Catalog) -> None:
    reply = await answers.speaker(catalog, "xq")
    assert reply.ephemeral and reply.choice_kind == "person"
    assert reply.pages[0].title == "Not found"
    assert all(c.value.startswith("person:") for c in reply.choices)
    assert_choices_fit(reply, catalog)


async def test_several_close_speakers_show_the_closest_and_a_menu_of_the_others(
    catalog: Catalog,
) -> None:
    reply = await answers.speaker(catalog, "zhang")
    assert not reply.ephemeral and reply.choice_kind == "person"
    assert (reply.pages[0].title or "").startswith("Closest match: Zhang ")
    assert "other close matches" in (reply.content or "")
    others = [c.label for c in reply.choices]
    assert len(others) >= 2 and all(label.startswith("Zhang ") for label in others)
    assert reply.pages[0].title.removeprefix("Closest match: ") not in others
    assert all(c.value.startswith("person:") for c in reply.choices)
    assert_choices_fit(reply, catalog)


# ------------------------------------------------------------------------------ about, help


async def test_about_counts(catalog: Catalog) -> None:
    reply = await answers.about(catalog, latency_ms=12.0)
    fields = {f.name: f.value for f in reply.pages[0].fields}
    assert fields["Sessions"] == "2" and fields["Years"] == "2021–2022"
    assert "12 ms" in (reply.pages[0].footer.text or "")


def test_help_lists_every_command_once() -> None:
    reply = answers.help_reply()
    assert reply.ephemeral
    text = reply.pages[0].description or ""
    for command in answers.COMMANDS:
        assert text.count(f"**/{command.name}**") == 1
        assert len(command.description) <= DISCORD_MAX


# ------------------------------------------------------------------------------ admin


def test_load_report() -> None:
    report = LoadReport(
        added=[FileChange("a.txt", "k", "A *starred* title")],
        rejected=[Rejected("b.txt", "binary file", kept_previous=True)],
        unchanged=3,
    )
    reply = answers.load_report("Reload", report)
    assert reply.ephemeral and reply.pages[0].title == "Reload"
    body = reply.pages[0].description or ""
    assert "added 1, updated 0, removed 0, unchanged 3, rejected 1" in body
    assert "A \\*starred\\* title" in body  # markdown from a page is shown as typed
    assert "binary file (previous version kept)" in body


def test_import_replies() -> None:
    refused = answers.import_refused("the file is *not* UTF-8 text")
    assert refused.ephemeral and refused.pages == []
    assert refused.content == "Refused: the file is \\*not\\* UTF-8 text"
    long = answers.import_refused(f"{'x*' * 3000}.txt is not a .txt or .html session page")
    assert len(long.content or "") < render.CONTENT_LIMIT
    page = parse_bytes((ROOT / "seeds/000_2d8a54ebfe520b7f.txt").read_bytes(), "of5.txt")
    preview = answers.import_preview(page)
    assert preview.ephemeral and preview.content == "This is what I understood. Import it?"
    assert preview.pages[0].title.startswith("IGF 2021 Open Forum #5")
    report = LoadReport(unchanged=2)
    assert answers.imported("import_x.txt", False, report).pages[0].title == (
        "Imported as import_x.txt"
    )
    assert answers.imported("import_x.txt", True, report).pages[0].title == "Already imported"
    assert "nothing was written" in (answers.cancelled("import").content or "")
    failed = answers.admin_failed("import")
    assert failed.ephemeral and "logged" in (failed.content or "")


async def test_export(catalog: Catalog) -> None:
    as_json = await answers.export(catalog, "json")
    assert as_json.ephemeral and as_json.content == "2 sessions."
    assert as_json.attachment is not None
    assert as_json.attachment.filename == "igf-sessions.json"
    assert [s.key for s in sessions_from_json(as_json.attachment.data)] == [OF25, OF5]
    other = await answers.export(catalog, "xml")  # only json|csv, never a misnamed file
    assert other.attachment is None and other.content == "Export as json or csv, not `xml`."
    as_csv = await answers.export(catalog, "csv")
    assert as_csv.attachment is not None and as_csv.attachment.filename == "igf-sessions.csv"
    rows = as_csv.attachment.data.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("key,") and len(rows) >= 3


async def test_close_matches_never_push_a_crowded_card_over_6000(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    page = (ROOT / "seeds" / "000_2d8a54ebfe520b7f.txt").read_text(encoding="utf-8")
    firsts = ["Anna", "Boris", "Chen", "Dina", "Emil", "Fatou", "Goran", "Hana", "Ivan", "Jana"]
    lasts = ["Berg", "Okoro", "Lindqvist", "Moreau"]
    crowd = "\n".join(
        f"{firsts[i % 10]} {lasts[i // 10]}, Director of Digital Policy and Internet Governance "
        "Programmes, National Agency for Telecommunications and Information Society"
        for i in range(40)
    )
    page = page.replace("Concluding Remarks\n", "Concluding Remarks\n" + crowd + "\n")
    for number in range(5, 13):
        text = page.replace("Open Forum #5", f"Open Forum #{number}")
        (seeds / f"of{number}.txt").write_text(text, encoding="utf-8")
    opened = await Catalog.open(tmp_path / "igf.db", seeds)
    try:
        await opened.reload()
        found = await opened.find_session("Development and Rule-Making on Artificial Intelligence")
        first, *others = [s for s in (found.best, *found.alternatives) if s is not None]
        assert others  # two sessions share the title
        reply = await answers.session_card(opened, first.key, alternatives=others)
        card = reply.pages[0]
        assert render.embed_size(card) > 5000  # the crowd filled the card
        assert render.embed_size(card) <= render.EMBED_TOTAL_LIMIT
    finally:
        await opened.close()
