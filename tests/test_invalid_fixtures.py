"""Every broken input in fixtures/invalid/ gives its expected exit code and message, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pirdoc.cli import main
from pirdoc.serde import MAX_INPUT_BYTES

INVALID = Path(__file__).parent.parent / "fixtures" / "invalid"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((INVALID / "expected.yaml").read_text(encoding="utf-8"))


def test_every_fixture_has_an_expectation_and_every_expectation_a_fixture() -> None:
    files = {p.name for p in INVALID.iterdir() if p.name != "expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_gives_its_exit_code_and_message(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = EXPECTED[name]
    path = INVALID / name
    code = main(["validate", *expected.get("args", []), str(path)])
    out, err = capsys.readouterr()
    assert code == expected["exit"], err
    messages = expected["message"] if isinstance(expected["message"], list) else [expected["message"]]
    for message in messages:
        assert f"{path}: " in err
        assert message in err, err
    assert "Traceback" not in out + err
    for line in err.splitlines():
        assert line.startswith(f"{path}: "), line


def test_a_50_mb_input_is_refused_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yaml"
    line = "# " + "x" * 1021 + "\n"
    with path.open("w", encoding="utf-8") as out:
        out.write("incident_id: INC-2026-0001\n")
        for _ in range(50 * 1024):
            out.write(line)
    assert path.stat().st_size > MAX_INPUT_BYTES
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: input is too large (50.0 MB); the limit is 10 MB" in err
