"""Long text in the PDF: paragraphs past `CHUNK_CHARACTERS` are drawn as several paragraphs
(`_pdf_text.chunks`), which must keep every character, its formatting and its order."""

from __future__ import annotations

import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paraparser import ParaParser

from pirdoc import load
from pirdoc.api import render
from pirdoc.renderers import _pdf_text, _pdf_words
from pirdoc.renderers._fonts import MONO, SANS
from pirdoc.renderers._pdf_fonts import register_fonts
from pirdoc.renderers._pdf_styles import _themed_styles
from pirdoc.renderers._pdf_text import CHUNK_CHARACTERS, Node, ParagraphMaker, chunks, plain_text
from tests.hostile import EXAMPLE
from tests.readers import pdftotext
from tests.test_pdf_text import leaf_text, trees

_STYLES = _themed_styles()  # the default theme's styles

register_fonts(every_face=True)

_Item = tuple[tuple[tuple[str, str], ...], str]


def _items(nodes: list[Node], path: tuple[tuple[str, str], ...] = ()) -> list[_Item]:
    """Every character (and empty tag, by name) of ``nodes`` with the tags it is inside."""
    out: list[_Item] = []
    for node in nodes:
        if isinstance(node, str):
            out += [(path, char) for char in node]
        elif node[2] is None:
            out.append((path, "<" + node[0] + ">"))
        else:
            out += _items(node[2], (*path, (node[0], repr(sorted(node[1].items())))))
    return out


def _dropped(original: list[_Item], pieces: list[_Item]) -> list[str]:
    """What ``original`` holds that ``pieces`` lacks, if ``pieces`` is ``original`` with items
    left out; fails otherwise."""
    dropped, index = [], 0
    for item in original:
        if index < len(pieces) and pieces[index] == item:
            index += 1
        else:
            dropped.append(item[1])
    assert index == len(pieces), "the pieces hold something the original does not, or out of order"
    return dropped


@given(nodes=trees, size=st.integers(min_value=1, max_value=30))
def test_pieces_keep_every_character_with_its_tags_in_order(nodes: list[Node], size: int) -> None:
    pieces = chunks(nodes, size)
    assert all(len(plain_text(piece)) <= size for piece in pieces)
    joined = [item for piece in pieces for item in _items(piece)]
    dropped = _dropped(_items(nodes), joined)
    # Only a space or a line break where one piece ends and the next begins (or a space ending
    # the text, which the line breaking drops anyway).
    assert set(dropped) <= {" ", "<br>"}
    assert len(dropped) <= len(pieces) - 1 + plain_text(nodes).endswith(" ")


@given(words=st.lists(st.text(alphabet="abcdé漢", min_size=1, max_size=8), min_size=1, max_size=60),
       size=st.integers(min_value=10, max_value=40))
def test_text_of_words_is_cut_only_between_words(words: list[str], size: int) -> None:
    nodes: list[Node] = [("font", {"face": "DejaVuSans"}, [" ".join(words)])]
    pieces = chunks(nodes, size)
    assert [word for piece in pieces for word in plain_text(piece).split()] == words


def test_short_text_is_one_piece_unchanged() -> None:
    nodes: list[Node] = ["a" * CHUNK_CHARACTERS]
    assert chunks(nodes) == [nodes]


def test_a_piece_ends_after_a_sentence_when_one_ends_in_its_second_half() -> None:
    text = "One two three four. Five six seven eight"
    assert [plain_text(piece) for piece in chunks([text], 30)] == ["One two three four.", "Five six seven eight"]


def _with_narrative(text: str) -> Any:
    review = load(EXAMPLE)
    return attrs.evolve(review, root_cause=attrs.evolve(review.root_cause, what_happened=text))


def test_a_long_field_of_words_reads_the_same_in_the_pdf() -> None:
    words = [f"w{index}" for index in range(40_000)]  # 268,890 characters: 68 pieces
    text = pdftotext(render(_with_narrative(" ".join(words)), "pdf"))
    assert re.findall(r"\bw\d+\b", text) == words * 2  # in reading order, then in drawing order


def test_a_long_run_without_spaces_keeps_every_character_in_order() -> None:
    run = "".join(f"{index:06d}" for index in range(20_000))  # 120,000 digits, no space
    reading = pdftotext(render(_with_narrative(run), "pdf"))
    assert "".join(line for line in reading.splitlines() if re.fullmatch(r"\d{8,}", line)) == run * 2


def test_a_long_table_cell_reads_the_same_in_the_pdf() -> None:
    words = [f"c{index}" for index in range(20_000)]
    table = "| Host | Log |\n|---|---|\n| db-1 | " + " ".join(words) + " |\n"
    text = pdftotext(render(_with_narrative(table), "pdf"))
    assert re.findall(r"\bc\d+\b", text) == words * 2


@given(text=st.text(alphabet="xyW0.漢", min_size=1, max_size=120), line_width=st.floats(0, 100),
       max_widths=st.lists(st.floats(3, 150), min_size=1, max_size=4), lineno=st.integers(0, 5),
       face=st.sampled_from([SANS, MONO]))
def test_a_word_is_cut_at_the_margin_exactly_as_reportlab_cuts_it(
    text: str, line_width: float, max_widths: list[float], lineno: int, face: str
) -> None:
    ours = _pdf_words._split_at_margin(text, _pdf_words._char_widths(text, face, 9.5), line_width, max_widths, lineno)
    theirs = _pdf_words._ORIGINAL_SPLIT_WORD(text, line_width, max_widths, lineno, face, 9.5)
    assert [(type(piece), str(piece)) for piece in ours] == [(type(piece), str(piece)) for piece in theirs]


@pytest.mark.parametrize("style", [_STYLES.body, _STYLES.header_cell, _STYLES.code], ids=lambda s: s.name)
@given(texts=st.lists(leaf_text, max_size=4))
def test_text_without_tags_gets_the_fragments_the_parser_makes(style: ParagraphStyle, texts: list[str]) -> None:
    maker = ParagraphMaker()
    maker(["warm"], style)  # the style's fragment is made once, then copied: prove the copies
    ours = maker(list(texts), style, bullet="•")
    _, theirs, _ = ParaParser().tt_parse(("para", {}, list(texts or [""])), style)
    # the parser makes one fragment per text, all alike but for the text; ours is one with all of
    # it, unless joining would change how the words split (`_joinable`)
    alike = [{**vars(frag), "text": None} for frag in theirs]
    assert all(frag == alike[0] for frag in alike)
    if _pdf_text._joinable(texts):
        assert [vars(frag) for frag in ours.frags] == [{**alike[0], "text": "".join(texts)}]
    else:
        assert [vars(frag) for frag in ours.frags] == [vars(frag) for frag in theirs]
    assert ours.style is style
