"""Breaking words longer than a line in the PDF's paragraphs.

reportlab wraps at white space; a word longer than a whole line (a URL, a path) it cuts at
whatever character reaches the margin, so ".../PLAT-1202" could end a line as ".../PLAT-1"
and read as another ticket. These replacements of its two word splitters cut such a word at
`pirdoc.document.url_break_points` (after / ? & -) instead: the current line ends before the
word when no break point fits on it, and only a stretch wider than a whole line with no break
point in it is still cut where it reaches the margin. A word without break points is split
exactly as reportlab does. They are installed into reportlab's paragraph module when this
module is first imported (by the PDF renderer), so they apply to every paragraph reportlab
wraps in the process; words without break points are unaffected.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, Final

from reportlab.platypus import paragraph as _paragraph

from pirdoc._replace import replace
from pirdoc.document import url_break_points

__all__: list[str] = []  # importing this module installs the splitters; nothing else is public


def _cuts(widths: Sequence[float], breaks: frozenset[int], room: float, next_room: Callable[[int], float],
          *, line_has_content: bool) -> list[int]:
    """Where to cut a word whose characters have ``widths``: ``room`` is left on the current line,
    ``next_room(n)`` is the width of the n-th following line. Each cut is the last break point
    that fits; the current line, when it already holds something, may end before the word
    (a cut at 0); any other line without a break point that fits is cut at the margin."""
    cuts: list[int] = []
    start, line, count, may_be_empty = 0, room, 0, line_has_content
    while True:
        used, end, best = 0.0, start, None
        while end < len(widths) and used + widths[end] <= line:
            used += widths[end]
            end += 1
            if end in breaks:
                best = end
        if end == len(widths):
            return cuts
        if best is not None and best > start:
            cut = best
        elif may_be_empty:
            cut = start
        else:
            cut = max(end, start + 1)
        cuts.append(cut)
        start, count, may_be_empty = cut, count + 1, False
        line = next_room(count)


def _split_frag_word(w: Any, maxWidth: float, maxWidths: Sequence[float], lineno: int) -> list[Any]:  # noqa: N803
    chars = list(_paragraph._fragWordIter(w))
    text = "".join(char for _, _, char in chars)
    breaks = frozenset(url_break_points(text))
    if not breaks or any(hasattr(frag, "cbDefn") for frag, _, _ in chars):
        split: list[Any] = _ORIGINAL_SPLIT_FRAG_WORD(w, maxWidth, maxWidths, lineno)
        return split
    last = len(maxWidths) - 1
    full = maxWidths[min(last, lineno)]
    cuts = _cuts([width for _, width, _ in chars], breaks, maxWidth,
                 lambda n: maxWidths[min(last, lineno + n)], line_has_content=maxWidth < full - 0.01 * full)
    pieces: list[Any] = []
    bounds = [0, *cuts, len(chars)]
    for index, (start, end) in enumerate(itertools.pairwise(bounds)):
        groups: list[tuple[Any, str]] = []
        for frag, group in itertools.groupby(chars[start:end], key=lambda item: item[0]):
            piece = "".join(char for _, _, char in group)
            clone = frag.clone()
            if hasattr(clone, "text"):
                clone.text = piece
            groups.append((clone, piece))
        if not groups:  # the word starts on the next line
            clone = chars[0][0].clone()
            if hasattr(clone, "text"):
                clone.text = ""
            groups.append((clone, ""))
        width = sum(width for _, width, _ in chars[start:end])
        final = index == len(bounds) - 2
        kind = (_paragraph._SplitFragHS if isinstance(w, _paragraph._HSFrag) else _paragraph._SplitFragH) \
            if final else _paragraph._SplitFrag
        pieces.append(kind([width, *groups]))
    return pieces


def _split_word(w: Any, lineWidth: float, maxWidths: Sequence[float], lineno: int,  # noqa: N803
                fontName: str, fontSize: float, encoding: str = "utf8") -> list[Any]:  # noqa: N803
    text = w.decode(encoding) if isinstance(w, bytes) else w
    if _paragraph.isBidiStr(text):
        split: list[Any] = _ORIGINAL_SPLIT_WORD(w, lineWidth, maxWidths, lineno, fontName, fontSize, encoding)
        return split
    breaks = frozenset(url_break_points(text))
    widths = _char_widths(text, fontName, fontSize)
    if not breaks:
        return _split_at_margin(text, widths, lineWidth, maxWidths, lineno)
    last = len(maxWidths) - 1
    full = maxWidths[min(last, lineno)]
    cuts = _cuts(widths, breaks, full - lineWidth, lambda n: maxWidths[min(last, lineno + n)],
                 line_has_content=lineWidth > 0.01 * full)
    bounds = [0, *cuts, len(text)]
    pieces: list[Any] = [_paragraph._SplitWord(text[a:b]) for a, b in itertools.pairwise(bounds[:-1])]
    pieces.append(_paragraph._SplitWordEnd(text[bounds[-2]:]))
    return pieces


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _char_widths(text: str, face: str, size: float) -> list[float]:
    """The width of each character of ``text``, remembered per face and size: reportlab's
    `stringWidth` per character was most of the time of a long run without spaces."""
    known = _WIDTHS.setdefault((face, size), {})
    widths = []
    for char in text:
        width = known.get(char)
        if width is None:
            width = known[char] = _paragraph.stringWidth(char, face, size, "utf8")
        widths.append(width)
    return widths


def _split_at_margin(text: str, widths: Sequence[float], line_width: float, max_widths: Sequence[float],
                     lineno: int) -> list[Any]:
    """reportlab's `_splitWord` for a word without break points: each piece as long as fits on
    its line, the same pieces (its arithmetic, in its order), from remembered widths."""
    last = len(max_widths) - 1
    max_width = max_widths[min(last, lineno)]
    max_width_next = max_widths[min(last, lineno + 1)]  # as reportlab: the next line's, never updated
    pieces: list[Any] = []
    start = 0
    for index, width in enumerate(widths):
        new_line_width = line_width + width
        if new_line_width > max_width and (index > start or width <= max_width_next):
            pieces.append(_paragraph._SplitWord(text[start:index]))
            lineno += 1
            max_width = max_widths[min(last, lineno)]
            new_line_width = width
            start = index
        line_width = new_line_width
    pieces.append(_paragraph._SplitWordEnd(text[start:]))
    return pieces


_ORIGINAL_SPLIT_FRAG_WORD: Final = replace(_paragraph, "_splitFragWord", _split_frag_word)
_ORIGINAL_SPLIT_WORD: Final = replace(_paragraph, "_splitWord", _split_word)
