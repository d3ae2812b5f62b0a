"""The raw XML of Confluence storage format: namespaces, element helpers and the serialiser.

Storage format is a *fragment*: top-level siblings, the ``ac:``/``ri:`` prefixes implicitly bound,
no XML declaration, no DOCTYPE, no ``xmlns``. pirdoc builds it as an lxml tree under a wrapper
element that declares the two prefixes, serialises the tree, and cuts the wrapper off again.

Code bodies must be CDATA (the form Confluence writes and shows verbatim) with every ``]]>`` split
across two sections. lxml's tree API holds only one CDATA node per element and refuses ``]]>`` in
it, so the tree keeps code as ordinary text and the serialiser is an identity XSLT transform with
``cdata-section-elements``: libxml2 then writes those elements' text as CDATA and does the split
itself (``x]]>y`` becomes ``<![CDATA[x]]]]><![CDATA[>y]]>``). Everything else (escaping only
``& < > "``, literal UTF-8, self-closed empty elements, prefixes declared once on the wrapper) is
libxml2's ordinary serialisation. No XML is ever assembled from strings.

Only the renderer imports this module, so lxml (installed with python-docx) loads only when a
Confluence page is rendered.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeAlias

from lxml import etree

__all__ = [
    "AC_NS",
    "NSMAP",
    "RI_NS",
    "Element",
    "ac",
    "add_text",
    "child",
    "macro",
    "new_fragment",
    "ri",
    "serialise",
]

AC_NS: Final = "http://atlassian.com/content"
RI_NS: Final = "http://atlassian.com/resource/identifier"
NSMAP: Final[Mapping[str, str]] = {"ac": AC_NS, "ri": RI_NS}

Element: TypeAlias = Any
"""An lxml element (lxml ships no type information)."""

_WRAPPER: Final = "pirdoc-fragment"

# Characters outside the XML 1.0 ``Char`` production; lxml refuses them and Confluence rejects
# the page. Layout already removes them from Documents; this is the last line of defence for
# hand-built ones.
_NOT_XML_CHAR: Final = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NEWLINES: Final = re.compile("\r\n?")


def ac(local: str) -> str:
    """The qualified name of ``ac:local``."""
    return f"{{{AC_NS}}}{local}"


def ri(local: str) -> str:
    """The qualified name of ``ri:local``."""
    return f"{{{RI_NS}}}{local}"


_CDATA_ELEMENTS: Final = ("ac:plain-text-body", "ac:plain-text-link-body")

_IDENTITY_XSLT: Final = f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:ac="{AC_NS}">
  <xsl:output method="xml" encoding="UTF-8" omit-xml-declaration="yes" indent="no"
              cdata-section-elements="{" ".join(_CDATA_ELEMENTS)}"/>
  <xsl:template match="@*|node()">
    <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
  </xsl:template>
</xsl:stylesheet>
"""


@functools.cache
def _serialiser() -> Any:
    """The identity transform, compiled once on first use."""
    return etree.XSLT(etree.XML(_IDENTITY_XSLT))


def clean(text: str) -> str:
    """``text`` without the characters XML cannot hold, and with CR/CRLF read as LF (a parser
    would turn them into LF anyway; inside CDATA nothing can keep them)."""
    return _NOT_XML_CHAR.sub("", _NEWLINES.sub("\n", text))


def new_fragment() -> Element:
    """The wrapper that holds a page's top-level elements and declares ``ac:`` and ``ri:``."""
    return etree.Element(_WRAPPER, nsmap=dict(NSMAP))


def child(
    parent: Element,
    tag: str,
    attrib: Mapping[str, str] | None = None,
    *,
    text: str | None = None,
) -> Element:
    """Append a ``tag`` element to ``parent``; attribute values and text are cleaned."""
    element = etree.SubElement(parent, tag, {k: clean(v) for k, v in attrib.items()} if attrib else None)
    if text:
        element.text = clean(text)
    return element


def add_text(parent: Element, text: str) -> None:
    """Append ``text`` after whatever ``parent`` already holds (mixed content)."""
    if not text:
        return
    text = clean(text)
    # not len(parent): lxml counts the children one by one, and a paragraph of many links
    # made this quadratic; the last child is found directly
    last = next(iter(parent.iterchildren(reversed=True)), None)
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def parameter_value(value: str) -> str:
    """A macro parameter value: Confluence reads surrounding or embedded line breaks as part of
    the value, so whitespace runs become one space and the ends are trimmed."""
    return " ".join(clean(value).split())


def macro(parent: Element, name: str, parameters: Iterable[tuple[str, str]] = ()) -> Element:
    """Append ``<ac:structured-macro ac:name=name>`` with its ``ac:parameter`` children.

    No ``ac:macro-id``: Confluence adds one on save, and leaving it out keeps output stable.
    """
    element = child(parent, ac("structured-macro"), {ac("name"): name, ac("schema-version"): "1"})
    for key, value in parameters:
        child(element, ac("parameter"), {ac("name"): key}, text=parameter_value(value))
    return element


def serialise(fragment: Element) -> bytes:
    """The storage-format bytes (UTF-8) of the wrapper's content, without the wrapper."""
    result = bytes(_serialiser()(fragment))
    head = b"<" + _WRAPPER.encode()
    if not result.startswith(head):  # pragma: no cover - would be an lxml change
        raise AssertionError(f"unexpected serialisation start: {result[:80]!r}")
    start_tag_end = result.index(b">") + 1
    if result[start_tag_end - 2 : start_tag_end] == b"/>":
        return b""
    end = result.rindex(b"</" + _WRAPPER.encode() + b">")
    return result[start_tag_end:end]
