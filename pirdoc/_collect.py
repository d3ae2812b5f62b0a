"""Python's cyclic garbage collector while pirdoc reads, lays out and renders a review.

A render allocates tens of thousands of small objects that all stay alive until it ends (tokens,
document nodes, paragraphs, fragments). With the collector as Python configures it (a young
collection every 700 allocations), a large review pays for the same objects being traversed
again and again: measured in one process, a narrative table of 5,000 rows as Markdown took 0.45–0.51 s
with the default thresholds and 0.28–0.34 s with (10,000, 20, 20), and 28,000 links in one field as
Confluence 1.77–1.86 against 1.08–1.30 s. So while pirdoc works, `fewer_collections` raises the
thresholds to at least `THRESHOLDS`, and puts them back when the outermost call returns.

Raised thresholds also leave what a large render made in reference cycles (a PDF's reportlab
document is one: 130,000 objects for 5,000 timeline events) in the oldest generation, whose
collections they make rare; three such renders in a row peaked at 211 MiB against 175 MiB with
Python's defaults. So a call that allocated at least `LARGE` objects, and at least a quarter of
what the process held as it began, ends with a full collection (then the three renders peak at
169 MiB and still take 15 % less time than with the defaults). A process holding much more than a
render makes is left to Python's own schedule: a full collection there would cost more than it frees.

A caller's own choice is left alone: nothing changes when the collector's first threshold is 0
(automatic collection off) or already at least `THRESHOLDS`'s, and the thresholds are put back
only if they are still the ones set here. Calls may nest and run in several threads at once:
the first to enter raises the thresholds, the last to leave restores them.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Final, ParamSpec, TypeVar

__all__ = ["LARGE", "THRESHOLDS", "fewer_collections", "with_fewer_collections"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

THRESHOLDS: Final = (10_000, 20, 20)
"""The least thresholds (`gc.set_threshold`) in force while pirdoc works."""

LARGE: Final = 500_000
"""Allocations (counted by young collections) after which a call ends with a full collection,
when they are also at least a quarter of what the process held as it began (Python's own rule for
when a full collection is worth its cost)."""

_lock = threading.Lock()
_inside = 0
_restore: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None  # (the caller's, ours)
_young = 0  # young collections when the thresholds were raised
_heap = 0  # memory blocks allocated then (sys.getallocatedblocks: constant time)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector's thresholds raised to at least `THRESHOLDS` for the block (see above)."""
    global _inside, _restore, _young, _heap
    with _lock:
        if _inside == 0:
            current = gc.get_threshold()
            if 0 < current[0] < THRESHOLDS[0]:
                ours = (THRESHOLDS[0], max(current[1], THRESHOLDS[1]), max(current[2], THRESHOLDS[2]))
                gc.set_threshold(*ours)
                _restore = (current, ours)
                _young = gc.get_stats()[0]["collections"]
                _heap = sys.getallocatedblocks()
        _inside += 1
    try:
        yield
    finally:
        collect = False
        with _lock:
            _inside -= 1
            if _inside == 0 and _restore is not None:
                caller, ours = _restore
                _restore = None
                if gc.get_threshold() == ours:  # not changed by anyone else meanwhile
                    gc.set_threshold(*caller)
                    allocated = (gc.get_stats()[0]["collections"] - _young) * ours[0]
                    collect = gc.isenabled() and allocated >= LARGE and allocated * 4 >= _heap
        if collect:
            # What a large render leaves in reference cycles (reportlab's document is one) has
            # mostly reached the oldest generation, which the raised thresholds rarely collect:
            # collected now, the next render does not start on top of it.
            gc.collect()


def with_fewer_collections(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` run inside `fewer_collections`. A decorator of pirdoc's own rather than the
    context manager's: its frame lies in pirdoc, so a warning raised inside is still attributed
    to the caller's line (`pirdoc._warn`), not to contextlib's."""

    @functools.wraps(function)
    def collecting_less(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with fewer_collections():
            return function(*args, **kwargs)

    return collecting_less
