"""Generated reviews through all four renderers: never an exception, always readable, every text
value read back (in-process readers: markdown-it, python-docx, pypdf, a strict XML parse).

Each example goes through every format, so the number of examples is the number per format: at
least 200 under the ``ci`` hypothesis profile, many more under ``thorough``, a quick few by default.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pirdoc import api
from pirdoc import model as m
from tests.readers import (
    Expectation,
    confluence_reading,
    docx_reading,
    expectations,
    markdown_definitions,
    markdown_reading,
    missing_in_confluence,
    missing_markdown_contacts,
    missing_text,
    pypdf_text,
    report,
)
from tests.strategies import platform_reviews, reviews


def render(review: m.Review, fmt: str, **options: Any) -> bytes:
    """Render whatever the review's status: generated reviews marked Final rarely pass the final
    checks, and the gate itself is proven in test_gate."""
    return api.render(review, fmt, allow_problems=True, **options)


EXAMPLES_PER_FORMAT = {"ci": 20, "thorough": 5000}.get(os.environ.get("HYPOTHESIS_PROFILE", "default"), 20)


def _markdown(review: m.Review, expected: list[Expectation]) -> None:
    markdown = render(review, "markdown")
    lacking = missing_text(expected, markdown_reading(markdown))
    assert not lacking, report("markdown (markdown-it)", lacking)
    lacking = missing_markdown_contacts(expected, markdown)
    assert not lacking, report("markdown (definitions)", lacking)
    brief = render(review, "markdown", profile="executive")
    assert markdown_reading(brief).strip(), "markdown: empty executive briefing"
    markdown_definitions(brief)


def _docx(review: m.Review, expected: list[Expectation]) -> None:
    lacking = missing_text(expected, docx_reading(render(review, "docx")))
    assert not lacking, report("docx (python-docx)", lacking)
    assert docx_reading(render(review, "docx", profile="executive")).strip(), "docx: empty executive briefing"


def _pdf(review: m.Review, expected: list[Expectation]) -> None:
    lacking = missing_text(expected, pypdf_text(render(review, "pdf")), pdf=True)
    assert not lacking, report("pdf (pypdf)", lacking)
    assert pypdf_text(render(review, "pdf", profile="executive")).strip(), "pdf: empty executive briefing"


def _confluence(review: m.Review, expected: list[Expectation]) -> None:
    for edition in ("cloud", "datacenter"):
        data = render(review, "confluence", edition=edition)
        lacking = missing_in_confluence(expected, data, edition)
        assert not lacking, report(f"confluence ({edition}, strict XML)", lacking)
    assert confluence_reading(render(review, "confluence", profile="executive"))[0].strip()


_CHECKS = {"markdown": _markdown, "docx": _docx, "pdf": _pdf, "confluence": _confluence}


# One test per format, so that the formats' examples run side by side on several workers.
@pytest.mark.slow
@pytest.mark.parametrize("name", list(_CHECKS))
@settings(max_examples=EXAMPLES_PER_FORMAT)
@given(review=st.one_of(reviews(), platform_reviews()))  # platform fields too (issue 18)
def test_generated_reviews_render_and_read_back_in_every_format(name: str, review: m.Review) -> None:
    """Full record (every text value read back) and briefing (renders and reads) of ``review``."""
    _CHECKS[name](review, expectations(review))
