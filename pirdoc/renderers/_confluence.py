"""The Confluence storage-format renderer: the body a page is created or updated with through the
REST API (``representation: "storage"``). See docs/confluence.md.

This module only checks options; the tree is built in `_confluence_tree` and serialised in
`_confluence_xml`, imported on the first render so that listing renderers and their options
never loads lxml.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from pirdoc.document import Document
from pirdoc.errors import RenderError
from pirdoc.renderers._confluence_names import Edition, FigureMode, figure_attachment_name

__all__ = ["ConfluenceRenderer", "Edition", "FigureMode", "figure_attachment_name"]


class ConfluenceRenderer:
    """Renders a Document as a Confluence storage-format fragment (UTF-8 XML, no declaration)."""

    name: ClassVar[str] = "confluence"
    suffix: ClassVar[str] = ".confluence.xml"
    media_type: ClassVar[str] = "application/xml"
    options: ClassVar[Mapping[str, str]] = MappingProxyType(
        {
            "edition": "'cloud' (default: users as ri:account-id) or 'datacenter' (ri:userkey)",
            "classification": (
                "classification shown in a banner at the top and in the page properties"
                " (default: the review's; empty hides both)"
            ),
            "figures": "'tables' (default: figures as tables) or 'attachments' (an image attached to the page "
            "as pirdoc-figure-N-KIND.png, with the tables in an expand macro below it)",
        }
    )

    def render(self, document: Document, /, **options: Any) -> bytes:
        """The page body of ``document``; `RenderError` on a bad option value."""
        from pirdoc.renderers import _confluence_tree, _confluence_xml

        edition = _edition(options.get("edition", "cloud"))
        classification = _classification(options.get("classification"), document)
        figures = _figures(options.get("figures", "tables"))
        page = _confluence_tree.build(document, edition=edition, classification=classification, figures=figures)
        return _confluence_xml.serialise(page)


def _edition(value: object) -> Edition:
    match value.strip().lower() if isinstance(value, str) else value:
        case "cloud":
            return "cloud"
        case "datacenter":
            return "datacenter"
        case _:
            raise RenderError(f"confluence: option edition must be 'cloud' or 'datacenter', not {value!r}")


def _figures(value: object) -> FigureMode:
    match value.strip().lower() if isinstance(value, str) else value:
        case "tables":
            return "tables"
        case "attachments":
            return "attachments"
        case _:
            raise RenderError(f"confluence: option figures must be 'tables' or 'attachments', not {value!r}")


def _classification(value: object, document: Document) -> str:
    if value is None:
        return document.meta.classification.strip()
    if isinstance(value, str):
        return value.strip()
    raise RenderError(f"confluence: option classification must be text, not {value!r}")
