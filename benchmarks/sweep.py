"""The dimension sweep: time and peak memory of each format against one input dimension at a time.

For every dimension a review is grown along that dimension alone (the example review otherwise),
at a size ``n`` and at ``10 n``; each format renders it in a fresh process (so no heap or cache of
another measurement counts), which reports the fastest of its runs and its peak resident set
size. A curve is linear when time(10 n) / time(n) ≤ 12 (the issue's goal).

    python sweep.py --child DIMENSION SIZE FORMAT RUNS   (what the parent runs in each child)
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _nesting(base: Review, size: int) -> Review:
    nested = "".join("  " * level + "- level " + str(level) + "\n" for level in range(size))
    return attrs.evolve(base, root_cause=attrs.evolve(base.root_cause, what_happened=nested))


DIMENSIONS: dict[str, tuple[Callable[[Review, int], Review], str]] = {
    "field_chars": (_field, "characters of words in one narrative field"),
    "unbroken_chars": (_unbroken, "characters of one line without spaces"),
    "timeline_events": (_events, "timeline events"),
    "action_items": (_action_items, "action items"),
    "table_rows": (_table_rows, "rows of a table in a narrative field"),
    "table_columns": (_table_columns, "columns of a 20-row table in a narrative field (limit 50)"),
    "list_depth": (_nesting, "levels of a nested list in a narrative field (20 rendered as structure)"),
}

QUICK_SIZES = {
    "field_chars": 1_000,
    "unbroken_chars": 1_000,
    "timeline_events": 10,
    "action_items": 10,
    "table_rows": 10,
    "table_columns": 4,
    "list_depth": 2,
}
FULL_SIZES = {
    "field_chars": 100_000,
    "unbroken_chars": 100_000,
    "timeline_events": 1_000,
    "action_items": 500,
    "table_rows": 500,
    "table_columns": 5,
    "list_depth": 2,
}


def child(dimension: str, size: int, fmt: str, runs: int) -> None:
    """Run in a subprocess: render the grown review ``runs`` times; print times and peak memory."""
    base = workloads.example()
    grow = DIMENSIONS[dimension][0]
    render(base, fmt)  # imports and first-use caches
    review = grow(base, size)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        render(review, fmt)
        seconds.append(time.perf_counter() - started)
    print(json.dumps({"seconds": min(seconds), "peak_kib": peak_rss_kib()}))


def _measure_here(dimension: str, size: int, fmt: str, runs: int) -> dict[str, Any]:
    """The quick mode's measurement, in this process (no peak memory: the process is shared)."""
    review = DIMENSIONS[dimension][0](workloads.example(), size)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        render(review, fmt)
        seconds.append(time.perf_counter() - started)
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


def sweep(quick: bool, runs: int, failures: Callable[[str], None]) -> dict[str, Any]:
    """Every dimension at n and 10 n, every format; the growth ratio and peak memory of each."""
    sizes = QUICK_SIZES if quick else FULL_SIZES
    rows = []
    for dimension, (_, what) in DIMENSIONS.items():
        small = sizes[dimension]
        for fmt in FORMATS:
            row: dict[str, Any] = {"dimension": dimension, "what": what, "format": fmt, "n": small}
            try:
                if quick:  # proves the sweep works; subprocesses would cost CI a minute
                    first = _measure_here(dimension, small, fmt, runs)
                    second = _measure_here(dimension, small * 10, fmt, runs)
                else:
                    first = _measure(dimension, small, fmt, runs, timeout=600)
                    second = _measure(dimension, small * 10, fmt, runs, timeout=600)
            except subprocess.TimeoutExpired:
                failures(f"sweep {dimension} {fmt}: over 10 minutes")
                row["failed"] = "over 10 minutes"
            except subprocess.CalledProcessError as error:
                last = (error.stderr or "").strip().splitlines()[-1:] or [f"exit {error.returncode}"]
                failures(f"sweep {dimension} {fmt}: {last[0][:300]}")
                row["failed"] = last[0][:300]
            else:
                row.update(
                    seconds_n=first["seconds"],
                    seconds_10n=second["seconds"],
                    growth=second["seconds"] / first["seconds"] if first["seconds"] > 0 else None,
                    peak_mib_10n=None if second["peak_kib"] is None else second["peak_kib"] / 1024,
                )
            rows.append(row)
    return {"rows": rows}


def report(result: dict[str, Any], limit: float) -> list[str]:
    """The Markdown lines of the sweep's part of the report."""
    lines = [
        "## 6. Dimension sweep (one dimension grown at a time, n → 10 n, each render in a fresh process)",
        "",
        "| Dimension | n | Format | time(n) | time(10 n) | Growth | Peak at 10 n | Verdict |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for row in result["rows"]:
        if "failed" in row:
            failed = f"failed: {row['failed']}"
            lines.append(f"| {row['what']} | {row['n']:,} | {row['format']} | – | – | – | – | {failed} |")
            continue
        growth, peak = row["growth"], row["peak_mib_10n"]
        shown_peak = "–" if peak is None else f"{peak:.0f} MiB"
        verdict = "–" if growth is None else ("linear" if growth <= limit else "**faster than linear**")
        lines.append(
            f"| {row['what']} | {row['n']:,} | {row['format']} | {row['seconds_n'] * 1000:.0f} ms | "
            f"{row['seconds_10n'] * 1000:.0f} ms | {'–' if growth is None else f'{growth:.1f}×'} | "
            f"{shown_peak} | {verdict} |"
        )
    lines.append("")
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit(__doc__)
