"""The dimension sweep: time and peak memory of each format against one input dimension at a time.

For every dimension a review is grown along that dimension alone (the example review otherwise),
from a small size to the dimension's limit (`pirdoc.limits`) a factor of ten at a time; each
format renders each size in a fresh process (so no heap or cache of another measurement counts),
which reports the CPU time of its fastest run and its peak resident set size. A curve is linear
when every step has time(10 n) / time(n) ≤ 12 (the issue's goal).

A render is one thread working in memory, so its CPU time is its time, without the moments the
machine gave to something else: on a shared machine those made single steps look steeper than
they were. A step that still measures over the limit is measured again: both sizes, in fresh
processes, taking turns `AGAIN` times (a stretch of the machine running slower falls on both
alike, where one measurement of each could put it on one end only), each size keeping the
fastest of all its measurements; the report says so and gives the first growth.

    python sweep.py --child DIMENSION SIZE FORMAT RUNS   (what the parent runs in each child)
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import attrs
import workloads
from measure import peak_rss_kib

from pirdoc.api import render
from pirdoc.model import Review

FORMATS = ("markdown", "docx", "pdf", "confluence")


def _field(base: Review, size: int) -> Review:
    words = ("lorem ipsum dolor sit amet " * (size // 27 + 1))[:size]
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened=words))


def _unbroken(base: Review, size: int) -> Review:
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened="x" * size))


def _events(base: Review, size: int) -> Review:
    return workloads.sized(base, size)


def _action_items(base: Review, size: int) -> Review:
    items = tuple(
        attrs.evolve(base.action_items[i % len(base.action_items)], id=f"AI-{i + 1}") for i in range(size)
    )
    return attrs.evolve(base, action_items=items)


def _table_rows(base: Review, size: int) -> Review:
    rows = "".join(f"| db-{i} | degraded | lag {i} s |\n" for i in range(size))
    table = "| Host | State | Note |\n|---|---|---|\n" + rows
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened=table))


def _table_columns(base: Review, size: int) -> Review:
    header = "| " + " | ".join(f"c{i}" for i in range(size)) + " |\n"
    rule = "|" + "---|" * size + "\n"
    rows = "".join("| " + " | ".join(f"v{r}.{i}" for i in range(size)) + " |\n" for r in range(20))
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened=header + rule + rows))


def _links(base: Review, size: int) -> Review:
    # each link a relationship of the DOCX and an annotation of the PDF: two lookups that were
    # linear scans per link
    links = " ".join(f"[l{i}](https://example.com/{i})" for i in range(size))
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened=links))


def _nesting(base: Review, size: int) -> Review:
    nested = "".join("  " * level + "- level " + str(level) + "\n" for level in range(size))
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened=nested))


def _quotes(base: Review, size: int) -> Review:
    quoted = "\n\n".join(">" * (level + 1) + " level " + str(level) for level in range(size))
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened=quoted))


DIMENSIONS: dict[str, tuple[Callable[[Review, int], Review], str]] = {
    "field_chars": (_field, "characters of words in one narrative field (limit 1,000,000)"),
    "unbroken_chars": (_unbroken, "characters of one line without spaces (limit 1,000,000)"),
    "timeline_events": (_events, "timeline events (limit 5,000)"),
    "action_items": (_action_items, "action items (limit 2,000)"),
    "table_rows": (_table_rows, "rows of a 3-column table in a narrative field (limit 20,000 cells)"),
    "table_columns": (_table_columns, "columns of a 20-row table in a narrative field (limit 50)"),
    "links": (_links, "links in one narrative field (28,000 fill its 1,000,000 characters)"),
    "list_depth": (_nesting, "levels of a nested list in a narrative field (20 rendered as structure)"),
    "quote_depth": (_quotes, "levels of nested quotes in a narrative field (20 rendered as structure)"),
}

QUICK_SIZES: dict[str, tuple[int, ...]] = {
    "field_chars": (1_000, 10_000),
    "unbroken_chars": (1_000, 10_000),
    "timeline_events": (10, 100),
    "action_items": (10, 100),
    "table_rows": (10, 100),
    "table_columns": (4, 40),
    "links": (10, 100),
    "list_depth": (2, 20),
    "quote_depth": (2, 20),
}
FULL_SIZES: dict[str, tuple[int, ...]] = {
    "field_chars": (1_000, 10_000, 100_000, 1_000_000),
    "unbroken_chars": (1_000, 10_000, 100_000, 1_000_000),
    "timeline_events": (50, 500, 5_000),
    "action_items": (20, 200, 2_000),
    "table_rows": (50, 500, 5_000),
    "table_columns": (5, 50),
    "links": (280, 2_800, 28_000),
    "list_depth": (2, 20),
    "quote_depth": (2, 20),
}
"""Each dimension from a small size up to its limit, a factor of ten at a time."""


def child(dimension: str, size: int, fmt: str, runs: int) -> None:
    """Run in a subprocess: render the grown review ``runs`` times; print times and peak memory."""
    base = workloads.example()
    grow = DIMENSIONS[dimension][0]
    render(base, fmt)  # imports and first-use caches
    review = grow(base, size)
    seconds = []
    for _ in range(runs):
        started = time.process_time()
        render(review, fmt)
        seconds.append(time.process_time() - started)
    print(json.dumps({"seconds": min(seconds), "peak_kib": peak_rss_kib()}))


def _measure_here(dimension: str, size: int, fmt: str, runs: int) -> dict[str, Any]:
    """The quick mode's measurement, in this process (no peak memory: the process is shared)."""
    review = DIMENSIONS[dimension][0](workloads.example(), size)
    seconds = []
    for _ in range(runs):
        started = time.process_time()
        render(review, fmt)
        seconds.append(time.process_time() - started)
    return {"seconds": min(seconds), "peak_kib": None}


def _measure(dimension: str, size: int, fmt: str, runs: int, timeout: float) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__)), "--child", dimension, str(size), fmt, str(runs)],
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    data: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return data


def sweep(quick: bool, runs: int, limit: float, failures: Callable[[str], None]) -> dict[str, Any]:
    """Every dimension at each of its sizes, every format; the growth ratio of each step (n to
    10 n) and the peak memory at each size. A step growing more than ``limit`` is measured again."""
    sizes = QUICK_SIZES if quick else FULL_SIZES
    rows = []
    for dimension, (_, what) in DIMENSIONS.items():
        for fmt in FORMATS:
            measured: dict[int, dict[str, Any]] = {}
            for size in sizes[dimension]:
                try:
                    if quick:  # proves the sweep works; subprocesses would cost CI a minute
                        measured[size] = _measure_here(dimension, size, fmt, runs)
                    else:
                        measured[size] = _measure(dimension, size, fmt, runs, timeout=600)
                except subprocess.TimeoutExpired:
                    failures(f"sweep {dimension} {fmt} {size}: over 10 minutes")
                    break
                except subprocess.CalledProcessError as error:
                    last = (error.stderr or "").strip().splitlines()[-1:] or [f"exit {error.returncode}"]
                    failures(f"sweep {dimension} {fmt} {size}: {last[0][:300]}")
                    break
            for small, large in zip(sizes[dimension], sizes[dimension][1:], strict=False):
                row: dict[str, Any] = {"dimension": dimension, "what": what, "format": fmt, "n": small, "to": large}
                if small not in measured or large not in measured:
                    row["failed"] = "see the failures"
                else:
                    row.update(_step(measured[small], measured[large]))
                    if not quick and (row["growth"] or 0) > limit:
                        again = _again(dimension, (small, large), fmt, runs, measured, failures)
                        if again is not None:
                            measured[small], measured[large] = again  # the next step starts from it
                            row.update(_step(*again), first_growth=row["growth"])
                rows.append(row)
    return {"rows": rows}


def _step(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    return {
        "seconds_n": first["seconds"],
        "seconds_10n": second["seconds"],
        "growth": second["seconds"] / first["seconds"] if first["seconds"] > 0 else None,
        "peak_mib_n": None if first["peak_kib"] is None else first["peak_kib"] / 1024,
        "peak_mib_10n": None if second["peak_kib"] is None else second["peak_kib"] / 1024,
    }


AGAIN: Final = 3
"""How many times each size of a step over the limit is measured again, the two taking turns."""


def _again(
    dimension: str, sizes: tuple[int, int], fmt: str, runs: int, measured: dict[int, dict[str, Any]],
    failures: Callable[[str], None],
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Both sizes of a steep step measured again, `AGAIN` times each, taking turns; each size
    keeps its fastest measurement (and its largest peak). None when a measurement fails
    (reported)."""
    kept = {size: dict(measured[size]) for size in sizes}
    for _ in range(AGAIN):
        for size in sizes:
            try:
                fresh = _measure(dimension, size, fmt, runs, timeout=600)
            except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as error:
                failures(f"sweep {dimension} {fmt} {size}, measured again: {type(error).__name__}")
                return None
            best = kept[size]
            best["seconds"] = min(best["seconds"], fresh["seconds"])
            best["peak_kib"] = max(best["peak_kib"] or 0, fresh["peak_kib"] or 0) or None
    return kept[sizes[0]], kept[sizes[1]]


def report(result: dict[str, Any], limit: float) -> list[str]:
    """The Markdown lines of the sweep's part of the report."""
    lines = [
        "## 6. Dimension sweep (one dimension grown at a time, n → 10 n, each render in a fresh process)",
        "",
        "| Dimension | n → 10 n | Format | CPU time(n) | CPU time(10 n) | Growth | Peak at n | Peak at 10 n "
        "| Verdict |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        if "failed" in row:
            failed = f"failed: {row['failed']}"
            sizes = f"{row['n']:,} → {row['to']:,}"
            lines.append(f"| {row['what']} | {sizes} | {row['format']} | – | – | – | – | – | {failed} |")
            continue
        growth = row["growth"]
        peaks = ["–" if peak is None else f"{peak:.0f} MiB" for peak in (row["peak_mib_n"], row["peak_mib_10n"])]
        verdict = "–" if growth is None else ("linear" if growth <= limit else "**faster than linear**")
        if "first_growth" in row:
            verdict += f" (measured again; first {row['first_growth']:.1f}×)"
        lines.append(
            f"| {row['what']} | {row['n']:,} → {row['to']:,} | {row['format']} | {row['seconds_n'] * 1000:.0f} ms | "
            f"{row['seconds_10n'] * 1000:.0f} ms | {'–' if growth is None else f'{growth:.1f}×'} | "
            f"{peaks[0]} | {peaks[1]} | {verdict} |"
        )
    lines.append("")
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit(__doc__)
