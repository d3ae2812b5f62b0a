"""The importer never refuses, never drops a line, and stays linear (issue 14, issue 20).

Each test feeds a small piece of a filled-in template, written the way real postmortems are
written, and checks where every piece of text went and what the importer said about it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pirdoc.importers import ImportResult, import_markdown
from pirdoc.importers._values import placeholder_spans

HEAD = (
    "# Post-Incident Review: Payments outage\n\n"
    "**Incident ID:** INC-2024-0042  \n**Severity:** SEV-2  \n**Date:** 2024-07-19\n"
)


def _problems(result: ImportResult) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in result.problems]


# ---------------------------------------------------------------------------- linear work


def _best_time(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def test_placeholder_scanning_of_half_typed_links_grows_linearly() -> None:
    # Each unclosed "[a](" used to scan to the end of the text: 16,000 of them took minutes.
    small, large = "[a](" * 4_000, "[a](" * 16_000
    ratio = _best_time(lambda: placeholder_spans(large)) / _best_time(lambda: placeholder_spans(small))
    assert ratio < 10, f"4x the input took {ratio:.1f}x the time (quadratic would be ~16x)"


def test_importing_a_template_full_of_half_typed_links_grows_linearly() -> None:
    def document(count: int) -> str:
        return (
            HEAD + "\n## Root Cause Analysis\n\n### Primary Root Cause\n\n**What happened:**\n" + "[a](" * count + "\n"
        )

    small, large = document(2_000), document(8_000)
    ratio = _best_time(lambda: import_markdown(large)) / _best_time(lambda: import_markdown(small))
    assert ratio < 10, f"4x the input took {ratio:.1f}x the time (quadratic would be ~16x)"
    what = import_markdown(small).review.root_cause.what_happened
    assert what is not None
    assert what.count("[a](") == 2_000


def test_placeholders_are_still_told_from_links() -> None:
    source = "[Name] met [a](https://x.example) and [b][ref] at [x [nested] y] \\[not] [open"
    spans = [source[a:b] for a, b in placeholder_spans(source)]
    assert spans == ["[Name]", "[x [nested] y]"]


# ---------------------------------------------------------------------------- code fences


def test_an_unclosed_code_fence_is_reported_with_its_line_and_kept() -> None:
    text = (
        HEAD
        + "\n## Root Cause Analysis\n\n### Primary Root Cause\n\n**What happened:**\n"
        + "```\nERROR pool exhausted\n\n## Lessons Learned\n\nCheck the pool.\n"
    )
    result = import_markdown(text)
    fence_line = text.split("\n").index("```") + 1
    assert (
        f"line {fence_line}",
        f"this code fence (```) is never closed: lines {fence_line} to {fence_line + 5} are kept as code "
        "where it begins; close it with a line ```",
    ) in _problems(result)
    what = result.review.root_cause.what_happened
    assert what is not None
    assert "ERROR pool exhausted" in what
    assert "Check the pool." in what


def test_closed_fences_and_tilde_fences_are_not_reported() -> None:
    text = (
        HEAD
        + "\n## Root Cause Analysis\n\n### Primary Root Cause\n\n**What happened:**\n"
        + "```sql\nSELECT 1;\n`````\n\n- a list item\n\n  ~~~\n  indented\n  ~~~\n"
    )
    assert not [p for p in _problems(import_markdown(text)) if "fence" in p[1]]
