"""Limits on a loaded review, so that no input can make rendering run out of memory or time.

The size of the input file is limited where it is read (`pirdoc._files.read_input`), but a file
can say more than its size: a YAML alias repeats an anchored value wherever it is used, so a
small file can load as gigabytes of text. These limits are therefore checked on what was
loaded, after aliases are expanded and before anything is laid out or rendered:

- `check_data` walks the plain data a YAML, JSON or TOML file parsed into (before it becomes a
  `Review`): total text, number of values, nesting depth, and text that is not valid Unicode;
- `check_review` walks a `Review` however it was made (loaded, imported from a template, or
  built in Python): total text, the length of each field, the number of timeline events and of
  the entries of every other list, lone surrogates and the size of tables in narrative Markdown.

The limits are set where a review far beyond any real one still renders in every format in
seconds (docs/performance.md, the dimension sweep), so that a pasted log cannot stall a batch.

Each problem is one ``path: message`` line naming the field and the limit, raised together as a
`ReviewLoadError`.
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Iterator, Mapping
from typing import Any, Final

from pirdoc._attrs_fields import Where, fields_that_may_hold, join_path, path_text
from pirdoc.errors import ReviewLoadError
from pirdoc.model import is_markdown

__all__ = [
    "INPUT_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "REVIEW_SUFFIXES",
    "MAX_DEPTH",
    "MAX_FIELD_CHARACTERS",
    "MAX_INPUT_BYTES",
    "MAX_LINE_CHARACTERS",
    "MAX_LIST_ENTRIES",
    "MAX_TABLE_CELLS",
    "MAX_TABLE_COLUMNS",
    "MAX_TEXT_CHARACTERS",
    "MAX_TIMELINE_EVENTS",
    "MAX_VALUES",
    "check_data",
    "check_review",
    "table_sizes",
]

MARKDOWN_SUFFIXES = (".md", ".markdown")
"""File suffixes read as a filled-in template (with `pirdoc.from_markdown`)."""
REVIEW_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
"""File suffixes read as a review file (with `pirdoc.load`)."""
INPUT_SUFFIXES = (*REVIEW_SUFFIXES, *MARKDOWN_SUFFIXES)
"""Every file suffix `pirdoc.load` reads."""
MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Input files larger than this are refused before parsing: no review is that long, and parsing
a huge YAML file would take minutes."""
MAX_TEXT_CHARACTERS = 10 * 1024 * 1024
"""All the text of a review together (keys and values, every alias counted where it is used)."""
MAX_FIELD_CHARACTERS = 1_000_000
"""One Markdown (narrative) field: about 300 pages of PDF, a long pasted log with room to spare."""
MAX_LINE_CHARACTERS = 2_000
"""One field of plain text (the title, the incident id, names, labels, links): each is one line
in every format, and the longest links browsers accept are about this long."""
MAX_TIMELINE_EVENTS = 5_000
"""Events in the timeline; a long incident has a few hundred."""
MAX_LIST_ENTRIES = 2_000
"""Entries of any other list of a review (action items, contributing factors, attendees,
services...); a large review has a few dozen."""
MAX_VALUES = 100_000
"""Text, numbers, booleans, lists and mappings in a review, counted the same way."""
MAX_DEPTH = 24
"""Lists and mappings inside each other; a review itself needs six."""
MAX_TABLE_COLUMNS = 50
"""Columns of one table in a narrative field: wider does not fit on a page in any format."""
MAX_TABLE_CELLS = 20_000
"""Cells (header included) of one table in a narrative field."""

_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown(path: str) -> str:
    return path or "top level"


def check_data(data: Any) -> None:
    """Raise `ReviewLoadError` if parsed review data passes a limit or holds a lone surrogate.

    Walks iteratively (no recursion, whatever the nesting) and stops at the first limit passed,
    so that a billion-laughs document costs no more than the limit."""
    errors: list[str] = []
    surrogates_seen: dict[int, bool] = {}
    characters = 0
    values = 0
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            errors.append(f"{_shown(path)}: the review holds more than {MAX_VALUES:,} values here; "
                          f"the limit is {MAX_VALUES:,} (YAML aliases count each time they are used)")
            break
        if isinstance(value, str):
            characters += len(value)
            if characters > MAX_TEXT_CHARACTERS:
                errors.append(_too_much_text(path))
                break
            if id(value) not in surrogates_seen:
                surrogates_seen[id(value)] = _SURROGATE.search(value) is not None
                if surrogates_seen[id(value)]:
                    errors.append(_surrogate_message(path, value))
            continue
        if not isinstance(value, Mapping | list | tuple):
            continue
        if depth >= MAX_DEPTH:
            errors.append(f"{_shown(path)}: lists and mappings nested deeper than {MAX_DEPTH} levels; "
                          f"the limit is {MAX_DEPTH}")
            break
        if isinstance(value, Mapping):
            children = [(join_path(path, str(key)), item) for key, item in value.items()]
            characters += sum(len(key) for key in value if isinstance(key, str))
        else:
            children = [(join_path(path, index), item) for index, item in enumerate(value)]
        stack.extend((child_path, item, depth + 1) for child_path, item in reversed(children))
    if errors:
        raise ReviewLoadError(errors)


def _too_much_text(path: str) -> str:
    return (f"{_shown(path)}: the review's text passes {MAX_TEXT_CHARACTERS:,} characters here; the limit is "
            f"{MAX_TEXT_CHARACTERS:,} for a whole review (YAML aliases count each time they are used)")


def _surrogate_message(path: str, text: str) -> str:
    found = _SURROGATE.search(text)
    assert found is not None
    return (f"{_shown(path)}: character {found.start() + 1} is a lone surrogate (U+{ord(found[0]):04X}), "
            "which is not valid Unicode text")


def check_review(review: Any) -> None:
    """Raise `ReviewLoadError` if a `Review` (or any attrs part of one) passes a limit: its total
    text, the length of one field, the entries of one list, or a table in a narrative field that
    is too wide or too large; or if its text holds a lone surrogate, which no output encoding
    can carry.

    A review that passed is remembered while it lives: reviews cannot be changed, and the one an
    import made is checked again by every layout of it."""
    if _passed(review):
        return
    texts: list[tuple[Where, str, bool]] = []
    lists: list[tuple[Where, int]] = []
    _walk(review, None, texts, lists)
    if not _clearly_within(texts, lists):
        errors = _problems(texts, lists)
        if errors:
            raise ReviewLoadError(errors)
    _remember(review)


def _clearly_within(texts: list[tuple[Where, str, bool]], lists: list[tuple[Where, int]]) -> bool:
    """True when no limit can be passed, told from totals and longest values without a Python
    step per value: most reviews are far inside every limit, and `_problems` (which names each
    field) costs as much as the walk that found them."""
    if lists and max(count for _, count in lists) > min(MAX_LIST_ENTRIES, MAX_TIMELINE_EVENTS):
        return False
    lines = [text for _, text, markdown in texts if not markdown]
    fields = [text for _, text, markdown in texts if markdown]
    if max(map(len, lines), default=0) > MAX_LINE_CHARACTERS or max(map(len, fields), default=0) > MAX_FIELD_CHARACTERS:
        return False
    everything = "".join(lines) + "".join(fields)
    if len(everything) > MAX_TEXT_CHARACTERS or not (everything.isascii() or _encodes(everything)):
        return False
    # A table is no wider than the pipes of its delimiter row, plus one, and no longer than its
    # field's lines: a field with few of either holds no table past a limit.
    return all(
        pipes < MAX_TABLE_COLUMNS and (pipes + 1) * (sum(map(field.count, _LINE_BREAKS)) + 1) <= MAX_TABLE_CELLS
        for field in fields
        if (pipes := field.count("|"))
    )


def _encodes(text: str) -> bool:
    """True when ``text`` holds no surrogate (no `_SURROGATE`): UTF-8 encodes every other code
    point, in one pass in C rather than the pattern's step per character."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_LINE_BREAKS: Final = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""What `str.splitlines` (which `table_sizes` uses) ends a line at."""


def _problems(texts: list[tuple[Where, str, bool]], lists: list[tuple[Where, int]]) -> list[str]:
    """Each limit passed, as a ``path: message`` line naming the field."""
    errors: list[str] = []
    for where, count in lists:
        path = path_text(where)
        limit, what = (MAX_TIMELINE_EVENTS, "events") if path == "timeline" else (MAX_LIST_ENTRIES, "entries")
        if count > limit:
            errors.append(f"{path}: {count:,} {what}; the limit is {limit:,}")
    characters = 0
    for where, text, markdown in texts:
        characters += len(text)
        if characters > MAX_TEXT_CHARACTERS:
            errors.append(_too_much_text(path_text(where)))
            break
        limit = MAX_FIELD_CHARACTERS if markdown else MAX_LINE_CHARACTERS
        if len(text) > limit:
            kind = "a Markdown field" if markdown else "a one-line field"
            errors.append(f"{path_text(where)}: {len(text):,} characters; the limit is {limit:,} for {kind}")
            continue  # its tables and characters are not looked at: the field is refused anyway
        if _SURROGATE.search(text):
            errors.append(_surrogate_message(path_text(where), text))
        if markdown and "|" in text:
            errors.extend(f"{path_text(where)}: {message}" for message in _table_problems(text))
    return errors


_PASSED: dict[int, tuple[weakref.ref[Any], tuple[int, ...]]] = {}
"""The reviews that passed `check_review`, by id, while they live (an entry goes with its
review), each with the limits it passed (a program may set stricter ones)."""


def _limits() -> tuple[int, ...]:
    return (MAX_TEXT_CHARACTERS, MAX_FIELD_CHARACTERS, MAX_LINE_CHARACTERS, MAX_TIMELINE_EVENTS,
            MAX_LIST_ENTRIES, MAX_TABLE_COLUMNS, MAX_TABLE_CELLS)


def _passed(review: Any) -> bool:
    entry = _PASSED.get(id(review))
    return entry is not None and entry[0]() is review and entry[1] == _limits()


def _remember(review: Any) -> None:
    key = id(review)
    with contextlib.suppress(TypeError):  # a value that cannot be referred to weakly is not remembered
        reference = weakref.ref(review, lambda _, key=key: _PASSED.pop(key, None))  # type: ignore[misc]
        _PASSED[key] = (reference, _limits())


_PLANS: dict[type, tuple[tuple[str, bool], ...] | None] = {}


def _plan(cls: type) -> tuple[tuple[str, bool], ...] | None:
    """(name, is it Markdown) of each field of an attrs class that can hold text or a list
    (not the times, enums and numbers); None for any other class."""
    if cls not in _PLANS:
        fields = fields_that_may_hold(cls, (str, tuple))
        _PLANS[cls] = None if fields is None else tuple((field.name, is_markdown(field)) for field in fields)
    return _PLANS[cls]


def _walk(value: Any, where: Where, texts: list[tuple[Where, str, bool]], lists: list[tuple[Where, int]]) -> None:
    """Collect every text field (path, text, is it Markdown) and every list (path, entries) of an
    attrs value, depth first."""
    for name, markdown in _plan(type(value)) or ():
        current = getattr(value, name)
        kind = type(current)
        if kind is str or isinstance(current, str):
            texts.append(((where, name), current, markdown))
        elif kind is tuple:
            field_path = (where, name)
            lists.append((field_path, len(current)))
            for index, item in enumerate(current):
                if type(item) is str:
                    texts.append(((field_path, index), item, markdown))
                elif _plan(type(item)) is not None:
                    _walk(item, (field_path, index), texts, lists)
        elif current is not None and _plan(kind) is not None:
            _walk(current, (where, name), texts, lists)


# A GFM table's delimiter row (``| --- | :-: |``): the line that makes the lines above and below a
# table. Container prefixes (``>``, list indentation) are stripped before matching.
_DELIMITER_ROW = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_CONTAINER_PREFIX = re.compile(r"[ \t>]*")


def table_sizes(markdown: str) -> Iterator[tuple[int, int, int]]:
    """(line number, columns, rows including the header) of every table in ``markdown``, as
    its delimiter rows tell; a line scan, linear in the length of the text. It may count a
    table-shaped block in a code block too: a limit errs on the side of refusing."""
    lines = markdown.splitlines()
    index = 1
    while index < len(lines):
        line = lines[index]
        body = line[_CONTAINER_PREFIX.match(line).end():]  # type: ignore[union-attr]
        if "|" in body and "-" in body and _DELIMITER_ROW.fullmatch(body):
            columns = body.strip().strip("|").count("|") + 1
            end = index + 1
            while end < len(lines) and lines[end].strip(" \t>"):
                end += 1
            yield index, columns, end - index
            index = end
        index += 1


def _table_problems(markdown: str) -> Iterator[str]:
    for line, columns, rows in table_sizes(markdown):
        where = f"the table at line {line}"
        if columns > MAX_TABLE_COLUMNS:
            yield f"{where} has {columns} columns; the limit is {MAX_TABLE_COLUMNS}"
        elif columns * rows > MAX_TABLE_CELLS:
            yield f"{where} has {columns * rows:,} cells ({rows:,} rows of {columns}); the limit is {MAX_TABLE_CELLS:,}"
