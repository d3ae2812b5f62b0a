"""The bundled fonts measured without reportlab give reportlab's own numbers, and the formats
that only paint figures (DOCX, Confluence) never load reportlab."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import pytest
import reportlab
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

import pirdoc
from pirdoc.renderers import _fonts
from pirdoc.renderers._fonts import FONT_FILES, SANS, SANS_BOLD, font_file, string_width, visual_runs
from pirdoc.renderers._pdf_fonts import register_fonts
from pirdoc.renderers._ttf_metrics import read_metrics

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("face", sorted(FONT_FILES))
def test_each_bundled_face_reads_as_reportlab_reads_it(face: str) -> None:
    ours = read_metrics(font_file(face).read_bytes())
    theirs = TTFont(f"check-{face}", str(font_file(face))).face
    assert ours.glyphs == frozenset(theirs.charToGlyph)
    assert ours.widths == theirs.charWidths
    assert ours.default_width == theirs.defaultWidth


def _parsed(font: TTFont) -> tuple[dict[str, Any], dict[str, Any]]:
    """What reading a face set on the font and on its face (the scale function called, not
    compared as an object; the reader's position and pirdoc's memory of widths left out)."""
    face = {key: value for key, value in vars(font.face).items() if key not in ("_pdfScale", "_pos")}
    face["scaled 2048"] = font.face._pdfScale(2048)
    outer = {key: value for key, value in vars(font).items() if key not in ("face", "fontName", "state", "_widths")}
    outer["encoding"] = vars(font.encoding)
    return face, outer


# reportlab's own test faces read other branches than the bundled ones (format 12 maps, long
# glyph locations, 2048 or 256 units an em): a format 4 map, short locations, 1000 units an em
_REPORTLAB_FONTS: Final = Path(reportlab.__file__).parent / "fonts"


_FACE_FILES: Final = [
    *(font_file(face) for face in sorted(FONT_FILES)),
    *(_REPORTLAB_FONTS / name for name in ("Vera.ttf", "VeraBd.ttf", "hb-test.ttf")),
]


@pytest.mark.parametrize("path", _FACE_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("fallback", [False, True])
def test_each_face_is_read_for_the_pdf_as_reportlab_reads_it(
    path: Path, fallback: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`_Face` reads a file in bulk (or, for a character map it does not read, with reportlab's
    own code) into every attribute reportlab's TTFont sets, its mappings in the same order."""
    from pirdoc.renderers import _pdf_fonts

    if fallback:
        def refuse(data: bytes, at: int) -> dict[int, int]:
            raise ValueError("character map format 6 is not read here")

        monkeypatch.setattr(_pdf_fonts, "char_to_glyph", refuse)
    face = path.stem
    ours, theirs = _pdf_fonts._Face(f"ours-{face}", str(path)), TTFont(f"theirs-{face}", str(path))
    assert _parsed(ours) == _parsed(theirs)
    for name in ("charToGlyph", "glyphToChar", "charWidths"):
        assert list(getattr(ours.face, name)) == list(getattr(theirs.face, name)), f"{name} in another order"
    assert type(ours.face.hmetrics[-1][0]) is type(theirs.face.hmetrics[-1][0])
    # the same numbers of the same types (an integer width where reportlab keeps one)
    assert [type(width) for width in ours.face.charWidths.values()] == [
        type(width) for width in theirs.face.charWidths.values()
    ]
    assert type(ours.face.defaultWidth) is type(theirs.face.defaultWidth)


@pytest.mark.parametrize("cut", [0, 12, 200, 5_000, 400_000])
def test_a_file_that_is_not_a_whole_font_is_refused(cut: int) -> None:
    with pytest.raises(ValueError, match="not a TrueType font"):
        read_metrics(b"%PDF-1.4 not a font at all")
    with pytest.raises(ValueError, match="not a TrueType font"):
        read_metrics(font_file(SANS).read_bytes()[:cut])


_SCRIPTS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
)


@given(text=st.text(_SCRIPTS, max_size=30), face=st.sampled_from([SANS, SANS_BOLD]),
       size=st.sampled_from([7.0, 7.5, 8.0, 10.5]))
def test_text_is_as_wide_as_reportlab_measures_it(text: str, face: str, size: float) -> None:
    register_fonts()
    expected = sum(pdfmetrics.stringWidth(part, run_face, size) for run_face, part in visual_runs(text, face))
    assert string_width(text, face, size) == expected  # the same bits: a fit at a margin tips the same way


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_registering_the_bundled_faces_never_searches_for_type1_faces() -> None:
    # reportlab's getFont, asked for a name it does not know, parses every AFM file on its
    # search path before it gives up: that was a third of a process's first PDF.
    out = _run("""
        import json, warnings
        warnings.simplefilter("ignore")
        from reportlab.pdfbase import pdfmetrics
        searched = []
        search = pdfmetrics.bruteForceSearchForAFM
        pdfmetrics.bruteForceSearchForAFM = lambda name: searched.append(name) or search(name)
        import pirdoc
        from pirdoc.renderers._fonts import FONT_FILES
        from pirdoc.renderers._pdf_fonts import load_face, register_fonts
        pirdoc.render(pirdoc.load("fixtures/hostile-review.yaml"), "pdf", allow_problems=True)
        register_fonts(every_face=True)
        brand = load_face("pirdoc/fonts/DejaVuSansMono.ttf")
        registered = set(pdfmetrics.getRegisteredFontNames())
        print(json.dumps([searched, sorted(set(FONT_FILES) - registered), brand in registered]))
    """)
    assert json.loads(out) == [[], [], True]


def test_docx_and_confluence_figures_do_not_load_reportlab() -> None:
    out = _run("""
        import sys, warnings
        warnings.simplefilter("ignore")
        import pirdoc
        review = pirdoc.load("fixtures/example-review.yaml")
        for fmt in ("docx", "confluence", "markdown"):
            pirdoc.render(review, fmt, allow_problems=True)
        print(sorted(name for name in sys.modules if name.startswith("reportlab")))
    """)
    assert out.strip() == "[]"


def test_a_face_first_read_for_a_figure_is_registered_for_the_pdf() -> None:
    # A DOCX figure reads the CJK face's metrics without reportlab; a PDF rendered afterwards in
    # the same process must still find the face registered with reportlab.
    out = _run("""
        import io, warnings
        warnings.simplefilter("ignore")
        import attrs, pirdoc
        from pypdf import PdfReader
        review = pirdoc.load("fixtures/example-review.yaml")
        events = list(review.timeline)
        events[0] = attrs.evolve(events[0], title="数据库故障 detected")
        review = attrs.evolve(review, timeline=tuple(events))
        pirdoc.render(review, "docx", allow_problems=True)
        from pirdoc.renderers import _fonts
        assert "PirdocCJK" in _fonts._METRICS
        pdf = pirdoc.render(review, "pdf", allow_problems=True)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        print("数据库故障" in text)
    """)
    assert out.strip() == "True"


def test_a_brand_face_is_measured_with_its_own_widths(tmp_path: Path) -> None:
    from pirdoc.renderers._pdf_fonts import load_face

    brand = tmp_path / "brand.ttf"
    brand.write_bytes(font_file(_fonts.MONO).read_bytes())  # any TrueType face: a monospaced one
    name = load_face(brand)
    assert string_width("Incident", name, 10) == pdfmetrics.stringWidth("Incident", name, 10)
    assert string_width("Incident", name, 10) != pytest.approx(string_width("Incident", SANS, 10))


def test_figure_pictures_keep_their_painted_colours() -> None:
    """A figure is painted straight in palette entries; painted in full colour instead (Pillow's
    shapes, `_text`'s letters) and mapped to the palette, no channel of a pixel would differ by
    more than one blend step (the letter edges land on a neighbouring blend)."""
    from PIL import Image, ImageChops, ImageDraw

    from pirdoc import document as d
    from pirdoc.importers import import_markdown
    from pirdoc.layout import layout
    from pirdoc.renderers._figure_png import SCALE, _paint, _palette, _text
    from pirdoc.renderers._figures import Chart, Line, Polygon, Rect, Text, chart
    from tests.documents import every_node_document, hostile_document

    def in_colour(drawing: Chart) -> Image.Image:
        image = Image.new("RGB", (round(drawing.width * SCALE), round(drawing.height * SCALE)), "white")
        canvas = ImageDraw.Draw(image)

        def at(x: float, y: float) -> tuple[float, float]:
            return x * SCALE, (drawing.height - y) * SCALE

        for shape in drawing.shapes:
            if isinstance(shape, Rect):
                (x0, y1), (x1, y0) = at(shape.x, shape.y), at(shape.x + shape.width, shape.y + shape.height)
                canvas.rectangle((x0, y0, x1, y1), fill=shape.fill, outline=shape.stroke,
                                 width=max(1, round((shape.stroke_width or 1.0) * SCALE)) if shape.stroke else 0)
            elif isinstance(shape, Polygon):
                corners = [at(shape.points[i], shape.points[i + 1]) for i in range(0, len(shape.points) - 1, 2)]
                canvas.polygon(corners, fill=shape.fill, outline=shape.stroke)
            elif isinstance(shape, Line) and shape.stroke and not shape.dashes:
                canvas.line((at(shape.x1, shape.y1), at(shape.x2, shape.y2)), fill=shape.stroke,
                            width=max(1, round((shape.stroke_width or 1.0) * SCALE)))
            elif isinstance(shape, Text):
                colour = int((shape.fill or "#000000")[1:], 16)
                _text(image, at(shape.x, shape.y), shape.text, shape.face, round(shape.size * SCALE),
                      (colour >> 16, (colour >> 8) & 0xFF, colour & 0xFF))
        return image

    figures = [
        block.data
        for document in (every_node_document(), hostile_document(),
                         layout(pirdoc.load(REPO / "fixtures" / "example-review.yaml"), "full"),
                         *(layout(import_markdown(path.read_bytes()).review, "full")
                           for path in sorted((REPO / "fixtures" / "real-world").glob("*-*.md"))[:6]))
        for block in d.iter_blocks(document.blocks)
        if isinstance(block, d.Figure)
    ]
    assert len(figures) >= 4
    for data in figures:
        drawing = chart(data, 362.0)
        if any(isinstance(shape, Line) and shape.dashes for shape in drawing.shapes):
            drawing = Chart(drawing.width, drawing.height,
                            [shape for shape in drawing.shapes if not (isinstance(shape, Line) and shape.dashes)])
        painted = _paint(drawing).convert("RGB")
        mapped = in_colour(drawing).quantize(palette=_palette(), dither=Image.Dither.NONE).convert("RGB")
        extrema: Any = ImageChops.difference(painted, mapped).getextrema()  # (low, high) per channel
        worst = max(high for _, high in extrema)
        assert worst <= 12, worst  # of 255 levels: one step between blends of a pair is 11


def test_a_pdf_registers_only_the_faces_its_text_needs() -> None:
    out = _run("""
        from reportlab.pdfbase import pdfmetrics
        from pirdoc import document as d
        from pirdoc.api import render_document
        from tests.documents import meta
        plain = d.Document(meta=meta(), blocks=(d.Paragraph(children=(d.Text(text="Plain words."),)),))
        render_document(plain, "pdf")
        first = sorted(name for name in pdfmetrics.getRegisteredFontNames() if name.startswith("Pirdoc"))
        code = d.Document(meta=meta(), blocks=(d.CodeBlock(text="SELECT 1;"),))
        render_document(code, "pdf")
        second = sorted(name for name in pdfmetrics.getRegisteredFontNames() if name.startswith("Pirdoc"))
        print(first, second)
    """)
    first, second = out.strip().split("] [")
    assert "PirdocMono" not in first
    assert "PirdocSans-Italic" not in first
    assert "PirdocMono" in second


def test_the_families_name_their_bold_and_italic_faces_whatever_ran_first() -> None:
    # reportlab maps a face's family to that face alone when the face is registered; a face
    # registered late (a DOCX figure read its metrics first) must not undo the family's mapping
    out = _run("""
        import warnings
        warnings.simplefilter("ignore")
        import pirdoc
        from reportlab.lib.fonts import tt2ps
        review = pirdoc.load("fixtures/example-review.yaml")
        pirdoc.render(review, "docx", allow_problems=True)
        pirdoc.render(review, "pdf", allow_problems=True)
        print(tt2ps("pirdocsans", 1, 0), tt2ps("pirdocsans", 0, 1), tt2ps("pirdocmono", 1, 0))
    """)
    assert out.split() == ["PirdocSans-Bold", "PirdocSans-Italic", "PirdocMono-Bold"]



_SPLIT_TEXT = st.lists(
    st.text(alphabet=st.one_of(
        st.sampled_from(list("abc xyz\u00a0-.,")),
        st.characters(min_codepoint=0x20, max_codepoint=0x24F),  # Latin, more than one subset's worth
        st.sampled_from(["\u05d0", "\u4e00", "\U0001f525", "\u0378"]),  # Hebrew, CJK (no glyph), emoji, unassigned
    ), max_size=60),
    min_size=1, max_size=12,
)


@given(
    texts=st.lists(st.text(_SCRIPTS, max_size=50), min_size=1, max_size=8).map(lambda texts: ["incident", *texts]),
)
def test_a_face_measures_text_as_reportlab_does_also_from_memory(texts: list[str]) -> None:
    from pirdoc.renderers._pdf_fonts import _Face

    path = str(font_file(SANS))
    ours, theirs = _Face("probe-widths-ours", path), TTFont("probe-widths-theirs", path)
    for text in [*texts, *texts]:  # the second time from what the face remembers
        for size in (7.5, 10, 10.0, 10.5, 16.0):  # each size remembered apart
            assert ours.stringWidth(text, size) == theirs.stringWidth(text, size)
            assert ours.stringWidth(text.encode(), size) == theirs.stringWidth(text.encode(), size)
    assert all(len(text) <= 40 for text, _ in ours._widths)  # a long text is not kept


@pytest.mark.parametrize("face", [SANS, SANS_BOLD])
def test_a_faces_ascent_and_descent_are_what_reportlab_finds_for_a_truetype_font(
    face: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pirdoc.renderers._pdf_fonts import _Face

    path = str(font_file(face))
    ours, theirs = _Face(f"probe-ascent-{face}", path), TTFont(f"probe-ascent-theirs-{face}", path)
    # in reportlab's registry directly: registerFont would map the second font of one face name
    # to the first, and compare ours with itself
    monkeypatch.setitem(pdfmetrics._fonts, ours.fontName, ours)
    monkeypatch.setitem(pdfmetrics._fonts, theirs.fontName, theirs)
    assert pdfmetrics.getFont(theirs.fontName) is theirs
    assert not hasattr(theirs, "ascent")  # reportlab's own font has none: it falls back to the face's
    for size in (None, 7.5, 10, 10.5):
        assert pdfmetrics.getAscentDescent(ours.fontName, size) == pdfmetrics.getAscentDescent(theirs.fontName, size)


@pytest.mark.parametrize(("first", "then"), [(10, 10 + 0j), (0, -0.0), (10, Decimal(10)), (1, True)])
def test_a_size_that_equals_a_remembered_one_is_measured_as_reportlab_measures_it(first: Any, then: Any) -> None:
    from pirdoc.renderers._pdf_fonts import _Face

    path = str(font_file(SANS))
    ours, theirs = _Face("probe-sizes-ours", path), TTFont("probe-sizes-theirs", path)

    def outcome(font: TTFont, size: Any) -> str:
        try:
            return repr(font.stringWidth("word", size))
        except Exception as error:  # the refusal is what is compared
            return f"{type(error).__name__}: {error}"

    ours.stringWidth("word", first)
    assert outcome(ours, then) == outcome(theirs, then)


def test_a_face_remembers_a_bounded_number_of_widths(monkeypatch: pytest.MonkeyPatch) -> None:
    from pirdoc.renderers import _pdf_fonts

    monkeypatch.setattr(_pdf_fonts, "_WIDTHS_KEPT", 3)
    path = str(font_file(SANS))
    ours, theirs = _pdf_fonts._Face("probe-bound-ours", path), TTFont("probe-bound-theirs", path)
    for word in ["incident", "response", "pool", "database", "timeout", "incident", "pool"]:
        assert ours.stringWidth(word, 10.5) == theirs.stringWidth(word, 10.5)
        assert len(ours._widths) <= 3


@given(texts=_SPLIT_TEXT, many=st.booleans())
def test_a_face_encodes_text_into_the_subsets_reportlab_would(texts: list[str], many: bool) -> None:
    from pirdoc.renderers._pdf_fonts import _Face

    path = str(font_file(SANS))
    ours, theirs = _Face("probe-ours", path), TTFont("probe-theirs", path)
    document: object = type("Doc", (), {})()  # the key reportlab keeps a document's subsets under
    if many:  # more characters than one subset holds: later texts need codes of a second subset
        texts = ["".join(map(chr, range(0x100, 0x24F))), *texts]
    for text in texts:  # one document: later texts meet the codes earlier ones assigned
        assert ours.splitString(text, document) == theirs.splitString(text, document)
    assert ours.state[document].assignments == theirs.state[document].assignments
    assert ours.state[document].subsets == theirs.state[document].subsets


@pytest.mark.parametrize("text", ["13:47 Investigation Began", "response", "✓ met", "Time to Acknowledge"])
@pytest.mark.parametrize("face", [SANS, SANS_BOLD])
@pytest.mark.parametrize("start", [(10.0, 28.0), (10.25, 29.5), (27.4969, 30.0), (3.7, 31.5)])
def test_figure_text_painted_glyph_by_glyph_is_what_pillow_paints(
    text: str, face: str, start: tuple[float, float]
) -> None:
    from PIL import Image, ImageChops, ImageDraw

    from pirdoc.renderers._figure_png import _font, _text

    ours, pillows = (Image.new("RGB", (400, 40), "white") for _ in range(2))
    _text(ours, start, text, face, 16, (31, 41, 51))
    ImageDraw.Draw(pillows).text(start, text, font=_font(face, 16), fill=(31, 41, 51), anchor="ls")
    assert ImageChops.difference(ours, pillows).getbbox() is None


@pytest.mark.parametrize("start", [(10.0, 28.0), (27.4969, 30.0)])
def test_figure_text_painted_glyph_by_glyph_keeps_each_glyph_within_a_pixel(start: tuple[float, float]) -> None:
    from PIL import Image, ImageChops, ImageDraw, ImageStat

    from pirdoc.renderers._figure_png import _font, _text

    # pairs a kerning table would move (pirdoc does not kern, as the PDF does not); where the pen
    # position sums differently from Pillow's 1/64-pixel sums, a glyph may land a pixel apart
    text = "AVA Wo Ty"
    ours, pillows = (Image.new("RGB", (400, 40), "white") for _ in range(2))
    _text(ours, start, text, SANS, 16, (0, 0, 0))
    ImageDraw.Draw(pillows).text(start, text, font=_font(SANS, 16), fill=(0, 0, 0), anchor="ls")
    ours_box = ImageChops.invert(ours.convert("L")).getbbox()
    pillows_box = ImageChops.invert(pillows.convert("L")).getbbox()
    assert ours_box is not None
    assert pillows_box is not None
    assert all(abs(a - b) <= 1 for a, b in zip(ours_box, pillows_box, strict=True)), (ours_box, pillows_box)
    ink = [255 - ImageStat.Stat(image.convert("L")).mean[0] for image in (ours, pillows)]
    assert ink[0] == pytest.approx(ink[1], rel=0.02)


def test_a_letters_coverage_picks_the_nearest_blend_of_its_pair() -> None:
    """On a background a text pair names, each coverage level is painted as the palette blend
    nearest to the exact mix of the two colours (within half a step between blends)."""
    from pirdoc.renderers._figure_png import _blends, _entries, _ink, _steps
    from pirdoc.renderers._figures import TEXT_PAIRS

    def rgb(colour: str) -> tuple[int, int, int]:
        value = int(colour[1:], 16)
        return value >> 16, (value >> 8) & 0xFF, value & 0xFF

    entries = _entries()
    for background, text in TEXT_PAIRS:
        table = _blends(_ink(background), text)
        assert table is not None
        assert table[0] == _ink(background)
        assert table[255] == _ink(text)
        back, ink = rgb(background), rgb(text)
        step = max(abs(a - b) for a, b in zip(back, ink, strict=True)) / (_steps() + 1)
        for coverage in range(256):
            exact = [a + (b - a) * coverage / 255 for a, b in zip(back, ink, strict=True)]
            painted = entries[table[coverage]]
            assert max(abs(a - b) for a, b in zip(painted, exact, strict=True)) <= step / 2 + 1, (coverage, text)
    assert _blends(_ink("#1f2933"), "#ffffff") is None  # white on ink: no such pair, painted in colour


def test_a_label_across_two_colours_is_painted_in_colour_then_mapped() -> None:
    """A label whose pixels lie on more than one colour (here half on a bar) cannot be set from
    one pair's blends: it is painted in colour over what lies under it and mapped to the palette,
    exactly as a whole picture painted in colour would be."""
    from PIL import Image, ImageChops, ImageDraw

    from pirdoc.renderers._figure_png import SCALE, _paint, _palette, _text
    from pirdoc.renderers._figures import Chart, Rect, Text

    bar, ink = "#e8590c", "#1f2933"
    drawing = Chart(120.0, 30.0, [Rect(0, 0, 40, 30, bar), Text(20, 10, "Mitigated 14:05", SANS, 9, ink)])
    painted = _paint(drawing).convert("RGB")
    expected = Image.new("RGB", (240, 60), "white")
    ImageDraw.Draw(expected).rectangle((0, 0, 80, 60), fill=bar)
    _text(expected, (20 * SCALE, 20 * SCALE), "Mitigated 14:05", SANS, 18, (0x1F, 0x29, 0x33))
    mapped = expected.quantize(palette=_palette(), dither=Image.Dither.NONE).convert("RGB")
    assert ImageChops.difference(painted, mapped).getbbox() is None
    assert painted.getpixel((70, 55)) == (0xE8, 0x59, 0x0C)  # the bar, below the label
