"""Publishing reviews to Confluence: ``pirdoc publish`` and `pirdoc.publish`.

A review becomes one page, found again by the ``pirdoc`` content property (incident id, content
hash, the version pirdoc last wrote) rather than by its title. Unchanged pages are not written;
pages edited by hand since pirdoc's last write are refused unless forced; figures are attached
as PNG images and re-uploaded only when they change; labels are appended.

Cloud (``*.atlassian.net``) uses REST v2 for pages and v1 where v2 has no endpoint; Server and
Data Center use v1. This package, and httpx with it, is imported only when publishing
(``pip install 'pirdoc[confluence]'``). See docs/confluence.md.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal, TypeAlias

from pirdoc.publish._content import PageContent, index_content, review_content
from pirdoc.publish._errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PublishError,
    RateLimitedError,
    ServerError,
)
from pirdoc.publish._http import Credentials, NetworkPolicy, Transport
from pirdoc.publish._publisher import Action, Publisher, PublishResult
from pirdoc.publish._v1 import DataCenterAPI

if TYPE_CHECKING:
    from pirdoc.model import Review

__all__ = [
    "INDEX_HEADINGS",
    "Action",
    "ApiVersion",
    "AuthenticationError",
    "ConflictError",
    "NetworkPolicy",
    "NotFoundError",
    "PermissionDeniedError",
    "PublishError",
    "PublishResult",
    "PublishSession",
    "RateLimitedError",
    "ServerError",
    "api_for_url",
    "open_session",
    "publish",
]

ApiVersion: TypeAlias = Literal["v1", "v2"]

INDEX_HEADINGS = ("Incident ID", "Severity", "Status", "Incident date", "Owner", "Services")
"""The page-properties rows the index page's report shows as columns."""

DEFAULT_INDEX_TITLE = "Post-incident reviews"


def api_for_url(url: str) -> ApiVersion:
    """``v2`` (Cloud) for an ``*.atlassian.net`` site, else ``v1`` (Server/Data Center)."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return "v2" if host == "atlassian.net" or host.endswith(".atlassian.net") else "v1"


def _base_url(url: str, api: ApiVersion) -> str:
    """The site root requests are made under; refuses URLs that hold credentials (without
    repeating them)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError("--url must be an http:// or https:// address of a Confluence site")
    if parts.username is not None or parts.password is not None:
        raise PublishError("--url must not contain a user name or password; use CONFLUENCE_USER and CONFLUENCE_TOKEN")
    if parts.query or parts.fragment:
        raise PublishError("--url must not contain a query or fragment")
    path = parts.path.rstrip("/")
    if api == "v2" and path.endswith("/wiki"):  # Cloud's API lives under /wiki; we add it ourselves
        path = path[: -len("/wiki")]
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class PublishSession:
    """One connection to one space: publish any number of reviews, then the index page."""

    def __init__(self, publisher: Publisher, transport: Transport, api: ApiVersion) -> None:
        self.publisher = publisher
        self.transport = transport
        self.api = api

    def publish_review(self, review: Review, *, profile: str = "full") -> PublishResult:
        """Lay out, render and publish one `pirdoc.Review`."""
        from pirdoc.api import render_document
        from pirdoc.layout import layout
        from pirdoc.model import Review

        if not isinstance(review, Review):
            raise TypeError(f"publish needs a pirdoc.Review, not {type(review).__name__}")
        document = layout(review, profile)
        body = render_document(document, "confluence", edition=self.publisher.api.edition, figures="attachments")
        return self.publisher.publish(review_content(document, body))

    def publish_content(self, content: PageContent) -> PublishResult:
        """Publish prepared page content."""
        return self.publisher.publish(content)

    def publish_index(self, title: str = DEFAULT_INDEX_TITLE) -> PublishResult:
        """Create or update the index page under the parent (or at the top of the space): a Page
        Properties Report of every review page there."""
        content = index_content(
            title, space_key=self.publisher.space_key, parent_id=self.publisher.parent_id, headings=INDEX_HEADINGS
        )
        return self.publisher.publish(content)


@contextmanager
def open_session(
    *,
    url: str | None = None,
    space: str,
    parent: str | None = None,
    api: ApiVersion | None = None,
    dry_run: bool = False,
    force: bool = False,
    user: str | None = None,
    token: str | None = None,
    policy: NetworkPolicy | None = None,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[PublishSession]:
    """A `PublishSession` for ``space`` on the site at ``url``.

    ``url``, ``user`` and ``token`` default to ``CONFLUENCE_URL``, ``CONFLUENCE_USER`` (Cloud:
    the account's e-mail address; unset for a Data Center personal access token) and
    ``CONFLUENCE_TOKEN``. ``api`` overrides the backend chosen from the URL."""
    env = os.environ if environ is None else environ
    url = url or env.get("CONFLUENCE_URL")
    if not url:
        raise PublishError("no Confluence site: pass --url or set CONFLUENCE_URL")
    token = token if token is not None else env.get("CONFLUENCE_TOKEN")
    if not token:
        raise PublishError("no credentials: set CONFLUENCE_TOKEN (and CONFLUENCE_USER for Confluence Cloud)")
    user = user if user is not None else env.get("CONFLUENCE_USER") or None
    if not space.strip():
        raise PublishError("--space must name a space key, e.g. OPS")
    version: ApiVersion = api or api_for_url(url)
    if version not in ("v1", "v2"):
        raise PublishError(f"--api must be v1 or v2, not {version!r}")
    credentials = Credentials(token=token, user=user)
    transport = Transport(
        _base_url(url, version), credentials, policy=policy, sleep=sleep if sleep is not None else time.sleep
    )
    with transport:
        if version == "v2":
            from pirdoc.publish._cloud import CloudAPI

            backend: CloudAPI | DataCenterAPI = CloudAPI(transport)
        else:
            backend = DataCenterAPI(transport)
        publisher = Publisher(backend, space_key=space.strip(), parent=parent, dry_run=dry_run, force=force)
        yield PublishSession(publisher, transport, version)


def publish(
    review: Review,
    *,
    url: str | None = None,
    space: str,
    parent: str | None = None,
    api: ApiVersion | None = None,
    dry_run: bool = False,
    force: bool = False,
    profile: str = "full",
    user: str | None = None,
    token: str | None = None,
    policy: NetworkPolicy | None = None,
) -> PublishResult:
    """Publish ``review`` (a `pirdoc.Review`) as a page in ``space`` on the Confluence site at
    ``url`` and return what was done.

    The page is created, updated (version + 1, with a message saying what changed), skipped
    when nothing changed, or refused when it was edited by hand since pirdoc last wrote it
    (``force=True`` overwrites). ``dry_run`` plans and diffs without writing. ``parent`` is a
    page id or title. Credentials default to ``CONFLUENCE_USER``/``CONFLUENCE_TOKEN``.
    Raises `PublishError` subclasses (`AuthenticationError`, `PermissionDeniedError`,
    `NotFoundError`, `ConflictError`, …) whose messages never contain a credential."""
    with open_session(url=url, space=space, parent=parent, api=api, dry_run=dry_run, force=force, user=user,
                      token=token, policy=policy) as session:
        return session.publish_review(review, profile=profile)
