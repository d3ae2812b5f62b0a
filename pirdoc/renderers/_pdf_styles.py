"""The PDF's colours, options and paragraph styles."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

import attrs
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle

from pirdoc import document as d
from pirdoc._methods import value_methods
from pirdoc.renderers import classification_option, page_size_option
from pirdoc.renderers._fonts import DEJAVU, MONO, SANS, Family
from pirdoc.renderers._pdf_theme import DEFAULT_ACCENT, Theme, theme_options

INK: Final = colors.HexColor("#1f2933")
MUTED: Final = colors.HexColor("#616e7c")
RULE: Final = colors.HexColor("#cbd2d9")
ACCENT: Final = colors.HexColor(DEFAULT_ACCENT)
_PADDINGS: Final = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
LINK: Final = "#1a5fb4"
TONE_COLOURS: Final[dict[str, str]] = {
    "critical": "#a61b1b",
    "high": "#d9480f",
    "medium": "#9a6700",
    "low": "#1971c2",
    "good": "#2b8a3e",
    "neutral": "#5f6b7a",
}
_CALLOUTS: Final[dict[str, tuple[str, str, str]]] = {
    # kind: (label when untitled, bar colour, background)
    "info": ("Summary", "#1971c2", "#edf4fc"),
    "warning": ("Warning", "#d9480f", "#fff4e6"),
    "note": ("Note", "#7b8794", "#f5f7fa"),
}
PAGE_SIZES: Final[dict[str, tuple[float, float]]] = {"a4": A4, "letter": letter}
CHUNK_ROWS: Final = 120
"""Tables longer than this are split into chunks before reportlab measures them."""


# ---------------------------------------------------------------------------- options


@value_methods
@attrs.frozen(repr=False, eq=False)
class _Settings:
    page_size: tuple[float, float]
    classification: str
    theme: Theme


def _parse_options(document: d.Document, options: Mapping[str, Any]) -> _Settings:
    return _Settings(
        page_size=PAGE_SIZES[page_size_option("pdf", options) or "a4"],
        classification=classification_option("pdf", document, options),
        theme=theme_options(options),
    )


# ---------------------------------------------------------------------------- styles


def _base_style(name: str, **overrides: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": SANS,
        "bulletFontName": SANS,
        "fontSize": 9.5,
        "leading": 12.5,
        "textColor": INK,
        "alignment": TA_LEFT,
        "splitLongWords": 1,
        "spaceAfter": 4,
    }
    base.update(overrides)
    return ParagraphStyle(name, **base)


# Both profiles are set for reading in print: 10.5 pt body text on 14 pt leading, at most about
# 80 characters a line (see _MEASURE); the briefing's page budget (layout's PAGE_LINES) counts
# in lines about this height (DOCX's 11 pt at 1.1 lines).
_BODY: Final = (10.5, 14.0)


class _Styles:
    """The paragraph styles in an accent colour and a text font; every one names an embedded
    font."""

    def __init__(self, accent: colors.Color, family: Family) -> None:
        size, leading = _BODY
        self.family = family

        def _style(name: str, **overrides: Any) -> ParagraphStyle:
            return _base_style(name, **{"fontName": family.regular, **overrides})

        self.body = _style("body", fontSize=size, leading=leading)
        self.cell = _style("cell", fontSize=8.5, leading=10.5, spaceAfter=0)
        self.check = _style("check", fontSize=size, leading=leading, spaceAfter=0)
        self.box = _style("box", fontSize=11, leading=12.5, spaceAfter=0)
        self.header_cell = _style(
            "header-cell", fontName=family.bold, fontSize=8.5, leading=10.5, spaceAfter=0,
            textColor=colors.white,
        )
        self.code = _style(
            "code", fontName=MONO, fontSize=8, leading=10, backColor=colors.HexColor("#f3f5f7"),
            borderPadding=(4, 4, 4, 4), leftIndent=4, rightIndent=4, spaceBefore=6, spaceAfter=10,
        )
        self.caption = _style("caption", fontSize=8, leading=10, textColor=MUTED, spaceAfter=8)
        self.callout_title = _style("callout-title", fontName=family.bold, fontSize=size, leading=leading, spaceAfter=2)
        self.id_line = _style("id-line", fontName=family.bold, fontSize=9, textColor=MUTED, spaceAfter=2)
        self.title = _style(
            "title", fontName=family.bold, fontSize=19, leading=23, textColor=accent, spaceAfter=6
        )
        self.badges = _style("badges", fontSize=9.5, leading=14, spaceAfter=6)
        self.facts = _style("facts", fontSize=8.5, leading=11, spaceAfter=0)
        self.toc_title = _style(
            "toc-title", fontName=family.bold, fontSize=12, leading=15, textColor=accent, spaceBefore=6
        )
        self.headings = (
            _style("h1", fontName=family.bold, fontSize=14, leading=17, textColor=accent,
                   spaceBefore=12, spaceAfter=5, keepWithNext=1),
            _style("h2", fontName=family.bold, fontSize=11.5, leading=14, textColor=accent,
                   spaceBefore=9, spaceAfter=4, keepWithNext=1),
            _style("h3", fontName=family.bold, fontSize=10, leading=13, textColor=INK,
                   spaceBefore=7, spaceAfter=3, keepWithNext=1),
        )
        # Contents lines wrap before the page-number column (four digits of DejaVu Sans Bold at
        # 9.5 pt, 6.6 pt each, and a gap), so a long entry never runs into its number.
        self.toc = _style("toc", fontName=family.bold, fontSize=9.5, leading=13, firstLineIndent=0, spaceAfter=1,
                          rightIndent=32)


@functools.lru_cache(maxsize=8)
def _themed_styles(accent: str = DEFAULT_ACCENT, family: Family = DEJAVU) -> _Styles:
    """The styles in an accent colour (``#rrggbb``) and a text font, built once per theme."""
    return _Styles(colors.HexColor(accent), family)
