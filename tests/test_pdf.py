"""The PDF renderer, read back with pypdf, qpdf and poppler."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import subprocess
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile

from pirdoc import document as d
from pirdoc.errors import RenderError
from pirdoc.renderers._fonts import FONT_FILES, font_file, has_glyph, visual, visual_runs
from pirdoc.renderers._pdf import PdfRenderer
from pirdoc.renderers._pdf_theme import FONT_OPTIONS
from tests.documents import (
    HOSTILE_STRINGS,
    document_texts,
    every_node_document,
    example_document,
    hostile_document,
    meta,
)
from tests.tools import require_tool

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "example-review.yaml"


# ---------------------------------------------------------------------------- helpers


def render(document: d.Document, **options: object) -> bytes:
    return PdfRenderer().render(document, **options)


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def squeeze(text: str) -> str:
    """Text compared without whitespace and with Arabic presentation forms folded (NFKC)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def extracted(data: bytes) -> str:
    # A character no embedded face has draws the notdef glyph, which extracts as U+0000.
    text = "".join(page.extract_text() or "" for page in reader(data).pages)
    return squeeze(text.replace("\x00", ""))


def drawable(text: str) -> str:
    """``text`` without the characters no embedded face has (emoji), which draw as notdef."""
    return "".join(c for c in text if any(has_glyph(face, c) for face in FONT_FILES))


def text_values(document: d.Document) -> Iterator[str]:
    """Every text a reader of ``document`` must find."""
    yield document.meta.title
    yield document.meta.incident_id
    yield from document_texts(document.blocks, figures="drawn")


def assert_all_found(document: d.Document, data: bytes) -> None:
    text = extracted(data)
    missing = [v for v in text_values(document) if squeeze(drawable(v)) not in text]
    assert not missing


def table_document(rows: int, *, status: str = "Final") -> d.Document:
    table = d.Table(
        role="action-items",
        header=((d.Text(text="ID"),), (d.Text(text="Action"),), (d.Text(text="Owner"),)),
        rows=tuple(
            (
                (d.Text(text=f"AI-{i}"),),
                (d.Text(text=f"Action number {i} for the team"),),
                (d.Person(name="Jonas Weber"),),
            )
            for i in range(rows)
        ),
        widths=(0.15, 0.6, 0.25),
    )
    return d.Document(meta=meta(status=status), blocks=(table,))


@pytest.fixture(scope="module")
def every_node_pdf() -> bytes:
    return render(every_node_document())


@pytest.fixture(scope="module")
def hostile_pdf() -> bytes:
    return render(hostile_document())


# ---------------------------------------------------------------------------- text


def test_every_text_value_of_every_node_document_is_in_the_text(every_node_pdf: bytes) -> None:
    assert_all_found(every_node_document(), every_node_pdf)


def test_every_hostile_string_is_in_the_text(hostile_pdf: bytes) -> None:
    assert_all_found(hostile_document(), hostile_pdf)


def test_markup_characters_print_literally(hostile_pdf: bytes) -> None:
    text = extracted(hostile_pdf)
    for literal in ("a<b&&c>d", "AT&T<script>alert(1)</script>", "&nbsp;&amp;&lt;&#x41;"):
        assert literal in text


def test_hebrew_and_arabic_come_back_in_logical_order(hostile_pdf: bytes) -> None:
    # Drawn in visual order with Arabic contextual forms; readers give back the logical text.
    assert squeeze("שלום עולם مرحبا بالعالم") in extracted(hostile_pdf)


def test_emoji_are_drawn_from_the_symbol_font_and_read_back(hostile_pdf: bytes) -> None:
    # Characters beyond U+FFFF need a UTF-16 ToUnicode map, which reportlab alone gets wrong.
    assert squeeze("emoji 🔥🚒 flags 🇺🇦") in extracted(hostile_pdf)
    assert all(has_glyph("PirdocSymbols", c) for c in "🔥🚒🇺🇦")


def test_checklists_draw_ballot_boxes_from_the_embedded_font(every_node_pdf: bytes) -> None:
    text = extracted(every_node_pdf)
    assert "☑BackendAPI" in text
    assert "☐Frontend" in text
    assert has_glyph("PirdocSans", "☐")
    assert has_glyph("PirdocSans", "☑")


def test_title_block_and_page_furniture(every_node_pdf: bytes) -> None:
    pdf = reader(every_node_pdf)
    first = squeeze(pdf.pages[0].extract_text())
    for value in (
        "INC-2026-0042",
        "Checkoutoutage",
        "SEV-2",
        "Draft",
        "2026-03-14",
        "PriyaRaman",
        "CONFIDENTIAL",
        f"Page1of{len(pdf.pages)}",
    ):
        assert value in first


def test_draft_watermark_only_while_draft() -> None:
    assert "DRAFT" in extracted(render(every_node_document(status="Draft")))
    assert "DRAFT" not in extracted(render(every_node_document(status="Final")))


def test_metrics_figure_labels_met_and_missed_without_colour(every_node_pdf: bytes) -> None:
    text = extracted(every_node_pdf)
    assert "✓met" in text
    assert "✗missed" in text
    assert "notcompared" in text


# ---------------------------------------------------------------------------- structure


def outline_titles(outline: Sequence[object], depth: int = 0) -> Iterator[tuple[int, str]]:
    """(depth, title) of every outline entry, in document order."""
    for item in outline:
        if isinstance(item, list):
            yield from outline_titles(item, depth + 1)
        else:
            yield depth, str(getattr(item, "title", ""))


def test_outline_mirrors_the_headings(every_node_pdf: bytes) -> None:
    assert list(outline_titles(reader(every_node_pdf).outline)) == [
        (0, "Executive Summary"),
        (1, "Services Affected"),
        (1, "Timeline"),
        (1, "Action Items"),
    ]


def test_outline_of_a_document_starting_below_level_one(hostile_pdf: bytes) -> None:
    outline = reader(hostile_pdf).outline
    assert len(outline) == len(HOSTILE_STRINGS)


def test_full_profile_has_a_clickable_table_of_contents(every_node_pdf: bytes) -> None:
    pdf = reader(every_node_pdf)
    assert "Contents" in pdf.pages[0].extract_text()
    internal = [
        annot.get_object()
        for annot in pdf.pages[0].get("/Annots", [])
        if "/Dest" in annot.get_object() or annot.get_object().get("/A", {}).get("/S") == "/GoTo"
    ]
    top = [b for b in every_node_document().blocks if isinstance(b, d.Heading) and b.level == 1]
    # Each top-level section is an entry, its line (text, dots and page number) one link.
    assert len(internal) == len(top)
    for annotation in internal:
        left, bottom, right, top_edge = (float(value) for value in annotation["/Rect"])
        assert right - left == pytest.approx(420.0)  # the measure: from the text to the number
        assert top_edge - bottom >= 13.0  # at least a line of the contents' leading


def test_executive_profile_has_no_table_of_contents() -> None:
    document = every_node_document()
    document = attrs.evolve(document, meta=attrs.evolve(document.meta, profile="executive", contents=False))
    assert "Contents" not in reader(render(document)).pages[0].extract_text()


def test_links_are_live_for_http_and_point_inside_for_anchors(every_node_pdf: bytes) -> None:
    uris, internal = [], 0
    for page in reader(every_node_pdf).pages:
        for annot in page.get("/Annots", []):
            action = annot.get_object().get("/A", {})
            if action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
            elif "/Dest" in annot.get_object() or action.get("/S") == "/GoTo":
                internal += 1
    assert set(uris) == {"https://status.example.com/incidents/42"}
    assert internal >= 2  # the contents line and "Back to the timeline"


def test_document_information(every_node_pdf: bytes) -> None:
    info = reader(every_node_pdf).metadata
    assert info is not None
    assert info.title == "Checkout outage"
    assert info.author == "Priya Raman"
    assert info.subject == "INC-2026-0042"
    assert str(info["/Keywords"]) == "SEV-2, Backend API, Database"
    assert info.creator is not None
    assert info.creator.startswith("pirdoc ")
    assert info.creation_date == dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)


def test_same_document_gives_the_same_bytes(every_node_pdf: bytes) -> None:
    assert render(every_node_document()) == every_node_pdf


# ---------------------------------------------------------------------------- options


def test_page_size_letter_and_a4() -> None:
    letter = reader(render(every_node_document(), page_size="Letter")).pages[0].mediabox
    a4 = reader(render(every_node_document(), page_size="a4")).pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


@pytest.mark.parametrize("value", ["A3", "", 4, None])
def test_a_bad_page_size_is_a_render_error(value: object) -> None:
    with pytest.raises(RenderError, match="page_size must be A4 or Letter"):
        render(every_node_document(), page_size=value)


def test_classification_option_replaces_the_label() -> None:
    text = extracted(render(every_node_document(), classification="Internal only"))
    assert "INTERNALONLY" in text
    assert "CONFIDENTIAL" not in text


@pytest.mark.parametrize("value", [3, b"Internal", ["Internal"]])
def test_a_bad_classification_is_a_render_error(value: object) -> None:
    with pytest.raises(RenderError, match="classification"):
        render(every_node_document(), classification=value)


def test_options_are_described() -> None:
    assert set(PdfRenderer.options) == {"page_size", "classification", "accent", "logo", *FONT_OPTIONS}
    assert all(PdfRenderer.options.values())


# ---------------------------------------------------------------------------- tables


def test_long_table_repeats_its_header_on_every_page() -> None:
    data = render(table_document(600))
    pages = reader(data).pages
    assert len(pages) > 5
    for page in pages:
        assert squeeze(page.extract_text()).count("IDActionOwner") == 1
    text = extracted(data)
    assert all(f"AI-{i}Actionnumber{i}" in text for i in (0, 119, 120, 121, 599))


def test_a_row_taller_than_a_page_and_a_word_wider_than_a_column_split() -> None:
    tall = " ".join(f"sentence-{i}" for i in range(1500))
    table = d.Table(
        header=((d.Text(text="#"),), (d.Text(text="Value"),)),
        rows=(((d.Text(text="Ж" * 400),), (d.Text(text=tall),)),),
        widths=(0.1, 0.9),
    )
    data = render(d.Document(meta=meta(), blocks=(table,)))
    assert len(reader(data).pages) >= 2
    text = extracted(data)
    assert text.count("Ж") == 400  # broken across lines and, with the row, across pages
    assert "sentence-1499" in text


_CELL = (d.Text(text="cell"),)
_TWO_COLUMNS = (_CELL, _CELL)


@pytest.mark.parametrize(
    "table",
    [
        d.Table(header=(), rows=()),
        d.Table(header=(), rows=((),)),
        d.Table(header=_TWO_COLUMNS, rows=(_TWO_COLUMNS,), widths=(0.0, 0.0)),
        d.Table(header=_TWO_COLUMNS, rows=(_TWO_COLUMNS,), widths=(-1.0, -1.0)),
        d.Table(header=_TWO_COLUMNS, rows=(_TWO_COLUMNS,), widths=(1.0, -0.5)),
        d.Table(header=_TWO_COLUMNS, rows=(_TWO_COLUMNS,), widths=(float("nan"), 1.0)),
    ],
    ids=["no-columns", "no-columns-one-row", "zero", "negative", "one-negative", "nan"],
)
def test_a_table_without_columns_or_usable_widths_renders(table: d.Table) -> None:
    blocks = (d.Paragraph(children=(d.Text(text="before"),)), table)
    text = extracted(render(d.Document(meta=meta(), blocks=blocks)))
    assert "before" in text
    cells = len(table.header) * (1 + len(table.rows))
    assert text.count("cell") == cells


@pytest.mark.slow
def test_long_tables_take_linear_time() -> None:
    render(table_document(50))  # warm up fonts
    started = time.perf_counter()
    render(table_document(500))
    small = time.perf_counter() - started
    started = time.perf_counter()
    data = render(table_document(5000))
    large = time.perf_counter() - started
    assert squeeze("AI-4999") in extracted(data)
    assert large < small * 20  # ten times the rows; quadratic would be about 100 times


# ---------------------------------------------------------------------------- fonts


def test_every_font_is_embedded_and_none_is_standard_14(hostile_pdf: bytes, tmp_path: Path) -> None:
    pdffonts = require_tool("pdffonts", "poppler-utils")
    for name, data in (("hostile", hostile_pdf), ("every", render(every_node_document()))):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        lines = subprocess.run([pdffonts, str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[
            2:
        ]
        assert lines
        for line in lines:
            fields = line.split()
            assert fields[-5] == "yes", line  # the "emb" column
            family = fields[0].split("+")[-1].split("-")[0]
            assert family not in ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats"), line


def test_qpdf_check_passes(hostile_pdf: bytes, tmp_path: Path) -> None:
    qpdf = require_tool("qpdf", "qpdf")
    for name, data in (("hostile", hostile_pdf), ("every", render(every_node_document()))):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


INTERNATIONAL_NAMES = (
    "Александра Кузнецова",  # Cyrillic
    "Νικόλαος Παπαδόπουλος",  # Greek
    "محمد عبد الله",  # Arabic
    "יונתן לוי",  # Hebrew
    "王小明",  # Chinese
    "佐藤 花子",  # Japanese
    "김민준",  # Korean
)


def test_fonts_selected_for_international_names_have_every_glyph() -> None:
    cmaps = {face: TTFontFile(str(font_file(face))).charToGlyph for face in FONT_FILES}
    for name in INTERNATIONAL_NAMES:
        for primary in ("PirdocSans", "PirdocSans-Bold", "PirdocMono"):
            for face, part in visual_runs(name, primary):
                missing = [c for c in part if not c.isspace() and ord(c) not in cmaps[face]]
                assert not missing, (name, face, missing)


def test_international_names_render_and_read_back() -> None:
    people = tuple(d.Person(name=name) for name in INTERNATIONAL_NAMES)
    table = d.Table(
        header=((d.Text(text="Name"),), (d.Text(text="Role"),)),
        rows=tuple(((person,), (d.Strong(children=(d.Text(text=person.name),)),)) for person in people),
    )
    document = d.Document(
        meta=attrs.evolve(meta(), owner=people[2], title="Отказ платежей / 支付故障"),
        blocks=(d.Paragraph(children=people), table),
    )
    text = extracted(render(document))
    for name in INTERNATIONAL_NAMES:
        assert squeeze(name) in text


def test_visual_order_reverses_right_to_left_runs_only() -> None:
    assert visual("abc") == "abc"
    assert visual("INC-1 שלום") == "INC-1 םולש"
    assert visual("יום 12") == "םוי 12"  # a trailing number is outside the run
    assert visual("שלום 12 עולם") == "םלוע 12 םולש"  # a number inside keeps its order


def test_figures_without_data_still_render() -> None:
    moment = dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)
    blocks: tuple[d.Block, ...] = (
        d.Figure(caption="Open incident", data=d.TimelineFigure(start=moment, end=None, phases=(), marks=())),
        d.Figure(caption="No metrics", data=d.MetricsFigure(metrics=())),
    )
    text = extracted(render(d.Document(meta=meta(), blocks=blocks)))
    assert "Openincident" in text
    assert "Nometrics" in text


# ---------------------------------------------------------------------------- the example review


def example_documents() -> dict[str, d.Document]:
    return {profile: example_document(profile) for profile in ("executive", "full")}


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_example_executive_briefing_fits_on_two_pages(page_size: str) -> None:
    document = example_documents()["executive"]
    assert len(reader(render(document, page_size=page_size)).pages) <= 2


def test_example_full_record_has_an_outline_entry_per_heading() -> None:
    document = example_documents()["full"]
    headings = [
        " ".join(d.plain_text(b.children).split()) for b in d.iter_blocks(document.blocks) if isinstance(b, d.Heading)
    ]

    outline = reader(render(document)).outline
    assert [title for _, title in outline_titles(outline)] == headings


@pytest.mark.parametrize("profile", ["executive", "full"])
def test_example_every_text_value_is_in_the_text(profile: str) -> None:
    document = example_documents()[profile]
    assert_all_found(document, render(document))


def test_a_long_classification_is_cut_in_the_header_and_shown_whole_in_the_title_block() -> None:
    label = "Restricted to the incident response team and legal counsel of Larkspur Commerce GmbH"
    data = render(every_node_document(), classification=label)
    first_page = reader(data).pages[0].extract_text()
    assert squeeze(label) in squeeze(first_page)
    assert "…" in first_page


def test_example_people_show_their_name_and_layout_shows_the_role_once() -> None:
    data = render(example_documents()["full"])
    lines = [" ".join(line.split()) for page in reader(data).pages for line in (page.extract_text() or "").splitlines()]
    for role in ("Incident Commander", "Technical Lead", "Communications Lead", "Scribe"):
        assert not [line for line in lines if f"({role})" in line]
    pairs = list(itertools.pairwise(lines))
    assert ("Incident Commander", "Amara Okafor") in pairs  # a Basic Information row: label, then name
    assert ("Technical Lead", "Tomasz Kowalczyk") in pairs
    assert "• Amara Okafor - Incident Commander" in lines


def test_a_signed_table_gets_a_signature_column_with_room_to_sign() -> None:
    def text(value: str) -> tuple[d.Inline, ...]:
        return (d.Text(text=value),)

    def approvals(signed: bool) -> d.Document:
        table = d.Table(
            role="approvals",
            signed=signed,
            header=(text("Role"), text("Name")),
            rows=((text("Engineering Manager"), text("Alpha")), (text("Legal"), text("Omega"))),
        )
        return d.Document(meta=meta(), blocks=(table,))

    def heights(data: bytes) -> dict[str, float]:
        found: dict[str, float] = {}

        def visit(chunk: str, cm: list[float], tm: list[float], *_: object) -> None:
            if chunk.strip() in {"Alpha", "Omega", "Signature"}:
                found[chunk.strip()] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # y on the page

        reader(data).pages[0].extract_text(visitor_text=visit)
        return found

    signed, plain = heights(render(approvals(True))), heights(render(approvals(False)))
    assert "Signature" in signed
    assert "Signature" not in plain
    # The signed rows are at least 36 pt apart: room for a signature, not a line of text.
    assert signed["Alpha"] - signed["Omega"] >= 36 > plain["Alpha"] - plain["Omega"]
