"""The command line: exit codes, output lines, `new` and `schema`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import pirdoc
from pirdoc.cli import main
from pirdoc.schema import review_schema

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"
INVALID = ROOT / "fixtures" / "invalid"
MARKDOWN = ROOT / "fixtures" / "markdown"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_clean_review_validates_with_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(EXAMPLE)) == (0, f"{EXAMPLE}: ok\n", "")


def test_final_problems_exit_1_one_line_each_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--final", str(EXAMPLE))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"{EXAMPLE}: approvals[2].approved: approval by 'Engineering Manager' is not given",
        f"{EXAMPLE}: approvals[2].date: approval by 'Engineering Manager' has no date",
    ]


def test_warnings_alone_exit_0_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(INVALID / "due-beyond-horizon.yaml")
    code, out, err = run(capsys, "validate", path)
    assert (code, out) == (0, f"{path}: ok (1 warning)\n")
    assert ": warning: " in err
    assert run(capsys, "validate", "--strict", path)[0] == 1


def test_the_worst_file_decides_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "validate", str(EXAMPLE), str(INVALID / "end-before-start.yaml"), str(INVALID / "empty.yaml")
    )
    assert code == 2
    assert out == f"{EXAMPLE}: ok\n"
    assert "end-before-start.yaml: ended_at:" in err
    assert "empty.yaml: the input is empty" in err


def test_an_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert err == f"{tmp_path / 'missing.yaml'}: cannot read the file: No such file or directory\n"


@pytest.mark.parametrize(
    "argv", [[], ["validate"], ["frobnicate"], ["new", "--id", "INC-1"], ["validate", "--nope", "x.yaml"]]
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "usage: pirdoc" in err


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--help")[0] == 0
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"pirdoc {pirdoc.__version__}\n")


def test_version_with_standard_output_closed_still_exits_0() -> None:
    # the version is looked up only when asked for; as argparse's own action, a closed standard
    # output is not an error
    result = subprocess.run([sys.executable, "-m", "pirdoc", "--version"], stdout=subprocess.DEVNULL, check=False,
                            capture_output=False, stderr=subprocess.PIPE, text=True, close_fds=True,
                            preexec_fn=lambda: os.close(1))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_new_prints_a_starter_that_loads_with_the_given_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", "--id", "INC-2026-0042")
    assert code == 0
    review = pirdoc.loads(out)
    assert review.incident_id == "INC-2026-0042"
    assert [p for p in pirdoc.check(review) if p.level == "error"] == []


def test_new_keeps_placeholders_in_comments_not_values(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "new")
    review = pirdoc.loads(out)
    assert re.fullmatch(r"INC-\d{4}-0001", review.incident_id)
    from pirdoc._yaml import Loader as _YamlLoader  # the loader that keeps timestamps as text

    values = yaml.load(out, Loader=_YamlLoader)
    assert "[" not in json.dumps(values).replace("[]", "")  # no "[Name]"-style placeholders


def test_new_commented_examples_load_when_uncommented(capsys: pytest.CaptureFixture[str]) -> None:
    """Every commented block of the starter is valid input once its '# ' is removed."""
    _, out, _ = run(capsys, "new", "--id", "INC-2026-0042")
    lines = out.splitlines()
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        top = re.match(r"^# ([a-z_]+):", line)
        if top:
            current = blocks.setdefault(top[1], [])
        if current is not None and line.startswith("# ") and (top or line.startswith("#   ")):
            current.append(line[2:])
        elif not line.startswith("#"):
            current = None
    assert {"timeline", "action_items", "impact", "approvals", "metrics"} <= set(blocks)
    head = "incident_id: INC-2026-0042\ntitle: t\nseverity: SEV-3\nstarted_at: 2026-03-14T13:45:00Z\n"
    for key, block in blocks.items():
        if key in ("started_at", "ended_at", "date"):
            continue
        pirdoc.loads(head + "\n".join(block) + "\n")


def test_schema_prints_a_draft_2020_12_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == review_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"incident_id", "title"}  # severity may be unrecorded (a warning)
    assert schema["properties"]["severity"]["anyOf"] == [{"$ref": "#/$defs/Severity"}, {"type": "null"}]
    assert schema["$defs"]["Severity"]["enum"] == ["SEV-1", "SEV-2", "SEV-3", "SEV-4"]
    assert schema["additionalProperties"] is False


def _validate(instance: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool:
    """Just enough of JSON Schema for the keywords review_schema uses."""
    if "$ref" in schema:
        return _validate(instance, root["$defs"][schema["$ref"].rsplit("/", 1)[1]], root)
    if "anyOf" in schema and not any(_validate(instance, s, root) for s in schema["anyOf"]):
        return False
    if "enum" in schema and instance not in schema["enum"]:
        return False
    kinds = {"string": str, "boolean": bool, "array": list, "object": dict, "null": type(None)}
    kind = schema.get("type")
    if kind in kinds and not isinstance(instance, kinds[kind]):
        return False
    if kind == "integer" and (isinstance(instance, bool) or not isinstance(instance, int)):
        return False
    if kind == "number" and (isinstance(instance, bool) or not isinstance(instance, int | float)):
        return False
    if "pattern" in schema and not re.search(schema["pattern"], instance):
        return False
    if kind == "array":
        return all(_validate(item, schema["items"], root) for item in instance)
    if kind == "object":
        properties = schema["properties"]
        if set(schema.get("required", ())) - set(instance) or set(instance) - set(properties):
            return False
        return all(_validate(value, properties[key], root) for key, value in instance.items())
    return True


def test_the_schema_accepts_the_example_and_what_dump_writes() -> None:
    schema = review_schema()
    raw = json.loads(pirdoc.dumps(pirdoc.load(EXAMPLE), "json"))
    assert _validate(raw, schema, schema)
    from pirdoc._yaml import Loader as _YamlLoader  # the loader that keeps timestamps as text

    assert _validate(yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=_YamlLoader), schema, schema)


@pytest.mark.parametrize("name", ["unknown-key.yaml", "bad-severity.yaml", "missing-required-field.yaml"])
def test_the_schema_rejects_structural_mistakes(name: str) -> None:
    from pirdoc._yaml import Loader as _YamlLoader

    schema = review_schema()
    assert not _validate(yaml.load((INVALID / name).read_text(encoding="utf-8"), Loader=_YamlLoader), schema, schema)


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pirdoc", "validate", str(INVALID / "bad-datetime.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "timeline[2].at: not a date-time: 'noon'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unexpected_failure_is_one_line_without_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any, **kwargs: Any) -> list[Any]:
        raise RuntimeError("rule exploded")

    monkeypatch.setattr("pirdoc.cli.check", broken)
    code, _, err = run(capsys, "validate", str(EXAMPLE))
    assert code == 2
    assert err == "pirdoc: internal error: RuntimeError: rule exploded (run with --debug for the traceback)\n"
    code, _, err = run(capsys, "--debug", "validate", str(EXAMPLE))
    assert "Traceback" in err


def test_validate_reports_import_problems_of_a_filled_template_as_problem_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = str(Path(__file__).parent.parent / "fixtures" / "markdown" / "harbourline-api-key-leak.md")
    assert main(["validate", source]) == 0
    err = capsys.readouterr().err
    assert f"{source}: line 99: warning: Timeline: 'Around noon' is not a time" in err


def test_import_reports_an_output_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "afile").write_text("not a folder")
    target = tmp_path / "afile" / "review.yaml"
    code, _, err = run(capsys, "import", str(MARKDOWN / "northwind-checkout-outage.md"), "-o", str(target))
    assert code == 1
    assert err == f"pirdoc import: cannot write {target}: Not a directory\n"


def test_import_checks_the_output_suffix_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "missing.md"), "-o", str(tmp_path / "out.txt"))
    assert code == 2
    assert err.startswith(f"pirdoc import: cannot tell the format of {str(tmp_path / 'out.txt')!r} from its suffix")
    assert "missing.md" not in err
    assert not (tmp_path / "out.txt").exists()


def test_new_refuses_an_id_with_digits_that_validate_would_refuse(capsys: pytest.CaptureFixture[str]) -> None:
    arabic_indic = "INC-\u0662\u0660\u0662\u0666-0042"  # str.isdigit() is true for these
    code, out, err = run(capsys, "new", "--id", arabic_indic)
    assert (code, out) == (2, "")
    assert "not an incident id" in err


def test_validate_help_names_every_input_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--help")
    assert code == 0
    assert "filled-in template (.md/.markdown)" in " ".join(out.split())
