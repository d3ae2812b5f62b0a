"""What a piece of work leaves in reference cycles (freed only by the garbage collector)."""

from __future__ import annotations

import gc
from collections.abc import Callable


def cyclic_garbage(work: Callable[[], object]) -> list[object]:
    """The objects ``work`` leaves unreachable but in reference cycles: what only a collection
    frees. Collection is off while it runs, so nothing is freed early."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        result = work()
        gc.collect()
        found = list(gc.garbage)
        del result
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    return found


def kinds(objects: list[object]) -> list[str]:
    """The type names among ``objects``, for a failure message."""
    return sorted({type(o).__name__ for o in objects})
