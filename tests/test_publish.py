"""`pirdoc.publish` against a fake Confluence (a real HTTP server on 127.0.0.1, tests/fake_confluence.py)
in both editions: identity, versions, hand edits, conflicts, attachments, labels, dry runs and the
documented request shapes."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from PIL import Image

import pirdoc
from pirdoc.model import Review, Status
from pirdoc.publish import (
    ConflictError,
    NetworkPolicy,
    NotFoundError,
    PublishResult,
    PublishSession,
    ServerError,
    open_session,
)
from pirdoc.publish._content import PROPERTY_KEY
from tests.fake_confluence import AC, RI, FakeConfluence, Fault, Mode, serve
from tests.strategies import reviews

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TOKEN = "tok-9f8e7d6c5b4a-SECRET"
USER = "oncall@example.com"
API = {"cloud": "v2", "datacenter": "v1"}


@pytest.fixture(scope="module")
def review() -> Review:
    return pirdoc.load(FIXTURES / "example-review.yaml")


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeConfluence]:
    mode: Mode = request.param
    with serve(FakeConfluence(mode, user=USER if mode == "cloud" else None, token=TOKEN)) as confluence:
        yield confluence


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def session(fake: FakeConfluence, sleeps: Sleeps | None = None, **options: Any) -> Any:
    return open_session(
        url=fake.url,
        space="OPS",
        api=API[fake.mode],  # type: ignore[arg-type]
        user=USER if fake.mode == "cloud" else None,
        token=TOKEN,
        environ={},
        sleep=sleeps if sleeps is not None else Sleeps(),
        **options,
    )


def publish(fake: FakeConfluence, review: Review, **options: Any) -> PublishResult:
    with session(fake, **options) as open_:
        assert isinstance(open_, PublishSession)
        return open_.publish_review(review)


def parse(body: str) -> ET.Element:
    return ET.fromstring(f'<root xmlns:ac="{AC}" xmlns:ri="{RI}">{body}</root>')


def with_resolution(review: Review, text: str) -> Review:
    return attrs.evolve(review, summary=attrs.evolve(review.summary, resolution=text))


# ---------------------------------------------------------------------------- create


def test_create_writes_page_images_labels_and_identity_property(fake: FakeConfluence, review: Review) -> None:
    result = publish(fake, review)
    assert result.action == "create"
    assert result.version == 1
    assert result.written
    page = fake.pages[result.page_id or ""]
    assert page.title == f"{review.incident_id}: {review.title}"
    state = page.properties[PROPERTY_KEY]["value"]
    assert state["identity"] == review.incident_id
    assert state["version"] == 1
    assert len(state["content_hash"]) == 64
    assert set(page.attachments) == {"pirdoc-figure-1-timeline.png", "pirdoc-figure-2-metrics.png"}
    assert state["attachments"] == {
        name: hashlib.sha256(att.versions[-1]).hexdigest() for name, att in page.attachments.items()
    }
    assert {"post-incident-review", "pirdoc-inc-2026-0142", "severity-sev-2", "status-draft"} <= set(page.labels)
    assert any(label.startswith("service-") for label in page.labels)


def test_the_page_shows_each_uploaded_figure_as_an_image(fake: FakeConfluence, review: Review) -> None:
    result = publish(fake, review)
    page = fake.pages[result.page_id or ""]
    root = parse(page.body)
    referenced = [a.get(f"{{{RI}}}filename") for a in root.iter(f"{{{RI}}}attachment")]
    assert referenced == ["pirdoc-figure-1-timeline.png", "pirdoc-figure-2-metrics.png"]
    for image in root.iter(f"{{{AC}}}image"):
        assert image.get(f"{{{AC}}}alt")  # the caption, for screen readers
    for attachment in page.attachments.values():
        picture = Image.open(io.BytesIO(attachment.versions[-1]))
        assert picture.format == "PNG"
        assert picture.width == 1360
        assert picture.height > 100
        assert attachment.media_type == "image/png"
    # the figure's data stays on the page, folded, as the accessible alternative
    expands = [m for m in root.iter(f"{{{AC}}}structured-macro") if m.get(f"{{{AC}}}name") == "expand"]
    assert len(expands) == 1  # the metrics table; the record's timeline has its events as text instead
    assert all(m.find(f".//{{{AC}}}rich-text-body/table") is not None for m in expands)


def test_cloud_payloads_have_the_documented_v2_shape() -> None:
    review = pirdoc.load(FIXTURES / "example-review.yaml")
    with serve(FakeConfluence("cloud", user=USER, token=TOKEN)) as fake:
        parent = fake.add_page("Incidents")
        publish(fake, review, parent="Incidents")
        create = next(r for r in fake.requests if r.method == "POST" and r.path == "/wiki/api/v2/pages")
        body = create.json()
        assert set(body) == {"spaceId", "status", "title", "parentId", "body"}
        assert body["spaceId"] == "98304"
        assert body["parentId"] == parent.id
        assert body["status"] == "current"
        assert body["body"]["representation"] == "storage"
        # v1 only where v2 has no endpoint: uploads and labels
        v1 = {(r.method, re.sub(r"\d+", "N", r.path)) for r in fake.writes() if r.path.startswith("/wiki/rest/api")}
        assert v1 == {("POST", "/wiki/rest/api/content/N/child/attachment"), ("POST", "/wiki/rest/api/content/N/label")}
        upload = next(r for r in fake.writes() if r.path.endswith("/child/attachment"))
        assert upload.headers["x-atlassian-token"] == "no-check"
        assert upload.headers["content-type"].startswith("multipart/form-data")
        labels = next(r for r in fake.writes() if r.path.endswith("/label")).json()
        assert all(set(label) == {"prefix", "name"} and label["prefix"] == "global" for label in labels)
        prop = next(r for r in fake.writes() if r.path.endswith("/properties")).json()
        assert set(prop) == {"key", "value"}
        assert prop["key"] == PROPERTY_KEY
        assert create.headers["authorization"].startswith("Basic ")


def test_datacenter_payloads_have_the_documented_v1_shape() -> None:
    review = pirdoc.load(FIXTURES / "example-review.yaml")
    with serve(FakeConfluence("datacenter", user=None, token=TOKEN)) as fake:
        parent = fake.add_page("Incidents")
        publish(fake, review, parent=parent.id)
        create = next(r for r in fake.requests if r.method == "POST" and r.path == "/rest/api/content")
        body = create.json()
        assert set(body) == {"type", "title", "space", "body", "ancestors"}
        assert body["type"] == "page"
        assert body["space"] == {"key": "OPS"}
        assert body["ancestors"] == [{"id": parent.id}]
        assert body["body"]["storage"]["representation"] == "storage"
        assert create.headers["authorization"] == f"Bearer {TOKEN}"
        assert not any(r.path.startswith("/wiki") for r in fake.requests)
        # Data Center pages mention people by user key, never by Cloud account id
        assert "ri:account-id" not in body["body"]["storage"]["value"]


# ---------------------------------------------------------------------------- update / skip


def test_update_increments_the_version_and_says_what_changed(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    changed = attrs.evolve(with_resolution(review, "Rolled back the pool change and raised the limit."),
                           status=Status.FINAL)
    second = publish(fake, changed)
    assert second.action == "update"
    assert second.version == 2
    page = fake.pages[first.page_id or ""]
    assert page.version == 2
    assert "status Draft → Final" in page.message
    assert "Executive Summary" in page.message
    assert page.properties[PROPERTY_KEY]["value"]["version"] == 2
    assert "status-final" in page.labels


def test_unchanged_review_sends_nothing(fake: FakeConfluence, review: Review) -> None:
    publish(fake, review)
    before = len(fake.writes())
    result = publish(fake, review)
    assert result.action == "skip"
    assert not result.written
    assert len(fake.writes()) == before


def test_page_is_found_by_its_property_after_the_title_changed(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    renamed = publish(fake, attrs.evolve(review, title="Checkout failures (pool exhaustion)"))
    assert renamed.action == "update"
    assert renamed.page_id == first.page_id
    assert len(fake.pages) == 1
    assert fake.pages[first.page_id or ""].title.endswith("(pool exhaustion)")


def test_hand_edited_page_is_refused_naming_the_editors_version(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    # Cloud's v2 names the author by account id only; pirdoc looks the name up
    author = "557058:jane" if fake.mode == "cloud" else "Jane Editor"
    fake.edit_by_hand(first.page_id or "", "<p>Added context from legal.</p>", author=author,
                      message="added the legal note")
    result = publish(fake, with_resolution(review, "Rolled back."))
    assert result.action == "refuse"
    assert "version 2 by Jane Editor" in result.reason
    assert "('added the legal note')" in result.reason
    assert "pirdoc wrote version 1" in result.reason
    assert "--force" in result.reason
    assert fake.pages[first.page_id or ""].body == "<p>Added context from legal.</p>"


def test_an_editor_whose_name_cannot_be_seen_is_named_by_account_id(review: Review) -> None:
    with serve(FakeConfluence("cloud", user=USER, token=TOKEN)) as fake:
        first = publish(fake, review)
        fake.forbidden.append(("GET", "/wiki/rest/api/user"))
        fake.edit_by_hand(first.page_id or "", "<p>edited</p>", author="557058:jane")
        result = publish(fake, review)
        assert result.action == "refuse"
        assert "version 2 by 557058:jane " in result.reason


def test_force_overwrites_a_hand_edit(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    fake.edit_by_hand(first.page_id or "", "<p>edited</p>")
    result = publish(fake, review, force=True)
    assert result.action == "update"
    assert result.version == 3
    page = fake.pages[first.page_id or ""]
    assert "overwrote version 2" in page.message
    assert page.properties[PROPERTY_KEY]["value"]["version"] == 3
    assert publish(fake, review).action == "skip"


def test_a_page_with_the_same_title_not_written_by_pirdoc_is_refused(fake: FakeConfluence, review: Review) -> None:
    theirs = fake.add_page(f"{review.incident_id}: {review.title}")
    result = publish(fake, review)
    assert result.action == "refuse"
    assert "no pirdoc record" in result.reason
    assert fake.pages[theirs.id].version == 1
    taken = publish(fake, review, force=True)
    assert taken.action == "update"
    assert taken.page_id == theirs.id


def test_a_title_with_quotes_and_backslashes_is_found_by_cql(fake: FakeConfluence, review: Review) -> None:
    tricky = attrs.evolve(review, title='Say "retry" \\ and "wait"')
    theirs = fake.add_page(f'{review.incident_id}: Say "retry" \\ and "wait"')
    result = publish(fake, tricky)
    assert result.action == "refuse"
    assert result.page_id == theirs.id


def test_409_on_a_stale_version_is_a_clear_error_and_records_nothing(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    page_id = first.page_id or ""
    page_path = "/wiki/api/v2/pages/\\d+" if fake.mode == "cloud" else "/rest/api/content/\\d+"
    # someone saves the page after pirdoc read version 1 and before its PUT of version 2 arrives
    fake.before.append(("PUT", page_path, lambda: fake.edit_by_hand(page_id, "<p>saved meanwhile</p>")))
    with pytest.raises(ConflictError, match=r"newer than 1 \(409 Conflict\).*nothing was overwritten"):
        publish(fake, with_resolution(review, "Rolled back."))
    page = fake.pages[page_id]
    assert page.body == "<p>saved meanwhile</p>"
    assert page.version == 2
    assert page.properties[PROPERTY_KEY]["value"]["version"] == 1
    again = publish(fake, with_resolution(review, "Rolled back."))  # the next run sees the hand edit
    assert again.action == "refuse"
    assert "version 2" in again.reason


# ---------------------------------------------------------------------------- attachments and labels


def test_images_are_uploaded_once_and_reused_until_they_change(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    assert len(first.uploaded) == 2
    second = publish(fake, with_resolution(review, "Rolled back."))
    assert second.action == "update"
    assert second.uploaded == ()
    uploads = [r for r in fake.writes() if "/child/attachment" in r.path]
    assert len(uploads) == 2
    shorter = attrs.evolve(review, timeline=review.timeline[:-1])
    third = publish(fake, shorter)
    assert third.uploaded == ("pirdoc-figure-1-timeline.png",)
    new_version = [r for r in fake.writes() if r.path.endswith("/data")]
    assert len(new_version) == 1  # a new version of the same attachment, not a second file
    attachment = fake.pages[first.page_id or ""].attachments["pirdoc-figure-1-timeline.png"]
    assert len(attachment.versions) == 2


def test_a_deleted_image_is_uploaded_again(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    del fake.pages[first.page_id or ""].attachments["pirdoc-figure-2-metrics.png"]
    result = publish(fake, with_resolution(review, "Rolled back."))
    assert result.uploaded == ("pirdoc-figure-2-metrics.png",)


def test_labels_are_appended_to_the_ones_people_added(fake: FakeConfluence, review: Review) -> None:
    first = publish(fake, review)
    page = fake.pages[first.page_id or ""]
    page.labels.append("customer-facing")
    publish(fake, attrs.evolve(review, status=Status.FINAL))
    assert "customer-facing" in page.labels
    assert "status-final" in page.labels
    assert "status-draft" not in page.labels  # pirdoc takes back its own label that no longer applies
    label_posts = [r.json() for r in fake.writes() if r.method == "POST" and r.path.endswith("/label")]
    removed = [r.query["name"] for r in fake.writes() if r.method == "DELETE"]
    assert removed == ["status-draft"]
    assert all("customer-facing" not in {label["name"] for label in post} for post in label_posts)


# ---------------------------------------------------------------------------- dry run


def test_dry_run_writes_nothing_and_diffs_against_the_live_page(fake: FakeConfluence, review: Review) -> None:
    planned = publish(fake, review, dry_run=True)
    assert planned.action == "create"
    assert fake.writes() == []
    assert not planned.written
    assert planned.diff.startswith("--- (no page)")
    assert "+<ac:structured-macro" in planned.diff
    publish(fake, review)
    before = len(fake.writes())
    changed = publish(fake, with_resolution(review, "Rolled back the pool change."), dry_run=True)
    assert changed.action == "update"
    assert len(fake.writes()) == before
    assert "-" in changed.diff
    assert "+" in changed.diff
    assert "Rolled back the pool change." in changed.diff
    removed = [line for line in changed.diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed, "the old resolution text shows as removed"


# ---------------------------------------------------------------------------- network behaviour


def test_429_is_retried_after_the_retry_after_wait(fake: FakeConfluence, review: Review) -> None:
    sleeps = Sleeps()
    fake.faults.append(Fault("GET", ".*", 429, headers={"Retry-After": "7"}, times=2))
    result = publish(fake, review, sleeps=sleeps)
    assert result.action == "create"
    assert sleeps == [7.0, 7.0]


def test_429_on_post_is_retried_too(fake: FakeConfluence, review: Review) -> None:
    sleeps = Sleeps()
    page_path = "/wiki/api/v2/pages" if fake.mode == "cloud" else "/rest/api/content"
    fake.faults.append(Fault("POST", page_path, 429, headers={"Retry-After": "3"}))
    assert publish(fake, review, sleeps=sleeps).action == "create"
    assert sleeps == [3.0]
    assert len(fake.pages) == 1


def test_retry_waits_are_bounded(fake: FakeConfluence, review: Review) -> None:
    sleeps = Sleeps()
    fake.faults.append(Fault("GET", ".*", 429, headers={"Retry-After": "50"}, times=10))
    with pytest.raises(pirdoc.PirdocError, match="retry budget"):
        publish(fake, review, sleeps=sleeps, policy=NetworkPolicy(max_wait=120))
    assert sum(sleeps) <= 120
    assert sleeps == [50.0, 50.0]


def test_5xx_on_post_is_not_retried(fake: FakeConfluence, review: Review) -> None:
    sleeps = Sleeps()
    page_path = "/wiki/api/v2/pages" if fake.mode == "cloud" else "/rest/api/content"
    fake.faults.append(Fault("POST", page_path, 503, headers={"Retry-After": "1"}))
    with pytest.raises(ServerError, match="not retried"):
        publish(fake, review, sleeps=sleeps)
    posts = [r for r in fake.requests if r.method == "POST" and r.path == page_path]
    assert len(posts) == 1
    assert sleeps == []


def test_503_on_get_is_retried(fake: FakeConfluence, review: Review) -> None:
    sleeps = Sleeps()
    fake.faults.append(Fault("GET", ".*", 503, times=1))
    assert publish(fake, review, sleeps=sleeps).action == "create"
    assert sleeps == [1.0]  # no Retry-After: a short back-off


def test_unknown_space_and_parent_are_not_found_errors(fake: FakeConfluence, review: Review) -> None:
    with pytest.raises(NotFoundError, match="space NOPE"), open_session(
        url=fake.url, space="NOPE", api=API[fake.mode], user=USER if fake.mode == "cloud" else None,  # type: ignore[arg-type]
        token=TOKEN, environ={},
    ) as open_:
        open_.publish_review(review)
    with pytest.raises(NotFoundError, match="parent page 'Nowhere'"):
        publish(fake, review, parent="Nowhere")
    with pytest.raises(NotFoundError, match="parent page 424242"):
        publish(fake, review, parent="424242")
    assert fake.writes() == []


# ---------------------------------------------------------------------------- index


def test_index_page_reports_every_review_under_the_parent(fake: FakeConfluence, review: Review) -> None:
    parent = fake.add_page("Incidents")
    with session(fake, parent=parent.id) as open_:
        open_.publish_review(review)
        index = open_.publish_index()
    assert index.action == "create"
    page = fake.pages[index.page_id or ""]
    assert page.parent_id == parent.id
    report = next(m for m in parse(page.body).iter(f"{{{AC}}}structured-macro")
                  if m.get(f"{{{AC}}}name") == "detailssummary")
    params = {p.get(f"{{{AC}}}name"): p.text for p in report.iter(f"{{{AC}}}parameter")}
    assert params["cql"] == f'label = "post-incident-review" and type = page and ancestor = {parent.id}'
    assert "Severity" in (params["headings"] or "")
    assert params["id"] == "pir"
    with session(fake, parent=parent.id) as open_:
        assert open_.publish_index().action == "skip"


def test_a_server_that_does_not_answer_in_time_is_an_error(fake: FakeConfluence, review: Review) -> None:
    fake.faults.append(Fault("GET", ".*", 200, delay=1.0))
    with pytest.raises(pirdoc.PirdocError, match="did not answer in time"):
        publish(fake, review, policy=NetworkPolicy(read_timeout=0.2))
    assert fake.writes() == []


@pytest.mark.filterwarnings("ignore::pirdoc.PirdocWarning")  # layout removing control characters: expected
def test_hostile_text_never_becomes_markup_labels_or_cql(fake: FakeConfluence) -> None:
    hostile = pirdoc.load(FIXTURES / "hostile-review.yaml")
    result = publish(fake, hostile)  # the fake parses the body strictly and checks every label
    assert result.action == "create"
    page = fake.pages[result.page_id or ""]
    root = parse(page.body)
    assert not [e for e in root.iter() if e.tag in ("script", "iframe", "a") and e.get("href", "").startswith("java")]
    assert all(re.fullmatch(r"[a-z0-9_\-]+", label) for label in page.labels)
    searches = [r.query["cql"] for r in fake.requests if r.path.endswith("/content/search")]
    assert searches
    assert all(q.count('"') % 2 == 0 for q in searches)
    assert publish(fake, hostile).action == "skip"  # found again by its identity


# ---------------------------------------------------------------------------- generated reviews

_DRAWS = itertools.count(1)
_GENERATED = {"ci": 12, "thorough": 500}.get(os.environ.get("HYPOTHESIS_PROFILE", "default"), 10)


@pytest.fixture(scope="module", params=["cloud", "datacenter"])
def shared_fake(request: pytest.FixtureRequest) -> Iterator[FakeConfluence]:
    mode: Mode = request.param
    with serve(FakeConfluence(mode, user=USER if mode == "cloud" else None, token=TOKEN)) as confluence:
        yield confluence


@pytest.mark.filterwarnings("ignore::pirdoc.PirdocWarning")
@settings(max_examples=_GENERATED)
@given(generated=reviews())
def test_any_review_publishes_and_then_sends_nothing(shared_fake: FakeConfluence, generated: Review) -> None:
    # The fake refuses bodies a strict XML parser rejects, unknown or missing JSON keys and labels
    # Confluence would refuse; so a first publish that succeeds proves all three.
    # Hypothesis may draw the same review twice; each draw is a review of its own here.
    generated = attrs.evolve(generated, incident_id=f"{generated.incident_id}-{next(_DRAWS)}")
    first = publish(shared_fake, generated)
    assert first.action == "create"
    page = shared_fake.pages[first.page_id or ""]
    assert page.properties[PROPERTY_KEY]["value"]["identity"] == generated.incident_id
    writes = len(shared_fake.writes())
    again = publish(shared_fake, generated)
    assert again.action == "skip"
    assert again.page_id == first.page_id
    assert len(shared_fake.writes()) == writes
