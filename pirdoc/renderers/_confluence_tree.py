"""Document → Confluence storage-format element tree: which native construct carries what.

See docs/confluence.md for the mapping as users see it. The raw XML mechanics (namespaces,
CDATA, serialisation) live in `pirdoc.renderers._confluence_xml`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Final, assert_never

from pirdoc import document as d
from pirdoc.renderers._confluence_names import Edition, FigureMode, figure_attachment_name
from pirdoc.renderers._confluence_xml import Element, ac, add_text, child, macro, new_fragment, ri

__all__ = [
    "BANNER_COLOUR",
    "REVIEW_STATUS_COLOURS",
    "TONE_COLOURS",
    "Edition",
    "build",
    "code_language",
]

"""Which Confluence the page is for: how people are mentioned, which code languages exist."""

TONE_COLOURS: Final[Mapping[d.Tone, str]] = {
    "critical": "Red",
    "high": "Red",
    "medium": "Yellow",
    "low": "Blue",
    "good": "Green",
    "neutral": "Grey",
}
"""Status-macro colour of each badge tone. ``high`` is Red like ``critical`` (a SEV-2 outage is
never shown as a mere warning); the label tells SEV-1 from SEV-2. Purple (Cloud only) is unused,
so the same page is valid on both editions."""

REVIEW_STATUS_COLOURS: Final[Mapping[str, str]] = {"draft": "Grey", "final": "Green"}
"""Colour of the review's own status (lower-cased) in the page properties; others are Blue."""

BANNER_COLOUR: Final = "#FFFAE6"
"""Background of the classification banner (a ``panel`` macro): Atlassian's light yellow, a
handling label's usual colour, legible in print and on both editions."""

DETAILS_ID: Final = "pir"
"""The ``id`` parameter of the page-properties macro, for reports that select by id."""

# Code-macro language ids. The first set is Data Center's classic list, which Cloud also reads;
# Cloud highlights a few more. Anything else is ``none`` (plain, never an error).
_LANGUAGES: Final[Mapping[str, str]] = {
    "bash": "bash", "sh": "bash", "shell": "bash", "console": "bash", "zsh": "bash",
    "sql": "sql", "python": "python", "py": "python", "javascript": "javascript",
    "js": "javascript", "java": "java", "diff": "diff", "patch": "diff",
    "powershell": "powershell", "ps1": "powershell", "ruby": "ruby", "rb": "ruby", "css": "css",
    "cpp": "cpp", "c++": "cpp", "csharp": "csharp", "c#": "csharp", "cs": "csharp", "php": "php",
    "perl": "perl", "scala": "scala", "groovy": "groovy", "erlang": "erlang",
}  # fmt: skip
_CLOUD_LANGUAGES: Final[Mapping[str, str]] = {
    "json": "json", "yaml": "yaml", "yml": "yaml", "go": "go", "golang": "go",
    "typescript": "typescript", "ts": "typescript", "kotlin": "kotlin", "rust": "rust",
    "xml": "xml", "html": "html",
}  # fmt: skip
_DATACENTER_LANGUAGES: Final[Mapping[str, str]] = {"xml": "html/xml", "html": "html/xml"}


# Header words (lower-cased) that name the columns of an action-items table.
_ACTION_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "id": ("id",),
    "action": ("action", "action item", "description", "task"),
    "owner": ("owner", "assignee"),
    "due": ("due date", "due"),
    "status": ("status",),
}


def code_language(language: str | None, edition: Edition) -> str:
    """The code macro's ``language`` for an info-string word (``none`` when unknown)."""
    key = (language or "").strip().lower()
    extra = _CLOUD_LANGUAGES if edition == "cloud" else _DATACENTER_LANGUAGES
    return _LANGUAGES.get(key) or extra.get(key) or "none"


def build(
    document: d.Document, *, edition: Edition, classification: str, figures: FigureMode = "tables"
) -> Element:
    """The page body of ``document`` as a wrapper element (see `_confluence_xml.serialise`)."""
    return _Page(document, edition=edition, classification=classification, figures=figures).build()


class _Page:
    """One render: the anchors that links may point at and the page-wide task-id counter."""

    def __init__(
        self, document: d.Document, *, edition: Edition, classification: str, figures: FigureMode = "tables"
    ) -> None:
        self.document = document
        self.figures: FigureMode = figures
        self._figure_numbers: Iterator[int] = itertools.count(1)
        self.edition: Edition = edition
        self.classification = classification
        self.anchors = frozenset(
            block.anchor for block in d.iter_blocks(document.blocks) if isinstance(block, d.Heading)
        )
        self._task_ids: Iterator[int] = itertools.count(1)

    # ------------------------------------------------------------------------ page

    def build(self) -> Element:
        root = new_fragment()
        meta = self.document.meta
        if self.classification:
            self._banner(root)
        self._details(root)
        if meta.is_draft:
            note = self._panel(root, "note")
            paragraph = child(note, "p")
            child(paragraph, "strong", text="Draft")
            add_text(paragraph, ": this review is not final yet.")
        blocks = self.document.blocks
        if meta.contents:
            at = d.contents_index(self.document)
            self._blocks(root, blocks[:at])
            macro(root, "toc", [("minLevel", "1"), ("maxLevel", "3")]).tail = "\n"
            blocks = blocks[at:]
        self._blocks(root, blocks)
        return root

    def _banner(self, parent: Element) -> None:
        """The classification as the first thing on the page: a ``panel`` macro (the one panel
        whose colour both editions keep) holding one bold line. Its text is in the body, not in
        the ``title`` parameter, which Cloud's editor panels may drop."""
        panel = macro(parent, "panel", [("bgColor", BANNER_COLOUR), ("borderStyle", "solid")])
        panel.tail = "\n"
        line = child(child(child(panel, ac("rich-text-body")), "p"), "strong")
        add_text(line, f"Classification: {self.classification}")

    def _details(self, parent: Element) -> None:
        """The page-properties table a page-properties report indexes reviews by."""
        meta = self.document.meta
        details = macro(parent, "details", [("id", DETAILS_ID)])
        details.tail = "\n"
        body = child(details, ac("rich-text-body"))
        tbody = child(child(body, "table"), "tbody")

        def row(label: str, *inlines: d.Inline) -> Element:
            tr = child(tbody, "tr")
            tr.tail = "\n"
            child(child(tr, "th"), "p", text=label)
            value = child(child(tr, "td"), "p")
            self._inlines(value, inlines)
            return value

        row("Incident ID", d.Text(text=meta.incident_id))
        row("Title", d.Text(text=meta.title))
        row("Severity", d.StatusBadge(label=meta.severity, tone=meta.severity_tone))
        status_colour = REVIEW_STATUS_COLOURS.get(meta.status.strip().lower(), "Blue")
        self._status(row("Status"), meta.status, status_colour)
        # "Incident date" is the column the reviews index (a page-properties report) sorts by:
        # the day the incident started, never the review's date.
        row("Incident date", *_incident_day(meta))
        row("Owner", *([meta.owner] if meta.owner else []))
        row("Services", d.Text(text=", ".join(meta.services)))
        for fact in meta.facts:
            if fact.label != "Owner":
                row(fact.label, *fact.value)
        if self.classification:
            row("Classification", d.Text(text=self.classification))

    # ------------------------------------------------------------------------ blocks

    def _blocks(self, parent: Element, blocks: Iterable[d.Block], *, lines: bool = True) -> None:
        for block in blocks:
            for element in self._block(parent, block):
                if lines:
                    element.tail = "\n"

    def _block(self, parent: Element, block: d.Block) -> list[Element]:
        """Append ``block`` to ``parent``; return the top-level elements it became."""
        match block:
            case d.Heading(level=level, children=children, anchor=anchor):
                heading = child(parent, f"h{min(max(level, 1), 6)}")
                macro(heading, "anchor", [("", anchor)])
                self._inlines(heading, children)
                return [heading]
            case d.Paragraph(children=children):
                paragraph = child(parent, "p")
                self._inlines(paragraph, children)
                return [paragraph]
            case d.BulletList(items=items):
                return [self._list(child(parent, "ul"), items)]
            case d.OrderedList(items=items, start=start):
                ordered = child(parent, "ol", {"start": str(start)} if start != 1 else None)
                return [self._list(ordered, items)]
            case d.Checklist(items=items):
                return [self._ticks(parent, items)] if items else []
            case d.Table():
                return self._table(parent, block)
            case d.CodeBlock(text=text, language=language):
                code = macro(parent, "code", [("language", code_language(language, self.edition))])
                child(code, ac("plain-text-body"), text=text)
                return [code]
            case d.Callout(kind=kind, children=children, title=title):
                body = self._panel(parent, _panel_name(kind))
                if title:
                    child(child(body, "p"), "strong", text=title).getparent().tail = "\n"
                self._blocks(body, children)
                return [body.getparent()]
            case d.Figure() as figure:
                return self._figure(parent, figure)
            case d.ThematicBreak():
                return [child(parent, "hr")]
            case _:
                assert_never(block)

    def _panel(self, parent: Element, name: str) -> Element:
        """An info/note/warning macro; return its rich-text body.

        A callout's title goes into the body as a bold line rather than the ``title``
        parameter, which Cloud's editor panels may drop."""
        panel = macro(parent, name)
        panel.tail = "\n"
        return child(panel, ac("rich-text-body"))

    def _list(self, element: Element, items: Iterable[tuple[d.Block, ...]]) -> Element:
        for item in items:
            li = child(element, "li")
            li.tail = "\n"
            self._blocks(li, item, lines=False)
        return element

    def _ticks(self, parent: Element, items: Sequence[d.ChecklistItem]) -> Element:
        """A checklist of the template (services affected, prevention measures …) as lines of
        ☑/☐ text: Confluence tasks would show up, open, in every task report."""
        paragraph = child(parent, "p")
        for index, item in enumerate(items):
            if index:
                child(paragraph, "br")
            add_text(paragraph, d.check_mark(item.checked) + " ")
            self._inlines(paragraph, item.children)
        return paragraph

    def _task_list(self, parent: Element, tasks: Iterable[tuple[bool, Sequence[d.Inline]]]) -> Element:
        task_list = child(parent, ac("task-list"))
        for done, inlines in tasks:
            task = child(task_list, ac("task"))
            task.tail = "\n"
            child(task, ac("task-id"), text=str(next(self._task_ids)))
            child(task, ac("task-status"), text="complete" if done else "incomplete")
            self._inlines(child(task, ac("task-body")), inlines)
        return task_list

    def _table(self, parent: Element, table: d.Table) -> list[Element]:
        element = self._grid(parent, table.header, table.rows)
        if table.role != "action-items":
            return [element]
        tasks = list(self._action_tasks(table))
        return [element, self._task_list(parent, tasks)] if tasks else [element]

    def _grid(
        self,
        parent: Element,
        header: Sequence[Sequence[d.Inline]],
        rows: Iterable[Sequence[Sequence[d.Inline]]],
    ) -> Element:
        table = child(parent, "table")
        tbody = child(table, "tbody")
        for cell_tag, cells in itertools.chain([("th", header)], (("td", row) for row in rows)):
            tr = child(tbody, "tr")
            tr.tail = "\n"
            for cell in cells:
                self._inlines(child(child(tr, cell_tag), "p"), cell)
        return table

    def _action_tasks(self, table: d.Table) -> Iterator[tuple[bool, list[d.Inline]]]:
        """Every action item as a Confluence task: ``ID: action @owner <due date>``, assigned
        (a user mention) when the owner has an identifier on this edition, else with the owner's
        name as text; complete when the status badge's tone is ``good``."""
        names = [d.plain_text(cell).strip().lower() for cell in table.header]
        column = {
            key: next((names.index(word) for word in words if word in names), None)
            for key, words in _ACTION_COLUMNS.items()
        }
        if column["action"] is None:
            return

        def cell(row: Sequence[Sequence[d.Inline]], key: str) -> Sequence[d.Inline]:
            index = column[key]
            return row[index] if index is not None and index < len(row) else ()

        for row in table.rows:
            body: list[d.Inline] = []
            item_id = d.plain_text(cell(row, "id")).strip()
            if item_id:
                body.append(d.Text(text=f"{item_id}: "))
            # a task is one line: the action's line breaks become spaces
            body.extend(d.Text(text=" ") if isinstance(n, d.LineBreak) else n for n in cell(row, "action"))
            owner = next((n for n in cell(row, "owner") if isinstance(n, d.Person)), None)
            if owner is not None:
                body += [d.Text(text=" "), owner]
            due = next((n for n in cell(row, "due") if isinstance(n, d.DateTime)), None)
            if due is not None:  # a task's due date is a day: no time of day after it
                day = due.value.date() if isinstance(due.value, dt.datetime) else due.value
                body += [d.Text(text=" "), _date_node(day)]
            done = any(isinstance(n, d.StatusBadge) and n.tone == "good" for n in cell(row, "status"))
            yield done, body

    def _figure(self, parent: Element, figure: d.Figure) -> list[Element]:
        """The caption, then the figure's one compact table; with figures as attachments, the
        attached image between them and the table folded into an expand macro (the image's
        accessible, searchable alternative). Where the layout gives no table (the text around the
        figure has its data), the image alone, or nothing."""
        if self.figures != "attachments" and figure.table is None:
            return []
        caption = figure.caption
        elements = [child(child(parent, "p"), "em", text=caption).getparent()] if caption else []
        if self.figures == "attachments":
            kind = "timeline" if isinstance(figure.data, d.TimelineFigure) else "metrics"
            name = figure_attachment_name(next(self._figure_numbers), kind)
            paragraph = child(parent, "p")
            image = child(paragraph, ac("image"), {ac("alt"): caption or f"{kind} figure", ac("width"): "680"})
            child(image, ri("attachment"), {ri("filename"): name})
            elements.append(paragraph)
            if figure.table is not None:
                expand = macro(parent, "expand", [("title", "The figure's data as a table")])
                elements.append(expand)
                for table in self._table(child(expand, ac("rich-text-body")), figure.table):
                    table.tail = "\n"
            return elements
        assert figure.table is not None
        return elements + self._table(parent, figure.table)

    # ------------------------------------------------------------------------ inlines

    def _inlines(self, parent: Element, inlines: Iterable[d.Inline], *, in_link: bool = False) -> None:
        for node in inlines:
            self._inline(parent, node, in_link=in_link)

    def _inline(self, parent: Element, node: d.Inline, *, in_link: bool) -> None:
        """Append ``node``. Inside a link body only text marks are allowed, so nested links,
        mentions and status macros become their text there."""
        match node:
            case d.Text(text=text):
                add_text(parent, text)
            case d.Strong(children=children):
                self._inlines(child(parent, "strong"), children, in_link=in_link)
            case d.Emphasis(children=children):
                self._inlines(child(parent, "em"), children, in_link=in_link)
            case d.Strikethrough(children=children):
                self._inlines(child(parent, "s"), children, in_link=in_link)
            case d.Code(text=text):
                child(parent, "code", text=text)
            case d.Link(target=target, children=children):
                self._link(parent, target, children, in_link=in_link)
            case d.LineBreak():
                child(parent, "br")
            case d.DateTime(value=value, shows_date=True):
                self._date(parent, value)
            case d.DateTime(text=text):
                add_text(parent, text)
            case d.Person(name=name):
                user_id = None if in_link else self._user_id(node)
                if user_id is None:
                    add_text(parent, name)
                else:
                    attribute = ri("account-id") if self.edition == "cloud" else ri("userkey")
                    child(child(parent, ac("link")), ri("user"), {attribute: user_id})
            case d.StatusBadge(label=label, tone=tone):
                if in_link:
                    add_text(parent, label)
                else:
                    self._status(parent, label, TONE_COLOURS[tone])
            case _:
                assert_never(node)

    def _link(self, parent: Element, target: str, children: Sequence[d.Inline], *, in_link: bool) -> None:
        """http(s)/mailto as ``<a href>``; ``#anchor`` of a heading here as an anchor link;
        anything else (and a link inside a link) as its plain content, never active."""
        if in_link:
            self._inlines(parent, children, in_link=True)
        elif target.startswith("#") and target[1:] in self.anchors:
            link = child(parent, ac("link"), {ac("anchor"): target[1:]})
            text = d.plain_text(children) or target[1:]
            child(link, ac("plain-text-link-body"), text=text)
        elif d.is_safe_link(target) and not target.startswith("#"):
            anchor = child(parent, "a", {"href": target})
            if d.plain_text(children):
                self._inlines(anchor, children, in_link=True)
            else:
                add_text(anchor, target)
        else:
            self._inlines(parent, children, in_link=True)

    def _date(self, parent: Element, value: dt.date | dt.datetime) -> None:
        """``<time datetime="YYYY-MM-DD"/>``, which Confluence shows as a date lozenge; for a
        date-time (shown in UTC) the time of day follows as text, so nothing is lost."""
        if isinstance(value, dt.datetime):
            aware = value.tzinfo is not None
            if aware:
                value = value.astimezone(dt.UTC)
            child(parent, "time", {"datetime": value.date().isoformat()})
            pattern = "%H:%M:%S" if value.second or value.microsecond else "%H:%M"
            add_text(parent, " " + value.strftime(pattern) + (" UTC" if aware else ""))
        else:
            child(parent, "time", {"datetime": value.isoformat()})

    def _status(self, parent: Element, label: str, colour: str) -> None:
        if label.strip():
            macro(parent, "status", [("colour", colour), ("title", label)])

    def _user_id(self, person: d.Person) -> str | None:
        """The person's identifier on this edition (Cloud account id, Data Center user key)."""
        value = person.account_id if self.edition == "cloud" else person.userkey
        return value.strip() if value and value.strip() else None


def _panel_name(kind: d.CalloutKind) -> str:
    match kind:
        case "info":
            return "info"
        case "warning":
            return "warning"
        case "note":
            return "note"
        case _:
            assert_never(kind)


def _cell(text: str) -> tuple[d.Inline, ...]:
    return (d.Text(text=text),)


def _incident_day(meta: d.DocumentMeta) -> tuple[d.Inline, ...]:
    """The day the incident started (a date lozenge when it is known exactly), else nothing."""
    started = meta.incident_started
    if started is None or started.start is None:
        return ()
    if started.exact and started.text is None:
        return (_date_node(started.start.date()),)
    started_fact = next((fact for fact in meta.facts if fact.label == "Incident started"), None)
    return started_fact.value if started_fact is not None else ()


def _date_node(value: dt.date | dt.datetime) -> d.DateTime:
    return d.DateTime(value=value, text=value.isoformat())
