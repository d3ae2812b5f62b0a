"""Characters that would make the formats disagree (issue 16): bidi controls and invisible format
characters are shown as ``[U+XXXX]`` in every format, with a warning naming the field; a script
no bundled PDF font draws is named, with its field, when the PDF is rendered. Every format is
read back by a reader pirdoc did not write (markdown-it-py, python-docx, pdftotext, a strict XML
parser)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pirdoc
from pirdoc import document as d
from pirdoc import model as m
from pirdoc.errors import PirdocWarning
from pirdoc.layout import layout
from tests.hostile import INVISIBLE, show_invisible
from tests.readers import confluence_reading, docx_reading, markdown_reading, pdftotext

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE_FORMAT = "\u200b\u2060\ufeff\u00ad\u2062\U000e0041"

SPOOFED_TITLE = "Invoice \u202egnp.exe\u202c for \u2066ACME\u2069 zero\u200bwidth"
"""A title that reads "Invoice exe.png …" where the override is obeyed."""
SHOWN_TITLE = "Invoice [U+202E]gnp.exe[U+202C] for [U+2066]ACME[U+2069] zero[U+200B]width"


@pytest.fixture(scope="module")
def example() -> m.Review:
    return pirdoc.load(EXAMPLE)


def spoofed(review: m.Review) -> m.Review:
    first = attrs.evolve(review.timeline[0], title=SPOOFED_TITLE)
    return attrs.evolve(review, title=SPOOFED_TITLE, timeline=(first, *review.timeline[1:]))


def quiet_render(review: m.Review, fmt: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PirdocWarning)
        return pirdoc.render(review, fmt)


# ---------------------------------------------------------------------------- bidi, invisible


def test_the_expected_form_is_the_documented_one() -> None:
    assert show_invisible(SPOOFED_TITLE) == SHOWN_TITLE
    assert all(INVISIBLE.fullmatch(c) for c in BIDI_CONTROLS + INVISIBLE_FORMAT)
    assert not any(INVISIBLE.search(c) for c in "\u200c\u200d\u0600 aé")  # joiners, Arabic sign


@pytest.mark.parametrize(
    ("fmt", "read"),
    [
        ("markdown", markdown_reading),
        ("docx", docx_reading),
        ("pdf", pdftotext),
        ("confluence", lambda data: confluence_reading(data)[0]),
    ],
)
def test_bidi_controls_read_the_same_in_every_format(example: m.Review, fmt: str, read: object) -> None:
    shown = read(quiet_render(spoofed(example), fmt))  # type: ignore[operator]
    flat = " ".join(shown.split())
    assert SHOWN_TITLE in flat, f"{fmt}: the title is not shown as [U+…] text"
    assert INVISIBLE.search(shown) is None, f"{fmt}: a bidi or invisible character reached the reader"
    assert "exe.png" not in flat


def test_each_field_warns_naming_itself(example: m.Review) -> None:
    with pytest.warns(PirdocWarning) as caught:
        layout(spoofed(example), "full")
    messages = [str(w.message) for w in caught]
    assert any(message.startswith("title: ") and "U+202E RIGHT-TO-LEFT OVERRIDE" in message for message in messages)
    assert any(message.startswith("timeline[0].title: ") for message in messages)
    assert len([message for message in messages if "timeline[0].title" in message]) == 1


def test_joiners_and_ordinary_text_pass_unchanged(example: m.Review) -> None:
    persian = "می\u200cخواهم"  # a zero-width non-joiner inside a Persian word
    review = attrs.evolve(example, title=f"Family 👩\u200d💻 {persian}")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PirdocWarning)
        document = layout(review, "full")
    assert document.meta.title == f"Family 👩\u200d💻 {persian}"


def _document_texts(document: d.Document) -> list[str]:
    texts = [document.meta.title]
    for block in d.iter_blocks(document.blocks):
        match block:
            case d.Paragraph(children=children) | d.Heading(children=children):
                texts.append(d.plain_text(children))
            case d.Table(header=header, rows=rows):
                texts += [d.plain_text(cell) for row in (header, *rows) for cell in row]
            case d.Checklist(items=items):
                texts += [d.plain_text(item.children) for item in items]
            case d.Figure(caption=caption):
                texts.append(caption)
            case _:
                pass
    return texts


@given(
    words=st.lists(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1), min_size=1),
    controls=st.lists(st.sampled_from(BIDI_CONTROLS + INVISIBLE_FORMAT), min_size=1),
)
def test_no_control_survives_layout_and_each_is_shown(words: list[str], controls: list[str]) -> None:
    pieces = [piece for pair in zip(words, controls, strict=False) for piece in pair]
    title = "".join(pieces) or "x"
    review = pirdoc.load(EXAMPLE)
    review = attrs.evolve(review, title=title, action_items=(attrs.evolve(review.action_items[0], action=title),))
    with pytest.warns(PirdocWarning, match=r"^(title|action_items\[0\]\.action): shown"):
        document = layout(review, "full")
    assert document.meta.title == show_invisible(title)
    texts = _document_texts(document)
    assert not [text for text in texts if INVISIBLE.search(text)]
    assert any(show_invisible(title) in text for text in texts[1:])  # the action item's cell


# ---------------------------------------------------------------------------- missing glyphs


def test_the_pdf_warns_with_field_and_script_it_cannot_draw(example: m.Review) -> None:
    devanagari = "डेटाबेस विफल"
    thai = "ฐานข้อมูลล่ม"
    review = attrs.evolve(
        example,
        timeline=(example.timeline[0], attrs.evolve(example.timeline[1], title=devanagari), *example.timeline[2:]),
        action_items=(attrs.evolve(example.action_items[0], action=f"Restore {thai}"), *example.action_items[1:]),
        summary=attrs.evolve(example.summary, one_line="Русский, 中文, العربية, עברית: drawn"),
    )
    with pytest.warns(PirdocWarning) as caught:
        data = pirdoc.render(review, "pdf")
    messages = [str(w.message) for w in caught if str(w.message).startswith("pdf: ")]
    assert any(re.match(r"pdf: timeline\[1\]\.title: .*Devanagari", message) for message in messages)
    assert any(re.match(r"pdf: action_items\[0\]\.action: .*Thai", message) for message in messages)
    assert not [message for message in messages if "summary" in message], "scripts the fonts draw are not named"
    assert "中文" in pdftotext(data)


def test_formats_with_reader_fonts_do_not_warn_about_scripts(example: m.Review) -> None:
    review = attrs.evolve(example, title="डेटाबेस विफल")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PirdocWarning)
        for fmt in ("markdown", "docx", "confluence"):
            pirdoc.render(review, fmt)


def test_layout_records_the_scripts_of_each_field(example: m.Review) -> None:
    review = attrs.evolve(example, title="Ausfall – データベース и база")
    uses = {(u.field, u.script) for u in layout(review, "full").meta.scripts}
    assert {("title", "Katakana"), ("title", "Cyrillic")} <= uses
    assert not [u for u in uses if u[0] == "title" and u[1] == "Latin"]
