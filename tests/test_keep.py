"""Issue 16, keep together: headings, lead-ins ("Timeline:") and list parents stay with what
follows them, in PDF (read per page by pdftotext) and DOCX (keepNext, read by python-docx, and
LibreOffice's pages)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import attrs
import docx
import pytest
from pypdf import PdfReader

import pirdoc
from pirdoc import document as d
from pirdoc import model as m
from pirdoc._keep import keep_lead_ins
from pirdoc.layout import layout
from tests.readers import libreoffice_pdfs
from tests.tools import require_tool

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"

# The full record's lead-ins: each introduces a list or table, so none may end a page.
LEAD_INS = {
    "Impact:", "User Impact:", "Business Impact:", "Technical Impact:", "Timeline:", "Channels Used:",
    "Effectiveness:", "Customer Notifications:", "Stakeholder Communication:", "Attendees:",
    "Discussion Points:", "Review Cadence:", "Steps:",
}  # fmt: skip


def _shifted(lines: int) -> m.Review:
    """The example with ``lines`` paragraphs of writing at the end of its header, which moves
    every later block down the pages, and a note whose list items have sub-lists."""
    example = pirdoc.load(EXAMPLE)
    filler = "\n\n".join(f"Paragraph {n} of the writer's preamble." for n in range(lines))
    steps = "**Steps:**\n\n" + "\n".join(f"- step {n}\n  - detail {n}a\n  - detail {n}b" for n in range(12))
    notes = (m.Note(section="header", body=filler or None),
             m.Note(section="lessons", title="How we worked", body=steps))
    return attrs.evolve(example, notes=(*example.notes, *notes))


def _page_lines(pdf: bytes, page: int) -> list[str]:
    tool = require_tool("pdftotext", "poppler-utils")
    result = subprocess.run([tool, "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
                            input=pdf, capture_output=True, check=True, timeout=60)
    return [line.strip() for line in result.stdout.decode().splitlines() if line.strip()]


def _last_body_lines(pdf: bytes, furniture: set[str]) -> list[str]:
    """The last line of body text on each page but the last (page header and footer left out)."""
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    last = []
    for page in range(1, pages):
        body = [line for line in _page_lines(pdf, page) if line not in furniture and not line.startswith("Page ")]
        last.append(body[-1] if body else "")
    return last


def test_layout_marks_lead_ins_and_list_parents_and_nothing_else() -> None:
    blocks = keep_lead_ins((
        d.Paragraph(children=(d.Strong(children=(d.Text(text="Timeline:"),)),)),
        d.BulletList(items=(
            (d.Paragraph(children=(d.Text(text="parent"),)), d.BulletList(items=((d.Paragraph(children=()),),))),
            (d.Paragraph(children=(d.Text(text="leaf"),)),),
        )),
        d.Paragraph(children=(d.Text(text="We looked at three things:"),)),
        d.Table(header=((d.Text(text="a"),),), rows=()),
        d.Paragraph(children=(d.Text(text="An ordinary paragraph."),)),
        d.BulletList(items=((d.Paragraph(children=(d.Text(text="x"),)),),)),
        d.Paragraph(children=(d.Text(text="Ends the section with a colon:"),)),
    ))
    kept = [isinstance(b, d.Paragraph) and b.keep_with_next for b in blocks]
    # the lead-in, the sentence ending in a colon; not the ordinary paragraph nor the last one
    assert kept == [True, False, True, False, False, False, False]
    listing = blocks[1]
    assert isinstance(listing, d.BulletList)
    firsts = [item[0] for item in listing.items]
    assert [isinstance(b, d.Paragraph) and b.keep_with_next for b in firsts] == [True, False]


def test_the_docx_keeps_every_lead_in_with_the_next_paragraph() -> None:
    document = docx.Document(io.BytesIO(pirdoc.render(_shifted(0), "docx")))
    lead_ins = [p for p in document.paragraphs if p.text.strip() in LEAD_INS]
    assert len(lead_ins) >= 8
    assert [p.text for p in lead_ins if not p.paragraph_format.keep_with_next] == []
    parents = [p for p in document.paragraphs if p.text.startswith("step ")]
    assert len(parents) == 12
    assert all(p.paragraph_format.keep_with_next for p in parents)


@pytest.mark.slow
@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_no_pdf_page_ends_with_a_heading_or_lead_in(page_size: str) -> None:
    review = pirdoc.load(EXAMPLE)
    headings = {
        d.plain_text(b.children) for b in d.iter_blocks(layout(_shifted(0), "full").blocks) if isinstance(b, d.Heading)
    }
    furniture = {review.title, review.incident_id, "CONFIDENTIAL", "DRAFT"}
    for lines in range(0, 48, 4):  # each shift puts other blocks at the foot of a page
        pdf = pirdoc.render(_shifted(lines), "pdf", page_size=page_size, allow_problems=True)
        ends = _last_body_lines(pdf, furniture)
        assert [end for end in ends if end in LEAD_INS or end in headings or end.startswith("step ")] == [], lines


@pytest.mark.slow
def test_no_docx_page_ends_with_a_heading_or_lead_in_as_libreoffice_lays_it_out(tmp_path: Path) -> None:
    review = pirdoc.load(EXAMPLE)
    headings = {
        d.plain_text(b.children) for b in d.iter_blocks(layout(_shifted(0), "full").blocks) if isinstance(b, d.Heading)
    }
    documents = {
        f"shift-{lines}": pirdoc.render(_shifted(lines), "docx", allow_problems=True) for lines in range(0, 48, 8)
    }
    furniture = {review.title, review.incident_id, f"{review.incident_id} \u2014 {review.title}"}
    # The contents list may end a page: its entries are the sections' titles (links, no page
    # numbers), so a page holding "Contents" that ends with the last section's title ends with
    # the list, not with that heading.
    last_section = [b for b in layout(_shifted(0), "full").blocks if isinstance(b, d.Heading) and b.level == 1][-1]
    for name, pdf in libreoffice_pdfs(documents, tmp_path).items():
        ends = [
            end
            for page, end in enumerate(_last_body_lines(pdf, furniture), start=1)
            if not (end == d.plain_text(last_section.children) and "Contents" in _page_lines(pdf, page))
        ]
        assert [end for end in ends if end in LEAD_INS or end in headings or end.startswith("step ")] == [], name
