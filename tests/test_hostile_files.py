"""Special files on both sides: an input is read only from a regular file and never past the
limit; an output path holding anything but a regular file is refused and left as it is; the
temporary files of a writer killed half-way are removed by the next write into their folder."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import pirdoc
from pirdoc._files import NotARegularFileError, read_input, remove_stale_temporaries, write_bytes
from pirdoc.errors import ReviewLoadError
from pirdoc.serde import MAX_INPUT_BYTES

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``pirdoc ARGS`` in a child process, so that a regression that blocks cannot block the test run."""
    return subprocess.run(
        [sys.executable, "-m", "pirdoc", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


# ---------------------------------------------------------------------------- inputs


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".toml", ".md"])
def test_an_input_linked_to_dev_zero_is_refused_without_reading(tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"review{suffix}"
    link.symlink_to("/dev/zero")
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.load(link)
    assert info.value.errors == ("cannot read the file: it is a character device, not a regular file",)
    assert info.value.source == str(link)


@pytest.mark.parametrize("suffix", [".yaml", ".md"])
def test_a_fifo_input_is_refused_at_once(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"review{suffix}"
    os.mkfifo(fifo)  # no writer ever opens it: reading it would block forever
    result = run_cli("validate", fifo, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"{fifo}: cannot read the file: it is a named pipe (FIFO), not a regular file\n"


def test_a_folder_input_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "review.yaml"
    folder.mkdir()
    with pytest.raises(ReviewLoadError, match="it is a folder, not a regular file"):
        pirdoc.load(folder)


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    link = tmp_path / "current.yaml"
    link.symlink_to(EXAMPLE)
    assert pirdoc.load(link) == pirdoc.load(EXAMPLE)


def test_the_read_stops_at_the_limit_whatever_the_file_holds(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_bytes(b"x" * 1001)
    assert read_input(path, 1001) == b"x" * 1001
    with pytest.raises(ReviewLoadError, match=r"input is too large"):
        read_input(path, 1000)


def test_a_file_over_the_input_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    with path.open("wb") as stream:
        stream.truncate(MAX_INPUT_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.load(path)
    assert info.value.errors == ("input is too large (10.0 MB); the limit is 10 MB",)


# ---------------------------------------------------------------------------- outputs


def test_an_output_symlink_is_refused_and_left_pointing_where_it_did(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_bytes(b"kept\n")
    link = tmp_path / "review.md"
    link.symlink_to(elsewhere)
    with pytest.raises(NotARegularFileError) as info:
        write_bytes(link, b"new\n")
    assert info.value.filename == str(link)
    assert "a symbolic link is in the way; refusing to replace it" in str(info.value)
    assert link.is_symlink()
    assert os.readlink(link) == str(elsewhere)
    assert elsewhere.read_bytes() == b"kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.md", "review.md"]


def test_an_output_symlink_to_dev_null_is_not_replaced(tmp_path: Path) -> None:
    link = tmp_path / "review.pdf"
    link.symlink_to(os.devnull)
    with pytest.raises(NotARegularFileError):
        pirdoc.write(pirdoc.load(EXAMPLE), link)
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_an_output_fifo_is_refused_not_replaced_nor_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "review.md"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFileError, match=r"a named pipe \(FIFO\) is in the way"):
        write_bytes(fifo, b"# review\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_render_names_a_refused_output_and_writes_the_other_formats(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "review.yaml")
    out = tmp_path / "out"
    out.mkdir()
    (out / "review.docx").symlink_to(os.devnull)
    result = run_cli("render", "review.yaml", "-f", "markdown,docx,confluence", "-o", out, "-j", "1", cwd=tmp_path)
    assert result.returncode == 1
    refused, *wrote = result.stderr.splitlines()
    assert refused == (
        f"review.yaml: docx: cannot write {out / 'review.docx'}: a symbolic link is in the way; "
        "refusing to replace it with a file"
    )
    assert [line.split(" (")[0] for line in wrote] == [
        f"review.yaml: wrote {out / 'review.md'}",
        f"review.yaml: wrote {out / 'review.confluence.xml'}",
    ]
    assert (out / "review.md").stat().st_size > 0
    assert (out / "review.confluence.xml").stat().st_size > 0
    assert (out / "review.docx").is_symlink()


# ---------------------------------------------------------------------------- leftovers


def dead_pid() -> int:
    """The id of a process that has ended (and was reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    leftover = tmp_path / f".review.pdf.pirdoc-{dead_pid()}.k2j4x9_q.tmp"
    leftover.write_bytes(b"%PDF-1.4 half a document")
    live = tmp_path / f".review.md.pirdoc-{os.getpid()}.a8b7c6d5.tmp"  # a write in progress
    live.write_bytes(b"# half")
    unrelated = tmp_path / ".notes.tmp"
    unrelated.write_bytes(b"mine")
    write_bytes(tmp_path / "review.docx", b"docx")
    assert not leftover.exists()
    assert live.exists()
    assert unrelated.exists()


def test_a_killed_render_leaves_nothing_for_long(tmp_path: Path) -> None:
    """kill -9 in the middle of writing: the next run in that folder removes what it left."""
    script = (
        "import os, sys, pirdoc._files as f\n"
        "def stop(*a, **k): os._exit(9)\n"
        "os.fsync = stop\n"  # dies with the temporary file written, before the rename
        "f.write_bytes(__import__('pathlib').Path(sys.argv[1]), b'x' * 100000)\n"
    )
    target = tmp_path / "review.pdf"
    result = subprocess.run([sys.executable, "-c", script, str(target)], timeout=120)
    assert result.returncode == 9
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1
    assert left[0].startswith(".review.pdf.pirdoc-")
    assert left[0].endswith(".tmp")
    assert not target.exists()
    assert [p.name for p in remove_stale_temporaries(tmp_path)] == left
    assert list(tmp_path.iterdir()) == []
