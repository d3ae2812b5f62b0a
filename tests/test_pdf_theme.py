"""The PDF's theme options: a brand colour and a logo, checked before anything is drawn."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str

import pirdoc
from pirdoc.cli import main
from pirdoc.errors import RenderError
from pirdoc.renderers._pdf_theme import DEFAULT_ACCENT, LOGO_BOX

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
    assert "accent" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_a_logo_with_too_many_pixels_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    Image.new("1", (20_000, 20_000)).save(huge, "PNG")  # a few kilobytes, 400 million pixels
    assert huge.stat().st_size < 5_000_000
    with pytest.raises(RenderError, match="more than 4096 x 4096 pixels"):
        _render(logo=str(huge))
