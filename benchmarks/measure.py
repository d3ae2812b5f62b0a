"""Measuring a process: its peak memory (shared by the benchmark parts that run children)."""

from __future__ import annotations

import resource
import sys
from pathlib import Path


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
