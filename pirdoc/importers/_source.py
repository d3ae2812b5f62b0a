"""The parsed Markdown of one filled-in template, and how to read values out of it.

Everything here works on markdown-it-py's syntax tree (the narrative parser's configuration: raw
HTML off, GFM tables and strikethrough). Narrative values are taken from the source lines the tree
maps them to, never re-serialised, so the Markdown people wrote is the Markdown the review keeps.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, Final

from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from pirdoc.importers._tree import LazyNode, Node
from pirdoc.model import Person
from pirdoc.narrative import _parser, parser_for, sanitize

__all__ = [
    "Field", "Source", "escape_line_start", "has_markup", "inline_text", "leading_strong", "plain_text",
    "strip_break",
]

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PERSON_KEYS = {
    "role": "role",
    "email": "email",
    "confluence-account-id": "confluence_account_id",
    "confluence-userkey": "confluence_userkey",
}
# A "Label: value" item: the label is a few plain words.
_LABEL = re.compile(r"^(?P<label>[A-Za-z][\w ()'/&.,-]{0,60}?)\s*:(?:[ \t]+|$)")
# A "**Label:** value" line of a labelled paragraph.
_STRONG_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]+?)\*\*(?P<colon>:?)[ \t]*(?P<rest>.*)$")


_BLOCK_START = re.compile(r"^(?:[-+=](?=[-=\s]|$)|\d{1,9}[.)](?=\s|$)|#{1,6}(?=\s|$)|>|\*(?=\s))")
# What _BLOCK_START's match can start with, digits apart (\d is any Unicode digit).
_BLOCK_START_CHARACTERS: Final = frozenset("-+=#>*")


def escape_line_start(source: str) -> str:
    """Inline Markdown taken from the middle of a line (after ``Label:``, in a table cell) as a
    value of its own: a ``- ``, ``1. ``, ``# `` or ``>`` now at its start would begin a list,
    heading or quote, so it is escaped, as pirdoc's writer escapes text at a line start."""
    if source[:1] not in _BLOCK_START_CHARACTERS and not source[:1].isdigit():  # most values
        return source
    match = _BLOCK_START.match(source)
    if match is None:
        return source
    digits = len(match[0]) - 1 if match[0][0].isdigit() else 0
    return source[:digits] + "\\" + source[digits:]


def unescape(text: str) -> str:
    """Backslash escapes of ASCII punctuation removed, as CommonMark reads them."""
    return _ESCAPE.sub(r"\1", text)


def plain_text(nodes: Iterable[Node]) -> str:
    """The text a reader sees in inline ``nodes`` (markup dropped, breaks as space/newline)."""
    parts: list[str] = []
    for node in nodes:
        if node.type in ("text", "text_special", "code_inline"):
            parts.append(node.content)
        elif node.type == "softbreak":
            parts.append(" ")
        elif node.type == "hardbreak":
            parts.append("\n")
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


def inline_text(block: Node) -> str:
    """`plain_text` of a heading's or paragraph's inline content. Content without markup (most
    headings, and the paragraphs asked whether they are captions) reads as itself, so it is not
    parsed."""
    inline = block.children[0]
    return plain_text(inline.children) if has_markup(inline.content) else inline.content


def strip_break(line: str) -> str:
    """A line without the hard-break marker at its end (two spaces or a backslash)."""
    stripped = line.rstrip(" \t")
    trailing = len(stripped) - len(stripped.rstrip("\\"))
    if trailing % 2 == 1:
        stripped = stripped[:-1]
    return stripped.rstrip(" \t")


class Field:
    """One ``Label: value`` of a list item or a labelled paragraph."""

    __slots__ = ("key", "label", "line", "source")

    def __init__(self, label: str, source: str, line: int) -> None:
        self.label = label
        self.key = _label_key(label) if len(label) <= 100 else _key_of(label)
        self.source = source.strip()
        self.line = line


def _key_of(label: str) -> str:
    return " ".join(label.casefold().replace("-", " ").split())


# Remembered for short labels: a template's labels are the same in every review written into it.
_label_key = functools.lru_cache(maxsize=1024)(_key_of)


# The characters with which an inline Markdown value can differ from its plain text: escapes,
# code, emphasis, strikethrough, links and images, autolinks and HTML, entities, line breaks
# (and what the parser normalises: carriage returns, NUL); brackets apart, as a value of
# brackets only can read as itself (`reads_as_text`).
_MARKUP_NOT_BRACKETS = r"\\`*_~!<&\n\r\x00"  # a character class's content
_MARKUP = re.compile(rf"[{_MARKUP_NOT_BRACKETS}\[\]]")
_MARKUP_BUT_BRACKETS = re.compile(rf"[{_MARKUP_NOT_BRACKETS}]")


def has_markup(source: str) -> bool:
    """True when something in inline Markdown ``source`` could be markup; False when the parser
    would read it as its own plain text."""
    return _MARKUP.search(source) is not None


def reads_as_text(source: str, env: dict[str, Any]) -> bool:
    """True when markdown-it parses inline ``source`` into one text token holding ``source``: no
    markup, or brackets only (a template's ``[Yes/No]`` and ``[Name]``) where no ``](`` can make
    a link and no reference definition (in ``env``) a ``[label]``. Most values a template's
    reader asks for are such; a test compares with the parser."""
    if not source or _MARKUP_BUT_BRACKETS.search(source) is not None:
        return False
    return ("[" not in source and "]" not in source) or ("](" not in source and not env.get("references"))


def _as_text(source: str) -> list[Token]:
    """The tokens markdown-it's `parseInline` makes of ``source`` when it `reads_as_text`."""
    return [Token("inline", "", 0, map=[0, 1], content=source, children=[Token("text", "", 0, content=source)])]


def leading_strong(source: str) -> str | None:
    """The text of the strong emphasis that opens inline Markdown ``source`` (``**13:45 UTC** -
    Alert fired``) when that can be told without the parser: the text between the first two
    ``**`` has no markup, does not start or end with a space, and the closing ``**`` closes (it
    follows a letter or digit, or is followed by a space or the end). None otherwise, also when
    the parser might find a strong emphasis after all (a test compares with the parser)."""
    if not source.startswith("**"):
        return None
    end = source.find("**", 2)
    inner = source[2:end]
    if end < 3 or has_markup(inner) or inner != inner.strip():
        return None
    after = source[end + 2 : end + 3]
    if after == "*" or not (inner[-1].isalnum() or after in ("", " ", "\t")):
        return None
    return inner


class Source:
    """A filled-in template: its lines and its syntax tree."""

    def __init__(self, text: str) -> None:
        text = text.removeprefix("\ufeff")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            text = sanitize(text)
        self.removed_characters = bool(caught)
        self.text = text
        self.lines = text.split("\n")
        self.parser = _parser()
        self.env: dict[str, Any] = {}
        self.root = LazyNode(parser_for(text, inline=False).parse(text, self.env))
        self.root._read_inline = self._read_inline
        self._titles: dict[tuple[str, str], str | None] = {}
        # The same short values are read several times (is it a placeholder? its plain text?):
        # each is parsed once.
        self._inline: dict[str, list[Node]] = {}
        self._labelled: dict[Node, list[Field]] = {}  # nodes compare and hash by identity

    # -- source text

    def block_source(self, nodes: Sequence[Node], indent: int = 0) -> str:
        """The source lines of sibling blocks ``nodes``, ``indent`` columns removed."""
        mapped = [n for n in nodes if n.map is not None]
        if not mapped:
            return ""
        start = mapped[0].map[0]  # type: ignore[index]
        end = mapped[-1].map[1]  # type: ignore[index]
        lines = [_dedent(line, indent) for line in self.lines[start:end]]
        return "\n".join(lines).strip("\n").rstrip()

    def item_indent(self, item: Node) -> int:
        """The column where the content of list item ``item`` starts."""
        assert item.map is not None
        line = self.lines[item.map[0]]
        lead = len(line) - len(line.lstrip(" "))
        marker = len(item.info) + 1 if item.info else 1
        after = line[lead + marker :]
        spaces = len(after) - len(after.lstrip(" "))
        if spaces == 0 or spaces > 4 or not after.strip():
            spaces = 1
        return lead + marker + spaces

    @staticmethod
    def paragraph_source(paragraph: Node) -> str:
        """The Markdown of a paragraph, continuation lines without their indentation."""
        inline = paragraph.children[0] if paragraph.children else None
        content = inline.content if inline is not None else ""
        if "\n" not in content:  # most paragraphs: one line
            return content
        first, *rest = content.split("\n")
        return "\n".join([first, *(line.lstrip(" \t") for line in rest)])

    @staticmethod
    def line_of(node: Node) -> int:
        """1-based line number where ``node`` starts (0 when unknown)."""
        return node.first_line()

    # -- inline values

    def _read_inline(self, content: str) -> list[Token]:
        """The inline tokens of an inline node's ``content``, as the document parse makes them."""
        return self.parser.parseInline(content, self.env)[0].children or []

    def close(self) -> None:
        """Unlink the trees from their parents (and the root from this source). A syntax tree's
        nodes point at their parents, so each tree is a reference cycle that only the garbage
        collector's full collections free; unlinked, a template's trees go as soon as its import
        is done. Read nothing from the trees after this."""
        self.root._read_inline = None
        stack: list[Node] = [self.root]
        for nodes in self._inline.values():  # each list is the grandchildren of a tree of its own
            for node in nodes[:1]:
                while node._parent is not None:
                    node = node._parent
                stack.append(node)
        while stack:
            node = stack.pop()
            node._parent = None
            stack.extend(node._children)  # not .children: that would parse what was never read

    def inline(self, source: str) -> list[Node]:
        """The inline nodes of Markdown ``source`` (reference links resolve). The list is
        shared between callers: read it, do not change it."""
        nodes = self._inline.get(source)
        if nodes is None:
            tokens = _as_text(source) if reads_as_text(source, self.env) else self.parser.parseInline(source, self.env)
            root = Node(tokens)
            nodes = self._inline[source] = [child for inline in root.children for child in inline.children]
        return nodes

    def plain(self, source: str) -> str:
        """The plain text of inline Markdown ``source``."""
        if not has_markup(source):
            return source.strip()
        return plain_text(self.inline(source)).strip()

    def person(self, source: str) -> Person:
        """A person from ``Name``, ``[Name][person-3]`` (details from the definition) or
        ``[Name](mailto:…)``."""
        nodes = [n for n in self.inline(source) if not (n.type == "text" and not n.content.strip())]
        if len(nodes) == 1 and nodes[0].type == "link":
            link = nodes[0]
            name = plain_text(link.children).strip()
            href = str(link.attrs.get("href", ""))
            title = str(link.attrs.get("title", "") or "")
            details = self._person_details(href, title)
            if name:
                return Person(name=name, **details)
        return Person(name=plain_text(nodes).strip())

    def _person_details(self, href: str, title: str) -> dict[str, str]:
        raw = self._raw_title(href, title)
        details = _pairs(raw if raw is not None else title)
        if "email" not in details and href.lower().startswith("mailto:") and len(href) > 7:
            details["email"] = href[7:]
        return details

    def _raw_title(self, href: str, title: str) -> str | None:
        """The title of the reference definition with this href and title, as written
        (escapes kept, so that ``\\;`` inside a value does not split it)."""
        key = (href, title)
        if key not in self._titles:
            self._titles[key] = None
            for reference in self.env.get("references", {}).values():
                if reference.get("href") == href and reference.get("title") == title and reference.get("map"):
                    start, end = reference["map"]
                    self._titles[key] = _definition_title("\n".join(self.lines[start:end]))
                    break
        return self._titles[key]

    # -- fields

    def item_fields(self, item: Node) -> Field:
        """A list item read as ``Label: value`` (label empty when the item has none); a value of
        several blocks takes their source."""
        children = list(item.children)
        line = self.line_of(item)
        first = ""
        if children and children[0].type == "paragraph":
            first = self.paragraph_source(children[0])
            previous: Node | None = children.pop(0)
        else:
            previous = None
        label = ""
        match = _LABEL.match(first)
        if match:
            label = match["label"]
            first = escape_line_start(first[match.end() :])
        rest = self.block_source(children, self.item_indent(item)) if children else ""
        if rest and first.strip():
            tight = previous is not None and previous.map is not None and previous.map[1] == children[0].map[0]  # type: ignore[index]
            value = first.rstrip() + ("\n" if tight else "\n\n") + rest
        else:
            value = first + rest
        return Field(label, value, line)

    def labelled_lines(self, paragraph: Node) -> list[Field]:
        """``**Label:** value`` lines of a paragraph; lines without a label continue the value
        before them. Empty when the paragraph does not start with a label. The list is shared
        between callers (the readers ask of most paragraphs more than once): read it, do not
        change it."""
        fields = self._labelled.get(paragraph)
        if fields is None:
            fields = self._labelled[paragraph] = self._labelled_lines(paragraph)
        return fields

    def _labelled_lines(self, paragraph: Node) -> list[Field]:
        inline = paragraph.children[0] if paragraph.children else None
        if inline is None or not inline.content.startswith("**"):  # no label can start it
            return []
        source = self.paragraph_source(paragraph)
        base = self.line_of(paragraph)
        fields: list[tuple[str, list[str], int]] = []
        for offset, line in enumerate(source.split("\n")):
            match = _STRONG_LABEL.match(line)
            label = match["label"].strip() if match else ""
            if match and (label.endswith(":") or match["colon"]):
                fields.append((label.rstrip(":").strip(), [escape_line_start(match["rest"])], base + offset))
            elif fields:
                fields[-1][1].append(line)
            else:
                return []
        result = []
        for label, lines, number in fields:
            lines[-1] = strip_break(lines[-1])
            result.append(Field(label, "\n".join(lines), number))
        return result


def _dedent(line: str, indent: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]


def _definition_title(definition: str) -> str | None:
    """The raw title of a link reference definition ``[label]: <dest> "title"``."""
    position = 1
    while position < len(definition):
        if definition[position] == "\\":
            position += 2
            continue
        if definition[position] == "]":
            break
        position += 1
    position += 2  # past "]:"
    while position < len(definition) and definition[position] in " \t\n":
        position += 1
    destination = parseLinkDestination(definition, position, len(definition))
    if not destination.ok:
        return None
    position = destination.pos
    while position < len(definition) and definition[position] in " \t\n":
        position += 1
    title = parseLinkTitle(definition, position, len(definition))
    if not title.ok:
        return None
    return definition[position + 1 : title.pos - 1]


def _split_unescaped(text: str, separator: str, limit: int = -1) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator and (limit < 0 or len(parts) < limit):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _pairs(raw: str) -> dict[str, str]:
    """``role=Incident Commander; email=…`` (backslash-escaped ``;`` and ``=`` inside values)."""
    details: dict[str, str] = {}
    for pair in _split_unescaped(raw, ";"):
        key, *value = _split_unescaped(pair, "=", 1)
        attribute = _PERSON_KEYS.get(unescape(key).strip().casefold())
        if attribute and value:
            text = unescape(value[0]).strip()
            if text:
                details[attribute] = text
    return details
