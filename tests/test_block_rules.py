"""The narrative parser's shortcuts (gated block rules, rules left out per text) read every text
as markdown-it's own parser does."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pirdoc import narrative

# Line pieces that start, end or interrupt every kind of block, at every indentation: list
# markers that are also thematic breaks, setext underlines under text and under blank lines,
# tables with and without delimiter rows, indented code, quotes, fences, headings, references.
_PIECES = st.sampled_from(
    (
        "word", "two words", " ", "  ", "   ", "    ", "\t", "\n", "\n\n", "- ", "* ", "+ ", "1. ", "2) ", "10. ",
        "-", "*", "_", "---", "***", "___", "- - -", "===", "=", "--", "> ", ">", "# ", "## ", "#", "####### ",
        "```", "~~~", "``", "[ref]: https://e.com", "[ref]", "]:", "|", "| a | b |", "|---|---|", "---|---",
        ":--", "-:", "| - |", "a | b", "\\", "<div>", "é",
    )
)
_TEXTS = st.lists(_PIECES, max_size=40).map("".join)


def _markdown_its() -> MarkdownIt:
    """markdown-it as pirdoc configures it, with every block rule as markdown-it-py has it."""
    options = {"html": False, "linkify": False, "maxNesting": narrative._PARSER_NESTING}
    return MarkdownIt("commonmark", options).enable(["table", "strikethrough"]).disable(["html_block", "html_inline"])


@given(_TEXTS)
@example("Title\n===\n\ntext\n---")
@example("> quoted\n> ---")
@example("- item\n  continued\n  ===")
@example("a | b\n--|--\nc | d")
@example("para\n    not code\n- - -\n1. one\n2) two")
@example("text\n\n---\n\n***\n\n- ---")
@example("Title\r===")
def test_the_narrative_parser_makes_markdown_its_tokens(text: str) -> None:
    theirs_env: dict[str, object] = {}
    ours_env: dict[str, object] = {}
    theirs = _markdown_its().parse(text, theirs_env)
    ours = narrative.parser_for(text).parse(text, ours_env)
    assert [token.as_dict() for token in ours] == [token.as_dict() for token in theirs]
    assert ours_env == theirs_env


@pytest.mark.parametrize(
    ("text", "underlines"),
    [
        ("Title\n===", True),
        ("Title\n---", True),
        ("> Title\n> ---", True),
        ("- item\n  ===  ", True),
        ("\n---\nTitle", False),  # nothing above it
        ("text\n\n---", False),  # a blank line above it: a thematic break
        ("text\n \t\n===", False),
        ("text\n- - -", False),  # spaced: only a break
        ("text\n--- x", False),
        ("| a |\n|---|", False),
        ("---\ntext", False),
        ("Title\r\n===\r\n", True),  # unsanitized: markdown-it reads a carriage return as a line end
    ],
)
def test_the_setext_rule_is_left_out_only_where_nothing_can_be_underlined(text: str, underlines: bool) -> None:
    assert narrative._may_underline(text) is underlines
    rules = narrative.parser_for(text).get_active_rules()["block"]
    assert ("lheading" in rules) is underlines
