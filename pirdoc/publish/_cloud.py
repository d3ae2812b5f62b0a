"""Confluence Cloud: REST v2 for spaces, pages, content properties and attachment lookup; v1
(`V1Common`) where v2 has no endpoint: uploading attachments, adding labels, CQL search.

Documented shapes: https://developer.atlassian.com/cloud/confluence/rest/v2/ (page, space,
content properties, attachment groups). v2 returns ids as strings and wants the space id.
"""

from __future__ import annotations

from typing import Any

from pirdoc.publish._api import RemoteAttachment, RemotePage, RemoteProperty, Space
from pirdoc.publish._errors import NotFoundError, PublishError
from pirdoc.publish._http import Transport
from pirdoc.publish._v1 import V1Common, json_of
from pirdoc.renderers._confluence_names import Edition

__all__ = ["CloudAPI"]


class CloudAPI(V1Common):
    """Confluence Cloud under ``/wiki``: e-mail address and API token."""

    edition: Edition = "cloud"

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport, "/wiki/rest/api")
        self.v2 = "/wiki/api/v2"

    def space(self, key: str) -> Space:
        response = self.transport.request("GET", f"{self.v2}/spaces", params={"keys": key}, what=f"space {key}")
        results = json_of(response, f"space {key}").get("results", [])
        if not results:
            raise NotFoundError(f"space {key} not found (or not visible to this account)")
        return Space(key=str(results[0].get("key", key)), id=str(results[0]["id"]))

    def page(self, page_id: str) -> RemotePage:
        response = self.transport.request(
            "GET", f"{self.v2}/pages/{page_id}", params={"body-format": "storage"}, what=f"page {page_id}"
        )
        return _page_of(json_of(response, f"page {page_id}"))

    def page_by_title(self, space: Space, title: str) -> RemotePage | None:
        response = self.transport.request(
            "GET",
            f"{self.v2}/pages",
            params={"space-id": space.id, "title": title, "status": "current"},
            what=f"page titled {title!r}",
        )
        results = json_of(response, "a title query").get("results", [])
        return self.page(str(results[0]["id"])) if results else None

    def create_page(self, space: Space, *, title: str, body: str, parent_id: str | None) -> RemotePage:
        payload: dict[str, Any] = {
            "spaceId": space.id,
            "status": "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
        }
        if parent_id:
            payload["parentId"] = parent_id
        response = self.transport.request("POST", f"{self.v2}/pages", json=payload, what=f"new page {title!r}")
        return _page_of(json_of(response, "a page creation"))

    def update_page(
        self, page: RemotePage, space: Space, *, title: str, body: str, version: int, message: str
    ) -> RemotePage:
        payload = {
            "id": page.id,
            "status": "current",
            "title": title,
            "body": {"representation": "storage", "value": body},
            "version": {"number": version, "message": message},
        }
        response = self.transport.request("PUT", f"{self.v2}/pages/{page.id}", json=payload, what=f"page {page.id}")
        return _page_of(json_of(response, "a page update"))

    def get_property(self, page_id: str, key: str) -> RemoteProperty | None:
        response = self.transport.request(
            "GET", f"{self.v2}/pages/{page_id}/properties", params={"key": key}, what=f"properties of page {page_id}"
        )
        for item in json_of(response, "a property query").get("results", []):
            if isinstance(item, dict) and item.get("key") == key:
                version = item.get("version") or {}
                number = int(version.get("number", 1))
                return RemoteProperty(id=str(item["id"]), version=number, value=item.get("value"))
        return None

    def put_property(self, page_id: str, key: str, value: Any, existing: RemoteProperty | None) -> None:
        if existing is None:
            self.transport.request(
                "POST", f"{self.v2}/pages/{page_id}/properties", json={"key": key, "value": value},
                what=f"property {key} of page {page_id}",
            )
        else:
            self.transport.request(
                "PUT",
                f"{self.v2}/pages/{page_id}/properties/{existing.id}",
                json={"key": key, "value": value, "version": {"number": existing.version + 1, "message": "pirdoc"}},
                what=f"property {key} of page {page_id}",
            )

    def attachment(self, page_id: str, filename: str) -> RemoteAttachment | None:
        response = self.transport.request(
            "GET", f"{self.v2}/pages/{page_id}/attachments", params={"filename": filename},
            what=f"attachments of page {page_id}",
        )
        for item in json_of(response, "an attachment query").get("results", []):
            if isinstance(item, dict) and item.get("title") == filename:
                return RemoteAttachment(id=str(item["id"]), filename=filename)
        return None


    def display_name(self, author: str) -> str:
        if not author:
            return author
        try:
            response = self.transport.request(
                "GET", f"{self.v1}/user", params={"accountId": author}, what=f"user {author}", allow_404=True
            )
        except PublishError:  # a name is a nicety: no permission to browse users is not a failure
            return author
        body = response.json if response is not None else None
        name = body.get("displayName") if isinstance(body, dict) else None
        return f"{name} ({author})" if isinstance(name, str) and name.strip() else author


def _page_of(body: dict[str, Any]) -> RemotePage:
    version = body.get("version") or {}
    return RemotePage(
        id=str(body["id"]),
        title=str(body.get("title", "")),
        version=int(version.get("number", 1)),
        version_message=str(version.get("message") or ""),
        version_author=str(version.get("authorId") or ""),
        body=str(((body.get("body") or {}).get("storage") or {}).get("value") or ""),
        parent_id=str(body["parentId"]) if body.get("parentId") else None,
    )
