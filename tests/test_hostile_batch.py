"""`pirdoc render` over a batch with one bad file of each kind: every good output is written,
every bad file is named (with the format and the field where there is one), the exit code says
something failed, and nothing is reported as an "internal error"."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import pirdoc
from pirdoc._files import write_bytes
from pirdoc.api import render_document
from pirdoc.cli import main
from pirdoc.serde import unstructure

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"
TEMPLATE = ROOT / "fixtures" / "markdown" / "northwind-checkout-outage.md"
FORMATS = {"markdown": ".md", "docx": ".docx", "pdf": ".pdf", "confluence": ".confluence.xml"}

# Each bad input and the start of the line that must name it (after "<path>: ").
BAD = {
    "alias-bomb.yaml": "timeline[",
    "deep.toml": "TOML input is nested too deeply",
    "huge-number.json": "line 1, column ",
    "duplicate-key.json": "title: duplicate key",
    "lone-surrogate.json": "title: character 10 is a lone surrogate",
    "fifo.yaml": "cannot read the file: it is a named pipe (FIFO)",
    "dev-zero.yaml": "cannot read the file: it is a character device",
    "wide-table.yaml": "root_cause.what_happened: the table at line 1 has 70 columns; the limit is 50",
    "not-a-review.yaml": "top level: expected a mapping of review fields",
}


def write_batch(folder: Path) -> tuple[list[Path], list[Path]]:
    """(good inputs, bad inputs) in ``folder``, generated from the example review."""
    folder.mkdir()
    data = unstructure(pirdoc.load(EXAMPLE))
    good = [folder / "checkout.yaml", folder / "search.json", folder / "northwind.md"]
    shutil.copy(EXAMPLE, good[0])
    good[1].write_text(json.dumps({**data, "incident_id": "INC-2026-0143"}), encoding="utf-8")
    shutil.copy(TEMPLATE, good[2])

    head = "incident_id: INC-2026-0142\ntitle: Checkout\nseverity: SEV-2\nstarted_at: 2026-03-14 13:45 UTC\n"
    big = "x" * 100_000
    events = "".join(f"  - {{at: 2026-03-14 13:50 UTC, phase: detection, title: e{i}, details: *big}}\n"
                     for i in range(150))
    (folder / "alias-bomb.yaml").write_text(f"{head}summary: {{one_line: &big {big}}}\ntimeline:\n{events}")
    (folder / "deep.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000)
    (folder / "huge-number.json").write_text('{"impact": {"user": {"total_users_affected": ' + "9" * 5000 + "}}}")
    (folder / "duplicate-key.json").write_text('{"incident_id": "INC-2026-0142", "title": "a", "title": "b"}')
    (folder / "lone-surrogate.json").write_text(json.dumps({**data, "title": "Checkout \ud83d outage"}))
    os.mkfifo(folder / "fifo.yaml")
    (folder / "dev-zero.yaml").symlink_to("/dev/zero")
    wide = "|" + "c|" * 70 + "\n|" + "-|" * 70 + "\n|" + "x|" * 70 + "\n"
    (folder / "wide-table.yaml").write_text(json.dumps({**data, "root_cause": {**data["root_cause"],
                                                                               "what_happened": wide}}))
    (folder / "not-a-review.yaml").write_text("- just\n- a list\n")
    return good, [folder / name for name in BAD]


def check_report(stderr: str, good: list[Path], bad: list[Path], out: Path) -> None:
    for path in good:
        stem = path.name.rsplit(".", 1)[0]
        assert [fmt for fmt, suffix in FORMATS.items() if not (out / (stem + suffix)).stat().st_size] == []
    for path in bad:
        assert f"{path}: {BAD[path.name]}" in stderr, path.name
        assert not any(p.name.startswith(path.name.rsplit(".", 1)[0] + ".") for p in out.iterdir())
    assert "internal error" not in stderr
    assert "Traceback" not in stderr


@pytest.mark.slow
def test_a_batch_with_every_kind_of_bad_file_renders_every_good_one_in_workers(tmp_path: Path) -> None:
    good, bad = write_batch(tmp_path / "in")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pirdoc", "render", *map(str, good + bad), "-f", ",".join(FORMATS), "-o", str(out),
         "-j", "2", "--allow-problems"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 2  # the worst input decides: some cannot be read as reviews
    check_report(result.stderr, good, bad, out)


@pytest.mark.slow
def test_failures_inside_one_format_leave_the_other_formats_and_inputs_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In this process (-j 1): a RecursionError, a MemoryError and an OverflowError from one input's
    renderers and a full disk for one of its files; every other format and input is still written."""
    good, bad = write_batch(tmp_path / "in")
    victim = good[0]
    real_render, real_write = render_document, write_bytes
    failures: dict[str, BaseException] = {
        "markdown": RecursionError("maximum recursion depth exceeded"),
        "pdf": MemoryError(),
        "confluence": OverflowError("date value out of range"),
    }
    def render(document: Any, name: str, /, **options: Any) -> bytes:
        if document.meta.incident_id == "INC-2026-0142" and name in failures:
            raise failures[name]
        return real_render(document, name, **options)

    def write(target: Path, data: bytes) -> Path:
        if target.name == "checkout.docx":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real_write(target, data)

    monkeypatch.setattr("pirdoc._render_batch.render_document", render)
    monkeypatch.setattr("pirdoc._files.write_bytes", write)  # through write_bytes_soon
    out = tmp_path / "out"
    code = main([
        "render", *map(str, [*good, *bad]), "-f", ",".join(FORMATS), "-o", str(out), "-j", "1", "--allow-problems",
    ])
    err = capsys.readouterr().err
    assert code == 2  # the worst input decides: some cannot be read as reviews
    assert f"{victim}: markdown: nested too deeply to process" in err
    assert f"{victim}: docx: cannot write {out / 'checkout.docx'}: No space left on device" in err
    assert f"{victim}: pdf: ran out of memory" in err
    assert f"{victim}: confluence: a value is out of range (date value out of range)" in err
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("checkout")) == []
    check_report(err, good[1:], bad, out)


@pytest.mark.slow
@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork to patch the workers")
def test_an_input_that_kills_its_worker_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A worker process dying (the kernel's out-of-memory killer, say) breaks the whole pool; the
    inputs it took down with it are rendered again, each in a pool of its own."""
    good, _ = write_batch(tmp_path / "in")

    def render(document: Any, name: str, /, **options: Any) -> bytes:
        if document.meta.incident_id == "INC-2026-0142":
            os._exit(9)  # killed: no exception, no clean-up
        return render_document(document, name, **options)

    monkeypatch.setattr("pirdoc._render_batch.render_document", render)
    out = tmp_path / "out"
    code = main(["render", *map(str, good), "-f", "markdown,confluence", "-o", str(out), "-j", "2", "--allow-problems",
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    died = f"{good[0]}: the process rendering it died (out of memory?); nothing was written"
    assert [line for line in err.splitlines() if line.startswith(f"{good[0]}:")] == [died]
    others = [line for line in err.splitlines() if not line.startswith(f"{good[0]}:")]
    assert others, "the template's final-check problems are listed"
    assert all(line.startswith(f"{good[2]}: ") for line in others)
    assert sorted(p.name for p in out.iterdir()) == [
        "northwind.confluence.xml", "northwind.md", "search.confluence.xml", "search.md",
    ]
