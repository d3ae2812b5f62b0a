"""Warnings name the caller's line, not pirdoc's internals: ``warnings.warn``'s ``stacklevel``
is counted up to the first frame outside the package, however deep the warning was raised."""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path

import pirdoc

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"
HOSTILE = ROOT / "fixtures" / "hostile-review.yaml"
TEMPLATE = ROOT / "fixtures" / "markdown" / "northwind-checkout-outage.md"


def test_a_draft_s_check_problems_are_attributed_to_the_render_call(tmp_path: Path) -> None:
    data = pirdoc.to_dict(pirdoc.load(EXAMPLE))
    del data["severity"]
    review = pirdoc.from_dict(data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pirdoc.render(review, "markdown")
        line = inspect.currentframe().f_lineno - 1  # type: ignore[union-attr]
        pirdoc.write(review, tmp_path / "review.md")
    found = [w for w in caught if issubclass(w.category, pirdoc.PirdocWarning)]
    assert any("severity" in str(w.message) for w in found)
    assert {(w.filename, w.lineno) for w in found} == {(__file__, line), (__file__, line + 2)}


def test_what_layout_changes_deep_inside_is_attributed_to_the_render_call() -> None:
    review = pirdoc.load(HOSTILE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pirdoc.render(review, "confluence", allow_problems=True)
        line = inspect.currentframe().f_lineno - 1  # type: ignore[union-attr]
    found = [w for w in caught if issubclass(w.category, pirdoc.PirdocWarning)]
    assert any("control" in str(w.message) for w in found)  # raised in pirdoc._characters, several calls deep
    assert {(w.filename, w.lineno) for w in found} == {(__file__, line)}


def test_a_filled_template_s_problems_are_attributed_to_the_load_call(tmp_path: Path) -> None:
    text = TEMPLATE.read_text(encoding="utf-8") + "\n## Where we got lucky\n\nThe spare pool was warm.\n"
    source = tmp_path / "review.md"
    source.write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pirdoc.load(source)
        line = inspect.currentframe().f_lineno - 1  # type: ignore[union-attr]
        pirdoc.from_markdown(text)
    found = [w for w in caught if issubclass(w.category, pirdoc.PirdocWarning)]
    assert any("Where we got lucky" in str(w.message) for w in found)
    assert {(w.filename, w.lineno) for w in found} == {(__file__, line), (__file__, line + 2)}
