"""Rendering a batch of inputs for `pirdoc render`: each input read, checked, laid out once and
rendered in every chosen format, one after another or in worker processes, its files written
while the next renders (`pirdoc._files.write_bytes_soon`) and its lines reported once they are
on disk. `pirdoc._render_commands` parses the command and plans the outputs."""

from __future__ import annotations

import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pirdoc._files import write_bytes_soon
from pirdoc._inputs import Source, cannot_write, read_review, sniffed_note
from pirdoc.api import FormatInfo, gate, render_document
from pirdoc.audience import may_publish, redact
from pirdoc.errors import PirdocError, PirdocWarning, ReviewLoadError, ReviewProblemsError
from pirdoc.layout import layout

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["Audience", "Progress", "render_plan"]


class Progress:
    """A one-line progress bar on a terminal; nothing at all otherwise."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.enabled = stream.isatty() and total > 1
        self.done = 0

    def step(self, label: str) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = width * self.done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label[:40]:<40}")
            self.stream.flush()

    def pause(self) -> None:
        """End the bar's line so that a message can be printed below it."""
        if self.enabled:
            self.stream.write("\n")

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.enabled = False


class Audience:
    """The audience of a render run, and the redaction reports of its inputs (by input)."""

    def __init__(self, name: str, allow_unreviewed: bool, reports: dict[str, dict[str, Any]]) -> None:
        self.name = name
        self.allow_unreviewed = allow_unreviewed
        self.reports = reports

    def __getstate__(self) -> dict[str, Any]:  # workers send their reports back in their results
        return {"name": self.name, "allow_unreviewed": self.allow_unreviewed, "reports": {}}


def _options_for(info: FormatInfo, options: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in options.items() if key in info.options}


_Job = tuple[Source, list[tuple[str, Path | None, dict[str, str]]]]
"""One input and, for each chosen format, its renderer name, target path (None: standard output)
and options."""

_OK, _FAILED, _UNREADABLE = 0, 1, 2
"""What became of an input, as the exit code it asks for."""


def _warning_lines(source: Source, caught: Sequence[warnings.WarningMessage]) -> list[str]:
    messages = (str(w.message) for w in caught if issubclass(w.category, PirdocWarning))
    return [f"{source}: warning: {message}" for message in dict.fromkeys(messages)]


_Result = tuple[list[str], int, dict[str, Any] | None]
"""What rendering one input gives: the lines to show, what became of it (`_OK`, `_FAILED`,
`_UNREADABLE`) and its redaction report."""


def _start_input(
    job: _Job,
    profile: str,
    debug: bool,
    allow_problems: bool = False,
    quiet: bool = False,
    audience: Audience | None = None,
) -> Callable[[], _Result]:
    """Render one input in every chosen format, and return what waits for its files to be
    written (a batch renders the next input meanwhile) and then gives the result: the lines to
    show (import problems of a filled-in template, then what failed, each file written unless
    ``quiet``) and what became of the input (`_OK`, `_FAILED`, or `_UNREADABLE` when it cannot
    be read as a review). An import error fails the input before anything is written, as `pirdoc
    validate` fails it; after that every format is tried on its own, so that one failing (a
    renderer's limit, a full disk) leaves the others written. Nothing an input can cause is let
    through: each failure is a line naming the input, the stage or format and, where there is
    one, the field. The checks' problems are listed after the import's; a review whose status is
    Final and that fails them fails, with nothing written, unless ``allow_problems``. For a
    customer or public ``audience`` the review is redacted before layout and each removed or
    replaced value listed."""
    source, outputs = job
    redaction: dict[str, Any] | None = None
    stage = "load"
    lines: list[str] = []
    try:
        review, imported = read_review(source)
        lines = [f"{source}: {problem}" for problem in imported]
        if any(problem.level == "error" for problem in imported):
            return _done((lines, _FAILED, None))
        stage = "check"
        try:
            checked = gate(review, allow_problems=allow_problems)
        except ReviewProblemsError as refused:
            lines += [f"{source}: {problem}" for problem in refused.problems]
            lines.append(
                f"{source}: not rendered: the status is Final and the review fails the final checks above "
                "(fix them, or render it anyway with --allow-problems)"
            )
            return _done((lines, _FAILED, None))
        lines += [f"{source}: {problem}" for problem in checked]
        if audience is not None and audience.name != "internal":
            stage = "audience"
            if not (audience.allow_unreviewed or allow_problems or may_publish(review)):
                lines.append(
                    f"{source}: not rendered for the {audience.name} audience: the status is {review.status.value}; "
                    "a customer or public version needs status Reviewed or Final (or --allow-unreviewed)"
                )
                return _done((lines, _FAILED, None))
            review, report = redact(review, audience.name)
            redaction = report.as_dict()
            lines += [f"{source}: {line}" for line in report.lines()]
        stage = "layout"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PirdocWarning)
            document = layout(review, profile)  # once for every format: it does not depend on one
    except Exception as exc:  # anything the input caused becomes its failure line
        failure = [*lines, *_failure(source, stage, exc, debug)]
        return _done((failure, _UNREADABLE if stage == "load" else _FAILED, redaction))
    # Each format's failure lines, or its file being written (while the next format renders).
    outcomes: list[tuple[str, list[str] | tuple[Future[Path], int]]] = []
    for name, target, options in outputs:
        try:
            with warnings.catch_warnings(record=True) as rendering:
                warnings.simplefilter("always", PirdocWarning)
                data = render_document(document, name, **options)
            caught.extend(rendering)
            if target is None:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            else:
                outcomes.append((name, (write_bytes_soon(target, data), len(data))))
        except Exception as exc:  # one format failing does not stop the next
            outcomes.append((name, _failure(source, name, exc, debug)))

    def finish() -> _Result:
        failed = False
        shown: list[str] = []
        for name, outcome in outcomes:
            if isinstance(outcome, list):
                lines.extend(outcome)
                failed = True
                continue
            try:
                wrote = f"{source}: wrote {outcome[0].result()} ({outcome[1]:,} bytes)"
            except Exception as exc:
                lines.extend(_failure(source, name, exc, debug))
                failed = True
            else:
                if not quiet:
                    shown.append(wrote)
        # What layout had to change (characters no format can carry, Markdown shown as text) and
        # what a renderer cannot show (a script no PDF font draws), as problem lines rather than
        # Python's warning output; each distinct message once.
        return [*lines, *_warning_lines(source, caught), *shown], _FAILED if failed else _OK, redaction

    return finish


def _done(result: _Result) -> Callable[[], _Result]:
    return lambda: result


def _render_in_turn(
    work: Sequence[_Job],
    profile: str,
    debug: bool,
    allow_problems: bool = False,
    quiet: bool = False,
    audience: Audience | None = None,
    *,
    report: Callable[[Source, _Result], None] | None = None,
) -> list[_Result]:
    """Render ``work`` one input after another, each finished (`_start_input`) once the next is
    rendered, so that its last file is written meanwhile: passed to ``report`` as each is
    finished, or else returned, in order."""
    results: list[_Result] = []

    def finish(source: Source, waiting: Callable[[], _Result]) -> None:
        result = waiting()
        if report is not None:
            report(source, result)
        else:
            results.append(result)

    pending: tuple[Source, Callable[[], _Result]] | None = None
    try:
        for job in work:
            started = _start_input(job, profile, debug, allow_problems, quiet, audience)
            if pending is not None:
                source, waiting = pending
                pending = None
                finish(source, waiting)
            pending = (job[0], started)
    finally:
        # the last input, or the one whose files were being written when the next was
        # interrupted: its files are written either way, and it is reported
        if pending is not None:
            finish(*pending)
    return results


def _failure(source: Source, stage: str, exc: BaseException, debug: bool) -> list[str]:
    """The lines that report ``exc`` from ``stage`` (load, layout or a format) of ``source``."""
    if isinstance(exc, ReviewLoadError):  # its lines already name the field (and the file, as source)
        return [*(f"{source}: {line}" for line in exc.errors), *sniffed_note(source)]
    lines = [traceback.format_exc().rstrip()] if debug else []
    if isinstance(exc, OSError) and stage not in ("load", "layout"):
        message = cannot_write(exc)
    elif isinstance(exc, PirdocError | OSError | ValueError) and not isinstance(exc, OverflowError):
        message = str(exc)
    elif isinstance(exc, RecursionError):
        message = "nested too deeply to process"
    elif isinstance(exc, MemoryError):
        message = "ran out of memory"
    elif isinstance(exc, OverflowError):
        message = f"a value is out of range ({exc})"
    else:  # a bug rather than bad input, but still this input's and this format's failure
        message = f"failed unexpectedly ({type(exc).__name__}: {exc}); run with --debug for the traceback"
    # a renderer's own messages name their format already ("pdf: option accent ...")
    return [*lines, f"{source}: {stage}: {message.removeprefix(f'{stage}: ')}"]


def _runs(work: Sequence[_Job], workers: int) -> list[list[_Job]]:
    """``work`` cut into runs for ``workers`` processes, in order: each run is half of each
    worker's share of what is left (at least one input).

    A worker renders a run's inputs in turn, so that each file is written while the next input
    renders there too, and a run is reported when it is done. Runs that shrink as the work runs
    out keep both workers busy to the end: with runs of one size (a quarter of each worker's
    share), one worker went on alone for half a run on average; the 40-review batch to DOCX on
    two workers ended 20 ms (3 %) sooner, median of 30 interleaved pairs."""
    runs: list[list[_Job]] = []
    start = 0
    while start < len(work):
        size = -(-(len(work) - start) // (workers * 2))
        runs.append(list(work[start:start + size]))
        start += size
    return runs


def render_plan(
    plan: Sequence[tuple[Source, FormatInfo, Path | None]],
    profile: str,
    options: dict[str, str],
    *,
    debug: bool,
    jobs: int,
    allow_problems: bool = False,
    quiet: bool = False,
    audience: Audience | None = None,
) -> int:
    grouped: dict[Source, list[tuple[str, Path | None, dict[str, str]]]] = {}
    for source, info, target in plan:
        grouped.setdefault(source, []).append((info.name, target, _options_for(info, options)))
    work: list[_Job] = list(grouped.items())
    progress = Progress(len(work), sys.stderr)
    status = _OK

    def report(source: Source, result: _Result) -> None:
        nonlocal status
        lines, outcome, redaction = result
        if redaction is not None and audience is not None:
            audience.reports[str(source)] = redaction
        progress.step(source.name)
        status = max(status, outcome)
        if lines:
            progress.pause()
            print("\n".join(lines), file=sys.stderr)

    workers = min(jobs, len(work))
    if workers <= 1:
        _render_in_turn(work, profile, debug, allow_problems, quiet, audience, report=report)
    else:
        # Inputs are independent: render them in worker processes (forked where the platform
        # allows, so each starts with pirdoc already imported).
        import multiprocessing  # a tenth of the start-up of a command that renders one input
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        orphans: list[_Job] = []
        runs = _runs(work, workers)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {
                pool.submit(_render_in_turn, run, profile, debug, allow_problems, quiet, audience): run for run in runs
            }
            for future in as_completed(futures):
                try:
                    results = future.result()
                except BrokenProcessPool:  # a worker died (killed, out of memory): every job in the pool fails
                    orphans.extend(futures[future])
                    continue
                for job, result in zip(futures[future], results, strict=True):
                    report(job[0], result)
        # Each job of a broken pool again in a pool of its own, so that only the input that kills
        # its worker fails.
        for job in sorted(orphans, key=lambda orphan: work.index(orphan)):
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as single:
                try:
                    [result] = single.submit(
                        _render_in_turn, [job], profile, debug, allow_problems, quiet, audience
                    ).result()
                except BrokenProcessPool:
                    died = f"{job[0]}: the process rendering it died (out of memory?); nothing was written"
                    result = ([died], _FAILED, None)
            report(job[0], result)
    progress.close()
    return status
