"""Confluence REST API v1: all of Server/Data Center, and on Cloud what v2 has no endpoint for
(attachment uploads, adding labels, CQL search).

Documented shapes: https://developer.atlassian.com/server/confluence/rest/v1000/ (content,
content property, attachment and label resources) and the Cloud v1 reference.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from typing import Any, Final

from pirdoc.publish._api import RemoteAttachment, RemotePage, RemoteProperty, Space
from pirdoc.publish._errors import ServerError
from pirdoc.publish._http import Response, Transport
from pirdoc.publish._images import FigureImage
from pirdoc.renderers._confluence_names import Edition

__all__ = ["DataCenterAPI", "V1Common", "cql_text"]

_SEARCH_LIMIT: Final = 50


def cql_text(text: str) -> str:
    """``text`` inside a double-quoted CQL string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def json_of(response: Response | None, what: str) -> dict[str, Any]:
    """The JSON object of a response, or `ServerError` naming ``what`` was asked for."""
    body = response.json if response is not None else None
    if not isinstance(body, dict):
        raise ServerError(f"Confluence answered {what} with something that is not a JSON object")
    return body


class V1Common:
    """The v1 endpoints both editions share, under ``v1`` (``/rest/api`` or ``/wiki/rest/api``)."""

    def __init__(self, transport: Transport, v1: str) -> None:
        self.transport = transport
        self.v1 = v1

    def pages_with_label(self, space: Space, label: str) -> list[str]:
        return [str(item["id"]) for item in self.search(space, f'label = "{cql_text(label)}"')]

    def search(self, space: Space, condition: str) -> list[dict[str, Any]]:
        """Pages in ``space`` matching the CQL ``condition`` (at most `_SEARCH_LIMIT`)."""
        cql = f'{condition} and space = "{cql_text(space.key)}" and type = page'
        response = self.transport.request(
            "GET", f"{self.v1}/content/search", params={"cql": cql, "limit": _SEARCH_LIMIT}, what="a CQL search"
        )
        results = json_of(response, "a CQL search").get("results", [])
        return [item for item in results if isinstance(item, dict) and "id" in item]

    def upload(self, page_id: str, image: FigureImage, existing: RemoteAttachment | None) -> None:
        path = f"{self.v1}/content/{page_id}/child/attachment"
        if existing is not None:
            path += f"/{existing.id}/data"
        self.transport.request(
            "POST",
            path,
            files={"file": (image.filename, image.data, image.media_type)},
            data={"comment": f"pirdoc figure, sha256 {image.sha256}", "minorEdit": "true"},
            # "no-check" with a hyphen: Data Center refuses "nocheck" with 403.
            headers={"X-Atlassian-Token": "no-check"},
            what=f"attachment {image.filename} of page {page_id}",
        )

    def add_labels(self, page_id: str, labels: Sequence[str]) -> None:
        if not labels:
            return
        self.transport.request(
            "POST",
            f"{self.v1}/content/{page_id}/label",
            json=[{"prefix": "global", "name": label} for label in labels],
            what=f"labels of page {page_id}",
        )

    def remove_label(self, page_id: str, label: str) -> None:
        self.transport.request(
            "DELETE", f"{self.v1}/content/{page_id}/label", params={"name": label},
            what=f"label {label} of page {page_id}", allow_404=True,
        )

    def v1_attachment(self, page_id: str, filename: str) -> RemoteAttachment | None:
        response = self.transport.request(
            "GET",
            f"{self.v1}/content/{page_id}/child/attachment",
            params={"filename": filename},
            what=f"attachments of page {page_id}",
        )
        for item in json_of(response, "an attachment query").get("results", []):
            if isinstance(item, dict) and item.get("title") == filename:
                return RemoteAttachment(id=str(item["id"]), filename=filename)
        return None


class DataCenterAPI(V1Common):
    """Confluence Server and Data Center: REST v1 for everything, a personal access token."""

    edition: Edition = "datacenter"

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, "/rest/api")

    def space(self, key: str) -> Space:
        path = f"{self.v1}/space/{urllib.parse.quote(key, safe='')}"
        response = self.transport.request("GET", path, what=f"space {key}")
        body = json_of(response, f"space {key}")
        return Space(key=str(body.get("key", key)), id=str(body.get("id", "")))

    def page(self, page_id: str) -> RemotePage:
        response = self.transport.request(
            "GET",
            f"{self.v1}/content/{page_id}",
            params={"expand": "body.storage,version,ancestors"},
            what=f"page {page_id}",
        )
        return _page_of(json_of(response, f"page {page_id}"))

    def page_by_title(self, space: Space, title: str) -> RemotePage | None:
        # CQL rather than GET /rest/api/content?title=…, which large sites often block
        # (CONFSERVER-57639); CQL's title match is looser, so the exact title is checked here.
        for item in self.search(space, f'title = "{cql_text(title)}"'):
            if item.get("title") == title:
                return self.page(str(item["id"]))
        return None

    def create_page(self, space: Space, *, title: str, body: str, parent_id: str | None) -> RemotePage:
        payload: dict[str, Any] = {
            "type": "page",
            "title": title,
            "space": {"key": space.key},
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        if parent_id:
            payload["ancestors"] = [{"id": parent_id}]
        response = self.transport.request("POST", f"{self.v1}/content", json=payload, what=f"new page {title!r}")
        return _page_of(json_of(response, "a page creation"))

    def update_page(
        self, page: RemotePage, space: Space, *, title: str, body: str, version: int, message: str
    ) -> RemotePage:
        payload = {
            "id": page.id,
            "type": "page",
            "title": title,
            "space": {"key": space.key},
            "body": {"storage": {"value": body, "representation": "storage"}},
            "version": {"number": version, "message": message, "minorEdit": False},
        }
        response = self.transport.request(
            "PUT", f"{self.v1}/content/{page.id}", json=payload, what=f"page {page.id}"
        )
        return _page_of(json_of(response, "a page update"))

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        response = self.transport.request(
            "GET", f"{self.v1}/content/{page_id}/property/{key}", what=f"property {key}", allow_404=True
        )
        if response is None:
            return None
        body = json_of(response, f"property {key}")
        return RemoteProperty(
            id=str(body.get("id", "")), version=int(body.get("version", {}).get("number", 1)), value=body.get("value")
        )

    def put_property(self, page_id: str, key: str, value: Any, existing: RemoteProperty | None) -> None:
        if existing is None:
            self.transport.request(
                "POST", f"{self.v1}/content/{page_id}/property", json={"key": key, "value": value},
                what=f"property {key} of page {page_id}",
            )
        else:
            self.transport.request(
                "PUT",
                f"{self.v1}/content/{page_id}/property/{key}",
                json={"key": key, "value": value, "version": {"number": existing.version + 1, "minorEdit": True}},
                what=f"property {key} of page {page_id}",
            )

    def attachment(self, page_id: str, filename: str) -> RemoteAttachment | None:
        return self.v1_attachment(page_id, filename)

    def display_name(self, author: str) -> str:
        return author  # v1 already gives the display name with the version


def _page_of(body: dict[str, Any]) -> RemotePage:
    version = body.get("version") or {}
    author = version.get("by") or {}
    ancestors = body.get("ancestors") or []
    return RemotePage(
        id=str(body["id"]),
        title=str(body.get("title", "")),
        version=int(version.get("number", 1)),
        version_message=str(version.get("message") or ""),
        version_author=str(author.get("displayName") or author.get("username") or ""),
        body=str(((body.get("body") or {}).get("storage") or {}).get("value") or ""),
        parent_id=str(ancestors[-1]["id"]) if ancestors else None,
    )
