"""Every renderer refuses to make an unsafe link active, even in a Document built by hand."""

from __future__ import annotations

import io
import zipfile

import pytest

from pirdoc import document as d
from pirdoc.api import render_document
from tests.documents import meta

UNSAFE = ("javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd")


def document_with(target: str) -> d.Document:
    link = d.Link(target=target, children=(d.Text(text="open the dashboard"),))
    return d.Document(meta=meta(), blocks=(d.Paragraph(children=(link,)),))


def active_targets(fmt: str, data: bytes) -> str:
    """The part of the output where an active link target would live."""
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("word/_rels/document.xml.rels").decode()
    return data.decode("latin-1")


@pytest.mark.parametrize("fmt", ["markdown", "docx", "pdf", "confluence"])
@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_link_targets_stay_plain_text(fmt: str, target: str) -> None:
    data = render_document(document_with(target), fmt)
    scheme = target.split(":")[0]
    assert f"{scheme}:" not in active_targets(fmt, data)


@pytest.mark.parametrize("fmt", ["markdown", "docx", "pdf", "confluence"])
def test_safe_link_targets_stay_active(fmt: str) -> None:
    data = render_document(document_with("https://grafana.larkspur.example/d/checkout"), fmt)
    assert "https://grafana.larkspur.example/d/checkout" in active_targets(fmt, data)
