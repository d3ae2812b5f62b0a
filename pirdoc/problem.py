"""`Problem`: one thing wrong with a review, as the checks report it and `ReviewProblemsError`
carries it. A module of its own so that the errors can name it without importing the checks."""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from pirdoc._methods import value_methods

__all__ = ["Level", "Problem"]

Level: TypeAlias = Literal["error", "warning"]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Problem:
    """Something wrong with a review, at ``path`` (``timeline[3].at``; empty for the whole review)."""

    path: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        prefix = "" if self.level == "error" else "warning: "
        return f"{self.path or 'review'}: {prefix}{self.message}"
