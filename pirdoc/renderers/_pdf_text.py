"""Paragraphs for the PDF renderer, built from a tree of text and tags instead of markup text.

reportlab's `Paragraph` normally takes markup, which it parses with `html.parser` into
"fragments" (runs of text with one font, colour, link...). The PDF renderer already has the
structure, so escaping it into markup only for reportlab to parse it back cost about a fifth
of a full render. Here the same structure is written as reportlab's *tuple tree* (``(tag,
attributes, children)``, children being text or more tuples), and its fragments come from
reportlab's own `ParaParser`: through `ParaParser.tt_parse` for the rare tree with an unusual
tag, otherwise copied from the parser's fragment for each tag path (`pirdoc.renderers._pdf_frags`).
Only the HTML tokenizer, and the per-paragraph tag handling, are skipped. Text in a tree is never
markup: a ``<`` in it is a character, so nothing needs escaping.

`to_markup` writes a tree as the equivalent markup; the renderer never uses it, the test that
proves both routes give the same fragments does.

`Para` is a `Paragraph` that remembers its line breaking for the last width it was wrapped at:
tables wrap their cells several times at the same width (to size the rows, to split, to draw).
The result of `Paragraph.wrap` depends only on the text, the style and the width, so it is
reused when those are unchanged.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TypeAlias

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from pirdoc.renderers import _pdf_words  # noqa: F401 - installs the long-word splitters
from pirdoc.renderers._fonts import visual_runs
from pirdoc.renderers._pdf_frags import text_frag, tree_frags
from pirdoc.renderers._pdf_plain import draw_plain_lines, draw_plain_on, mark_anchor, one_face_lines

__all__ = [
    "CHUNK_CHARACTERS", "Node", "Para", "ParagraphMaker", "Tag", "chunks", "font", "plain_text", "runs", "to_markup",
]

Tag: TypeAlias = "tuple[str, dict[str, str], list[Node] | None]"
"""``(tag, attributes, children)``: a reportlab paragraph tag; ``None`` children for an empty
tag such as ``br``. Attribute names are lower case, as `html.parser` hands them to reportlab."""

Node: TypeAlias = "str | Tag"
"""Text (literal, never markup) or a tag."""

_SPACES = re.compile(r"[^\S\u00a0]+")


def font(children: list[Node], **attributes: str) -> Tag:
    """A ``<font>`` tag (``face``, ``color``, ``backcolor``) around ``children``."""
    return ("font", {name.lower(): value for name, value in attributes.items()}, children)


def runs(text: str, primary: str) -> list[Node]:
    """``text`` in ``primary`` with fallback faces: one ``<font face=...>`` per run, so it is
    right inside any surrounding tag, whatever the paragraph style's own font is.

    Each run of white space other than no-break spaces becomes one space, as reportlab's
    markup cleaner does for markup text (which also counts a zero-width space as white space
    when the text holds a no-break space; here it is always kept, as a break opportunity);
    no-break spaces are kept (code blocks use them to keep indentation).
    """
    text = _SPACES.sub(" ", text)
    return [("font", {"face": face}, [part]) for face, part in visual_runs(text, primary)]


def to_markup(nodes: Sequence[Node]) -> str:
    """The markup reportlab would parse into the same fragments as ``nodes``."""
    # Imported here: saxutils imports urllib.request (and with it http, ssl and email), a tenth
    # of the PDF renderer's import, and only the tests write markup.
    from xml.sax.saxutils import escape, quoteattr

    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(escape(node))
            continue
        tag, attributes, children = node
        attribute_text = "".join(f" {name}={quoteattr(value)}" for name, value in attributes.items())
        if children is None:
            out.append(f"<{tag}{attribute_text}/>")
        else:
            out.append(f"<{tag}{attribute_text}>{to_markup(children)}</{tag}>")
    return "".join(out)


def plain_text(nodes: Sequence[Node]) -> str:
    """The text of ``nodes`` without tags."""
    return "".join(node if isinstance(node, str) else plain_text(node[2] or ()) for node in nodes)


def _without_idle_faces(nodes: Sequence[Node], face: str) -> list[Node]:
    """``nodes`` without the ``<font face=...>`` tags that name the face already in force.

    `runs` tags every run so that it is right anywhere; most runs are in the paragraph's own
    face, and reportlab's handler for each tag copies a fragment, which made font tags about
    40 % of building a paragraph. The fragments come out the same.
    """
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        tag, attributes, children = node
        if children is None:
            out.append(node)
            continue
        inner = attributes.get("face", face) if tag == "font" else face
        if tag == "font" and inner == face and attributes.keys() == {"face"}:
            out.extend(_without_idle_faces(children, face))
        else:
            out.append((tag, attributes, _without_idle_faces(children, inner)))
    return out


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that reuses its line breaking when wrapped again at the same width.

    A heading's link target (``_pirdoc_anchor``) is set where the paragraph is drawn, at its
    top: as an ``<a name>`` tag it was a fragment of its own, which sent every heading through
    reportlab's slower line breaking for several fragments.

    Most are drawn by `draw_plain_on` (`draw_plain_lines` when reportlab's `drawOn` calls
    `drawPara`), the others by reportlab.

    When it is split across a page break, the first part keeps the renderer's outline entry
    (``_pirdoc_outline``) and the link target, so a heading that does not fit on one page still
    gets its bookmark and its page in the contents.

    ``_pirdoc_drawn`` is called with the canvas, the paragraph and its position once it is drawn
    (each part of a split paragraph, in order): a contents entry notes where its text ended.
    """

    _pirdoc_wrapped: tuple[float, ParagraphStyle, Any, float, float, list[float]] | None = None
    _pirdoc_anchor: str | None = None
    _pirdoc_drawn: Callable[[Any, Paragraph, float, float], None] | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if not draw_plain_on(self, canvas, x, y, _sW):
            super().drawOn(canvas, x, y, _sW)
        if self._pirdoc_drawn is not None:
            self._pirdoc_drawn(canvas, self, self._hAlignAdjust(x, _sW), y)

    def draw(self) -> None:
        mark_anchor(self, self.canv)
        super().draw()

    def drawPara(self, debug: int = 0) -> None:  # noqa: N802 - reportlab's name
        if debug or not draw_plain_lines(self):
            super().drawPara(debug)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        memo = self._pirdoc_wrapped
        if memo is not None and memo[0] == availWidth and memo[1] is self.style:
            _, _, self.blPara, self.height, self._width_max, self._wrapWidths = memo
            self.width = availWidth
            return availWidth, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        blpara = self.__dict__.get("blPara")
        if blpara is not None and self.width == availWidth:  # not the "no room at all" answer
            self._pirdoc_wrapped = (availWidth, self.style, blpara, self.height,
                                    getattr(self, "_width_max", 0), self._wrapWidths)
        return size

    def breakLines(self, width: float | list[float] | tuple[float, ...]) -> Any:  # noqa: N802 - reportlab's name
        lines = one_face_lines(self, width)
        return super().breakLines(width) if lines is None else lines

    def split(self, availWidth: float, availHeight: float) -> list[Paragraph]:  # noqa: N803
        parts: list[Paragraph] = super().split(availWidth, availHeight)
        outline = self.__dict__.get("_pirdoc_outline")
        if outline is not None and parts:
            parts[0]._pirdoc_outline = outline
        if self._pirdoc_anchor is not None and parts:
            parts[0]._pirdoc_anchor = self._pirdoc_anchor
        for part in parts if self._pirdoc_drawn is not None else ():
            part._pirdoc_drawn = self._pirdoc_drawn
        return parts


def _joinable(texts: Sequence[str]) -> bool:
    """True when ``texts`` read the same as one fragment as one per text: not when one of several
    holds a no-break space (reportlab then splits words at every other space of that fragment,
    zero-width ones too), nor when all are blank (an empty fragment keeps its line)."""
    if len(texts) < 2:
        return True
    return not any("\u00a0" in text for text in texts) and any(not text.isspace() for text in texts)


class ParagraphMaker:
    """Makes `Para` paragraphs from trees; one per render (reportlab's parser is not shared
    between threads)."""

    def __init__(self) -> None:
        self._parser = ParaParser()
        self._parser.caseSensitive = 1  # as Paragraph sets it for its own parser

    def __call__(self, nodes: Sequence[Node], style: ParagraphStyle, *, bullet: str | None = None) -> Para:
        """A paragraph of ``nodes`` in ``style``, with ``bullet`` drawn in the style's bullet
        font at its bullet indent."""
        children = _without_idle_faces(nodes, style.fontName)
        texts = [child for child in children if isinstance(child, str)]
        if len(texts) == len(children) and _joinable(texts):
            return Para(plain_text(nodes), style, bulletText=bullet, frags=self._plain_frags(texts, style))
        made = tree_frags(self._parser, children, style)
        if made is not None:
            return Para(plain_text(nodes), style, bulletText=bullet, frags=made)
        parsed_style, frags, _bullet_frags = self._parser.tt_parse(("para", {}, children), style)
        if frags is None:  # reportlab collects syntax errors instead of raising
            raise ValueError(f"reportlab refused a paragraph tree: {self._parser.errors[:1]}")
        return Para(plain_text(nodes), parsed_style, bulletText=bullet, frags=frags)

    def _plain_frags(self, texts: Sequence[str], style: ParagraphStyle) -> list[Any]:
        """The fragment of text without tags: a copy of the paragraph's own fragment (made once
        per style, `text_frag`) holding all of ``texts``. Most paragraphs are such, and the parser's tag
        handling was a tenth of a render. The texts (`_joinable` ones, in the paragraph's own
        face) are one fragment, not one per text as reportlab's parser would make them: a
        paragraph of one fragment is broken by the lean branch (`one_face_lines`)."""
        return [text_frag(self._parser, style, "".join(texts))]

    def paragraphs(self, nodes: Sequence[Node], style: ParagraphStyle, *, bullet: str | None = None) -> list[Para]:
        """``nodes`` as one paragraph, or, past `CHUNK_CHARACTERS`, as consecutive paragraphs
        that read as one (see `chunks`): the first keeps the space before and the bullet, the
        last the space after."""
        pieces = chunks(nodes)
        if len(pieces) == 1:
            return [self(nodes, style, bullet=bullet)]
        last = len(pieces) - 1
        return [
            self(piece, _chunk_style(style, first=index == 0, last=index == last),
                 bullet=bullet if index == 0 else None)
            for index, piece in enumerate(pieces)
        ]


# ---------------------------------------------------------------------------- long paragraphs
#
# reportlab breaks a paragraph into lines in time that grows with the square of its length (it
# pops words off the front of a list), and a paragraph split across a page break is broken into
# lines again for every page it spans. A 1,000,000-character field as one paragraph took minutes;
# as paragraphs of a few thousand characters, each broken once, it takes seconds.

CHUNK_CHARACTERS: Final = 4000
"""Text longer than this is drawn as several paragraphs of at most this many characters."""

_SENTENCE_END = re.compile(r"[.!?;:][)\]\"'”’]*(?= )")


@functools.cache
def _chunk_style(style: ParagraphStyle, *, first: bool, last: bool) -> ParagraphStyle:
    """``style`` for one piece of a paragraph cut into pieces: no space between the pieces, the
    first-line indent and the keep-with-next only where the whole paragraph has them."""
    overrides: dict[str, Any] = {}
    if not first:
        overrides.update(spaceBefore=0, firstLineIndent=0)
    if not last:
        overrides.update(spaceAfter=0, keepWithNext=0)
    suffix = "-first" if first else "-last" if last else "-middle"
    return ParagraphStyle(style.name + suffix, parent=style, **overrides)


def _cut(text: str, room: int, *, piece_is_empty: bool) -> tuple[int, int]:
    """Where to end a piece that may take ``room`` more characters of ``text``: (end of the
    piece, start of the rest). After the last sentence end in the second half of the room, else
    at the last space (dropped: the piece ends the line there); with no space, before ``text``
    when the piece already holds something, else at ``room`` (a run without spaces, which
    reportlab would cut at the margin anyway)."""
    best = None
    for found in _SENTENCE_END.finditer(text, room // 2, room):
        best = found.end()
    if best is not None:
        return best, best + 1
    space = text.rfind(" ", 0, room + 1)
    if space >= 0:
        return space, space + 1
    return (room, room) if piece_is_empty else (0, 0)


_Leaf: TypeAlias = "tuple[tuple[Tag, ...], Node]"


def _leaves(nodes: Sequence[Node], ancestors: tuple[Tag, ...], out: list[_Leaf]) -> None:
    for node in nodes:
        if isinstance(node, str) or node[2] is None:
            out.append((ancestors, node))
        else:
            _leaves(node[2], (*ancestors, node), out)


def _tree(leaves: Sequence[_Leaf]) -> list[Node]:
    """The tree of ``leaves``: consecutive leaves under the same tag share one copy of it."""
    root: list[Node] = []
    open_tags: list[tuple[Tag, list[Node]]] = []
    for ancestors, node in leaves:
        common = 0
        while common < len(open_tags) and common < len(ancestors) and open_tags[common][0] is ancestors[common]:
            common += 1
        del open_tags[common:]
        for tag in ancestors[common:]:
            children: list[Node] = []
            (open_tags[-1][1] if open_tags else root).append((tag[0], tag[1], children))
            open_tags.append((tag, children))
        (open_tags[-1][1] if open_tags else root).append(node)
    return root


def chunks(nodes: Sequence[Node], size: int = CHUNK_CHARACTERS) -> list[list[Node]]:
    """``nodes`` cut into pieces of at most ``size`` characters of text, each a tree with the
    tags its text was inside; ``[nodes]`` itself when the text is no longer than that.

    A piece ends, by preference, at a line break (which the paragraph boundary replaces), after a
    sentence, at a space (dropped: the boundary ends the line there), or, in text without spaces,
    after ``size`` characters. The words and their order are unchanged."""
    if sum(len(text) for text in _texts(nodes)) <= size:
        return [list(nodes)]
    leaves: list[_Leaf] = []
    _leaves(nodes, (), leaves)
    pieces: list[list[Node]] = []
    current: list[_Leaf] = []
    used = 0

    def close() -> None:
        nonlocal current, used
        if current:
            pieces.append(_tree(current))
        current, used = [], 0

    for index, (ancestors, node) in enumerate(leaves):
        if not isinstance(node, str):
            if node[0] == "br" and used >= size // 2 and index < len(leaves) - 1:
                close()  # the next piece starts on a line of its own anyway
            else:
                current.append((ancestors, node))
            continue
        text = node
        while used + len(text) > size:
            end, rest = _cut(text, size - used, piece_is_empty=used == 0)
            if end > 0:
                current.append((ancestors, text[:end]))
            if end > 0 or used > 0:
                close()
            text = text[rest:]
        if text:
            current.append((ancestors, text))
            used += len(text)
    close()
    return pieces


def _texts(nodes: Sequence[Node]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, str):
            yield node
        elif node[2] is not None:
            yield from _texts(node[2])
