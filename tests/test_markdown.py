"""The Markdown renderer mirrors the template and escapes everything, read back by CommonMark readers."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from markdown_it import MarkdownIt

from pirdoc import document as d
from pirdoc import model as m
from pirdoc.api import render, render_document
from pirdoc.errors import PirdocWarning
from pirdoc.renderers._markdown import code_span, escape_text
from pirdoc.serde import load
from tests.documents import every_node_document
from tests.hostile import CARRIABLE, expected_strings, hostile_review
from tests.strategies import reviews
from tests.test_layout import CONTROL_SECTIONS, CONTROL_SUBSECTIONS, TEMPLATE_SECTIONS, TEMPLATE_SUBSECTIONS
from tests.tools import require_tool

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"


def strict_reader() -> MarkdownIt:
    """A GFM-like reader with raw HTML *on*, so unescaped markup would show up as tags."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class _TextAndTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "br":
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(markdown: str) -> _TextAndTags:
    parser = _TextAndTags()
    parser.feed(strict_reader().render(markdown))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def example_markdown() -> str:
    return render(load(EXAMPLE), "markdown").decode("utf-8")


def test_headings_follow_the_template_in_order(example_markdown: str) -> None:
    tokens = strict_reader().parse(example_markdown)
    found = [(tokens[i].tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert found[0] == ("h1", "Post-Incident Review: Checkout failures after connection-pool change")
    assert [text for tag, text in found if tag == "h2"] == CONTROL_SECTIONS + TEMPLATE_SECTIONS
    assert [text for tag, text in found if tag == "h3"] == CONTROL_SUBSECTIONS + TEMPLATE_SUBSECTIONS


def test_every_table_row_has_as_many_cells_as_its_header(example_markdown: str) -> None:
    tokens = strict_reader().parse(example_markdown)
    tables = 0
    width: int | None = None
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            tables, width = tables + 1, None
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            width = cells if width is None else width
            assert cells == width
    # revision history, basic information, three action-item tables, two metrics tables, approvals
    assert tables == 8


def test_template_structures_are_mirrored(example_markdown: str) -> None:
    assert "**Incident ID:** INC-2026-0142  \n" in example_markdown
    assert "| ID | Action | Owner | Due Date | Status |" in example_markdown
    assert "- [x] Backend API" in example_markdown
    assert "- [ ] Redis Cache" in example_markdown
    assert "**13:41 UTC** - Initial Detection" in example_markdown.replace("\\-", "-")
    assert "| Time to Detect | \\< 5 minutes | 3 minutes | Yes |" in example_markdown


def test_pandoc_reads_the_template_headings_in_order(example_markdown: str) -> None:
    pandoc = require_tool("pandoc", "pandoc")
    result = subprocess.run(
        [pandoc, "-f", "gfm", "-t", "json"], input=example_markdown, capture_output=True, text=True, check=True
    )
    ast = json.loads(result.stdout)

    def stringify(inlines: list[Any]) -> str:
        out = []
        for node in inlines:
            if node["t"] == "Str":
                out.append(node["c"])
            elif node["t"] == "Space":
                out.append(" ")
            elif node["t"] in ("Strong", "Emph", "Strikeout"):
                out.append(stringify(node["c"]))
        return "".join(out)

    headers = [(b["c"][0], stringify(b["c"][2])) for b in ast["blocks"] if b["t"] == "Header"]
    assert [text for level, text in headers if level == 2] == CONTROL_SECTIONS + TEMPLATE_SECTIONS
    assert [text for level, text in headers if level == 3] == CONTROL_SUBSECTIONS + TEMPLATE_SUBSECTIONS
    tables = [b for b in ast["blocks"] if b["t"] == "Table"]
    assert len(tables) == 8


def test_hostile_strings_read_back_literally() -> None:
    review = hostile_review(rows=30)
    with pytest.warns(PirdocWarning, match="removed"):  # the control characters, at the boundary
        reading = read_html(render(review, "markdown", allow_problems=True).decode("utf-8"))
    shown = "".join(reading.text)
    flat = re.sub(r"\s+", " ", shown)
    for path, text in expected_strings(review):
        if path.endswith(("email", "confluence_account_id", "confluence_userkey")) or ".role" in path:
            continue  # contact details live in link definitions, not in the text
        assert re.sub(r"\s+", " ", text) in flat, f"markdown: {path} missing"
    assert not [tag for tag, _ in reading.tags if tag in ("script", "b", "para", "w:t", "ac:structured-macro")]


def test_no_active_link_in_hostile_output() -> None:
    with pytest.warns(PirdocWarning, match="removed"):
        reading = read_html(render(hostile_review(rows=5), "markdown").decode("utf-8"))
    hrefs = [value or "" for tag, attrs in reading.tags if tag == "a" for name, value in attrs if name == "href"]
    assert hrefs
    assert all(re.match(r"^(https?:|mailto:|#|$)", href) for href in hrefs), hrefs


def test_contact_details_are_kept_in_link_definitions(example_markdown: str) -> None:
    assert (
        '[person-1]: <mailto:amara.okafor@larkspur.example> "role=Incident Commander; '
        'email=amara.okafor@larkspur.example; confluence-account-id=712020:4b1c9e2a-7d3f-4c55-9a1e-2f6b8d0c3e71"'
    ) in example_markdown
    assert "| Incident Commander | [Amara Okafor][person-1] |" in example_markdown


@pytest.mark.parametrize("text", CARRIABLE)
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    html = read_html(escape_text(text))
    assert "".join(html.text).strip() == text.strip()


@pytest.mark.parametrize("text", ["a`b", "``", "`start", "end`", " padded ", "plain"])
def test_code_spans_hold_any_backticks(text: str) -> None:
    tokens = strict_reader().parseInline(code_span(text))
    (code,) = [t for t in tokens[0].children or [] if t.type == "code_inline"]
    assert code.content == text


def test_pipes_and_line_breaks_in_cells_stay_in_their_cell() -> None:
    table = d.Table(
        header=((d.Text(text="A|B"),), (d.Text(text="C"),)),
        rows=(((d.Text(text="x|y"), d.LineBreak(), d.Code(text="p|q")), (d.Text(text="line1\nline2"),)),),
    )
    meta = every_node_document().meta
    out = render_document(d.Document(meta=meta, blocks=(table,)), "markdown").decode()
    reading = read_html(out)
    assert "A|B" in "".join(reading.text)
    assert [tag for tag, _ in reading.tags].count("td") == 2


def test_every_node_type_renders() -> None:
    out = render_document(every_node_document(), "markdown").decode()
    assert "- [x] Backend API" in out
    assert "```sql" in out
    assert "> **Data loss**" in out
    assert "*Figure: Timeline from 13:45 to 14:32 UTC*" in out
    assert "~~struck~~" in out
    assert "[Back to the timeline](<#timeline>)" in out
    assert "3. nested three" in out


def test_output_is_deterministic() -> None:
    review = load(EXAMPLE)
    assert render(review, "markdown") == render(review, "markdown", profile="full")


@settings(max_examples=60, deadline=None)
@given(reviews())
def test_generated_reviews_render_to_readable_markdown(review: m.Review) -> None:
    for profile in ("full", "executive"):
        out = render(review, "markdown", profile=profile, allow_problems=True).decode("utf-8")
        tokens = strict_reader().parse(out)
        assert tokens[0].type == "heading_open"
        assert not [t for t in tokens if t.type in ("html_block", "html_inline") and "<br>" not in t.content]
