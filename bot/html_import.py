"""A session page saved from the IGF website (HTML) to the text form `bot.parser` reads.

Admins upload pages saved from intgovforum.org. The parser reads text laid out the way the
pages look in a browser, so this module renders HTML roughly the way a browser's ``innerText``
does, with the few conventions of the text pages in `seeds/` and `tests/fixtures/corpus/`:

* ``URL: <address>`` and a blank line first when the page says where it lives (a canonical
  link or ``og:url``), or the caller does;
* then the page title (the session heading, not the site name) and a blank line;
* block elements on their own lines, paragraphs and headings set off by blank lines;
* Drupal field labels ("Moderator", "Format", "SDGs") on their own line followed by a blank
  line, or inline ("Organizer 1: …") when the field is an inline-label field or a numbered one;
* list items as "• item" (numbered in ordered lists), whitespace collapsed, entities decoded,
  non-ASCII text kept.

Scripts, styles, navigation, headers, footers, forms, hidden elements and site chrome (menus,
breadcrumbs, cookie banners, sidebars, skip links, social/share and search blocks) are dropped,
and Cloudflare's e-mail protection placeholders with them. Only BeautifulSoup (html.parser) reads
the HTML; the few regular expressions here work on attribute values and rendered text.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from itertools import islice
from pathlib import PurePath
from urllib.parse import quote, urljoin, urlparse

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import PageElement, PreformattedString, Script, Stylesheet, TemplateString
from bs4.exceptions import ParserRejectedMarkup

from bot.models import Session
from bot.parser import ParseError, parse_text

__all__ = ["Upload", "html_to_text", "looks_like_html", "read_upload"]

_SNIFF_BYTES = 1024
UPLOAD_SUFFIXES = (".txt", ".html", ".htm")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<body")

# Never visible, or never part of a page's own content.
_INVISIBLE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "canvas",
    "audio",
    "video",
    "map",
    "head",
    "title",
    "meta",
    "link",
    "base",
)
# Site furniture around the content.
_CHROME_TAGS = (
    "nav",
    "header",
    "footer",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "dialog",
)
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog"}
# Class or id words that mark site chrome: a class token starting with one of these
# ("main-menu", "cookiebanner", "sidebar-first", "sharethis") is chrome; "research" is not.
_CHROME_WORDS = (
    "menu",
    "breadcrumb",
    "cookie",
    "sidebar",
    "social",
    "share",
    "sharing",
    "search",
    "navbar",
    "gdpr",
    "consent",
)
_CHROME_TOKENS = {"skip", "skiplink", "skiplinks", "skip-link", "eu-cookie-compliance"}

_PARAGRAPH_TAGS = {"p", "blockquote", "pre", "table", "hr", "figure"}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "hgroup",
    "legend",
    "li",
    "main",
    "ol",
    "section",
    "summary",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    # chrome tags are dropped inside the content, but may hold a kept title
    "header",
    "footer",
    "nav",
    "form",
}
# Drupal's and Bootstrap's classes for elements no reader sees.
_HIDDEN_CLASSES = {"hidden", "visually-hidden", "element-invisible", "sr-only", "d-none"}
_LABEL_CLASSES = {"field__label", "field-label", "views-label"}
_CELL_TAGS = {"td", "th"}

_SKIPPED_STRINGS = (PreformattedString, Script, Stylesheet, TemplateString)
_EMAIL_PLACEHOLDER = re.compile(r"\[\s*email[\s\u00a0]*protected\s*\]", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
_TITLE_SEPARATORS = (" | ",)
_MAX_TITLE_CANDIDATES = 20
_MAX_LABEL_NODES = 50


# --------------------------------------------------------------------------------------------
# Entry points


def looks_like_html(data: bytes) -> bool:
    """True when the first KB holds ``<!doctype html``, ``<html`` or ``<body`` (any case)."""
    head = data[:_SNIFF_BYTES].lower()
    return any(marker in head for marker in _HTML_MARKERS)


def html_to_text(html: str, *, source_url: str | None = None) -> str:
    """Render a saved IGF page as the text the parser reads; never raises on odd markup.

    The page's own canonical address (``<link rel="canonical">``, then ``og:url``) is preferred
    to `source_url`, which is used when the page names none; relative addresses are resolved
    against it.
    """
    html = _CONTROL_CHARS.sub(_control_replacement, html)
    soup = _soup(html)
    if soup is None:
        return ""
    marks = _Landmarks(soup)
    url = _page_url(marks, source_url)
    root = marks.content_root()
    title, title_element = _title(marks, root, _head_title(marks))
    body = _Renderer(prune_chrome=True, title=title, title_element=title_element).render(root)
    lines: list[str] = []
    if url:
        lines += [f"URL: {url}", ""]
    if title:
        lines += [title, ""]
    lines.append(body)
    return _tidy("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded page as the parser read it, or why it was refused (picklable: it comes
    back from a worker process)."""

    text: str = ""
    session: Session | None = None
    refused: str | None = None


def read_upload(filename: str, data: bytes) -> Upload:
    """Text and session of an uploaded .txt or .html page. CPU-heavy on hostile HTML: the
    bot runs it in a worker process with a time budget (`bot.offload.CpuWorker`)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return Upload(refused=f"{filename!r} is not a .txt or .html session page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Upload(refused="the file is not UTF-8 text")
    if suffix in (".html", ".htm") or looks_like_html(data):
        text = html_to_text(text)
    try:
        return Upload(text, parse_text(text, filename))
    except ParseError as exc:
        return Upload(refused=exc.reason)


# --------------------------------------------------------------------------------------------
# Parsing, address and title


def _soup(html: str) -> BeautifulSoup | None:
    # html.parser rejects a few malformed declarations ("<![ x"); neutralise them and retry.
    for markup in (html, html.replace("<!", "&lt;!")):
        try:
            with warnings.catch_warnings():
                # Saved pages may be XHTML or look like a file name: parse them as HTML anyway.
                warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
                warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
                return BeautifulSoup(markup, "html.parser")
        except (ParserRejectedMarkup, AssertionError, RecursionError):
            continue
    return None


def _control_replacement(match: re.Match[str]) -> str:
    char = match.group(0)
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return " " if char in "\x1c\x1d\x1e\x1f" else ""


class _Landmarks:
    """What the page says about itself, found in one pass (bs4's `find` is a pass per call)."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self.soup = soup
        self.links: list[Tag] = []
        self.metas: list[Tag] = []
        self.title: Tag | None = None
        self.body: Tag | None = None
        self.h1s: list[Tag] = []
        # main, article, [role=main], #content, .node, .region-content: first of each
        self.content: list[Tag | None] = [None] * 6
        for element in soup.descendants:
            if isinstance(element, Tag):
                self._see(element)

    def _see(self, element: Tag) -> None:
        name = element.name
        if name == "link":
            self.links.append(element)
        elif name == "meta":
            self.metas.append(element)
        elif name == "title" and self.title is None:
            self.title = element
        elif name == "body" and self.body is None:
            self.body = element
        elif name == "h1" and len(self.h1s) < _MAX_TITLE_CANDIDATES:
            self.h1s.append(element)
        content = self.content
        if content[0] is None and name == "main":
            content[0] = element
        if content[1] is None and name == "article":
            content[1] = element
        if not element.attrs:
            return
        if content[2] is None and str(element.get("role") or "").strip().lower() == "main":
            content[2] = element
        if content[3] is None and element.get("id") == "content":
            content[3] = element
        if content[4] is None or content[5] is None:
            classes = _classes(element)
            if content[4] is None and "node" in classes:
                content[4] = element
            if content[5] is None and "region-content" in classes:
                content[5] = element

    def content_root(self) -> Tag:
        """The page's own content (`main`, then `article`, …), else the body, else everything."""
        for found in self.content:
            if found is not None and next(found.stripped_strings, None) is not None:
                return found
        return self.body if self.body is not None else self.soup


def _page_url(marks: _Landmarks, source_url: str | None) -> str | None:
    canonical: list[str] = []
    for link in marks.links:
        rel = link.get("rel") or []
        rels = rel.split() if isinstance(rel, str) else rel
        href = link.get("href")
        if "canonical" in {str(r).lower() for r in rels} and isinstance(href, str):
            canonical.append(href.strip())
    og_urls: list[str] = []
    for meta in marks.metas:
        content = meta.get("content")
        if _meta_key(meta) == "og:url" and isinstance(content, str):
            og_urls.append(content.strip())
    given = [source_url.strip()] if source_url and source_url.strip() else []
    # A relative canonical link ("/en/content/…") is resolved against a full address.
    bases = [u for u in (*og_urls, *given) if _absolute_url(u)]
    base = bases[0] if bases else ""
    for candidate in (*canonical, *og_urls, *given):
        url = _absolute_url(candidate, base)
        if url:
            return url
    return None


def _absolute_url(candidate: str, base: str = "") -> str | None:
    if not candidate:
        return None
    try:
        url = urljoin(base, candidate) if base else candidate
        parts = urlparse(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    # The parser reads "URL: <address>" as one token: no spaces in it.
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _meta_key(meta: Tag) -> str:
    return str(meta.get("property") or meta.get("name") or "").strip().lower()


def _head_title(marks: _Landmarks) -> str | None:
    for meta in marks.metas:
        content = meta.get("content")
        if _meta_key(meta) == "og:title" and isinstance(content, str) and content.strip():
            return " ".join(content.split())
    if marks.title is not None:
        text = " ".join(marks.title.get_text(" ").split())
        # "IGF 2021 Open Forum #5 … | Internet Governance Forum": drop the site name.
        for separator in _TITLE_SEPARATORS:
            if separator in text:
                text = text.rsplit(separator, 1)[0].strip()
                break
        return text or None
    return None


def _title(marks: _Landmarks, root: Tag, page_title: str | None) -> tuple[str | None, Tag | None]:
    """The session heading: the page-title h1, else the content's h1, else the document title."""
    # Only the first few h1s are looked at: a page has one, and odd markup may have thousands.
    candidates = [h for h in marks.h1s if _is_page_title(h)]
    candidates += [h for h in marks.h1s if _is_inside(h, root) and not _in_site_chrome(h, root)]
    for heading in candidates:
        text = _one_line(heading)
        if text:
            return text, heading
    if page_title:
        return page_title, None
    for heading in marks.h1s:
        text = _one_line(heading)
        if text:
            return text, heading
    return None, None


def _is_inside(element: Tag, root: Tag) -> bool:
    return any(parent is root for parent in element.parents)


def _is_page_title(heading: Tag) -> bool:
    for element in (heading, *islice(heading.parents, 3)):
        if any("page-title" in c or "page_title" in c for c in _classes(element)):
            return True
        if str(element.get("id") or "").lower() in {"page-title", "page_title"}:
            return True
    return False


def _in_site_chrome(element: Tag, root: Tag) -> bool:
    """Inside navigation, a footer, chrome, or a header that is not an article's own header."""
    chain = list(element.parents)
    article_above = [False] * (len(chain) + 1)
    for index in range(len(chain) - 1, -1, -1):
        article_above[index] = article_above[index + 1] or chain[index].name == "article"
    for index, parent in enumerate(chain):
        if parent is root:
            return False
        if parent.name in {"nav", "footer"} or _is_chrome_by_attributes(parent):
            return True
        if parent.name == "header" and not article_above[index + 1]:
            return True
    return False


# --------------------------------------------------------------------------------------------
# Pruning


def _is_invisible(element: Tag) -> bool:
    if element.name in _INVISIBLE_TAGS:
        return True
    if element.get("hidden") is not None or str(element.get("aria-hidden", "")).lower() == "true":
        return True
    style = str(element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    classes = _classes(element)
    if classes & _HIDDEN_CLASSES:
        return True
    # Cloudflare's e-mail protection: "[email protected]" in place of an address.
    return "__cf_email__" in classes or element.get("data-cfemail") is not None


def _is_chrome_by_attributes(element: Tag) -> bool:
    words = [*_classes(element), str(element.get("id") or "").lower()]
    for word in words:
        if not word:
            continue
        if word in _CHROME_TOKENS:
            return True
        for token in re.split(r"[^a-z0-9]+", word):
            if token in _CHROME_TOKENS or token.startswith(_CHROME_WORDS):
                return True
    return False


def _classes(element: Tag) -> set[str]:
    value = element.get("class") if isinstance(element, Tag) else None
    if value is None:
        return set()
    items = value.split() if isinstance(value, str) else value
    return {str(item).lower() for item in items}


def _one_line(element: Tag) -> str:
    return " ".join(_Renderer().render(element).split())


# --------------------------------------------------------------------------------------------
# Rendering


class _Renderer:
    """An iterative innerText: text runs, plus requested line breaks resolved lazily.

    `breaks` asks for at least n line breaks before the next text (1: new line, 2: blank line);
    consecutive requests merge to the largest. After an inline label ("Organizer 1:") or a list
    bullet, block breaks are held back until text arrives, so the value stays on the label's line.

    With `prune_chrome`, site chrome is skipped (never an ancestor of the title element), as are
    the title element and top-level h1/h2 headings repeating the title, which the caller writes
    first. Everything is one pass over the tree: odd markup (thousands of nested tags) stays
    linear.
    """

    def __init__(
        self,
        *,
        prune_chrome: bool = False,
        title: str | None = None,
        title_element: Tag | None = None,
    ) -> None:
        self.prune_chrome = prune_chrome
        self.title = title
        self.title_element = title_element
        self.keep = {id(p) for p in title_element.parents} if title_element is not None else set()
        self.parts: list[str] = []
        self.pending = 0
        self.glue_owner: Tag | None = None
        self.has_text = False
        self.pre_depth = 0
        self.heading_depth = 0
        self.labels: dict[int, str | None] = {}
        self.list_counters: dict[int, int] = {}
        self.text_sizes: dict[int, int] | None = None
        self.root: Tag | None = None

    def render(self, root: Tag) -> str:
        self.root = root
        stack: list[tuple[PageElement, bool]] = [(root, False)]
        while stack:
            node, closing = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, _SKIPPED_STRINGS):
                    self._string(node)
                continue
            if not isinstance(node, Tag):
                continue
            if closing:
                self._close(node)
                continue
            if node is not root and self._skipped(node):
                continue
            self._open(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        return _tidy("".join(self.parts))

    def _skipped(self, tag: Tag) -> bool:
        if _is_invisible(tag):
            return True
        if not self.prune_chrome or id(tag) in self.keep:
            return False
        if tag is self.title_element:
            return True
        repeats_title = self.title and tag.name in {"h1", "h2"} and self.heading_depth == 0
        if repeats_title and _one_line(tag) == self.title:
            return True
        if tag.name in _CHROME_TAGS:
            return True
        if str(tag.get("role") or "").strip().lower() in _CHROME_ROLES:
            return True
        # A layout wrapper ("page has-sidebar") holding most of the page is not chrome.
        return _is_chrome_by_attributes(tag) and self._text_size(tag) * 2 <= self._text_size()

    def _text_size(self, tag: Tag | None = None) -> int:
        if self.text_sizes is None:
            assert self.root is not None
            self.text_sizes = _text_sizes(self.root)
        return self.text_sizes.get(id(tag if tag is not None else self.root), 0)

    # -- events -------------------------------------------------------------------------------

    def _open(self, tag: Tag) -> None:
        name = tag.name
        if name == "pre":
            self.pre_depth += 1
        if name in _HEADING_TAGS:
            self.heading_depth += 1
        label = self.labels[id(tag)] = _label_mode(tag)
        if label:
            self.breaks(1 if label == "inline" else 2)
        elif name in _HEADING_TAGS or name in _PARAGRAPH_TAGS:
            self.breaks(2)
        elif name == "br":
            self.literal("\n")
        elif name == "li":
            self.breaks(1)
            self.text(self._bullet(tag))
            self.glue_owner = tag
        elif name in _BLOCK_TAGS:
            self.breaks(1)
        elif name in _CELL_TAGS:
            self.text(" ")

    def _close(self, tag: Tag) -> None:
        name = tag.name
        if tag is self.glue_owner:
            self.glue_owner = None
        if name == "pre":
            self.pre_depth -= 1
        if name in _HEADING_TAGS:
            self.heading_depth -= 1
        label = self.labels.pop(id(tag), None)
        if label == "inline":
            self.text(" " if self._ends_with_colon() else ": ")
            self.glue_owner = tag.parent
        elif label or name in _HEADING_TAGS or name in _PARAGRAPH_TAGS:
            self.breaks(2)
        elif name in _BLOCK_TAGS:
            self.breaks(1)

    def _string(self, node: NavigableString) -> None:
        text = _EMAIL_PLACEHOLDER.sub("", str(node))
        if self.pre_depth > 0:
            for index, line in enumerate(text.split("\n")):
                if index:
                    self.literal("\n")
                self.text(line)
            return
        collapsed = " ".join(text.split())
        if not collapsed:
            if text:
                self.text(" ")
            return
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        self.text(lead + collapsed + trail)

    def _bullet(self, item: Tag) -> str:
        parent = item.parent
        if not (isinstance(parent, Tag) and parent.name == "ol"):
            return "• "
        if id(parent) not in self.list_counters:
            start = str(parent.get("start") or "1").strip()
            self.list_counters[id(parent)] = int(start) if start.isdigit() and len(start) < 6 else 1
        number = self.list_counters[id(parent)]
        self.list_counters[id(parent)] = number + 1
        return f"{number}. "

    # -- output -------------------------------------------------------------------------------

    def breaks(self, count: int) -> None:
        if self.glue_owner is None:
            self.pending = max(self.pending, count)

    def literal(self, text: str) -> None:
        self._flush()
        self.parts.append(text)

    def text(self, text: str) -> None:
        if not text.strip():
            if self.has_text and not self.pending:
                self.parts.append(" ")
            return
        self._flush()
        self.parts.append(text)
        self.has_text = True
        self.glue_owner = None  # the label's value has begun: later blocks break as usual

    def _flush(self) -> None:
        if self.pending and self.has_text:
            self.parts.append("\n" * self.pending)
        self.pending = 0

    def _ends_with_colon(self) -> bool:
        return "".join(self.parts[-3:]).rstrip().endswith(":")


def _text_sizes(root: Tag) -> dict[int, int]:
    """Characters of text under each element of `root`, in one post-order pass."""
    sizes: dict[int, int] = {}
    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if not isinstance(node, Tag):
            continue
        if closing:
            total = 0
            for child in node.contents:
                if isinstance(child, Tag):
                    total += sizes.get(id(child), 0)
                elif isinstance(child, NavigableString) and not isinstance(child, _SKIPPED_STRINGS):
                    total += len(child.strip())
            sizes[id(node)] = total
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in node.contents if isinstance(child, Tag))
    return sizes


def _leading_text(tag: Tag, limit: int) -> str:
    """The text of `tag`'s first `limit` nodes (bs4's `descendants` first walks the subtree)."""
    strings: list[str] = []
    stack: list[PageElement] = list(reversed(tag.contents))
    while stack and limit > 0:
        node = stack.pop()
        limit -= 1
        if isinstance(node, Tag):
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, _SKIPPED_STRINGS):
            strings.append(str(node))
    return "".join(strings)


def _label_mode(tag: Tag) -> str | None:
    """ "inline" or "above" for a Drupal/Views field label, None for anything else."""
    classes = _classes(tag)
    if not classes & _LABEL_CLASSES:
        return None
    wrapper = _classes(tag.parent) if isinstance(tag.parent, Tag) else set()
    if any("label-inline" in c for c in classes | wrapper):
        return "inline"
    # "Organizer 1", "Speaker 3": the text pages always write these inline. Labels are short:
    # only their first nodes are read.
    text = _leading_text(tag, _MAX_LABEL_NODES).strip().rstrip(":").strip()
    return "inline" if text[-1:].isdigit() else "above"


def _tidy(text: str) -> str:
    """Collapse spaces, strip lines, keep at most one blank line in a row."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + ("\n" if lines else "")
