"""Putting one of pirdoc's functions in place of a library's (reportlab's word splitters and
object formatting, markdown-it-py's table row splitter), keeping the library's own for the cases
pirdoc hands back to it. A replacement installed in a library's module is seen by every user of
that module in the process, so it must answer exactly as the function it replaces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["replace"]


def replace(owner: object, name: str, replacement: Callable[..., Any]) -> Callable[..., Any]:
    """Install ``replacement`` as ``owner.name`` and return the function it replaces: the
    library's own, also when the installing module runs again (a reload), when what it finds
    installed is its own earlier replacement, which remembers what that one replaced."""
    installed = getattr(owner, name)
    original: Callable[..., Any] = getattr(installed, "pirdoc_replaces", installed)
    setattr(replacement, "pirdoc_replaces", original)  # noqa: B010 - an attribute of our own on a function
    setattr(owner, name, replacement)
    return original
