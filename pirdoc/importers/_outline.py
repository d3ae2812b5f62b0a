"""The outline of a filled-in template (sections and subsections) and small helpers on its blocks.

Every section reader works on `Part` values: the blocks under one ``###`` heading (or under a
``##`` before its first ``###``), with the heading's title and line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import attrs

from pirdoc.importers._source import Source, escape_line_start, has_markup, inline_text, plain_text
from pirdoc.importers._tree import Node

__all__ = [
    "Part",
    "Section",
    "cell_source",
    "checklist",
    "is_caption",
    "is_none_paragraph",
    "join",
    "heading_key",
    "label_keys",
    "link_url",
    "title_source",
]


_PARENTHESES = re.compile(r"\([^)]*\)")


def heading_key(title: str) -> str:
    """A heading as a lookup key: case-folded, without ``(…)`` and a trailing colon."""
    # Remembered for short titles: a template's reader looks up each heading and label several
    # times, and reviews written into the same template share most of them.
    return _short_key(title) if len(title) <= 100 else _key(title)


@functools.lru_cache(maxsize=1024)
def _short_key(title: str) -> str:
    return _key(title)


def _key(title: str) -> str:
    if "(" in title:
        title = _PARENTHESES.sub("", title)
    return " ".join(title.casefold().replace("-", " ").rstrip(":").split())


@attrs.define
class Part:
    """The blocks under one ``###`` heading (or under the ``##`` before the first ``###``)."""

    title: str
    line: int
    nodes: list[Node] = attrs.Factory(list)
    level: int = 2
    """The level of its heading (2 for the blocks under the ``##`` before the first ``###``)."""
    key: str = ""
    """The `pirdoc.model.NOTE_SECTIONS` key writing kept from this part belongs to."""


@attrs.define
class Section:
    """A ``##`` section: its title, line and parts (the first one untitled)."""

    title: str
    line: int
    parts: list[Part] = attrs.Factory(list)
    nodes: list[Node] = attrs.Factory(list)
    """Every block of the section after its heading, sub-headings included, in order."""


def join(value: str | None, extra: Sequence[str]) -> str | None:
    parts = [p for p in (value, *extra) if p]
    return "\n\n".join(parts) if parts else None


def label_keys(src: Source, node: Node) -> list[str]:
    return [field.key for field in src.labelled_lines(node)]


def is_caption(node: Node) -> bool:
    """pirdoc's ``*Figure: …*`` caption paragraphs."""
    if node.type != "paragraph" or not has_markup(node.children[0].content):  # no emphasis
        return False
    children = [c for c in node.children[0].children if not (c.type == "text" and not c.content.strip())]
    return len(children) == 1 and children[0].type == "em" and plain_text(children[0].children).startswith("Figure:")


_NONE_PARAGRAPHS = frozenset(
    text.casefold()
    for text in (
        "None recorded.",
        "No events recorded.",
        "No actions recorded.",
        "No approvals required.",
        "No timeline recorded.",
        "No timed events to draw.",
        "No open action items.",
        "None.",
        "N/A",
        "TBD",
    )
)


def is_none_paragraph(node: Node) -> bool:
    """pirdoc's "None recorded." (and friends) in place of an empty list or table."""
    return node.type == "paragraph" and inline_text(node).strip().casefold() in _NONE_PARAGRAPHS


def title_source(source: str) -> str:
    """An entry's title: ``**Title**`` unwrapped when the bold covers the whole line."""
    first = source.split("\n")[0].strip()
    inner = first[2:-2]
    if first.startswith("**") and first.endswith("**") and len(first) > 4 and "**" not in inner.replace("\\*", ""):
        return escape_line_start(inner.strip())
    return source.strip()


def cell_source(cell: Node) -> str:
    """A table cell's Markdown as it would be written outside the table: ``|`` escaped again
    (the table rule removes the escape), ``<br>`` as a hard break, line starts escaped."""
    content = cell.children[0].content if cell.children else ""
    parts = [escape_line_start(_escape_pipes(part.strip())) for part in content.strip().split("<br>")]
    return "\\\n".join(parts)


def _escape_pipes(text: str) -> str:
    if "|" not in text:  # most cells: nothing to escape, the text comes back as it is
        return text
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "`":
            run = len(text[index:]) - len(text[index:].lstrip("`"))
            fence = "`" * run
            close = text.find(fence, index + run)
            if close >= 0:
                out.append(text[index : close + run])
                index = close + run
                continue
            out.append(fence)
            index += run
            continue
        if char == "\\" and index + 1 < len(text):
            out.append(text[index : index + 2])
            index += 2
            continue
        out.append("\\|" if char == "|" else char)
        index += 1
    return "".join(out)



def link_url(link: Node) -> str:
    """A link's URL: its text when that is a URL (pirdoc writes ``[url](<url>)``), else its href."""
    label = plain_text(link.children).strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$", label):
        return label
    return str(link.attrs.get("href", ""))



def checklist(src: Source, node: Node) -> list[tuple[bool, str, int]] | None:
    """A ``- [ ] item`` / ``- [x] item`` list as (ticked, Markdown, line); None for other blocks."""
    if node.type != "bullet_list":
        return None
    items: list[tuple[bool, str, int]] = []
    for item in node.children:
        if not item.children or item.children[0].type != "paragraph":
            return None
        source = src.paragraph_source(item.children[0])
        match = re.match(r"^\[([ xX])\](?:[ \t]+|$)", source)
        if match is None:
            return None
        items.append((match[1] != " ", escape_line_start(source[match.end() :].strip()), src.line_of(item)))
    return items

