"""The descriptions of the model's fields: the docstring written under each field in the source.

They are read from the source (once per class, when first asked for), and shown in three places:
``help(pirdoc.Review)`` (each class's ``__doc__`` gains a field list, built when first read),
the JSON Schema (``description``) and the field reference in docs/input-format.md.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
from typing import Any

import attrs

__all__ = ["document_fields", "field_docs"]


@functools.cache
def field_docs(cls: type) -> dict[str, str]:
    """The docstrings written under the fields of an attrs class in its source."""
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError, SyntaxError):  # no source available (zipped, frozen)
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


class _ClassDoc:
    """A class's ``__doc__`` that adds its fields' descriptions when first read: ``type.__doc__``
    calls ``__get__`` on what the class holds, so reading the source waits for ``help()``."""

    def __init__(self, doc: str | None) -> None:
        self.doc = inspect.cleandoc(doc or "")
        self.full: str | None = None

    def __get__(self, instance: object, owner: type | None = None) -> str:
        if self.full is None:
            if owner is None or not attrs.has(owner):
                return self.doc
            docs = field_docs(owner)
            lines = [f"{field.name}\n    {_indent(docs.get(field.name, ''))}" for field in attrs.fields(owner)]
            self.full = self.doc + "\n\nFields:\n\n" + "\n".join(lines) if lines else self.doc
        return self.full


def _indent(text: str) -> str:
    return "\n    ".join(text.splitlines())


def document_fields(namespace: dict[str, Any]) -> None:
    """Give every attrs class in ``namespace`` (a module's globals) a ``__doc__`` that lists its
    fields with their descriptions."""
    for value in list(namespace.values()):
        if isinstance(value, type) and attrs.has(value) and value.__module__ == namespace.get("__name__"):
            value.__doc__ = _ClassDoc(value.__dict__.get("__doc__"))  # type: ignore[assignment]
