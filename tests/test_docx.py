"""The DOCX renderer, read back with python-docx: structure, text, properties, determinism."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as WordDocument
from docx.enum.shape import WD_INLINE_SHAPE
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from lxml import etree

import pirdoc
from pirdoc import document as d
from pirdoc.errors import RenderError
from pirdoc.renderers._docx import DocxRenderer
from tests.documents import (
    HOSTILE_STRINGS,
    document_texts,
    every_node_document,
    example_document,
    hostile_document,
    meta,
)

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "fixtures" / "example-review.yaml"


def render(document: d.Document, **options: Any) -> bytes:
    return DocxRenderer().render(document, **options)


def reopen(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


def iter_paragraphs(container: Any) -> Iterator[WordParagraph]:
    """Every paragraph of ``container``, descending into tables (callouts are tables too)."""
    for item in container.iter_inner_content():
        if isinstance(item, WordTable):
            for row in item.rows:
                for cell in row.cells:
                    yield from iter_paragraphs(cell)
        else:
            yield item


def style_name(paragraph: WordParagraph) -> str:
    return paragraph.style.name if paragraph.style is not None and paragraph.style.name else ""


BREAK_OPPORTUNITY = "\u200b"
"""The zero-width space the renderer puts where a long URL may wrap; invisible to a reader (and
never from the review, whose own zero-width spaces layout shows as [U+200B])."""


def paragraph_reading(paragraph: WordParagraph) -> str:
    """A paragraph's text, and the alternative text of each picture in it (what a screen reader
    reads for the picture), without the invisible break opportunities."""
    pictures = [str(pr.get("descr", "")) for pr in paragraph._p.iter(qn("wp:docPr"))]
    return "\n".join([paragraph.text.replace(BREAK_OPPORTUNITY, ""), *pictures]) if pictures else (
        paragraph.text.replace(BREAK_OPPORTUNITY, "")
    )


def reading(word: WordDocument) -> str:
    """All text python-docx reads from the body, one paragraph per line, as a reader sees it
    (pictures by their alternative text)."""
    return "\n".join(paragraph_reading(p) for p in iter_paragraphs(word))


def assert_all_text_present(document: d.Document, word: WordDocument) -> None:
    seen = " ".join(reading(word).split())
    expected = (value.replace(BREAK_OPPORTUNITY, "") for value in document_texts(document.blocks))  # invisible
    missing = [value for value in expected if value.strip() and " ".join(value.split()) not in seen]
    assert not missing, f"missing from the DOCX: {missing[:5]}"


@pytest.fixture(scope="module")
def every() -> WordDocument:
    return reopen(render(every_node_document()))


# ---------------------------------------------------------------------------- structure


def test_title_and_headings_use_word_styles(every: WordDocument) -> None:
    styled = [(p.style.name, p.text) for p in every.paragraphs if p.style is not None]
    assert ("Title", "Checkout outage") in styled
    assert ("Heading 1", "Executive Summary") in styled
    assert ("Heading 2", "Timeline") in styled
    heading_3 = every.styles["Heading 3"]
    assert heading_3.element.pPr.find(qn("w:outlineLvl")) is not None


def test_deep_headings_map_to_heading_3() -> None:
    doc = d.Document(
        meta=meta(),
        blocks=(d.Heading(level=5, children=(d.Text(text="Deep"),), anchor="deep"),),
    )
    word = reopen(render(doc))
    headings = [style_name(p) for p in word.paragraphs if p.text == "Deep" and not style_name(p).startswith("toc")]
    assert headings == ["Heading 3"]


@pytest.mark.parametrize("update_fields", [False, True])
def test_toc_is_filled_with_links_to_bookmarks_and_page_numbers_only_where_word_fills_them(
    update_fields: bool,
) -> None:
    word = reopen(render(every_node_document(), update_fields=update_fields))
    body = word.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    toc = [p for p in word.paragraphs if p.style is not None and p.style.name.lower() in ("toc 1", "toc 2")]
    # The top-level sections only (the navigation pane has every heading).
    assert [p.text.strip() for p in toc] == ["Executive Summary"]
    instructions = " ".join(t.text or "" for t in body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-1"' in instructions
    for paragraph in toc:
        links = paragraph._p.findall(qn("w:hyperlink"))
        assert len(links) == 1
        anchor = links[0].get(qn("w:anchor"))
        assert anchor in bookmarks
        assert len(anchor) <= 40
        assert anchor[0].isalpha()
        leaders = [tab for tab in paragraph._p.iter(qn("w:tab")) if tab.get(qn("w:leader")) == "dot"]
        # Dot leaders and a PAGEREF only when Word is asked to fill the numbers in: a converted
        # or printed copy never shows leaders that lead to nothing.
        assert (f"PAGEREF {anchor}" in instructions) is update_fields
        assert bool(leaders) is update_fields


def test_tables_have_a_repeating_header_row_and_a_style(every: WordDocument) -> None:
    actions = next(t for t in every.tables if t.rows[0].cells[0].text == "ID")
    assert [c.text for c in actions.rows[0].cells] == [
        "ID",
        "Action",
        "Owner",
        "Due Date",
        "Status",
    ]
    assert actions.style is not None
    assert actions.style.name == "Review Table"
    header_pr = actions.rows[0]._tr.trPr
    assert header_pr is not None
    assert header_pr.find(qn("w:tblHeader")) is not None
    assert actions.rows[1]._tr.trPr is None or actions.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert actions.rows[2].cells[1].text == "Load-test the checkout path\nsecond line"


def test_checklists_are_ticking_checkbox_content_controls(every: WordDocument) -> None:
    boxes = list(every.element.body.iter(f"{W14}checkbox"))
    states = [box.find(f"{W14}checked").get(f"{W14}val") for box in boxes]
    assert states == ["1", "0"]
    sdts = list(every.element.body.iter(qn("w:sdt")))
    glyphs = ["".join(t.text or "" for t in sdt.iter(qn("w:t"))) for sdt in sdts]
    assert glyphs == ["\u2611", "\u2610"]  # ☑/☐ as in every format; never ☒ ("crossed out")
    for box in boxes:  # what Word draws once a reader ticks or unticks the box
        assert box.find(f"{W14}checkedState").get(f"{W14}val") == "2611"
        assert box.find(f"{W14}uncheckedState").get(f"{W14}val") == "2610"
    ids = [sdt.find(qn("w:sdtPr")).find(qn("w:id")).get(qn("w:val")) for sdt in sdts]
    assert len(set(ids)) == len(ids)
    texts = [p.text.strip() for p in every.paragraphs if p._p.find(qn("w:sdt")) is not None]
    assert texts == ["Backend API", "Frontend"]


def test_links_are_real_hyperlinks_with_the_hyperlink_style(every: WordDocument) -> None:
    links = [h for p in iter_paragraphs(every) for h in p.hyperlinks]
    external = [h for h in links if h.address]
    assert [(h.address, h.text) for h in external] == [
        ("https://status.example.com/incidents/42", "status page"),
        ("https://status.example.com/incidents/42", "status page"),
    ]
    internal = [h for h in links if h.fragment and h.text == "Back to the timeline"]
    assert internal
    assert internal[0].fragment == "timeline"
    assert all(r.style is not None and r.style.name == "Hyperlink" for h in external for r in h.runs)


def test_lists_get_numbering_that_restarts_per_list(every: WordDocument) -> None:
    numbered = [p for p in every.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    by_text: dict[str, Any] = {p.text: p._p.pPr.numPr for p in numbered}  # type: ignore[union-attr]
    assert set(by_text) >= {"first bullet", "second bullet", "nested three", "step one", "step two"}
    assert by_text["first bullet"].numId.val == by_text["second bullet"].numId.val
    assert by_text["nested three"].ilvl.val == 1
    assert by_text["step one"].numId.val != by_text["nested three"].numId.val
    numbering = every.part.numbering_part.element
    nested = numbering.num_having_numId(by_text["nested three"].numId.val)
    overrides = nested.findall(qn("w:lvlOverride"))
    assert [o.find(qn("w:startOverride")).get(qn("w:val")) for o in overrides] == ["3"]
    step = numbering.num_having_numId(by_text["step one"].numId.val)
    assert step.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"


def test_code_is_monospace_and_badges_are_coloured(every: WordDocument) -> None:
    code = next(p for p in every.paragraphs if p.text.startswith("SELECT"))
    assert code.style is not None
    assert code.style.name == "Source Code"
    runs = [r for p in iter_paragraphs(every) for r in p.runs]
    inline_code = next(r for r in runs if r.text == "pool_size=5")
    assert inline_code.style is not None
    assert inline_code.style.name == "Verbatim Char"
    badge = next(r for r in runs if r.text == "Done")
    assert badge.bold
    assert badge.font.color.rgb is not None


def test_callouts_are_shaded_blocks(every: WordDocument) -> None:
    callout = next(t for t in every.tables if t.rows[0].cells[0].text.startswith("Data loss"))
    tc: Any = callout.rows[0].cells[0]._tc
    shading = tc.tcPr.find(qn("w:shd"))
    assert shading is not None
    assert shading.get(qn("w:fill")) not in (None, "auto", "FFFFFF")


def test_a_figure_is_a_picture_whose_alt_text_states_its_data(every: WordDocument) -> None:
    shapes = list(every.inline_shapes)
    assert len(shapes) == 2  # the timeline and the response metrics
    for shape in shapes:
        assert shape.type == WD_INLINE_SHAPE.PICTURE
        assert shape.width > 0
        assert shape.height > 0
        assert str(shape._inline.docPr.get("descr", "")).strip()
    timeline, metrics = (str(shape._inline.docPr.get("descr")) for shape in shapes)
    assert timeline.splitlines()[0].startswith("Timeline from 13:45 to 14:32 UTC")
    assert "Time: 2026-03-14 13:49 UTC; Milestone: Initial Detection" in timeline.splitlines()
    assert "Metric: Time to Mitigate; Target: < 30 min; Actual: 41 min; Met?: No" in metrics.splitlines()
    # the data is the picture's alternative text, not a table beside it
    headers = [[c.text for c in t.rows[0].cells] for t in every.tables]
    assert ["Time", "Milestone"] not in headers
    assert ["Metric", "Target", "Actual", "Met?"] not in headers
    captions = [p.text for p in every.paragraphs if style_name(p) == "Caption"]
    assert captions[:1] == ["Timeline from 13:45 to 14:32 UTC"]


def test_figure_pictures_are_the_same_pngs_each_render() -> None:
    def pictures(data: bytes) -> list[bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return [package.read(n) for n in sorted(package.namelist()) if n.startswith("word/media/")]

    first = pictures(render(every_node_document()))
    assert len(first) == 2
    assert all(png.startswith(b"\x89PNG") for png in first)
    assert pictures(render(every_node_document())) == first


def test_a_figure_without_a_table_is_a_picture_with_its_caption_as_alt_text() -> None:
    start = dt.datetime(2026, 3, 14, tzinfo=dt.UTC)
    figure = d.Figure(
        caption="Timeline of INC-1: 1 event",
        data=d.TimelineFigure(start=start, end=None, phases=(),
                              marks=(d.TimelineMark(at=start, label="Deploy", phase="detection"),)),
    )
    word = reopen(render(d.Document(meta=meta(), blocks=(figure,))))
    (shape,) = word.inline_shapes
    assert shape._inline.docPr.get("descr") == "Timeline of INC-1: 1 event"
    assert [p.text for p in word.paragraphs if style_name(p) == "Caption"] == ["Timeline of INC-1: 1 event"]


def test_approvals_table_gets_a_signature_column() -> None:
    cell = (d.Text(text="x"),)
    table = d.Table(
        role="approvals",
        signed=True,
        header=(
            (d.Text(text="Role"),),
            (d.Text(text="Name"),),
            (d.Text(text="Approved"),),
            (d.Text(text="Date"),),
        ),
        rows=(
            (
                cell,
                (d.Text(text="Jonas Weber"),),
                (d.Text(text="Yes"),),
                (d.Text(text="2026-03-18"),),
            ),
        ),
    )
    word = reopen(render(d.Document(meta=meta(), blocks=(table,))))
    approvals = word.tables[-1]
    assert [c.text for c in approvals.rows[0].cells][-1] == "Signature"
    tr: Any = approvals.rows[1]._tr
    height = tr.trPr.find(qn("w:trHeight"))
    assert int(height.get(qn("w:val"))) >= 720


_CELL = (d.Text(text="cell"),)
_TWO_COLUMNS = (_CELL, _CELL)


@pytest.mark.parametrize(
    "widths",
    [(0.0, 0.0), (-1.0, -1.0), (1.0, -0.5), (float("nan"), 1.0), (float("inf"), 1.0), (1.0,), ()],
    ids=["zero", "negative", "one-negative", "nan", "inf", "too-few", "none"],
)
def test_a_table_without_usable_widths_gets_even_columns(widths: tuple[float, ...]) -> None:
    table = d.Table(header=_TWO_COLUMNS, rows=(_TWO_COLUMNS,), widths=widths)
    grid = reopen(render(d.Document(meta=meta(), blocks=(table,)))).tables[-1]._tbl.tblGrid
    columns = [int(col.get(qn("w:w"))) for col in grid.iterfind(qn("w:gridCol"))]
    assert len(columns) == 2
    assert columns[0] == columns[1]


def body_tables(word: WordDocument) -> list[Any]:
    """The document's tables other than the title block's facts grid."""
    return [t for t in word.tables if t.style is None or t.style.name != "Title Facts"]


def test_a_table_without_columns_is_left_out() -> None:
    blocks = (d.Paragraph(children=(d.Text(text="before"),)), d.Table(header=(), rows=((),)))
    word = reopen(render(d.Document(meta=meta(), blocks=blocks)))
    assert "before" in [p.text for p in word.paragraphs]
    assert not body_tables(word)


def test_column_fractions_scale_widths_or_fall_back_to_even() -> None:
    assert d.column_fractions((1.0, 3.0), 2) == (0.25, 0.75)
    assert d.column_fractions((), 4) == (0.25, 0.25, 0.25, 0.25)
    assert d.column_fractions((1.0, 0.0), 2) == (0.5, 0.5)
    assert d.column_fractions((1.0, 1.0, 2.0), 2) == (0.5, 0.5)
    assert d.column_fractions((), 0) == ()


# ---------------------------------------------------------------------------- pages


def test_page_setup_defaults_to_a4_and_letter_is_an_option() -> None:
    a4: Any = reopen(render(every_node_document())).sections[0]
    letter: Any = reopen(render(every_node_document(), page_size="Letter")).sections[0]
    assert (a4.page_width.twips, a4.page_height.twips) == (11906, 16838)
    assert (letter.page_width.twips, letter.page_height.twips) == (12240, 15840)


def test_header_names_the_incident_and_classification_footer_counts_pages(
    every: WordDocument,
) -> None:
    header = every.sections[0].header
    text = "\n".join(p.text for p in header.paragraphs)
    assert "INC-2026-0042" in text
    assert "Checkout outage" in text
    assert "Confidential" in text
    assert "DRAFT" in text
    assert any(s.get("string") == "DRAFT" for s in header._element.iter("{urn:schemas-microsoft-com:vml}textpath"))
    footer = every.sections[0].footer._element
    instructions = " ".join(t.text or "" for t in footer.iter(qn("w:instrText")))
    assert "PAGE" in instructions
    assert "NUMPAGES" in instructions
    assert "Page" in "".join(t.text or "" for t in footer.iter(qn("w:t")))


def test_final_review_has_no_draft_mark_and_classification_is_an_option() -> None:
    word = reopen(render(every_node_document(status="Final"), classification="Internal"))
    header = word.sections[0].header
    text = "\n".join(p.text for p in header.paragraphs)
    assert "DRAFT" not in text
    assert "Internal" in text
    assert not list(header._element.iter("{urn:schemas-microsoft-com:vml}shape"))


def test_classification_is_one_line_in_the_header() -> None:
    data = render(every_node_document(), classification="Internal\n  only")
    header = reopen(data).sections[0].header
    assert not list(header._element.iter(qn("w:br")))
    assert "Internal only" in "\n".join(p.text for p in header.paragraphs)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "<vt:lpwstr>Internal only</vt:lpwstr>" in package.read("docProps/custom.xml").decode()


# ---------------------------------------------------------------------------- properties


def test_core_properties_come_from_the_review(every: WordDocument) -> None:
    core = every.core_properties
    assert core.title == "Checkout outage"
    assert core.subject == "INC-2026-0042"
    assert core.author == "Priya Raman"
    assert "SEV-2" in core.keywords
    assert "Backend API" in core.keywords
    assert core.category == "Post-Incident Review"
    assert core.comments.startswith("Checkout returned HTTP 500")
    assert core.content_status == "Draft"
    assert core.created == dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)
    assert core.modified == dt.datetime(2026, 3, 18, 9, 0, tzinfo=dt.UTC)
    assert core.revision == 3  # the review's revision


def test_created_is_stored_in_utc() -> None:
    base = every_node_document()
    plus_two = dt.timezone(dt.timedelta(hours=2))
    shifted = d.Document(
        meta=meta().__class__(
            **{
                **_meta_dict(base.meta),
                "created": dt.datetime(2026, 3, 14, 15, 45, tzinfo=plus_two),
            }
        ),
        blocks=base.blocks,
    )
    assert reopen(render(shifted)).core_properties.created == dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)


def _meta_dict(value: d.DocumentMeta) -> dict[str, Any]:
    import attrs

    return attrs.asdict(value, recurse=False)


def test_custom_properties_and_no_template_leftovers() -> None:
    data = render(every_node_document())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        custom = package.read("docProps/custom.xml").decode()
        app = package.read("docProps/app.xml").decode()
        core = package.read("docProps/core.xml").decode()
    for name, value in (
        ("IncidentId", "INC-2026-0042"),
        ("Severity", "SEV-2"),
        ("Status", "Draft"),
        ("ContentHash", "0" * 64),
    ):
        assert f'name="{name}"><vt:lpwstr>{value}</vt:lpwstr>' in custom
    assert "docProps/thumbnail.jpeg" not in names
    assert "word/stylesWithEffects.xml" not in names
    assert "Macintosh" not in app
    assert "<Application>pirdoc</Application>" in app
    assert "python-docx" not in core
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


# ---------------------------------------------------------------------------- text and safety


def test_every_text_of_every_node_document_is_in_the_docx(every: WordDocument) -> None:
    assert_all_text_present(every_node_document(), every)


def test_hostile_strings_survive_verbatim() -> None:
    document = hostile_document()
    word = reopen(render(document))
    assert_all_text_present(document, word)
    text = reading(word)
    for value in HOSTILE_STRINGS:
        assert value.replace(BREAK_OPPORTUNITY, "") in text
    assert word.core_properties.title == HOSTILE_STRINGS[1]


def test_text_xml_cannot_hold_is_replaced_not_raised() -> None:
    bad = "bell\x07 nul\x00 surrogate\ud800 end"
    doc = d.Document(
        meta=meta(title=bad),
        blocks=(d.Paragraph(children=(d.Text(text=bad),)), d.CodeBlock(text=bad)),
    )
    word = reopen(render(doc))
    assert "bell\ufffd nul\ufffd surrogate\ufffd end" in reading(word)


# ---------------------------------------------------------------------------- determinism, speed


def test_renders_are_byte_identical() -> None:
    first = render(every_node_document())
    render(hostile_document())  # nothing global may leak into the next render
    time.sleep(1.1)
    assert render(every_node_document()) == first


def _big_document(events: int, actions: int) -> d.Document:
    start = dt.datetime(2026, 3, 14, tzinfo=dt.UTC)
    marks = tuple(
        d.TimelineMark(at=start + dt.timedelta(minutes=i), label=f"event {i}", phase="response") for i in range(events)
    )
    figure = d.Figure(
        caption="Timeline",
        data=d.TimelineFigure(start=start, end=start + dt.timedelta(minutes=events), phases=(), marks=marks),
        table=d.Table(
            role="timeline",
            header=((d.Text(text="Time"),), (d.Text(text="Event"),)),
            rows=tuple(((d.Text(text=f"{m.at:%H:%M}"),), (d.Text(text=m.label),)) for m in marks),
        ),
    )
    rows = tuple(tuple((d.Text(text=f"AI-{i} col {c}"),) for c in range(5)) for i in range(actions))
    table = d.Table(role="action-items", header=tuple((d.Text(text=f"H{c}"),) for c in range(5)), rows=rows)
    return d.Document(meta=meta(), blocks=(figure, table))


def test_big_reviews_render_in_linear_time() -> None:
    small = _big_document(200, 50)
    big = _big_document(2000, 500)
    render(small)
    t0 = time.perf_counter()
    render(small)
    t1 = time.perf_counter()
    data = render(big)
    t2 = time.perf_counter()
    assert t2 - t1 < 10
    assert (t2 - t1) < 25 * max(t1 - t0, 0.01)  # 10x the rows, far from 100x the time
    word = reopen(data)
    (shape,) = word.inline_shapes  # the figure: a picture whose alt text holds its table
    assert len(str(shape._inline.docPr.get("descr")).splitlines()) == 2001
    (table,) = body_tables(word)
    assert len(table.rows) == 501


# ---------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"page_size": "A5"}, "page_size"),
        ({"toc": "maybe"}, "toc"),
        ({"update_fields": "sometimes"}, "update_fields"),
        ({"template": "/nonexistent/ref.docx"}, "template"),
        ({"classification": 3}, "classification"),
        ({"colour": "red"}, "unknown option"),
    ],
)
def test_bad_option_values_raise_render_error(options: dict[str, Any], message: str) -> None:
    with pytest.raises(RenderError, match=message):
        render(every_node_document(), **options)


def test_string_options_from_the_cli_are_parsed() -> None:
    word = reopen(render(every_node_document(), toc="false", update_fields="yes", page_size="letter"))
    assert not any(p.style is not None and p.style.name.lower() == "toc 1" for p in word.paragraphs)
    assert word.settings.element.find(qn("w:updateFields")) is not None


def test_template_that_is_not_a_docx_raises(tmp_path: Path) -> None:
    bogus = tmp_path / "ref.docx"
    bogus.write_text("not a zip")
    with pytest.raises(RenderError, match="template"):
        render(every_node_document(), template=bogus)


def test_template_supplies_styles_page_setup_and_header(tmp_path: Path) -> None:
    reference = docx.Document()
    styles = reference.styles.element
    for style in list(styles.iterfind(qn("w:style"))):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in ("heading 2", "Title", "TOC Heading"):
            styles.remove(style)
    heading_1 = reference.styles["Heading 1"]
    heading_1.font.name = "Company Sans"
    section = reference.sections[0]
    section.page_width, section.page_height = docx.shared.Mm(210), docx.shared.Mm(297)
    section.left_margin = docx.shared.Mm(30)
    section.header.paragraphs[0].text = "ACME Corporation"
    reference.add_paragraph("Template body text that must not leak")
    path = tmp_path / "reference.docx"
    reference.save(str(path))

    word = reopen(render(every_node_document(), template=str(path)))
    assert word.styles["Heading 1"].font.name == "Company Sans"
    assert "Heading 2" in [s.name for s in word.styles]
    assert next(p.text for p in word.paragraphs if style_name(p) == "Heading 2") == "Services Affected"
    margin: Any = word.sections[0].left_margin
    assert abs(margin.mm - 30) < 0.1
    header_text = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert "ACME Corporation" in header_text
    assert "INC-2026-0042" in header_text
    assert "Template body text" not in reading(word)
    # a reference document's own styles are all kept, the built-in table styles included
    assert "Light Shading Accent 1" in [s.name for s in word.styles]


def test_the_styles_part_keeps_every_style_in_use_and_every_reference_resolves() -> None:
    with zipfile.ZipFile(io.BytesIO(render(every_node_document()))) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        parts = b"".join(package.read(name) for name in package.namelist() if name.endswith(".xml"))
    defined = {style.get(qn("w:styleId")) for style in styles.iterfind(qn("w:style"))}
    for style in styles.iterfind(qn("w:style")):
        for tag in ("w:basedOn", "w:next", "w:link"):
            reference = style.find(qn(tag))
            assert reference is None or reference.get(qn("w:val")) in defined
    used = {match.decode() for match in re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', parts)}
    assert used
    assert used <= defined
    # python-docx's template defines about a hundred built-in table styles no render uses
    assert sum(style.get(qn("w:type")) == "table" for style in styles.iterfind(qn("w:style"))) < 10


# ---------------------------------------------------------------------------- the example review


def _example_documents() -> list[d.Document]:
    return [example_document(profile) for profile in ("full", "executive")]


def test_example_review_text_is_all_in_the_docx() -> None:
    for document in _example_documents():
        word = reopen(render(document))
        assert_all_text_present(document, word)
        headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
        assert headings


def test_example_people_show_their_name_and_layout_shows_the_role_once() -> None:
    word = reopen(render(example_document()))
    text = reading(word)
    for role in ("Incident Commander", "Technical Lead", "Communications Lead", "Scribe"):
        assert f"({role})" not in text
    rows = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    assert ["Incident Commander", "Amara Okafor"] in rows
    assert ["Technical Lead", "Tomasz Kowalczyk"] in rows
    assert "Amara Okafor - Incident Commander" in text.splitlines()


def test_title_block_names_the_owner_with_their_role(every: WordDocument) -> None:
    (grid,) = [t for t in every.tables if t.style is not None and t.style.name == "Title Facts"]
    pairs = [(row.cells[i].text, row.cells[i + 1].text) for row in grid.rows for i in (0, 2)]
    assert ("Owner", "Priya Raman (Engineering Manager)") in pairs


def test_title_block_facts_are_a_key_value_grid_incident_left_review_right() -> None:
    word = reopen(pirdoc.render(pirdoc.load(EXAMPLE), "docx", allow_problems=True))
    first = word.tables[0]
    assert first.style is not None
    assert first.style.name == "Title Facts"
    left = [row.cells[0].text for row in first.rows]
    right = [row.cells[2].text for row in first.rows]
    assert left[:3] == ["Incident started", "Detected", "Resolved"]
    assert right[:3] == ["Review date", "Last modified", "Review meeting"]
    assert first.rows[0].cells[1].text == "2026-03-14 13:38 UTC"


# ---------------------------------------------------------------------------- issue 16


def test_inline_code_keeps_its_monospace_font_in_table_cells() -> None:
    word = reopen(pirdoc.render(pirdoc.load(EXAMPLE), "docx"))
    code_runs = [
        run
        for table in word.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if "hikaricp_connections_pending" in run.text
    ]
    assert code_runs
    for run in code_runs:  # direct formatting: LibreOffice lets a table style override the style's font
        assert run.font.name == "Consolas"
        assert run.style is not None
        assert run.style.name == "Verbatim Char"


def test_ticket_links_show_the_ticket_id() -> None:
    data = pirdoc.render(pirdoc.load(EXAMPLE), "docx")
    word = reopen(data)
    hyperlinks = {
        link.url: link.text for paragraph in iter_paragraphs(word) for link in paragraph.hyperlinks if link.url
    }
    assert hyperlinks["https://larkspur.atlassian.example/browse/PLAT-1202"] == "PLAT-1202"
    assert "browse/PLAT-1202" not in reading(word)


def test_long_urls_may_wrap_only_after_break_characters() -> None:
    url = "https://grafana.larkspur.example/d/checkout/checkout-overview?orgId=1&from=now-6h&to=now"
    document = d.Document(
        meta=meta(),
        blocks=(d.Paragraph(children=(d.Link(target=url, children=(d.Text(text=url),)), d.Text(text=" short-one"))),),
    )
    word = reopen(render(document))
    (paragraph,) = [p for p in iter_paragraphs(word) if url in p.text.replace(BREAK_OPPORTUNITY, "")]
    raw = paragraph.text
    pieces = raw.split(BREAK_OPPORTUNITY)
    assert "".join(pieces) == f"{url} short-one"  # short tokens get no break opportunity
    assert pieces[:-1]
    assert all(piece.endswith(("/", "?", "&", "-")) for piece in pieces[:-1])
    assert "now-6h" in raw  # a hyphen before a digit is no break point
    (link,) = paragraph.hyperlinks
    assert link.url == url  # the target itself is untouched


def test_a_render_leaves_the_parts_it_shares_with_other_renders_as_they_were() -> None:
    from pirdoc.renderers._docx_base import base as made_base
    from pirdoc.renderers._docx_base import base_template

    base = made_base()
    shared = {name: base.package.parts[name].blob for name in base.shared}
    assert {"/word/styles.xml", "/word/theme/theme1.xml"} <= set(shared)
    for document in (hostile_document(), hostile_document()):
        DocxRenderer().render(document)
    fresh = base_template().parts
    assert {name: base.package.parts[name].blob for name in base.shared} == shared
    assert shared == {name: fresh[name].blob for name in shared}
