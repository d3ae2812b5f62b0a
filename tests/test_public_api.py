"""The public surface: what `import pirdoc` offers, and what it does not import."""

from __future__ import annotations

import importlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pirdoc
import pirdoc.model


def test_all_is_sorted_and_complete() -> None:
    assert pirdoc.__all__ == sorted(pirdoc.__all__)
    expected = {
        *pirdoc.model.__all__,
        "Severity",
        "Status",
        "load",
        "loads",
        "dump",
        "dumps",
        "check",
        "Problem",
        "PirdocError",
        "PirdocWarning",
        "RenderError",
        "ReviewLoadError",
        "UnknownRendererError",
        "__version__",
        "render",
        "write",
        "formats",
        "FormatInfo",
        "layout",
    }
    assert expected <= set(pirdoc.__all__)
    for name in pirdoc.__all__:
        assert hasattr(pirdoc, name), name


def test_model_classes_are_the_same_objects() -> None:
    assert pirdoc.Review is pirdoc.model.Review
    assert pirdoc.Severity.SEV1.value == "SEV-1"


def test_version_matches_the_installed_metadata_or_the_fallback() -> None:
    try:
        expected = importlib.metadata.version("pirdoc")
    except importlib.metadata.PackageNotFoundError:
        expected = "0.1.0"
    assert pirdoc.__version__ == expected


def test_load_errors_are_pirdoc_errors_and_value_errors() -> None:
    assert issubclass(pirdoc.ReviewLoadError, pirdoc.PirdocError)
    assert issubclass(pirdoc.ReviewLoadError, ValueError)


def test_import_pirdoc_does_not_import_heavy_libraries() -> None:
    code = "import sys, pirdoc, pirdoc.cli; print([m for m in ('docx', 'reportlab', 'lxml') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_import_pirdoc_alone_does_not_build_the_model() -> None:
    # attrs and the model's classes are most of pirdoc's start-up; `import pirdoc` (to catch a
    # PirdocError, to read the version) needs neither until a name from them is asked for
    code = (
        "import sys, pirdoc;"
        "print([m for m in ('attr', 'attrs', 'pirdoc.problem', 'pirdoc.model') if m in sys.modules]);"
        "pirdoc.Problem; print('pirdoc.problem' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "True"]


def test_the_command_line_loads_what_a_command_needs_when_it_runs(tmp_path: Path) -> None:
    # YAML, cattrs (review files), importlib.metadata (--version, plugins) and multiprocessing
    # (several inputs) were a fifth of every command's start-up; rendering a filled template
    # needs none of them (the content digest is taken without cattrs).
    later = ("yaml", "cattrs", "importlib.metadata", "multiprocessing")
    source = "fixtures/real-world/atlassian-2022-04-site-deletion.md"
    code = (
        "import sys, pirdoc.cli\n"
        f"print([m for m in {later!r} if m in sys.modules])\n"
        f"pirdoc.cli.main(['render', {source!r}, '-f', 'md', '-o', sys.argv[1], '--allow-problems', '--quiet'])\n"
        f"print([m for m in {later!r} if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["[]", "[]"]
    assert (tmp_path / "atlassian-2022-04-site-deletion.md").is_file()


def test_layout_stays_the_function_after_its_submodule_is_imported() -> None:
    code = (
        "import pirdoc\n"
        "review = pirdoc.load('fixtures/example-review.yaml')\n"
        "pirdoc.render(review, 'markdown')\n"  # imports the submodule pirdoc.layout
        "import pirdoc.layout\n"
        "from pirdoc import layout\n"
        "assert layout is pirdoc.layout\n"
        "print(type(pirdoc.layout(review)).__name__)\n"
    )
    root = Path(__file__).parent.parent
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=root)
    assert result.stderr == ""
    assert result.stdout.strip() == "Document"


def test_layout_is_the_function_in_this_process_too() -> None:
    importlib.import_module("pirdoc.layout")
    assert pirdoc.layout is sys.modules["pirdoc.layout"].layout
