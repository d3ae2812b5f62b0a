"""A filled-in post-incident review template (Markdown) → `Review`.

`import_markdown(text)` returns an `ImportResult`: the review and the problems met on the way
(`pirdoc.checks.Problem`, path ``line N``). `from_markdown(text)` returns the review alone and
warns once per problem with a `PirdocWarning`.

The reader walks markdown-it-py's syntax tree section by section (``##``) and subsection
(``###``), as the template lays them out. Narrative values keep the Markdown people wrote (taken
from the source lines, not re-serialised); plain values (ids, names, roles) are the text a reader
sees. Placeholders the template leaves (``[Name]``, ``YYYY-MM-DD``) and words such as ``N/A``,
``TBD`` or ``Unknown`` mean "not recorded". Anything the reader cannot place is reported as a
problem with its line, and kept in a free-text field nearby when there is one.
"""

from __future__ import annotations

import os

import attrs

from pirdoc import model as m
from pirdoc._collect import with_fewer_collections
from pirdoc._files import read_input
from pirdoc._warn import warn
from pirdoc.checks import Problem
from pirdoc.errors import ReviewLoadError
from pirdoc.importers._read import Reader
from pirdoc.importers._source import Source
from pirdoc.importers._values import remembering_instants
from pirdoc.limits import MARKDOWN_SUFFIXES, MAX_INPUT_BYTES, check_review

__all__ = ["MARKDOWN_SUFFIXES", "ImportResult", "from_markdown", "import_markdown", "load_markdown", "read_markdown"]


@attrs.frozen(kw_only=True)
class ImportResult:
    """What `import_markdown` read: the review and every problem, in the order of the text."""

    review: m.Review
    problems: tuple[Problem, ...] = ()


@with_fewer_collections
def import_markdown(text: str | bytes) -> ImportResult:
    """Read a filled-in template into a Review, with the problems met (``path`` is ``line N``).

    Raises `ReviewLoadError` only when no review can be made at all (no start time and no date
    anywhere, or input that is not UTF-8)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReviewLoadError([f"not UTF-8 text: byte {exc.start} cannot be decoded ({exc.reason})"]) from exc
    source = Source(text)
    try:
        with remembering_instants():
            reader = Reader(source)
            review = reader.read()
    finally:
        source.close()
    check_review(review)  # the limits on any review (narrative tables, text that is not Unicode)
    # Problems in the order of the text (the builder reports some after reading everything).
    problems = sorted(reader.problems, key=lambda p: int(p.path[5:]) if p.path.startswith("line ") else 0)
    return ImportResult(review=review, problems=tuple(problems))


def from_markdown(text: str | bytes) -> m.Review:
    """Read a filled-in template into a Review; each problem becomes a `PirdocWarning`.

    Use `import_markdown` to get the problems as values."""
    result = import_markdown(text)
    for problem in result.problems:
        warn(f"{problem.path}: {problem.message}")
    return result.review


def read_markdown(path: str | os.PathLike[str]) -> ImportResult:
    """`import_markdown` of a file; `ReviewLoadError` (with ``source``) when it cannot be read."""
    source = os.fspath(path)
    data = read_input(path, MAX_INPUT_BYTES)  # a regular file, never read past the limit
    try:
        return import_markdown(data)
    except ReviewLoadError as exc:
        raise ReviewLoadError(exc.errors, source) from exc


def load_markdown(path: str | os.PathLike[str]) -> m.Review:
    """`from_markdown` of a file (what `pirdoc.load` does for ``.md`` and ``.markdown``)."""
    result = read_markdown(path)
    for problem in result.problems:
        warn(f"{os.fspath(path)}: {problem.path}: {problem.message}")
    return result.review
