"""Narrative Markdown → Document nodes, in one place.

Narrative fields of a review are CommonMark with GFM tables, strikethrough and task lists. They are
parsed here once, with markdown-it-py and raw HTML off, into the same `pirdoc.document` nodes the
layout builds; renderers never see Markdown. This module is also the boundary where characters no
output format can carry are removed (with a `PirdocWarning`), and where links are filtered: only
http, https, mailto and in-document ``#anchor`` targets become links.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pirdoc import document as d
from pirdoc._block_fast import fast_parser
from pirdoc._block_rules import gate
from pirdoc._characters import UNCARRIABLE, neutralise
from pirdoc._warn import warn
from pirdoc.document import is_safe_link

__all__ = ["MAX_NESTING", "link_text", "parse_blocks", "parse_inlines", "sanitize"]

# The ASCII characters of UNCARRIABLE (C0 controls other than tab and newline), as bytes.
_UNCARRIABLE_ASCII = bytes(code for code in range(0x80) if UNCARRIABLE.match(chr(code)))
_TASK_PREFIX = re.compile(r"\[([ xX])\][ \t]+")


def sanitize(text: str) -> str:
    """``text`` with line endings normalised, uncarriable characters removed and bidi controls
    and invisible format characters shown as ``[U+XXXX]`` (`pirdoc._characters.neutralise`).

    Changing anything warns with a `PirdocWarning` that says what was changed.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() and len(text.encode("ascii").translate(None, _UNCARRIABLE_ASCII)) == len(text):
        return text  # no control character to remove, and nothing invisible is ASCII
    cleaned, count = UNCARRIABLE.subn("", text)
    if count:
        warn(
            f"removed {count} control or invalid character(s) that no output format can carry",
        )
    shown = neutralise(cleaned)
    if shown != cleaned:
        # layout has done this field by field already (naming each field); this is for text
        # that did not come from a review field, such as a classification option
        warn("shown invisible or bidirectional control character(s) as text")
    return shown


# A ticket key as trackers write them (Jira, Linear, YouTrack: PLAT-1202, OPS-7), and the path
# segments under which a bare number is an issue or pull request (GitHub, GitLab, Gitea, Redmine).
_TICKET_KEY = re.compile(r"[A-Z][A-Z0-9_]*-[0-9]+")
_ISSUE_COLLECTIONS = frozenset({"issues", "issue", "pull", "pulls", "merge_requests", "tickets", "ticket"})


def link_text(url: str) -> str:
    """What a link to ``url`` shows: the ticket id when the URL's last path segment is one
    (``…/browse/PLAT-1202`` → ``PLAT-1202``, ``…/issues/42`` → ``#42``), else the URL itself."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return url
    segments = [urllib.parse.unquote(segment) for segment in parts.path.split("/") if segment]
    if not segments:
        return url
    last = segments[-1]
    if _TICKET_KEY.fullmatch(last):
        return last
    if last.isascii() and last.isdigit() and len(segments) > 1 and segments[-2].lower() in _ISSUE_COLLECTIONS:
        return f"#{last}"
    return url


MAX_NESTING = 40
"""Markdown nested deeper than this (quotes, lists and their items, emphasis and links, each a
level) is shown as its source text, in a code block, with a warning: deeper structure would
not fit on a page, and each format's reader has its own, lower, limit."""

# markdown-it stops parsing, and drops the rest of the text, where nesting reaches its
# maxNesting (20 in its CommonMark preset). Above our limit, so that a document deep enough to
# be cut is always one we show as source instead.
_PARSER_NESTING = MAX_NESTING + 20


@functools.cache
def _parser(inline: bool = True, unused: frozenset[str] = frozenset()) -> MarkdownIt:
    # Built once per process and set of rules: constructing MarkdownIt compiles its rule
    # chains. Without ``inline``, inline tokens keep their content and are not parsed into
    # children; ``unused`` block rules are left out (`parser_for`).
    # "tasklists" stated, though off as by default: read at every list item, an option left out
    # costs a KeyError raised and caught in markdown-it-py's options mapping.
    options = {"html": False, "linkify": False, "maxNesting": _PARSER_NESTING, "tasklists": False}
    parser = gate(MarkdownIt("commonmark", options).enable(["table", "strikethrough"]))
    # With html off the HTML rules never match; disabled, they are not tried at every line and
    # every "<" (a tenth of the block rules' calls).
    fast_parser(parser.disable(["html_block", "html_inline", *sorted(unused)]))
    # Without inline parsing (a filled template, `pirdoc.importers`), joining the text tokens of
    # each inline token has none to join, and the text comes sanitized (`sanitize`: line ends
    # and NUL), which leaves normalizing it nothing to do but copy it.
    return parser if inline else parser.disable(["inline", "text_join", "normalize"])


# Block rules that match only where the text has one of their markers: a fenced code block
# (three backticks or tildes), a quote (">"), a link reference definition ("]:"). markdown-it
# tries every block rule at the start of every line, and the first two again at every line of a
# paragraph to see whether they end it; most reviews have none of the three. (The setext
# heading rule is left out the same way, where `_may_underline` finds no underline.)
_MARKED_RULES: Final = (("fence", ("```", "~~~")), ("blockquote", (">",)), ("reference", ("]:",)))


def parser_for(text: str, *, inline: bool = True) -> MarkdownIt:
    """The narrative parser for ``text`` (which `sanitize` has cleaned), without the block rules
    whose markers ``text`` lacks: such a rule can match nowhere in it, so the tokens are the ones
    the whole parser makes (a test compares the two), for less."""
    unused = [rule for rule, markers in _MARKED_RULES if not any(marker in text for marker in markers)]
    if not _may_underline(text):
        unused.append("lheading")
    return _parser(inline, frozenset(unused))


# A line that could underline a setext heading, with the line end before it: a run of "=" or of
# "-" with nothing else on it but the indentation, quote markers and trailing spaces or tabs.
# (Starting at the line end, the search skips from one to the next rather than trying every
# position; the first line, with no line above, is no underline.)
_UNDERLINE = re.compile(r"\n[ \t>]*(?:=+|-+)[ \t]*(?=\n|\Z)")


def _may_underline(text: str) -> bool:
    """False when no line of ``text`` can make the line above it a setext heading: no line
    could be an underline (`_UNDERLINE`) below a line with more than spaces and tabs on it.
    markdown-it tries the setext rule at the start of every paragraph, walking its lines to the
    end; templates underline nothing and rule off their sections below blank lines. Text with
    a carriage return (not sanitized: markdown-it's normalize rule makes it a line end) keeps
    the rule."""
    if "\r" in text:
        return True
    for underline in _UNDERLINE.finditer(text):
        above_end = underline.start()  # the newline ending the line above
        if text[text.rfind("\n", 0, above_end) + 1 : above_end].strip(" \t"):
            return True
    return False


def _nesting(tokens: list[Token]) -> int:
    """How deep ``tokens`` nest, inline markup included; a loop, not a recursion."""
    deepest = 0
    for token in tokens:
        deepest = max(deepest, token.level)
        depth = 0
        for child in token.children or ():
            depth += child.nesting
            deepest = max(deepest, token.level + 1 + depth)
    return deepest


# Markdown syntax that a single line of text can hold: characters that start inline markup
# (escapes, code, emphasis, strikethrough, links, autolinks, entities, table pipes) and whitespace
# other than spaces; and block markers at the start of a line (lists, quotes, headings, breaks).
_INLINE_SYNTAX = re.compile(r"[\\`*_~\[\]<>&|]|[^\S ]")
_BLOCK_START = re.compile(r"[-+=>#]|\d+[.)]")


def _is_plain(text: str) -> bool:
    """True if markdown-it would read ``text`` as one paragraph holding exactly ``text``: the
    common case (titles, names, short cells), which then needs no parser."""
    return (
        text[:1] not in ("", " ")
        and text[-1] != " "
        and _BLOCK_START.match(text) is None
        and _INLINE_SYNTAX.search(text) is None
    )


def parse_blocks(markdown: str) -> tuple[d.Block, ...]:
    """The blocks of a narrative field."""
    text = sanitize(markdown)
    if _is_plain(text):
        return (d.Paragraph(children=(d.Text(text=text),)),)
    tokens = parser_for(text).parse(text)
    depth = _nesting(tokens)
    if depth > MAX_NESTING:
        warn(
            f"Markdown nested {depth} levels deep (the limit is {MAX_NESTING}) shown as its source text",
        )
        return (d.CodeBlock(text=text),)
    return tuple(_blocks(_tree(tokens)))


class _Node:
    """A node of a token stream's tree: what the converters below read of markdown-it-py's
    ``SyntaxTreeNode`` (type, the token's attributes, children), without its link to the parent.
    That link made every parsed field's tree a reference cycle, freed only by the garbage
    collector's full collections: at the limits, half of a render's peak memory was such trees
    waiting to be collected. These trees are freed as soon as their field is converted."""

    __slots__ = ("children", "token", "type")

    def __init__(self, type_: str, token: Token, children: list[_Node]) -> None:
        self.type = type_
        self.token = token  # the token itself, or a container's opening token
        self.children = children

    @property
    def content(self) -> str:
        return self.token.content

    @property
    def info(self) -> str:
        return self.token.info

    @property
    def hidden(self) -> bool:
        return self.token.hidden

    @property
    def attrs(self) -> dict[str, str | int | float]:
        return self.token.attrs


def _tree(tokens: list[Token]) -> list[_Node]:
    """The nodes of ``tokens``: an ``x_open`` … ``x_close`` pair is a node ``x`` holding what lies
    between; an inline token's children are its node's children. A loop over the block tokens
    (their depth is bounded before this is called); inline tokens hold a flat list."""
    top: list[_Node] = []
    stack = [top]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token.type.removesuffix("_open"), token, [])
            stack[-1].append(node)
            stack.append(node.children)
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].append(_Node(token.type, token, _tree(token.children) if token.children else []))
    return top


def parse_inlines(markdown: str) -> tuple[d.Inline, ...]:
    """A short field (a title, a table cell) as inlines; paragraphs are joined by line breaks."""
    inlines: list[d.Inline] = []
    for block in parse_blocks(markdown):
        if inlines:
            inlines.append(d.LineBreak())
        inlines.extend(flatten(block))
    return tuple(_merge_text(inlines))


def flatten(block: d.Block) -> Iterator[d.Inline]:
    """The inline content of ``block``, for places that hold only inlines (table cells)."""
    match block:
        case d.Paragraph(children=children):
            yield from children
        case d.Heading(children=children):
            yield d.Strong(children=children)
        case d.BulletList(items=items) | d.OrderedList(items=items):
            for index, item in enumerate(items):
                if index:
                    yield d.LineBreak()
                yield d.Text(text="• " if isinstance(block, d.BulletList) else f"{block.start + index}. ")
                for position, child in enumerate(item):
                    if position:
                        yield d.LineBreak()
                    yield from flatten(child)
        case d.Checklist(items=checklist_items):
            for index, check in enumerate(checklist_items):
                if index:
                    yield d.LineBreak()
                yield d.Text(text=d.check_mark(check.checked) + " ")
                yield from check.children
        case d.CodeBlock(text=text):
            yield d.Code(text=text)
        case d.Callout(children=children):
            for index, child in enumerate(children):
                if index:
                    yield d.LineBreak()
                yield from flatten(child)
        case d.Table(header=header, rows=rows):
            for row_index, row in enumerate((header, *rows)):
                if row_index:
                    yield d.LineBreak()
                for cell_index, cell in enumerate(row):
                    if cell_index:
                        yield d.Text(text=" | ")
                    yield from cell
        case d.Figure(caption=caption):
            yield d.Text(text=caption)
        case d.ThematicBreak():
            yield d.Text(text="—")


# ---------------------------------------------------------------------------- blocks


def _blocks(nodes: list[_Node]) -> Iterator[d.Block]:
    for node in nodes:
        converter = _BLOCK_CONVERTERS.get(node.type)
        if converter is None:
            # A token type with no converter (a future plugin): keep its text, say so.
            warn(f"Markdown element {node.type!r} shown as plain text")
            yield d.Paragraph(children=(d.Text(text=node.content),))
        else:
            yield from converter(node)


def _paragraph(node: _Node) -> Iterator[d.Block]:
    children = _inline_children(node)
    if children:
        yield d.Paragraph(children=children)


def _heading(node: _Node) -> Iterator[d.Block]:
    # Headings inside a narrative field would break the document outline; show them as bold.
    yield d.Paragraph(children=(d.Strong(children=_inline_children(node)),))


def _list(node: _Node) -> Iterator[d.Block]:
    items = [tuple(_blocks(item.children)) for item in node.children]
    tight = all(child.hidden for item in node.children for child in item.children if child.type == "paragraph")
    if node.type == "bullet_list":
        checklist = _as_checklist(items)
        if checklist is not None:
            yield checklist
            return
        yield d.BulletList(items=tuple(items), tight=tight)
    else:
        start = int(node.attrs.get("start", 1) or 1)
        yield d.OrderedList(items=tuple(items), start=start, tight=tight)


def _as_checklist(items: list[tuple[d.Block, ...]]) -> d.Checklist | None:
    """A bullet list whose every item is one paragraph starting ``[ ]`` or ``[x]``."""
    checks: list[d.ChecklistItem] = []
    for item in items:
        if len(item) != 1 or not isinstance(item[0], d.Paragraph):
            return None
        children = item[0].children
        first = children[0] if children else None
        if not isinstance(first, d.Text):
            return None
        match = _TASK_PREFIX.match(first.text)
        if match is None:
            return None
        rest = first.text[match.end() :]
        tail = ((d.Text(text=rest),) if rest else ()) + children[1:]
        checks.append(d.ChecklistItem(checked=match.group(1) != " ", children=tail))
    return d.Checklist(items=tuple(checks), role="narrative") if checks else None


def _code(node: _Node) -> Iterator[d.Block]:
    language = node.info.split()[0] if node.info.strip() else None
    yield d.CodeBlock(text=node.content.removesuffix("\n"), language=language)


def _blockquote(node: _Node) -> Iterator[d.Block]:
    yield d.Callout(kind="note", children=tuple(_blocks(node.children)))


def _table(node: _Node) -> Iterator[d.Block]:
    rows: list[tuple[d.Cell, ...]] = []
    for section in node.children:
        for row in section.children:
            rows.append(tuple(_inline_children(cell) for cell in row.children))
    if not rows:
        return
    header, *body = rows
    width = len(header)
    body = [tuple(row[:width]) + ((),) * (width - len(row)) for row in body]
    yield d.Table(header=header, rows=tuple(body), role="narrative")


def _rule(node: _Node) -> Iterator[d.Block]:
    yield d.ThematicBreak()


_BLOCK_CONVERTERS: dict[str, Callable[[_Node], Iterator[d.Block]]] = {
    "paragraph": _paragraph,
    "heading": _heading,
    "lheading": _heading,
    "bullet_list": _list,
    "ordered_list": _list,
    "fence": _code,
    "code_block": _code,
    "blockquote": _blockquote,
    "table": _table,
    "hr": _rule,
}


# ---------------------------------------------------------------------------- inlines


def _inline_children(node: _Node) -> tuple[d.Inline, ...]:
    inlines: list[d.Inline] = []
    for child in node.children:
        if child.type == "inline":
            inlines.extend(_inlines(child.children))
    return tuple(_merge_text(inlines))


def _inlines(nodes: list[_Node]) -> Iterator[d.Inline]:
    for node in nodes:
        match node.type:
            case "text":
                yield d.Text(text=node.content)
            case "softbreak":
                yield d.Text(text=" ")
            case "hardbreak":
                yield d.LineBreak()
            case "code_inline":
                yield d.Code(text=node.content)
            case "strong":
                yield d.Strong(children=tuple(_merge_text(_inlines(node.children))))
            case "em":
                yield d.Emphasis(children=tuple(_merge_text(_inlines(node.children))))
            case "s":
                yield d.Strikethrough(children=tuple(_merge_text(_inlines(node.children))))
            case "link":
                yield from _link(node)
            case "image":
                yield from _image(node)
            case _:
                warn(f"Markdown element {node.type!r} shown as plain text")
                yield d.Text(text=node.content)


def _link(node: _Node) -> Iterator[d.Inline]:
    target = str(node.attrs.get("href", ""))
    children = tuple(_merge_text(_inlines(node.children)))
    if is_safe_link(target):
        if children == (d.Text(text=target),):  # an autolink, or a URL written as its own text
            children = (d.Text(text=link_text(target)),)
        yield d.Link(target=target, children=children)
    else:
        yield from children


def _image(node: _Node) -> Iterator[d.Inline]:
    # Documents carry no images of their own; an image becomes a link to it with its alt text.
    target = str(node.attrs.get("src", ""))
    alt = tuple(_merge_text(_inlines(node.children))) or (d.Text(text=target),)
    if is_safe_link(target) and not target.startswith("#"):
        yield d.Link(target=target, children=alt)
    else:
        yield from alt


def _merge_text(inlines: Iterator[d.Inline] | list[d.Inline]) -> Iterator[d.Inline]:
    """Adjacent Text nodes joined into one (markdown-it splits text at every special character)."""
    pending: list[str] = []
    for node in inlines:
        if isinstance(node, d.Text):
            pending.append(node.text)
            continue
        if pending:
            yield d.Text(text="".join(pending))
            pending = []
        yield node
    if pending:
        yield d.Text(text="".join(pending))
