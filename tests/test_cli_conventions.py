"""The command line's conventions: ``-`` for standard input and output, ``-f all``, what render
says it wrote, did-you-mean, exit codes shared by every command, ``validate --json``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
import yaml

import pirdoc
from pirdoc.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"
TEMPLATE = ROOT / "fixtures" / "markdown" / "northwind-checkout-outage.md"
BAD_DATE = ROOT / "fixtures" / "invalid" / "bad-date.yaml"


def feed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def example_as(fmt: str) -> bytes:
    data = pirdoc.to_dict(pirdoc.load(EXAMPLE))
    if fmt == "json":
        return json.dumps(data).encode()
    if fmt == "toml":
        return tomli_w.dumps(data).encode()
    if fmt == "markdown":
        return TEMPLATE.read_bytes()
    return yaml.safe_dump(data).encode()


# ---------------------------------------------------------------------------- standard input


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml", "markdown"])
def test_validate_reads_standard_input_in_every_format_told_from_the_text(
    fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, example_as(fmt))
    code = main(["validate", "--json", "-"])
    report = json.loads(capsys.readouterr().out)
    assert report["files"][0]["file"] == "<stdin>"
    assert report["files"][0]["readable"] is True
    assert code == (1 if report["counts"]["errors"] else 0)
    if fmt != "markdown":  # the example is clean; the template fixture has its own problems
        assert code == 0


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_input_format_reads_standard_input_as_told(
    fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, example_as(fmt))
    assert main(["validate", "--input-format", fmt.upper(), "-"]) == 0
    assert capsys.readouterr().out == "<stdin>: ok\n"


def test_a_wrong_input_format_fails_clearly_and_names_how_it_was_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, example_as("json"))
    assert main(["validate", "--input-format", "toml", "-"]) == 2
    assert capsys.readouterr().err.startswith("<stdin>: ")
    feed(monkeypatch, b"incident_id: [unclosed\n")
    assert main(["validate", "-"]) == 2
    assert "<stdin>: (read as yaml; give --input-format" in capsys.readouterr().err


def test_an_unknown_input_format_is_a_usage_error_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--input-format", "yamll", "-"]) == 2
    assert "did you mean 'yaml'?" in capsys.readouterr().err


def test_render_from_standard_input_to_standard_output_is_the_api_s_bytes(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    feed(monkeypatch, EXAMPLE.read_bytes())
    assert main(["render", "-", "-f", "md", "-o", "-"]) == 0
    out, err = capsysbinary.readouterr()
    assert out == pirdoc.render(pirdoc.load(EXAMPLE), "markdown")
    assert err == b""  # nothing named as written: the output is standard output


def test_render_from_standard_input_into_a_folder_names_the_file_by_incident_id(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed(monkeypatch, EXAMPLE.read_bytes())
    assert main(["render", "-", "-f", "confluence", "-o", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["INC-2026-0142.confluence.xml"]
    assert capsys.readouterr().err == f"<stdin>: wrote {tmp_path / 'INC-2026-0142.confluence.xml'} (" + (
        f"{(tmp_path / 'INC-2026-0142.confluence.xml').stat().st_size:,} bytes)\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["-f", "md,pdf", "-o", "-"],
        ["-f", "all", "-o", "-"],
        [str(EXAMPLE), "-f", "md", "-o", "-"],
    ],
)
def test_standard_output_takes_one_format_of_one_input(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(EXAMPLE), *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "-o - writes one format of one input to standard output" in err


def test_render_and_validate_through_pipes_in_a_real_process(tmp_path: Path) -> None:
    rendered = subprocess.run(
        [sys.executable, "-m", "pirdoc", "render", "-", "-f", "confluence", "-o", "-"],
        input=EXAMPLE.read_bytes(), capture_output=True, check=False, timeout=120,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout == pirdoc.render(pirdoc.load(EXAMPLE), "confluence")
    validated = subprocess.run(
        [sys.executable, "-m", "pirdoc", "validate", "--json", "-"],
        input=example_as("toml"), capture_output=True, check=False, timeout=120,
    )
    assert validated.returncode == 0, validated.stderr
    assert json.loads(validated.stdout)["counts"] == {"files": 1, "unreadable": 0, "errors": 0, "warnings": 0}


def test_the_command_ends_with_mains_exit_code_and_everything_written(tmp_path: Path) -> None:
    # `pirdoc` ends the process as soon as `main` returns, without Python's shutdown
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "pirdoc", "render", str(EXAMPLE), str(copy), "-f", "md,docx", "-o", str(out), "-j", "2"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == main(["render", str(EXAMPLE), "-f", "md", "-o", str(tmp_path / "again")]) == 0
    expected = {fmt: pirdoc.render(pirdoc.load(EXAMPLE), fmt) for fmt in ("markdown", "docx")}
    for stem in ("example-review", "copy"):
        assert (out / f"{stem}.md").read_bytes() == expected["markdown"]
        assert (out / f"{stem}.docx").read_bytes() == expected["docx"]
    assert len(done.stderr.splitlines()) == 4  # one "wrote" line per file, each whole
    missing = subprocess.run(
        [sys.executable, "-m", "pirdoc", "render", str(tmp_path / "missing.yaml"), "-o", str(out)],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert missing.returncode == main(["render", str(tmp_path / "missing.yaml"), "-o", str(out)]) != 0
    assert missing.stderr.endswith("\n")
    assert "missing.yaml" in missing.stderr


@pytest.mark.parametrize("traced", [False, True])
def test_the_command_skips_pythons_shutdown_unless_something_measures_it(traced: bool) -> None:
    code = (
        "import atexit, sys\n"
        "from pirdoc import cli\n"
        "atexit.register(lambda: print('shutdown ran'))\n"
        f"{'sys.settrace(lambda *args: None)' if traced else ''}\n"
        "sys.argv = ['pirdoc', '--version']\n"
        "cli.run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pirdoc ")
    assert ("shutdown ran" in done.stdout) == traced  # a tracer (coverage) gets Python's shutdown


# ---------------------------------------------------------------------------- -f all, what was written


def test_format_all_writes_every_format_and_names_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(EXAMPLE), "-f", "all", "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"example-review{info.suffix}" for info in pirdoc.formats())
    lines = capsys.readouterr().err.splitlines()
    assert sorted(lines) == sorted(
        f"{EXAMPLE}: wrote {tmp_path / name} ({(tmp_path / name).stat().st_size:,} bytes)" for name in names
    )


def test_quiet_names_no_file_but_still_lists_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(EXAMPLE), str(TEMPLATE), "-f", "md", "-o", str(tmp_path), "--quiet",
                 "--allow-problems"]) == 0
    err = capsys.readouterr().err
    assert "wrote" not in err
    assert f"{TEMPLATE}: " in err  # the filled-in template's import problems
    assert len(list(tmp_path.iterdir())) == 2


# ---------------------------------------------------------------------------- did you mean


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["-f", "pdf", "-O", "pagesize=A4"], "did you mean 'page_size'?"),
        (["-f", "docx", "-O", "clasification=Internal"], "did you mean 'classification'?"),
        (["-f", "pfd"], "did you mean 'pdf'?"),
        (["-f", "markdwn"], "did you mean 'markdown'?"),
        (["--profile", "executiv"], "did you mean 'executive'?"),
        (["--profile", "exec"], "did you mean 'executive'?"),
    ],
)
def test_a_misspelt_option_format_or_profile_gets_a_suggestion(
    argv: list[str], suggestion: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(EXAMPLE), "-o", str(tmp_path), *argv]) == 2
    assert suggestion in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_misspelt_page_size_value_gets_a_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(EXAMPLE), "-f", "pdf", "-O", "page_size=Leter", "-o", str(tmp_path)]) == 1
    assert "did you mean 'Letter'?" in capsys.readouterr().err


# ---------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["validate", str(EXAMPLE)], 0),
        (["validate", "--final", str(TEMPLATE)], 1),
        (["validate", str(BAD_DATE)], 2),
        (["validate", "--no-such-flag", str(EXAMPLE)], 2),
        (["render", str(EXAMPLE), "-f", "md", "-q"], 0),
        (["render", str(BAD_DATE), "-f", "md"], 2),
        (["render", str(EXAMPLE), "-f", "html"], 2),
        (["import", str(TEMPLATE)], 0),
        (["import", str(BAD_DATE.with_suffix(".md"))], 2),
        (["new", "--id", "INC-2026-0042"], 0),
        (["new", "--id", "nonsense"], 2),
        (["schema"], 0),
        (["formats"], 0),
        (["formats", "extra"], 2),
    ],
)
def test_every_command_uses_the_same_exit_codes(
    argv: list[str], expected: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """0 all good, 1 problems found, 2 input that cannot be read as a review, or bad usage."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == expected


def test_render_refuses_a_final_review_with_problems_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    final = tmp_path / "final.yaml"
    data = pirdoc.to_dict(pirdoc.load(EXAMPLE))
    final.write_text(yaml.safe_dump({**data, "status": "Final", "approvals": []}), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["render", str(final), "-f", "md", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{final}: not rendered: the status is Final" in err
    assert not out.exists() or list(out.iterdir()) == []


# ---------------------------------------------------------------------------- validate --json


def test_validate_json_reports_every_file_with_levels_paths_messages_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", "--json", str(EXAMPLE), str(TEMPLATE), str(BAD_DATE)])
    report = json.loads(capsys.readouterr().out)
    assert code == 2 == report["exit_code"]
    assert report["version"] == 1
    assert [entry["file"] for entry in report["files"]] == [str(EXAMPLE), str(TEMPLATE), str(BAD_DATE)]
    clean, template, bad = report["files"]
    assert clean == {"file": str(EXAMPLE), "readable": True, "problems": [], "counts": {"errors": 0, "warnings": 0}}
    assert template["readable"] is True
    assert template["counts"]["errors"] == sum(p["level"] == "error" for p in template["problems"]) > 0
    assert all(set(p) == {"level", "path", "message"} for p in template["problems"])
    assert bad["readable"] is False
    assert bad["problems"]
    assert all(p["level"] == "error" and p["path"] for p in bad["problems"])
    assert report["counts"] == {
        "files": 3,
        "unreadable": 1,
        "errors": template["counts"]["errors"] + bad["counts"]["errors"],
        "warnings": template["counts"]["warnings"],
    }
