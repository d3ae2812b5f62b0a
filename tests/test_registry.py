"""The renderer registry: built-ins, entry-point plugins loaded lazily, the documented example."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import pirdoc.renderers as registry
from pirdoc.api import formats, render, write
from pirdoc.errors import PirdocWarning, RenderError, UnknownRendererError
from pirdoc.serde import load
from tests.documents import every_node_document

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"


def documented_plugin() -> types.ModuleType:
    """The module whose source is the Python code block of docs/renderers.md."""
    page = (ROOT / "docs" / "renderers.md").read_text(encoding="utf-8")
    source = next(block for block in re.findall(r"```python\n(.*?)```", page, re.S) if "# pirdoc_plaintext.py" in block)
    module = types.ModuleType("pirdoc_plaintext")
    sys.modules["pirdoc_plaintext"] = module
    exec(compile(source, "docs/renderers.md", "exec"), module.__dict__)
    return module


@pytest.fixture
def clean_registry() -> Iterator[None]:
    saved = dict(registry._registered)
    registry._entry_points.cache_clear()
    registry._broken.clear()
    yield
    registry._registered.clear()
    registry._registered.update(saved)
    registry._entry_points.cache_clear()
    registry._broken.clear()


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, **entries: str) -> None:
    points = [EntryPoint(name=name, value=value, group=registry.ENTRY_POINT_GROUP) for name, value in entries.items()]
    monkeypatch.setattr(registry, "entry_points", lambda group: points if group == registry.ENTRY_POINT_GROUP else [])
    registry._entry_points.cache_clear()


def test_builtins_are_listed_without_importing_them() -> None:
    code = (
        "import sys, pirdoc.renderers as r; names = r.available_renderers();"
        "print(names, [m for m in ('docx', 'reportlab', 'pirdoc.renderers._docx') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['confluence', 'docx', 'markdown', 'pdf'] []"


def test_unknown_format_lists_the_available_ones() -> None:
    with pytest.raises(UnknownRendererError, match="available formats: confluence, docx, markdown, pdf"):
        render(load(EXAMPLE), "html")


def test_unknown_option_names_the_accepted_ones() -> None:
    with pytest.raises(RenderError, match="unknown option"):
        render(load(EXAMPLE), "markdown", page_size="A4")


def test_formats_describe_each_builtin() -> None:
    by_name = {info.name: info for info in formats()}
    assert by_name["markdown"].suffix == ".md"
    assert by_name["confluence"].suffix == ".confluence.xml"
    assert by_name["docx"].media_type.startswith("application/vnd.openxmlformats")


def test_suffix_picks_the_renderer() -> None:
    assert registry.renderer_for_suffix("review.md") == "markdown"
    assert registry.renderer_for_suffix("REVIEW.PDF") == "pdf"
    assert registry.renderer_for_suffix("space.confluence.xml") == "confluence"
    with pytest.raises(UnknownRendererError):
        registry.renderer_for_suffix("review.odt")


def test_documented_plugin_registers_in_process(clean_registry: None, tmp_path: Path) -> None:
    plugin = documented_plugin()
    registry.register_renderer(plugin.PlainTextRenderer)
    out = render(load(EXAMPLE), "plaintext", width=10).decode()
    assert out.startswith("Checkout failures after connection-pool change\n==========\n")
    assert "Root Cause Analysis" in out
    written = write(load(EXAMPLE), tmp_path / "review.txt")
    assert written.read_bytes() == render(load(EXAMPLE), "plaintext")


def test_duplicate_registration_is_refused(clean_registry: None) -> None:
    plugin = documented_plugin()
    registry.register_renderer(plugin.PlainTextRenderer)
    with pytest.raises(RenderError, match="already registered"):
        registry.register_renderer(plugin.PlainTextRenderer)


def test_documented_plugin_loads_through_its_entry_point(clean_registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    documented_plugin()
    fake_entry_points(monkeypatch, plaintext="pirdoc_plaintext:PlainTextRenderer")
    assert "plaintext" in registry.available_renderers()
    assert b"Lessons Learned" in render(load(EXAMPLE), "plaintext")


def test_broken_plugin_fails_only_when_asked_for(clean_registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, broken="pirdoc_no_such_module:Renderer")
    assert "broken" in registry.available_renderers()
    assert render(load(EXAMPLE), "markdown")
    with pytest.raises(RenderError, match=r"broken.*failed to load"), pytest.warns(PirdocWarning, match="broken"):
        render(load(EXAMPLE), "broken")


def test_plugin_name_must_match_its_entry_point(clean_registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    documented_plugin()
    fake_entry_points(monkeypatch, text="pirdoc_plaintext:PlainTextRenderer")
    with pytest.raises(RenderError, match="must have name = 'text'"), pytest.warns(PirdocWarning, match="'text'"):
        render(load(EXAMPLE), "text")


def test_page_size_option_is_a4_or_letter_in_any_case() -> None:
    assert registry.page_size_option("pdf", {}) is None
    assert registry.page_size_option("pdf", {"page_size": " Letter "}) == "letter"
    assert registry.page_size_option("pdf", {"page_size": "A4"}) == "a4"
    with pytest.raises(RenderError, match=r"^x: page_size must be A4 or Letter, not None$"):
        registry.page_size_option("x", {"page_size": None})


def test_classification_option_is_one_line_and_defaults_to_the_documents() -> None:
    document = every_node_document()
    assert registry.classification_option("pdf", document, {}) == document.meta.classification
    assert registry.classification_option("pdf", document, {"classification": " Internal\n only "}) == "Internal only"
    assert registry.classification_option("pdf", document, {"classification": ""}) == ""


class _PageSize:
    def __str__(self) -> str:
        return "A4"


@pytest.mark.parametrize("name", ["docx", "pdf"])
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"page_size": "A3"}, "page_size must be A4 or Letter, not 'A3'"),
        ({"page_size": _PageSize()}, "page_size must be A4 or Letter, not <"),
        ({"page_size": None}, "page_size must be A4 or Letter, not None"),
        ({"classification": 3}, "classification must be text, not 3"),
    ],
)
def test_docx_and_pdf_check_page_size_and_classification_alike(
    name: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(RenderError, match=f"^{name}: {re.escape(message)}"):
        registry.get_renderer(name).render(every_node_document(), **options)


def test_docx_refuses_an_unknown_option_as_the_registry_does() -> None:
    with pytest.raises(RenderError) as raised:
        registry.get_renderer("docx").render(every_node_document(), colour="red")
    assert str(raised.value) == (
        "docx: unknown option(s) colour; accepted: classification, page_size, template, toc, update_fields"
    )

