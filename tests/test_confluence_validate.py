"""A strict reader of Confluence storage format for the renderer's tests, and the tests that prove
it rejects what Confluence would reject (syntax) or silently mis-render (meaning).

Confluence parses the body as XML and then accepts any macro name, parameter name or colour, so
`parse_storage` checks the syntax with the stdlib's expat (which rejects named entities, bare
``&``, unclosed void elements and unbound prefixes just as Confluence does) and `problems` checks
the meaning against pirdoc's allow-lists.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from typing import Literal

import pytest

# Any URIs do, as long as they are consistent: Confluence never sees this wrapper.
AC = "http://atlassian.com/content"
RI = "http://atlassian.com/resource/identifier"
Edition = Literal["cloud", "datacenter"]


def ac(local: str) -> str:
    return f"{{{AC}}}{local}"


def ri(local: str) -> str:
    return f"{{{RI}}}{local}"


HTML_ELEMENTS = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "del", "sub", "sup"),
        *("code", "pre", "blockquote", "br", "hr", "ul", "ol", "li", "a", "span", "time"),
        *("table", "colgroup", "col", "thead", "tbody", "tr", "th", "td"),
    }
)
HTML_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "time": frozenset({"datetime"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
}
AC_ELEMENTS = frozenset(
    ac(name)
    for name in (
        *("structured-macro", "parameter", "rich-text-body", "plain-text-body"),
        *("task-list", "task", "task-id", "task-status", "task-body"),
        *("link", "plain-text-link-body", "link-body"),
        "image",  # figures as attachments (pirdoc publish)
    )
)
PANEL_PARAMETERS = frozenset({"title", "icon"})
MACRO_PARAMETERS: Mapping[str, frozenset[str]] = {
    "status": frozenset({"colour", "title", "subtle"}),
    "info": PANEL_PARAMETERS,
    "note": PANEL_PARAMETERS,
    "warning": PANEL_PARAMETERS,
    "toc": frozenset({"minLevel", "maxLevel", "style", "type", "outline", "printable"}),
    "code": frozenset({"language", "title", "linenumbers", "collapse", "theme", "firstline"}),
    "anchor": frozenset({""}),
    "details": frozenset({"id", "hidden"}),
    # reference §4.12: the Data Center panel parameters (Cloud keeps bgColor on its custom panels)
    "panel": frozenset({"title", "borderStyle", "borderColor", "borderWidth", "bgColor", "titleBGColor", "titleColor"}),
    # figures as attachments, and pirdoc publish's index page
    "expand": frozenset({"title"}),
    "detailssummary": frozenset({"cql", "headings", "sortBy", "reverseSort", "pageSize", "firstcolumn", "id"}),
}
MACRO_BODIES: Mapping[str, str | None] = {
    "status": None,
    "toc": None,
    "anchor": None,
    "code": "plain-text-body",
    "info": "rich-text-body",
    "note": "rich-text-body",
    "warning": "rich-text-body",
    "details": "rich-text-body",
    "panel": "rich-text-body",
    "expand": "rich-text-body",
    "detailssummary": None,
}
COLOURS: Mapping[Edition, frozenset[str]] = {
    "datacenter": frozenset({"Grey", "Red", "Yellow", "Green", "Blue"}),
    "cloud": frozenset({"Grey", "Red", "Yellow", "Green", "Blue", "Purple"}),
}
CODE_LANGUAGES = frozenset(
    {
        *("none", "bash", "sql", "python", "javascript", "java", "diff", "powershell", "ruby"),
        *("css", "cpp", "csharp", "php", "perl", "scala", "groovy", "erlang"),
        *("json", "yaml", "go", "typescript", "kotlin", "rust", "xml", "html", "html/xml"),
    }
)
USER_ATTRIBUTE: Mapping[Edition, str] = {"cloud": ri("account-id"), "datacenter": ri("userkey")}

_REFERENCE = re.compile(r"&([^;\s]*);?")
_ALLOWED_REFERENCES = frozenset({"amp", "lt", "gt", "quot", "#9", "#10", "#13"})
_OPEN_VOID = re.compile(r"<(br|hr|time|col)\b[^>]*(?<!/)>|</(br|hr|time|col|ri:user)>")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_PANEL_COLOURS = ("bgColor", "borderColor", "titleBGColor", "titleColor")
_BORDER_STYLES = frozenset({"solid", "dashed", "dotted", "double", "none"})
_SAFE_HREF = re.compile(r"(?i:https?://|mailto:)\S+")


def parse_storage(data: bytes) -> ET.Element:
    """The fragment parsed strictly inside a wrapper that declares ``ac`` and ``ri``.

    Raises AssertionError for what a parser would let through but the fragment rules forbid:
    a declaration, DOCTYPE, xmlns, entities other than ``&amp; &lt; &gt; &quot;`` (numeric
    references only for tab/LF/CR in attributes), HTML-style void elements, volatile ids."""
    text = data.decode("utf-8")  # strict: the output is UTF-8
    for forbidden in ("<?xml", "<!DOCTYPE", "xmlns", "ac:macro-id", "ac:task-uuid", "ac:local-id"):
        assert forbidden not in text, f"fragment contains {forbidden!r}"
    references = {m.group(1) for m in _REFERENCE.finditer(_without_cdata(text))}
    assert references <= _ALLOWED_REFERENCES, f"unexpected references {references - _ALLOWED_REFERENCES}"
    open_void = _OPEN_VOID.search(_without_cdata(text))
    assert open_void is None, f"void element not self-closed: {open_void.group(0)!r}"
    return ET.fromstring(f'<pirdoc-root xmlns:ac="{AC}" xmlns:ri="{RI}">{text}</pirdoc-root>')


def _without_cdata(text: str) -> str:
    return re.sub(r"<!\[CDATA\[.*?\]\]>", "", text, flags=re.DOTALL)


# ---------------------------------------------------------------------------- tree helpers


def macros(root: ET.Element, name: str | None = None) -> list[ET.Element]:
    """The structured macros under ``root`` (named ``name``), in document order."""
    return [m for m in root.iter(ac("structured-macro")) if name is None or m.get(ac("name")) == name]


def parameter(macro: ET.Element, name: str) -> str | None:
    for element in macro.findall(ac("parameter")):
        if element.get(ac("name")) == name:
            return element.text or ""
    return None


def reader_text(element: ET.Element, *, dates: bool = False) -> str:
    """The text a reader sees in ``element``: macro parameters and ids are not shown. With
    ``dates``, a date lozenge (``<time datetime>``) shows its date, as Confluence displays it
    (in its own format); without, it shows nothing, so tests can look at the text around it."""
    lozenge = element.get("datetime", "") if dates and element.tag == "time" else ""
    parts: list[str] = [element.text or lozenge]
    for sub in element:
        if sub.tag not in (ac("parameter"), ac("task-id"), ac("task-status")):
            parts.append(reader_text(sub, dates=dates))
        parts.append(sub.tail or "")
    return "".join(parts)


def iter_with_parents(root: ET.Element) -> Iterator[tuple[ET.Element, ET.Element]]:
    for parent in root.iter():
        for sub in parent:
            yield sub, parent


# ---------------------------------------------------------------------------- meaning


def problems(root: ET.Element, edition: Edition = "cloud") -> list[str]:
    """Everything in the parsed fragment that Confluence would accept but mis-render."""
    found: list[str] = []
    anchors = {parameter(m, "") for m in macros(root, "anchor")}
    task_ids: list[str] = []
    for element, parent in iter_with_parents(root):
        tag = element.tag
        where = f"<{tag}> in <{parent.tag}>"
        if not tag.startswith("{"):
            if tag not in HTML_ELEMENTS:
                found.append(f"element not allowed: {where}")
            extra = set(element.attrib) - HTML_ATTRIBUTES.get(tag, frozenset())
            if extra:
                found.append(f"attributes {sorted(extra)} not allowed on {where}")
        elif tag.startswith(f"{{{RI}}}"):
            if parent.tag not in (ac("link"), ac("parameter"), ac("image")):
                found.append(f"resource identifier outside a link: {where}")
        elif tag not in AC_ELEMENTS:
            found.append(f"ac element not allowed: {where}")
        match tag:
            case "li":
                if parent.tag not in ("ul", "ol"):
                    found.append(f"list item outside a list: {where}")
            case "ul" | "ol":
                if any(sub.tag != "li" for sub in element):
                    found.append(f"a list holds more than list items: {where}")
            case "time":
                value = element.get("datetime", "")
                if not _is_date(value):
                    found.append(f"time datetime is not YYYY-MM-DD: {value!r}")
                if element.text or len(element):
                    found.append("time element has content")
            case "a":
                if not _SAFE_HREF.fullmatch(element.get("href", "")):
                    found.append(f"link is not http, https or mailto: {element.get('href')!r}")
        if tag == ac("structured-macro"):
            found += _macro_problems(element, edition)
        elif tag == ac("task-list"):
            for task in element:
                found += _task_problems(task, task_ids)
        elif tag == ac("link"):
            found += _link_problems(element, edition, anchors)
    duplicates = {i for i in task_ids if task_ids.count(i) > 1}
    if duplicates:
        found.append(f"task ids used more than once on the page: {sorted(duplicates)}")
    return found


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _macro_problems(macro: ET.Element, edition: Edition) -> list[str]:
    name = macro.get(ac("name"), "")
    if name not in MACRO_PARAMETERS:
        return [f"macro name not allowed: {name!r}"]
    found = []
    extra = set(macro.attrib) - {ac("name"), ac("schema-version")}
    if extra:
        found.append(f"{name}: attributes not allowed: {sorted(extra)}")
    names = []
    for element in macro.findall(ac("parameter")):
        key = element.get(ac("name"), "")
        value = element.text or ""
        names.append(key)
        if key not in MACRO_PARAMETERS[name]:
            found.append(f"{name}: parameter not allowed: {key!r}")
        if not value or value != value.strip() or len(element):
            found.append(f"{name}: parameter {key!r} is empty, padded or nested: {value!r}")
    if len(names) != len(set(names)):
        found.append(f"{name}: repeated parameters {names}")
    bodies = [sub.tag for sub in macro if sub.tag != ac("parameter")]
    expected_body = MACRO_BODIES[name]
    if bodies != ([ac(expected_body)] if expected_body else []):
        found.append(f"{name}: body {bodies} where {expected_body} was expected")
    if name == "status":
        colour = parameter(macro, "colour")
        if colour not in COLOURS[edition]:
            found.append(f"status colour {colour!r} is not valid on {edition}")
        if not parameter(macro, "title"):
            found.append("status without a title")
    elif name == "code":
        language = parameter(macro, "language")
        if language is not None and language not in CODE_LANGUAGES:
            found.append(f"code language {language!r} unknown")
    elif name == "toc":
        for key in ("minLevel", "maxLevel"):
            level = parameter(macro, key)
            if level is not None and level not in {"1", "2", "3", "4", "5", "6"}:
                found.append(f"toc {key} is not a heading level: {level!r}")
    elif name == "anchor" and parameter(macro, "") is None:
        found.append("anchor macro without a name")
    elif name == "panel":
        for key in _PANEL_COLOURS:
            colour = parameter(macro, key)
            if colour is not None and not _HEX_COLOUR.fullmatch(colour):
                found.append(f"panel {key} is not a #RRGGBB colour: {colour!r}")
        style = parameter(macro, "borderStyle")
        if style is not None and style not in _BORDER_STYLES:
            found.append(f"panel borderStyle {style!r} unknown")
    return found


def _task_problems(task: ET.Element, task_ids: list[str]) -> list[str]:
    if task.tag != ac("task"):
        return [f"task list holds <{task.tag}>"]
    children = [sub.tag for sub in task]
    if children[:3] != [ac("task-id"), ac("task-status"), ac("task-body")]:
        return [f"task children are {children}"]
    task_id = task.findtext(ac("task-id")) or ""
    status = task.findtext(ac("task-status"))
    task_ids.append(task_id)
    found = []
    if not task_id.strip() or task_id != task_id.strip():
        found.append(f"task id {task_id!r} empty or padded")
    if status not in {"complete", "incomplete"}:
        found.append(f"task status {status!r}")
    return found


def _link_problems(link: ET.Element, edition: Edition, anchors: set[str | None]) -> list[str]:
    found = []
    anchor = link.get(ac("anchor"))
    if anchor is not None and anchor not in anchors:
        found.append(f"anchor link to {anchor!r}, which no anchor macro defines")
    for user in link.findall(ri("user")):
        if set(user.attrib) != {USER_ATTRIBUTE[edition]}:
            found.append(f"user mention on {edition} has attributes {sorted(user.attrib)}")
        elif not (user.get(USER_ATTRIBUTE[edition]) or "").strip():
            found.append("user mention without an identifier")
    return found


# ---------------------------------------------------------------------------- self-tests


GOOD = (
    b'<ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Red</ac:parameter>'
    b'<ac:parameter ac:name="title">SEV-1</ac:parameter></ac:structured-macro>'
)


def test_the_oracle_accepts_well_formed_meaningful_storage() -> None:
    assert problems(parse_storage(GOOD)) == []


@pytest.mark.parametrize(
    "fragment",
    [
        pytest.param(b"<p>a&nbsp;b</p>", id="named entity"),
        pytest.param(b"<p>R&D</p>", id="bare ampersand"),
        pytest.param(b"<p>a<br>b</p>", id="void element not closed"),
        pytest.param(b"<p>a<br></br>b</p>", id="void element as a pair"),
        pytest.param(b"<ac:plain-text-body><![CDATA[a]]>b]]></ac:plain-text-body>", id="cdata end"),
        pytest.param(b"<p>bell\x07</p>", id="control character"),
        pytest.param(b"<foo:bar/>", id="unbound prefix"),
        pytest.param(b'<?xml version="1.0"?><p/>', id="declaration"),
        pytest.param(b'<p xmlns:ac="x"/>', id="xmlns"),
        pytest.param(b"<p>&#x41;</p>", id="numeric reference in text"),
        pytest.param(GOOD.replace(b'"status"', b'"status" ac:macro-id="1"'), id="macro id"),
    ],
)
def test_the_oracle_rejects_what_confluence_rejects(fragment: bytes) -> None:
    with pytest.raises((AssertionError, ET.ParseError)):
        parse_storage(fragment)


@pytest.mark.parametrize(
    ("fragment", "edition"),
    [
        pytest.param(GOOD.replace(b'"status"', b'"statuss"'), "cloud", id="macro name"),
        pytest.param(GOOD.replace(b'"colour"', b'"color"'), "cloud", id="parameter name"),
        pytest.param(GOOD.replace(b">Red<", b">red<"), "cloud", id="colour case"),
        pytest.param(GOOD.replace(b">Red<", b">Purple<"), "datacenter", id="purple on dc"),
        pytest.param(GOOD.replace(b">Red<", b"> Red<"), "cloud", id="padded parameter"),
        pytest.param(
            b'<ac:structured-macro ac:name="info"><p>x</p></ac:structured-macro>',
            "cloud",
            id="body type",
        ),
        pytest.param(
            b"<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete"
            b"</ac:task-status><ac:task-body>a</ac:task-body></ac:task></ac:task-list>"
            b"<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete"
            b"</ac:task-status><ac:task-body>b</ac:task-body></ac:task></ac:task-list>",
            "cloud",
            id="task ids repeated across lists",
        ),
        pytest.param(b"<ac:task-list><li>x</li></ac:task-list>", "cloud", id="li in task list"),
        pytest.param(
            b'<ac:structured-macro ac:name="panel"><ac:parameter ac:name="bgColour">#FFFAE6</ac:parameter>'
            b"<ac:rich-text-body><p>x</p></ac:rich-text-body></ac:structured-macro>",
            "cloud",
            id="panel parameter spelling",
        ),
        pytest.param(
            b'<ac:structured-macro ac:name="panel"><ac:parameter ac:name="bgColor">yellow</ac:parameter>'
            b"<ac:rich-text-body><p>x</p></ac:rich-text-body></ac:structured-macro>",
            "cloud",
            id="panel colour name",
        ),
        pytest.param(
            b"<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>done"
            b"</ac:task-status><ac:task-body>a</ac:task-body></ac:task></ac:task-list>",
            "cloud",
            id="task status",
        ),
        pytest.param(b'<p><time datetime="2026-02-30"/></p>', "cloud", id="impossible date"),
        pytest.param(b'<p><time datetime="14/03/2026"/></p>', "cloud", id="date format"),
        pytest.param(b'<p><a href="javascript:alert(1)">x</a></p>', "cloud", id="active link"),
        pytest.param(b"<div>x</div>", "cloud", id="element"),
        pytest.param(b'<p style="color: red">x</p>', "cloud", id="attribute"),
        pytest.param(b'<ac:link><ri:user ri:account-id="5b10"/></ac:link>', "datacenter", id="cloud user on dc"),
        pytest.param(b'<ac:link><ri:user ri:userkey="8a7f"/></ac:link>', "cloud", id="dc user on cloud"),
        pytest.param(b'<p><ri:user ri:account-id="5b10"/></p>', "cloud", id="bare user"),
        pytest.param(
            b'<ac:link ac:anchor="nowhere"><ac:plain-text-link-body><![CDATA[x]]></ac:plain-text-link-body></ac:link>',
            "cloud",
            id="dangling anchor",
        ),
    ],
)
def test_the_oracle_finds_what_confluence_would_mis_render(fragment: bytes, edition: Edition) -> None:
    assert problems(parse_storage(fragment), edition) != []
