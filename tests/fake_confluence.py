"""A small fake Confluence for the publishing tests: a real HTTP server on 127.0.0.1 that
follows the documented request and response shapes of REST v2 (Cloud, under ``/wiki/api/v2``),
v1 on Cloud (``/wiki/rest/api``) and v1 on Data Center (``/rest/api``).

It keeps pages, versions, content properties, attachments and labels in memory, checks every
request body against the documented shape (unknown or missing keys → 400, as a strict client
would want to learn), parses page bodies with a strict XML parser (→ 400 "Error parsing xhtml"
like Confluence), answers 409 to a stale version, and lets a test script faults (429, 503, 500,
401, 403) and hand edits. Every request is recorded.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import re
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import attrs

Mode = Literal["cloud", "datacenter"]

AC = "http://atlassian.com/content"
RI = "http://atlassian.com/resource/identifier"


@attrs.define
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@attrs.define
class Fault:
    """Answer the next ``times`` requests matching ``method`` and ``path`` (a regex) with ``status``."""

    method: str
    path: str
    status: int
    headers: dict[str, str] = attrs.field(factory=dict)
    body: Any = None
    times: int = 1
    delay: float = 0.0
    """Seconds to wait before answering (a slow server)."""


@attrs.define
class Attachment:
    id: str
    title: str
    versions: list[bytes]
    media_type: str
    comment: str = ""


@attrs.define
class Page:
    id: str
    title: str
    space_key: str
    parent_id: str | None
    body: str
    version: int = 1
    message: str = ""
    author: str = "pirdoc-bot"
    labels: list[str] = attrs.field(factory=list)
    properties: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    attachments: dict[str, Attachment] = attrs.field(factory=dict)


class _BadRequestError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class FakeConfluence:
    """State and behaviour; `serve` runs it on 127.0.0.1."""

    def __init__(self, mode: Mode, *, user: str | None, token: str, spaces: dict[str, str] | None = None) -> None:
        self.mode = mode
        self.user = user
        self.token = token
        self.spaces = spaces or {"OPS": "98304"}
        self.pages: dict[str, Page] = {}
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.forbidden: list[tuple[str, str]] = []
        self.people: dict[str, str] = {"557058:jane": "Jane Editor"}
        """Cloud account ids and display names (v1 ``/user?accountId=``)."""
        self.before: list[tuple[str, str, Callable[[], None]]] = []
        """(method, path regex, action): the action runs once, just before the first matching
        request is handled (someone saving the page in between, say)."""
        self._ids = itertools.count(10001)
        self._lock = threading.Lock()
        self.url = ""

    # ------------------------------------------------------------------ test helpers

    def add_page(self, title: str, body: str = "<p>hand-written</p>", *, parent_id: str | None = None,
                 author: str = "Jane Editor") -> Page:
        page = Page(id=str(next(self._ids)), title=title, space_key="OPS", parent_id=parent_id, body=body,
                    author=author)
        self.pages[page.id] = page
        return page

    def edit_by_hand(self, page_id: str, body: str, *, author: str = "Jane Editor", message: str = "fixed a typo"
                     ) -> None:
        page = self.pages[page_id]
        page.body, page.version, page.author, page.message = body, page.version + 1, author, message

    def writes(self) -> list[Recorded]:
        """Requests that would change something (anything but GET)."""
        return [r for r in self.requests if r.method != "GET"]

    def page_titled(self, title: str) -> Page:
        return next(p for p in self.pages.values() if p.title == title)

    # ------------------------------------------------------------------ dispatch

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urllib.parse.urlsplit(raw_path)
        path = parts.path
        query = dict(urllib.parse.parse_qsl(parts.query))
        with self._lock:
            self.requests.append(Recorded(method, path, query, headers, body))
            for fault in self.faults:
                if fault.times > 0 and fault.method == method and re.fullmatch(fault.path, path):
                    fault.times -= 1
                    delay = fault.delay
                    answer = fault.status, fault.headers, json.dumps(fault.body or {"message": "fault"}).encode()
                    break
            else:
                delay, answer = 0.0, None
        if answer is not None:
            time.sleep(delay)  # outside the lock: other requests go on
            return answer
        with self._lock:
            for hook in list(self.before):
                if hook[0] == method and re.fullmatch(hook[1], path):
                    self.before.remove(hook)
                    hook[2]()
            if headers.get("authorization") != self._expected_auth():
                # Echo what was received, as some proxies do: the client must not repeat it.
                echoed = {"message": f"Unauthorized: got {headers.get('authorization')}"}
                return 401, {}, json.dumps(echoed).encode()
            for denied_method, pattern in self.forbidden:
                if denied_method == method and re.fullmatch(pattern, path):
                    return 403, {}, json.dumps({"message": "You do not have permission"}).encode()
            try:
                status, payload = self._route(method, path, query, headers, body)
            except _BadRequestError as bad:
                if self.mode == "cloud" and path.startswith("/wiki/api/v2"):
                    payload = {"errors": [{"status": bad.status, "title": bad.message}]}
                else:
                    payload = {"statusCode": bad.status, "message": bad.message}
                return bad.status, {}, json.dumps(payload).encode()
        if status == 204:
            return status, {}, b""
        return status, {"Content-Type": "application/json"}, json.dumps(payload).encode()

    def _expected_auth(self) -> str:
        import base64

        if self.user:
            return "Basic " + base64.b64encode(f"{self.user}:{self.token}".encode()).decode()
        return f"Bearer {self.token}"

    def _route(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
               ) -> tuple[int, Any]:
        if self.mode == "cloud":
            if path.startswith("/wiki/api/v2/"):
                return self._v2(method, path[len("/wiki/api/v2"):], query, body)
            if path.startswith("/wiki/rest/api/"):
                return self._v1(method, path[len("/wiki/rest/api"):], query, headers, body, pages_allowed=False)
        elif path.startswith("/rest/api/"):
            return self._v1(method, path[len("/rest/api"):], query, headers, body, pages_allowed=True)
        raise _BadRequestError(404, f"no such endpoint: {path}")

    # ------------------------------------------------------------------ shapes

    @staticmethod
    def _json(body: bytes) -> Any:
        try:
            return json.loads(body)
        except ValueError:
            raise _BadRequestError(400, "body is not JSON") from None

    @staticmethod
    def _keys(
        obj: Any, required: set[str], optional: frozenset[str] | set[str] = frozenset(), what: str = "body"
    ) -> dict[str, Any]:
        if not isinstance(obj, dict):
            raise _BadRequestError(400, f"{what} must be an object")
        missing, unknown = required - obj.keys(), obj.keys() - required - optional
        if missing or unknown:
            raise _BadRequestError(400, f"{what}: missing {sorted(missing)}, unknown {sorted(unknown)}")
        return obj

    @staticmethod
    def _storage(value: Any) -> str:
        if not isinstance(value, str):
            raise _BadRequestError(400, "storage value must be a string")
        try:
            ET.fromstring(f'<root xmlns:ac="{AC}" xmlns:ri="{RI}">{value}</root>')
        except ET.ParseError as exc:
            raise _BadRequestError(400, f"Error parsing xhtml: {exc}") from None
        return value

    def _page(self, page_id: str) -> Page:
        page = self.pages.get(page_id)
        if page is None:
            raise _BadRequestError(404, f"No content found with id: {page_id}")
        return page

    def _title_taken(self, space_key: str, title: str, but: str | None = None) -> None:
        if any(p.title == title and p.space_key == space_key and p.id != but for p in self.pages.values()):
            raise _BadRequestError(400, "A page with this title already exists")

    def _space_key_of(self, space_id: str) -> str:
        for key, sid in self.spaces.items():
            if sid == space_id:
                return key
        raise _BadRequestError(404, f"no space {space_id}")

    # ------------------------------------------------------------------ v2 (Cloud)

    def _v2_page(self, page: Page, with_body: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": page.id, "status": "current", "title": page.title, "spaceId": self.spaces[page.space_key],
            "parentId": page.parent_id, "authorId": "557058:author",
            "version": {"number": page.version, "message": page.message, "authorId": page.author,
                        "createdAt": "2026-03-20T10:00:00.000Z", "minorEdit": False},
        }
        if with_body:
            out["body"] = {"storage": {"representation": "storage", "value": page.body}}
        return out

    def _v2(self, method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, Any]:
        if method == "GET" and path == "/spaces":
            keys = query.get("keys", "").split(",")
            return 200, {"results": [{"id": self.spaces[k], "key": k, "name": k} for k in keys if k in self.spaces],
                         "_links": {}}
        if method == "GET" and path == "/pages":
            key = self._space_key_of(query["space-id"])
            titled = [p for p in self.pages.values() if p.space_key == key and p.title == query.get("title")]
            return 200, {"results": [self._v2_page(p, False) for p in titled], "_links": {}}
        if method == "POST" and path == "/pages":
            data = self._keys(self._json(body), {"spaceId", "status", "title", "body"}, {"parentId"})
            self._keys(data["body"], {"representation", "value"}, what="body.body")
            if data["body"]["representation"] != "storage" or data["status"] != "current":
                raise _BadRequestError(400, "representation must be storage and status current")
            if not isinstance(data["spaceId"], str):
                raise _BadRequestError(400, "spaceId must be a string")
            key = self._space_key_of(data["spaceId"])
            self._title_taken(key, data["title"])
            if data.get("parentId") is not None:
                self._page(data["parentId"])
            page = Page(id=str(next(self._ids)), title=data["title"], space_key=key, parent_id=data.get("parentId"),
                        body=self._storage(data["body"]["value"]), message="", author="557058:pirdoc")
            self.pages[page.id] = page
            return 200, self._v2_page(page, True)
        match = re.fullmatch(r"/pages/(\d+)(/.*)?", path)
        if not match:
            raise _BadRequestError(404, f"no such v2 endpoint {path}")
        page = self._page(match.group(1))
        rest = match.group(2) or ""
        if rest == "" and method == "GET":
            return 200, self._v2_page(page, query.get("body-format") == "storage")
        if rest == "" and method == "PUT":
            data = self._keys(self._json(body), {"id", "status", "title", "body", "version"}, {"parentId"})
            self._keys(data["body"], {"representation", "value"}, what="body.body")
            version = self._keys(data["version"], {"number"}, {"message"}, what="version")
            if data["id"] != page.id:
                raise _BadRequestError(400, "id does not match")
            self._version_check(page, version["number"])
            self._title_taken(page.space_key, data["title"], but=page.id)
            page.body = self._storage(data["body"]["value"])
            page.title, page.version = data["title"], version["number"]
            page.message, page.author = version.get("message", ""), "557058:pirdoc"
            return 200, self._v2_page(page, True)
        if rest == "/properties" and method == "GET":
            props = [p for k, p in page.properties.items() if "key" not in query or k == query["key"]]
            return 200, {"results": props, "_links": {}}
        if rest == "/properties" and method == "POST":
            data = self._keys(self._json(body), {"key", "value"})
            return 200, self._new_property(page, data["key"], data["value"])
        prop_match = re.fullmatch(r"/properties/(\w+)", rest)
        if prop_match and method == "PUT":
            data = self._keys(self._json(body), {"key", "value", "version"})
            self._keys(data["version"], {"number"}, {"message"}, what="version")
            prop = next((p for p in page.properties.values() if p["id"] == prop_match.group(1)), None)
            if prop is None:
                raise _BadRequestError(404, "no such property")
            return 200, self._update_property(prop, data)
        if rest == "/attachments" and method == "GET":
            found = [a for a in page.attachments.values() if query.get("filename") in (None, a.title)]
            return 200, {"results": [{"id": a.id, "title": a.title, "mediaType": a.media_type,
                                      "fileSize": len(a.versions[-1]), "comment": a.comment,
                                      "version": {"number": len(a.versions)}} for a in found], "_links": {}}
        raise _BadRequestError(404, f"no such v2 endpoint {method} {path}")

    def _version_check(self, page: Page, number: Any) -> None:
        if not isinstance(number, int):
            raise _BadRequestError(400, "version.number must be a number")
        if number != page.version + 1:
            raise _BadRequestError(409, f"Version must be incremented on update. Current version is: {page.version}")

    def _new_property(self, page: Page, key: str, value: Any) -> dict[str, Any]:
        if key in page.properties:
            raise _BadRequestError(409, f"property {key} exists")
        prop = {"id": str(next(self._ids)), "key": key, "value": value, "version": {"number": 1}}
        page.properties[key] = prop
        return prop

    @staticmethod
    def _update_property(prop: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        if data["version"]["number"] != prop["version"]["number"] + 1:
            raise _BadRequestError(409, "property version must be incremented")
        prop["value"], prop["version"] = data["value"], {"number": data["version"]["number"]}
        return prop

    # ------------------------------------------------------------------ v1 (Data Center, and Cloud's v1 parts)

    def _v1_page(self, page: Page, expand: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": page.id, "type": "page", "status": "current", "title": page.title,
                               "space": {"key": page.space_key}}
        if "version" in expand:
            out["version"] = {"number": page.version, "message": page.message,
                              "by": {"type": "known", "username": page.author.lower().replace(" ", "."),
                                     "displayName": page.author}}
        if "body.storage" in expand:
            out["body"] = {"storage": {"value": page.body, "representation": "storage"}}
        if "ancestors" in expand:
            out["ancestors"] = [{"id": page.parent_id, "type": "page"}] if page.parent_id else []
        return out

    def _v1(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes, *,
            pages_allowed: bool) -> tuple[int, Any]:
        if method == "GET" and path == "/user" and not pages_allowed:
            account = query.get("accountId", "")
            if account not in self.people:
                raise _BadRequestError(404, f"no user {account}")
            return 200, {"accountId": account, "accountType": "atlassian", "displayName": self.people[account]}
        if method == "GET" and path == "/content/search":
            cql = query.get("cql", "")
            label = re.search(r'label = "([^"]+)"', cql)
            title = re.search(r'title = "((?:[^"\\]|\\.)*)"', cql)
            space = re.search(r'space = "([^"]+)"', cql)
            if not space or not (label or title):
                raise _BadRequestError(400, f"the fake only answers label or title searches in a space: {cql}")
            wanted = re.sub(r"\\(.)", r"\1", title.group(1)).lower() if title else None
            found = [p for p in self.pages.values() if p.space_key == space.group(1)
                     and (label is None or label.group(1) in p.labels)
                     and (wanted is None or p.title.lower() == wanted)]
            return 200, {"results": [self._v1_page(p, "") for p in found], "size": len(found)}
        match = re.fullmatch(r"/content/(\d+)/(label|child/attachment(?:/(\w+)/data)?)", path)
        if match and method == "DELETE" and match.group(2) == "label":
            page = self._page(match.group(1))
            if query.get("name") not in page.labels:
                raise _BadRequestError(404, "no such label")
            page.labels.remove(query["name"])
            return 204, None
        if match and method == "POST":
            page = self._page(match.group(1))
            if match.group(2) == "label":
                labels = self._json(body)
                if not isinstance(labels, list):
                    raise _BadRequestError(400, "labels must be a list")
                for label in labels:
                    self._keys(label, {"prefix", "name"}, what="label")
                    if label["prefix"] != "global" or not re.fullmatch(r"[a-z0-9_\-]+", label["name"]):
                        raise _BadRequestError(400, f"bad label {label['name']!r}")
                    if label["name"] not in page.labels:
                        page.labels.append(label["name"])
                names = [{"prefix": "global", "name": n} for n in page.labels]
                return 200, {"results": names, "size": len(names)}
            return self._upload(page, match.group(3), headers, body)
        if match and method == "GET" and match.group(2) == "child/attachment":
            page = self._page(match.group(1))
            attached = [a for a in page.attachments.values() if query.get("filename") in (None, a.title)]
            return 200, {"results": [{"id": a.id, "type": "attachment", "title": a.title} for a in attached],
                         "size": len(attached)}
        if not pages_allowed:
            raise _BadRequestError(404, f"not a Cloud v1 endpoint pirdoc should use: {method} {path}")
        return self._v1_pages(method, path, query, body)

    def _upload(self, page: Page, attachment_id: str | None, headers: dict[str, str], body: bytes
                ) -> tuple[int, Any]:
        if headers.get("x-atlassian-token") != "no-check":
            raise _BadRequestError(403, "XSRF check failed")
        content_type = headers.get("content-type", "")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        if not message.is_multipart():
            raise _BadRequestError(400, "expected multipart/form-data")
        parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        file_part = parts.get("file")
        if file_part is None:
            raise _BadRequestError(400, "no file part")
        filename = file_part.get_filename() or ""
        data = file_part.get_payload(decode=True)
        if not filename or not isinstance(data, bytes):
            raise _BadRequestError(400, "the file part needs a file name and content")
        comment = parts["comment"].get_content() if "comment" in parts else ""
        if attachment_id is None:
            if filename in page.attachments:
                raise _BadRequestError(400, f"Cannot add a new attachment with the name of an existing one: {filename}")
            attachment = Attachment(id=f"att{next(self._ids)}", title=filename, versions=[data],
                                    media_type=file_part.get_content_type(), comment=comment)
            page.attachments[filename] = attachment
            return 200, {"results": [{"id": attachment.id, "type": "attachment", "title": filename}], "size": 1}
        existing = next((a for a in page.attachments.values() if a.id == attachment_id), None)
        if existing is None:
            raise _BadRequestError(404, "no such attachment")
        existing.versions.append(data)
        existing.comment = comment
        return 200, {"id": existing.id, "type": "attachment", "title": existing.title}

    def _v1_pages(self, method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, Any]:
        space_match = re.fullmatch(r"/space/(\w+)", path)
        if space_match and method == "GET":
            key = space_match.group(1)
            if key not in self.spaces:
                raise _BadRequestError(404, f"No space with key : {key}")
            return 200, {"id": int(self.spaces[key]), "key": key, "name": key, "type": "global"}
        if path == "/content" and method == "GET":  # as on sites that block it (CONFSERVER-57639)
            raise _BadRequestError(403, "GET /rest/api/content is disabled on this site")
        if path == "/content" and method == "POST":
            data = self._keys(self._json(body), {"type", "title", "space", "body"}, {"ancestors"})
            self._keys(data["space"], {"key"}, what="space")
            storage = self._keys(self._keys(data["body"], {"storage"}, what="body.body")["storage"],
                                 {"value", "representation"}, what="body.storage")
            if data["type"] != "page" or storage["representation"] != "storage":
                raise _BadRequestError(400, "type must be page and representation storage")
            key = data["space"]["key"]
            if key not in self.spaces:
                raise _BadRequestError(404, f"No space with key : {key}")
            self._title_taken(key, data["title"])
            parent = data.get("ancestors", [{}])[-1].get("id") if data.get("ancestors") else None
            if parent is not None:
                self._page(parent)
            page = Page(id=str(next(self._ids)), title=data["title"], space_key=key, parent_id=parent,
                        body=self._storage(storage["value"]), author="pirdoc bot")
            self.pages[page.id] = page
            return 200, self._v1_page(page, "version,body.storage,ancestors")
        content_match = re.fullmatch(r"/content/(\d+)(/property(?:/([\w.\-]+))?)?", path)
        if not content_match:
            raise _BadRequestError(404, f"no such v1 endpoint {method} {path}")
        page = self._page(content_match.group(1))
        if content_match.group(2) is None:
            if method == "GET":
                return 200, self._v1_page(page, query.get("expand", ""))
            if method == "PUT":
                data = self._keys(self._json(body), {"id", "type", "title", "space", "body", "version"}, {"ancestors"})
                version = self._keys(data["version"], {"number"}, {"message", "minorEdit"}, what="version")
                storage = self._keys(data["body"]["storage"], {"value", "representation"}, what="body.storage")
                self._version_check(page, version["number"])
                self._title_taken(page.space_key, data["title"], but=page.id)
                page.body = self._storage(storage["value"])
                page.title, page.version = data["title"], version["number"]
                page.message, page.author = version.get("message", ""), "pirdoc bot"
                return 200, self._v1_page(page, "version,body.storage")
        key = content_match.group(3)
        if key is None and method == "POST":
            data = self._keys(self._json(body), {"key", "value"})
            return 200, self._new_property(page, data["key"], data["value"])
        if key is not None and method == "GET":
            if key not in page.properties:
                raise _BadRequestError(404, f"Cannot find content property with key: {key}")
            return 200, page.properties[key]
        if key is not None and method == "PUT":
            data = self._keys(self._json(body), {"key", "value", "version"})
            self._keys(data["version"], {"number"}, {"minorEdit"}, what="version")
            if key not in page.properties:
                raise _BadRequestError(404, "no such property")
            return 200, self._update_property(page.properties[key], data)
        raise _BadRequestError(404, f"no such v1 endpoint {method} {path}")


@contextmanager
def serve(confluence: FakeConfluence) -> Iterator[FakeConfluence]:
    """Run ``confluence`` on 127.0.0.1 (a free port) for the ``with`` block; ``confluence.url``
    is then its address."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = confluence.handle(self.command, self.path, headers, body)
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **extra}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815  (http.server's names)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    confluence.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield confluence
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
