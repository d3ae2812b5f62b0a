"""Narrative Markdown is parsed in linear time whatever the text: for each pathological pattern
(unclosed brackets and links, emphasis, backticks, tables, nesting) the work at eight times the
size is at most a generous multiple of eight times the work at the first size. A quadratic
parser would take 64 times as long; the bound is 32, so that a loaded machine does not fail it.

Times are compared within one test (the best of three runs at each size), never against a
fixed timeout. They are CPU times, with what the test process held before frozen out of the
garbage collector's sight: in a full test run the process holds a quarter of a million objects,
and a full collection that happened to fall inside one measurement (three took 0.55 s) measured
the test process rather than the parser."""

from __future__ import annotations

import gc
import time
import warnings
from collections.abc import Callable

import pytest

from pirdoc.limits import table_sizes
from pirdoc.narrative import parse_blocks

GROWTH = 8
ALLOWED = 4 * GROWTH  # linear is GROWTH; quadratic would be GROWTH ** 2

PATTERNS: dict[str, Callable[[int], str]] = {
    "open brackets": lambda n: "[" * n,
    "half-typed links": lambda n: "[a](" * n,
    "links without a closing parenthesis": lambda n: "[a](b " * n,
    "images inside links": lambda n: "[![a" * n,
    "emphasis openers": lambda n: "*a" * n,
    "mixed emphasis": lambda n: "**a_" * n,
    "strikethrough openers": lambda n: "~~a" * n,
    "backticks": lambda n: "`" * n,
    "backtick runs of growing length": lambda n: "".join("`" * (i % 50) + "a" for i in range(n)),
    "unclosed code spans": lambda n: "``a`" * n,
    "angle brackets": lambda n: "<a" * n,
    "entities": lambda n: "&#" * n,
    "backslashes": lambda n: "\\" * n,
    "reference definitions": lambda n: "".join(f"[r{i}]: https://x.example/{i}\n" for i in range(n // 8)),
    "reference uses": lambda n: "[r]: https://x.example/\n\n" + "[r] " * n,
    "nested emphasis": lambda n: "*" * n + "a" + "*" * n,
    "nested brackets": lambda n: "[" * n + "a" + "]" * n,
    "nested links": lambda n: "[a" * n + "](b)" * n,
    "quote markers": lambda n: "> " * n + "a",
    "list markers": lambda n: "- " * n + "a",
    "quotes of varying depth": lambda n: "".join("> " * (i % 30) + "x\n" for i in range(n // 4)),
    "lists of varying depth": lambda n: "".join("  " * (i % 15) + "- x\n" for i in range(n // 4)),
    "table rows": lambda n: "|a|b|\n|-|-|\n" + "|x|y|\n" * (n // 6),
    "table with ragged rows": lambda n: "|a|b|\n|-|-|\n" + "".join("|x" * (i % 40) + "\n" for i in range(n // 20)),
    "pipes after a table": lambda n: "a|b\n-|-\n" + "|" * n,
    "lazy continuation lines": lambda n: ">" * 30 + "a\n" + "b\n" * (n // 2),
}

BASE = 1500


def best_time(work: Callable[[], object]) -> float:
    best = float("inf")
    freezing = gc.get_freeze_count() == 0  # what someone else froze stays frozen
    if freezing:
        gc.collect()
        gc.freeze()  # the collector sees only what the work makes
    try:
        for _ in range(3):
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
    finally:
        if freezing:
            gc.unfreeze()
    return best


def growth(function: Callable[[str], object], text_of: Callable[[int], str]) -> float:
    small, large = text_of(BASE), text_of(BASE * GROWTH)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deep nesting warns; its time is what is measured
        function(small)  # warm up (the parser is built on first use)
        return best_time(lambda: function(large)) / max(best_time(lambda: function(small)), 1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("pattern", PATTERNS)
def test_narrative_parsing_grows_linearly(pattern: str) -> None:
    ratio = growth(parse_blocks, PATTERNS[pattern])
    assert ratio < ALLOWED, f"{pattern}: {GROWTH}x the text took {ratio:.1f}x the time"


@pytest.mark.slow
@pytest.mark.parametrize("pattern", ["table rows", "table with ragged rows", "pipes after a table", "backslashes"])
def test_the_table_limit_scan_grows_linearly(pattern: str) -> None:
    ratio = growth(lambda text: list(table_sizes(text)), PATTERNS[pattern])
    assert ratio < ALLOWED, f"{pattern}: {GROWTH}x the text took {ratio:.1f}x the time"
