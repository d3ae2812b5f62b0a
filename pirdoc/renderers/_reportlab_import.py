"""Importing reportlab's paragraph module without compiling a pattern pirdoc never uses.

`reportlab.platypus.paragraph` compiles, as it is imported, a regular expression for web
addresses (``uri_pat``) that reportlab reads only to hyphenate a paragraph whose style asks for
``uriWasteReduce``; pirdoc's styles never do. The pattern has a case-insensitive class of nearly
all of Unicode, which Python's `re` takes 20–40 ms to compile: a third of importing reportlab, and
a tenth of a command that renders one review as PDF.

`import_platypus` imports that module with this one pattern deferred: it is compiled the first
time anything reads it (`Deferred`), and every other pattern is compiled as usual. The PDF
renderer is loaded through it (`pirdoc.renderers.get_renderer`). While the module is imported,
`re.compile` is a function that defers a pattern starting as reportlab's does and hands every
other one to `re.compile` itself, so a thread compiling at that moment gets what it would have
got. If reportlab's pattern changes, nothing is deferred and nothing else changes; if the
module is imported already, nothing happens.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any, Final

__all__ = ["Deferred", "import_platypus"]

_MODULE: Final = "reportlab.platypus.paragraph"
_URI_START: Final = r"(^(?:[a-z0-9\.\-\+]*)://)"  # how reportlab's web address pattern starts


class Deferred:
    """A regular expression compiled the first time one of its attributes is read."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        """True once the pattern has been compiled."""
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return getattr(compiled, name)


def import_platypus() -> None:
    """Import `reportlab.platypus.paragraph` (and the platypus package) with its web address
    pattern deferred; nothing when it is imported already."""
    if _MODULE in sys.modules:
        return
    compile_now = re.compile

    def compiling(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(_URI_START):
            return Deferred(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compiling
    try:
        importlib.import_module(_MODULE)
    finally:
        re.compile = compile_now
