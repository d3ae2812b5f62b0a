"""The exceptions and warnings pirdoc raises. Every exception derives from `PirdocError`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: the checks import the model, which imports this module
    from pirdoc.checks import Problem

__all__ = [
    "PirdocError",
    "ReviewProblemsError",
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


class ReviewProblemsError(PirdocError):
    """A review whose status is Final fails the final checks, so it is not rendered (pass
    ``allow_problems=True``, or ``--allow-problems`` on the command line, to render it anyway).
    ``problems`` holds the checks' `pirdoc.Problem` values, each with its path."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(
            "the review's status is Final but it fails the final checks (render it anyway with "
            f"allow_problems=True, or --allow-problems):\n{lines}"
        )


class RenderError(PirdocError):
    """A renderer could not produce its output (bad option, broken plugin, …)."""


class PirdocWarning(UserWarning):
    """Something was changed or dropped on the way to the output (e.g. a control character)."""
