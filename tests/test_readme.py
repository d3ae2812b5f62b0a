"""The README's Python example runs as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import pirdoc

ROOT = Path(__file__).parent.parent


def test_readme_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (source,) = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    (tmp_path / "fixtures").mkdir()
    shutil.copy(ROOT / "fixtures" / "example-review.yaml", tmp_path / "fixtures" / "example-review.yaml")
    example = pirdoc.load(ROOT / "fixtures" / "example-review.yaml")
    (tmp_path / "old-review.md").write_bytes(pirdoc.render(example, "markdown"))
    (tmp_path / "review.json").write_text(pirdoc.dumps(example, "json"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(source, "README.md", "exec"), namespace)
    assert (tmp_path / "out" / "INC-2026-0142.docx").read_bytes().startswith(b"PK")
    imported = namespace["review"]
    assert isinstance(imported, pirdoc.Review)
    assert (imported.incident_id, imported.title, imported.timeline[0].at) == (
        example.incident_id,
        example.title,
        example.timeline[0].at,
    )
    assert namespace["same"] == example
    assert pirdoc.from_dict(namespace["data"]) == example  # type: ignore[arg-type]
    printed = capsys.readouterr().out
    assert "['confluence', 'docx', 'markdown', 'pdf']" in printed
