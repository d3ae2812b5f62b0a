"""The hostile review: the example with every text field replaced by a string that breaks naive
renderers, plus a 10,000-character paragraph, a 500-row table and links whose targets a reader
would run (``javascript:``, ``data:``, ``vbscript:``).

Plain-text fields get the hostile string itself. Markdown fields get the string escaped as
Markdown (`escape_text`), which is how an author writes "show exactly this text" in a narrative
field; either way a reader must show the hostile string literally. `expected_strings(review)` gives
(field path, string a reader must show) for every text field. C0 control characters are removed at
the narrative boundary (with a warning), so the string a reader must show is the one without them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from pirdoc import model as m
from pirdoc.renderers._markdown import escape_text
from pirdoc.serde import load
from tests.strategies import text_fields

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"

HOSTILE: tuple[str, ...] = (
    "a<b && c>d",
    "AT&T <script>alert(1)</script>",
    '<w:t xml:space="preserve">injected</w:t>',
    "<para>bold</para> <b>not bold</b>",
    '<ac:structured-macro ac:name="toc"/>',
    "]]> end of CDATA ]]]]>",
    "&nbsp; &amp; &lt; &#x41;",
    "pipe | in | cell \\ backslash `tick` ``double``",
    "# not a heading",
    "1. not a list",
    "- not a bullet",
    "*not emphasis* _nor this_ ~~nor this~~",
    "[not a link](javascript:alert(1))",
    "Zero\u200bwidth and \u202eright-to-left override",
    "שלום עולם مرحبا بالعالم",
    "Ελληνικά Кириллица",
    "日本語のテキスト 中文 한국어",
    "emoji 🔥🚒 flags 🇺🇦",
    "Q" * 1000,
    "bell\x07 escape\x1b nul\x00 end",
)

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f]")

# Bidi controls and invisible format characters: shown as "[U+XXXX]" by layout (issue 16), so
# that no format hides or reorders text around them. Written out here, not taken from pirdoc.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def show_invisible(text: str) -> str:
    """``text`` with each bidi control or invisible format character as ``[U+XXXX]``."""
    return INVISIBLE.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


CARRIABLE: tuple[str, ...] = tuple(text for text in HOSTILE if not _CONTROLS.search(text))
"""The hostile strings that a hand-built Document can hold (layout removes C0 controls)."""

LINK_TARGETS: tuple[str, ...] = (
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    'https://status.example.com/incidents/42?q=<script>&x="y"',
)
"""URLs of the hostile review's extra links: only the last may become a live link."""

LONG_PARAGRAPH = " ".join(f"word{i:05d}" for i in range(1000))[:10_000]


def _replace_texts(value: Any, strings: Iterator[str]) -> Any:
    if isinstance(value, tuple):
        return tuple(_replace_texts(v, strings) for v in value)
    if not attrs.has(type(value)):
        return value
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        current = getattr(value, field.name)
        markdown = m.is_markdown(field)
        if isinstance(current, str):
            changes[field.name] = _hostile_value(next(strings), markdown)
        elif isinstance(current, tuple) and current and all(isinstance(v, str) for v in current):
            changes[field.name] = tuple(_hostile_value(next(strings), markdown) for _ in current)
        elif current is None and field.type == "str | None":
            changes[field.name] = _hostile_value(next(strings), markdown)
        else:
            changes[field.name] = _replace_texts(current, strings)
    return attrs.evolve(value, **changes)


def _hostile_value(text: str, markdown: bool) -> str:
    return escape_text(text) if markdown else text


def _cycle() -> Iterator[str]:
    while True:
        yield from HOSTILE


def hostile_review(*, rows: int = 500) -> m.Review:
    """The example with hostile text everywhere, a 10,000-character paragraph and ``rows`` action items."""
    review: m.Review = _replace_texts(load(EXAMPLE), _cycle())
    assert review.review_date is not None
    items = tuple(
        m.ActionItem(
            id=f"AI-{100 + i}",
            action=escape_text(HOSTILE[i % len(HOSTILE)]),
            horizon=m.Horizon.LONG_TERM,
            owner=m.Person(name=HOSTILE[(i + 3) % len(HOSTILE)]),
            due=review.review_date + dt.timedelta(days=60),
        )
        for i in range(rows)
    )
    root_cause = attrs.evolve(review.root_cause, what_happened=LONG_PARAGRAPH)
    links = review.attachments.links
    extra = tuple(m.NamedLink(label=f"Link {i + 1}", url=url) for i, url in enumerate(LINK_TARGETS))
    attachments = attrs.evolve(review.attachments, links=attrs.evolve(links, other=links.other + extra))
    return attrs.evolve(
        review, action_items=review.action_items + items, root_cause=root_cause, attachments=attachments
    )


def expected_strings(review: m.Review) -> list[tuple[str, str]]:
    """(path, text a reader shows) for every text value: Markdown fields unescaped, C0 control
    characters (but tab and newline) removed, bidi and invisible controls as ``[U+XXXX]``."""
    return [
        (found.path, show_invisible(_CONTROLS.sub("", _shown(found.text, found.field))))
        for found in text_fields(review)
    ]


def _shown(text: str, field: attrs.Attribute[Any]) -> str:
    return _UNESCAPED.get(text, text) if m.is_markdown(field) else text


_UNESCAPED = {escape_text(text): text for text in HOSTILE}
