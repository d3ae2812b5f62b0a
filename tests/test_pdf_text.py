"""The PDF renderer's paragraph trees (`_pdf_text`) against reportlab's own markup parser, and
the one-pass build's page numbers against where things really are."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from pirdoc import document as d
from pirdoc import load
from pirdoc.layout import layout
from pirdoc.renderers import _fonts
from pirdoc.renderers._fonts import MONO, SANS, SANS_BOLD, SANS_ITALIC
from pirdoc.renderers._pdf import PdfRenderer
from pirdoc.renderers._pdf_fonts import register_fonts
from pirdoc.renderers._pdf_page import _MEASURE
from pirdoc.renderers._pdf_styles import _themed_styles
from pirdoc.renderers._pdf_text import Node, Para, ParagraphMaker, font, plain_text, runs, to_markup
from tests.documents import REAL_WORLD, hostile_document, meta, pdf_both_ways, sample_document
from tests.hostile import EXAMPLE
from tests.tools import require_tool

_STYLES = _themed_styles()  # the default theme's styles

register_fonts(every_face=True)

FACES = (SANS, SANS_BOLD, SANS_ITALIC, MONO)

# Text as layout hands it over: markup characters, entities, CJK, emoji, right-to-left letters,
# no-break and other spaces; white space collapsed as `runs` does.
leaf_text = st.text(
    alphabet=st.sampled_from(list("ab <>&;\"'=/ \u00a0\u2003xé漢字😀עبAT&T&amp;]]>")), min_size=1, max_size=12
).map(lambda text: re.sub(r"[^\S\u00a0]+", " ", text))


def _wrapped(children: list[Node], kind: str) -> list[Node]:
    match kind:
        case "strike":
            return [("strike", {}, children)]
        case "link":
            return [("a", {"href": "https://example.com/?a=1&b=<2>", "color": "#1a5fb4"}, [("u", {}, children)])]
        case "badge":
            return [font(children, backColor="#eef1f4", color="#ffffff")]
        case "colour":
            return [font(children, color="#616e7c")]
        case _:
            return [font(children, face=kind)]


def _trees(children: st.SearchStrategy[list[Node]]) -> st.SearchStrategy[list[Node]]:
    kinds = st.sampled_from(["strike", "link", "badge", "colour", *FACES])
    tagged = st.builds(_wrapped, children, kinds)
    return st.lists(tagged, min_size=1, max_size=3).map(lambda parts: [node for part in parts for node in part])


_EMPTY_TAGS: list[list[Node]] = [
    [("br", {}, None)],
    [("a", {"name": "section-2"}, None)],  # a heading's anchor
]
trees: st.SearchStrategy[list[Node]] = st.recursive(
    st.one_of(st.builds(runs, leaf_text, st.sampled_from(FACES)), st.sampled_from(_EMPTY_TAGS)),
    _trees,
    max_leaves=8,
)

# The parser's own bookkeeping: which tag opened the fragment (nothing outside the parser reads
# it), and the text, compared separately.
_IGNORED = {"text", "_selfClosingTag", "__tag__"}


def _value(value: Any) -> str:
    if hasattr(value, "__dict__"):  # an anchor's definition (reportlab's ABag)
        return repr(sorted(vars(value).items()))
    return repr(value)


def _frag_key(frag: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, _value(value)) for name, value in vars(frag).items() if name not in _IGNORED))


def _merged(frags: list[Any]) -> list[tuple[tuple[tuple[str, str], ...], str]]:
    """Fragments as (attributes, text), adjacent ones with the same attributes joined: the
    markup parser cuts text at every entity (``&amp;``), the tree never does."""
    merged: list[tuple[tuple[tuple[str, str], ...], str]] = []
    for frag in frags:
        key, text = _frag_key(frag), getattr(frag, "text", "")
        if merged and merged[-1][0] == key and not hasattr(frag, "cbDefn") and not hasattr(frag, "lineBreak"):
            merged[-1] = (key, merged[-1][1] + text)
        else:
            merged.append((key, text))
    return merged


@pytest.mark.parametrize("style", [_STYLES.body, _STYLES.header_cell, _STYLES.code], ids=lambda s: s.name)
@given(nodes=trees)
def test_a_tree_gives_the_fragments_its_markup_gives(style: ParagraphStyle, nodes: list[Node]) -> None:
    from_markup = Paragraph(to_markup(nodes), style, bulletText="3.")
    from_tree = ParagraphMaker()(nodes, style, bullet="3.")
    assert _merged(from_tree.frags) == _merged(from_markup.frags)
    assert from_tree.bulletText == from_markup.bulletText
    assert plain_text(nodes) == from_tree.text


def test_a_fragment_is_copied_as_copy_copies_it() -> None:
    """`_made` copies a fragment by its __dict__: reportlab's fragment must not copy itself in a
    way of its own (__copy__, __getstate__, slots), or the copy would differ from copy.copy's."""
    import copy

    from reportlab.platypus.paraparser import ParaParser

    from pirdoc.renderers._pdf_frags import text_frag

    template = text_frag(ParaParser(), _STYLES.body, "template")
    made = text_frag(ParaParser(), _STYLES.body, "made")
    expected = copy.copy(template)
    expected.text = "made"
    assert type(made) is type(expected)
    assert made.__dict__ == expected.__dict__
    assert made.__dict__ is not template.__dict__
    assert template.text == "template"
    own = {name for base in type(template).__mro__[:-1] for name in vars(base)}
    assert not own & {"__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__slots__"}


def test_text_in_a_tree_is_never_markup() -> None:
    nodes = runs('<b>bold?</b> &amp; <a href="javascript:x">x</a>', SANS)
    paragraph = ParagraphMaker()(nodes, _STYLES.body)
    assert "".join(frag.text for frag in paragraph.frags) == '<b>bold?</b> &amp; <a href="javascript:x">x</a>'
    assert all(frag.fontName == SANS and not frag.link for frag in paragraph.frags)


def test_runs_collapse_white_space_but_keep_no_break_spaces() -> None:
    assert plain_text(runs("a \t\n\u2003 b\u00a0\u00a0c", SANS)) == "a b\u00a0\u00a0c"


def test_a_paragraph_wrapped_again_at_the_same_width_reuses_its_lines() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    paragraph = ParagraphMaker()(runs(text, SANS), _STYLES.body)
    first = paragraph.wrap(300, 10_000)
    lines = paragraph.blPara
    assert paragraph.wrap(300, 10_000) == first
    assert paragraph.blPara is lines  # reused, not broken again
    narrow = paragraph.wrap(150, 10_000)
    assert narrow[1] > first[1]
    assert paragraph.wrap(300, 10_000) == first
    fresh = Paragraph(to_markup(runs(text, SANS)), _STYLES.body)
    assert fresh.wrap(300, 10_000) == first


def test_remembered_line_breaking_changes_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    remembered, reportlabs = pdf_both_ways(hostile_document(), monkeypatch, Para, "wrap", Paragraph.wrap)
    assert remembered == reportlabs


one_face_words = st.lists(
    st.text(alphabet=st.sampled_from(list("abcdefghij WXYZ-/.\u00a0\u00ad漢é")), min_size=0, max_size=30),
    min_size=0, max_size=40,
).map(" ".join)

@pytest.mark.parametrize("which", ["hostile", "example", *(path.stem for path in REAL_WORLD[:4])])
def test_drawing_plain_lines_changes_no_byte(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from pirdoc.renderers import _pdf_plain, _pdf_text

    drawn: list[bool] = []
    lean = _pdf_plain.draw_plain_on

    def counted(paragraph: Para, *args: Any) -> bool:
        drawn.append(lean(paragraph, *args))
        return drawn[-1]

    monkeypatch.setattr(_pdf_text, "draw_plain_on", counted)
    fast, reportlabs = pdf_both_ways(sample_document(which), monkeypatch, Para, "drawPara", Paragraph.drawPara,
                                     also=[(_pdf_text, "draw_plain_on", lambda *_: False)])  # reportlab's drawOn
    assert drawn.count(True) > drawn.count(False)  # most paragraphs took the plain path
    assert fast == reportlabs


@pytest.mark.parametrize("which", ["hostile", "example"])
def test_plain_lines_inside_reportlabs_draw_change_no_byte(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """When reportlab's own `drawOn` draws a plain paragraph (a subclass, a debugging outline),
    `drawPara` still writes it as reportlab would."""
    from reportlab.platypus.flowables import Flowable

    from pirdoc.renderers import _pdf_plain, _pdf_text

    drawn: list[bool] = []
    lean = _pdf_plain.draw_plain_lines

    def counted(paragraph: Para) -> bool:
        drawn.append(lean(paragraph))
        return drawn[-1]

    monkeypatch.setattr(_pdf_text, "draw_plain_lines", counted)
    monkeypatch.setattr(Para, "drawOn", Flowable.drawOn)
    fast, reportlabs = pdf_both_ways(sample_document(which), monkeypatch, Para, "drawPara", Paragraph.drawPara)
    assert drawn.count(True) > drawn.count(False)
    assert fast == reportlabs


def _drawn(paragraph: Para, width: float, draw: Any) -> list[str]:
    """The content stream ``draw`` writes for ``paragraph`` wrapped at ``width``."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO())
    paragraph.wrap(width, 100_000)
    paragraph.canv = canvas
    draw(paragraph)
    del paragraph.canv
    return list(canvas._code)


# More letters than one font subset holds (256), in the sans face: the drawing switches subsets.
many_letters = st.text(
    alphabet=st.characters(min_codepoint=0x100, max_codepoint=0x24F), min_size=260, max_size=400
).map(lambda text: " ".join(text[i:i + 6] for i in range(0, len(text), 6)))


@given(
    text=st.one_of(one_face_words, many_letters),
    width=st.floats(min_value=20, max_value=500),
    face=st.sampled_from(FACES),
    size=st.sampled_from([7.5, 10.5, 16.0]),
    shrink=st.sampled_from([0.0, 0.05, 0.3]),
    left=st.sampled_from([0.0, 6.0]),
    colour=st.sampled_from(["#000000", "#1a5fb4", "object"]),  # a colour's name, or a colour (as pirdoc's styles)
    alignment=st.sampled_from([0, 0, 1, 2, 4]),
    bullet=st.sampled_from([None, None, "\u2022", "12.", "a very long bullet"]),
    first_indent=st.sampled_from([0.0, 0.0, 12.0, -4.0]),
    anchor=st.sampled_from(["start", "start", "numeric"]),
    bullet_colour=st.sampled_from(["#616e7c", "#000000", "translucent"]),
)
def test_plain_lines_are_drawn_as_reportlab_draws_them(
    text: str, width: float, face: str, size: float, shrink: float, left: float, colour: str, alignment: int,
    bullet: str | None, first_indent: float, anchor: str, bullet_colour: str,
) -> None:
    from reportlab.lib.colors import Color, HexColor

    bullet_color = Color(0.2, 0.3, 0.4, alpha=0.5) if bullet_colour == "translucent" else HexColor(bullet_colour)
    style = ParagraphStyle("probe", fontName=face, fontSize=size, leading=size * 1.25, leftIndent=left,
                           spaceShrinkage=shrink, textColor=HexColor("#1a5fb4") if colour == "object" else colour,
                           alignment=alignment, bulletFontName=SANS,
                           bulletIndent=left / 2, bulletColor=bullet_color, firstLineIndent=first_indent,
                           bulletAnchor=anchor)
    ours, theirs = (ParagraphMaker()(runs(text, face), style, bullet=bullet) for _ in range(2))
    assert _drawn(ours, width, Para.drawPara) == _drawn(theirs, width, Paragraph.drawPara)
    eligible = alignment == 0 and colour == "object" and (
        bullet is None or (anchor == "start" and bullet_colour != "translucent")
    )
    if eligible and ours.blPara.kind == 0 and ours.blPara.lines:  # one face (no fallback run), some text
        from reportlab.pdfgen.canvas import Canvas

        from pirdoc.renderers._pdf_plain import _plain

        assert _plain(ours, Canvas(io.BytesIO()))  # drawn by pirdoc, not handed to reportlab


@pytest.mark.parametrize("bullet", [None, "\u2022"])
def test_a_plain_paragraph_marks_the_file_as_reportlab_does(bullet: str | None) -> None:
    """reportlab sets a paragraph's colour with its alpha, which marks the file as PDF 1.4; the
    plain path writes the colour and marks the file the same way (a page's footer does it too,
    so whole documents cannot show it)."""
    from reportlab.pdfgen.canvas import Canvas

    from pirdoc.renderers._pdf_plain import draw_plain_on

    def version(draw: Any) -> tuple[int, int]:
        canvas = Canvas(io.BytesIO())
        paragraph = ParagraphMaker()(runs("a plain paragraph", SANS), _STYLES.body, bullet=bullet)
        paragraph.wrap(300, 1000)
        draw(paragraph, canvas)
        return tuple(canvas._doc._pdfVersion)

    def ours(paragraph: Para, canvas: Any) -> None:
        assert draw_plain_on(paragraph, canvas, 10, 10, 0)

    def reportlabs(paragraph: Para, canvas: Any) -> None:
        paragraph.canv = canvas
        Paragraph.drawPara(paragraph)

    assert version(ours) == version(reportlabs) == (1, 4)


def test_paragraphs_reportlab_lays_out_its_own_way_are_left_to_it() -> None:
    """A "preformatted" paragraph class keeps its spaces as written, and line offsets (as a
    paragraph beside an image has) move each line: reportlab draws both."""
    from reportlab.pdfgen.canvas import Canvas

    from pirdoc.renderers._pdf_plain import _plain

    class PreformattedPara(Para):
        pass

    style = ParagraphStyle("probe", fontName=SANS, fontSize=10, leading=12, spaceShrinkage=0.3)
    text = "gggg hhhh iiii jjjj kkkk llll"
    pre = PreformattedPara(text, style, frags=ParagraphMaker()(runs(text, SANS), style).frags)
    offsets = ParagraphMaker()(runs(text, SANS), style)
    offsets._offsets = [5.0, 0.0]
    for paragraph in (pre, offsets):
        paragraph.wrap(67, 1000)
        assert not _plain(paragraph, Canvas(io.BytesIO()))
    theirs = Paragraph(text, style, frags=ParagraphMaker()(runs(text, SANS), style).frags)
    theirs.__class__ = type("PreformattedParagraph", (Paragraph,), {})
    assert _drawn(pre, 67, Para.drawPara) == _drawn(theirs, 67, Paragraph.drawPara)


def test_a_translucent_bullet_is_drawn_as_reportlab_draws_it() -> None:
    from reportlab.lib.colors import Color

    style = ParagraphStyle("probe", fontName=SANS, fontSize=10, leading=12, leftIndent=10, bulletFontName=SANS,
                           bulletColor=Color(0.2, 0.3, 0.4, alpha=0.5))
    ours, theirs = (ParagraphMaker()(runs("hello world", SANS), style, bullet="\u2022") for _ in range(2))
    code = _drawn(ours, 200, Para.drawPara)
    assert code == _drawn(theirs, 200, Paragraph.drawPara)
    assert "/gRLs0 gs" in code[1]  # the bullet's alpha, set inside its text object


def test_a_line_of_more_letters_than_a_subset_holds_switches_subsets_as_reportlab_does() -> None:
    from reportlab.pdfgen.canvas import Canvas

    from pirdoc.renderers._pdf_plain import draw_plain_lines

    text = " ".join(chr(code) * 2 for code in range(0x100, 0x100 + 300))  # 300 letters: two subsets
    style = ParagraphStyle("probe", fontName=SANS, fontSize=10, leading=12, spaceShrinkage=0.05)
    ours, theirs = (ParagraphMaker()(runs(text, SANS), style) for _ in range(2))
    code = _drawn(ours, 300, Para.drawPara)
    assert _drawn(theirs, 300, Paragraph.drawPara) == code
    assert len(set(re.findall(r"/F\d+\+(\d+)", " ".join(code)))) == 2
    ours.canv = Canvas(io.BytesIO())
    assert draw_plain_lines(ours)  # drawn by the plain path, not handed to reportlab


@pytest.mark.parametrize("which", ["hostile", "example"])
def test_one_face_line_breaking_changes_no_byte(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, reportlabs = pdf_both_ways(sample_document(which), monkeypatch, Para, "breakLines", Paragraph.breakLines)
    assert fast == reportlabs


def _broken(lines: Any) -> tuple[Any, ...]:
    """What a line breaking says: its kind and each line's free width and words."""
    if lines.kind == 0:
        return 0, lines.lines, lines.ascent, lines.descent, lines.fontSize
    return 1, [(line.extraSpace, [(word.fontName, word.text) for word in line.words]) for line in lines.lines]


@given(
    text=one_face_words,
    widths=st.lists(st.floats(min_value=1, max_value=500), min_size=1, max_size=2),
    face=st.sampled_from(FACES),
    size=st.sampled_from([7.5, 9.0, 10.5, 16.0]),
    bullet=st.sampled_from([None, "\u2022", "12.", "iv)"]),
    shrink=st.sampled_from([0.0, 0.05, 0.3]),
    split_long=st.booleans(),
)
def test_one_face_line_breaking_is_reportlabs(
    text: str, widths: list[float], face: str, size: float, bullet: str | None, shrink: float, split_long: bool
) -> None:
    style = ParagraphStyle("probe", fontName=face, fontSize=size, leading=size * 1.2, bulletFontName=SANS,
                           bulletIndent=4, leftIndent=6, spaceShrinkage=shrink, splitLongWords=int(split_long))
    ours, theirs = (ParagraphMaker()(runs(text, face), style, bullet=bullet) for _ in range(2))
    our_widths, their_widths = list(widths), list(widths)
    expected = Paragraph.breakLines(theirs, their_widths)
    got = ours.breakLines(our_widths)
    assert _broken(got) == _broken(expected)
    assert our_widths == their_widths  # the bullet's room taken off the first line once, as reportlab does
    assert ours._width_max == theirs._width_max


# Values each compared attribute may take, some equal without being the same object
_FRAG_VALUES: dict[str, list[Any]] = {
    "fontName": [SANS, SANS_BOLD, MONO],
    "fontSize": [10, 10.0, 10.5],
    "textColor": [None, Color(0.1, 0.2, 0.3), Color(0.1, 0.2, 0.3), Color(1, 1, 1)],
    "rise": [0, 0.0, 2],
    "us_lines": [[], [], [(0, "underline")]],
    "link": [None, [], [(0, "https://example.com")], [(0, "https://example.com")]],
    "backColor": [None, Color(0.9, 0.9, 0.9), Color(0.9, 0.9, 0.9)],
    "nobr": [False, True, 0],
    "cbDefn": [object()],
    "lineBreak": [True],
}


@st.composite
def _fragments(draw: st.DrawFn) -> Any:
    from reportlab.platypus.paraparser import ParaFrag

    frag = ParaFrag(text=draw(st.sampled_from(["", "a", "word "])))
    for name, values in _FRAG_VALUES.items():
        rare = name in ("cbDefn", "lineBreak")
        if draw(st.integers(0, 9)) == 0 if rare else draw(st.booleans()):
            setattr(frag, name, draw(st.sampled_from(values)))
    return frag


_EDITS = st.one_of(
    st.none(),
    st.tuples(st.just("delete"), st.sampled_from(sorted(_FRAG_VALUES))),
    st.sampled_from(sorted(_FRAG_VALUES)).flatmap(
        lambda name: st.tuples(st.just(name), st.sampled_from(_FRAG_VALUES[name]))
    ),
)


@given(first=_fragments(), second=_fragments(), edit=_EDITS)
def test_two_fragments_share_a_run_when_reportlab_says_they_do(first: Any, second: Any, edit: Any) -> None:
    """Unrelated pairs, and (mostly alike) a copy of the first with one attribute removed, added
    or changed."""
    from pirdoc.renderers._pdf_frags import _REPORTLAB_SAME_FRAG, same_frag

    copy = first.clone(text="other")
    if edit is not None and edit[0] == "delete":
        copy.__dict__.pop(edit[1], None)
    elif edit is not None:
        setattr(copy, *edit)
    for one, other in [(first, second), (first, copy)]:
        assert same_frag(one, other) is _REPORTLAB_SAME_FRAG(one, other)
        assert same_frag(other, one) is _REPORTLAB_SAME_FRAG(other, one)


def _one_attribute_apart() -> list[tuple[str, str, Any]]:
    return [(name, "delete", None) for name in _FRAG_VALUES] + [
        (name, "set", value) for name, values in _FRAG_VALUES.items() for value in values
    ]


@pytest.mark.parametrize("everything", [False, True], ids=["bare", "full"])
@pytest.mark.parametrize(("name", "edit", "value"), _one_attribute_apart())
def test_fragments_one_attribute_apart_share_a_run_when_reportlab_says_they_do(
    everything: bool, name: str, edit: str, value: Any
) -> None:
    """Every single removal, addition or change of an attribute, on a fragment with only its
    text and on one with every compared attribute (an absent one differs from None)."""
    from reportlab.platypus.paraparser import ParaFrag

    from pirdoc.renderers._pdf_frags import _REPORTLAB_SAME_FRAG, same_frag

    first = ParaFrag(text="a")
    if everything:
        for attribute, values in _FRAG_VALUES.items():
            if attribute not in ("cbDefn", "lineBreak"):
                setattr(first, attribute, values[0])
    second = first.clone(text="b")
    if edit == "delete":
        second.__dict__.pop(name, None)
    else:
        setattr(second, name, value)
    assert same_frag(first, second) is _REPORTLAB_SAME_FRAG(first, second)
    assert same_frag(second, first) is _REPORTLAB_SAME_FRAG(second, first)


def test_fragments_of_another_class_are_compared_by_reportlab() -> None:
    from reportlab.lib.abag import ABag

    from pirdoc.renderers._pdf_frags import _REPORTLAB_SAME_FRAG, same_frag

    class Frag(ABag):  # type: ignore[misc]
        link = None  # a class attribute: reportlab's comparison sees it, a dictionary would not

    first, second = Frag(fontName=SANS, fontSize=10), ABag(fontName=SANS, fontSize=10)
    assert same_frag(first, second) is _REPORTLAB_SAME_FRAG(first, second) is False


@pytest.mark.parametrize("which", ["hostile", "example"])
def test_comparing_fragments_from_their_dictionaries_changes_no_byte(
    which: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus import paragraph

    from pirdoc.renderers._pdf_frags import _REPORTLAB_SAME_FRAG

    ours, reportlabs = pdf_both_ways(sample_document(which), monkeypatch, paragraph, "sameFrag", _REPORTLAB_SAME_FRAG)
    assert ours == reportlabs


# ---------------------------------------------------------------------------- one-pass build

_ENTRY = re.compile(r"^(?P<title>\S.*?)\s*(?:\.\s*){3,}(?P<page>\d+)$")


@pytest.fixture(scope="module")
def example_pdf() -> bytes:
    return PdfRenderer().render(layout(load(EXAMPLE), "full"))


def _page_texts(data: bytes, tmp_path: Path) -> list[str]:
    """Each page's text as pdftotext lays it out (by position, as a reader sees it)."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    source = tmp_path / "example.pdf"
    source.write_bytes(data)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    return [
        subprocess.run([pdftotext, "-layout", "-f", str(n), "-l", str(n), str(source), "-"],
                       check=True, capture_output=True, text=True).stdout
        for n in range(1, pages + 1)
    ]


def test_every_page_says_page_x_of_y(example_pdf: bytes, tmp_path: Path) -> None:
    texts = _page_texts(example_pdf, tmp_path)
    assert len(texts) > 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert PdfReader(io.BytesIO(example_pdf)).pages[number - 1].extract_text().count(f"Page {number} of") == 1


def test_contents_page_numbers_are_where_the_headings_are(example_pdf: bytes, tmp_path: Path) -> None:
    texts = _page_texts(example_pdf, tmp_path)
    entries = [
        (match["title"], int(match["page"]))
        for line in (texts[0] + "\n" + texts[1]).splitlines()
        if (match := _ENTRY.match(line.strip()))
    ]
    # One entry per top-level section (the outline pane has every heading).
    document = layout(load(EXAMPLE), "full")
    top = [d.plain_text(b.children) for b in document.blocks if isinstance(b, d.Heading) and b.level == 1]
    assert [title for title, _ in entries] == top
    # The contents no longer push the summary to page 2.
    assert any(line.strip() == "Executive Summary" for line in texts[0].splitlines())
    first_body_page = min(page for _, page in entries)
    for title, page in entries:
        def has_heading(text: str, title: str = title) -> bool:
            return any(line.strip() == title for line in text.splitlines())

        assert has_heading(texts[page - 1]), f"{title!r} is not on page {page}"
        earlier = texts[first_body_page - 1 : page - 1]
        assert not any(has_heading(text) for text in earlier), f"{title!r} is before page {page}"


def test_contents_links_go_to_the_pages_they_name(example_pdf: bytes, tmp_path: Path) -> None:
    texts = _page_texts(example_pdf, tmp_path)
    named = [int(match["page"]) for line in (texts[0] + "\n" + texts[1]).splitlines()
             if (match := _ENTRY.match(line.strip()))]
    assert named
    pdf = PdfReader(io.BytesIO(example_pdf))
    page_numbers = {
        page.indirect_reference.idnum: number
        for number, page in enumerate(pdf.pages, start=1)
        if page.indirect_reference is not None
    }
    targets = [
        page_numbers[annotation.get_object()["/Dest"][0].idnum]
        for page in pdf.pages[:2]
        for annotation in page.get("/Annots", [])
        if "/Dest" in annotation.get_object()
    ]
    # Each entry is one link: its line, text, dots and page number.
    assert targets == named


@given(text=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40),
       face=st.sampled_from(FACES))
def test_printable_ascii_takes_a_shortcut_to_the_same_runs(text: str, face: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_fonts, "_face_for_char", None)  # the shortcut must not look characters up
        shortcut = _fonts.runs(text, face)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_fonts, "_covers_printable_ascii", lambda face: False)
        assert _fonts.runs(text, face) == shortcut


# ---------------------------------------------------------------------------- flat lists

_WORD_BOX = re.compile(
    r'<word xMin="(?P<x_min>[\d.]+)" yMin="(?P<y_min>[\d.]+)" xMax="(?P<x_max>[\d.]+)" yMax="[\d.]+">'
    r"(?P<text>[^<]*)</word>"
)


def _words_with_boxes(data: bytes, tmp_path: Path) -> list[tuple[str, float, float, float]]:
    """(text, xMin, xMax, yMin) of every word pdftotext finds, in reading order."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    source = tmp_path / "words.pdf"
    source.write_bytes(data)
    html = subprocess.run([pdftotext, "-bbox", str(source), "-"], check=True, capture_output=True, text=True).stdout
    return [
        (match["text"], float(match["x_min"]), float(match["x_max"]), float(match["y_min"]))
        for match in _WORD_BOX.finditer(html)
    ]


def test_flat_lists_put_bullets_and_text_where_list_flowable_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pirdoc import document as d
    from pirdoc.renderers import _pdf_story

    def para(text: str) -> d.Paragraph:
        return d.Paragraph(children=(d.Text(text=text),))

    nested = d.BulletList(items=((para("Description: the loader accepts unknown keys"),), (para("Impact: none"),)))
    blocks: tuple[d.Block, ...] = (
        d.BulletList(items=tuple((para(f"Point {n} of the plain list"),) for n in range(3))),
        d.OrderedList(start=1, items=tuple((para(f"Factor {n}"), nested) for n in range(3))),
    )
    document = d.Document(meta=meta(status="Final"), blocks=blocks)
    assert all(_pdf_story._flattenable(item) for block in blocks if isinstance(block, d.BulletList | d.OrderedList)
               for item in block.items)

    def columns() -> list[tuple[str, float]]:
        """Every word with its left edge, in reading order."""
        words = _words_with_boxes(PdfRenderer().render(document), tmp_path)
        return [(text, round(x_min, 1)) for text, x_min, _, _ in words]

    flat = columns()
    monkeypatch.setattr(_pdf_story, "_flattenable", lambda item: False)
    contained = columns()
    assert flat == contained
    assert [word for word, _ in flat].count("•") == 3 + 3 * 2


def test_a_wide_list_number_pushes_its_text_aside() -> None:
    from pirdoc import document as d

    items = tuple((d.Paragraph(children=(d.Text(text=f"Factor {n}"),)),) for n in range(3))
    document = d.Document(meta=meta(status="Final"), blocks=(d.OrderedList(start=99, items=items),))
    text = PdfReader(io.BytesIO(PdfRenderer().render(document))).pages[0].extract_text()
    assert "100. Factor 1" in text or "100.  Factor 1" in text


# ---------------------------------------------------------------------------- edge cases


def test_empty_list_items_keep_their_bullets_and_numbers() -> None:
    from pirdoc import document as d

    def item(text: str) -> tuple[d.Block, ...]:
        return (d.Paragraph(children=(d.Text(text=text),) if text else ()),) if text != "none" else ()

    blocks = (
        d.OrderedList(start=1, items=(item("first"), item(""), item("none"), item("fourth"))),
        d.BulletList(items=(item("alpha"), item(""), item("omega"))),
    )
    data = PdfRenderer().render(d.Document(meta=meta(status="Final"), blocks=blocks))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert [line.split()[0] for line in text.splitlines() if re.match(r"^\d\.", line)] == ["1.", "2.", "3.", "4."]
    assert text.count("•") == 3


def test_a_heading_split_across_pages_keeps_its_bookmark_and_contents_page(tmp_path: Path) -> None:
    from pirdoc import document as d

    long_title = " ".join(f"heading{n}" for n in range(400))
    filler = tuple(d.Paragraph(children=(d.Text(text=f"Paragraph {n} of the filler text."),)) for n in range(40))
    blocks: tuple[d.Block, ...] = (
        d.Heading(level=1, anchor="first", children=(d.Text(text="First"),)),
        *filler,
        d.Heading(level=1, anchor="long", children=(d.Text(text=long_title),)),
        d.Paragraph(children=(d.Text(text="After the long heading."),)),
    )
    document = d.Document(meta=attrs.evolve(meta(status="Final"), profile="full"), blocks=blocks)
    data = PdfRenderer().render(document)
    pdf = PdfReader(io.BytesIO(data))
    outline = [str(item.title) for item in pdf.outline if not isinstance(item, list)]
    assert outline[0] == "First"
    assert outline[1].startswith("heading0 heading1")
    texts = _page_texts(data, tmp_path)
    numbered = [match for line in "\n".join(texts[:3]).splitlines() if (match := _ENTRY.match(line.strip()))]
    assert len(numbered) == 2
    long_page = int(numbered[1]["page"])
    assert "heading0" in texts[long_page - 1]
    assert "heading0" not in texts[long_page - 2]


def test_a_contents_entry_split_across_pages_is_a_link_on_each() -> None:
    from pirdoc import document as d

    long_title = " ".join(f"heading{n}" for n in range(400))  # its entry is longer than a page
    blocks: tuple[d.Block, ...] = (
        d.Heading(level=1, anchor="first", children=(d.Text(text="First"),)),
        d.Paragraph(children=(d.Text(text="Body."),)),
        d.Heading(level=1, anchor="long", children=(d.Text(text=long_title),)),
        d.Paragraph(children=(d.Text(text="After the long heading."),)),
    )
    document = d.Document(meta=attrs.evolve(meta(status="Final"), profile="full"), blocks=blocks)
    pdf = PdfReader(io.BytesIO(PdfRenderer().render(document)))
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(pdf.pages, start=1) if page.indirect_reference}
    links = [
        (number, numbers[annotation.get_object()["/Dest"][0].idnum])
        for number, page in enumerate(pdf.pages, start=1)
        for annotation in page.get("/Annots", [])
        if "/Dest" in annotation.get_object()
    ]
    parts = [on for on, _ in links[1:]]  # after the first entry's link: the long entry's parts
    assert len(parts) == 2
    assert parts == [parts[0], parts[0] + 1]  # one link on each page the entry reaches
    targets = {target for _, target in links[1:]}
    assert len(targets) == 1  # both to the heading
    assert "heading0" in pdf.pages[targets.pop() - 1].extract_text()


def test_a_contents_line_ending_at_the_right_edge_does_not_run_into_its_page_number(tmp_path: Path) -> None:
    from pirdoc import document as d
    from pirdoc.renderers._fonts import string_width

    available = _MEASURE  # the text width on any paper, in points
    right = (595.2756 + _MEASURE) / 2  # A4's right margin
    title = "Edge"
    while string_width(title + " i", SANS_BOLD, 9.5) < available - 1:
        title += " i"
    while string_width(title + "i", SANS_BOLD, 9.5) < available - 0.3:
        title += "i"  # now closer to the edge than a page number is wide
    assert available - string_width(title, SANS_BOLD, 9.5) < string_width("1", SANS_BOLD, 9.5)
    blocks: tuple[d.Block, ...] = (d.Heading(level=1, anchor="edge", children=(d.Text(text=title),)),
                                   d.Paragraph(children=(d.Text(text="Body."),)))
    data = PdfRenderer().render(d.Document(meta=attrs.evolve(meta(status="Final"), profile="full"), blocks=blocks))
    words = _words_with_boxes(data, tmp_path)
    edge_words = [w for w in words if w[0] == "Edge"]
    contents_top = edge_words[0][3]
    numbers = [w for w in words if w[0] == "1" and w[2] > right - 30 and contents_top <= w[3] < contents_top + 40]
    assert len(numbers) == 1, "the entry's page number, once"
    number = numbers[0]
    same_line = [w for w in words if abs(w[3] - number[3]) < 1 and w is not number]
    assert all(w[2] < number[1] for w in same_line), "text runs into the page number"
    assert abs((number[3]) - same_line[0][3]) < 1, "drawn at the entry's size, not shrunk"


# ---------------------------------------------------------------------------- long URLs (issue 16)

url_segment = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz0123456789._=%")), min_size=1, max_size=14
)
long_url = st.builds(
    lambda host, parts, seps: "https://" + host + "".join(sep + part for sep, part in zip(seps, parts, strict=False)),
    url_segment,
    st.lists(url_segment, min_size=3, max_size=12),
    st.lists(st.sampled_from(["/", "?", "&", "-", "/"]), min_size=12, max_size=12),
)


def _line_texts(paragraph: Paragraph) -> list[str]:
    texts = []
    for line in paragraph.blPara.lines:
        if hasattr(line, "words"):  # fragment lines
            texts.append("".join(word.text for word in line.words))
        else:
            texts.append(" ".join(line[1]))
    return texts


@given(url=long_url, width=st.floats(min_value=60, max_value=260), linked=st.booleans())
def test_a_long_url_wraps_only_after_a_break_character_when_a_piece_fits(url: str, width: float, linked: bool) -> None:
    nodes: list[Node] = runs(url, SANS)
    if linked:
        nodes = [("a", {"href": url, "color": "#0b5cad"}, [("u", {}, nodes)])]
    paragraph = ParagraphMaker()(nodes, _STYLES.cell)
    paragraph.wrap(width, 10_000)
    lines = _line_texts(paragraph)
    assert "".join(lines) == url
    points = set(d.url_break_points(url))
    offset = 0
    for line in lines[:-1]:
        offset += len(line)
        if offset in points:
            continue
        # a forced cut: only where no break point could end this line within the width
        start = offset - len(line)
        fitting = [p for p in points if start < p <= offset]
        assert not fitting, f"cut at {offset} in {url!r} though {fitting} fit"


def test_a_ticket_url_is_never_cut_inside_its_id() -> None:
    url = "https://larkspur.atlassian.example/browse/PLAT-1202"
    document = d.Document(
        meta=meta(),
        blocks=(
            d.Table(
                header=((d.Text(text="ID"),), (d.Text(text="Link"),), (d.Text(text="Notes"),)),
                rows=(((d.Text(text="AI-1"),), (d.Link(target=url, children=(d.Text(text=url),)),),
                       (d.Text(text="x"),)),),
                widths=(0.1, 0.16, 0.74),
            ),
        ),
    )
    text = subprocess.run(
        [require_tool("pdftotext", "poppler-utils"), "-raw", "-enc", "UTF-8", "-", "-"],
        input=PdfRenderer().render(document), capture_output=True, check=True,
    ).stdout.decode("utf-8")
    lines = [line.strip() for line in text.splitlines()]
    assert "browse/PLAT-1202" in lines or "PLAT-1202" in lines, lines  # the id on one line, whole
    assert not [line for line in lines if line.endswith(("PLAT-", "PLAT-1", "PLAT-12", "PLAT-120"))]


@pytest.mark.parametrize("profile", ["full", "executive"])
@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_body_text_is_set_at_60_to_80_characters_a_line(page_size: str, profile: str, tmp_path: Path) -> None:
    from pirdoc import document as d

    prose = "the order service returned errors while the connection pool was exhausted by checkout traffic"
    words = prose.split(" ")
    text = " ".join(words[i % len(words)] for i in range(600))
    document = d.Document(meta=attrs.evolve(meta(status="Final"), profile=profile),
                          blocks=(d.Paragraph(children=(d.Text(text=text),)),))
    source = tmp_path / "body.pdf"
    source.write_bytes(PdfRenderer().render(document, page_size=page_size))
    pdftotext = require_tool("pdftotext", "poppler-utils")
    lines = subprocess.run([pdftotext, str(source), "-"], capture_output=True, text=True, check=True).stdout
    body = [line for line in lines.splitlines() if line.startswith(tuple(words)) and len(line) > 30]
    lengths = sorted(len(line) for line in body)
    assert len(lengths) > 20
    # Every full line is within the measure print typography asks for.
    assert lengths[len(lengths) // 2] >= 60
    assert lengths[-1] <= 80


def _read_lines(paragraph: Para) -> list[str]:
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return [" ".join(words) for _, words in lines]
    return [" ".join("".join(word.text for word in line.words).split()) for line in lines]


@pytest.mark.parametrize("texts", [
    ["Duration: ", "up to 13 days"],  # one fragment
    ["Code:\u00a0x ", "foo\u200bbar"],  # a no-break space: reportlab splits that fragment's words apart
    [" ", " "],  # blank: an empty line is kept
])
def test_texts_in_one_face_read_as_the_parser_reads_them(texts: list[str]) -> None:
    from reportlab.platypus.paraparser import ParaParser

    ours = ParagraphMaker()(list(texts), _STYLES.body)
    _, frags, _ = ParaParser().tt_parse(("para", {}, list(texts)), _STYLES.body)
    theirs = Para(plain_text(list(texts)), _STYLES.body, frags=frags)
    assert ours.wrap(300, 1000) == theirs.wrap(300, 1000)
    assert _read_lines(ours) == _read_lines(theirs)


def test_widths_as_a_tuple_are_broken_by_reportlab() -> None:
    from pirdoc.renderers._pdf_plain import one_face_lines

    paragraph = ParagraphMaker()(runs("a few words", SANS), _STYLES.body)
    assert one_face_lines(paragraph, (200.0, 200.0)) is None  # reportlab takes a tuple; the copy does not
    assert paragraph.breakLines((200.0, 200.0)).lines == paragraph.breakLines([200.0, 200.0]).lines


def test_a_heading_of_one_word_wider_than_the_page_wraps_onto_it(tmp_path: Path) -> None:
    # its link target was an <a name> fragment, which kept reportlab from cutting the word: it
    # ran off the page on one line
    from pirdoc import document as d

    word = "Q" * 600
    blocks: tuple[d.Block, ...] = (d.Heading(level=2, anchor="wide", children=(d.Text(text=word),)),)
    document = d.Document(meta=attrs.evolve(meta(status="Final"), profile="full"), blocks=blocks)
    source = tmp_path / "wide.pdf"
    source.write_bytes(PdfRenderer().render(document))
    pdftotext = require_tool("pdftotext", "poppler-utils")
    reader = PdfReader(source)
    on_pages = ""
    for number, page in enumerate(reader.pages, start=1):
        width, height = int(page.mediabox.width), int(page.mediabox.height)
        on_pages += subprocess.run(  # only the text inside the page's box
            [pdftotext, "-f", str(number), "-l", str(number), "-x", "0", "-y", "0", "-W", str(width),
             "-H", str(height), str(source), "-"], check=True, capture_output=True, text=True,
        ).stdout
    assert on_pages.count("Q") == 2 * 600  # the heading and its contents entry, each whole


def _all_of(frag: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, _value(value)) for name, value in vars(frag).items()))


def _handled(nodes: list[Node]) -> bool:
    """Whether `tree_frags` makes the fragments of ``nodes`` (else they go to the parser)."""
    for node in nodes:
        if isinstance(node, str):
            continue
        tag, attributes, children = node
        if tag == "br" and children is None:  # a line break
            continue
        if tag not in ("font", "a", "u", "strike") or children is None or (tag == "a" and "href" not in attributes):
            return False
        if not _handled(children):
            return False
    return True


_MORE_TAGS = st.sampled_from(["u", "strike", "empty-link", "link"])


def _more(children: list[Node], kind: str) -> list[Node]:
    match kind:
        case "u":
            return [("u", {}, children)]
        case "empty-link":  # a tag with no text still takes its link and line numbers
            return [("a", {"href": " https://example.com/empty ", "color": "#1a5fb4"}, [("u", {}, [])]), *children]
        case "link":
            return [("a", {"href": f"https://example.com/{len(children)}"}, children)]
        case _:
            return [("strike", {}, children)]


wider_trees: st.SearchStrategy[list[Node]] = st.recursive(
    st.one_of(st.builds(runs, leaf_text, st.sampled_from(FACES)), st.sampled_from(_EMPTY_TAGS)),
    lambda children: st.one_of(_trees(children), st.builds(_more, children, _MORE_TAGS)),
    max_leaves=10,
)


@pytest.mark.parametrize("style", [_STYLES.body, _STYLES.header_cell, _STYLES.code], ids=lambda s: s.name)
@given(nodes=wider_trees)
def test_fragments_made_from_templates_are_the_parsers_own(style: ParagraphStyle, nodes: list[Node]) -> None:
    from reportlab.platypus.paraparser import ParaParser

    from pirdoc.renderers._pdf_frags import tree_frags

    parser = ParaParser()
    parser.caseSensitive = 1
    made = tree_frags(parser, nodes, style)
    reference = ParaParser()
    reference.caseSensitive = 1
    _, expected, _ = reference.tt_parse(("para", {}, nodes), style)
    if not _handled(nodes):
        assert made is None
        return
    assert made is not None
    assert [_all_of(frag) for frag in made] == [_all_of(frag) for frag in expected]
