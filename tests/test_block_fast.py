"""The block parse's shortcuts (`pirdoc._block_fast`) make markdown-it-py's tokens, token for token."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from pirdoc import _block_fast, narrative

# Lines of the kinds a template's lists and paragraphs are made of, and of every kind that
# ends, continues or nests them: items with each marker and spacing, items whose text starts a
# block of its own, breaks, headings, indented and tabbed lines, blank lines (with spaces in),
# reference definitions and Unicode spaces.
_LINES = st.sampled_from(
    (
        "- item", "- [x] Backend API", "- [ ] Frontend", "* item", "+ item", "- two  words  ", "-  two spaces",
        "-\ttab", "-", "- ", "-item", "- - nested", "- * nested", "- 1. nested", "- 1) nested", "- 2017 was a year",
        "- 10x faster", "- # heading", "- > quote", "- ```", "- ~~~", "- ---", "- ___", "- [ref]: https://e.com",
        "- [a] b ]: c", "- <div>", "- |a|b|", "- \u00a0nbsp", "- \u2003em space", "- =", "1. one", "2) two",
        "---", "***", "- - -", "* * *", "___", "## Heading", "#Not heading", "text", "**Label:** value",
        "**Impact:**", "  indented", "  - indented item", "    code", "\tcode", " - one space", "> quote",
        "| a | b |", "|---|---|", "--|--", "===", "", "", " ", "\t", "[ref]: https://e.com", "text  ",
        "text\\", "# a #", "## a##", "### a \\#", "####### seven", "#\ttab", "# ", "#", "   ## indented", "## a ## ",
        "#5", "| a \\| b | c |", "a \\\\| b", "|:--|--:|", "| x |", "x | y", "|:-:|---|", "| a | b | c |", "|---|",
        "| - item |", "| > q |", "|", "||", "| `a|b` |",
    )
)
_DOCUMENTS = st.tuples(st.lists(_LINES, max_size=14), st.sampled_from(("", "\n", "\n\n", " ", "\n  "))).map(
    lambda parts: "\n".join(parts[0]) + parts[1]
)


def _markdown_its(*, inline: bool) -> MarkdownIt:
    """markdown-it as pirdoc configures it, every block rule as markdown-it-py has it."""
    options = {"html": False, "linkify": False, "maxNesting": narrative._PARSER_NESTING, "tasklists": False}
    parser = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    parser.disable(["html_block", "html_inline"])
    return parser if inline else parser.disable(["inline", "text_join", "normalize"])


def _tokens(parser: MarkdownIt, text: str) -> tuple[list[MutableMapping[str, Any]], dict[str, object]]:
    env: dict[str, object] = {}
    return [token.as_dict() for token in parser.parse(text, env)], env


@given(_DOCUMENTS, st.booleans())
@example("- a\n- [x] b  \n\n- c\n\nText\n", False)
@example("**Impact:**\n- Duration: 4 h\n- Data loss: No\n\n---\n\n## Timeline", False)
@example("- a\n\n---", False)
@example("- a\n\n-foo", False)
@example("- a\n\n- - -", False)
@example("- a\n\n-", False)
@example("- a\n\n-\tb", False)
@example("- a\n\n  more of a", False)
@example("- a\n\n * b", False)
@example("- a\nlazy", False)
@example("- a\n## h", False)
@example("- a\n* b", False)
@example("- a\n\n\n", False)
@example("- [ref]: https://e.com\n\n[ref]", True)
@example("- 1. one\n- 2) two", False)
@example("one line", False)
@example("one line\n   ", False)
@example("para\n\n> quoted\n>\n> more", True)
@example("\t- a\n  \tb\n\n\tcode", False)
@example("| Field | Value |\n|-------|:-----:|\n| a | b |\n| c |\n| d | e | f |\n\ntext", False)
@example("| a | b |\n|---|---|\n- item\n| c | d |", False)
@example("| a | b |\n|---|---|\n    | code |", True)
@example("- | a | b |\n  |---|---|\n  | c | d |", False)
def test_the_shortcuts_make_markdown_its_tokens(text: str, inline: bool) -> None:
    ours = narrative._parser(inline)
    assert _tokens(ours, text) == _tokens(_markdown_its(inline=inline), text)


@given(st.text(st.sampled_from(" \t\na-#>"), max_size=40))
@example("")
@example("\n")
@example("a\n  ")
@example("a\n  \n")
@example(" \t a\n\t\tb")
def test_the_line_marks_are_markdown_its(text: str) -> None:
    parser = narrative._parser(False)
    theirs = StateBlock(text, parser, {}, [])
    ours = _block_fast._State(text, parser, {}, [])
    for marks in ("bMarks", "eMarks", "tShift", "sCount", "bsCount", "lineMax"):
        assert getattr(ours, marks) == getattr(theirs, marks), marks


def _state(text: str) -> StateBlock:
    return _block_fast._State(text, narrative._parser(False), {}, [])


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("- a\n- [x] b\n", [(0, "a", 1), (1, "[x] b", 2)]),
        ("- a\n\n- b\n\ntext", [(0, "a", 2), (2, "b", 4)]),
        ("* a\n\n---", [(0, "a", 2)]),
        ("- a\n\n* b", [(0, "a", 2)]),  # another marker: another list
    ],
)
def test_plain_lists_are_read_in_one_step(text: str, items: list[tuple[int, str, int]]) -> None:
    found = _block_fast._plain_items(_state(text), 0)
    assert found is not None
    assert found[0] == items
    assert found[1] == ("\n\n- b" in text)  # loose only with a blank line between items


@pytest.mark.parametrize(
    "text",
    [
        "- a\nlazy", "- a\n  more", "- a\n\n  more", "- # h", "- - b", "- 1. b", "-  a", "-\ta", "- [r]: /u",
        "- a\n* b", "- a\n\n-",
    ],
)
def test_other_lists_go_to_markdown_it(text: str) -> None:
    assert _block_fast._plain_items(_state(text), 0) is None


@given(st.text(st.sampled_from("|\\ a"), max_size=20))
@example("a \\| b | c")
@example("a \\\\| b")
def test_table_rows_split_as_markdown_its(row: str) -> None:
    assert _block_fast.split_row(row) == _block_fast._ESCAPED_SPLIT(row)


def test_tokens_are_the_constructors_when_the_fields_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "- a\n- b\n\npara\n\n## h\n"
    fast = _tokens(narrative._parser(False), text)
    monkeypatch.setattr(_block_fast, "_DIRECT", False)
    assert _tokens(narrative._parser(False), text) == fast


def test_without_markdown_it_4_3_the_parser_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = _markdown_its(inline=False)
    rules = list(parser.block.ruler.getRules(""))
    monkeypatch.setattr(_block_fast, "_AVAILABLE", False)
    assert _block_fast.fast_parser(parser) is parser
    assert "parse" not in vars(parser.block)
    assert parser.block.ruler.getRules("") == rules
