"""The PDF renderer: an executive briefing or the full record, built with reportlab's platypus.

Every text value is split into font runs (`_pdf_text.runs`) and becomes a paragraph through a
tree of text and tags, never through markup text (`_pdf_text`), so ``a<b`` and ``AT&T`` print
literally, and CJK falls back to an embedded face.
Figures are vector drawings (`_pdf_figures`). The blocks become flowables in `_pdf_story` (long
tables are fed to reportlab a chunk at a time, so their cost grows linearly with the row count),
in the styles of `_pdf_styles`; `_pdf_page` lays them out on pages with the contents, the outline
and the page furniture; `_pdf_objects` writes the file's objects faster than reportlab would, to
the same bytes.

Builds are reproducible: ``invariant=1`` fixes the file id, and the creation date written to the
document information is the review's ``meta.created``, never the clock.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, ClassVar

from reportlab.platypus import CondPageBreak, Flowable
from reportlab.platypus.flowables import HRFlowable

from pirdoc import document as d
from pirdoc.renderers import _pdf_objects  # noqa: F401 - installs the faster object formatting
from pirdoc.renderers._pdf_fonts import register_fonts
from pirdoc.renderers._pdf_keep import keep_with_next
from pirdoc.renderers._pdf_page import _Contents, _contents_height, _DocTemplate, _warn_about_missing_glyphs
from pirdoc.renderers._pdf_story import _Story
from pirdoc.renderers._pdf_styles import RULE, _parse_options, _themed_styles
from pirdoc.renderers._pdf_text import runs

__all__ = ["PdfRenderer"]


class PdfRenderer:
    """Render a Document as a PDF: the executive briefing or the full record."""

    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"
    media_type: ClassVar[str] = "application/pdf"
    options: ClassVar[Mapping[str, str]] = {
        "page_size": "paper size: A4 (default) or Letter",
        "classification": "label in every page header (default: the document's classification; "
        "empty for none)",
        "accent": "brand colour as #RRGGBB for the title, headings and table headers (default #1c3d5a); "
        "must keep 4.5:1 contrast with white",
        "logo": "path to a PNG or JPEG logo, drawn at the top right of the title block",
        "font": "path to a TrueType (.ttf) font for all text but code and charts (default DejaVu Sans)",
        "font_bold": "path to the font's bold face (default: the font itself)",
        "font_italic": "path to the font's italic face (default: the font itself)",
        "font_bold_italic": "path to the font's bold italic face (default: the bold face)",
    }

    def render(self, document: d.Document, /, **options: Any) -> bytes:
        """Return ``document`` as PDF bytes; the same document always gives the same bytes."""
        settings = _parse_options(document, options)
        register_fonts()
        _warn_about_missing_glyphs(document.meta.scripts)
        accent = settings.theme.accent.hexval().replace("0x", "#")
        styles = _themed_styles(accent, settings.theme.family)
        buffer = io.BytesIO()
        template = _DocTemplate(buffer, document, settings)
        story_builder = _Story(document, styles, settings.theme)
        story: list[Flowable] = story_builder.title_block(settings, template.width)
        at = d.contents_index(document)
        before, after = (
            keep_with_next(story_builder.blocks(part, template.width), template.width)
            for part in (document.blocks[:at], document.blocks[at:])
        )
        contents: _Contents | None = None
        if document.meta.contents and any(isinstance(b, d.Heading) for b in document.blocks):
            contents = _Contents(template.contents_entries([*before, *after], story_builder.make, styles.toc))
            title = story_builder.make(runs("Contents", styles.family.bold), styles.toc_title)
            before += [
                CondPageBreak(_contents_height(title, contents, template.width)), title, contents,
                HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=4, spaceAfter=4),
            ]
        story += [*before, *after]
        template.build_once(story, contents)
        return buffer.getvalue()

