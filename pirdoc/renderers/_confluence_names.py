"""Names the Confluence renderer, its tree builder and the publisher share: the editions, the
figure modes and the file name of an attached figure. A module of its own so that none of those
three imports another for them."""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["Edition", "FigureMode", "figure_attachment_name"]

Edition: TypeAlias = Literal["cloud", "datacenter"]
FigureMode: TypeAlias = Literal["tables", "attachments"]


def figure_attachment_name(number: int, kind: str) -> str:
    """The file name under which the ``number``-th figure (1-based, in document order) of kind
    ``timeline`` or ``metrics`` is attached to the page when figures are drawn as images.

    The publisher uploads the image under this name, so the two must agree."""
    return f"pirdoc-figure-{number}-{kind}.png"
