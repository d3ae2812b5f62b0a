"""What pirdoc puts on a Confluence page for one review: title, storage-format body, figures as
images, labels, and the identity it records in a content property. No network here.

The content hash covers everything pirdoc writes (title, body, labels, images), so an unchanged
hash means there is nothing to send. Section digests let a version message say what changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from pirdoc import document as d
from pirdoc.publish._images import FigureImage, figure_images

__all__ = [
    "INDEX_IDENTITY",
    "PROPERTY_KEY",
    "REVIEW_LABEL",
    "PageContent",
    "RecordedState",
    "change_summary",
    "identity_label",
    "index_content",
    "label_name",
    "review_content",
]

PROPERTY_KEY: Final = "pirdoc"
"""The content property pirdoc keeps on each page it writes (see `RecordedState`)."""

REVIEW_LABEL: Final = "post-incident-review"
"""The label on every review page; the index page's report lists the pages that carry it."""

INDEX_IDENTITY: Final = "index"
"""The identity recorded on the index page instead of an incident id."""

_LABEL_UNSAFE: Final = re.compile(r"[^a-z0-9_\-]+")
_MAX_LABEL: Final = 255
_MAX_MESSAGE: Final = 250


def label_name(text: str) -> str:
    """``text`` as a Confluence label: lower case, no spaces or punctuation Confluence refuses
    (``SEV-1`` → ``sev-1``, ``Checkout API`` → ``checkout-api``)."""
    return _LABEL_UNSAFE.sub("-", text.strip().lower()).strip("-")[:_MAX_LABEL]


def identity_label(identity: str) -> str:
    """The label that finds a page again by the identity pirdoc recorded on it, even after its
    title changed (``INC-2026-0142`` → ``pirdoc-inc-2026-0142``)."""
    return label_name(f"pirdoc-{identity}")


@attrs.frozen(kw_only=True)
class RecordedState:
    """What the ``pirdoc`` content property holds: whose page this is (``identity``: the incident
    id, or ``index``), the hash of what pirdoc last wrote, the page version that write produced,
    the images' hashes by file name, one digest per section (for version messages) and the
    labels it added."""

    identity: str
    content_hash: str
    version: int
    attachments: Mapping[str, str] = attrs.field(factory=dict)
    sections: Mapping[str, str] = attrs.field(factory=dict)
    meta: Mapping[str, str] = attrs.field(factory=dict)
    labels: tuple[str, ...] = ()
    """The labels pirdoc added, so that it can take back those that no longer apply."""

    def to_json(self) -> dict[str, Any]:
        """The property value sent to Confluence."""
        return {
            "identity": self.identity,
            "content_hash": self.content_hash,
            "version": self.version,
            "attachments": dict(self.attachments),
            "sections": dict(self.sections),
            "meta": dict(self.meta),
            "labels": list(self.labels),
            "generator": "pirdoc",
        }

    @classmethod
    def from_json(cls, value: object) -> RecordedState | None:
        """The state in a property value, or None when it is not one pirdoc wrote."""
        if not isinstance(value, dict):
            return None
        identity, content_hash, version = value.get("identity"), value.get("content_hash"), value.get("version")
        if not isinstance(identity, str) or not isinstance(content_hash, str) or not isinstance(version, int):
            return None
        return cls(
            identity=identity,
            content_hash=content_hash,
            version=version,
            attachments=_str_map(value.get("attachments")),
            sections=_str_map(value.get("sections")),
            meta=_str_map(value.get("meta")),
            labels=tuple(str(label) for label in value.get("labels", ()) if isinstance(label, str)),
        )


def _str_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


@attrs.frozen(kw_only=True)
class PageContent:
    """Everything pirdoc writes to one page."""

    identity: str
    title: str
    body: str
    labels: tuple[str, ...]
    attachments: tuple[FigureImage, ...]
    sections: Mapping[str, str]
    meta: Mapping[str, str]

    @property
    def content_hash(self) -> str:
        """SHA-256 over title, body, labels and images: equal hashes mean equal pages."""
        canonical = json.dumps(
            {
                "title": self.title,
                "body": self.body,
                "labels": sorted(self.labels),
                "attachments": {image.filename: image.sha256 for image in self.attachments},
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def state(self, version: int) -> RecordedState:
        """The property value to record after writing this content as page ``version``."""
        return RecordedState(
            identity=self.identity,
            content_hash=self.content_hash,
            version=version,
            attachments={image.filename: image.sha256 for image in self.attachments},
            sections=dict(self.sections),
            meta=dict(self.meta),
            labels=self.labels,
        )


def review_title(meta: d.DocumentMeta) -> str:
    """The page title: ``INC-2026-0142: Checkout failures after …``."""
    return f"{meta.incident_id}: {meta.title}"


def review_content(document: d.Document, body: bytes, *, with_images: bool = True) -> PageContent:
    """The page for a laid-out review whose storage-format ``body`` was rendered with
    ``figures="attachments"`` (or ``"tables"``, with ``with_images`` False)."""
    meta = document.meta
    labels = [REVIEW_LABEL, identity_label(meta.incident_id), label_name(f"severity-{meta.severity}"),
              label_name(f"status-{meta.status}")]
    labels += [label_name(f"service-{service}") for service in meta.services if label_name(service)]
    return PageContent(
        identity=meta.incident_id,
        title=review_title(meta),
        body=body.decode("utf-8"),
        labels=tuple(dict.fromkeys(label for label in labels if label)),
        attachments=tuple(figure_images(document)) if with_images else (),
        sections=_section_digests(document),
        meta={"severity": meta.severity, "status": meta.status, "title": meta.title},
    )


def index_content(title: str, *, space_key: str, parent_id: str | None, headings: Sequence[str]) -> PageContent:
    """The index page: a Page Properties Report listing every review page (label
    `REVIEW_LABEL`) anywhere below ``parent_id`` (also in sub-pages people sort them into), or
    in the space when there is no parent."""
    from pirdoc.renderers._confluence_tree import DETAILS_ID
    from pirdoc.renderers._confluence_xml import child, macro, new_fragment, serialise

    scope = f"ancestor = {parent_id}" if parent_id else f'space = "{_cql_text(space_key)}"'
    root = new_fragment()
    intro = child(root, "p", text="Every post-incident review published by pirdoc here, newest first. ")
    intro.tail = "\n"
    report = macro(
        root,
        "detailssummary",
        [
            ("cql", f'label = "{REVIEW_LABEL}" and type = page and {scope}'),
            ("headings", ", ".join(headings)),
            ("sortBy", "Incident date"),
            ("reverseSort", "true"),
            ("pageSize", "100"),
            ("firstcolumn", "Review"),
            ("id", DETAILS_ID),
        ],
    )
    report.tail = "\n"
    body = serialise(root).decode("utf-8")
    return PageContent(
        identity=INDEX_IDENTITY,
        title=title,
        body=body,
        labels=(identity_label(INDEX_IDENTITY),),
        attachments=(),
        sections={},
        meta={},
    )


def _cql_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _section_digests(document: d.Document) -> dict[str, str]:
    """A short digest of each top-level section (blocks from one level-1 heading to the next),
    by heading text; blocks before the first heading are ``(top)``."""
    sections: dict[str, list[d.Block]] = {"(top)": []}
    current = "(top)"
    for block in document.blocks:
        if isinstance(block, d.Heading) and block.level == 1:
            current = d.plain_text(block.children).strip() or block.anchor
            sections.setdefault(current, [])
        sections[current].append(block)
    return {name: hashlib.sha256(repr(blocks).encode("utf-8")).hexdigest()[:12] for name, blocks in sections.items()}


def change_summary(old: RecordedState | None, new: PageContent) -> str:
    """What a version message says: ``pirdoc: created`` or ``pirdoc: status Draft → Final;
    changed Timeline, Action Items; figure pirdoc-figure-1-timeline.png``, short enough for
    Confluence's version message."""
    if old is None:
        return "pirdoc: created"
    parts: list[str] = []
    for key in ("title", "severity", "status"):
        before, after = old.meta.get(key), new.meta.get(key)
        if before is not None and after is not None and before != after:
            parts.append(f"{key} {before} → {after}")
    changed = [name for name, digest in new.sections.items() if old.sections.get(name) not in (None, digest)]
    added = [name for name in new.sections if name not in old.sections and old.sections]
    removed = [name for name in old.sections if name not in new.sections]
    if changed:
        parts.append("changed " + ", ".join(changed))
    if added:
        parts.append("added " + ", ".join(added))
    if removed:
        parts.append("removed " + ", ".join(removed))
    figures = [image.filename for image in new.attachments if old.attachments.get(image.filename) != image.sha256]
    if figures:
        parts.append("figure " + ", ".join(figures))
    message = "pirdoc: " + ("; ".join(parts) if parts else "updated")
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"
