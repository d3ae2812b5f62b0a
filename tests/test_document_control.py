"""Document control (issue 15): the revision and its history, and the incident's dates kept apart
from the review's, in every way in and in every format, found by readers pirdoc did not write."""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import pirdoc
from pirdoc import model as m
from pirdoc.api import render
from pirdoc.checks import check
from pirdoc.importers import import_markdown
from pirdoc.serde import dumps, from_dict, loads, to_dict
from pirdoc.values import format_instant
from tests.readers import docx_reading, normalise, pandoc_plain, pdftotext
from tests.strategies import revision_histories
from tests.test_confluence_validate import macros, parse_storage, reader_text
from tests.test_docx import reopen
from tests.test_import_roundtrip import canonical_for_markdown, differences

FIXTURES = Path(__file__).parent.parent / "fixtures"
EXAMPLE = FIXTURES / "example-review.yaml"


def _quietly_render(review: m.Review, fmt: str, profile: str = "full") -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return render(review, fmt, profile=profile, allow_problems=True)


# ---------------------------------------------------------------------------- the model


def test_the_revision_defaults_to_the_last_entry_then_to_one() -> None:
    base = m.Review(incident_id="INC-2026-0142", title="Checkout failures")
    assert base.current_revision == 1
    history = (m.RevisionEntry(version=1), m.RevisionEntry(version=3, date=dt.date(2026, 3, 17)))
    assert attrs.evolve(base, revision_history=history).current_revision == 3
    assert attrs.evolve(base, revision_history=history, revision=5).current_revision == 5


def test_every_way_in_reads_a_revision_history_the_same() -> None:
    data = {
        "incident_id": "INC-2026-0142",
        "title": "Checkout failures",
        "revision_history": [{"version": 2, "date": "2026-03-17", "author": "Tomasz Kowalczyk"}],
    }
    built = m.Review(
        incident_id="INC-2026-0142",
        title="Checkout failures",
        revision_history=[{"version": 2, "date": "2026-03-17", "author": "Tomasz Kowalczyk"}],
    )
    assert from_dict(data) == built
    assert built.revision_history[0].author == m.Person(name="Tomasz Kowalczyk")
    assert built.revision_history[0].date == dt.date(2026, 3, 17)


@pytest.mark.parametrize("door", ["constructor", "from_dict", "yaml", "json"])
def test_a_bad_version_is_refused_naming_its_path(door: str) -> None:
    entry = {"version": "second", "date": "2026-03-17"}
    data = {"incident_id": "INC-2026-0142", "title": "t", "revision_history": [entry]}
    readers = {
        "constructor": lambda: m.Review(incident_id="INC-2026-0142", title="t", revision_history=[entry]),
        "from_dict": lambda: from_dict(data),
        "yaml": lambda: loads(
            "incident_id: INC-2026-0142\ntitle: t\nrevision_history:\n  - {version: second}\n", "yaml"
        ),
        "json": lambda: loads(
            '{"incident_id": "INC-2026-0142", "title": "t", "revision_history": [{"version": "second"}]}', "json"
        ),
    }
    with pytest.raises(pirdoc.PirdocError) as raised:
        readers[door]()
    assert "revision_history[0].version" in str(raised.value)


def test_checks_warn_when_the_revision_and_its_history_disagree() -> None:
    review = m.Review(
        incident_id="INC-2026-0142",
        title="Checkout failures",
        revision=2,
        revision_history=(
            m.RevisionEntry(version=1, date=dt.date(2026, 3, 17)),
            m.RevisionEntry(version=3, date=dt.date(2026, 3, 16)),
        ),
    )
    found = {(p.path, p.level) for p in check(review)}
    assert ("revision", "warning") in found
    assert ("revision_history[1].date", "warning") in found
    in_order = attrs.evolve(
        review,
        revision=3,
        revision_history=(
            m.RevisionEntry(version=1, date=dt.date(2026, 3, 16)),
            m.RevisionEntry(version=3, date=dt.date(2026, 3, 17)),
        ),
    )
    assert not [p for p in check(in_order) if p.path.startswith("revision")]
    zero = attrs.evolve(review, revision=0, revision_history=())
    assert ("revision", "error") in {(p.path, p.level) for p in check(zero)}


@settings(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(history=revision_histories())
def test_any_revision_history_reads_back_through_every_loader(history: tuple[m.RevisionEntry, ...]) -> None:
    review = attrs.evolve(pirdoc.load(EXAMPLE), revision_history=history, revision=None)
    assert from_dict(to_dict(review)) == review
    for fmt in ("yaml", "json", "toml"):
        assert loads(dumps(review, fmt), fmt) == review, fmt
    expected = canonical_for_markdown(review)
    result = import_markdown(_quietly_render(expected, "markdown"))
    assert result.review == expected, "\n".join(differences(expected, result.review))
    assert result.review.current_revision == review.current_revision


def test_a_hand_written_revision_history_table_is_read() -> None:
    text = (
        "# Post-Incident Review: Checkout failures\n\n"
        "**Incident ID:** INC-2026-0142  \n**Date:** 2026-03-16  \n**Severity:** SEV-2  \n**Revision:** v3\n\n"
        "## Revision History\n\n"
        "| Rev | Date | By | Description |\n|---|---|---|---|\n"
        "| 1.0 | 2026-03-16 | Priya Raman | First issue |\n"
        "| 2 | 2026-03-18 | Tomasz Kowalczyk | Action items added |\n\n"
        "## Executive Summary\n\n**One-line summary:** Checkout failed.\n"
    )
    result = import_markdown(text)
    review = result.review
    assert [e.version for e in review.revision_history] == [1, 2]
    assert review.revision_history[1].author == m.Person(name="Tomasz Kowalczyk")
    assert review.revision_history[0].changes == "First issue"
    assert review.revision == 3
    assert review.summary.one_line == "Checkout failed."


def test_a_revision_table_in_the_header_is_the_revision_history() -> None:
    text = (
        "# Post-Incident Review: Checkout failures\n\n"
        "**Incident ID:** INC-2026-0142  \n**Date:** 2026-03-16  \n**Severity:** SEV-2\n\n"
        "| Version | Date | Author | Changes |\n|---|---|---|---|\n"
        "| 1 | 2026-03-16 | Priya Raman | First issue |\n\n"
        "## Executive Summary\n\n**One-line summary:** Checkout failed.\n"
    )
    review = import_markdown(text).review
    first = m.RevisionEntry(
        version=1, date=dt.date(2026, 3, 16), author=m.Person(name="Priya Raman"), changes="First issue"
    )
    assert review.revision_history == (first,)
    assert review.notes == ()


# ---------------------------------------------------------------------------- the documents


def _review_fixtures() -> dict[str, m.Review]:
    found: dict[str, m.Review] = {"example-review.yaml": pirdoc.load(EXAMPLE)}
    found["hostile-review.yaml"] = pirdoc.load(FIXTURES / "hostile-review.yaml")
    for path in sorted([*FIXTURES.glob("markdown/*.md"), *FIXTURES.glob("real-world/*-*.md")]):
        found[path.name] = import_markdown(path.read_bytes()).review
    return found


REVIEWS = functools.cache(_review_fixtures)
NAMES = sorted(_review_fixtures())


def _started(review: m.Review) -> str:
    return format_instant(review.started_at) if review.started_at is not None else "Not recorded"


def _review_day(review: m.Review) -> str:
    return review.review_date.isoformat() if review.review_date is not None else "Not recorded"


def _shown(text: str) -> str:
    return normalise(text.replace("\u00ad", ""))


def test_the_example_keeps_its_incident_and_review_dates_apart() -> None:
    example = pirdoc.load(EXAMPLE)
    shown = (_started(example), _review_day(example), example.current_revision)
    assert shown == ("2026-03-14 13:38 UTC", "2026-03-16", 2)


@pytest.mark.parametrize("name", NAMES)
def test_markdown_states_the_review_date_and_revision_and_the_incident_start(name: str) -> None:
    review = REVIEWS()[name]
    shown = _shown(pandoc_plain(_quietly_render(review, "markdown")))
    head = shown[: shown.index("Executive Summary")] if "Executive Summary" in shown else shown
    if review.review_date is not None:
        assert f"Date: {review.review_date.isoformat()}" in head
    assert f"Revision: {review.current_revision}" in head
    assert f"Start Time | {_started(review)}" in shown or f"Start Time {_started(review)}" in shown


@pytest.mark.parametrize("name", NAMES)
def test_docx_title_block_and_core_revision(name: str) -> None:
    review = REVIEWS()[name]
    data = _quietly_render(review, "docx")
    assert reopen(data).core_properties.revision == review.current_revision
    shown = _shown(docx_reading(data))
    assert f"Incident started {_shown(_started(review))}" in shown
    assert f"Review date {_review_day(review)}" in shown
    assert f"Revision {review.current_revision}" in shown
    assert "Incident date" not in shown
    assert "00:00 UTC" not in shown.split("Executive Summary")[0]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_pdf_title_block_names_each_date_for_what_it_is(name: str) -> None:
    review = REVIEWS()[name]
    first_page = pdftotext(_quietly_render(review, "pdf")).split("\f")[0]
    shown = _shown(first_page)
    assert "Incident date" not in shown
    assert "Created" not in shown
    for label, value in (
        ("Incident started", _started(review)),
        ("Review date", _review_day(review)),
        ("Revision", str(review.current_revision)),
    ):
        assert label in shown, label
        words = _shown(value).split()
        after = shown[shown.index(label) + len(label) :]
        assert all(word in after for word in words), (label, value)
    assert not re.search(r"Review date \d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown)


@pytest.mark.parametrize("name", NAMES)
def test_confluence_page_properties_carry_the_right_dates(name: str) -> None:
    review = REVIEWS()[name]
    root = parse_storage(_quietly_render(review, "confluence"))
    (details,) = macros(root, "details")
    rows = {reader_text(tr.find("th/p")): tr.find("td/p") for tr in details.iter("tr")}  # type: ignore[arg-type]
    started = review.started_at
    if started is not None and started.start is not None and started.exact and started.text is None:
        day = rows["Incident date"].find("time")  # type: ignore[union-attr]
        assert day is not None
        assert day.get("datetime") == started.start.date().isoformat()
    if review.review_date is not None:
        when = rows["Review date"].find("time")  # type: ignore[union-attr]
        assert when is not None
        assert when.get("datetime") == review.review_date.isoformat()
        assert reader_text(rows["Review date"]) == ""  # type: ignore[arg-type]  # a date, no invented time beside it
    assert reader_text(rows["Revision"]) == str(review.current_revision)  # type: ignore[arg-type]


def test_every_format_shows_the_example_revision_history() -> None:
    example = pirdoc.load(EXAMPLE)
    markdown = _shown(pandoc_plain(_quietly_render(example, "markdown")))
    docx = _shown(docx_reading(_quietly_render(example, "docx")))
    pdf = _shown(pdftotext(_quietly_render(example, "pdf")))
    confluence = _shown(reader_text(parse_storage(_quietly_render(example, "confluence")), dates=True))
    for name, shown in (("markdown", markdown), ("docx", docx), ("pdf", pdf), ("confluence", confluence)):
        assert "Revision History" in shown, name
        assert "First issue, circulated before the review meeting." in shown, name
        # the last mention: a contents list may name the section first
        assert "Tomasz Kowalczyk" in shown[shown.rindex("Revision History") :][:400], name
    word = reopen(_quietly_render(example, "docx"))
    header = [cell.text for cell in word.tables[1].rows[0].cells]
    # the document-control table comes first after the title block's facts
    assert header == ["Version", "Date", "Author", "Changes"]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "confluence"])
def test_the_briefing_shows_revision_and_review_date_in_its_title_block_only(fmt: str) -> None:
    example = pirdoc.load(EXAMPLE)
    data = _quietly_render(example, fmt, profile="executive")
    if fmt == "docx":
        shown = _shown(docx_reading(data))
    elif fmt == "pdf":
        shown = _shown(pdftotext(data).split("\f")[0])
    else:
        shown = _shown(reader_text(parse_storage(data), dates=True))
    assert "Review date" in shown
    assert "2026-03-16" in shown
    assert "Revision" in shown
    assert "Revision History" not in shown
    assert "First issue, circulated" not in shown


def test_a_start_in_another_zone_gives_one_day_everywhere() -> None:
    """A review built in Python with a start in New York late in the evening: the incident's day,
    the review's (defaulting to it) and the start shown are the same UTC day in every format."""
    new_york = dt.timezone(dt.timedelta(hours=-5))
    review = m.Review(
        incident_id="INC-2026-0143",
        title="Late-evening checkout errors",
        started_at=dt.datetime(2026, 3, 14, 22, 30, tzinfo=new_york),
    )
    assert review.review_date == dt.date(2026, 3, 15)
    markdown = _shown(pandoc_plain(_quietly_render(review, "markdown")))
    assert "Date: 2026-03-15" in markdown
    assert "2026-03-14" not in markdown
    docx = _shown(docx_reading(_quietly_render(review, "docx")))
    assert "Incident started 2026-03-15 03:30 UTC" in docx
    assert "Review date 2026-03-15" in docx
    assert "2026-03-14" not in docx
    root = parse_storage(_quietly_render(review, "confluence"))
    (details,) = macros(root, "details")
    days = {time.get("datetime") for time in details.iter("time")}
    assert days == {"2026-03-15"}
