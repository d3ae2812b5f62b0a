"""Paragraphs of one fragment (one face, size and colour: nine in ten of a review's paragraphs
and table cells): their line breaking and their drawing, as reportlab's own branches for them
break and draw them, for less.

`pirdoc.renderers._pdf_text.Para` calls these first and hands every other paragraph to
reportlab. Each gives the same result as reportlab's code, byte for byte in the file (tests
compare the two on generated paragraphs and whole documents).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as _paragraph

from pirdoc.renderers._pdf_objects import fp_str

__all__ = ["draw_plain_lines", "draw_plain_on", "mark_anchor", "one_face_lines", "text_end"]


def one_face_lines(paragraph: Paragraph, width: float | list[float] | tuple[float, ...]) -> Any:
    """reportlab's line breaking of a paragraph of one fragment (one face, size and colour: most
    paragraphs and table cells), or None where the paragraph needs more than plain greedy
    breaking, which reportlab's `Paragraph.breakLines` then does.

    The same lines, widths and result object as reportlab's own branch for one fragment, in the
    same order of floating-point sums (tests compare the two on generated text and the PDFs of
    the example and the hostile document byte for byte); it measures each word with one call to the face instead
    of three layers of lookup, and takes words off a list by index, not by popping its head.
    That branch was a tenth of a PDF.
    """
    frags = paragraph.frags
    style = paragraph.style
    if len(frags) != 1 or style.endDots or style.wordWrap or style.shaping:
        return None
    fragment = frags[0]
    if (hasattr(fragment, "cbDefn") or hasattr(fragment, "backColor") or not hasattr(fragment, "text")
            or getattr(style, "hyphenationLang", None) or style.uriWasteReduce or style.embeddedHyphenation):
        return None
    text = _paragraph.strip(fragment.text)
    if _paragraph._shy in text:
        return None
    face = getFont(fragment.fontName)
    if not isinstance(face, TTFont) or isinstance(width, tuple):
        return None
    max_widths = width if isinstance(width, list) else [width]
    first_width = max_widths[0]
    paragraph._width_max = 0
    paragraph.height = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0
    _paragraph._handleBulletWidth(paragraph.bulletText, style, max_widths)
    size = fragment.fontSize
    ascent, descent = getAscentDescent(fragment.fontName, size)
    if not text:
        return fragment.clone(kind=0, lines=[], ascent=ascent, descent=descent, fontSize=size)
    measure = face.stringWidth
    space = measure(" ", size)
    shrink = style.spaceShrinkage * space  # a line may take this much more per space it has
    last = len(max_widths) - 1
    line_number = 0
    max_width = max_widths[0]
    split_long = style.splitLongWords
    widest: float = 0  # an int where no line is wider, as reportlab leaves it
    lines: list[tuple[float, list[str]]] = []
    line: list[str] = []
    current = -space
    for word in _paragraph.split(text):
        word_width = measure(word, size)
        new_width = current + space + word_width
        limit = max_width + shrink * len(line)
        if new_width > limit and split_long and word_width > max_widths[min(line_number, last)]:
            max_widths[0] = first_width  # as it was before the bullet: reportlab takes that off again
            return None  # a word wider than the line: reportlab cuts it
        if new_width <= limit or not line:
            line.append(word)
            current = new_width
        else:
            if current > widest:
                widest = current
            lines.append((max_width - current, line))
            line = [word]
            current = word_width
            line_number += 1
            max_width = max_widths[min(last, line_number)]
    if current > widest:
        widest = current
    lines.append((max_width - current, line))
    paragraph._width_max = widest
    return fragment.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=size)


def draw_plain_on(paragraph: Paragraph, canvas: Any, x: float, y: float, available: float) -> bool:
    """Draw a plain paragraph (`_plain_code`) at ``x``, ``y`` as platypus draws a flowable, and
    return True; False, having drawn nothing, for any other.

    platypus saves the canvas state, translates, draws and restores, and the paragraph saves and
    restores again around its colour: four copies of the canvas state for a paragraph that
    changes nothing but the position, which only the graphics state in the file needs to undo.
    This writes the same operators, and puts back the one thing the translation changed on the
    canvas, its transformation matrix (a heading's bookmark reads it)."""
    if paragraph.debug or getattr(paragraph, "_showBoundary", None):
        return False
    entries = _plain_code(paragraph, canvas)
    if entries is None:
        return False
    code = canvas._code
    matrix = canvas._currentMatrix
    code.append("q")
    canvas.translate(paragraph._hAlignAdjust(x, available), y)
    mark_anchor(paragraph, canvas)
    code += entries
    code.append("Q")
    canvas._currentMatrix = matrix
    return True


def mark_anchor(paragraph: Paragraph, canvas: Any) -> None:
    """The paragraph's link target (a heading's), at its top, where it is drawn."""
    anchor = getattr(paragraph, "_pirdoc_anchor", None)
    if anchor is not None:
        canvas.bookmarkHorizontal(anchor, 0, paragraph.height)


def draw_plain_lines(paragraph: Paragraph) -> bool:
    """Draw a plain paragraph (`_plain_code`) on its canvas and return True; False, having
    drawn nothing, for any other, which reportlab's `Paragraph.drawPara` then draws."""
    entries = _plain_code(paragraph, paragraph.canv)
    if entries is None:
        return False
    paragraph.canv._code += entries
    return True


def _plain_code(paragraph: Paragraph, canvas: Any) -> list[str] | None:
    """The content stream reportlab's `Paragraph.drawPara` writes for a paragraph of one
    fragment, set flush left without decoration, in a colour of the canvas's opacity (nine in
    ten of a review's paragraphs and table cells, list items with their bullet among them); None
    for any other.

    The same operators, byte for byte (tests draw generated paragraphs and render documents both
    ways), made as one string instead of through a text object whose every call formats and
    appends an operator: that was a sixth of a PDF. A bullet is written as reportlab's bullet
    function writes it, in a text object of its own. The canvas's state does not change:
    reportlab sets the colour between a save and a restore of it, so it is only written (and the
    document marked as PDF 1.4, as setting a colour with an alpha marks it).
    """
    if not _plain(paragraph, canvas):
        return None
    blpara = paragraph.blPara
    style = paragraph.style
    document = canvas._doc
    escape = canvas._escape
    size = blpara.fontSize
    top = _first_baseline(paragraph, blpara)
    entries = ["q"]
    offset = style.firstLineIndent  # where the first line starts: after the bullet, if there is one
    bullet = paragraph.bulletText
    if bullet:
        colour = getattr(style, "bulletColor", style.textColor)
        x, y = style.bulletIndent, top + getattr(style, "bulletOffsetY", 0)
        bullet_size = style.bulletFontSize
        select = f"{fp_str(bullet_size)} Tf {fp_str(bullet_size * 1.2)} TL"  # reportlab's default leading
        shown, _ = _shown(getFont(style.bulletFontName), bullet, document, escape, select, -1)
        entries.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {fp_str((colour.red, colour.green, colour.blue))} rg {shown} ET")
        # A colour's alpha marks the file as PDF 1.4; this one is the graphics state's already (`_plain`)
        document.ensureMinPdfVersion("transparency")
        end = x + canvas.stringWidth(bullet, style.bulletFontName, bullet_size) + bullet_size * 0.6
        offset = max(offset, end - style.leftIndent)
    colour = blpara.textColor
    entries.append(f"{fp_str((colour.red, colour.green, colour.blue))} rg")
    document.ensureMinPdfVersion("transparency")  # as setting a colour's alpha (already the state's) does
    face = getFont(blpara.fontName)
    select = f"{fp_str(size)} Tf {fp_str(style.leading)} TL"
    code = ["BT", f"1 0 0 1 {fp_str(style.leftIndent, top)} Tm"]
    subset_in_use = -1
    for extra_space, words in blpara.lines:
        text = " ".join(words)
        moved = offset > 1e-6 or offset < -1e-6
        if moved:
            code.append(f"{fp_str(offset, 0)} Td")
        spaces = _narrowed_spaces(extra_space, len(words) + text.count("\u00a0") - 1)
        if spaces > 0:  # a line let past the width by the space shrinkage: its spaces narrowed
            code.append(f"{fp_str(extra_space / float(spaces))} Tw")
        shown, subset_in_use = _shown(face, text, document, escape, select, subset_in_use)
        code.append(shown + " T*")
        if spaces > 0:
            code.append("0 Tw")
        if moved:
            code.append(f"{fp_str(-offset, 0)} Td")
        offset = 0  # only the first line is moved
    code.append("ET")
    entries += (" ".join(code), "Q")
    return entries


def _first_baseline(paragraph: Paragraph, first: Any) -> float:
    """Where reportlab's `drawPara` sets a paragraph's first baseline: a font size below its top
    (or the ascent, as reportlab's setting says), of ``first``, its lines' or first line's font."""
    size = first.fontSize
    return float(paragraph.height - (size if _paragraph.paraFontSizeHeightOffset else getattr(first, "ascent", size)))


def _narrowed_spaces(extra_space: float, spaces: int) -> int:
    """How many of a line's ``spaces`` reportlab narrows to fit it: all of them when the space
    shrinkage let the line past the width, else none."""
    return 0 if extra_space > -1e-8 else spaces


def text_end(paragraph: Paragraph) -> tuple[float, float]:
    """Where the text of a wrapped, flush-left ``paragraph`` with no bullet and a fixed leading (a
    contents entry) ends: the end of its last line and that line's baseline, in the paragraph's
    coordinates, as reportlab's `drawPara` places them, one leading between lines."""
    style = paragraph.style
    assert style.alignment == TA_LEFT, "set flush left"
    assert not paragraph.bulletText, "without a bullet"
    assert not getattr(style, "autoLeading", ""), "its lines one leading apart"
    blpara = paragraph.blPara
    lines = blpara.lines
    if not lines:
        return style.leftIndent + style.firstLineIndent, paragraph.height - style.fontSize
    last = lines[-1]
    if blpara.kind == 0:
        extra, words = last
        text = " ".join(words)
        width = stringWidth(text, blpara.fontName, blpara.fontSize)
        spaces = len(words) - 1 + text.count("\u00a0")
        first = blpara
    else:  # several fragments: faces for other scripts, a link or code in the text
        extra = last.extraSpace
        shown = [part for part in last.words if not hasattr(part, "cbDefn")]
        width = sum(stringWidth(part.text, part.fontName, part.fontSize) for part in shown)
        spaces = last.wordCount - 1 + sum(part.text.count("\u00a0") for part in shown)
        first = lines[0]
    if _narrowed_spaces(extra, spaces) > 0:  # drawn narrowed to the width
        width += extra
    indent = style.firstLineIndent if len(lines) == 1 else 0
    return style.leftIndent + indent + width, _first_baseline(paragraph, first) - (len(lines) - 1) * style.leading


def _plain(paragraph: Paragraph, canvas: Any) -> bool:
    """True if `_plain_code` writes what reportlab would for ``paragraph`` on ``canvas``."""
    style = paragraph.style
    blpara = paragraph.blPara
    bullet = paragraph.bulletText
    bullet_colour = getattr(style, "bulletColor", style.textColor)
    opacity = canvas._extgstate.getValue("ca")
    return (
        # reportlab's branch for one fragment, flush left, in a TrueType face, on a page drawn upwards
        blpara.kind == 0 and bool(blpara.lines) and style.alignment == TA_LEFT
        and isinstance(getFont(blpara.fontName), TTFont) and bool(canvas.bottomup)
        # text in an RGB colour whose alpha is the graphics state's (another would set a new state)
        and type(blpara.textColor) is Color and blpara.textColor.alpha == opacity
        # nothing that branch draws besides the words: underlines, links, a background or border
        and not (blpara.us_lines or blpara.link or style.backColor or (style.borderColor and style.borderWidth))
        # no other line positions, leading or direction, no colour space imposed on the canvas
        and getattr(paragraph, "_offsets", None) is None and not style.wordWrap
        and getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")) not in ("max", "min")
        and not getattr(canvas, "_enforceColorSpace", None)
        # reportlab spaces a "preformatted" paragraph class's lines as written
        and "preformatted" not in type(paragraph).__name__.lower()
        # a bullet of text at its indent, in a TrueType face, in an RGB colour whose alpha is the
        # graphics state's (another alpha would set a new state inside the bullet's text object)
        and (not bullet or (
            isinstance(bullet, str) and style.bulletAnchor == "start" and type(bullet_colour) is Color
            and isinstance(getFont(style.bulletFontName), TTFont) and bullet_colour.alpha == opacity
        ))
    )


def _shown(face: TTFont, text: str, document: Any, escape: Callable[[bytes], str], select: str,
           subset_in_use: int) -> tuple[str, int]:
    """The operators that show ``text`` in ``face`` (selecting each font subset it needs, as a
    text object does when the subset changes), and the subset in use after them."""
    shown: list[str] = []
    for subset, encoded in face.splitString(text, document):
        if subset != subset_in_use:
            shown.append(f"{face.getSubsetInternalName(subset, document)} {select}")
            subset_in_use = subset
        shown.append(f"({escape(encoded)}) Tj")
    return " ".join(shown), subset_in_use
