"""Figures as PNG images for Confluence pages, painted by `pirdoc.renderers._figure_png` (the
same painter the DOCX renderer uses), so the page, the DOCX and the PDF show the same chart."""

from __future__ import annotations

import functools
import hashlib
from typing import Final

import attrs

from pirdoc import document as d
from pirdoc.renderers._confluence_names import figure_attachment_name
from pirdoc.renderers._figure_png import figure_png

__all__ = ["FIGURE_WIDTH", "FigureImage", "figure_images", "png_of"]

FIGURE_WIDTH: Final = 680.0
"""The drawings' width in points; the page shows them this many pixels wide (``ac:width``)."""


@attrs.frozen(kw_only=True)
class FigureImage:
    """One figure as a PNG to attach under ``filename``; ``sha256`` is the hex digest of ``data``."""

    filename: str
    data: bytes
    sha256: str
    media_type: str = "image/png"


def figure_images(document: d.Document) -> list[FigureImage]:
    """Every figure of ``document`` as an image, named as the Confluence renderer refers to it
    with ``figures="attachments"`` (numbered in document order)."""
    images: list[FigureImage] = []
    figures = (block for block in d.iter_blocks(document.blocks) if isinstance(block, d.Figure))
    for number, figure in enumerate(figures, start=1):
        kind = "timeline" if isinstance(figure.data, d.TimelineFigure) else "metrics"
        data = png_of(figure.data)
        images.append(
            FigureImage(
                filename=figure_attachment_name(number, kind), data=data, sha256=hashlib.sha256(data).hexdigest()
            )
        )
    return images


@functools.lru_cache(maxsize=16)  # a run republishing a review draws each unchanged figure once
def png_of(data: d.FigureData) -> bytes:
    """The PNG bytes of one figure, ``FIGURE_WIDTH`` points wide."""
    return figure_png(data, FIGURE_WIDTH)


