"""Writing is atomic: a render or a write that fails half-way leaves no file at the target, leaves
a file already there untouched, and leaves no temporary file behind."""

from __future__ import annotations

import multiprocessing
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

import pirdoc.renderers as registry
from pirdoc import Review, dump, load
from pirdoc._files import write_bytes_soon
from pirdoc.api import write
from pirdoc.document import Document
from pirdoc.errors import RenderError

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"
OLD = b"the review as it was published yesterday\n"


class HalfWayRenderer:
    """Renders the first half of the document, then fails."""

    name: ClassVar[str] = "half-way"
    suffix: ClassVar[str] = ".half"
    media_type: ClassVar[str] = "text/plain"
    options: ClassVar[Mapping[str, str]] = {}

    def render(self, document: Document, /, **options: Any) -> bytes:
        parts = [repr(block).encode() for block in document.blocks[: len(document.blocks) // 2]]
        assert parts
        raise RenderError("half-way: the disk of the renderer's mind is full")


@pytest.fixture
def half_way_renderer() -> Iterator[None]:
    saved = dict(registry._registered)
    registry.register_renderer(HalfWayRenderer)
    yield
    registry._registered.clear()
    registry._registered.update(saved)


@pytest.fixture(scope="module")
def review() -> Review:
    return load(EXAMPLE)


def leftovers(folder: Path, target: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != target)


@pytest.mark.usefixtures("half_way_renderer")
def test_a_renderer_failing_half_way_writes_no_file(review: Review, tmp_path: Path) -> None:
    target = tmp_path / "INC-2026-0142.half"
    with pytest.raises(RenderError, match="half-way"):
        write(review, target)
    assert not target.exists()
    assert leftovers(tmp_path, target) == []


@pytest.mark.usefixtures("half_way_renderer")
def test_a_renderer_failing_half_way_leaves_the_old_file_untouched(review: Review, tmp_path: Path) -> None:
    target = tmp_path / "INC-2026-0142.half"
    target.write_bytes(OLD)
    before = target.stat()
    with pytest.raises(RenderError):
        write(review, target)
    assert target.read_bytes() == OLD
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert leftovers(tmp_path, target) == []


def _fail_replace(*args: Any, **kwargs: Any) -> None:
    raise OSError(28, "No space left on device")


def _fail_fsync(fd: int) -> None:
    raise OSError(5, "Input/output error")


class _ShortWrite:
    """A stream that writes part of the data, then fails (a full disk mid-write)."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def __enter__(self) -> _ShortWrite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()

    def write(self, data: bytes) -> int:
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    ("fmt", "failure"),
    [(fmt, "replace") for fmt in ("markdown", "docx", "pdf", "confluence")]
    + [("markdown", "fsync"), ("docx", "short-write")],
)
@pytest.mark.parametrize("existing", [False, True])
def test_a_write_failing_half_way_changes_nothing(
    review: Review, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, failure: str, existing: bool
) -> None:
    target = tmp_path / f"INC-2026-0142.{fmt}"
    if existing:
        target.write_bytes(OLD)
    real_fdopen: Callable[..., Any] = os.fdopen
    if failure == "replace":
        monkeypatch.setattr(os, "replace", _fail_replace)
    elif failure == "fsync":
        monkeypatch.setattr(os, "fsync", _fail_fsync)
    else:
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _ShortWrite(real_fdopen(*a, **k)))
    with pytest.raises(OSError, match=r"No space left|Input/output"):
        write(review, target, format=fmt)
    monkeypatch.undo()
    if existing:
        assert target.read_bytes() == OLD
    else:
        assert not target.exists()
    assert leftovers(tmp_path, target) == [], "a temporary file was left behind"


def test_a_successful_write_replaces_the_old_file_and_leaves_nothing_else(review: Review, tmp_path: Path) -> None:
    target = tmp_path / "INC-2026-0142.md"
    target.write_bytes(OLD)
    write(review, target)
    assert target.read_bytes().startswith(b"# Post-Incident Review")
    assert leftovers(tmp_path, target) == []


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    review = load(Path(__file__).parent.parent / "fixtures" / "example-review.yaml")
    umask = os.umask(0o022)
    try:
        written = write(review, tmp_path / "review.md")
        dump(review, tmp_path / "review.yaml")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "review.yaml").stat().st_mode) == 0o644
    written.chmod(0o600)
    write(review, written)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_a_write_in_the_background_is_on_disk_when_its_future_says_so(tmp_path: Path) -> None:
    """`write_bytes_soon` writes in the order asked (the last of several writes to one path wins)
    and hands a failure to whoever asks for the result."""
    target = tmp_path / "review.md"
    futures = [write_bytes_soon(target, f"version {n}\n".encode()) for n in range(20)]
    assert [future.result(timeout=60) for future in futures] == [target] * 20
    assert target.read_bytes() == b"version 19\n"
    assert leftovers(tmp_path, target) == []
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(IsADirectoryError):
        write_bytes_soon(tmp_path / "folder.md", b"x").result(timeout=60)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_writes_in_the_background_too(tmp_path: Path) -> None:
    """The parent's writing thread does not exist in a forked child (a pool worker of ``-j 2``):
    the child starts its own rather than waiting on one that will never run."""
    write_bytes_soon(tmp_path / "parent.md", b"parent\n").result(timeout=60)
    _check_child_wrote(_forked_writer(tmp_path / "child.md"), tmp_path / "child.md")


def _write_in_child(target: Path) -> None:
    write_bytes_soon(target, b"child\n").result(timeout=30)


def _forked_writer(target: Path) -> multiprocessing.process.BaseProcess:
    child = multiprocessing.get_context("fork").Process(target=_write_in_child, args=(target,))
    child.start()
    return child


def _check_child_wrote(child: multiprocessing.process.BaseProcess, target: Path) -> None:
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
        pytest.fail("the child's write never finished")
    assert child.exitcode == 0
    assert target.read_bytes() == b"child\n"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_writes_even_if_the_parent_was_starting_its_writer(tmp_path: Path) -> None:
    """Forked while another thread held the writer's lock, a child still gets a writer of its own
    (the lock a child inherits held would never be released there)."""
    from pirdoc import _files

    with _files._writer_lock:
        child = _forked_writer(tmp_path / "child.md")
    _check_child_wrote(child, tmp_path / "child.md")


@pytest.mark.skipif(
    not Path("/proc/self/status").exists() or "Umask:" not in Path("/proc/self/status").read_text(),
    reason="needs a process status that shows the umask",
)
def test_a_new_file_gets_the_umask_without_the_umask_being_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are written on a thread of their own: setting the umask even for a moment would
    change the permissions of a file another thread creates meanwhile, so it is only read."""
    from pirdoc._files import write_bytes

    previous = os.umask(0o027)
    try:
        def refuse(mask: int) -> int:
            raise AssertionError("the umask was set")

        monkeypatch.setattr(os, "umask", refuse)
        written = write_bytes(tmp_path / "new.md", b"x")
        monkeypatch.undo()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(written.stat().st_mode) == 0o640
