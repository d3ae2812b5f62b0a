"""A foreign reader opens the DOCX: LibreOffice converts it to PDF, poppler extracts the text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pirdoc.renderers._docx import DocxRenderer
from tests.documents import HOSTILE_STRINGS, every_node_document, hostile_document
from tests.readers import libreoffice_pdfs
from tests.tools import require_tool


def convert(data: bytes, name: str, tmp_path: Path) -> str:
    """The text of the DOCX ``data`` as LibreOffice lays it out, read by pdftotext in reading
    order, whitespace runs as one space."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    pdf = libreoffice_pdfs({name: data}, tmp_path)[name]
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", "-", "-"], input=pdf, check=True, capture_output=True, timeout=60
    )
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.mark.slow
def test_libreoffice_shows_the_text_headers_footers_and_checkboxes(tmp_path: Path) -> None:
    text = convert(DocxRenderer().render(every_node_document()), "every", tmp_path)
    for expected in (
        "Checkout outage",
        "Executive Summary",
        "Contents",
        "12 orders were lost.",
        "\u2611 Backend API",  # ☑, never ☒ ("crossed out")
        "\u2610 Frontend",
        "Add an alert on pool exhaustion",
        "Timeline from 13:45 to 14:32 UTC",  # the figures: pictures with their captions
        "Response metrics",
        "SELECT count(*) FROM orders",
        "Back to the timeline",
        "INC-2026-0042",
        "Confidential",
        "DRAFT",
        "Page 1 of 2",
    ):
        assert expected in text


@pytest.mark.slow
def test_libreoffice_shows_hostile_strings_verbatim(tmp_path: Path) -> None:
    text = convert(DocxRenderer().render(hostile_document()), "hostile", tmp_path)
    # Plain-ASCII markup of every format must come out as written (no escaping, no parsing).
    for value in HOSTILE_STRINGS[:12]:
        assert " ".join(value.split()) in text


@pytest.mark.slow
def test_body_text_is_set_at_60_to_80_characters_a_line(tmp_path: Path) -> None:
    import attrs

    from pirdoc import document as d
    from tests.documents import meta

    prose = "the order service returned errors while the connection pool was exhausted by checkout traffic"
    words = prose.split(" ")
    text = " ".join(words[i % len(words)] for i in range(600))
    documents = {
        f"{profile}-{size}": DocxRenderer().render(
            d.Document(meta=attrs.evolve(meta(status="Final"), profile=profile),
                       blocks=(d.Paragraph(children=(d.Text(text=text),)),)),
            page_size=size,
        )
        for profile in ("full", "executive")
        for size in ("A4", "Letter")
    }
    pdftotext = require_tool("pdftotext", "poppler-utils")
    for name, pdf in libreoffice_pdfs(documents, tmp_path).items():
        source = tmp_path / f"{name}.pdf"
        source.write_bytes(pdf)
        lines = subprocess.run([pdftotext, str(source), "-"], capture_output=True, text=True, check=True).stdout
        lengths = sorted(len(line) for line in lines.splitlines() if line.startswith(tuple(words)) and len(line) > 30)
        assert len(lengths) > 20, name
        # the record and the briefing: every full line within the measure print typography asks for
        assert lengths[len(lengths) // 2] >= 60, name
        assert lengths[-1] <= 80, (name, lengths[-1])
