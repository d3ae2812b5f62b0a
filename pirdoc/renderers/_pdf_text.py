"""Paragraphs for the PDF renderer, built from a tree of text and tags instead of markup text.

reportlab's `Paragraph` normally takes markup, which it parses with `html.parser` into
"fragments" (runs of text with one font, colour, link...). The PDF renderer already has the
structure, so escaping it into markup only for reportlab to parse it back cost about a fifth
of a full render. Here the same structure is written as reportlab's *tuple tree* (``(tag,
attributes, children)``, children being text or more tuples) and handed to the same
`ParaParser` start and end handlers through `ParaParser.tt_parse`, so the fragments come from
reportlab's own code; only the HTML tokenizer is skipped. Text in a tree is never markup: a
``<`` in it is a character, so nothing needs escaping.

`to_markup` writes a tree as the equivalent markup; the renderer never uses it, the test that
proves both routes give the same fragments does.

`Para` is a `Paragraph` that remembers its line breaking for the last width it was wrapped at:
tables wrap their cells several times at the same width (to size the rows, to split, to draw).
The result of `Paragraph.wrap` depends only on the text, the style and the width, so it is
reused when those are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeAlias
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from pirdoc.renderers._pdf_fonts import visual_runs

__all__ = ["Node", "Para", "ParagraphMaker", "Tag", "font", "plain_text", "runs", "to_markup"]

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

    When it is split across a page break, the first part keeps the renderer's outline entry
    (``_pirdoc_outline``), so a heading that does not fit on one page still gets its bookmark
    and its page in the contents.
    """

    _pirdoc_wrapped: tuple[float, ParagraphStyle, Any, float, float, list[float]] | None = None

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

    def split(self, availWidth: float, availHeight: float) -> list[Paragraph]:  # noqa: N803
        parts: list[Paragraph] = super().split(availWidth, availHeight)
        outline = self.__dict__.get("_pirdoc_outline")
        if outline is not None and parts:
            parts[0]._pirdoc_outline = outline
        return parts


class ParagraphMaker:
    """Makes `Para` paragraphs from trees; one per render (reportlab's parser is not shared
    between threads)."""

    def __init__(self) -> None:
        self._parser = ParaParser()
        self._parser.caseSensitive = 1  # as Paragraph sets it for its own parser

    def __call__(self, nodes: Sequence[Node], style: ParagraphStyle, *, bullet: str | None = None) -> Para:
        """A paragraph of ``nodes`` in ``style``, with ``bullet`` drawn in the style's bullet
        font at its bullet indent."""
        tree: Tag = ("para", {}, _without_idle_faces(nodes, style.fontName))
        parsed_style, frags, _bullet_frags = self._parser.tt_parse(tree, style)
        if frags is None:  # reportlab collects syntax errors instead of raising
            raise ValueError(f"reportlab refused a paragraph tree: {self._parser.errors[:1]}")
        return Para(plain_text(nodes), parsed_style, bulletText=bullet, frags=frags)
