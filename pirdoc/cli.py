"""The ``pirdoc`` command: a thin layer that parses arguments, calls the public API and prints.

Exit codes: 0 all good, 1 problems found or an output that cannot be written, 2 bad usage or
input that cannot be read as a review.
No traceback reaches the user for bad input; ``--debug`` shows one for unexpected failures.

Adding a subcommand: write ``_run_NAME(args) -> int`` and ``_add_NAME(subparsers)`` (which
creates the parser and sets ``func=_run_NAME``), and list ``_add_NAME`` in `SUBCOMMANDS`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import json
import os
import re
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from pirdoc._inputs import (
    INPUT_HELP,
    STDIN_NAME,
    Source,
    StandardInput,
    add_input_format,
    cannot_write,
    read_review,
    read_standard_input,
    sniffed_note,
)
from pirdoc._publish_command import add_publish
from pirdoc._render_commands import add_demo, add_formats, add_render
from pirdoc.checks import INCIDENT_ID, check
from pirdoc.errors import PirdocError, ReviewLoadError

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "SUBCOMMANDS", "build_parser", "main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

Subparsers = Any  # argparse's _SubParsersAction is private
SubcommandSetup = Callable[[Subparsers], None]


def _print(*lines: str, file: TextIO | None = None) -> None:
    out = file if file is not None else sys.stdout
    for line in lines:
        print(line, file=out)


def _error(*lines: str) -> None:
    _print(*lines, file=sys.stderr)


# ---------------------------------------------------------------------------- validate

VALIDATE_JSON_VERSION = 1
"""The version of the document ``pirdoc validate --json`` prints; it changes only when a key
changes meaning or goes away (new keys may appear)."""

_LOAD_PATH = re.compile(r"^(top level|line \d+|[A-Za-z_][\w]*(\[\d+\])?(\.[A-Za-z_]\w*(\[\d+\])?)*): ")


def _load_problem(line: str) -> dict[str, str]:
    """A load error's ``path: message`` line as a problem of ``validate --json``."""
    match = _LOAD_PATH.match(line)
    if match is None:
        return {"level": "error", "path": "", "message": line}
    path = "" if match.group(1) == "top level" else match.group(1)
    return {"level": "error", "path": path, "message": line[match.end():]}


def _validate_one(source: Source, final: bool, strict: bool) -> tuple[dict[str, Any], int, list[str]]:
    """One input's entry of ``validate --json``, its exit code and its lines for people."""
    entry: dict[str, Any] = {"file": str(source), "readable": True}
    try:
        review, imported = read_review(source)
    except ReviewLoadError as exc:
        problems = [_load_problem(line) for line in exc.errors]
        entry.update(readable=False, problems=problems, counts={"errors": len(problems), "warnings": 0})
        if isinstance(source, StandardInput):
            entry["read_as"] = source.format
        return entry, EXIT_USAGE, [*(f"{source}: {line}" for line in exc.errors), *sniffed_note(source)]
    found = imported + check(review, final=final)
    errors = sum(p.level == "error" for p in found)
    warnings = len(found) - errors
    entry["problems"] = [{"level": p.level, "path": p.path, "message": p.message} for p in found]
    entry["counts"] = {"errors": errors, "warnings": warnings}
    code = EXIT_PROBLEMS if errors or (strict and warnings) else EXIT_OK
    return entry, code, [f"{source}: {problem}" for problem in found]


def _sources(args: argparse.Namespace) -> list[Source]:
    """The inputs of a command, standard input read (once) where ``-`` is given."""
    names: list[str] = [str(name) for name in args.files]
    if names.count("-") > 1:
        raise PirdocError("standard input (-) can be given only once")
    sources: list[Source] = []
    for name in names:
        sources.append(read_standard_input(args.input_format) if name == "-" else Path(name))
    return sources


def _run_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    try:
        sources = _sources(args)
    except ReviewLoadError as exc:  # standard input could not be read at all
        sources, status = [], EXIT_USAGE
        if not args.json:
            _error(*(f"{STDIN_NAME}: {line}" for line in exc.errors))
    entries = []
    for source in sources:
        entry, code, lines = _validate_one(source, args.final, args.strict)
        status = max(status, code)
        entries.append(entry)
        if args.json:
            continue
        _error(*lines)
        if code == EXIT_OK:
            warnings = entry["counts"]["warnings"]
            note = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
            _print(f"{source}: ok{note}")
    if args.json:
        document = {
            "version": VALIDATE_JSON_VERSION,
            "files": entries,
            "counts": {
                "files": len(entries),
                "unreadable": sum(not e["readable"] for e in entries),
                "errors": sum(e["counts"]["errors"] for e in entries),
                "warnings": sum(e["counts"]["warnings"] for e in entries),
            },
            "exit_code": status,
        }
        _print(json.dumps(document, indent=2, ensure_ascii=False))
    return status


def _add_validate(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check review files",
        description="Load each review and run the checks; print one line per problem. Exit 0 when every "
        "review is clean, 1 when problems were found, 2 when an input cannot be read as a review.",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=INPUT_HELP,
    )
    parser.add_argument(
        "--final", action="store_true", help="also require what a Final review needs (sections, owners, approvals)"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as problems (exit 1)")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document (files, problems with level/path/message, counts) instead of lines",
    )
    add_input_format(parser)
    parser.set_defaults(func=_run_validate)


# ---------------------------------------------------------------------------- new


def _incident_id(text: str) -> str:
    if not INCIDENT_ID.match(text):
        raise argparse.ArgumentTypeError(f"not an incident id: {text!r} (expected INC-YYYY-NNNN)")
    return text


def _run_new(args: argparse.Namespace) -> int:
    from pirdoc.serde import starter_yaml  # YAML and cattrs load only for the commands that use them

    sys.stdout.write(starter_yaml(args.id))
    return EXIT_OK


def _add_new(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "new",
        help="print a commented starter review (YAML)",
        description="Print a commented YAML review to fill in, e.g. pirdoc new --id INC-2026-0042 > review.yaml",
    )
    parser.add_argument("--id", type=_incident_id, metavar="INC-YYYY-NNNN", help="the incident id")
    parser.set_defaults(func=_run_new)


# ---------------------------------------------------------------------------- schema


def _run_schema(args: argparse.Namespace) -> int:
    from pirdoc.schema import review_schema  # only this subcommand needs it

    _print(json.dumps(review_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _add_schema(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of the review format",
        description="Print a JSON Schema (draft 2020-12) of review files, for editor completion.",
    )
    parser.set_defaults(func=_run_schema)


# ---------------------------------------------------------------------------- import


def _run_import(args: argparse.Namespace) -> int:
    from pirdoc.importers.markdown import read_markdown
    from pirdoc.serde import dump, dumps, format_for_path

    if args.source == "dispatch":
        return _run_platform_import(args)
    try:
        fmt = format_for_path(args.output) if args.output else "yaml"
    except ValueError as exc:  # before reading: a wrong -o is known without the input
        _error(f"pirdoc import: {exc}")
        return EXIT_USAGE
    try:
        result = read_markdown(args.input)
    except ReviewLoadError as exc:
        _error(*(f"{args.input}: {line}" for line in exc.errors))
        return EXIT_USAGE
    _error(*(f"{args.input}: {p}" for p in result.problems))
    if args.output:
        try:
            dump(result.review, args.output, fmt)
        except OSError as exc:
            _error(f"pirdoc import: {cannot_write(exc)}")
            return EXIT_PROBLEMS
    else:
        sys.stdout.write(dumps(result.review, fmt))
    return EXIT_PROBLEMS if any(p.level == "error" for p in result.problems) else EXIT_OK


def _run_platform_import(args: argparse.Namespace) -> int:
    """``pirdoc import --from dispatch``: a platform export as a review file, or as the filled-in
    template (``-o NAME.md``); what the export holds that the review has no field for is listed on
    standard error (and kept in the review, in a note)."""
    from pirdoc.adapters.dispatch import read_dispatch
    from pirdoc.api import write
    from pirdoc.serde import dump, dumps, format_for_path

    template = bool(args.output) and args.output.lower().endswith((".md", ".markdown"))
    try:
        fmt = format_for_path(args.output) if args.output and not template else "yaml"
    except ValueError as exc:
        _error(f"pirdoc import: {exc}")
        return EXIT_USAGE
    try:
        result = read_dispatch(args.input)
    except OSError as exc:
        _error(f"pirdoc import: {args.input}: {exc.strerror or exc}")
        return EXIT_USAGE
    except ReviewLoadError as exc:
        _error(*(f"{args.input}: {line}" for line in exc.errors))
        return EXIT_USAGE
    _error(*(f"{args.input}: not placed (kept in a note): {line}" for line in result.unplaced))
    try:
        if template:
            with warnings.catch_warnings():  # the review's own problems are `pirdoc validate`'s to show
                warnings.simplefilter("ignore")
                write(result.review, args.output, allow_problems=True)
        elif args.output:
            dump(result.review, args.output, fmt)
        else:
            sys.stdout.write(dumps(result.review, fmt))
    except OSError as exc:
        _error(f"pirdoc import: {cannot_write(exc)}")
        return EXIT_PROBLEMS
    return EXIT_OK


def _add_import(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help="read a filled-in template (Markdown) or a platform export into a review",
        description="Read a filled-in post-incident review template and write it as a review file "
        "(YAML on standard output, or the format of -o's suffix). Problems go to standard error.",
    )
    parser.add_argument("input", metavar="INPUT", help="a filled-in template in Markdown, or a platform export")
    parser.add_argument(
        "--from", dest="source", choices=("template", "dispatch"), default="template",
        help="what INPUT is: a filled-in template (default) or a Dispatch incident export (JSON)",
    )
    parser.add_argument(
        "-o", "--output", metavar="REVIEW",
        help="write here (.yaml, .json or .toml; with --from dispatch also .md, the filled-in template)",
    )
    parser.set_defaults(func=_run_import)


# ---------------------------------------------------------------------------- the parser

SUBCOMMANDS: list[SubcommandSetup] = [
    _add_validate,
    add_render,
    add_demo,
    _add_new,
    _add_schema,
    add_formats,
    _add_import,
    add_publish,
]
"""Functions that each add one subcommand to the parser, in the order ``--help`` lists them."""


class _Version(argparse.Action):
    """``--version``: pirdoc's version (`pirdoc.__version__`), printed as argparse's own version
    action prints it."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from pirdoc import __version__

        # as argparse's own version action: standard output closed or gone is not an error
        with contextlib.suppress(AttributeError, OSError):
            (sys.stdout or sys.stderr).write(f"{parser.prog} {__version__}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand in `SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="pirdoc", description="Publish post-incident reviews as Markdown, DOCX, PDF and Confluence pages."
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, default=argparse.SUPPRESS, help="show program's version number and exit"
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback when something fails unexpectedly")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


# Errors of a standard output that cannot take more: full disk or quota, device error, closed.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EBADF, errno.EPIPE})


class _ClosedOutput(io.TextIOBase):
    """Standard output when there is none: writing to it fails as writing to a closed file does."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def run() -> NoReturn:
    """The ``pirdoc`` command (and ``python -m pirdoc``): `main` on the process's arguments, then
    the process ends with its exit code.

    It ends at once: by then every file is written and closed, worker processes are gone and
    standard output is flushed, and Python's own shutdown would spend 40 to 100 ms of CPU (as
    much as rendering a review) freeing what the render cached, fonts and templates. Under a
    tracer or coverage measurement, which write their data at shutdown, it ends as usual.

    What the imports made lives until the process ends, so it is frozen out of the garbage
    collector's work (and shared, untouched, with forked workers); while an input is read (a
    filled template or a review file), laid out and rendered, the library raises the collector's
    thresholds itself (`pirdoc._collect`). A batch of real reviews spent 6 to 8 % of its CPU time
    in collections; the two halve it."""
    gc.freeze()
    status = main()
    if sys.gettrace() is not None or "coverage" in sys.modules:
        sys.exit(status)  # a tracer or coverage measurement writes its data at shutdown: let it
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):  # gone, closed or full: nothing to add
            stream.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if sys.stdout is None:  # started with standard output closed (`pirdoc new >&-`)
        sys.stdout = _ClosedOutput()
    try:
        try:
            status = int(args.func(args))
            sys.stdout.flush()  # here, where a closed or full standard output can still be reported
            return status
        except OSError as exc:
            if not isinstance(exc, BrokenPipeError | ConnectionResetError) and exc.errno not in _OUTPUT_ERRNOS:
                raise
            # Later writes (and Python's own flush at exit) must not fail again.
            sys.stdout = _ClosedOutput()
            if isinstance(exc, BrokenPipeError | ConnectionResetError):  # the reader went away (`| head`)
                return EXIT_PROBLEMS
            _error(f"pirdoc: cannot write to standard output: {exc.strerror or exc}")
            return EXIT_PROBLEMS
    except PirdocError as exc:
        if args.debug:
            traceback.print_exc()
        _error(f"pirdoc: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("pirdoc: interrupted")
        return 130
    except Exception as exc:  # a bug, not bad input: say so briefly unless asked for more
        if args.debug:
            traceback.print_exc()
        else:
            _error(f"pirdoc: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        return EXIT_USAGE
