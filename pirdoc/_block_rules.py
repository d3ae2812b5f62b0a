"""markdown-it-py's block rules behind a look at the line they would start on.

markdown-it tries every enabled block rule at the start of every line, and the rules that can
end a paragraph again at each of its lines. Most rules need one character there (``#`` for a
heading, ``>`` for a quote, a marker for a list) and refuse everything else only after logging
their entry and asking whether the line is indented code: three calls for a no. `gate` puts
each such rule behind the one check that decides it, so a line is refused where the rule
would refuse it and everything else goes to the rule itself: the same tokens, for less (a
property test compares them with the ungated parser's on random Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

BlockRule = Callable[[StateBlock, int, int, bool], bool]
"""markdown-it's block rule: (state, start line, end line, silent) → matched."""

# The characters each rule's line must start with (after its indentation), as CommonMark has
# them: markdown-it's rule returns False for any other first character, and for an empty line.
_FIRST_CHARACTERS: Final = {
    "fence": "`~",
    "blockquote": ">",
    "reference": "[",
    "heading": "#",
}

# The chains a rule may end a block of (markdown-it's "alt" lists). Replacing a rule's function
# resets its chains, so they are given again, read from the parser before the change.
_CHAINS: Final = ("paragraph", "reference", "blockquote", "list")


def _first_character(rule: BlockRule, characters: str) -> BlockRule:
    def gated(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        at = state.bMarks[start] + state.tShift[start]
        if at < state.eMarks[start] and state.src[at] in characters:
            return rule(state, start, end, silent)
        return False

    return gated


# A thematic break: three or more of one of "*", "-", "_", with spaces or tabs around them and
# nothing else (a list item "- text" starts with one, so the first character decides little).
BREAK = re.compile(r"([*_-])[ \t]*(?:\1[ \t]*){2,}")
_BREAK_CHARACTERS: Final = frozenset("*_-")


def _line_start(rule: BlockRule, characters: frozenset[str], matches: Callable[[str, int, int], object]) -> BlockRule:
    # The line's first character is one of ``characters`` and ``matches`` (a pattern's match or
    # fullmatch) finds the rest; the character is looked at first, as most lines start otherwise.
    def gated(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        at = state.bMarks[start] + state.tShift[start]
        if state.src[at : at + 1] in characters and matches(state.src, at, state.eMarks[start]):
            return rule(state, start, end, silent)
        return False

    return gated


# A list item's marker: a bullet, or up to nine digits and "." or ")", then a space, a tab or
# the line's end ("**Impact:**" starts with a bullet's character but is no item).
_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
_MARKER_CHARACTERS: Final = frozenset("-*+0123456789")


def _indented(rule: BlockRule) -> BlockRule:
    # Indented code starts only four columns in from the block's indentation.
    def gated(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent >= 4:
            return rule(state, start, end, silent)
        return False

    return gated


# A table's second line is its delimiter row: "|", "-" and ":" with spaces and tabs between, at
# least two characters, and not "-" then a space (a list item).
_DELIMITER_ROW = re.compile(r"(?!-[ \t])[-|:][-|: \t]+")
_DELIMITER_CHARACTERS: Final = frozenset("-|:")


def _over_delimiter_row(rule: BlockRule) -> BlockRule:
    def gated(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        below = start + 1
        if below >= end:
            return False
        at = state.bMarks[below] + state.tShift[below]
        if state.src[at : at + 1] in _DELIMITER_CHARACTERS and _DELIMITER_ROW.fullmatch(
            state.src, at, state.eMarks[below]
        ):
            return rule(state, start, end, silent)
        return False

    return gated


def gate(parser: MarkdownIt) -> MarkdownIt:
    """``parser`` with each enabled block rule that needs a marker behind a check for it.
    Call it once, on a parser whose rules are markdown-it's own."""
    return wrap_rules(parser, _gated)


def _gated(name: str, rule: BlockRule) -> BlockRule | None:
    if name in _FIRST_CHARACTERS:
        return _first_character(rule, _FIRST_CHARACTERS[name])
    if name == "hr":
        return _line_start(rule, _BREAK_CHARACTERS, BREAK.fullmatch)
    if name == "list":
        return _line_start(rule, _MARKER_CHARACTERS, _MARKER.match)
    if name == "code":
        return _indented(rule)
    if name == "table":
        return _over_delimiter_row(rule)
    return None


def wrap_rules(parser: MarkdownIt, wrap: Callable[[str, BlockRule], BlockRule | None]) -> MarkdownIt:
    """``parser`` with each enabled block rule for which ``wrap(name, rule)`` gives a function
    replaced by that function, in the same chains."""
    ruler = parser.block.ruler
    # getRules("") lists the enabled rules' functions in the order get_active_rules names them.
    for name, rule in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True):
        wrapped = wrap(name, rule)
        if wrapped is not None:
            chains = [chain for chain in _CHAINS if rule in ruler.getRules(chain)]
            ruler.at(name, wrapped, {"alt": chains})
    return parser
