"""A paragraph tree's fragments without reportlab's tag handlers for each paragraph.

reportlab's `ParaParser` makes a paragraph's fragments (runs of text with one font, colour,
link…) by calling a start and an end handler for every tag, each copying the fragment on top of
its stack, and a data handler copying it again for every text. A fragment depends only on the
style and the tags around its text, except for one thing: each ``<a href>``, ``<u>`` and
``<strike>`` tag numbers its link and its line (underline, strike-through) in the order the tags
open in the paragraph, so that the lines of one tag join up and those of two tags do not.

So a text's fragment is made once per style and tag path by the parser itself (a "template":
the parse of that path around one text) and reused: copied, given the text, and the template's
link and line numbers replaced by those of the tag instances around the text, counted as the
parser counts them (a tag takes as many numbers as its template has more than its parent's).
A test compares the result with the parser's fragments for generated trees. Trees with any
other tag (an ``<a name>``) go to the parser.

`same_frag` takes the place of reportlab's `sameFrag` (installed into its paragraph module
when this module is first imported, by the PDF renderer), which asks whether two fragments may
share a run of a line: the same answers, for less.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeAlias

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from pirdoc._replace import replace

__all__ = ["same_frag", "text_frag", "tree_frags"]

_Key: TypeAlias = "tuple[tuple[str, tuple[tuple[str, str], ...]], ...]"
"""A tag path: each tag with its attributes (a link's target left out: see `_key_attributes`)."""

_TAGS: Final = {
    "font": frozenset({"face", "color", "backcolor"}),
    "a": frozenset({"href", "color"}),
    "u": frozenset(),
    "strike": frozenset(),
}
_PLACEHOLDER: Final = "x"
_REMEMBERED: Final = 4096  # templates kept (a few dozen tag paths per style in practice)


class _UnsupportedError(Exception):
    """A tree this module leaves to the parser."""


class _Templates:
    """The parser's fragment for one text under each (style, tag path), made on first use."""

    def __init__(self) -> None:
        self.known: dict[tuple[int, _Key, str], tuple[ParagraphStyle, Any]] = {}

    def get(self, parser: ParaParser, style: ParagraphStyle, path: _Key, tail: tuple[Any, ...]) -> Any:
        """The fragment of a text (or of ``tail``, a line break) under ``path`` in ``style``."""
        key = (id(style), path, tail[0][0] if tail else "")
        found = self.known.get(key)
        if found is not None and found[0] is style:
            return found[1]
        node: Any = tail[0] if tail else _PLACEHOLDER
        for tag, attributes in reversed(path):
            values = dict(attributes)
            if tag == "a":
                values["href"] = _PLACEHOLDER
            node = (tag, values, [node])
        _, frags, _ = parser.tt_parse(("para", {}, [node]), style)
        if frags is None or len(frags) != 1:
            raise _UnsupportedError
        if len(self.known) >= _REMEMBERED:
            self.known.clear()
        self.known[key] = (style, frags[0])
        return frags[0]


_TEMPLATES: Final = _Templates()


def text_frag(parser: ParaParser, style: ParagraphStyle, text: str) -> Any:
    """The fragment the parser makes of ``text`` without tags in ``style``."""
    return _made(_TEMPLATES.get(parser, style, (), ()), text, (), ())


def tree_frags(parser: ParaParser, nodes: Sequence[Any], style: ParagraphStyle) -> list[Any] | None:
    """The fragments reportlab's parser makes of paragraph tree ``nodes`` in ``style``, or None
    for a tree with a tag this module does not make fragments for."""
    out: list[Any] = []
    counters = [0, 0]  # links and lines numbered so far, as the parser counts them
    try:
        _walk(parser, style, nodes, (), (), (), out, counters, None)
    except _UnsupportedError:
        return None
    return out


def _walk(parser: ParaParser, style: ParagraphStyle, nodes: Sequence[Any], path: _Key,
          links: tuple[tuple[int, str], ...], lines: tuple[int, ...], out: list[Any], counters: list[int],
          here: Any) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(_made(_TEMPLATES.get(parser, style, path, ()), node, links, lines))
            continue
        tag, attributes, children = node
        if tag == "br" and children is None and not attributes:
            out.append(_made(_TEMPLATES.get(parser, style, path, (("br", {}, None),)), "", links, lines))
            continue
        allowed = _TAGS.get(tag)
        if allowed is None or children is None or not allowed.issuperset(attributes):
            raise _UnsupportedError
        if tag == "a" and not attributes.get("href", "").strip():
            raise _UnsupportedError
        parent = here if here is not None else _TEMPLATES.get(parser, style, path, ())
        inner_path = (*path, (tag, _key_attributes(tag, attributes)))
        inner = _TEMPLATES.get(parser, style, inner_path, ())
        new_links = len(inner.link) - len(parent.link)
        new_lines = len(inner.us_lines) - len(parent.us_lines)
        if new_links < 0 or new_lines < 0 or (tag == "a") != (new_links == 1):
            raise _UnsupportedError
        inner_links = links
        if new_links:
            inner_links = (*links, (counters[0], attributes["href"].strip()))
            counters[0] += 1
        inner_lines = (*lines, *range(counters[1], counters[1] + new_lines))
        counters[1] += new_lines
        _walk(parser, style, children, inner_path, inner_links, inner_lines, out, counters, inner)


def _key_attributes(tag: str, attributes: dict[str, str]) -> tuple[tuple[str, str], ...]:
    # A link's target is not part of the key: it is put in by `_made`, so the templates do not
    # grow with every link of every review.
    return tuple(sorted((name, value) for name, value in attributes.items() if not (tag == "a" and name == "href")))


def _made(template: Any, text: str, links: tuple[tuple[int, str], ...], lines: tuple[int, ...]) -> Any:
    if len(template.link) != len(links) or len(template.us_lines) != len(lines):
        raise _UnsupportedError
    # copy.copy of a fragment, which has only a __dict__, without copy's generic protocol
    # (a tenth of building a PDF's paragraphs)
    frag = object.__new__(type(template))
    frag.__dict__.update(template.__dict__)
    frag.text = text
    if links:
        frag.link = list(links)
    if lines:
        frag.us_lines = [(number, *entry[1:]) for number, entry in zip(lines, template.us_lines, strict=True)]
    return frag


# ---------------------------------------------------------------------------- one run or two

# What reportlab compares (in this order) to put two fragments in one run of a line
_SAME_RUN: Final = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")
_ABSENT: Final = object()


def same_frag(first: Any, second: Any) -> bool:
    """reportlab's `sameFrag`: False when either fragment is a picture or a line break, else
    whether they agree on each of `_SAME_RUN`, an attribute one of them lacks agreeing only with
    its lack in the other.

    reportlab's own, in C, asks each fragment for each of those by name, and every one a
    fragment lacks (five or more, in most) raises an AttributeError that it then clears: 6 µs a
    call, a few hundred calls a review as lines of several fragments are broken. This reads the
    fragments' dictionaries (a test compares the answers on generated pairs); fragments of any
    other class than the parser's go to reportlab's."""
    if type(first) is not ParaFrag or type(second) is not ParaFrag:
        answer: bool = _REPORTLAB_SAME_FRAG(first, second)
        return answer
    mine = first.__dict__
    theirs = second.__dict__
    if "cbDefn" in mine or "lineBreak" in mine or "cbDefn" in theirs or "lineBreak" in theirs:
        return False
    for name in _SAME_RUN:
        a = mine.get(name, _ABSENT)
        b = theirs.get(name, _ABSENT)
        if a is not b and (a is _ABSENT or b is _ABSENT or a != b):
            return False
    return True


_REPORTLAB_SAME_FRAG: Final = replace(_paragraph, "sameFrag", same_frag)
