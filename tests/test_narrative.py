"""Narrative Markdown becomes Document nodes once, safely."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pirdoc import document as d
from pirdoc.document import is_safe_link
from pirdoc.errors import PirdocWarning
from pirdoc.narrative import parse_blocks, parse_inlines, sanitize
from tests.cycles import cyclic_garbage, kinds


def test_raw_html_stays_literal_text() -> None:
    blocks = parse_blocks("Press <b>Enter</b> then <script>alert(1)</script>")
    assert blocks == (d.Paragraph(children=(d.Text(text="Press <b>Enter</b> then <script>alert(1)</script>"),)),)


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_unsafe_link_targets_stay_plain_text(target: str) -> None:
    inlines = parse_inlines(f"[click me]({target})")
    assert not any(isinstance(node, d.Link) for node in inlines)
    assert "click me" in d.plain_text(inlines)


@pytest.mark.parametrize(
    "target", ["https://status.example.com", "http://example.com/a?b=c", "mailto:oncall@example.com", "#timeline"]
)
def test_safe_link_targets_become_links(target: str) -> None:
    (link,) = parse_inlines(f"[here]({target})")
    assert link == d.Link(target=target, children=(d.Text(text="here"),))


def test_tables_strikethrough_and_task_lists_are_recognised() -> None:
    blocks = parse_blocks("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n- [ ] open\n")
    table, paragraph, checklist = blocks
    assert isinstance(table, d.Table)
    assert table.header == ((d.Text(text="a"),), (d.Text(text="b"),))
    assert table.rows == (((d.Text(text="1"),), (d.Text(text="2"),)),)
    assert paragraph == d.Paragraph(children=(d.Strikethrough(children=(d.Text(text="gone"),)),))
    assert checklist == d.Checklist(
        items=(
            d.ChecklistItem(checked=True, children=(d.Text(text="done"),)),
            d.ChecklistItem(checked=False, children=(d.Text(text="open"),)),
        ),
        role="narrative",
    )


def test_tight_and_loose_lists_are_told_apart() -> None:
    (tight,) = parse_blocks("- a\n- b\n")
    (loose,) = parse_blocks("- a\n\n- b\n")
    assert isinstance(tight, d.BulletList)
    assert isinstance(loose, d.BulletList)
    assert tight.tight
    assert not loose.tight


def test_ordered_list_keeps_its_start_and_code_keeps_its_language() -> None:
    ordered, code = parse_blocks("3. three\n4. four\n\n```sql\nSELECT 1;\n```\n")
    assert isinstance(ordered, d.OrderedList)
    assert ordered.start == 3
    assert code == d.CodeBlock(text="SELECT 1;", language="sql")


def test_control_characters_are_removed_with_a_warning() -> None:
    with pytest.warns(PirdocWarning, match="removed 2"):
        assert sanitize("a\x00b\x1bc\td\ne") == "abc\td\ne"


@given(st.text(st.characters(max_codepoint=0x7F), max_size=30))
@example("plain\ttext\nlines")
@example("a\x0bb\x7f")
@example("\x1f")
def test_ascii_text_loses_exactly_its_control_characters(text: str) -> None:
    expected = "".join(c for c in text.replace("\r\n", "\n").replace("\r", "\n") if c in "\t\n" or c >= " ")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert sanitize(text) == expected
    assert bool(caught) == (expected != text.replace("\r\n", "\n").replace("\r", "\n"))


def test_lone_surrogates_are_removed_with_a_warning() -> None:
    with pytest.warns(PirdocWarning):
        assert parse_inlines("x\ud800y") == (d.Text(text="xy"),)


def test_windows_line_endings_are_normalised_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sanitize("a\r\nb\rc") == "a\nb\nc"


def test_anchor_links_need_a_name() -> None:
    assert is_safe_link("#timeline")
    assert not is_safe_link("#")
    assert not is_safe_link("https://exa mple.com")


@given(st.text())
def test_any_text_parses_without_error_and_without_uncarriable_characters(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PirdocWarning)
        blocks = parse_blocks(text)
    for block in d.iter_blocks(blocks):
        if isinstance(block, d.Paragraph):
            shown = d.plain_text(block.children)
            assert not any(ord(c) < 32 and c not in "\t\n" for c in shown)


_PIECES = st.sampled_from(
    (
        "word", " ", "\n", "\n\n", "- ", "  - ", "1. ", "3) ", "> ", "# ", "Title\n===\n", "---\n",
        "| a | b |\n|---|---|\n| c | d |\n", "- [ ] task", "- [x] done", "*", "**", "_", "~~", "`",
        "[", "]", "(", ")", "[ref]", "[ref]: http://example.com\n", "<http://example.com>", "[x](https://e.com)",
        "\\", "&amp;", "![alt](https://e.com/x.png)", "```py\n", "```\n", "    ", "\t", "é", "  \n", "<b>",
    )
)


@given(st.lists(st.lists(_PIECES, max_size=14).map("".join), max_size=6).map("\n\n".join))
def test_the_converters_read_the_same_blocks_from_our_tree_as_from_markdown_its(text: str) -> None:
    from typing import Any

    from markdown_it.tree import SyntaxTreeNode

    from pirdoc import narrative

    tokens = narrative._parser().parse(text)
    theirs: Any = SyntaxTreeNode(tokens).children  # the same attributes, read by duck typing
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PirdocWarning)
        assert tuple(narrative._blocks(narrative._tree(tokens))) == tuple(narrative._blocks(theirs))


_MARKER_PIECES = st.sampled_from(
    ("word", " ", "\n", "- ", "> ", ">", "```\n", "~~~\n", "``", "~~", "[ref]: http://e.com\n", "]:", "]", ":",
     "[ref]", "    ", "# ", "---\n", "| a |\n|---|\n")
)


@given(st.lists(_MARKER_PIECES, max_size=30).map("".join))
@example(">a quote without a space")
@example("- item\n  ~~~\n  fenced in the item\n  ~~~")
@example("[a\nlabel over lines]:\n  https://e.com")
def test_a_parser_without_the_rules_a_text_cannot_use_reads_it_as_the_whole_parser_does(text: str) -> None:
    from pirdoc import narrative

    whole_env: dict[str, object] = {}
    ours_env: dict[str, object] = {}
    whole = narrative._parser().parse(text, whole_env)
    ours = narrative.parser_for(text).parse(text, ours_env)
    assert [token.as_dict() for token in ours] == [token.as_dict() for token in whole]
    assert ours_env == whole_env


@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        ("Plain words, a [link](https://e.com) and - a list", {"fence", "blockquote", "reference", "lheading"}),
        ("> a quote", {"fence", "reference", "lheading"}),
        ("```\ncode\n```", {"blockquote", "reference", "lheading"}),
        ("~~~\ncode\n~~~", {"blockquote", "reference", "lheading"}),
        ("[ref]: https://e.com", {"fence", "blockquote", "lheading"}),
        ("A setext\n===\n\n> quoted", {"fence", "reference"}),
    ],
)
def test_the_parser_for_a_text_leaves_out_only_rules_whose_markers_it_lacks(text: str, left_out: set[str]) -> None:
    from pirdoc import narrative

    every = set(narrative._parser().get_active_rules()["block"])
    assert every - set(narrative.parser_for(text).get_active_rules()["block"]) == left_out


def test_a_parsed_field_leaves_no_reference_cycles_behind() -> None:
    text = "\n\n".join(
        [
            "Intro with **bold**, `code`, [a link](https://example.com) and ~~gone~~.",
            "- one\n  - nested [x](https://e.com)\n- two",
            "> quoted\n> > deeper",
            "| a | b |\n|---|---|\n| *c* | d |",
            "```\ncode\n```",
            "1. first\n2. second",
        ]
    )
    cyclic = cyclic_garbage(lambda: parse_blocks(text))
    assert not cyclic, f"{len(cyclic)} objects in reference cycles: {kinds(cyclic)}"
