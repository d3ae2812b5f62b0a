"""The PDF's theme options: a brand colour (``accent``), a logo (``logo``) and a text font
(``font``, ``font_bold``, ``font_italic``, ``font_bold_italic``), as a company sets them once for
every review, like the DOCX's ``template``.

All are checked before anything is drawn: a colour must keep white table-header text and
coloured headings on white readable (WCAG's 4.5:1 contrast for text), a logo must be a PNG or
JPEG image of a sensible size, and a font a TrueType file reportlab can embed that has every
printable ASCII character. Anything else is a `RenderError` naming the option.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs
from reportlab.lib import colors

from pirdoc._methods import value_methods
from pirdoc.errors import RenderError
from pirdoc.renderers._fonts import DEJAVU, Family
from pirdoc.renderers._pdf_fonts import load_face

__all__ = [
    "DEFAULT_ACCENT", "FONT_OPTIONS", "LOGO_BOX", "MAX_FONT_BYTES", "MAX_LOGO_BYTES", "MAX_LOGO_PIXELS", "Theme",
    "theme_options",
]

DEFAULT_ACCENT: Final = "#1c3d5a"

#: The largest logo file read (a logo is a few kilobytes; a photograph is a mistake).
MAX_LOGO_BYTES: Final = 5_000_000
#: The most pixels a logo may have (4096 x 4096): a larger image is decoded whole to be drawn.
MAX_LOGO_PIXELS: Final = 4096 * 4096
#: The box a logo is fitted into, in points, keeping its proportions.
LOGO_BOX: Final = (120.0, 48.0)
#: The largest font file read (a text font is well under this; a CJK font above it belongs in
#: the fallbacks pirdoc bundles).
MAX_FONT_BYTES: Final = 20_000_000
#: The font options, in the order of `Family`'s faces.
FONT_OPTIONS: Final = ("font", "font_bold", "font_italic", "font_bold_italic")

_HEX = re.compile(r"#?([0-9a-fA-F]{6})")
_MIN_CONTRAST: Final = 4.5


@value_methods
@attrs.frozen(repr=False, eq=False)
class Theme:
    """What the theme options chose: the accent colour and the logo's bytes and drawn size."""

    accent: colors.Color
    logo: bytes | None = None
    logo_size: tuple[float, float] = (0.0, 0.0)
    family: Family = DEJAVU


def theme_options(options: Mapping[str, Any]) -> Theme:
    """The theme from the ``accent``, ``logo`` and font options (all optional)."""
    accent = _accent(options.get("accent", DEFAULT_ACCENT))
    family = _family(options)
    logo = options.get("logo")
    if logo is None:
        return Theme(accent=accent, family=family)
    data, size = _logo(logo)
    return Theme(accent=accent, logo=data, logo_size=size, family=family)


def _family(options: Mapping[str, Any]) -> Family:
    """The text font the options name: ``font`` is the regular face; bold and italic default to
    it, and bold italic to the bold face (so a brand font without them still sets every word)."""
    given = {name: options.get(name) for name in FONT_OPTIONS}
    if all(value is None for value in given.values()):
        return DEJAVU
    if given["font"] is None:
        raise RenderError(
            "pdf: option font (the regular face) is needed with font_bold, font_italic or font_bold_italic"
        )
    paths = {name: _font_path(name, value) for name, value in given.items() if value is not None}
    regular = paths["font"]
    bold = paths.get("font_bold", regular)
    files = (regular, bold, paths.get("font_italic", regular), paths.get("font_bold_italic", bold))
    faces = []
    for path, style in zip(files, DEJAVU, strict=True):
        try:
            faces.append(load_face(path, style))
        except ValueError as exc:
            option = next(name for name in FONT_OPTIONS if paths.get(name) == path)  # the one that named it
            raise RenderError(f"pdf: {option} {path!r}: {exc}") from None
    return Family(*faces)


def _font_path(option: str, value: object) -> str:
    if not isinstance(value, str) and not (isinstance(value, os.PathLike) and isinstance(value.__fspath__(), str)):
        raise RenderError(f"pdf: option {option} must be a path to a TrueType (.ttf) file, not {value!r}")
    path = Path(value)
    try:
        if not path.is_file():
            raise RenderError(f"pdf: {option} {str(path)!r} does not exist or is not a file")
        if path.stat().st_size > MAX_FONT_BYTES:
            raise RenderError(f"pdf: {option} {str(path)!r} is larger than {MAX_FONT_BYTES:,} bytes")
    except OSError as exc:
        raise RenderError(f"pdf: {option} {str(path)!r} cannot be read ({exc.strerror or exc})") from None
    return str(path)


def _luminance(colour: colors.Color) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else float(((value + 0.055) / 1.055) ** 2.4)

    return 0.2126 * channel(colour.red) + 0.7152 * channel(colour.green) + 0.0722 * channel(colour.blue)


def _accent(value: object) -> colors.Color:
    match = _HEX.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise RenderError(f"pdf: option accent must be a colour written #RRGGBB (e.g. #1c3d5a), not {value!r}")
    colour = colors.HexColor(f"#{match[1].lower()}")
    contrast = 1.05 / (_luminance(colour) + 0.05)  # against white, the page and the header text
    if contrast < _MIN_CONTRAST:
        raise RenderError(
            f"pdf: option accent #{match[1].lower()} is too light: headings in it on white and white "
            f"table-header text on it need a contrast of {_MIN_CONTRAST}:1, and it has {contrast:.1f}:1"
        )
    return colour


def _logo(value: object) -> tuple[bytes, tuple[float, float]]:
    if not isinstance(value, str | os.PathLike):
        raise RenderError(f"pdf: option logo must be a path to a PNG or JPEG image, not {value!r}")
    path = Path(value)
    if not path.is_file():
        raise RenderError(f"pdf: logo {str(path)!r} does not exist or is not a file")
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise RenderError(f"pdf: logo {str(path)!r} is larger than {MAX_LOGO_BYTES:,} bytes")
    data = path.read_bytes()
    from PIL import Image, UnidentifiedImageError  # reportlab's own dependency; only for a logo

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if width * height <= MAX_LOGO_PIXELS:
                    image.verify()
    except Image.DecompressionBombError:
        width = height = MAX_LOGO_PIXELS  # header only: far too many pixels
        kind = "image"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RenderError(f"pdf: logo {str(path)!r} is not a PNG or JPEG image pirdoc can read") from None
    if width * height > MAX_LOGO_PIXELS:
        raise RenderError(f"pdf: logo {str(path)!r} has more than 4096 x 4096 pixels; a logo needs far fewer")
    if kind not in ("PNG", "JPEG") or width < 1 or height < 1:
        raise RenderError(f"pdf: logo {str(path)!r} is a {kind} image; use PNG or JPEG")
    scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
    return data, (width * scale, height * scale)
