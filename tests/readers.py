"""Reading pirdoc's outputs back with readers pirdoc did not write, and what they must show.

`expectations(review)` says, field path by field path, what a reader of the full record must
find: the text of every text value (a narrative field as CommonMark reads it, split into the
pieces a reader sees together), people's contact details where each format carries them, and
people's roles where the layout shows them. The readers turn each output back into text:

- Markdown: pandoc (``gfm`` → ``plain``) or, in-process, markdown-it; reference definitions
  (people's contact details) and link targets read by both.
- DOCX: python-docx (body, headers, footers) or LibreOffice → PDF → pdftotext.
- PDF: pdftotext (poppler) or, in-process, pypdf.
- Confluence: a strict XML parse (`tests.test_confluence_validate.parse_storage`).

Every comparison normalises whitespace (runs of any whitespace are one space); PDF comparisons
remove whitespace altogether, fold compatibility forms (NFKC: Arabic presentation forms) and leave
out characters no embedded font can draw. docs/testing.md explains why.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import attrs
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pirdoc import model as m
from tests.hostile import show_invisible
from tests.strategies import text_fields
from tests.test_confluence_validate import RI, parse_storage, reader_text
from tests.test_docx import reading, reopen
from tests.test_markdown import read_html
from tests.test_pdf import drawable, squeeze
from tests.tools import require_tool

__all__ = [
    "CONTACT_FIELDS",
    "UNSAFE_SCHEMES",
    "VISIBLE_KINDS",
    "Expectation",
    "confluence_reading",
    "docx_external_targets",
    "docx_reading",
    "expectations",
    "is_unsafe_target",
    "libreoffice_pdfs",
    "libreoffice_texts",
    "markdown_definitions",
    "markdown_link_targets",
    "missing_in_confluence",
    "missing_markdown_contacts",
    "missing_text",
    "markdown_reading",
    "matched_owner",
    "narrative_pieces",
    "normalise",
    "paged_form",
    "paged_words",
    "pandoc_link_targets",
    "pandoc_plain",
    "pdf_link_actions",
    "pdftotext",
    "pypdf_text",
    "report",
    "show_invisible",
    "squeeze",
    "strip_controls",
    "ticket_text",
    "unsafe_targets",
]

CONTACT_FIELDS = ("email", "confluence_account_id", "confluence_userkey")
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
SAFE_TARGET = re.compile(r"(?i:https?://|mailto:|#)")

# C0 controls but tab and newline (and CR, which layout turns into a newline): removed, with a
# warning, at the narrative boundary; no reader can show them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TASK_PREFIX = re.compile(r"^\[[ xX]\][ \t]+")


def strip_controls(text: str) -> str:
    """``text`` as layout leaves it: C0 controls removed, CR line endings made LF, invisible
    and bidi controls shown as ``[U+XXXX]``."""
    return show_invisible(_CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def normalise(text: str) -> str:
    """Whitespace runs (any Unicode whitespace, line breaks included) as one space, trimmed."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------- expectations

Kind = Literal["text", "name", "role", "contact"]


@attrs.frozen(kw_only=True)
class Expectation:
    """A string a reader must find, and the field path it comes from.

    ``kind`` is ``text`` (visible text), ``name`` (a person's name: visible text, or on Confluence
    a user mention of ``person``), ``role`` (a role the layout shows next to a name) or
    ``contact`` (an e-mail address or Confluence id: not visible text; carried in Markdown
    reference definitions and Confluence mentions). ``field`` is the model field's name.
    ``person`` is the person as the page must show them: for an action-item owner, with the
    identifiers `matched_owner` gives them."""

    path: str
    text: str
    kind: Kind
    field: str
    person: m.Person | None = None


def expectations(review: m.Review, *, literal: dict[str, str] | None = None) -> list[Expectation]:
    """What a reader of the full record of ``review`` must find, field path by field path.

    ``literal`` maps field paths to the exact text a reader must show for them (the hostile
    fixture's escaped narratives); other narrative fields are read as CommonMark."""
    literal = literal or {}
    as_owner = matched_owner(review)
    found: list[Expectation] = []
    for at in text_fields(review):
        if isinstance(at.owner, m.Note) and at.field.name == "section":  # where the note sits, not text
            continue
        person = at.owner if isinstance(at.owner, m.Person) else None
        if person is not None and _ACTION_OWNER.match(at.path):
            person = as_owner(person)
        found.extend(_expect(at.path, at.text, at.field, person, literal))
    return found


_ACTION_OWNER = re.compile(r"^action_items\[\d+\]\.owner\.")


def _name_key(name: str) -> str:
    return " ".join(strip_controls(name).split()).casefold()


def matched_owner(review: m.Review) -> Callable[[m.Person], m.Person]:
    """An action-item owner as the page shows them (docs/input-format.md, docs/confluence.md): an
    owner without a Confluence identifier gets the one the review gives the person of the same
    name (case and spacing ignored) elsewhere, unless people of that name have different ones.
    Confluence then mentions the owner (the task is assigned to them) instead of writing the name,
    so a reader must find that mention, not the name as text.

    Names and identifiers are compared as layout sees them (`strip_controls`)."""
    accounts: dict[str, set[str]] = {}
    userkeys: dict[str, set[str]] = {}
    for at in text_fields(review):
        person = at.owner
        if not isinstance(person, m.Person) or not (person.confluence_account_id or person.confluence_userkey):
            continue
        key = _name_key(person.name)
        for ids, value in ((accounts, person.confluence_account_id), (userkeys, person.confluence_userkey)):
            ids.setdefault(key, set()).update([strip_controls(value)] if value else [])

    def owner(person: m.Person) -> m.Person:
        key = _name_key(person.name)
        if key not in accounts or len(accounts[key]) > 1 or len(userkeys[key]) > 1:
            return person  # nobody of that name has an identifier, or two people share the name
        return attrs.evolve(
            person,
            confluence_account_id=person.confluence_account_id or next(iter(accounts[key]), None),
            confluence_userkey=person.confluence_userkey or next(iter(userkeys[key]), None),
        )

    return owner


URL_FIELDS = (
    "link", "links", "evidence", "url", "incident_ticket", "monitoring_dashboard", "related_incidents",
    "action_item_tracker",
)
_TICKET_URL = re.compile(r"https?://[^?#]*/([A-Z][A-Z0-9_]*-[0-9]+)/?(?:[?#].*)?", re.DOTALL)
_ISSUE_URL = re.compile(r"https?://[^?#]*/(?:issues|issue|pull|pulls|merge_requests|tickets|ticket)/([0-9]+)/?(?:[?#].*)?")


def ticket_text(url: str) -> str:
    """What a link to ``url`` shows (issue 16): the ticket id when the URL's last path segment is
    one (``…/browse/PLAT-1202`` → ``PLAT-1202``, ``…/issues/42`` → ``#42``), else the URL."""
    if match := _TICKET_URL.fullmatch(url):
        return match.group(1)
    if match := _ISSUE_URL.fullmatch(url):
        return f"#{match.group(1)}"
    return url


_SHOWN_ROLES = re.compile(r"^(other_roles|review_meeting\.attendees)\[\d+\]\.role$")


def _expect(
    path: str, text: str, field: attrs.Attribute[Any], person: m.Person | None, literal: dict[str, str]
) -> Iterator[Expectation]:
    if person is not None and field.name in CONTACT_FIELDS:
        yield Expectation(path=path, text=strip_controls(text), kind="contact", field=field.name, person=person)
        return
    if person is not None and field.name == "role":
        kind: Kind = "role" if _SHOWN_ROLES.match(path) else "contact"
        yield Expectation(path=path, text=strip_controls(text), kind=kind, field="role", person=person)
        return
    if path in literal:
        pieces = [literal[path]]
    elif m.is_markdown(field):
        pieces = narrative_pieces(text)
    elif field.name in URL_FIELDS:
        pieces = [ticket_text(strip_controls(text))]
    else:
        pieces = [strip_controls(text)]
    kind = "name" if person is not None and field.name == "name" else "text"
    for piece in pieces:
        if normalise(piece):
            yield Expectation(path=path, text=piece, kind=kind, field=field.name, person=person)


def _commonmark() -> MarkdownIt:
    # The narrative dialect: CommonMark, GFM tables and strikethrough, raw HTML off.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


_NARRATIVE = _commonmark()


def narrative_pieces(markdown: str) -> list[str]:
    """The texts a CommonMark reader shows for ``markdown``, one per paragraph, heading, table
    cell or code block (what a reader sees together whatever the format does with blocks).

    A list item's leading ``[ ]``/``[x]`` is left out: it may be shown as a check box."""
    tokens = _NARRATIVE.parse(strip_controls(markdown))
    pieces: list[str] = []
    item_start = False
    for token in tokens:
        if token.type == "list_item_open":
            item_start = True
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if item_start:
                text = _TASK_PREFIX.sub("", text)
            pieces.append(text)
            item_start = False
        elif token.type in ("fence", "code_block"):
            pieces.append(token.content)
            item_start = False
        elif token.type.endswith("_open") and token.type != "list_item_open":
            continue
    return pieces


def _inline_text(tokens: list[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type == "image":
            parts.append(_inline_text(token.children or []) or str(token.attrs.get("src", "")))
    return "".join(parts)


# ---------------------------------------------------------------------------- Markdown


def pandoc_plain(markdown: bytes) -> str:
    """What pandoc shows of GitHub-flavoured ``markdown``, as plain text (no strikeout marks)."""
    pandoc = require_tool("pandoc", "pandoc")
    result = subprocess.run(
        [pandoc, "-f", "gfm", "-t", "plain-strikeout", "--wrap=none"],
        input=markdown,
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8")


def pandoc_link_targets(markdown: bytes) -> list[str]:
    """Every link and image target pandoc reads in ``markdown``."""
    pandoc = require_tool("pandoc", "pandoc")
    result = subprocess.run(
        [pandoc, "-f", "gfm", "-t", "json"], input=markdown, capture_output=True, check=True, timeout=120
    )
    targets: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") in ("Link", "Image"):
                targets.append(node["c"][2][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(result.stdout))
    return targets


_READER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_reading(markdown: bytes) -> str:
    """What markdown-it shows of ``markdown`` (raw HTML on, so unescaped markup would vanish)."""

    return "".join(read_html(markdown.decode("utf-8")).text)


def markdown_definitions(markdown: bytes) -> dict[str, tuple[str, str]]:
    """Link reference definitions (label → (destination, title)), as markdown-it reads them."""
    env: dict[str, Any] = {}
    _READER.parse(markdown.decode("utf-8"), env)
    references: dict[str, dict[str, str]] = env.get("references", {})
    return {label: (ref.get("href", ""), ref.get("title", "")) for label, ref in references.items()}


def markdown_link_targets(markdown: bytes) -> list[str]:
    """Link and image targets markdown-it reads (definitions included)."""
    targets = [href for href, _ in markdown_definitions(markdown).values()]
    for token in _READER.parse(markdown.decode("utf-8")):
        for child in token.children or []:
            if child.type in ("link_open", "image"):
                targets.append(str(child.attrs.get("href", child.attrs.get("src", ""))))
    return targets


# ---------------------------------------------------------------------------- DOCX


def docx_reading(data: bytes) -> str:
    """What python-docx reads of the body, the headers and the footers, a paragraph per line."""

    word = reopen(data)
    parts = [reading(word)]
    for section in word.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                parts.append(reading(part))  # type: ignore[arg-type]
    return "\n".join(parts)


def docx_external_targets(data: bytes) -> list[str]:
    """Targets of every external relationship of every part, and of every HYPERLINK field."""
    targets: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith(".rels"):
                root = etree.fromstring(package.read(name))
                targets += [rel.get("Target", "") for rel in root if rel.get("TargetMode") == "External"]
            elif name.endswith(".xml"):
                text = package.read(name).decode("utf-8")
                targets += re.findall(r'HYPERLINK\s+"([^"]*)"', text)
    return targets


def libreoffice_pdfs(documents: dict[str, bytes], workdir: Path) -> dict[str, bytes]:
    """Each DOCX converted to PDF by LibreOffice (all in one LibreOffice run), by name."""
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    paths = []
    for name, data in documents.items():
        path = workdir / f"{name}.docx"
        path.write_bytes(data)
        paths.append(str(path))
    profile = f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(workdir), *paths],
        check=True,
        capture_output=True,
        timeout=600,
    )
    pdfs = {}
    for name in documents:
        pdf = workdir / f"{name}.pdf"
        assert pdf.exists(), f"docx: LibreOffice wrote no PDF for {name}"
        pdfs[name] = pdf.read_bytes()
    return pdfs


def libreoffice_texts(documents: dict[str, bytes], workdir: Path) -> dict[str, str]:
    """The text of each DOCX as LibreOffice lays it out (`libreoffice_pdfs`, read by
    `pdftotext`), by name."""
    require_tool("pdftotext", "poppler-utils")
    return {name: pdftotext(pdf) for name, pdf in libreoffice_pdfs(documents, workdir).items()}


# ---------------------------------------------------------------------------- PDF


def pdftotext(data: bytes) -> str:
    """The text poppler's pdftotext reads from ``data`` in reading order (right-to-left runs in
    logical order), then again in drawing order (``-raw``: its column detection would otherwise
    cut a code line at a run of spaces)."""
    tool = require_tool("pdftotext", "poppler-utils")
    readings = []
    for mode in ([], ["-raw"]):
        result = subprocess.run(
            [tool, *mode, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True, timeout=120
        )
        readings.append(result.stdout.decode("utf-8"))
    return "\n\f\n".join(readings)


def pypdf_text(data: bytes) -> str:
    """The text pypdf reads from ``data`` (notdef glyphs, extracted as U+0000, left out)."""

    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")


def pdf_link_actions(data: bytes) -> list[tuple[str, str]]:
    """(action type, URI or destination) of every link annotation, plus every JavaScript or
    Launch action anywhere in the file."""
    reader = PdfReader(io.BytesIO(data))
    found: list[tuple[str, str]] = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is None:
                found.append(("/Dest", str(annotation.get("/Dest"))))
                continue
            action = action.get_object()
            found.append((str(action.get("/S")), str(action.get("/URI", action.get("/D", "")))))
    for obj in _reachable(reader.trailer):
        if obj.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm"):
            found.append((str(obj.get("/S")), ""))
    return found


def _reachable(trailer: Any) -> Iterator[Any]:
    """Every dictionary reachable from the trailer, each once."""

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


# ---------------------------------------------------------------------------- Confluence


def confluence_reading(data: bytes) -> tuple[str, list[dict[str, str]], list[str]]:
    """(text a reader sees, ri:user attribute sets, every href and ri:url value), after the
    strict parse."""

    root = parse_storage(data)
    for line_break in root.iter("br"):  # a reader sees a line break where reader_text joins
        line_break.tail = "\n" + (line_break.tail or "")
    prefix = f"{{{RI}}}"
    users = [{key.removeprefix(prefix): value for key, value in u.attrib.items()} for u in root.iter(f"{prefix}user")]
    targets = [a.get("href", "") for a in root.iter("a")]
    targets += [url.get(f"{{{RI}}}value", "") for url in root.iter(f"{{{RI}}}url")]
    return reader_text(root, dates=True), users, targets


def is_unsafe_target(target: str) -> bool:
    """True for a link target a reader would run or inline (javascript:, data:, vbscript:), even
    disguised with case, whitespace or control characters."""
    folded = re.sub(r"[\x00-\x20]", "", target).lower()
    return folded.startswith(UNSAFE_SCHEMES)


def unsafe_targets(targets: Iterable[str]) -> list[str]:
    """The targets that are neither http(s), mailto, an in-document anchor nor empty (no link)."""
    return [t for t in targets if is_unsafe_target(t) or (t and not SAFE_TARGET.match(t))]


# ---------------------------------------------------------------------------- comparisons

VISIBLE_KINDS = ("text", "name", "role")
MARKDOWN_KEYS = {"role": "role", "email": "email", "confluence_account_id": "confluence-account-id",
                 "confluence_userkey": "confluence-userkey"}  # fmt: skip
"""Model field → key in the title of a person's Markdown reference definition."""


def missing_text(expected: Iterable[Expectation], shown: str, *, pdf: bool = False) -> list[Expectation]:
    """The visible expectations (text, names, shown roles) not found in ``shown``.

    Text is compared with whitespace normalised. With ``pdf`` (text read from laid-out pages) it
    is compared as `paged_form` makes it, and a value not found in one piece is looked for word
    by word: a page break, the page furniture or the neighbouring cells of a table row may come
    between its lines."""
    if not pdf:
        haystack = normalise(shown)
        return [e for e in expected if e.kind in VISIBLE_KINDS and normalise(e.text) not in haystack]
    paged = paged_form(shown)
    lacking = []
    for e in expected:
        if e.kind not in VISIBLE_KINDS:
            continue
        if not any(_on_pages(e.path, text, paged) for text in _visual_forms(e.text)):
            lacking.append(e)
    return lacking


def _on_pages(path: str, text: str, paged: str) -> bool:
    needle = paged_form(text)
    if path == "classification":  # the PDF prints it in capitals, like a stamp
        needle, paged = needle.casefold(), paged.casefold()
    if not needle or needle in paged or _in_order(paged_words(text), paged):
        return True
    if len(text.split()) == 1 and _pieces_in_order(needle, paged):
        return True
    if _is_bidi(text):
        # Drawn in visual order (runs of each direction reordered, brackets mirrored): every
        # word is there, but not necessarily in the order written.
        # Neutral characters (punctuation) between runs may move to the other side of a word.
        return all(run in paged for word in text.split() for run in _letter_runs(paged_form(word)))
    if _is_bidi(paged):
        # pypdf 7 keeps the direction of the last right-to-left run for the neutral characters
        # after it, into the next line and the next text object: "<![CDATA[" drawn under a
        # Hebrew line reads "!<[CDATA[" (pdftotext reads it as drawn). Only the punctuation
        # before the value's first letter or digit may be turned round; the rest is compared
        # as it is.
        return _leading_marks_turned(needle, paged)
    return False


def _leading_marks_turned(needle: str, paged: str) -> bool:
    """True when ``needle`` is in ``paged`` with the marks before its first letter or digit in
    any order (and nothing else changed)."""
    lead = len(needle) - len(needle.lstrip("".join(c for c in needle if unicodedata.category(c)[0] not in "LMN")))
    rest = needle[lead:]
    if not lead or not rest:
        return False
    start = paged.find(rest, lead)
    while start >= 0:
        if sorted(paged[start - lead:start]) == sorted(needle[:lead]):
            return True
        start = paged.find(rest, start + 1)
    return False


def _letter_runs(text: str) -> list[str]:
    """The runs of letters, marks and digits of ``text``."""
    runs, current = [], []
    for c in text:
        if unicodedata.category(c)[0] in "LMN":
            current.append(c)
        elif current:
            runs.append("".join(current))
            current = []
    return [*runs, "".join(current)] if current else runs


def _is_bidi(text: str) -> bool:
    """True when ``text`` holds right-to-left characters (Hebrew, Arabic …)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL", "RLE", "RLO", "RLI") for c in text)


def _visual_forms(text: str) -> list[str]:
    """``text``, and as drawn when it holds a right-to-left override (U+202E): the characters
    after it, up to a pop (U+202C) or the end, are drawn, and so extracted, in reverse."""
    if "\u202e" not in text:
        return [text]
    before, _, after = text.partition("\u202e")
    overridden, pop, rest = after.partition("\u202c")
    return [text, before + overridden[::-1] + pop + rest]


_HYPHENS = re.compile("[-\u00ad\u2010\u2011]")
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_GAP = 400
"""Characters of other text allowed between the words of a value on laid-out pages."""


def paged_form(text: str) -> str:
    """``text`` as compared on laid-out pages: NFKC-folded (Arabic presentation forms), without
    whitespace (lines break inside long words), hyphens (pdftotext joins a word hyphenated at a
    line end), invisible format characters (zero-width, bidi controls: nothing to see) and
    characters no font embedded in pirdoc's PDF can draw."""

    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return _HYPHENS.sub("", squeeze(drawable(visible)))


def paged_words(text: str) -> list[str]:
    """The words of ``text`` in `paged_form`, for a search in order."""
    words = (paged_form(word) for word in _BIDI_CONTROLS.sub(" ", text).split())
    return [word for word in words if word]


def _in_order(words: list[str], haystack: str) -> bool:
    """True when ``words`` follow each other in ``haystack`` with at most `MAX_GAP` characters
    between neighbours, starting from any place the first word is found (a short first word
    such as "the" is found far earlier first)."""
    if not words:
        return False
    start = haystack.find(words[0])
    while start >= 0:
        if _in_order_from(words, haystack, start + len(words[0])):
            return True
        start = haystack.find(words[0], start + 1)
    return False


def _pieces_in_order(token: str, haystack: str) -> bool:
    """True when ``token`` (one word, such as a URL) is in ``haystack`` as pieces in order, each
    the longest part of the rest found within `MAX_GAP` of the previous piece: a token wrapped in
    a narrow table cell is read with the neighbouring cells' lines between its own. Pieces are at
    least three characters (the last may be shorter), so scattered letters do not count."""
    if len(token) > 300:  # a long token is a limit test's: found whole or not at all
        return False
    first = next((size for size in range(len(token), 2, -1) if token[:size] in haystack), 0)
    start = haystack.find(token[:first]) if first else -1
    while start >= 0:
        if _rest_in_pieces(token[first:], haystack, start + first):
            return True
        start = haystack.find(token[:first], start + 1)
    return False


def _rest_in_pieces(rest: str, haystack: str, position: int) -> bool:
    while rest:
        for size in range(len(rest), 0, -1):
            if size < min(3, len(rest)):
                return False
            found = haystack.find(rest[:size], position, position + MAX_GAP + size)
            if found >= 0:
                position, rest = found + size, rest[size:]
                break
        else:
            return False
    return True


def _in_order_from(words: list[str], haystack: str, position: int) -> bool:
    for word in words[1:]:
        found = haystack.find(word, position)
        if found < 0 or found - position > MAX_GAP:
            return False
        position = found + len(word)
    return True


def missing_markdown_contacts(expected: Iterable[Expectation], markdown: bytes) -> list[Expectation]:
    """Contact details and roles of people not found in a reference definition's title."""
    titles = " | ".join(normalise(title) for _, title in markdown_definitions(markdown).values())
    return [
        e
        for e in expected
        if e.kind == "contact" and f"{MARKDOWN_KEYS[e.field]}={normalise(e.text)}" not in titles
    ]


def missing_in_confluence(
    expected: Iterable[Expectation], data: bytes, edition: Literal["cloud", "datacenter"]
) -> list[Expectation]:
    """What the page of ``edition`` lacks: visible text, and each person with an identifier on
    this edition as a user mention with that identifier (Confluence shows the account's name)."""
    shown, users, _ = confluence_reading(data)
    haystack = normalise(shown)
    key, field = ("account-id", "confluence_account_id") if edition == "cloud" else ("userkey", "confluence_userkey")
    ids = {user.get(key) for user in users}
    # A name written plainly may be matched to the account the review gives that person
    # elsewhere (layout's account directory): then the mention stands for it.
    by_name: dict[str, set[str]] = {}
    for e in expected:
        if e.person is not None and getattr(e.person, field, None):
            by_name.setdefault(" ".join(e.person.name.casefold().split()), set()).add(getattr(e.person, field))
    lacking = []
    for e in expected:
        identifier = getattr(e.person, field, None) if e.person is not None else None
        identifier = strip_controls(identifier).strip() if identifier else None
        mentioned = (e.kind == "name" and identifier) or (e.kind == "contact" and e.field == field)
        if mentioned:
            if identifier not in ids:
                lacking.append(e)
        elif e.kind in VISIBLE_KINDS and normalise(e.text) not in haystack:
            name = " ".join(e.person.name.casefold().split()) if e.person and e.kind == "name" else None
            known = by_name.get(name, set()) if name is not None else set()
            if not any(strip_controls(account).strip() in ids for account in known):
                lacking.append(e)
    return lacking


def report(reader: str, lacking: list[Expectation]) -> str:
    """An assertion message naming the format and reader and the field paths that went missing."""
    shown = "; ".join(f"{e.path} ({e.kind}): {e.text[:60]!r}" for e in lacking[:8])
    more = f" and {len(lacking) - 8} more" if len(lacking) > 8 else ""
    return f"{reader}: {len(lacking)} value(s) missing: {shown}{more}"
