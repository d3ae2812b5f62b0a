"""The real-world workload: public postmortems written into the template (fixtures/real-world/).

Teams keep reviews as filled templates, so importing the Markdown is part of every render. This
part measures what they run: a batch of filled templates rendered by one ``pirdoc render``
process (in parallel, and on one CPU with ``-j 1``) against pandoc converting each file to DOCX,
and, in process, the cost per document of the import and of each format.
"""

from __future__ import annotations

import gc
import shutil
import statistics
import subprocess
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from measure import PANDOC_AGAIN, round_ratios

from pirdoc.api import render
from pirdoc.importers.markdown import read_markdown

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "real-world"
FORMATS = ("markdown", "docx", "pdf", "confluence")
CLI_FORMATS = "md,docx,pdf,confluence"


def cases() -> list[Path]:
    """The filled templates of the corpus (each case has a ``.facts.yaml`` beside it)."""
    return sorted(CORPUS / f"{p.name.removesuffix('.facts.yaml')}.md" for p in CORPUS.glob("*.facts.yaml"))


def _copies(folder: Path, count: int) -> list[Path]:
    """``count`` inputs cycling through the corpus, each under a name of its own."""
    folder.mkdir()
    sources = cases()
    result = []
    for index in range(count):
        source = sources[index % len(sources)]
        target = folder / f"{index:03d}-{source.name}"
        shutil.copyfile(source, target)
        result.append(target)
    return result


def _run(command: Sequence[str | Path]) -> float:
    started = time.perf_counter()
    subprocess.run([str(part) for part in command], check=True, capture_output=True)
    return time.perf_counter() - started


def batch(
    reviews: int, rounds: int, work: Path, cli: list[str] | None, failures: Callable[[str], None]
) -> dict[str, Any]:
    """``reviews`` filled templates: pandoc (one process per file, gfm → DOCX) against one
    ``pirdoc render`` process (DOCX; all four formats; all four on one CPU)."""
    inputs = _copies(work / "inputs", reviews)
    result: dict[str, Any] = {"reviews": reviews, "cases": len(cases()), "rounds": rounds}
    pandoc = shutil.which("pandoc")
    if pandoc is None or cli is None:
        result["skipped"] = "pandoc is not installed" if pandoc is None else "the pirdoc command line is not available"
        return result

    def run_pandoc(out: Path) -> float:
        return sum(_run([pandoc, "-f", "gfm", "-t", "docx", "-o", out / f"{p.stem}.docx", p]) for p in inputs)

    render_cli = [*cli, "render", "--allow-problems"]  # the corpus is marked Final and fails the final checks
    commands: dict[str, tuple[Callable[[Path], float], int]] = {
        "pandoc_docx": (run_pandoc, reviews),
        "pirdoc_docx": (lambda out: _run([*render_cli, *inputs, "-f", "docx", "-o", out]), reviews),
        "pirdoc_all": (lambda out: _run([*render_cli, *inputs, "-f", CLI_FORMATS, "-o", out]), reviews * 4),
        "pirdoc_all_j1": (
            lambda out: _run([*render_cli, *inputs, "-f", CLI_FORMATS, "-j", "1", "-o", out]),
            reviews * 4,
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in [*commands, PANDOC_AGAIN]}
    for round_index in range(rounds):
        # interleaved, pandoc first and last (see measure.round_ratios)
        for name, (command, expected) in [*commands.items(), (PANDOC_AGAIN, commands["pandoc_docx"])]:
            out = work / f"out-{name}-{round_index}"
            out.mkdir()
            try:
                times[name].append(command(out))
            except subprocess.CalledProcessError as error:
                failures(f"real-world batch {name}: exited {error.returncode}: {error.stderr!r:.500}")
                return result
            produced = sum(1 for path in out.iterdir() if path.is_file())
            if produced != expected:
                failures(f"real-world batch {name}: expected {expected} files, found {produced}")
    result.update(round_ratios(times, ("pirdoc_docx", "pirdoc_all", "pirdoc_all_j1")))  # round_seconds too
    return result


def per_document(runs: int) -> dict[str, Any]:
    """In process, per case: importing the filled template, then each format (full record);
    the median of ``runs`` over the corpus, per document, in CPU time.

    The stages take turns within each run, so that a stretch of the machine running slower (a
    shared machine's speed drifts by half and more within minutes) falls on every stage alike;
    measured one stage after another, one such stretch made the import 1.7 times Confluence in
    one run and 0.6 times in the next. Each stage is one thread working in memory, so its CPU time
    is its time without the moments the machine ran something else (though not without what the
    other work does to the caches and the clock). What one stage leaves for the collector is
    collected before the next is timed."""
    sources = cases()
    texts = [path.read_bytes() for path in sources]
    reviews = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in sources:
            reviews.append(read_markdown(path).review)

        def corpus_import() -> None:
            from pirdoc.importers.markdown import import_markdown

            for text in texts:
                import_markdown(text)

        def renders(fmt: str) -> Callable[[], None]:
            def stage() -> None:
                for review in reviews:
                    render(review, fmt, allow_problems=True)

            return stage

        stages: dict[str, Callable[[], None]] = {"import": corpus_import, **{fmt: renders(fmt) for fmt in FORMATS}}
        samples: dict[str, list[float]] = {name: [] for name in stages}
        for stage in stages.values():
            stage()  # warm: fonts, lazy imports
        for _ in range(runs):
            for name, stage in stages.items():
                gc.collect()
                started = time.process_time()
                stage()
                samples[name].append((time.process_time() - started) / len(sources))
        rows = {name: statistics.median(values) for name, values in samples.items()}
    return {"cases": len(sources), "runs": runs, "per_document_s": rows, "clock": "CPU"}


def report(result: dict[str, Any], documents: dict[str, Any]) -> list[str]:
    """The Markdown lines of this part of the report."""
    lines = [f"## 5. Real-world workload ({result['reviews']} filled templates from {result['cases']} cases)", ""]
    if "skipped" in result:
        lines += [f"Skipped: {result['skipped']}.", ""]
    elif "seconds" in result:
        seconds = result["seconds"]
        lines += [
            f"{result['rounds']} interleaved round(s), pandoc first and last in each; ratios are the median of "
            "each round's ratio to the mean of its two pandoc runs. The input is the filled template, so "
            "pirdoc's figures include the import.",
            "",
            "| Command | Time | vs pandoc |",
            "|---|---:|---:|",
            f"| pandoc, Markdown → DOCX, one process per file | {seconds['pandoc_docx']:.2f} s | 1.00× |",
            f"| `pirdoc render -f docx` | {seconds['pirdoc_docx']:.2f} s | {result['docx_ratio']:.2f}× |",
            f"| `pirdoc render -f {CLI_FORMATS}` | {seconds['pirdoc_all']:.2f} s | {result['all_ratio']:.2f}× |",
            f"| the same on one CPU (`-j 1`) | {seconds['pirdoc_all_j1']:.2f} s | {result['all_j1_ratio']:.2f}× |",
            "",
        ]
    else:
        lines += ["Failed; see the errors below.", ""]
    per = documents["per_document_s"]
    lines += [
        f"In process, per document (CPU time, median of {documents['runs']} passes over the "
        f"{documents['cases']} cases, the stages taking turns in each pass):",
        "",
        "| Stage | CPU time per document |",
        "|---|---:|",
        *(f"| {name} | {value * 1000:.1f} ms |" for name, value in per.items()),
        "",
    ]
    return lines
