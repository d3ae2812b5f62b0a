"""Renderers turn a `pirdoc.document.Document` into bytes, one module per format.

Built-in renderers sit in a static name → ``module:Class`` map and are imported only when asked
for, so ``import pirdoc`` never loads python-docx or reportlab. Third parties register classes under
the entry-point group ``pirdoc.renderers``; an entry point is loaded only when its name is asked
for. See docs/renderers.md.
"""

from __future__ import annotations

import difflib
import functools
import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from pirdoc._warn import warn
from pirdoc.document import Document
from pirdoc.errors import RenderError, UnknownRendererError
from pirdoc.renderers._reportlab_import import import_platypus

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = [
    "ENTRY_POINT_GROUP",
    "Renderer",
    "available_renderers",
    "get_renderer",
    "is_built_in",
    "is_plugin",
    "register_renderer",
    "renderer_for_suffix",
]

ENTRY_POINT_GROUP = "pirdoc.renderers"

_BUILTINS: dict[str, str] = {
    "markdown": "pirdoc.renderers._markdown:MarkdownRenderer",
    "docx": "pirdoc.renderers._docx:DocxRenderer",
    "pdf": "pirdoc.renderers._pdf:PdfRenderer",
    "confluence": "pirdoc.renderers._confluence:ConfluenceRenderer",
}

# Suffixes of the built-ins, so that choosing a format by file name imports nothing.
_BUILTIN_SUFFIXES: dict[str, str] = {
    "markdown": ".md",
    "docx": ".docx",
    "pdf": ".pdf",
    "confluence": ".confluence.xml",
}

_registered: dict[str, type[Renderer]] = {}


@runtime_checkable
class Renderer(Protocol):
    """What a renderer provides.

    ``options`` maps each option name the renderer accepts to a one-line description; `render`
    is only called with those names (the registry rejects others with a message listing them).
    A renderer sees nothing but the document and its options, and must be deterministic.
    """

    name: ClassVar[str]
    suffix: ClassVar[str]
    media_type: ClassVar[str]
    options: ClassVar[Mapping[str, str]]

    def render(self, document: Document, /, **options: Any) -> bytes:
        """Return the document in this renderer's format."""
        ...


@functools.cache
def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def entry_points(*, group: str) -> Iterable[EntryPoint]:
    """The installed packages' entry points in ``group``. importlib.metadata (a tenth of the
    command line's start-up) and the scan of every installed package happen only when a name
    that is not built in is asked for."""
    from importlib.metadata import entry_points as installed

    return installed(group=group)


def available_renderers() -> list[str]:
    """Names of every renderer that can be asked for, sorted; imports no renderer code."""
    return sorted({*_BUILTINS, *_registered, *_entry_points()})


def register_renderer(cls: type[Renderer], *, override: bool = False) -> None:
    """Register ``cls`` in this process under ``cls.name`` (for applications and tests)."""
    if not override and cls.name in available_renderers():
        raise RenderError(f"a renderer named {cls.name!r} is already registered")
    _registered[cls.name] = cls


def _load_class(name: str) -> type[Renderer]:
    if name in _registered:
        return _registered[name]
    if name in _BUILTINS:
        if name == "pdf":
            import_platypus()  # before the renderer's modules import it: see _reportlab_import
        module_name, _, attr = _BUILTINS[name].partition(":")
        cls: type[Renderer] = getattr(importlib.import_module(module_name), attr)
        return cls
    entry = _entry_points().get(name)
    if entry is None:
        raise UnknownRendererError(name, available_renderers())
    if name in _broken:
        raise RenderError(_broken[name])
    try:
        loaded: type[Renderer] = entry.load()
    except Exception as exc:  # a plugin's import may fail any way at all; it must not take pirdoc with it
        raise _plugin_failed(name, entry, f"failed to load: {type(exc).__name__}: {exc}") from exc
    if getattr(loaded, "name", None) != name:
        raise _plugin_failed(name, entry, f"does not provide a renderer: it must have name = {name!r}")
    missing = [attr for attr in ("suffix", "media_type", "options", "render") if not hasattr(loaded, attr)]
    if missing or not isinstance(loaded, type):
        lacking = ", ".join(missing) or "a class"
        raise _plugin_failed(name, entry, f"does not provide a renderer class (missing {lacking})")
    return loaded


_broken: dict[str, str] = {}
"""Plugins that failed to load in this process, with the message that said so (once)."""


def _plugin_failed(name: str, entry: EntryPoint, reason: str) -> RenderError:
    """The error for a broken plugin; the first time, also a `PirdocWarning` naming it."""
    message = f"the renderer plugin {name!r} ({entry.value}) {reason}"
    if name not in _broken:
        _broken[name] = message
        warn(message)
    return RenderError(message)


def is_built_in(name: str) -> bool:
    """True if ``name`` is a built-in renderer or one registered in this process (known without
    looking at installed plugins)."""
    return name in _BUILTINS or name in _registered


def is_plugin(name: str) -> bool:
    """True if ``name`` is a renderer from an installed plugin (not built in or registered here)."""
    return name not in _BUILTINS and name not in _registered and name in _entry_points()


def get_renderer(name: str) -> Renderer:
    """An instance of the renderer called ``name``; `UnknownRendererError` lists the others, and a
    plugin that fails to load or to provide a renderer raises `RenderError` (and is warned about
    once, as a `PirdocWarning` naming it and the error)."""
    cls = _load_class(name)
    try:
        return cls()
    except Exception as exc:
        if not is_plugin(name):
            raise
        raise _plugin_failed(name, _entry_points()[name], f"failed to start: {type(exc).__name__}: {exc}") from exc


def renderer_for_suffix(filename: str) -> str:
    """The name of the renderer whose suffix ends ``filename`` (longest suffix wins)."""
    lowered = filename.lower()
    best: tuple[int, str] | None = None
    for name in available_renderers():
        try:
            suffix = _BUILTIN_SUFFIXES.get(name) if name not in _registered else None
            suffix = suffix or _load_class(name).suffix
        except Exception:
            continue
        if lowered.endswith(suffix) and (best is None or len(suffix) > best[0]):
            best = (len(suffix), name)
    if best is None:
        raise UnknownRendererError(filename, available_renderers())
    return best[1]


def check_options(renderer: Renderer, options: Mapping[str, Any]) -> None:
    """Raise `RenderError` naming any option ``renderer`` does not accept."""
    unknown = sorted(set(options) - set(renderer.options))
    if unknown:
        known = ", ".join(sorted(renderer.options)) or "none"
        raise RenderError(f"{renderer.name}: unknown option(s) {', '.join(unknown)}; accepted: {known}")


_PAGE_SIZES = frozenset({"a4", "letter"})
_PAGE_SIZE_NAMES = {"a4": "A4", "letter": "Letter"}


def page_size_option(renderer: str, options: Mapping[str, Any]) -> str | None:
    """The ``page_size`` option as ``"a4"`` or ``"letter"`` (any case given), None when absent;
    `RenderError` naming ``renderer`` for any other value."""
    if "page_size" not in options:
        return None
    value = options["page_size"]
    size = value.strip().lower() if isinstance(value, str) else None
    if size not in _PAGE_SIZES:
        close = difflib.get_close_matches(str(value).strip().lower(), sorted(_PAGE_SIZES), n=1, cutoff=0.6)
        hint = f" (did you mean {_PAGE_SIZE_NAMES[close[0]]!r}?)" if close else ""
        raise RenderError(f"{renderer}: page_size must be A4 or Letter, not {value!r}{hint}")
    return size


def classification_option(renderer: str, document: Document, options: Mapping[str, Any]) -> str:
    """The ``classification`` option, or the document's when absent, on one line (it is a
    label in page headers); empty for none. `RenderError` naming ``renderer`` if not text."""
    value = options.get("classification")
    if value is None:
        value = document.meta.classification
    if not isinstance(value, str):
        raise RenderError(f"{renderer}: classification must be text, not {value!r}")
    return " ".join(value.split())
