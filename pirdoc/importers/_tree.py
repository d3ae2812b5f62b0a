"""The syntax tree of a filled-in template, built from markdown-it-py's tokens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Self

from markdown_it.token import Token
from markdown_it.tree import _NesterTokens

__all__ = ["LazyNode", "Node"]

_ROOT_HAS_NONE = "Root node does not have the accessed attribute"  # as SyntaxTreeNode says


class Node:
    """markdown-it-py's syntax tree (what `SyntaxTreeNode` offers: each node's type, children,
    parent, token or opening and closing tokens, and the token's attributes), built in one pass
    over the tokens.

    `SyntaxTreeNode` builds a node by copying the tokens it spans into a list and handing them
    to the node's constructor, which copies them again for each of its children: a token is
    copied once per node it lies within. Its nodes keep their fields in a dictionary and work
    out their type, and find the token whose attributes they show, at every reading (the
    readers ask tens of thousands of times a template). These nodes have slots, and both are
    set as a node is made; a container keeps its closing token, and pairs it with its opening
    one only when asked (`nester_tokens`, which the readers never ask for). The nodes, their
    tokens and their parents are the same (a test compares the two trees); building and freeing
    the tree was a tenth of reading a template."""

    __slots__ = ("_children", "_closing", "_parent", "_shown", "type")

    def __init__(self, tokens: Sequence[Token] = ()) -> None:
        self.type = "root"
        self._shown: Token | None = None  # the token whose attributes the node shows
        self._closing: Token | None = None  # a container's closing token
        self._parent: Node | None = None
        self._children: list[Any] = []
        self._set_children_from_tokens(tokens)

    @property
    def children(self) -> list[Self]:
        return self._children

    @property
    def parent(self) -> Self | None:
        return self._parent  # type: ignore[return-value]

    @property
    def token(self) -> Token | None:
        """A leaf's token (None for a container and the root)."""
        return self._shown if self._closing is None else None

    @property
    def nester_tokens(self) -> _NesterTokens | None:
        """A container's opening and closing tokens (None for a leaf and the root)."""
        closing = self._closing
        return None if closing is None else _NesterTokens(self._shown, closing)  # type: ignore[arg-type]

    def _set_children_from_tokens(self, tokens: Sequence[Token]) -> None:
        cls = type(self)
        new = object.__new__
        parents: list[Node] = [self]
        for token in tokens:
            nesting = token.nesting
            if nesting == -1:
                if len(parents) == 1:
                    raise ValueError("Invalid token nesting")
                parents.pop()._closing = token
                continue
            node = new(cls)
            node._shown = token
            node._closing = None
            parent = parents[-1]
            node._parent = parent
            node._children = []
            parent._children.append(node)
            if nesting == 1:
                node.type = token.type.removesuffix("_open")
                parents.append(node)
            elif nesting == 0:
                node.type = token.type
                if token.children:
                    node._set_children_from_tokens(token.children)
            else:
                raise ValueError("Invalid token nesting")
        if len(parents) > 1:
            raise ValueError(f"unclosed tokens starting {parents[1]._shown}")

    def first_line(self) -> int:
        """The 1-based line where the node starts: its token's, else its nearest ancestor's
        that has lines (0 when none has)."""
        node: Node | None = self
        while node is not None:
            token = node._shown
            if token is not None and token.map:
                return token.map[0] + 1
            node = node._parent
        return 0

    # The token's attributes, each read without a further call (the readers ask thousands of
    # times a template); the root has no token.

    @property
    def map(self) -> tuple[int, int] | None:
        token = self._shown
        if token is None:
            raise AttributeError(_ROOT_HAS_NONE)
        lines = token.map
        return (lines[0], lines[1]) if lines else None

    @property
    def tag(self) -> str:
        token = self._shown
        if token is None:
            raise AttributeError(_ROOT_HAS_NONE)
        return token.tag

    @property
    def attrs(self) -> dict[str, str | int | float]:
        token = self._shown
        if token is None:
            raise AttributeError(_ROOT_HAS_NONE)
        return token.attrs

    @property
    def level(self) -> int:
        token = self._shown
        if token is None:
            raise AttributeError(_ROOT_HAS_NONE)
        return token.level

    @property
    def content(self) -> str:
        token = self._shown
        if token is None:
            raise AttributeError(_ROOT_HAS_NONE)
        return token.content

    @property
    def markup(self) -> str:
        token = self._shown
        if token is None:
            raise AttributeError(_ROOT_HAS_NONE)
        return token.markup

    @property
    def info(self) -> str:
        token = self._shown
        if token is None:
            raise AttributeError(_ROOT_HAS_NONE)
        return token.info


class LazyNode(Node):
    """A syntax tree node whose inline content is parsed when its children are first read.

    Most of a filled-in template is narrative that the importer hands on as the source lines it
    spans, never looking inside; parsing its inline markup was half of reading the document. The
    parse is the one the whole-document parse makes (the same parser and the same reference
    definitions), so what a reader of the tree sees does not change."""

    __slots__ = ("_parsed", "_read_inline")  # _read_inline is the root's; _parsed, once parsed

    def __init__(self, tokens: Sequence[Token] = ()) -> None:
        self._read_inline: Callable[[str], list[Token]] | None = None
        super().__init__(tokens)

    @property
    def children(self) -> list[Self]:
        token = self._shown
        if (
            token is not None
            and token.type == "inline"
            and self._closing is None
            and not token.children
            and not hasattr(self, "_parsed")
        ):
            self._parsed = True
            root: Node = self
            while root._parent is not None:
                root = root._parent
            assert isinstance(root, LazyNode)
            assert root._read_inline is not None
            token.children = root._read_inline(token.content) if token.content else []
            self._set_children_from_tokens(token.children)
        return self._children
