"""The exceptions and warnings pirdoc raises. Every exception derives from `PirdocError`."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "PirdocError",
    "PirdocWarning",
    "RenderError",
    "ReviewLoadError",
    "UnknownRendererError",
]


class PirdocError(Exception):
    """The root of pirdoc's exceptions."""


class ReviewLoadError(PirdocError, ValueError):
    """Input could not be read as a review. ``errors`` holds one ``path: message`` line per problem."""

    def __init__(self, errors: Sequence[str], source: str | None = None) -> None:
        self.errors = tuple(errors)
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + e for e in self.errors))


class UnknownRendererError(PirdocError, LookupError):
    """No renderer has the requested name."""

    def __init__(self, name: str, available: Sequence[str]) -> None:
        self.name = name
        self.available = tuple(available)
        super().__init__(
            f"unknown format {name!r}; available formats: {', '.join(self.available)}"
        )


class RenderError(PirdocError):
    """A renderer could not produce its output (bad option, broken plugin, …)."""


class PirdocWarning(UserWarning):
    """Something was changed or dropped on the way to the output (e.g. a control character)."""
