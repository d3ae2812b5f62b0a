"""The exceptions and warnings pirdoc raises. Every exception derives from `PirdocError`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named here; importing it (and attrs) made `import pirdoc` twice as slow
    from pirdoc.problem import Problem

__all__ = [
    "PirdocError",
    "ReviewProblemsError",
    "PirdocWarning",
    "RenderError",
    "ReviewLoadError",
    "FieldError",
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


class FieldError(ReviewLoadError, TypeError):
    """A value given for a field that is not of the field's type and cannot be read as one.

    ``pairs`` holds ``(path, message)`` for every problem, the path counted from the object being
    built (``timeline[2].at``); ``errors`` holds them as ``path: message`` lines, as a review file's
    errors are."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = tuple(pairs)
        super().__init__([f"{path or 'top level'}: {message}" for path, message in self.pairs])


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
