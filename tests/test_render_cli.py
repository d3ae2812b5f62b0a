"""`pirdoc render`, `pirdoc demo` and `pirdoc formats` from the command line."""

from __future__ import annotations

import itertools
import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pirdoc
from pirdoc.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "checkout.yaml")
    text = EXAMPLE.read_text(encoding="utf-8").replace("INC-2026-0142", "INC-2026-0143")
    (folder / "search.yaml").write_text(text, encoding="utf-8")
    return folder


def test_render_writes_each_input_in_each_format(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(
        ["render", str(inputs / "checkout.yaml"), str(inputs / "search.yaml"), "-f", "md,confluence", "-o", str(out)]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "checkout.confluence.xml",
        "checkout.md",
        "search.confluence.xml",
        "search.md",
    ]
    assert "INC-2026-0143" in (out / "search.md").read_text(encoding="utf-8")


def test_executive_profile_and_options(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(
        [
            "render",
            str(inputs / "checkout.yaml"),
            "-f",
            "markdown,pdf",
            "--profile",
            "executive",
            "-O",
            "page_size=Letter",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    # The briefing says its profile in its name, so that it never replaces the full record.
    assert sorted(p.name for p in out.iterdir()) == ["checkout.executive.md", "checkout.executive.pdf"]
    assert (out / "checkout.executive.md").read_text(encoding="utf-8").startswith("# Executive Briefing:")
    assert (out / "checkout.executive.pdf").read_bytes().startswith(b"%PDF")


def test_a_failing_input_is_reported_and_the_others_still_render(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = inputs / "broken.yaml"
    broken.write_text("incident_id: INC-2026-0001\ntitle: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["render", str(broken), str(inputs / "checkout.yaml"), "-f", "md", "-o", str(out)])
    assert code == 2  # an input that cannot be read as a review
    assert (out / "checkout.md").exists()
    assert not (out / "broken.md").exists()
    assert "broken.yaml" in capsys.readouterr().err


def test_render_refuses_to_overwrite_its_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "review.md"
    source.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    before = source.read_bytes()
    code = main(["render", str(source), "-f", "markdown", "-o", str(tmp_path)])
    assert code == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_outputs_that_would_collide_are_refused(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(EXAMPLE, inputs / "search.json.yaml")
    (inputs / "checkout.yml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["render", str(inputs / "checkout.yaml"), str(inputs / "checkout.yml"), "-o", str(tmp_path)])
    assert code == 2
    assert "two outputs" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-f", "html"], "unknown format 'html'; available formats: confluence, docx, markdown, pdf"),
        (["-f", "md", "-O", "page_size=A4"], "no chosen format (markdown) accepts option(s) page_size"),
        (["-f", "md", "-O", "novalue"], "is not KEY=VALUE"),
    ],
)
def test_bad_usage_exits_2(argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(EXAMPLE), "-o", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_bad_option_value_is_reported_per_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(EXAMPLE), "-f", "pdf", "-O", "page_size=A0", "-o", str(tmp_path)]) == 1
    assert "page_size" in capsys.readouterr().err


def test_demo_writes_every_format_and_both_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        f"example-review{infix}{suffix}"
        for infix in ("", ".executive")
        for suffix in (".md", ".docx", ".pdf", ".confluence.xml")
    )
    printed = capsys.readouterr().out
    assert str(tmp_path / "example-review.pdf") in printed


def test_formats_lists_renderers_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    printed = capsys.readouterr().out
    for name in ("markdown", "docx", "pdf", "confluence"):
        assert name in printed
    assert "-O page_size=" in printed


def test_progress_is_silent_when_not_a_terminal(inputs: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pirdoc",
            "render",
            str(inputs / "checkout.yaml"),
            str(inputs / "search.yaml"),
            "-o",
            str(tmp_path),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == ""


def test_parallel_and_serial_rendering_write_the_same_bytes(inputs: Path, tmp_path: Path) -> None:
    sources = [str(inputs / "checkout.yaml"), str(inputs / "search.yaml")]
    assert main(["render", *sources, "-f", "md,docx,confluence", "-j", "1", "-o", str(tmp_path / "serial")]) == 0
    assert main(["render", *sources, "-f", "md,docx,confluence", "-j", "2", "-o", str(tmp_path / "parallel")]) == 0
    serial = {p.name: p.read_bytes() for p in (tmp_path / "serial").iterdir()}
    parallel = {p.name: p.read_bytes() for p in (tmp_path / "parallel").iterdir()}
    assert len(serial) == 6
    assert serial == parallel


def test_a_failing_input_in_a_worker_is_reported(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = inputs / "broken.json"
    broken.write_text('{"incident_id": "INC-2026-0001",', encoding="utf-8")
    code = main(["render", str(broken), str(inputs / "checkout.yaml"), "-j", "2", "-o", str(tmp_path)])
    assert code == 2  # an input that cannot be read as a review
    assert (tmp_path / "checkout.md").exists()
    assert "broken.json: line 1, column 33: JSON syntax error" in capsys.readouterr().err


def test_an_output_that_cannot_be_written_names_it_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "out" / "example-review.md").mkdir(parents=True)
    assert main(["render", str(EXAMPLE), "-o", str(tmp_path / "afile" / "sub")]) == 1
    assert main(["render", str(EXAMPLE), "-o", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{EXAMPLE}: markdown: cannot write {tmp_path / 'afile' / 'sub' / 'example-review.md'}: Not a directory",
        f"{EXAMPLE}: markdown: cannot write {tmp_path / 'out' / 'example-review.md'}: Is a directory",
    ]


def test_demo_into_a_folder_that_cannot_be_made_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "afile").write_text("not a folder")
    assert main(["demo", "-o", str(tmp_path / "afile" / "demo")]) == 1
    assert capsys.readouterr().err == f"demo: cannot write {tmp_path / 'afile' / 'demo'}: Not a directory\n"


def test_demo_reports_a_file_it_cannot_write_and_writes_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "example-review.md").mkdir()
    assert main(["demo", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == f"demo: markdown (full): cannot write {tmp_path / 'example-review.md'}: Is a directory\n"
    assert (tmp_path / "example-review.pdf").exists()


MARKDOWN = ROOT / "fixtures" / "markdown"


def test_render_reports_import_warnings_as_lines_and_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recwarn: pytest.WarningsRecorder
) -> None:
    source = MARKDOWN / "harbourline-api-key-leak.md"
    assert main(["render", str(source), "-j", "1", "-o", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert f"{source}: line 99: warning: Timeline: 'Around noon' is not a time" in err
    # The import's problems (by line) first, then the checks' (by field path).
    assert all(line.startswith(f"{source}: ") for line in err.splitlines())
    assert err.splitlines()[0].startswith(f"{source}: line ")
    assert not [w for w in recwarn if issubclass(w.category, pirdoc.PirdocWarning)]
    assert (tmp_path / "harbourline-api-key-leak.md").exists()


def test_an_import_error_fails_that_input_as_validate_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recwarn: pytest.WarningsRecorder
) -> None:
    text = (MARKDOWN / "northwind-checkout-outage.md").read_text(encoding="utf-8")
    source = tmp_path / "no-id.md"
    source.write_text("".join(line for line in text.splitlines(True) if "Incident ID" not in line), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(source), str(EXAMPLE), "-j", "1", "-o", str(out), "--quiet"]) == 1
    line = f"{source}: input: no incident ID (write it as '**Incident ID:** INC-2026-0042')"
    assert capsys.readouterr().err.splitlines() == [line]
    assert [p.name for p in out.iterdir()] == ["example-review.md"]
    assert not [w for w in recwarn if issubclass(w.category, pirdoc.PirdocWarning)]
    assert main(["validate", str(source)]) == 1
    assert line in capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("value", "message"), [("-1", "must be 0 (one per CPU) or more, got -1"), ("two", "not a whole number")]
)
def test_jobs_must_be_a_whole_number_not_below_0(
    value: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(EXAMPLE), "-j", value, "-o", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []
    assert f"argument -j/--jobs: {message}" in capsys.readouterr().err


def test_render_and_demo_explain_every_argument(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "INPUT a review (.yaml/.yml, .json, .toml) or a filled-in template (.md/.markdown)" in text
    assert "(default: .)" in text
    assert "--profile {full,executive} full: the whole review (default)" in text
    assert main(["demo", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Render the example review" in text
    assert "(default: pirdoc-demo)" in text


def test_what_layout_had_to_change_is_reported_as_problem_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = ROOT / "fixtures" / "hostile-review.yaml"
    assert main(["render", str(hostile), "-f", "md", "-o", str(tmp_path), "-j", "1", "-q"]) == 0
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines
    assert all(line.startswith(f"{hostile}: ") for line in lines), err
    # A draft renders with its check problems listed (each names a field), then what layout changed.
    checked = [str(problem) for problem in pirdoc.check(pirdoc.load(hostile))]
    assert lines[: len(checked)] == [f"{hostile}: {problem}" for problem in checked]
    changed = lines[len(checked) :]
    assert changed
    assert all(line.startswith(f"{hostile}: warning: ") for line in changed), err
    assert len(changed) == len(set(changed))
    assert (tmp_path / "hostile-review.md").is_file()


def test_a_script_the_pdf_cannot_draw_is_a_problem_line_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recwarn: pytest.WarningsRecorder
) -> None:
    text = (ROOT / "fixtures" / "example-review.yaml").read_text(encoding="utf-8")
    source = tmp_path / "devanagari.yaml"
    source.write_text(text.replace("title: Initial Detection", "title: डेटाबेस विफल", 1), encoding="utf-8")
    assert main(["render", str(source), "-f", "pdf", "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line for line in lines if "Devanagari" in line] == [
        f"{source}: warning: pdf: timeline[1].title: no bundled font draws Devanagari (डेटाबस…); those characters"
        " print as empty boxes"
    ]
    assert not [w for w in recwarn if issubclass(w.category, pirdoc.PirdocWarning)]


def test_a_batch_renders_the_next_input_while_the_last_file_is_written(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """-j 1: each file is written while the input's next format renders, and an input's last
    file while the next input renders; each input is reported, in order, once its files are on
    disk. Here a write that finishes only once rendering has gone on proves it."""
    import threading

    from pirdoc import _files
    from pirdoc.api import render_document as real_render

    real_write = _files.write_bytes
    rendered: list[tuple[str, str]] = []
    went_on = {name: threading.Event() for name in ("checkout.md", "checkout.confluence.xml")}

    def render(document: Any, name: str, /, **options: Any) -> bytes:
        rendered.append((document.meta.incident_id, name))
        if len(rendered) == 2:
            went_on["checkout.md"].set()  # the input's next format
        if len(rendered) == 3:
            went_on["checkout.confluence.xml"].set()  # the next input
        return real_render(document, name, **options)

    def write(target: Path, data: bytes) -> Path:
        if target.name in went_on and not went_on[target.name].wait(timeout=30):
            raise OSError(f"rendering waited for {target.name} to be written")
        return real_write(target, data)

    monkeypatch.setattr("pirdoc._render_batch.render_document", render)
    monkeypatch.setattr(_files, "write_bytes", write)
    sources = [str(inputs / "checkout.yaml"), str(inputs / "search.yaml")]
    assert main(["render", *sources, "-f", "md,confluence", "-j", "1", "-o", str(tmp_path / "out")]) == 0
    assert [line.split(": wrote ")[1].split(" (")[0] for line in capsys.readouterr().err.splitlines()] == [
        str(tmp_path / "out" / name)
        for name in ("checkout.md", "checkout.confluence.xml", "search.md", "search.confluence.xml")
    ]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_workers_render_their_next_input_while_the_last_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-j 2: each worker renders a few inputs in turn, writing an input's file while it renders
    the next. A write that takes a while shows it: the next input's render begins before it ends."""
    import os
    import time

    from pirdoc import _files
    from pirdoc.api import render_document as real_render

    folder = tmp_path / "in"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for number in range(10):
        (folder / f"r{number}.yaml").write_text(text.replace("INC-2026-0142", f"INC-2026-{number:04d}"), "utf-8")
    log = tmp_path / "log"
    real_write = _files.write_bytes

    def note(event: str) -> None:
        with log.open("a", encoding="utf-8") as stream:  # a line appended at once, from any worker
            stream.write(f"{os.getpid()} {event}\n")

    def render(document: Any, name: str, /, **options: Any) -> bytes:
        note("render")
        return real_render(document, name, **options)

    def write(target: Path, data: bytes) -> Path:
        time.sleep(0.3)
        written = real_write(target, data)
        note("written")
        return written

    monkeypatch.setattr("pirdoc._render_batch.render_document", render)
    monkeypatch.setattr(_files, "write_bytes", write)
    sources = sorted(str(path) for path in folder.iterdir())
    assert main(["render", *sources, "-f", "md", "-j", "2", "-q", "-o", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").iterdir())) == 10
    events: dict[str, list[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, event = line.split()
        events.setdefault(pid, []).append(event)
    # within one worker: a render noted before the previous render's file was written
    overlapped = sum(pair == ("render", "render") for noted in events.values() for pair in itertools.pairwise(noted))
    assert overlapped >= 2


def test_an_interrupted_batch_still_reports_the_input_whose_files_it_wrote(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """-j 1: interrupted while the second input renders, the first input's files (written
    meanwhile) are on disk and reported before the run ends with 130."""
    from pirdoc.api import render_document as real_render

    def render(document: Any, name: str, /, **options: Any) -> bytes:
        if document.meta.incident_id == "INC-2026-0143":
            raise KeyboardInterrupt
        return real_render(document, name, **options)

    monkeypatch.setattr("pirdoc._render_batch.render_document", render)
    out = tmp_path / "out"
    sources = [str(inputs / "checkout.yaml"), str(inputs / "search.yaml")]
    assert main(["render", *sources, "-f", "md,confluence", "-j", "1", "-o", str(out)]) == 130
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{inputs / 'checkout.yaml'}: wrote {out / 'checkout.md'} ({(out / 'checkout.md').stat().st_size:,} bytes)",
        f"{inputs / 'checkout.yaml'}: wrote {out / 'checkout.confluence.xml'} "
        f"({(out / 'checkout.confluence.xml').stat().st_size:,} bytes)",
        "pirdoc: interrupted",
    ]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_each_input_of_a_workers_run_is_reported_as_itself(tmp_path: Path) -> None:
    """-j 2, where a worker renders runs of up to three inputs: each input's redaction report is
    its own."""
    review = ROOT / "fixtures" / "public-review.yaml"
    folder = tmp_path / "in"
    folder.mkdir()
    text = review.read_text(encoding="utf-8")
    assert "Tomasz Kowalczyk" in text
    for number in range(10):
        (folder / f"r{number}.yaml").write_text(text.replace("Tomasz Kowalczyk", f"Person {number}"), "utf-8")
    report = tmp_path / "report.txt"
    sources = sorted(str(path) for path in folder.iterdir())
    assert main(["render", *sources, "-f", "md", "-j", "2", "-q", "--audience", "customer",
                 "--report", str(report), "-o", str(tmp_path / "out")]) == 0  # fmt: skip
    blocks: dict[str, str] = {}
    for line in report.read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            current = line.split(": customer version")[0]
            blocks[current] = ""
        blocks[current] += line + "\n"
    assert sorted(blocks) == sources
    for number in range(10):
        assert f"'Person {number}'" in blocks[str(folder / f"r{number}.yaml")]


@given(inputs=st.integers(min_value=0, max_value=500), workers=st.integers(min_value=2, max_value=16))
def test_runs_keep_the_order_and_shrink_to_single_inputs(inputs: int, workers: int) -> None:
    """A batch is cut into runs in order, none larger than half a worker's share of what is left,
    shrinking to single inputs at the end (so that no worker goes on alone for long)."""
    from pirdoc._render_batch import _runs

    work: list[Any] = [(Path(f"r{number}.md"), []) for number in range(inputs)]
    runs = _runs(work, workers)
    assert [job for run in runs for job in run] == work
    left = inputs
    for run in runs:
        assert 1 <= len(run) <= max(1, -(-left // (workers * 2)))
        left -= len(run)
    assert all(len(a) >= len(b) for a, b in itertools.pairwise(runs))
    assert all(len(run) == 1 for run in runs[-min(inputs, workers):])


def test_runs_of_a_small_batch() -> None:
    from pirdoc._render_batch import _runs

    work: list[Any] = [(Path(f"r{number}.md"), []) for number in range(40)]
    assert [len(run) for run in _runs(work[:10], 2)] == [3, 2, 2, 1, 1, 1]
    assert [len(run) for run in _runs(work, 2)] == [10, 8, 6, 4, 3, 3, 2, 1, 1, 1, 1]
    assert [len(run) for run in _runs(work[:3], 4)] == [1, 1, 1]
