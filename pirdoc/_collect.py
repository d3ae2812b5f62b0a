"""Python's cyclic garbage collector while pirdoc reads, lays out and renders a review.

A render allocates tens of thousands of small objects that all stay alive until it ends (tokens,
document nodes, paragraphs, fragments). With the collector as Python configures it (a young
collection every 700 allocations), a large review pays for the same objects being traversed
again and again: measured in one process, a narrative table of 5,000 rows as Markdown took 0.45–0.51 s
with the default thresholds and 0.28–0.34 s with (10,000, 20, 20), and 28,000 links in one field as
Confluence 1.77–1.86 against 1.08–1.30 s. So while pirdoc works, `fewer_collections` raises the
thresholds to `THRESHOLDS` when the first is below 10,000 (never lowering the other two), and puts
them back when the outermost call returns.

Raised thresholds also leave what a large render made in reference cycles (a PDF's reportlab
document is one: 130,000 objects for 5,000 timeline events) in the oldest generation, whose
collections they make rare; three such renders in a row peaked at 211 MiB against 175 MiB with
Python's defaults. So a call that made at least `LARGE` objects the collector tracks (net of
those freed, counted by its collections), and at least a quarter as many as the memory blocks the
process held as it began, ends with a full collection (then the three renders peak at 169 MiB and
still take 15 % less time than with the defaults). A process holding much more than a render
makes is left to Python's own schedule, where a full collection would cost more than it frees; so
is one whose allocator does not count its blocks (``PYTHONMALLOC=malloc``).

A caller's own choice is left alone: nothing changes when the collector's first threshold is 0
(automatic collection off) or already at least 10,000, and the thresholds are put back only if
they are still the ones set here. Calls may nest and run in several threads at once: the first to
enter raises the thresholds, the last to leave restores them. A process forked while another
thread is inside gets a lock of its own (the parent's could be held for ever in the child).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Final, ParamSpec, TypeVar

__all__ = ["LARGE", "THRESHOLDS", "fewer_collections", "with_fewer_collections"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

THRESHOLDS: Final = (10_000, 20, 20)
"""The thresholds (`gc.set_threshold`) while pirdoc works, when the caller's first is lower; the
caller's second and third are kept when higher."""

LARGE: Final = 500_000
"""Tracked objects made (net) after which a call ends with a full collection, when they are also
at least a quarter of the memory blocks the process held as it began (Python's own rule for when
a full collection is worth its cost)."""

_lock = threading.Lock()
_inside = 0
_restore: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None  # (the caller's, ours)
_collections = 0  # collections of any generation when the thresholds were raised
_heap = 0  # memory blocks allocated then (sys.getallocatedblocks: constant time; 0 when unknown)


def _collections_so_far() -> int:
    # each automatic collection is one young generation's worth of allocations, and counts once,
    # under the oldest generation it collected
    return sum(int(generation["collections"]) for generation in gc.get_stats())


def _new_lock() -> None:
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector's thresholds raised to at least `THRESHOLDS` for the block (see above)."""
    global _inside, _restore, _collections, _heap
    with _lock:
        if _inside == 0:
            current = gc.get_threshold()
            if 0 < current[0] < THRESHOLDS[0]:
                ours = (THRESHOLDS[0], max(current[1], THRESHOLDS[1]), max(current[2], THRESHOLDS[2]))
                gc.set_threshold(*ours)
                _restore = (current, ours)
                _collections = _collections_so_far()
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
                    made = (_collections_so_far() - _collections) * ours[0]
                    collect = gc.isenabled() and made >= LARGE and 0 < _heap <= made * 4
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
