"""What the command line reads reviews from: files, or standard input (``-``) in a format given
or told from the text; and the did-you-mean every command's messages share.

Standard input is read once, up front, into a `StandardInput` value, so that a worker process or
a second look never needs the stream again.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import attrs

from pirdoc._methods import value_methods
from pirdoc.checks import Problem
from pirdoc.errors import ReviewLoadError
from pirdoc.limits import MARKDOWN_SUFFIXES, MAX_INPUT_BYTES
from pirdoc.model import Review

__all__ = [
    "INPUT_FORMATS",
    "INPUT_HELP",
    "STDIN_NAME",
    "Source",
    "StandardInput",
    "add_input_format",
    "cannot_write",
    "did_you_mean",
    "input_format",
    "read_review",
    "read_standard_input",
    "sniff_format",
    "sniffed_note",
]

INPUT_HELP = (
    "a review (.yaml/.yml, .json, .toml) or a filled-in template (.md/.markdown); "
    "- reads standard input (format from --input-format, else told from the text)"
)
"""What an input may be, for the help of every command that reads reviews."""

INPUT_FORMATS = ("yaml", "json", "toml", "markdown")
"""What ``--input-format`` accepts (``md`` is short for markdown)."""

STDIN_NAME = "<stdin>"
"""How messages name standard input."""


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StandardInput:
    """A review read from standard input: its bytes and the format they are read as."""

    data: bytes
    format: str
    sniffed: bool
    """True when the format was told from the text rather than given."""

    @property
    def name(self) -> str:
        return STDIN_NAME

    def __str__(self) -> str:
        return STDIN_NAME


Source = Path | StandardInput
"""Where a command's review comes from."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'X'?)`` for the choice closest to ``word``, or nothing when none is close."""
    options = list(choices)
    lowered = {choice.lower(): choice for choice in options}
    close = difflib.get_close_matches(word.lower().replace("-", "_"), list(lowered), n=1, cutoff=0.6)
    if not close:  # `pagesize` for `page_size`: compare without the separators too
        squashed = {choice.lower().replace("_", "").replace("-", ""): choice for choice in options}
        close = difflib.get_close_matches(word.lower().replace("_", "").replace("-", ""), list(squashed), n=1)
        return f" (did you mean {squashed[close[0]]!r}?)" if close else ""
    return f" (did you mean {lowered[close[0]]!r}?)"


def add_input_format(parser: argparse.ArgumentParser) -> None:
    """Add ``--input-format``, how a command reads standard input."""
    parser.add_argument(
        "--input-format",
        type=_input_format_argument,
        metavar="FORMAT",
        help=f"how to read standard input (-): {', '.join(INPUT_FORMATS)}; default: told from the text",
    )


def _input_format_argument(text: str) -> str:
    try:
        return input_format(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def input_format(text: str) -> str:
    """An ``--input-format`` value: one of `INPUT_FORMATS` (any case, ``md`` for markdown, ``yml``
    for yaml); `ValueError` with a did-you-mean otherwise."""
    name = {"md": "markdown", "yml": "yaml"}.get(text.strip().lower(), text.strip().lower())
    if name not in INPUT_FORMATS:
        raise ValueError(f"unknown input format {text!r}{did_you_mean(text, INPUT_FORMATS)}; "
                         f"expected one of {', '.join(INPUT_FORMATS)}")
    return name


_TOML_ID = re.compile(r"^\s*incident_id\s*=", re.MULTILINE)
_YAML_ID = re.compile(r"""^["']?incident_id["']?\s*:""", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_SUBHEADING = re.compile(r"^#{2,6}\s+\S", re.MULTILINE)


def sniff_format(data: bytes) -> str:
    """The format of a review given without a file name: JSON when it opens with ``{``, TOML or
    YAML by how the incident id is written, Markdown (a filled-in template) when it has
    headings; YAML otherwise (its reader then says what is wrong)."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "json"
    if _TOML_ID.search(text):
        return "toml"
    if _YAML_ID.search(text):
        return "yaml"
    if _HEADING.match(text) or _SUBHEADING.search(text):
        return "markdown"
    return "yaml"


def read_standard_input(format: str | None, stream: BinaryIO | None = None) -> StandardInput:
    """Standard input, read to its end (at most the input limit), in ``format`` or the one
    `sniff_format` tells. Raises `ReviewLoadError` naming standard input when it is too large or
    cannot be read."""
    source = stream if stream is not None else sys.stdin.buffer
    try:
        data = source.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise ReviewLoadError([f"cannot read standard input: {exc.strerror or exc}"], STDIN_NAME) from exc
    if data is None:  # a non-blocking stream with nothing in it
        data = b""
    if len(data) > MAX_INPUT_BYTES:
        raise ReviewLoadError(
            [f"input is too large (over {MAX_INPUT_BYTES // 1024 // 1024} MB); the limit is "
             f"{MAX_INPUT_BYTES // 1024 // 1024} MB"],
            STDIN_NAME,
        )
    if format is None:
        return StandardInput(data=data, format=sniff_format(data), sniffed=True)
    return StandardInput(data=data, format=format, sniffed=False)


def read_review(source: str | os.PathLike[str] | StandardInput) -> tuple[Review, list[Problem]]:
    """The review in ``source`` and what importing it reported: a filled-in template's problems
    (``path`` is ``line N``), as values rather than warnings; a review file reports none here.

    Raises `ReviewLoadError` when ``source`` cannot be read as a review."""
    if isinstance(source, StandardInput):
        return _read_standard_input(source)
    if Path(source).suffix.lower() in MARKDOWN_SUFFIXES:
        from pirdoc.importers.markdown import read_markdown

        result = read_markdown(source)  # the same limits as `load` (checked by the importer)
        return result.review, list(result.problems)
    from pirdoc.serde import load

    return load(source), []


def _read_standard_input(source: StandardInput) -> tuple[Review, list[Problem]]:
    try:
        if source.format == "markdown":
            from pirdoc.importers.markdown import import_markdown

            result = import_markdown(source.data)
            return result.review, list(result.problems)
        from pirdoc.serde import loads

        return loads(source.data, source.format), []  # type: ignore[arg-type]  # one of yaml/json/toml
    except ReviewLoadError as exc:
        raise ReviewLoadError(exc.errors, STDIN_NAME) from exc


def sniffed_note(source: Source) -> list[str]:
    """For input that could not be read: how standard input was read when its format was told
    from the text (a line to show after its errors), else nothing."""
    if isinstance(source, StandardInput) and source.sniffed:
        return [f"{STDIN_NAME}: (read as {source.format}; give --input-format to read it as another format)"]
    return []


def cannot_write(exc: OSError) -> str:
    """``cannot write PATH: reason`` for an `OSError` from `write_bytes` (which names the target)."""
    if exc.filename is not None and exc.strerror:
        return f"cannot write {exc.filename}: {exc.strerror}"
    return f"cannot write {exc}"
