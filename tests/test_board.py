"""Issue 16, documents a board accepts: every figure's data shown once, in every format and
profile; the executive briefing within two pages, without a contents block."""

from __future__ import annotations

import io
import subprocess
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import pirdoc
from pirdoc import document as d
from pirdoc import model as m
from pirdoc.adapters.dispatch import read_dispatch
from pirdoc.layout import BRIEFING_ACTION_ITEMS, BRIEFING_ASKS, BRIEFING_LIMITS, PROFILES, layout
from tests.readers import confluence_reading, docx_reading, libreoffice_pdfs, markdown_reading
from tests.strategies import reviews
from tests.tools import require_tool

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"

# The roles of the tables that hold a figure's data: they exist only as a figure's own table.
FIGURE_ROLES = {"response-metrics", "milestones", "timeline"}


def _outside_figures(blocks: tuple[d.Block, ...]) -> list[d.Table]:
    inside = {id(b.table) for b in d.iter_blocks(blocks) if isinstance(b, d.Figure) and b.table is not None}
    return [b for b in d.iter_blocks(blocks) if isinstance(b, d.Table) and id(b) not in inside]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(review=reviews())
def test_no_figure_data_table_stands_beside_its_figure(review: m.Review) -> None:
    for profile in PROFILES:
        document = layout(review, profile)
        assert [t.role for t in _outside_figures(document.blocks) if t.role in FIGURE_ROLES] == []
        figures = [b for b in d.iter_blocks(document.blocks) if isinstance(b, d.Figure)]
        for figure in figures:
            if isinstance(figure.data, d.MetricsFigure):
                assert figure.table is not None
                assert len(figure.table.rows) == len(figure.data.metrics)
            elif profile == "full":  # the events by phase that follow are the chart's text
                assert figure.table is None
            else:
                assert figure.table is not None
                assert len(figure.table.rows) <= len(figure.data.marks)


def pdf_text(data: bytes) -> str:
    """What poppler's pdftotext reads from ``data``, once, in reading order."""
    tool = require_tool("pdftotext", "poppler-utils")
    result = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True, timeout=120)
    return result.stdout.decode("utf-8")


def _readings(profile: str) -> dict[str, str]:
    review = pirdoc.load(EXAMPLE)
    return {
        "markdown": markdown_reading(pirdoc.render(review, "markdown", profile=profile)),
        "docx": docx_reading(pirdoc.render(review, "docx", profile=profile)),
        "pdf": pdf_text(pirdoc.render(review, "pdf", profile=profile)),
        "confluence": confluence_reading(pirdoc.render(review, "confluence", profile=profile))[0],
    }


@pytest.mark.parametrize("profile", PROFILES)
def test_each_response_metric_is_shown_once_in_every_format(profile: str) -> None:
    review = pirdoc.load(EXAMPLE)
    names = [metric.name for metric in review.response_metrics]
    assert len(names) == 4
    for fmt, text in _readings(profile).items():
        shown = " ".join(text.split())
        assert {name: shown.count(name) for name in names} == dict.fromkeys(names, 1), fmt
        assert "Missed" not in shown or "Met?" not in shown, fmt  # one wording for the result


def test_each_milestone_is_shown_once_in_the_briefing_of_every_format() -> None:
    review = pirdoc.load(EXAMPLE)
    milestones = [event.title for event in review.timeline if event.kind is not None]
    assert len(milestones) == 7
    for fmt, text in _readings("executive").items():
        shown = " ".join(text.split())
        assert {title: shown.count(title) for title in milestones} == dict.fromkeys(milestones, 1), fmt


def test_the_briefing_states_the_incident_window_once() -> None:
    for fmt, text in _readings("executive").items():
        shown = " ".join(text.split())
        # Started, in the summary; not again in a caption, a chart heading or a "Window" line
        assert shown.count("2026-03-14 13:38") == 1, fmt
        assert "Incident window" not in shown, fmt


# ---------------------------------------------------------------------------- the two-page briefing


FIXTURES = Path(__file__).parent.parent / "fixtures"


def _fixture_reviews() -> dict[str, m.Review]:
    """Every review among the fixtures: YAML and JSON (the hostile one included), the imported
    Markdown reviews and the real-world corpus."""
    paths = [*FIXTURES.glob("*.yaml"), *FIXTURES.glob("markdown/*.md"),
             *(p for p in FIXTURES.glob("real-world/*.md") if p.name != "README.md")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the fixtures' own warnings are tested elsewhere
        reviews = {path.stem: pirdoc.load(path) for path in sorted(paths)}
        reviews |= {path.stem: read_dispatch(path).review for path in sorted(FIXTURES.glob("platforms/*.json"))}
    return reviews


def _briefing_reviews() -> dict[str, m.Review]:
    """Every fixture, the bundled example as a SEV-1, with 500 open action items, and with every
    field the briefing shows 30,000 characters long."""
    example = pirdoc.load(EXAMPLE)
    first = example.action_items[0]
    many = tuple(
        attrs.evolve(first, id=f"AI-{n:03d}", status=m.ActionStatus.OPEN,
                     action=f"Add a pool-exhaustion alert to order-service shard {n}")
        for n in range(500)
    )
    return {
        **_fixture_reviews(),
        "sev1": attrs.evolve(example, severity=m.Severity.SEV1),
        "many": attrs.evolve(example, action_items=many),
        "bulky": _bulky(30_000, 6, 40),
    }


def test_the_briefing_lists_the_most_urgent_open_items_and_counts_the_rest() -> None:
    review = _briefing_reviews()["many"]
    document = layout(review, "executive")
    (table,) = [b for b in d.iter_blocks(document.blocks) if isinstance(b, d.Table) and b.role == "action-items"]
    # as many as the two pages leave room for, never more than BRIEFING_ACTION_ITEMS
    assert 1 <= len(table.rows) <= BRIEFING_ACTION_ITEMS
    texts = [d.plain_text(b.children) for b in d.iter_blocks(document.blocks) if isinstance(b, d.Paragraph)]
    rest = 500 - len(table.rows)
    assert f"and {rest} more open action items \u2014 see the full record" in texts
    # the full record still lists every one of them
    full = layout(review, "full")
    tables = [b for b in d.iter_blocks(full.blocks) if isinstance(b, d.Table) and b.role == "action-items"]
    assert sum(len(table.rows) for table in tables) == 500


_ASKS = (
    "Approve two more on-call engineers for the payments team",
    "Decide whether configuration changes freeze on Saturdays",
    "Fund a load-test environment sized like production",
    "Staff a configuration-review rotation",
)


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_the_briefing_has_the_asks_of_leadership_on_its_first_page(page_size: str) -> None:
    example = pirdoc.load(EXAMPLE)
    review = attrs.evolve(example, summary=attrs.evolve(example.summary, asks=_ASKS))
    pdf = PdfReader(io.BytesIO(pirdoc.render(review, "pdf", profile="executive", page_size=page_size)))
    first = " ".join(pdf.pages[0].extract_text().split())
    rest = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Decisions and asks:" in first
    for ask in _ASKS[:BRIEFING_ASKS]:
        assert ask in first, ask
    assert _ASKS[BRIEFING_ASKS] not in rest
    assert "and 1 more ask \u2014 see the full record" in first
    assert len(pdf.pages) <= 2
    brief = docx_reading(pirdoc.render(review, "docx", profile="executive", page_size=page_size))
    assert [ask in brief for ask in _ASKS] == [True] * BRIEFING_ASKS + [False]
    # the record lists every one, in every format
    full = markdown_reading(pirdoc.render(review, "markdown"))
    assert all(ask in full for ask in _ASKS)


def test_the_briefing_has_no_contents_block() -> None:
    review = pirdoc.load(EXAMPLE)
    assert layout(review, "executive").meta.contents is False
    assert layout(review, "full").meta.contents is True
    assert "Contents" not in docx_reading(pirdoc.render(review, "docx", profile="executive")).split("\n")
    assert "Contents" in docx_reading(pirdoc.render(review, "docx", profile="full")).split("\n")
    assert "Contents" not in pdf_text(pirdoc.render(review, "pdf", profile="executive"))


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_the_executive_pdf_is_at_most_two_pages(page_size: str) -> None:
    for name, review in _briefing_reviews().items():
        data = pirdoc.render(review, "pdf", profile="executive", page_size=page_size, allow_problems=True)
        assert len(PdfReader(io.BytesIO(data)).pages) <= 2, name


@pytest.mark.slow
def test_the_executive_docx_is_at_most_two_pages_as_libreoffice_lays_it_out(tmp_path: Path) -> None:
    documents = {
        f"{name}-{size}": pirdoc.render(review, "docx", profile="executive", page_size=size, allow_problems=True)
        for name, review in _briefing_reviews().items()
        for size in ("A4", "Letter")
    }
    pages = {name: len(PdfReader(io.BytesIO(pdf)).pages) for name, pdf in libreoffice_pdfs(documents, tmp_path).items()}
    assert {name: count for name, count in pages.items() if count > 2} == {}


_WORDS = "the pool of fifty connections shrank to five under peak traffic "


def _bulky(size: int, notes: int, items: int) -> m.Review:
    """The example with every field the briefing shows at ``size`` characters (one-line fields
    up to their limit), ``notes`` notes on its summary and ``items`` open action items."""
    example = pirdoc.load(EXAMPLE)
    long = (_WORDS * (size // len(_WORDS) + 1))[: max(size, 1)]
    line = long[:2000]
    structured = "\n\n".join([long, "- " + line + "\n- two", "```\n" + "\n".join([line] * 5) + "\n```",
                              "| a | b |\n|---|---|\n" + "| c | d |\n" * 40])
    technical = attrs.evolve(
        example.impact.technical,
        data_loss=m.DataImpact(occurred=True, details=structured),
        data_corruption=m.DataImpact(occurred=True, details=long),
    )
    business = attrs.evolve(example.impact.business, revenue_impact=line, sla_breach=True,
                            regulatory_implications=True)
    first = example.action_items[0]
    return attrs.evolve(
        example,
        title=line,
        summary=attrs.evolve(example.summary, one_line=line, root_cause=long, resolution=long,
                             affected_users=line, services_impacted=line, data_loss=line),
        impact=attrs.evolve(example.impact, technical=technical, business=business),
        notes=tuple(
            m.Note(section=section, title=line, body=structured)
            for section in ("executive_summary", "incident_details.basic_information")
            for _ in range(notes)
        ),
        action_items=tuple(
            attrs.evolve(first, id=f"AI-{n}-{line[:60]}", action=long, owner=m.Person(name=line[:300]),
                         status=m.ActionStatus.OPEN)
            for n in range(items)
        ),
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(min_value=0, max_value=30_000),
    notes=st.integers(min_value=0, max_value=6),
    items=st.integers(min_value=0, max_value=40),
    page_size=st.sampled_from(["A4", "Letter"]),
)
def test_a_briefing_of_any_length_fits_two_pdf_pages(size: int, notes: int, items: int, page_size: str) -> None:
    review = _bulky(size, notes, items)
    data = pirdoc.render(review, "pdf", profile="executive", page_size=page_size, allow_problems=True)
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2


def test_the_briefing_shows_one_note_in_all_and_counts_the_rest() -> None:
    example = pirdoc.load(EXAMPLE)
    notes = tuple(m.Note(section=section, title=f"Note {n}", body=f"What the writer added, {n}.")
                  for section in ("executive_summary", "incident_details.basic_information") for n in range(3))
    review = attrs.evolve(example, notes=notes, action_items=example.action_items[:2])
    brief = markdown_reading(pirdoc.render(review, "markdown", profile="executive"))
    # the summary's first note is shown, then one line counts what the summary's sections hold back
    assert "What the writer added, 0." in brief
    assert "What the writer added, 1." not in brief
    assert "and 5 more notes \u2014 see the full record" in brief


def test_a_crowded_briefing_shortens_its_fields_further_to_list_the_most_urgent_action_item() -> None:
    review = _bulky(30_000, 6, 40)
    document = layout(review, "executive")
    (table,) = [b for b in d.iter_blocks(document.blocks) if isinstance(b, d.Table) and b.role == "action-items"]
    assert len(table.rows) >= 1
    # the summary's fields are cut shorter than BRIEFING_LIMITS allows an uncrowded briefing
    (summary,) = [b for b in document.blocks if isinstance(b, d.Callout)][:1]
    texts = [d.plain_text(p.children) for p in summary.children if isinstance(p, d.Paragraph)]
    (root,) = [text for text in texts if text.startswith("Root")]
    assert len(root) < BRIEFING_LIMITS["summary"]


def test_a_cut_field_says_the_rest_is_in_the_full_record_which_keeps_all_of_it() -> None:
    review = _bulky(5_000, 3, 8)
    brief = markdown_reading(pirdoc.render(review, "markdown", profile="executive", allow_problems=True))
    assert "continued in the full record" in brief
    # so crowded a briefing shows no note, and counts them in one line
    assert brief.count("and 6 more notes \u2014 see the full record") == 1
    assert "open action items \u2014 see the full record" in brief
    full = pirdoc.render(review, "markdown", profile="full", allow_problems=True).decode()
    assert "continued in the full record" not in full
    assert full.count(review.summary.root_cause or "") >= 1


def test_a_crowded_briefing_laid_out_again_warns_once() -> None:
    review = _bulky(30_000, 6, 40)
    deep = "> " * 60 + "the pool"  # nested past the narrative limit: shown as source, with a warning
    technical = attrs.evolve(review.impact.technical, data_loss=m.DataImpact(occurred=True, details=deep))
    review = attrs.evolve(review, impact=attrs.evolve(review.impact, technical=technical))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layout(review, "executive")
    nested = [w for w in caught if "levels deep" in str(w.message)]
    assert len(nested) == 1, [str(w.message) for w in nested]
