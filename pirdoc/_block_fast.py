"""Shorter ways through markdown-it-py's block parse for the blocks templates are made of.

A filled-in template is mostly paragraphs (``**Root Cause:** …``), headings and lists of one-line
items at the margin (``- Duration: 4 h``, ``- [x] Backend API``). markdown-it parses each such
item as a nested document: it opens the item, runs every block rule on its line, runs the
paragraph rule's terminator rules on the line below, cuts the line out, and returns; list items
were a third of a template's parse. `fast_parser` gives a parser:

- a block state (`_State`) that finds its lines with string methods rather than a loop over
  them, and makes its tokens without the dataclass constructor's keyword handling;
- a list whose items are each one plain line at the margin (`_plain_items`) made in one step;
  any other list goes to markdown-it's rule;
- a paragraph outside lists and quotes taken as one slice of the text, and an ATX heading read
  with string methods (markdown-it's rules, written for Python's strings);
- a table outside lists and quotes made without `push`, once markdown-it's rule has said it
  starts there; a row split with `str.split` when no pipe in it is escaped (`split_row`).

The tokens and the environment are markdown-it's own, token for token: property tests parse
random Markdown (lists, breaks, quotes, fences, tables, tabs, references, Unicode spaces) both
ways.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import itertools
import re
from collections.abc import Callable
from typing import Final, Literal

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType

from pirdoc._block_rules import BREAK, BlockRule, wrap_rules
from pirdoc._replace import replace

_TABLE_MODULE = importlib.import_module("markdown_it.rules_block.table")  # not the rule of that name
try:
    # The trimming markdown-it-py's rules use, and its table rule's cap on filled-in cells: the
    # shortcuts below are its 4.3 rules, and with an earlier version the parser is left as it is.
    from markdown_it.common.utils import mdTrim

    _MAX_AUTOCOMPLETED_CELLS: Final[int] = _TABLE_MODULE.MAX_AUTOCOMPLETED_CELLS
    _AVAILABLE = True
except (ImportError, AttributeError):  # pragma: no cover - markdown-it-py before 4.3
    _AVAILABLE = False

__all__ = ["fast_parser"]

# Token's fields, in order, as markdown-it-py 4.3 has them. Tokens are made by setting
# these directly (a third of the constructor's cost); with any other set of fields, the
# constructor is used.
_FIELDS: Final = (
    "type", "tag", "nesting", "attrs", "map", "level", "children", "content", "markup", "info", "meta", "block",
    "hidden",
)
_DIRECT = tuple(field.name for field in dataclasses.fields(Token)) == _FIELDS and hasattr(Token, "__slots__")
_new = object.__new__


def _token(
    kind: str, tag: str, nesting: Literal[-1, 0, 1], level: int, lines: list[int] | None = None, markup: str = ""
) -> Token:
    """A block token as `StateBlock.push` makes it, with its level, lines and markup set."""
    if not _DIRECT:
        return Token(kind, tag, nesting, map=lines, level=level, markup=markup, block=True)
    token: Token = _new(Token)
    token.type = kind
    token.tag = tag
    token.nesting = nesting
    token.attrs = {}
    token.map = lines
    token.level = level
    token.children = None
    token.content = ""
    token.markup = markup
    token.info = ""
    token.meta = {}
    token.block = True
    token.hidden = False
    return token


class _State(StateBlock):
    """markdown-it's block state, its line marks found with string methods."""

    def __init__(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> None:
        super().__init__("", md, env, tokens)  # every other field as markdown-it sets it
        self.src = src
        lines = src.split("\n")
        if lines[-1].strip(" \t") == "":
            # No line after a final newline, nor for a last line of only spaces and tabs.
            lines.pop()
        lengths = [len(line) for line in lines]
        begins = list(itertools.accumulate([length + 1 for length in lengths], initial=0))
        begins.pop()
        shifts = [length - len(line.lstrip(" \t")) for length, line in zip(lengths, lines, strict=True)]
        if "\t" in src:
            counts = [_columns(line, shift) for line, shift in zip(lines, shifts, strict=True)]
        else:
            counts = shifts[:]
        end = len(src)
        self.bMarks = [*begins, end]
        self.eMarks = [*(begin + length for begin, length in zip(begins, lengths, strict=True)), end]
        self.tShift = [*shifts, 0]
        self.sCount = [*counts, 0]
        self.bsCount = [0] * (len(lines) + 1)
        self.lineMax = len(lines)

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        """As `StateBlock.push`: the token at the level it opens or closes, appended."""
        if nesting < 0:
            self.level -= 1
        token = _token(ttype, tag, nesting, self.level)
        if nesting > 0:
            self.level += 1
        self.tokens.append(token)
        return token


def _columns(line: str, shift: int) -> int:
    """The column the text of ``line`` starts at, tabs to the next multiple of four."""
    column = 0
    for character in line[:shift]:
        column += 4 - column % 4 if character == "\t" else 1
    return column


def _parse(block: ParserBlock, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token] | None:
    # ParserBlock.parse, with the state above.
    if not src:
        return None
    state = _State(src, md, env, tokens)
    block.tokenize(state, state.line, state.lineMax)
    return state.tokens


# What may not start a plain item's text: a character that could start a block of its own
# inside the item (heading, quote, fence, thematic break, nested list, HTML), a nested ordered
# list's marker, or a link reference definition.
_BLOCK_CHARACTERS: Final = frozenset("#>`~-*+_<")
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)](?:[ \t]|$)")


def _plain_items(state: StateBlock, line: int) -> tuple[list[tuple[int, str, int]], bool, int] | None:
    """The items of the bullet list starting at ``line`` when each is one line at the margin:
    the marker, one space and text that starts no block; the next line another such item with
    the same marker, or blank; after blank lines, another such item or a line at the margin that
    is none (which ends the list). Returns each item's line, text and the line its item ends at,
    whether the list is loose, and where it ends; None when any of that does not hold."""
    src, begins, ends, shifts = state.src, state.bMarks, state.eMarks, state.tShift
    last = state.lineMax
    marker = src[begins[line]]
    items: list[tuple[int, str, int]] = []
    loose = False
    while True:
        begin = begins[line]
        finish = ends[line]
        if shifts[line] or finish - begin < 3 or src[begin] != marker or src[begin + 1] != " ":
            return None
        first = src[begin + 2]
        if (
            first in _BLOCK_CHARACTERS
            or first.isspace()
            or (first == "[" and "]:" in src[begin:finish])
            or (first.isdigit() and _ORDERED_MARKER.match(src, begin + 2, finish) is not None)
        ):
            return None
        below = line + 1
        while below < last and begins[below] + shifts[below] >= ends[below]:
            below += 1
        items.append((line, mdTrim(src[begin + 2 : finish]), below))
        if below >= last:
            return items, loose, below
        if below > line + 1:  # blank lines between
            if shifts[below]:
                return None  # indented: more of the item, or a list of its own
            start = begins[below]
            finish = ends[below]
            if (
                src[start] != marker
                or BREAK.fullmatch(src, start, finish) is not None
                or (finish > start + 1 and src[start + 1] not in " \t")
            ):
                return items, loose, below  # not an item of this list: it ends here
            loose = True
        line = below


def _plain_list(rule: BlockRule) -> BlockRule:
    def plain(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        at = state.bMarks[start]
        if (
            silent
            or state.src[at : at + 2] not in ("- ", "* ", "+ ")
            or state.tShift[start]
            or state.level
            or state.blkIndent
            or state.listIndent != -1
            or state.parentType != "root"
            or end != state.lineMax
            or state.md.options.get("tasklists", False)
            or state.md.options.maxNesting < 3  # markdown-it would leave the items empty
        ):
            return rule(state, start, end, silent)
        found = _plain_items(state, start)
        if found is None:
            return rule(state, start, end, silent)
        items, loose, after = found
        marker = state.src[at]
        add = state.tokens.append
        add(_token("bullet_list_open", "ul", 1, 0, [start, after], marker))
        for line, text, item_end in items:
            add(_token("list_item_open", "li", 1, 1, [line, item_end], marker))
            opening = _token("paragraph_open", "p", 1, 2, [line, line + 1])
            inline = _token("inline", "", 0, 3, [line, line + 1])
            inline.content = text
            inline.children = []
            closing = _token("paragraph_close", "p", -1, 2)
            opening.hidden = closing.hidden = not loose  # a tight list's paragraphs are hidden
            add(opening)
            add(inline)
            add(closing)
            add(_token("list_item_close", "li", -1, 1, markup=marker))
        add(_token("bullet_list_close", "ul", -1, 0, markup=marker))
        state.line = after
        return True

    return plain


def _root_paragraph(rule: BlockRule) -> BlockRule:
    # markdown-it's paragraph rule, for a paragraph outside any list or quote: there the lines
    # lie one after the other in the text, unindented, so the paragraph's text is one slice of it
    # rather than its lines cut out one by one.
    def paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent or state.blkIndent or state.parentType != "root":
            return rule(state, start, end, silent)
        begins, ends, shifts, counts = state.bMarks, state.eMarks, state.tShift, state.sCount
        last = state.lineMax
        terminators = state.md.block.ruler.getRules("paragraph")
        state.parentType = "paragraph"
        below = start + 1
        while below < last and begins[below] + shifts[below] < ends[below]:
            # An indented line, or one a quote has claimed, continues the paragraph; any other
            # goes on unless a block that may interrupt a paragraph starts on it.
            if 0 <= counts[below] <= 3:
                for terminator in terminators:
                    if terminator(state, below, last, True):
                        break
                else:
                    below += 1
                    continue
                break
            below += 1
        state.parentType = "root"
        level = state.level
        add = state.tokens.append
        add(_token("paragraph_open", "p", 1, level, [start, below]))
        inline = _token("inline", "", 0, level + 1, [start, below])
        inline.content = mdTrim(state.src[begins[start] : ends[below - 1]])
        inline.children = []
        add(inline)
        add(_token("paragraph_close", "p", -1, level))
        state.line = below
        return True

    return paragraph


def _heading(rule: BlockRule) -> BlockRule:
    # markdown-it's ATX heading rule, with string methods for its loops over characters: it
    # replaces ``rule`` wherever it stands, asked silently or not.
    def heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.is_code_block(start):
            return False
        text = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
        size = len(text) - len(text.lstrip("#"))
        if not 0 < size <= 6 or text[size : size + 1] not in ("", " ", "\t"):
            return False
        if silent:
            return True
        words = text[size:].rstrip(" \t")
        unclosed = words.rstrip("#")
        if unclosed[-1:] in (" ", "\t"):  # a closing run of "#" after a space is not the heading's
            words = unclosed
        level = state.level
        add = state.tokens.append
        lines = [start, start + 1]
        add(_token("heading_open", f"h{size}", 1, level, lines, "#" * size))
        inline = _token("inline", "", 0, level + 1, [start, start + 1])
        inline.content = mdTrim(words)
        inline.children = []
        add(inline)
        add(_token("heading_close", f"h{size}", -1, level, markup="#" * size))
        state.line = start + 1
        return True

    return heading


def _root_table(rule: BlockRule) -> BlockRule:
    # markdown-it's GFM table rule outside lists and quotes: markdown-it's own rule decides
    # whether a table starts here (asked silently), and the table is then made as that rule
    # makes it, its tokens without `push`.
    def table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent or state.blkIndent or state.parentType != "root":
            return rule(state, start, end, silent)
        if not rule(state, start, end, True):
            return False
        src, begins, ends, shifts = state.src, state.bMarks, state.eMarks, state.tShift
        delimiters = (mdTrim(cell) for cell in src[begins[start + 1] + shifts[start + 1] : ends[start + 1]].split("|"))
        aligns = [_ALIGNS[(cell[0] == ":", cell[-1] == ":")] for cell in delimiters if cell]
        styles = [{"style": "text-align:" + align} if align else None for align in aligns]
        level = state.level
        add = state.tokens.append
        table_lines = [start, 0]
        add(_token("table_open", "table", 1, level, table_lines))
        add(_token("thead_open", "thead", 1, level + 1, [start, start + 1]))
        _row(add, _cells(mdTrim(src[begins[start] + shifts[start] : ends[start]])), "th", start, level + 2, styles)
        add(_token("thead_close", "thead", -1, level + 1))
        terminators = state.md.block.ruler.getRules("blockquote")  # as the rule has it
        state.parentType = "table"
        body_lines: list[int] | None = None
        autocompleted = 0
        below = start + 2
        while below < end:
            if state.sCount[below] < state.blkIndent or any(stops(state, below, end, True) for stops in terminators):
                break
            text = mdTrim(src[begins[below] + shifts[below] : ends[below]])
            if not text or state.is_code_block(below):
                break
            cells = _cells(text)
            autocompleted += len(aligns) - len(cells)
            if autocompleted > _MAX_AUTOCOMPLETED_CELLS:
                break
            if body_lines is None:
                body_lines = [start + 2, 0]
                add(_token("tbody_open", "tbody", 1, level + 1, body_lines))
            _row(add, cells, "td", below, level + 2, styles)
            below += 1
        if body_lines is not None:
            add(_token("tbody_close", "tbody", -1, level + 1))
            body_lines[1] = below
        add(_token("table_close", "table", -1, level))
        table_lines[1] = below
        state.parentType = "root"
        state.line = below
        return True

    return table


_ALIGNS: Final = {(False, False): "", (True, False): "left", (False, True): "right", (True, True): "center"}


def _cells(row: str) -> list[str]:
    """A row's cells, as the table rule splits them: without the empty ones outside its pipes."""
    cells = split_row(row)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _row(
    add: Callable[[Token], None], cells: list[str], tag: str, line: int, level: int, styles: list[dict[str, str] | None]
) -> None:
    """A table row's tokens: one cell per column, missing cells empty, extra ones left out."""
    add(_token("tr_open", "tr", 1, level, [line, line + 1]))
    for index, style in enumerate(styles):
        opening = _token(f"{tag}_open", tag, 1, level + 1)
        if style is not None:
            opening.attrs = dict(style)
        add(opening)
        inline = _token("inline", "", 0, level + 2, [line, line + 1])
        cell = cells[index] if index < len(cells) else ""
        inline.content = mdTrim(cell) if cell else ""
        inline.children = []
        add(inline)
        add(_token(f"{tag}_close", tag, -1, level + 1))
    add(_token("tr_close", "tr", -1, level))


def split_row(row: str) -> list[str]:
    """A table row's cells as markdown-it's ``escapedSplit`` finds them: split at each pipe not
    right after a backslash (which is dropped). Without an escaped pipe that is `str.split`, not
    a loop over the row's characters."""
    if "\\|" in row:
        cells: list[str] = _ESCAPED_SPLIT(row)
        return cells
    return row.split("|")


_ESCAPED_SPLIT: Callable[[str], list[str]] = (
    replace(_TABLE_MODULE, "escapedSplit", split_row) if _AVAILABLE else _TABLE_MODULE.escapedSplit
)

_SHORTCUTS: Final[dict[str, Callable[[BlockRule], BlockRule]]] = {
    "table": _root_table,
    "list": _plain_list,
    "heading": _heading,
    "paragraph": _root_paragraph,
}


def fast_parser(parser: MarkdownIt) -> MarkdownIt:
    """``parser`` with the block state and the shortcuts above (with markdown-it-py 4.3 or later;
    with an earlier one, ``parser`` as it is). Call it once, after any other change to its block
    rules."""
    if not _AVAILABLE:  # pragma: no cover - markdown-it-py before 4.3
        return parser
    block = parser.block
    block.parse = functools.partial(_parse, block)  # type: ignore[method-assign]
    return wrap_rules(parser, lambda name, rule: _SHORTCUTS[name](rule) if name in _SHORTCUTS else None)
