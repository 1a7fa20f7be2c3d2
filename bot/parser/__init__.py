"""From the text of one IGF session page to a typed `Session`.

IGF pages are semi-structured and labels are often missing: the seeds label neither their
organizers, their speakers nor their rapporteur. The parser therefore reads a page the way a
person does, one line at a time, with a small state machine:

* an explicit label ("Online Moderator", "Organizer 1: …") says what follows;
* otherwise the shape of a line decides: a schedule line, a format line ("Panel - 90 Min"),
  an SDG ("9. Industry, Innovation and Infrastructure"), a person ("Name, role, organisation"),
  an organisation, or prose;
* and the order of blocks fills what is left: on IGF's template an unlabelled person after the
  speakers is the onsite moderator, then the online moderator, then the rapporteur.

Anything that is not one session's page is rejected with `ParseError` and a reason a person can
act on. A page cut short yields what it has.

The package, in the order a page goes through it:

* `cleaning`: line endings, white space, lock marks and e-mail placeholders; the URL line;
* `rejection`: what is not one session's page (transcripts, reports, lists, calls…), and why;
* `heading`: the page's heading and its URL slug -> event, year, type, number, title;
* `reader`: the page reader, a state machine over the remaining lines, and its `HANDLERS`;
* `states`: the reader's `State`s and the state each explicit label opens;
* `speakers`, `slots`: speakers and their segments; moderators and rapporteur by template order;
* `shapes`: the shape of a line: labels, format, SDG, segment, enumeration, organisation words;
* `people`: persons and organisations on a line: names, affiliations, run-on lists;
* `dates`: schedule lines and their dates and times -> aware UTC datetimes;
* `draft`: the `Session` being read, under `Session`'s field names, and how it is finished;
* `report`: `Parsed`, a session with what the admin should know about its page: the
  organisers who are people, and warnings (fields the page lacks, text not used);
* `patterns`, `errors`: a regex helper; `ParseError`.

A module calls another's compiled patterns through that module (`shapes.FORMAT_RE.match(line)`),
not as from-imported names: CPython 3.11 compiles `NAME.match(…)` on a from-imported NAME as
an attribute load and a call, allocating a bound method on every call (+0.9% instructions per
page when measured).
"""

from __future__ import annotations

import codecs

from bot.models import Session
from bot.parser.cleaning import clean_lines, control_ratio, take_url
from bot.parser.errors import ParseError
from bot.parser.reader import PageReader
from bot.parser.rejection import reject_non_sessions
from bot.parser.report import Parsed, parsed_from

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "ParseError",
    "Parsed",
    "parse_bytes",
    "parse_document",
    "parse_text",
]

MAX_DOCUMENT_BYTES = 1_000_000


def parse_bytes(data: bytes, source: str | None = None) -> Session:
    """Decode and parse a file's bytes; binary or non-UTF-8 content is rejected."""
    return _read(_decode(data, source), source).read()


def parse_document(data: bytes, source: str | None = None) -> Parsed:
    """`parse_bytes`, with the page's organiser people and warnings for the admin."""
    reader = _read(_decode(data, source), source)
    return parsed_from(reader.read(), reader)


def parse_text(text: str, source: str | None = None) -> Session:
    """Parse one session page; raises `ParseError` for anything that is not one."""
    return _read(text, source).read()


def _decode(data: bytes, source: str | None) -> str:
    if not data.strip():
        raise ParseError("empty document", source=source)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"document is larger than {MAX_DOCUMENT_BYTES:,} bytes", source=source)
    if b"\x00" in data:
        raise ParseError("binary file (contains NUL bytes), not a text session page", source=source)
    try:
        # What "utf-8-sig" does, without that codec's slower Python-level wrapper.
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"not UTF-8 text (invalid byte at offset {exc.start})", source=source
        ) from None
    return text


def _read(text: str, source: str | None) -> PageReader:
    """The reader of a page that passed the checks; raises `ParseError` for anything else."""
    lines = clean_lines(text)
    if not any(lines):
        raise ParseError("empty document", source=source)
    if control_ratio(text) > 0.05:
        raise ParseError("binary or control characters, not a text session page", source=source)
    url, lines = take_url(lines)
    reject_non_sessions(lines, url, source)
    return PageReader(lines, url, source)
