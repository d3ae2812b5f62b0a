"""Putting one of pirdoc's functions in place of one of reportlab's (its word splitters, its
object formatting), keeping reportlab's own for the cases pirdoc hands back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["replace"]


def replace(owner: object, name: str, replacement: Callable[..., Any]) -> Callable[..., Any]:
    """Install ``replacement`` as ``owner.name`` and return the function it replaces: reportlab's
    own, also when the installing module runs again (a reload), when what it finds installed is
    its own earlier replacement, which remembers what that one replaced."""
    installed = getattr(owner, name)
    original: Callable[..., Any] = getattr(installed, "pirdoc_replaces", installed)
    setattr(replacement, "pirdoc_replaces", original)  # noqa: B010 - an attribute of our own on a function
    setattr(owner, name, replacement)
    return original
