"""Measuring: a process's peak memory, and the ratios of a batch's rounds (shared by the benchmark
parts)."""

from __future__ import annotations

import resource
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB: VmHWM on Linux (``ru_maxrss`` there survives
    fork and exec, so a child would report its parent's peak), ``ru_maxrss`` elsewhere."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


PANDOC_AGAIN: Final = "pandoc_docx_again"
"""The second pandoc run of a round, after the pirdoc commands."""


def round_ratios(times: dict[str, list[float]], names: Sequence[str]) -> dict[str, Any]:
    """Medians of the rounds' times (pandoc's over both its runs), and for each of ``names`` the
    median over rounds of its time over the mean of that round's two pandoc runs: the commands of
    a round ran back to back under the same load, so its ratio is steadier than a ratio of
    medians on a machine whose load changes; and pandoc before and after leaves a steady drift of
    the machine's speed at most half its effect on a ratio (none for a command mid-round)."""
    pandoc = [(first + again) / 2 for first, again in zip(times["pandoc_docx"], times[PANDOC_AGAIN], strict=True)]
    seconds = {name: statistics.median(values) for name, values in times.items() if name != PANDOC_AGAIN}
    seconds["pandoc_docx"] = statistics.median([*times["pandoc_docx"], *times[PANDOC_AGAIN]])
    ratios = {
        f"{name.removeprefix('pirdoc_')}_ratio": statistics.median(
            value / reference for value, reference in zip(times[name], pandoc, strict=True)
        )
        for name in names
    }
    return {"seconds": seconds, "round_seconds": times, **ratios}
