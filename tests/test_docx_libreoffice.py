"""A foreign reader opens the DOCX: LibreOffice converts it to PDF, poppler extracts the text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pirdoc.renderers._docx import DocxRenderer
from tests.documents import HOSTILE_STRINGS, every_node_document, hostile_document
from tests.tools import require_tool


def convert(docx_path: Path, tmp_path: Path) -> str:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = docx_path.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    result = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, timeout=60)
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.mark.slow
def test_libreoffice_shows_the_text_headers_footers_and_checkboxes(tmp_path: Path) -> None:
    path = tmp_path / "every.docx"
    path.write_bytes(DocxRenderer().render(every_node_document()))
    text = convert(path, tmp_path)
    for expected in (
        "Checkout outage",
        "Executive Summary",
        "Contents",
        "12 orders were lost.",
        "\u2612 Backend API",
        "\u2610 Frontend",
        "Add an alert on pool exhaustion",
        "Initial Detection",
        "Missed",
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
    path = tmp_path / "hostile.docx"
    path.write_bytes(DocxRenderer().render(hostile_document()))
    text = convert(path, tmp_path)
    # Plain-ASCII markup of every format must come out as written (no escaping, no parsing).
    for value in HOSTILE_STRINGS[:12]:
        assert " ".join(value.split()) in text
