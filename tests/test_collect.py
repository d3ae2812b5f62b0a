"""`pirdoc._collect`: the collector's thresholds are raised while pirdoc works and put back after,
and a caller's own settings are left alone."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import pirdoc
from pirdoc import api
from pirdoc._collect import THRESHOLDS, fewer_collections
from tests.documents import EXAMPLE_REVIEW

DEFAULT = (700, 10, 10)


@pytest.fixture(autouse=True)
def _thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(*DEFAULT)
    yield
    gc.set_threshold(*saved)


class _Recording:
    """A renderer that notes the thresholds in force while it renders."""

    suffix = ".txt"
    media_type = "text/plain"
    options: dict[str, str] = {}  # noqa: RUF012 - the renderer protocol's attribute

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[tuple[int, int, int]] = []
        self.fail = fail

    def render(self, document: Any, /, **options: Any) -> bytes:
        self.seen.append(gc.get_threshold())
        if self.fail:
            raise RuntimeError("the renderer failed")
        return b"ok"


def _render_with(monkeypatch: pytest.MonkeyPatch, renderer: _Recording, example: pirdoc.Review) -> None:
    monkeypatch.setattr(api, "get_renderer", lambda name: renderer)
    monkeypatch.setattr(api, "check_options", lambda renderer, options: None)
    api.render(example, "recording")


@pytest.fixture
def example() -> pirdoc.Review:
    return pirdoc.load(EXAMPLE_REVIEW)


def test_a_render_runs_with_the_raised_thresholds_and_puts_the_defaults_back(
    monkeypatch: pytest.MonkeyPatch, example: pirdoc.Review
) -> None:
    renderer = _Recording()
    _render_with(monkeypatch, renderer, example)
    assert renderer.seen == [THRESHOLDS]
    assert gc.get_threshold() == DEFAULT


def test_a_failing_render_puts_the_thresholds_back(monkeypatch: pytest.MonkeyPatch, example: pirdoc.Review) -> None:
    renderer = _Recording(fail=True)
    with pytest.raises(RuntimeError, match="the renderer failed"):
        _render_with(monkeypatch, renderer, example)
    assert renderer.seen == [THRESHOLDS]
    assert gc.get_threshold() == DEFAULT


@pytest.mark.parametrize("callers", [(50_000, 5, 5), (0, 10, 10), (10_000, 1, 1)])
def test_a_callers_own_thresholds_are_left_alone(
    monkeypatch: pytest.MonkeyPatch, example: pirdoc.Review, callers: tuple[int, int, int]
) -> None:
    gc.set_threshold(*callers)
    renderer = _Recording()
    _render_with(monkeypatch, renderer, example)
    assert renderer.seen == [callers]
    assert gc.get_threshold() == callers


def test_only_the_first_threshold_is_raised_and_the_others_never_lowered() -> None:
    gc.set_threshold(2_000, 50, 3)
    with fewer_collections():
        assert gc.get_threshold() == (THRESHOLDS[0], 50, THRESHOLDS[2])
    assert gc.get_threshold() == (2_000, 50, 3)


def test_thresholds_changed_inside_are_not_overwritten() -> None:
    with fewer_collections():
        gc.set_threshold(1_234, 5, 5)
    assert gc.get_threshold() == (1_234, 5, 5)


def test_nested_calls_restore_once_at_the_outermost() -> None:
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold() == THRESHOLDS
        assert gc.get_threshold() == THRESHOLDS
    assert gc.get_threshold() == DEFAULT


def test_threads_keep_the_thresholds_raised_until_the_last_one_leaves() -> None:
    entered = threading.Barrier(2, timeout=10)
    first_left = threading.Event()
    seen: dict[str, tuple[int, int, int]] = {}

    def first() -> None:
        with fewer_collections():
            entered.wait()
        first_left.set()

    def second() -> None:
        with fewer_collections():
            entered.wait()
            assert first_left.wait(timeout=10)
            seen["after the first left"] = gc.get_threshold()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert seen == {"after the first left": THRESHOLDS}
    assert gc.get_threshold() == DEFAULT


def test_the_readers_and_layout_run_with_the_raised_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from pirdoc.importers import markdown

    layout_module = importlib.import_module("pirdoc.layout")  # the module; pirdoc.layout is its function

    seen: list[tuple[int, int, int]] = []
    original = layout_module.check_review

    def noting(review: pirdoc.Review) -> None:
        seen.append(gc.get_threshold())
        original(review)

    from pirdoc import serde

    monkeypatch.setattr(layout_module, "check_review", noting)
    monkeypatch.setattr(markdown, "check_review", noting)
    monkeypatch.setattr(serde, "check_review", noting)
    template = "# Post-Incident Review: Outage\n\n**Incident ID:** INC-1\n**Date:** 2026-01-02\n"
    review = markdown.import_markdown(template).review
    layout_module.layout(review)
    serde.loads(serde.dumps(review))
    serde.from_dict(serde.to_dict(review))
    assert seen == [THRESHOLDS] * 4
    assert gc.get_threshold() == DEFAULT


class _Linked:
    __slots__ = ("__weakref__", "other")

    def __init__(self) -> None:
        self.other: _Linked | None = None


def _pairs(count: int) -> list[_Linked]:
    made = []
    for _ in range(count):
        first, second = _Linked(), _Linked()
        first.other, second.other = second, first  # a reference cycle
        made.append(first)
    return made


def _full_collections() -> int:
    return int(gc.get_stats()[2]["collections"])


def _full_collections_after_a_call_making(pairs: int, blocks: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """The full collections a call that makes ``pairs`` reference cycles ends with, in a process
    that seems to hold ``blocks`` memory blocks as the call begins."""
    import sys

    monkeypatch.setattr(sys, "getallocatedblocks", lambda: blocks)
    gc.collect()
    before = _full_collections()
    with fewer_collections():
        made = _pairs(pairs)
        del made
    return _full_collections() - before


def test_a_large_call_ends_with_a_full_collection_that_frees_its_cycles(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import weakref

    monkeypatch.setattr(sys, "getallocatedblocks", lambda: 1)  # as if the process held next to nothing
    gc.collect()
    before = _full_collections()
    with fewer_collections():
        made = _pairs(300_000)  # 600,000 allocations: more than LARGE
        probe = weakref.ref(made[0])
        del made
        assert probe() is not None  # in a cycle: only a collection frees it
    assert probe() is None
    assert _full_collections() > before
    assert gc.get_threshold() == DEFAULT


def test_a_large_call_in_a_process_holding_much_more_is_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _full_collections_after_a_call_making(300_000, 10**10, monkeypatch) == 0


def test_a_small_call_ends_without_a_full_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _full_collections_after_a_call_making(1_000, 1, monkeypatch) == 0


def test_a_large_call_where_the_heap_is_not_counted_is_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0 is what sys.getallocatedblocks reports under PYTHONMALLOC=malloc
    assert _full_collections_after_a_call_making(300_000, 0, monkeypatch) == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX's")
def test_a_process_forked_while_another_thread_holds_the_lock_can_still_render() -> None:
    import time

    from pirdoc import _collect

    with _collect._lock:  # as another thread entering or leaving at the moment of the fork
        pid = os.fork()
        if pid == 0:  # the child: the parent's lock is held for ever here unless replaced
            try:
                with fewer_collections():
                    pass
            finally:
                os._exit(0)
    deadline = time.monotonic() + 20
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung on the collector's lock")
        time.sleep(0.05)
    assert os.waitstatus_to_exitcode(status) == 0
