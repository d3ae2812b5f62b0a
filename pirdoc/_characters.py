"""Characters that would make the formats disagree, neutralised once, field by field.

Bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) reorder the text
that follows them, and invisible format characters (zero-width space, word joiner, soft hyphen,
tag characters …) hide text or change it without a trace; each format handled them differently
(Word and Confluence reversed text after a U+202E, the PDF did not). Before layout, every text
field of a review has them replaced by a visible ``[U+202E]`` (with a `PirdocWarning` naming the
field), so every format shows the same characters. The zero-width (non-)joiners U+200C/U+200D
are kept: Persian, Indic scripts and emoji sequences need them, and they reorder nothing.

The same walk also removes what no format can carry (C0 controls but tab and newline, lone
surrogates, U+FFFE/U+FFFF) and records which writing systems each field uses
(`pirdoc.document.ScriptUse`), so a renderer whose fonts lack one can name the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Final, TypeVar

import attrs

from pirdoc import document as d
from pirdoc._attrs_fields import Where, fields_that_may_hold, path_text
from pirdoc._warn import warn

__all__ = ["UNCARRIABLE", "neutralise", "neutralise_review", "script_name"]

_T = TypeVar("_T")

# Unicode category Cf (format), less the joiners and the visible prepended concatenation marks
# (Arabic number signs and the like, which are drawn) and the Egyptian hieroglyph controls.
_INVISIBLE: Final = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
UNCARRIABLE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""C0 controls other than tab and newline, lone surrogates and the XML non-characters:
what no output format can carry."""

# Words that end the script part of a character name: DEVANAGARI [LETTER KA], GREEK [SMALL …].
_NAME_STOPS: Final = frozenset(
    {
        "LETTER", "CHARACTER", "SYLLABLE", "SIGN", "VOWEL", "CONSONANT", "DIGIT", "NUMBER",
        "MARK", "LIGATURE", "SMALL", "CAPITAL", "COMMA", "FULL", "QUESTION", "SEMICOLON",
        "PUNCTUATION", "IDEOGRAPH", "FRACTION", "NUMERAL", "TONE", "STOP", "SEPARATOR",
        "COMBINING", "MODIFIER", "FINAL", "MEDIAL", "INDEPENDENT", "DEPENDENT", "SUBJOINED",
    }
)  # fmt: skip


def _visible(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group()):04X}]"


def neutralise(text: str) -> str:
    """``text`` with every bidi control and invisible format character shown as ``[U+XXXX]``."""
    return _INVISIBLE.sub(_visible, text)


def _describe(characters: str) -> str:
    names = [f"U+{ord(c):04X} {unicodedata.name(c, 'format character')}" for c in dict.fromkeys(characters)]
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def _clean(text: str, path: str) -> str:
    """One text field as every format can show it; warns naming ``path`` for each change."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii() and text.isprintable():
        return text
    text, removed = UNCARRIABLE.subn("", text)
    if removed:
        warn(
            f"{path}: removed {removed} control or invalid character(s) that no output format can carry",
        )
    found = "".join(_INVISIBLE.findall(text))
    if found:
        warn(
            f"{path}: shown {len(found)} invisible or bidirectional control character(s) as text, e.g."
            f" [U+{ord(found[0]):04X}] ({_describe(found)}): each format would hide or reorder the text"
            " around them differently",
        )
        text = neutralise(text)
    return text


def script_name(char: str) -> str | None:
    """A reader's name for the writing system of ``char`` (``Devanagari``, ``CJK``,
    ``symbols``), or None for Latin letters, punctuation, spaces and controls."""
    category = unicodedata.category(char)
    if category[0] in "ZCP":
        return None
    if category[0] == "S":
        return "symbols"
    name = unicodedata.name(char, "")
    if name.startswith("CJK"):
        return "CJK"
    words: list[str] = []
    for word in name.split():
        if word in _NAME_STOPS or "-" in word:
            break
        words.append(word)
    if not words:  # e.g. Tangut ideographs, which the Unicode database names by code point only
        if not name:
            return "other letters"
        return "combining marks" if category[0] == "M" else "symbols"
    script = " ".join(words).title()
    return None if script == "Latin" else script


def _scripts(text: str, path: str) -> Iterator[d.ScriptUse]:
    if text.isascii():
        return
    found: dict[str, list[str]] = {}
    for char in dict.fromkeys(text):
        if ord(char) < 0x80:
            continue
        script = script_name(char)
        if script is not None:
            found.setdefault(script, []).append(char)
    for script, characters in found.items():
        yield d.ScriptUse(field=path, script=script, characters="".join(characters))


_TEXT: Final = (str,)


class _Walk:
    """One review's walk: every string cleaned, every script noted."""

    def __init__(self) -> None:
        self.scripts: list[d.ScriptUse] = []

    def value(self, value: Any, where: Where) -> Any:
        if type(value) is str:
            if value.isascii() and value.isprintable():
                return value  # nothing to clean, no script to note: no path text made
            path = path_text(where)
            cleaned = _clean(value, path)
            self.scripts.extend(_scripts(cleaned, path))
            return cleaned
        if isinstance(value, tuple | list) and value:
            items = [self.value(item, (where, index)) for index, item in enumerate(value)]
            if all(new is old for new, old in zip(items, value, strict=True)):
                return value
            return type(value)(items)
        fields = fields_that_may_hold(type(value), _TEXT)
        if fields is not None:
            return self.instance(value, fields, where)
        return value

    def instance(self, value: Any, fields: tuple[attrs.Attribute[Any], ...], where: Where) -> Any:
        changes: dict[str, Any] = {}
        for field in fields:
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = self.value(old, (where, field.name))
            if new is not old:
                changes[field.alias or field.name] = new
        return attrs.evolve(value, **changes) if changes else value


def neutralise_review(review: _T) -> tuple[_T, tuple[d.ScriptUse, ...]]:
    """``review`` (any attrs instance) with every text field cleaned, and the scripts its fields
    use. Each change warns with a `PirdocWarning` that names the field (``timeline[2].title``)."""
    walk = _Walk()
    cleaned: _T = walk.value(review, None)
    return cleaned, tuple(walk.scripts)
