"""The canary property of the audiences (issue 18): a marker placed in every internal value of a
generated review never reaches a customer or public output, a marker in every customer value
never reaches a public one, in any format, profile or file property; and every public value the
internal version shows, the public and customer versions show too (unless the redaction report
says it replaced it: a name turned into a role).

Readers we did not write: markdown-it for Markdown, the raw XML of every DOCX part (core
properties included) and python-docx's text, pypdf's text and the PDF's document information
(author!), a strict XML parse of Confluence storage format.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from pirdoc import api
from pirdoc import model as m
from pirdoc.audience import AudienceError, redact, visibility_of
from pirdoc.values import Duration, Instant, Quantity
from tests.readers import (
    confluence_reading,
    docx_reading,
    expectations,
    markdown_reading,
    missing_in_confluence,
    missing_text,
    pypdf_text,
    report,
)
from tests.strategies import audience_reviews

INTERNAL_MARK = "zqxj"
CUSTOMER_MARK = "zqxk"
_MARKS = {m.Visibility.INTERNAL: INTERNAL_MARK, m.Visibility.CUSTOMER: CUSTOMER_MARK}
# Text that names a place in the template rather than saying something.
_NOT_VALUES = frozenset({"section"})

EXAMPLES_PER_FORMAT = {"ci": 6, "thorough": 2000}.get(os.environ.get("HYPOTHESIS_PROFILE", "default"), 8)


def marked(review: m.Review) -> m.Review:
    """``review`` with the marker of its level appended to every internal and customer text."""
    levels: dict[str, m.Visibility] = {}
    return _mark(review, "", review, levels)  # type: ignore[no-any-return]


def _mark(value: Any, path: str, review: m.Review, levels: dict[str, m.Visibility]) -> Any:
    if isinstance(value, str):
        level = visibility_of(review, path)
        mark = _MARKS.get(level)
        return f"{value} {mark}" if mark else value
    if isinstance(value, tuple):
        return tuple(_mark(item, f"{path}[{index}]", review, levels) for index, item in enumerate(value))
    if isinstance(value, Instant | Quantity | Duration) or not attrs.has(type(value)):
        return value
    changes = {}
    for field in attrs.fields(type(value)):
        if field.name in _NOT_VALUES:
            continue
        where = f"{path}.{field.name}" if path else field.name
        changes[field.name] = _mark(getattr(value, field.name), where, review, levels)
    return attrs.evolve(value, **changes)


def _squeezed(text: str) -> str:
    """Without any whitespace, so that a marker a line break cut in two is still found."""
    return "".join(text.split())


def _render(review: m.Review, fmt: str, audience: str, profile: str, **options: Any) -> bytes:
    return api.render(review, fmt, profile=profile, audience=audience, allow_problems=True, **options)


def _docx_everything(data: bytes) -> str:
    """python-docx's reading plus every XML part as text (core and app properties, headers,
    footers, comments)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = [package.read(name).decode("utf-8", "replace") for name in package.namelist()]
    return docx_reading(data) + "\n" + "\n".join(parts)


def _pdf_everything(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    info = " ".join(str(value) for value in (reader.metadata or {}).values())
    return pypdf_text(data) + "\n" + info


_READERS: dict[str, Callable[[bytes], str]] = {
    "markdown": lambda data: markdown_reading(data) + "\n" + data.decode("utf-8"),
    "docx": _docx_everything,
    "pdf": _pdf_everything,
    "confluence": lambda data: confluence_reading(data)[0] + "\n" + data.decode("utf-8"),
}


def _replaced_paths(review: m.Review, audience: str) -> set[str]:
    return {entry.path for entry in redact(review, audience)[1].entries if entry.action == "replaced"}


def _public_expectations(review: m.Review, audience: str) -> list[Any]:
    replaced = _replaced_paths(review, audience)
    wanted = []
    for expected in expectations(review):
        if expected.field in _NOT_VALUES:
            continue
        try:
            level = visibility_of(review, expected.path)
        except AudienceError:  # a part of a time or count, not a field
            continue
        if level is m.Visibility.PUBLIC and expected.path not in replaced:
            wanted.append(expected)
    return wanted


def _shown(fmt: str, data: bytes) -> str:
    if fmt == "markdown":
        return markdown_reading(data)
    if fmt == "docx":
        return docx_reading(data)
    if fmt == "pdf":
        return pypdf_text(data)
    return confluence_reading(data)[0]


def _check_format(fmt: str, review: m.Review) -> None:
    review = marked(review)
    for audience, forbidden in (("customer", (INTERNAL_MARK,)), ("public", (INTERNAL_MARK, CUSTOMER_MARK))):
        for profile in ("full", "executive"):
            text = _squeezed(_READERS[fmt](_render(review, fmt, audience, profile)))
            for mark in forbidden:
                assert mark not in text, f"{fmt} {profile} for the {audience} audience shows a value marked {mark}"
        wanted = _public_expectations(review, audience)
        data = _render(review, fmt, audience, "full")
        if fmt == "confluence":
            lacking = missing_in_confluence(wanted, data, "cloud")
        else:
            lacking = missing_text(wanted, _shown(fmt, data), pdf=fmt == "pdf")
        assert not lacking, report(f"{fmt} for the {audience} audience", lacking)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(_READERS))
@settings(max_examples=EXAMPLES_PER_FORMAT, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(review=audience_reviews())
def test_no_internal_value_reaches_a_customer_or_public_output_and_every_public_value_does(
    fmt: str, review: m.Review
) -> None:
    """The canary, per format: every profile, both outside audiences."""
    _check_format(fmt, review)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(review=audience_reviews())
def test_the_canary_holds_for_markdown_and_confluence(review: m.Review) -> None:
    """A quick run of the canary on the two text formats (the slow test runs all four)."""
    _check_format("markdown", review)
    _check_format("confluence", review)


def test_the_marker_reaches_the_internal_version() -> None:
    """The canary can sing: the markers are in what the internal version shows, names and
    links included, so their absence elsewhere means something."""
    review = m.Review(
        incident_id="INC-2026-0001",
        title="Checkout errors",
        status=m.Status.REVIEWED,
        incident_commander=m.Person(name="Amara Okafor"),
        impact=m.ImpactAssessment(business=m.BusinessImpact(revenue_impact="EUR 12,000")),
        timeline=(m.TimelineEvent(title="Alert fired", phase=m.Phase.DETECTION, details="pager went off"),),
        severity=m.Severity.SEV2,
    )
    review = marked(review)
    assert review.incident_commander is not None
    assert review.incident_commander.name.endswith(INTERNAL_MARK)
    assert review.severity is m.Severity.SEV2  # not text: nothing to mark
    for fmt, read in _READERS.items():
        text = _squeezed(read(_render(review, fmt, "internal", "full")))
        assert INTERNAL_MARK in text, fmt
        public = _squeezed(read(_render(review, fmt, "public", "full")))
        assert INTERNAL_MARK not in public, fmt
        assert "Checkouterrors" in public, fmt
