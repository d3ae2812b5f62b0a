"""Plan and write one page: find it by pirdoc's content property, decide (create, update, skip,
refuse), and write only what changed. Backend-neutral: everything remote goes through
`ConfluenceAPI`.
"""

from __future__ import annotations

import difflib
from typing import Literal, TypeAlias

import attrs

from pirdoc.publish._api import ConfluenceAPI, RemotePage, RemoteProperty, Space
from pirdoc.publish._content import PROPERTY_KEY, PageContent, RecordedState, change_summary, identity_label
from pirdoc.publish._errors import ConflictError, NotFoundError

__all__ = ["Action", "PublishResult", "Publisher"]

Action: TypeAlias = Literal["create", "update", "skip", "refuse"]


@attrs.frozen(kw_only=True)
class PublishResult:
    """What happened to (or, in a dry run, would happen to) one page.

    ``action`` is ``create``, ``update``, ``skip`` (nothing sent) or ``refuse`` (nothing sent,
    see ``reason``); ``version`` is the page's version afterwards (the current one when nothing
    was written); ``diff`` is the unified diff of the storage format against the live page, in
    a dry run; ``uploaded`` names the images sent."""

    identity: str
    title: str
    action: Action
    reason: str
    dry_run: bool = False
    page_id: str | None = None
    version: int | None = None
    diff: str = ""
    uploaded: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def written(self) -> bool:
        """True when something was sent to Confluence."""
        return not self.dry_run and self.action in ("create", "update")


@attrs.frozen(kw_only=True)
class _Found:
    page: RemotePage
    prop: RemoteProperty | None
    state: RecordedState | None


class Publisher:
    """Publishes pages into one space (under an optional parent) through ``api``."""

    def __init__(
        self, api: ConfluenceAPI, *, space_key: str, parent: str | None = None, dry_run: bool = False,
        force: bool = False,
    ) -> None:
        self.api = api
        self.space_key = space_key
        self.parent = parent
        self.dry_run = dry_run
        self.force = force
        self._space: Space | None = None
        self._parent_id: str | None = None

    @property
    def space(self) -> Space:
        """The target space, looked up once."""
        if self._space is None:
            self._space = self.api.space(self.space_key)
        return self._space

    @property
    def parent_id(self) -> str | None:
        """The parent page's id: ``parent`` itself when it is a number, else the page with that
        title in the space (`NotFoundError` when there is none). Looked up once."""
        if self.parent is None or self._parent_id is not None:
            return self._parent_id
        if self.parent.isdigit():
            try:
                self._parent_id = self.api.page(self.parent).id
            except NotFoundError:
                raise NotFoundError(f"parent page {self.parent} not found (404)") from None
        else:
            found = self.api.page_by_title(self.space, self.parent)
            if found is None:
                raise NotFoundError(f"parent page {self.parent!r} not found in space {self.space_key}")
            self._parent_id = found.id
        return self._parent_id

    # ------------------------------------------------------------------------ finding

    def _find(self, content: PageContent) -> _Found | None:
        """The page pirdoc wrote for ``content.identity`` (by its identity label, confirmed by the
        content property), else a page with the same title (whoever wrote it)."""
        for page_id in self.api.pages_with_label(self.space, identity_label(content.identity)):
            prop = self.api.get_property(page_id, PROPERTY_KEY)
            state = RecordedState.from_json(prop.value) if prop is not None else None
            if state is not None and state.identity == content.identity:
                return _Found(page=self.api.page(page_id), prop=prop, state=state)
        page = self.api.page_by_title(self.space, content.title)
        if page is None:
            return None
        prop = self.api.get_property(page.id, PROPERTY_KEY)
        return _Found(page=page, prop=prop, state=RecordedState.from_json(prop.value) if prop is not None else None)

    # ------------------------------------------------------------------------ publishing

    def publish(self, content: PageContent) -> PublishResult:
        """Create, update, skip or refuse the page for ``content`` (only plan it in a dry run)."""
        parent_id = self.parent_id
        found = self._find(content)
        if found is None:
            if self.dry_run:
                return self._result(content, action="create", reason=f"new page in space {self.space_key}",
                                     diff=_diff("", content.body, "(no page)", content.title),
                                     uploaded=tuple(image.filename for image in content.attachments))
            return self._create(content, parent_id)

        page, state = found.page, found.state
        if state is None or state.identity != content.identity:
            owner = "no pirdoc record" if state is None else f"pirdoc's record for {state.identity}"
            reason = (f"page {page.id} titled {page.title!r} exists with {owner}, not {content.identity}; "
                      "--force takes it over")
            if not self.force:
                return self._result(content, action="refuse", reason=reason, page_id=page.id, version=page.version)
            return self._update(content, found, note=f"took over page with {owner}")

        edited = page.version != state.version
        editor = _editor(page, self.api.display_name(page.version_author) if edited else page.version_author)
        if not edited and state.content_hash == content.content_hash:
            return self._result(content, action="skip", reason=f"unchanged since version {page.version}",
                                 page_id=page.id, version=page.version)
        if edited and not self.force:
            return self._result(
                content, action="refuse", page_id=page.id, version=page.version,
                reason=f"edited in Confluence since pirdoc wrote version {state.version}: {editor}; "
                "--force overwrites it",
            )
        note = f"overwrote {editor}" if edited else ""
        return self._update(content, found, note=note)

    def _result(
        self, content: PageContent, *, action: Action, reason: str, page_id: str | None = None,
        version: int | None = None, diff: str = "", uploaded: tuple[str, ...] = (),
    ) -> PublishResult:
        return PublishResult(
            identity=content.identity, title=content.title, action=action, reason=reason, dry_run=self.dry_run,
            page_id=page_id, version=version, diff=diff, uploaded=uploaded, labels=content.labels,
        )

    def _create(self, content: PageContent, parent_id: str | None) -> PublishResult:
        page = self.api.create_page(self.space, title=content.title, body=content.body, parent_id=parent_id)
        uploaded = []
        for image in content.attachments:
            self.api.upload(page.id, image, self.api.attachment(page.id, image.filename))
            uploaded.append(image.filename)
        self.api.add_labels(page.id, content.labels)
        self.api.put_property(page.id, PROPERTY_KEY, content.state(page.version).to_json(), None)
        return self._result(content, action="create", reason=f"created in space {self.space_key}",
                             page_id=page.id, version=page.version, uploaded=tuple(uploaded))

    def _update(self, content: PageContent, found: _Found, *, note: str) -> PublishResult:
        page, state = found.page, found.state
        message = change_summary(state if state is not None and state.identity == content.identity else None,
                                 content)
        if message == "pirdoc: created":
            message = "pirdoc: replaced the page"
        if note:
            message = f"{message} ({note})"
        if self.dry_run:
            return self._result(content, action="update", reason=message, page_id=page.id,
                                 version=page.version,
                                 diff=_diff(page.body, content.body, f"live version {page.version}", content.title),
                                 uploaded=tuple(self._changed_images(content, state, page.id, upload=False)))
        uploaded = tuple(self._changed_images(content, state, page.id, upload=True))
        try:
            written = self.api.update_page(page, self.space, title=content.title, body=content.body,
                                           version=page.version + 1, message=message)
        except ConflictError:
            raise ConflictError(
                f"{content.identity}: page {page.id} changed while publishing: Confluence has a version newer than "
                f"{page.version} (409 Conflict); nothing was overwritten, run again to see what changed"
            ) from None
        self.api.add_labels(page.id, content.labels)
        if state is not None and state.identity == content.identity:
            # pirdoc's own labels that no longer apply (status-draft once Final); people's stay
            for label in sorted(set(state.labels) - set(content.labels)):
                self.api.remove_label(page.id, label)
        self.api.put_property(page.id, PROPERTY_KEY, content.state(written.version).to_json(), found.prop)
        return self._result(content, action="update", reason=message, page_id=page.id,
                             version=written.version, uploaded=uploaded)

    def _changed_images(self, content: PageContent, state: RecordedState | None, page_id: str, *, upload: bool
                        ) -> list[str]:
        """Upload the images whose hash differs from the one recorded (or that are missing from
        the page) and name them; with ``upload`` False (a dry run) only name those whose hash
        differs, asking Confluence nothing."""
        recorded = state.attachments if state is not None else {}
        sent = []
        for image in content.attachments:
            same = recorded.get(image.filename) == image.sha256
            if not upload:
                if not same:
                    sent.append(image.filename)
                continue
            existing = self.api.attachment(page_id, image.filename)
            if same and existing is not None:
                continue
            self.api.upload(page_id, image, existing)
            sent.append(image.filename)
        return sent


def _editor(page: RemotePage, author: str) -> str:
    who = f" by {author}" if author else ""
    said = f" ({page.version_message!r})" if page.version_message else ""
    return f"version {page.version}{who}{said}"


def _diff(live: str, new: str, live_name: str, title: str) -> str:
    """A unified diff of storage format, one line per element boundary so it reads."""
    lines = difflib.unified_diff(_lines(live), _lines(new), fromfile=live_name, tofile=f"pirdoc: {title}", lineterm="")
    return "\n".join(lines)


def _lines(body: str) -> list[str]:
    return body.replace("><", ">\n<").splitlines() if body else []
