"""The PDF's theme options: a brand colour, a logo and a font, checked before anything is drawn."""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str

import pirdoc
from pirdoc import document as d
from pirdoc.cli import main
from pirdoc.errors import RenderError
from pirdoc.renderers._fonts import SANS, SANS_BOLD, _glyphs
from pirdoc.renderers._pdf import PdfRenderer
from pirdoc.renderers._pdf_fonts import load_face
from pirdoc.renderers._pdf_theme import DEFAULT_ACCENT, LOGO_BOX
from tests.documents import meta

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "example-review.yaml"


def _render(**options: Any) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the example is a draft with known problems
        return pirdoc.render(pirdoc.load(EXAMPLE), "pdf", allow_problems=True, **options)


def _fill(hex_colour: str) -> bytes:
    """How reportlab writes ``hex_colour`` as a fill colour in a content stream."""
    colour = colors.HexColor(hex_colour)
    return f"{fp_str(colour.red, colour.green, colour.blue)} rg".encode()


def _logo(tmp_path: Path, size: tuple[int, int], kind: str = "PNG") -> Path:
    path = tmp_path / f"logo.{kind.lower()}"
    Image.new("RGB", size, (200, 30, 60)).save(path, kind)
    return path


def test_the_accent_colours_the_title_headings_and_table_headers() -> None:
    first = PdfReader(io.BytesIO(_render(accent="#7A1F5C"))).pages[0].get_contents()
    assert first is not None
    stream = first.get_data()
    assert _fill("#7a1f5c") in stream
    assert _fill(DEFAULT_ACCENT) not in stream
    plain = PdfReader(io.BytesIO(_render())).pages[0].get_contents()
    assert plain is not None
    assert _fill(DEFAULT_ACCENT) in plain.get_data()


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("blue", "must be a colour written #RRGGBB"),
        ("#12345", "must be a colour written #RRGGBB"),
        ("#ffee00", "is too light"),  # white header text on yellow: 1.2:1
        ("#ffffff", "is too light"),
    ],
)
def test_an_accent_that_is_not_a_readable_colour_is_refused(value: str, says: str) -> None:
    with pytest.raises(RenderError, match=f"pdf: option accent.*{says}"):
        _render(accent=value)


def test_a_logo_is_drawn_once_within_its_box_beside_the_title(tmp_path: Path) -> None:
    logo = _logo(tmp_path, (800, 100))
    for profile, pages in (("full", None), ("executive", 2)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = pirdoc.render(pirdoc.load(EXAMPLE), "pdf", profile=profile, logo=str(logo), allow_problems=True)
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages[0].images) == 1
        assert all(not page.images for page in reader.pages[1:])
        if pages is not None:
            assert len(reader.pages) <= pages  # beside the title: the briefing keeps its two pages
        # proportions kept within the box: 800 x 100 pixels drawn 120 x 15 points
        stream = reader.pages[0].get_contents()
        assert stream is not None
        drawn = re.findall(rb"([-\d.]+) 0 0 ([-\d.]+) [-\d.]+ [-\d.]+ cm\s*/\S+ Do", stream.get_data())
        assert [(float(w), float(h)) for w, h in drawn] == [(LOGO_BOX[0], LOGO_BOX[0] / 8)]


def test_a_logo_renders_to_the_same_bytes_every_time(tmp_path: Path) -> None:
    logo = str(_logo(tmp_path, (300, 120), "JPEG"))
    assert _render(logo=logo) == _render(logo=logo)


def test_a_logo_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "logo.png"
    text.write_text("not an image")
    with pytest.raises(RenderError, match="is not a PNG or JPEG image"):
        _render(logo=str(text))
    with pytest.raises(RenderError, match="does not exist"):
        _render(logo=str(tmp_path / "missing.png"))
    gif = tmp_path / "logo.gif"
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(RenderError, match="use PNG or JPEG"):
        _render(logo=str(gif))


def test_the_command_line_refuses_a_bad_theme_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["render", str(EXAMPLE), "-f", "pdf", "-O", "accent=yellow", "-o", str(out), "--allow-problems"])
    assert code == 1  # as for any option value a format refuses (docs/cli.md)
    err = capsys.readouterr().err
    assert "accent" in err
    assert "pdf: option accent" in err
    assert "pdf: pdf:" not in err  # the format is named once
    assert not out.exists() or not any(out.iterdir())


def test_a_logo_with_too_many_pixels_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    Image.new("1", (20_000, 20_000)).save(huge, "PNG")  # a few kilobytes, 400 million pixels
    assert huge.stat().st_size < 5_000_000
    with pytest.raises(RenderError, match="more than 4096 x 4096 pixels"):
        _render(logo=str(huge))


# ---------------------------------------------------------------------------- the brand font

_FONTS = Path(pirdoc.__file__).parent / "fonts"


def _brand(tmp_path: Path) -> tuple[str, str]:
    """A 'brand' font: DejaVu Sans Mono under other file names, regular and bold."""
    regular, bold = tmp_path / "Brand-Regular.ttf", tmp_path / "Brand-Bold.ttf"
    regular.write_bytes((_FONTS / "DejaVuSansMono.ttf").read_bytes())
    bold.write_bytes((_FONTS / "DejaVuSansMono-Bold.ttf").read_bytes())
    return str(regular), str(bold)


def _embedded_fonts(pdf: bytes) -> set[str]:
    """The PostScript names of the fonts the pages use, without their subset prefix."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        fonts: Any = resources.get_object()["/Font"]
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+")[-1])
    return names


def _text_document(text: str) -> d.Document:
    return d.Document(
        meta=attrs.evolve(meta(status="Draft"), profile="executive"),
        blocks=(d.Heading(level=1, children=(d.Text(text="Summary"),), anchor="summary"),
                d.Paragraph(children=(d.Strong(children=(d.Text(text="Bold:"),)), d.Text(text=" " + text)))),
    )


def test_a_brand_font_sets_every_word_and_lends_what_it_lacks_to_dejavu(tmp_path: Path) -> None:
    regular, bold = _brand(tmp_path)
    # a letter DejaVu Sans has and the brand font (DejaVu Sans Mono) does not
    lacking = next(chr(c) for c in sorted(_glyphs(SANS) - _glyphs(load_face(regular)))
                   if unicodedata.category(chr(c)) == "Ll")
    document = _text_document(f"the pool shrank {lacking} under load")
    # fonts are embedded under their PostScript names: the brand's are DejaVuSansMono(-Bold)
    assert _embedded_fonts(PdfRenderer().render(document)) == {"DejaVuSans", "DejaVuSans-Bold"}
    themed = PdfRenderer().render(document, font=regular, font_bold=bold)
    # DejaVu Sans draws only the letter the brand font lacks
    assert _embedded_fonts(themed) == {"DejaVuSansMono", "DejaVuSansMono-Bold", "DejaVuSans"}
    assert f"the pool shrank {lacking} under load" in " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(themed)).pages)
    without = PdfRenderer().render(_text_document("the pool shrank under load"), font=regular, font_bold=bold)
    assert _embedded_fonts(without) == {"DejaVuSansMono", "DejaVuSansMono-Bold"}
    # the same font, the same bytes
    assert PdfRenderer().render(document, font=regular, font_bold=bold) == themed


def test_a_font_without_its_bold_face_sets_bold_text_in_the_regular_face(tmp_path: Path) -> None:
    regular, _ = _brand(tmp_path)
    assert _embedded_fonts(PdfRenderer().render(_text_document("words"), font=regular)) == {"DejaVuSansMono"}


def test_a_font_that_is_not_a_truetype_file_is_refused_naming_the_option(tmp_path: Path) -> None:
    text = tmp_path / "Brand.ttf"
    text.write_text("not a font")
    regular, _ = _brand(tmp_path)
    with pytest.raises(RenderError, match=r"pdf: font_bold '.*Brand\.ttf': not a TrueType font"):
        _render(font=regular, font_bold=str(text))
    with pytest.raises(RenderError, match=r"pdf: font '.*missing\.ttf' does not exist"):
        _render(font=str(tmp_path / "missing.ttf"))
    with pytest.raises(RenderError, match=r"option font \(the regular face\) is needed"):
        _render(font_bold=regular)
    with pytest.raises(RenderError, match="option font_italic must be a path"):
        _render(font=regular, font_italic=3)


def test_the_command_line_refuses_a_bad_font_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    bad = tmp_path / "Brand.ttf"
    bad.write_bytes(b"\0\1\0\0 truncated")
    code = main(["render", str(EXAMPLE), "-f", "pdf", "-O", f"font={bad}", "-o", str(out), "--allow-problems"])
    assert code == 1
    assert "font" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_a_letter_the_brand_font_lacks_is_drawn_in_dejavu_of_the_same_style(tmp_path: Path) -> None:
    regular, _ = _brand(tmp_path)
    lacking = next(chr(c) for c in sorted(_glyphs(SANS_BOLD) - _glyphs(load_face(regular)))
                   if unicodedata.category(chr(c)) == "Ll")
    document = d.Document(
        meta=attrs.evolve(meta(status="Final"), profile="executive"),
        blocks=(d.Paragraph(children=(d.Strong(children=(d.Text(text=f"bold {lacking}"),)),)),),
    )
    # the regular file serves as the bold face too; its missing letter is bold DejaVu, whatever
    # this process registered the file as before
    PdfRenderer().render(_text_document("words"), font=regular)
    fonts = _embedded_fonts(PdfRenderer().render(document, font=regular))
    assert "DejaVuSans-Bold" in fonts
    assert "DejaVuSans" not in fonts
