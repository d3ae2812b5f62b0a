"""The one interface both Confluence backends implement, and the values it passes around."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import attrs

from pirdoc.publish._images import FigureImage
from pirdoc.renderers._confluence_names import Edition

__all__ = ["ConfluenceAPI", "RemoteAttachment", "RemotePage", "RemoteProperty", "Space"]


@attrs.frozen(kw_only=True)
class Space:
    """A space: its key, and its id as the backend needs it (v2 wants the numeric id)."""

    key: str
    id: str


@attrs.frozen(kw_only=True)
class RemotePage:
    """A page as Confluence has it now."""

    id: str
    title: str
    version: int
    version_message: str = ""
    version_author: str = ""
    body: str = ""
    parent_id: str | None = None


@attrs.frozen(kw_only=True)
class RemoteProperty:
    """A content property: ``id`` (v2 addresses properties by id), version and JSON value."""

    id: str
    version: int
    value: Any


@attrs.frozen(kw_only=True)
class RemoteAttachment:
    """An attachment of a page."""

    id: str
    filename: str


class ConfluenceAPI(Protocol):
    """What the publisher needs from a Confluence site. Every method raises
    `pirdoc.publish.PublishError` subclasses on failure."""

    edition: Edition
    """Which user identifiers the page body must use (``cloud``: account ids)."""

    def space(self, key: str) -> Space:
        """The space with ``key``; `NotFoundError` when there is none."""
        ...

    def page(self, page_id: str) -> RemotePage:
        """The page with its current storage-format body and version."""
        ...

    def page_by_title(self, space: Space, title: str) -> RemotePage | None:
        """The current page titled exactly ``title`` in ``space``, if any."""
        ...

    def pages_with_label(self, space: Space, label: str) -> list[str]:
        """Ids of the pages in ``space`` that carry ``label`` (CQL search, bounded)."""
        ...

    def create_page(self, space: Space, *, title: str, body: str, parent_id: str | None) -> RemotePage:
        """Create a page; return it (version 1)."""
        ...

    def update_page(
        self, page: RemotePage, space: Space, *, title: str, body: str, version: int, message: str
    ) -> RemotePage:
        """Write version ``version`` of ``page``; `ConflictError` when Confluence has moved on."""
        ...

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        """The content property ``key`` of the page, if set."""
        ...

    def put_property(self, page_id: str, key: str, value: Any, existing: RemoteProperty | None) -> None:
        """Create the property, or write the next version of ``existing``."""
        ...

    def attachment(self, page_id: str, filename: str) -> RemoteAttachment | None:
        """The page's attachment called ``filename``, if any."""
        ...

    def upload(self, page_id: str, image: FigureImage, existing: RemoteAttachment | None) -> None:
        """Attach ``image`` (a new attachment, or a new version of ``existing``)."""
        ...

    def add_labels(self, page_id: str, labels: Sequence[str]) -> None:
        """Add ``labels`` to the page, keeping the labels it has."""
        ...

    def remove_label(self, page_id: str, label: str) -> None:
        """Take ``label`` off the page (one pirdoc added that no longer applies)."""
        ...

    def display_name(self, author: str) -> str:
        """A person's name for a version's author (Cloud gives only an account id); ``author``
        itself when the name cannot be had."""
        ...
