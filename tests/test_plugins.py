"""Plugins can't break the house: a renderer plugin that fails to load, or loads something that is
not a renderer, is warned about once, by name and error; every built-in format keeps working.

The plugins are real distributions (a ``.dist-info`` folder with ``entry_points.txt``) in a folder
put on ``sys.path``, found by ``importlib.metadata`` as an installed package would be."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import pirdoc
import pirdoc.renderers as registry
from pirdoc.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"
BUILTINS = ["confluence", "docx", "markdown", "pdf"]

ENTRY_POINTS = """\
[pirdoc.renderers]
crashing = pirdoc_test_crashing:Renderer
missing = pirdoc_test_no_such_module:Renderer
notarenderer = pirdoc_test_plain:helper
plaintext = pirdoc_test_plain:PlainRenderer
"""

CRASHING = "raise RuntimeError('the plugin needs a licence server')\n"

PLAIN = '''\
from typing import Any, ClassVar


def helper() -> None:
    """Not a renderer."""


class PlainRenderer:
    name: ClassVar[str] = "plaintext"
    suffix: ClassVar[str] = ".txt"
    media_type: ClassVar[str] = "text/plain"
    options: ClassVar[dict[str, str]] = {}

    def render(self, document: Any, /, **options: Any) -> bytes:
        return document.meta.title.encode()
'''


def install_plugins(folder: Path) -> None:
    """A distribution ``pirdoc-test-plugins`` with one working and three broken renderers."""
    info = folder / "pirdoc_test_plugins-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pirdoc-test-plugins\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    (folder / "pirdoc_test_crashing.py").write_text(CRASHING)
    (folder / "pirdoc_test_plain.py").write_text(PLAIN)


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "site"
    install_plugins(folder)
    monkeypatch.syspath_prepend(str(folder))
    registry._entry_points.cache_clear()
    registry._broken.clear()
    yield folder
    for module in ("pirdoc_test_crashing", "pirdoc_test_plain"):
        sys.modules.pop(module, None)
    registry._entry_points.cache_clear()
    registry._broken.clear()


def pirdoc_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, pirdoc.PirdocWarning)]


def test_formats_lists_every_builtin_and_the_working_plugin_and_warns_once_per_broken_one(plugins: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = [info.name for info in pirdoc.formats()]
        second = [info.name for info in pirdoc.formats()]
    assert first == second == [*BUILTINS, "plaintext"]
    messages = pirdoc_warnings(caught)
    assert len(messages) == 3  # once each, though formats() ran twice
    assert any(
        "'crashing' (pirdoc_test_crashing:Renderer) failed to load: RuntimeError: the plugin needs a licence server"
        in m for m in messages
    )
    assert any("'missing' (pirdoc_test_no_such_module:Renderer) failed to load: ModuleNotFoundError" in m
               for m in messages)
    assert any("'notarenderer' (pirdoc_test_plain:helper) does not provide a renderer" in m for m in messages)
    assert all(w.filename == __file__ for w in caught if issubclass(w.category, pirdoc.PirdocWarning))


def test_every_builtin_format_still_renders_beside_broken_plugins(plugins: Path) -> None:
    review = pirdoc.load(EXAMPLE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for name in BUILTINS:
            assert pirdoc.render(review, name)
        assert pirdoc.render(review, "plaintext") == review.title.encode()
    assert pirdoc_warnings(caught) == []  # a broken plugin not asked for is not even loaded
    with pytest.raises(pirdoc.RenderError, match=r"'crashing'.*licence server"), pytest.warns(pirdoc.PirdocWarning):
        pirdoc.render(review, "crashing")


def test_pirdoc_formats_and_render_all_work_beside_broken_plugins(
    plugins: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["formats"]) == 0
    out, err = capsys.readouterr()
    assert [line.split()[0] for line in out.splitlines() if not line.startswith(" ")] == [*BUILTINS, "plaintext"]
    assert len(err.splitlines()) == 3
    assert all(line.startswith("pirdoc formats: warning: the renderer plugin ") for line in err.splitlines())
    out_dir = tmp_path / "out"
    assert main(["render", str(EXAMPLE), "-f", "all", "-o", str(out_dir), "-q", "-j", "1"]) == 0
    assert sorted(p.suffix for p in out_dir.iterdir()) == [".docx", ".md", ".pdf", ".txt", ".xml"]


def test_pirdoc_formats_in_a_real_process_beside_broken_plugins(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    install_plugins(folder)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-m", "pirdoc", "formats"], capture_output=True, text=True, env=env, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("pirdoc formats: warning: the renderer plugin") == 3
    assert [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")] == [
        *BUILTINS,
        "plaintext",
    ]
