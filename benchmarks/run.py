"""pirdoc benchmarks: batch against pandoc, per document, scaling with review size, import cost,
and the real-world workload (filled templates, import included, in parallel and on one CPU).

    python benchmarks/run.py [--quick] [--output DIR] [--plot PNG] [--plot-sweep PNG]

Every figure that is compared is measured in the same run, and reported as a ratio: the machine
this runs on is shared and noisy, so absolute times are given only as context. Results go to
``DIR/results.md`` and ``DIR/results.json`` (default ``benchmarks/results/``) and the Markdown
table is printed. ``--quick`` runs every part with fewer reviews, sizes of 10 and 100 events and few
repetitions (under a minute; CI uses it to prove the script works and never asserts on times).

Exit status: 0 when every part ran (whether or not the goals are met), 1 when a render or a
conversion failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import real_world
import sweep
import workloads
from measure import PANDOC_AGAIN, peak_rss_kib, round_ratios

import pirdoc
from pirdoc.api import render
from pirdoc.layout import layout

FORMATS = ("markdown", "docx", "pdf", "confluence")
CLI_FORMATS = {"markdown": "md", "docx": "docx", "pdf": "pdf", "confluence": "confluence"}
PROFILES = ("full", "executive")
HEAVY_MODULES = ("docx", "reportlab", "lxml", "markdown_it", "cattrs", "yaml")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results"

# The goals of the benchmark issue; checked and reported, never enforced by the exit status.
GOAL_BATCH_DOCX = 0.25
GOAL_BATCH_ALL = 1.0
GOAL_LINEAR = 12.0
GOAL_PEAK_MIB = 500.0
GOAL_IMPORT = 3.0


@dataclass(frozen=True)
class Settings:
    quick: bool
    reviews: int
    """Reviews in the batch."""
    batch_rounds: int
    """How often each batch command runs (medians are reported)."""
    document_runs: int
    """Renders per format and profile in the per-document part (median reported)."""
    pandoc_runs: int
    """Single-file pandoc conversions of the example, for the per-document comparison."""
    sizes: tuple[int, ...]
    """Timeline events of the scaling reviews."""
    scale_runs: int
    """Renders per format and size (the fastest is reported: noise only ever adds time)."""
    import_runs: int


FULL = Settings(
    quick=False,
    reviews=40,
    batch_rounds=5,
    document_runs=25,
    pandoc_runs=10,
    sizes=(5, 50, 500, 5_000),
    scale_runs=3,
    import_runs=30,
)
QUICK = Settings(
    quick=True,
    reviews=8,
    batch_rounds=1,
    document_runs=5,
    pandoc_runs=3,
    sizes=(10, 100),
    scale_runs=1,
    import_runs=10,
)


class Failures:
    """Failures seen while measuring; a failed part is reported, and the run exits 1."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        print(f"FAILED: {message}", file=sys.stderr, flush=True)
        self.messages.append(message)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(function: Callable[..., object], *args: Any, **kwargs: Any) -> float:
    """Wall time of ``function(*args, **kwargs)``."""
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def run_command(command: Sequence[str | Path], *, cwd: Path | None = None) -> float:
    """Wall time of ``command``; raises CalledProcessError with its output if it fails."""
    start = time.perf_counter()
    subprocess.run([str(part) for part in command], check=True, cwd=cwd, capture_output=True)
    return time.perf_counter() - start


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


# ---------------------------------------------------------------------------- 1. batch


def cli_command() -> list[str] | None:
    """How tools start pirdoc: the console script next to this interpreter, if the CLI exists."""
    if importlib.util.find_spec("pirdoc.cli") is None:
        return None
    script = Path(sys.executable).parent / "pirdoc"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "pirdoc"]


def batch(settings: Settings, work: Path, failures: Failures) -> dict[str, Any]:
    """Many reviews to DOCX: one ``pirdoc render`` process against one pandoc process per file."""
    base = workloads.example()
    yaml_dir, md_dir = work / "yaml", work / "md"
    yaml_dir.mkdir()
    md_dir.mkdir()
    inputs: list[Path] = []
    markdowns: list[Path] = []
    events = 0
    for index in range(settings.reviews):
        review = workloads.variant(base, index)
        events += len(review.timeline)
        inputs.append(yaml_dir / f"{review.incident_id}.yaml")
        pirdoc.dump(review, inputs[-1])
        markdowns.append(md_dir / f"{review.incident_id}.md")
        markdowns[-1].write_bytes(render(review, "markdown"))
    result: dict[str, Any] = {"reviews": settings.reviews, "timeline_events": events, "rounds": settings.batch_rounds}

    pandoc = shutil.which("pandoc")
    cli = cli_command()
    if pandoc is None:
        result["skipped"] = "pandoc is not installed"
    elif cli is None:
        result["skipped"] = "the pirdoc command line (pirdoc.cli) is not available"
    if "skipped" in result:
        log(f"batch: skipped, {result['skipped']}")
        return result
    assert pandoc is not None
    assert cli is not None
    result["pandoc_version"] = subprocess.run(
        [pandoc, "--version"], check=True, capture_output=True, text=True
    ).stdout.splitlines()[0]

    def run_pandoc(out: Path) -> None:
        for markdown in markdowns:
            run_command([pandoc, "-f", "gfm", "-t", "docx", "-o", out / f"{markdown.stem}.docx", markdown])

    def run_pirdoc_docx(out: Path) -> None:
        run_command([*cli, "render", *inputs, "-f", "docx", "-o", out])

    all_formats = ",".join(CLI_FORMATS[f] for f in FORMATS)

    def run_pirdoc_all(out: Path) -> None:
        run_command([*cli, "render", *inputs, "-f", all_formats, "-o", out])

    def run_pirdoc_all_j1(out: Path) -> None:  # what a machine with one CPU, or a job given one, pays
        run_command([*cli, "render", *inputs, "-f", all_formats, "-j", "1", "-o", out])

    commands: dict[str, tuple[Callable[[Path], None], int]] = {
        "pandoc_docx": (run_pandoc, settings.reviews),
        "pirdoc_docx": (run_pirdoc_docx, settings.reviews),
        "pirdoc_all": (run_pirdoc_all, settings.reviews * len(FORMATS)),
        "pirdoc_all_j1": (run_pirdoc_all_j1, settings.reviews * len(FORMATS)),
    }
    times: dict[str, list[float]] = {name: [] for name in [*commands, PANDOC_AGAIN]}
    for round_index in range(settings.batch_rounds):
        # interleaved, pandoc first and last: noise hits all alike, and a steady drift of the
        # machine's speed through the round moves a ratio half as much (see round_ratios)
        for name, (command, expected) in [*commands.items(), (PANDOC_AGAIN, commands["pandoc_docx"])]:
            out = work / f"out-{name}-{round_index}"
            out.mkdir()
            try:
                times[name].append(timed(command, out))
            except subprocess.CalledProcessError as error:
                failures.add(f"batch {name}: {error.cmd[:3]} exited {error.returncode}: {error.stderr!r:.500}")
                return result
            produced = sum(1 for path in out.rglob("*") if path.is_file())
            if produced != expected:
                failures.add(f"batch {name}: expected {expected} files, found {produced}")
        log(f"batch round {round_index + 1}: " + ", ".join(f"{n} {t[-1]:.2f}s" for n, t in times.items() if t))
    if any(len(values) != settings.batch_rounds for values in times.values()):
        return result
    result.update(round_ratios(times, ("pirdoc_docx", "pirdoc_all", "pirdoc_all_j1")))
    return result


# ---------------------------------------------------------------------------- 2. per document


def per_document(settings: Settings, work: Path, failures: Failures) -> dict[str, Any]:
    """``render(example, fmt, profile=...)`` in process, median of many runs."""
    review = workloads.example()
    rows: list[dict[str, Any]] = []
    for profile in PROFILES:
        layout(review, profile)
        runs = [timed(layout, review, profile) for _ in range(settings.document_runs)]
        rows.append({"format": "(layout only)", "profile": profile, "median_s": statistics.median(runs)})
    for fmt in FORMATS:
        for profile in PROFILES:
            try:
                first = timed(render, review, fmt, profile=profile)
                runs = [timed(render, review, fmt, profile=profile) for _ in range(settings.document_runs)]
            except Exception as error:  # a renderer failing is a finding, not a crash of the run
                failures.add(f"render example {fmt}/{profile}: {error!r}")
                continue
            rows.append({"format": fmt, "profile": profile, "first_s": first, "median_s": statistics.median(runs)})
    result: dict[str, Any] = {"runs": settings.document_runs, "rows": rows}
    pandoc = shutil.which("pandoc")
    if pandoc is not None:
        markdown = work / "example.md"
        markdown.write_bytes(render(review, "markdown"))
        runs = [
            run_command([pandoc, "-f", "gfm", "-t", "docx", "-o", work / "example.docx", markdown])
            for _ in range(settings.pandoc_runs)
        ]
        result["pandoc_docx_s"] = statistics.median(runs)
        for row in rows:
            row["vs_pandoc"] = ratio(row["median_s"], result["pandoc_docx_s"])
    return result


# ---------------------------------------------------------------------------- 3. scaling


LAYOUT = "(layout only)"


def scale_child(name: str, events: int, runs: int) -> None:
    """Run in a subprocess: render one sized review ``runs`` times; print the times and the peak
    resident set size before and after (a fresh process per measurement, so that one format's
    garbage or a previous size's heap never slows another)."""
    review = workloads.sized(workloads.example(), events)
    small = workloads.sized(workloads.example(), 3)
    if name == LAYOUT:
        layout(small, "full")
    else:
        render(small, name)  # imports and first-use caches
    before = peak_rss_kib()
    seconds = [timed(layout, review, "full") if name == LAYOUT else timed(render, review, name) for _ in range(runs)]
    print(json.dumps({"before_kib": before, "peak_kib": peak_rss_kib(), "seconds": seconds}))


def measure_scaled(name: str, events: int, runs: int) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, __file__, "--scale-child", name, str(events), str(runs)],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return {
        "events": events,
        "seconds": min(data["seconds"]),
        "runs": data["seconds"],
        "before_mib": data["before_kib"] / 1024,
        "peak_mib": data["peak_kib"] / 1024,
    }


# A render expected to take longer than this is run once instead of ``scale_runs`` times.
LONG_RENDER_S = 20.0


def scaling(settings: Settings, failures: Failures) -> dict[str, Any]:
    """Time per format for reviews of growing size, each in its own process; linearity; peak
    memory."""
    names = (LAYOUT, *FORMATS)
    series: dict[str, dict[str, float | None]] = {name: {} for name in names}
    memory: dict[str, dict[str, float]] = {name: {} for name in names}
    broken: set[str] = set()
    for events in settings.sizes:
        for name in names:
            key = str(events)
            if name in broken:
                series[name][key] = None
                continue
            previous = [v for v in series[name].values() if v is not None]
            expected = previous[-1] * 10 if previous else 0.0
            runs = 1 if expected > LONG_RENDER_S else settings.scale_runs
            try:
                measured = measure_scaled(name, events, runs)
            except subprocess.CalledProcessError as error:
                last = (error.stderr or "").strip().splitlines()[-1:] or [f"exit {error.returncode}"]
                failures.add(f"render {events} events {name}: {last[0][:300]}")
                broken.add(name)
                series[name][key] = None
                continue
            series[name][key] = measured["seconds"]
            memory[name][key] = measured["peak_mib"]
        log(
            f"scaling {events} events: "
            + ", ".join(
                f"{name} {values[str(events)]:.3f}s" if values[str(events)] is not None else f"{name} failed"
                for name, values in series.items()
            )
        )
    largest, previous_size = settings.sizes[-1], settings.sizes[-2]
    growth = {name: ratio(values.get(str(largest)), values.get(str(previous_size))) for name, values in series.items()}
    return {
        "sizes": list(settings.sizes),
        "runs": settings.scale_runs,
        "seconds": series,
        "growth": {"from": previous_size, "to": largest, "ratio": growth},
        "peak_mib": memory,
    }


# ---------------------------------------------------------------------------- 4. import


def import_cost(settings: Settings) -> dict[str, Any]:
    """``python -c "import pirdoc"`` against ``python -c pass``, interleaved, medians."""
    bare: list[float] = []
    with_pirdoc: list[float] = []
    with_model: list[float] = []
    for _ in range(settings.import_runs):
        bare.append(run_command([sys.executable, "-c", "pass"]))
        with_pirdoc.append(run_command([sys.executable, "-c", "import pirdoc"]))
        # The public names are imported on first use; the model is what every real use touches.
        with_model.append(run_command([sys.executable, "-c", "from pirdoc import Review, check"]))
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, pirdoc; print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY_MODULES)!r}))",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result = {
        "runs": settings.import_runs,
        "bare_s": statistics.median(bare),
        "pirdoc_s": statistics.median(with_pirdoc),
        "model_s": statistics.median(with_model),
        "heavy_modules_loaded": json.loads(check.stdout.replace("'", '"')),
    }
    result["ratio"] = ratio(result["pirdoc_s"], result["bare_s"])
    result["model_ratio"] = ratio(result["model_s"], result["bare_s"])
    return result


# ---------------------------------------------------------------------------- report


def _real_world_goals(results: dict[str, Any]) -> list[str]:
    """The goal rows measured on the real-world corpus and by the sweep (sections 5 and 6)."""
    rows: list[tuple[str, float | None, float]] = []
    batch = results.get("real_world", {})
    rows += [
        ("Real-world: filled templates → DOCX vs pandoc per file", batch.get("docx_ratio"), GOAL_BATCH_DOCX),
        ("Real-world: all four formats vs pandoc's DOCX", batch.get("all_ratio"), GOAL_BATCH_ALL),
        ("Real-world: all four formats on one CPU (`-j 1`)", batch.get("all_j1_ratio"), GOAL_BATCH_ALL),
    ]
    per = results.get("real_world_documents", {}).get("per_document_s", {})
    pandoc_each = None
    if "seconds" in batch and batch.get("reviews"):
        pandoc_each = batch["seconds"]["pandoc_docx"] / batch["reviews"]
    pdf_label = "Real-world: PDF per document (in process) vs one pandoc DOCX process"
    rows.append((pdf_label, ratio(per.get("pdf"), pandoc_each), 1.0))
    formats = [per[name] for name in FORMATS if name in per]
    cheapest = min(formats) if formats else None
    import_label = "Real-world: reading the filled template vs the cheapest format, per document"
    rows.append((import_label, ratio(per.get("import"), cheapest), 1.0))
    lines = [f"| {label} | {_x(value)} | {limit:.2f}× | {_verdict(value, limit)} |" for label, value, limit in rows]
    sweep_rows = results.get("sweep", {}).get("rows", [])
    if sweep_rows:
        steep = sum(1 for row in sweep_rows if "failed" in row or (row["growth"] or 0) > GOAL_LINEAR)
        verdict = "✓ met" if steep == 0 else "✗ missed"
        lines.append(
            f"| Sweep: steps n → 10 n growing more than {GOAL_LINEAR:.0f}× (or failing) | "
            f"{steep} of {len(sweep_rows)} | 0 | {verdict} |"
        )
    return lines


def _s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "✓ met" if value <= limit else "✗ missed"


def report(results: dict[str, Any]) -> str:
    lines: list[str] = []
    add = lines.append
    machine = results["machine"]
    add(f"# pirdoc benchmark results{' (quick mode)' if results['quick'] else ''}")
    add("")
    add(
        f"{machine['when']} · {machine['platform']} · {machine['cpus']} CPUs · Python {machine['python']} · "
        f"pirdoc {machine['pirdoc']} · {results['total_s']:.0f} s in all. Ratios compare figures measured "
        f"in this run; absolute times are context only. pirdoc's bytecode: {machine.get('bytecode', 'as found')}."
    )
    add("")

    batch, document, scale, imports = (results[k] for k in ("batch", "document", "scaling", "import"))
    growth = scale["growth"]
    largest = str(growth["to"])
    peaks = {name: values[largest] for name, values in scale["peak_mib"].items() if largest in values}
    worst_growth = max((v for k, v in growth["ratio"].items() if k in FORMATS and v is not None), default=None)
    worst_peak = max((v for k, v in peaks.items() if k in FORMATS), default=None)
    add("## Goals")
    add("")
    add("| Goal | Measured | Limit | Verdict |")
    add("|---|---:|---:|---|")
    add(
        f"| Batch: {batch['reviews']} reviews → DOCX, one `pirdoc render` vs one pandoc per file | "
        f"{_x(batch.get('docx_ratio'))} | {GOAL_BATCH_DOCX:.2f}× | "
        f"{_verdict(batch.get('docx_ratio'), GOAL_BATCH_DOCX)} |"
    )
    add(
        f"| Batch: all four formats vs pandoc's DOCX alone | {_x(batch.get('all_ratio'))} | {GOAL_BATCH_ALL:.2f}× | "
        f"{_verdict(batch.get('all_ratio'), GOAL_BATCH_ALL)} |"
    )
    add(
        f"| Batch: all four formats on one CPU (`-j 1`) vs pandoc's DOCX | {_x(batch.get('all_j1_ratio'))} | "
        f"{GOAL_BATCH_ALL:.2f}× | {_verdict(batch.get('all_j1_ratio'), GOAL_BATCH_ALL)} |"
    )
    lines.extend(_real_world_goals(results))
    add(
        f"| Scaling: time({growth['to']:,}) / time({growth['from']:,}), worst format | {_x(worst_growth)} | "
        f"{GOAL_LINEAR:.0f}× | {_verdict(worst_growth, GOAL_LINEAR)} |"
    )
    add(
        f"| Peak memory at {growth['to']:,} events, worst format | "
        f"{'–' if worst_peak is None else f'{worst_peak:.0f} MiB'} | {GOAL_PEAK_MIB:.0f} MiB | "
        f"{_verdict(worst_peak, GOAL_PEAK_MIB)} |"
    )
    add(
        f"| `import pirdoc` vs `python -c pass` | {_x(imports['ratio'])} | {GOAL_IMPORT:.0f}× | "
        f"{_verdict(imports['ratio'], GOAL_IMPORT)} |"
    )
    add(f"| `from pirdoc import Review, check` vs `python -c pass` (context) | {_x(imports['model_ratio'])} | – | – |")
    add("")

    add(f"## 1. Batch against pandoc ({batch['reviews']} reviews, {batch['timeline_events']} timeline events)")
    add("")
    if "skipped" in batch:
        add(f"Skipped: {batch['skipped']}.")
    elif "seconds" in batch:
        seconds = batch["seconds"]
        add(
            f"{batch['rounds']} interleaved round(s), pandoc first and last in each; times are medians, ratios "
            "the median of each round's ratio to the mean of its two pandoc runs (which halves what a steady "
            f"drift of the machine's speed does to a ratio). pandoc: {batch['pandoc_version']}, "
            "`pandoc -f gfm -t docx` once per file; pirdoc: one `pirdoc render` process for all inputs."
        )
        add("")
        add("| Command | Time | vs pandoc |")
        add("|---|---:|---:|")
        add(f"| pandoc, Markdown → DOCX, one process per file | {_s(seconds['pandoc_docx'])} | 1.00× |")
        add(f"| `pirdoc render -f docx` | {_s(seconds['pirdoc_docx'])} | {_x(batch['docx_ratio'])} |")
        add(f"| `pirdoc render -f md,docx,pdf,confluence` | {_s(seconds['pirdoc_all'])} | {_x(batch['all_ratio'])} |")
        add(f"| the same on one CPU (`-j 1`) | {_s(seconds['pirdoc_all_j1'])} | {_x(batch['all_j1_ratio'])} |")
    else:
        add("Failed; see the errors below.")
    add("")

    add(f"## 2. Per document: the example, in process (median of {document['runs']} runs)")
    add("")
    pandoc_s = document.get("pandoc_docx_s")
    if pandoc_s is not None:
        add(f"Compared with one `pandoc -f gfm -t docx` process on the example's Markdown: {_s(pandoc_s)}.")
        add("")
    add("| Format | Profile | First call | Median | vs one pandoc run |")
    add("|---|---|---:|---:|---:|")
    for row in document["rows"]:
        add(
            f"| {row['format']} | {row['profile']} | {_s(row.get('first_s'))} | {_s(row['median_s'])} | "
            f"{_x(row.get('vs_pandoc'))} |"
        )
    add("")

    sizes = scale["sizes"]
    add(f"## 3. Scaling with review size (full profile, fastest of {scale['runs']} run(s), one process each)")
    add("")
    add(
        "Events are timeline events; each review also has one action item per five events and one "
        "contributing factor per ten."
    )
    add("")
    add("| Format | " + " | ".join(f"{n:,} events" for n in sizes) + f" | {growth['to']:,} / {growth['from']:,} |")
    add("|---|" + "---:|" * (len(sizes) + 1))
    for name, values in scale["seconds"].items():
        add(f"| {name} | " + " | ".join(_s(values.get(str(n))) for n in sizes) + f" | {_x(growth['ratio'][name])} |")
    add("")
    add(
        "Peak memory: peak resident set size of the whole process (VmHWM; `ru_maxrss` off Linux), each "
        "format and size measured in a fresh process that has imported pirdoc and rendered a small review "
        "first:"
    )
    add("")
    add("| Format | " + " | ".join(f"{n:,} events" for n in sizes) + " |")
    add("|---|" + "---:|" * len(sizes))
    for name, values in scale["peak_mib"].items():
        add(f"| {name} | " + " | ".join(f"{values[str(n)]:.0f} MiB" if str(n) in values else "–" for n in sizes) + " |")
    add("")

    add(f"## 4. Import (median of {imports['runs']} interleaved runs)")
    add("")
    add("| Command | Time | Ratio |")
    add("|---|---:|---:|")
    add(f"| `python -c pass` | {_s(imports['bare_s'])} | 1.00× |")
    add(f'| `python -c "import pirdoc"` | {_s(imports["pirdoc_s"])} | {_x(imports["ratio"])} |')
    add(f'| `python -c "from pirdoc import Review, check"` | {_s(imports["model_s"])} | {_x(imports["model_ratio"])} |')
    add("")
    loaded = imports["heavy_modules_loaded"]
    add(f"Loaded by `import pirdoc` among {', '.join(HEAVY_MODULES)}: {', '.join(loaded) if loaded else 'none'}.")
    add("")
    if "real_world" in results:
        lines.extend(real_world.report(results["real_world"], results["real_world_documents"]))
    if "sweep" in results:
        lines.extend(sweep.report(results["sweep"], GOAL_LINEAR))
    if results["failures"]:
        add("## Errors")
        add("")
        for message in results["failures"]:
            add(f"- {message}")
        add("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- plot


def plot(results: dict[str, Any], target: Path | None, sweep_target: Path | None) -> None:
    """The scaling curve and the dimension sweep as PNGs (see plot.py)."""
    from plot import write_png, write_sweep_png

    if target is not None:
        write_png(results["scaling"], target)
    if sweep_target is not None and "sweep" in results:
        write_sweep_png(results["sweep"], sweep_target, GOAL_LINEAR)


# ---------------------------------------------------------------------------- main


def machine() -> dict[str, Any]:
    return {
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
        "platform": platform.platform(terse=True),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pirdoc": pirdoc.__version__,
    }


_BYTECODE_SETTINGS: Final = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")


def compiled_as_installed(cache: Path) -> dict[str, str | None]:
    """Let every process this run starts read Python modules as bytecode, as they are after
    ``pip install pirdoc`` (a wheel install compiles them). With the README's editable install
    and ``PYTHONDONTWRITEBYTECODE`` set, as on the benchmark machine, each process would
    otherwise compile all of pirdoc from source first. The bytecode goes to a folder of this run
    (``PYTHONPYCACHEPREFIX``), not into the tree; with it set, Python reads no other bytecode,
    so one render of every format (YAML and a filled template, several inputs in worker
    processes) compiles what the measured processes will import. This process is unchanged.
    Returns the settings it replaced, for `restore_bytecode_settings`."""
    saved = {name: os.environ.get(name) for name in _BYTECODE_SETTINGS}
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(cache)
    warm = cache.parent / "warm-up"
    inputs = [str(workloads.EXAMPLE), str(real_world.cases()[0])]
    cli = cli_command() or [sys.executable, "-m", "pirdoc"]
    subprocess.run([*cli, "render", "--allow-problems", "--quiet", *inputs, "-f", "md,docx,pdf,confluence",
                    "-j", "2", "-o", str(warm)], check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", "import pirdoc; from pirdoc import Review, check"], check=True)
    return saved


def restore_bytecode_settings(saved: dict[str, str | None]) -> None:
    """Put back the environment `compiled_as_installed` changed."""
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="every part, smaller and fewer (under a minute)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where results.md/.json go")
    parser.add_argument("--plot", type=Path, help="also draw the scaling curve to this PNG (needs pdftoppm)")
    parser.add_argument("--plot-sweep", type=Path, help="also draw the dimension sweep to this PNG (needs pdftoppm)")
    parser.add_argument("--scale-child", nargs=3, metavar=("FORMAT", "EVENTS", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_child:
        scale_child(args.scale_child[0], int(args.scale_child[1]), int(args.scale_child[2]))
        return 0

    settings = QUICK if args.quick else FULL
    failures = Failures()
    started = time.perf_counter()
    results: dict[str, Any] = {"quick": settings.quick, "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="pirdoc-bench-") as temporary:
        work = Path(temporary)
        saved = compiled_as_installed(work / "pycache")
        was = saved["PYTHONDONTWRITEBYTECODE"] or "unset"
        results["machine"]["bytecode"] = f"compiled once into the run's own cache (PYTHONDONTWRITEBYTECODE was {was})"
        try:
            log("import cost …")
            results["import"] = import_cost(settings)
            log("per document …")
            (work / "document").mkdir()
            results["document"] = per_document(settings, work / "document", failures)
            log("scaling …")
            results["scaling"] = scaling(settings, failures)
            log("batch against pandoc …")
            (work / "batch").mkdir()
            results["batch"] = batch(settings, work / "batch", failures)
            log("real-world workload …")
            (work / "real-world").mkdir()
            results["real_world"] = real_world.batch(
                max(settings.reviews, len(real_world.cases())), settings.batch_rounds, work / "real-world",
                cli_command(), failures.add,
            )
            results["real_world_documents"] = real_world.per_document(max(1, settings.document_runs // 3))
            log("dimension sweep …")
            results["sweep"] = sweep.sweep(settings.quick, settings.scale_runs, GOAL_LINEAR, failures.add)
        finally:
            restore_bytecode_settings(saved)
    results["total_s"] = time.perf_counter() - started
    results["failures"] = failures.messages

    table = report(results)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "results.md").write_text(table + "\n", encoding="utf-8")
    (args.output / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.plot or args.plot_sweep:
        plot(results, args.plot, args.plot_sweep)
    print(table)
    log(f"written to {args.output}")
    return 1 if failures.messages else 0


if __name__ == "__main__":
    sys.exit(main())
