"""The CLI's publishing commands: ``pirdoc render``, ``pirdoc demo`` and ``pirdoc formats``, and
what every command reads and writes files with (`read_review`, `cannot_write`).

Thin: they parse arguments, call the public API and set exit codes (0 ok, 1 an input failed,
2 bad usage). `render` lists each input's check problems; a Final review that fails the final
checks is an input that failed (nothing written) unless ``--allow-problems``. The inputs are
rendered by `pirdoc._render_batch`; every output file is written atomically by
`pirdoc._files.write_bytes`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pirdoc._files import make_folder, write_bytes
from pirdoc._inputs import (
    INPUT_HELP,
    STDIN_NAME,
    Source,
    StandardInput,
    add_input_format,
    cannot_write,
    did_you_mean,
    read_review,
    read_standard_input,
)
from pirdoc._render_batch import Audience, render_plan
from pirdoc.api import FormatInfo, format_info, formats, render_document
from pirdoc.audience import AUDIENCES, RedactionEntry, RedactionReport
from pirdoc.errors import PirdocError, PirdocWarning, ReviewLoadError
from pirdoc.layout import PROFILES, layout
from pirdoc.limits import INPUT_SUFFIXES
from pirdoc.renderers import available_renderers, is_built_in

__all__ = ["add_demo", "add_formats", "add_render"]

FORMAT_ALIASES = {"md": "markdown", "word": "docx", "xml": "confluence", "storage": "confluence"}


def add_render(subparsers: Any) -> None:
    """Add ``pirdoc render``."""
    render_parser = subparsers.add_parser(
        "render",
        help="render reviews to Markdown, DOCX, PDF or Confluence storage format",
        description="Render each INPUT (YAML, JSON, TOML or a filled template .md; - for standard input) to "
        "OUTDIR/<stem><suffix> (OUTDIR/<stem>.executive<suffix> with --profile executive; the stem of standard "
        "input is the incident id), or with -o - one format of one input to standard output. Each input is "
        "checked first and its problems listed; a review whose status is Final and that fails the final checks "
        "is not rendered unless --allow-problems is given. Each file written is named on standard error "
        "(--quiet: only problems). Exit 0 when everything was written, 1 when a review was refused or an output "
        "failed, 2 when an input cannot be read as a review or the command line is wrong.",
    )
    render_parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=INPUT_HELP,
    )
    render_parser.add_argument(
        "-f",
        "--format",
        default="markdown",
        help="comma-separated formats (markdown/md, docx, pdf, confluence, or a plugin's name), or all; "
        "default markdown",
    )
    render_parser.add_argument(
        "-o",
        "--output",
        default=".",
        metavar="OUTDIR",
        help="the folder to write into, created if need be (default: %(default)s); - writes the one format "
        "of the one input to standard output",
    )
    render_parser.add_argument(
        "--profile",
        type=_profile,
        metavar="{" + ",".join(PROFILES) + "}",
        default="full",
        help="full: the whole review (default); executive: the briefing (summary, impact, root cause, "
        "metrics, timeline figure, open action items)",
    )
    render_parser.add_argument(
        "--audience",
        choices=AUDIENCES,
        default="internal",
        help="internal: everything (default); customer or public: the version that audience may read "
        "(OUTDIR/<stem>.<audience><suffix>; what was removed or replaced is listed); needs status Reviewed or Final",
    )
    render_parser.add_argument(
        "--allow-unreviewed",
        action="store_true",
        help="render a customer or public version of a review whose status is not Reviewed or Final",
    )
    render_parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write the redaction report of --audience to FILE (JSON if FILE ends in .json, else text)",
    )
    render_parser.add_argument(
        "--allow-problems",
        action="store_true",
        help="render a review whose status is Final even when it fails the final checks "
        "(its problems are listed either way)",
    )
    render_parser.add_argument(
        "-O",
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a renderer option, e.g. -O page_size=Letter -O classification=Internal (see `pirdoc formats`)",
    )
    render_parser.add_argument(
        "-q", "--quiet", action="store_true", help="do not name each file written (problems are still listed)"
    )
    add_input_format(render_parser)
    render_parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="render N inputs at a time in worker processes (default 0: one per CPU; 1 renders in this process)",
    )
    render_parser.set_defaults(func=run_render)


def _profile(text: str) -> str:
    if text not in PROFILES:
        raise argparse.ArgumentTypeError(
            f"unknown profile {text!r}{did_you_mean(text, PROFILES)}; choose from {', '.join(PROFILES)}"
        )
    return text


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (one per CPU) or more, got {jobs}")
    return jobs


def add_demo(subparsers: Any) -> None:
    """Add ``pirdoc demo``."""
    demo_parser = subparsers.add_parser(
        "demo",
        help="render the bundled example review in every format and both profiles",
        description="Render the example review that comes with pirdoc in every format, in the full and "
        "the executive profile, into DIR (example-review.md, example-review.executive.md, ...).",
    )
    demo_parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("pirdoc-demo"),
        metavar="DIR",
        help="the folder to write into, created if need be (default: %(default)s)",
    )
    demo_parser.set_defaults(func=run_demo)


def add_formats(subparsers: Any) -> None:
    """Add ``pirdoc formats``."""
    formats_parser = subparsers.add_parser(
        "formats",
        help="list the output formats and their options",
        description="List every output format (built-in and installed plugins): its name, file suffix and "
        "media type, and the options it takes with render -O KEY=VALUE.",
    )
    formats_parser.set_defaults(func=run_formats)


# ---------------------------------------------------------------------------- render


def _parse_options(pairs: Sequence[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise PirdocError(f"option {pair!r} is not KEY=VALUE")
        options[key.strip()] = value
    return options


ALL_FORMATS = "all"
"""``-f all``: every available format."""


def _resolve_formats(spec: str) -> list[FormatInfo]:
    # Only the chosen renderers are imported: `-f docx` never loads reportlab.
    if spec.strip().lower() == ALL_FORMATS:
        return formats()  # a plugin that fails to load is warned about and left out
    chosen: list[FormatInfo] = []
    for raw in spec.split(","):
        name = FORMAT_ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if not is_built_in(name) and name not in available_renderers():
            available = available_renderers()
            hint = did_you_mean(raw.strip(), [*available, *FORMAT_ALIASES, ALL_FORMATS])
            raise PirdocError(
                f"unknown format {raw.strip()!r}{hint}; available formats: {', '.join(sorted(available))}, or all"
            )
        if all(info.name != name for info in chosen):
            chosen.append(format_info(name))
    return chosen


def _unused_options(chosen: Sequence[FormatInfo], options: dict[str, str]) -> str | None:
    accepted = sorted({key for info in chosen for key in info.options})
    unused = sorted(set(options) - set(accepted))
    if not unused:
        return None
    hints = "".join(did_you_mean(key, accepted) for key in unused)
    names = ", ".join(info.name for info in chosen)
    return (
        f"no chosen format ({names}) accepts option(s) {', '.join(unused)}{hints}; "
        f"accepted: {', '.join(accepted) or 'none'} (see pirdoc formats)"
    )


STDOUT = "-"
"""``-o -``: write to standard output."""


def _binary(info: FormatInfo) -> bool:
    return not (info.media_type.startswith("text/") or info.media_type.endswith("xml"))


def run_render(args: argparse.Namespace) -> int:
    """``pirdoc render``: every input in every format; a failing input does not stop the others."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PirdocWarning)
            chosen = _resolve_formats(args.format)
        for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, PirdocWarning)):
            print(f"pirdoc render: warning: {message}", file=sys.stderr)
        options = _parse_options(args.option)
    except PirdocError as exc:
        print(f"pirdoc render: {exc}", file=sys.stderr)
        return 2
    unused = _unused_options(chosen, options)
    if unused:
        print(f"pirdoc render: {unused}", file=sys.stderr)
        return 2
    names: list[str] = list(args.inputs)
    to_stdout = args.output == STDOUT
    if to_stdout and (len(names) != 1 or len(chosen) != 1):
        print(
            f"pirdoc render: -o - writes one format of one input to standard output; got {len(names)} input(s) "
            f"and {len(chosen)} format(s) ({', '.join(info.name for info in chosen)}); give -o OUTDIR for more",
            file=sys.stderr,
        )
        return 2
    if to_stdout and _binary(chosen[0]) and sys.stdout.isatty():
        print(f"pirdoc render: not writing {chosen[0].name} to a terminal; redirect standard output or give -o OUTDIR",
              file=sys.stderr)
        return 2
    if names.count(STDOUT) > 1:
        print("pirdoc render: standard input (-) can be given only once", file=sys.stderr)
        return 2
    try:
        inputs: list[Source] = [
            read_standard_input(args.input_format) if name == STDOUT else Path(name) for name in names
        ]
    except ReviewLoadError as exc:
        print("\n".join(f"{STDIN_NAME}: {line}" for line in exc.errors), file=sys.stderr)
        return 2
    # A profile other than the full record says so in the name, as `demo` does, so that the
    # briefing never replaces the full record rendered into the same folder.
    infix = "" if args.profile == "full" else f".{args.profile}"
    output = Path(args.output)
    audience = getattr(args, "audience", "internal")
    # Likewise a customer or public version, so that it never replaces the internal one.
    infix += "" if audience == "internal" else f".{audience}"
    plan = [
        (source, info, None if to_stdout else output / (_stem(source) + infix + info.suffix))
        for source in inputs
        for info in chosen
    ]
    problem = _collision([s for s in inputs if isinstance(s, Path)], [t for _, _, t in plan if t is not None])
    if problem:
        print(f"pirdoc render: {problem}", file=sys.stderr)
        return 2
    report_file: Path | None = getattr(args, "report", None)
    targets = {target.resolve() for _, _, target in plan if target is not None}
    if report_file is not None and report_file.resolve() in targets:
        print(f"pirdoc render: --report {report_file} is one of the outputs", file=sys.stderr)
        return 2
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    reports: dict[str, dict[str, Any]] = {}
    status = render_plan(
        plan,
        args.profile,
        options,
        debug=getattr(args, "debug", False),
        jobs=jobs,
        allow_problems=getattr(args, "allow_problems", False),
        quiet=getattr(args, "quiet", False),
        audience=Audience(audience, getattr(args, "allow_unreviewed", False), reports),
    )
    if report_file is not None:
        try:
            write_bytes(report_file, _report_bytes(report_file, audience, reports))
        except OSError as exc:
            print(f"pirdoc render: --report: {cannot_write(exc)}", file=sys.stderr)
            return max(status, 1)
    return status


def _report_bytes(path: Path, audience: str, reports: dict[str, dict[str, Any]]) -> bytes:
    if path.suffix.lower() == ".json":
        data = {"audience": audience, "inputs": [{"input": source, **reports[source]} for source in sorted(reports)]}
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    parts = []
    for source in sorted(reports):
        entries = reports[source]["entries"]
        report = RedactionReport(audience=reports[source]["audience"], entries=tuple(
            RedactionEntry(**entry) for entry in entries
        ))
        parts.append(f"{source}: {report.as_text()}")
    return "".join(parts).encode("utf-8")


_UNSAFE_IN_NAMES = re.compile(r"[^A-Za-z0-9._-]+")


def _stem(source: Source) -> str:
    if isinstance(source, StandardInput):
        return _stdin_stem(source)
    return _file_stem(source)


def _stdin_stem(source: StandardInput) -> str:
    """The incident id, made safe as a file name (``review`` when it cannot be read)."""
    try:
        review, _ = read_review(source)
    except ReviewLoadError:
        return "review"  # the render itself reports why
    return _UNSAFE_IN_NAMES.sub("-", review.incident_id).strip(".-") or "review"


def _file_stem(path: Path) -> str:
    name = path.name
    for suffix in INPUT_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _collision(inputs: Sequence[Path], targets: Sequence[Path]) -> str | None:
    sources = {path.resolve(): path for path in inputs}
    seen: dict[Path, Path] = {}
    for target in targets:
        resolved = target.resolve()
        if resolved in sources:
            return f"refusing to overwrite the input {sources[resolved]} with an output"
        if resolved in seen:
            return f"two outputs would be written to {target}; give the inputs different names"
        seen[resolved] = target
    return None


# ---------------------------------------------------------------------------- demo and formats


def run_demo(args: argparse.Namespace) -> int:
    """``pirdoc demo``: the bundled example in every format and both profiles."""
    from importlib.resources import as_file, files  # brings tempfile and shutil: only the demo needs it

    from pirdoc.serde import load

    with as_file(files("pirdoc") / "data" / "example-review.yaml") as example:
        review = load(example)
    output: Path = args.output
    try:
        make_folder(output)
    except OSError as exc:
        print(f"demo: {cannot_write(exc)}", file=sys.stderr)
        return 1
    written: list[Path] = []
    failures = 0
    documents = {}
    for profile in PROFILES:
        try:
            documents[profile] = layout(review, profile)
        except PirdocError as exc:
            failures += 1
            print(f"demo: layout ({profile}): {exc}", file=sys.stderr)
    for info in formats():
        for profile, document in documents.items():
            infix = "" if profile == "full" else f".{profile}"
            target = output / f"example-review{infix}{info.suffix}"
            try:
                written.append(write_bytes(target, render_document(document, info.name)))
            except PirdocError as exc:
                failures += 1
                print(f"demo: {info.name} ({profile}): {exc}", file=sys.stderr)
            except OSError as exc:
                failures += 1
                print(f"demo: {info.name} ({profile}): {cannot_write(exc)}", file=sys.stderr)
    print(f"Rendered the example review ({review.incident_id}) into {output}/:")
    for path in written:
        print(f"  {path}  ({path.stat().st_size:,} bytes)")
    return 1 if failures else 0


def run_formats(args: argparse.Namespace) -> int:
    """``pirdoc formats``: one block per renderer with its options; a plugin that fails to load
    is one warning line on standard error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PirdocWarning)
        available = formats()
    for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, PirdocWarning)):
        print(f"pirdoc formats: warning: {message}", file=sys.stderr)
    for info in available:
        print(f"{info.name:<12} {info.suffix:<16} {info.media_type}")
        for key, description in sorted(info.options.items()):
            print(f"    -O {key}=…  {description}")
    return 0
