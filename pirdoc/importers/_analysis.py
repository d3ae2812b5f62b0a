"""Root Cause Analysis, What Went Well, What Went Wrong and Lessons Learned: narratives and the
template's numbered entries."""

from __future__ import annotations

from pirdoc import model as m
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, is_caption, is_none_paragraph, join, title_source
from pirdoc.importers._reader import ReaderBase
from pirdoc.importers._source import Field
from pirdoc.importers._tree import Node

__all__ = ["AnalysisReader"]


class AnalysisReader(ReaderBase):
    """The analysis sections: narratives, numbered entries, five whys, lists."""

    def root_cause(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "primary root cause":
            self.narratives(
                part,
                {
                    "what happened": "what_happened",
                    "why it happened": "why_it_happened",
                    "why it wasn't caught earlier": "why_not_caught_earlier",
                },
                "root_cause",
            )
        elif key == "contributing factors":
            self.values["factors"] = self.entries(part, ("description", "impact"), "Contributing Factors")
        elif key == "five whys analysis":
            self.five_whys(part)
        else:
            self.unknown_part(part, "Root Cause Analysis")

    def narratives(self, part: Part, labels: dict[str, str], target: str) -> None:
        """``**Label:**`` followed by the narrative's blocks, up to the next label."""
        values = self.values.setdefault(target, {})
        current: str | None = None
        first = ""
        blocks: list[Node] = []

        def finish() -> None:
            if current is not None:
                body = self.src.block_source(blocks)
                text = "\n\n".join(p for p in (first.strip(), body) if p)
                field = Field(current, text, 0)
                values[labels[current]] = self.markdown(field)

        for node in part.nodes:
            fields = self.src.labelled_lines(node) if node.type == "paragraph" else []
            if fields and heading_key(fields[0].label).replace("’", "'") in labels:
                finish()
                current, first, blocks = heading_key(fields[0].label).replace("’", "'"), fields[0].source, []
                for extra in fields[1:]:
                    first += f"\n**{extra.label}:** {extra.source}"
            elif current is None:
                if not is_caption(node):
                    self.unplaced(node, part.title or "Root Cause Analysis")
            else:
                blocks.append(node)
        finish()

    def entries(self, part: Part, labels: tuple[str, ...], where: str) -> list[tuple[str, dict[str, str | None]]]:
        """The template's numbered ``1. **Title**`` entries with ``- Label: value`` bullets."""
        found: list[tuple[str, dict[str, str | None]]] = []
        for node in part.nodes:
            if node.type != "ordered_list":
                if not is_none_paragraph(node):
                    self.unplaced(node, where)
                continue
            for item in node.children:
                entry = self.entry(item, labels, where)
                if entry is not None:
                    found.append(entry)
        return found

    def entry(
        self, item: Node, labels: tuple[str, ...], where: str
    ) -> tuple[str, dict[str, str | None]] | None:
        children = list(item.children)
        title = ""
        if children and children[0].type == "paragraph":
            title = title_source(self.src.paragraph_source(children.pop(0)))
        fields: list[Field] = []
        stray: list[Node] = []
        for child in children:
            if child.type == "bullet_list":
                fields.extend(self.list_fields(child))
            else:
                stray.append(child)
        found, extra = self.known_fields(fields, labels, where, labels[0])
        for node in stray:
            extra.append(self.unplaced(node, where, labels[0]))
        values = {label: self.markdown(found[label]) if label in found else None for label in labels}
        values[labels[0]] = join(values[labels[0]], extra)
        if v.is_not_recorded(title, self.src.plain(title)):
            if any(values.values()):
                self.problem(self.src.line_of(item), f"{where}: entry without a title; titled 'Untitled'")
                title = "Untitled"
            else:
                return None
        return title, values

    def five_whys(self, part: Part) -> None:
        """``1. **Why …?**`` with the answer as the bullet below it."""
        whys: list[m.Why] = []
        for node in part.nodes:
            if node.type != "ordered_list":
                if not is_none_paragraph(node):
                    self.unplaced(node, "Five Whys Analysis")
                continue
            for item in node.children:
                children = list(item.children)
                if not children or children[0].type != "paragraph":
                    self.unplaced(item, "Five Whys Analysis")
                    continue
                question = title_source(self.src.paragraph_source(children.pop(0)))
                answers = self.bullets(children, "Five Whys Analysis")
                answer = "\n\n".join(answers) or None
                if v.is_placeholder_source(question) and answer is None:
                    continue  # the template's question, left unanswered
                whys.append(m.Why(question=question, answer=answer))
        self.values["five_whys"] = whys

    # ------------------------------------------------------------------------ went well / wrong

    def went_well(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "positive aspects":
            self.values["aspects"] = self.entries(part, ("what", "why it helped"), "Positive Aspects")
        elif key == "effective procedures":
            self.values["procedures"] = self.bullets(part, "Effective Procedures")
        else:
            self.unknown_part(part, "What Went Well")

    def went_wrong(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "issues identified":
            self.values["issues"] = self.entries(part, ("what", "impact", "severity"), "Issues Identified")
        elif key == "gaps in procedures":
            self.values["gaps"] = self.bullets(part, "Gaps in Procedures")
        else:
            self.unknown_part(part, "What Went Wrong")

    def lessons(self, part: Part) -> None:
        key = heading_key(part.title)
        group = {
            "technical lessons": "technical",
            "process lessons": "process",
            "communication lessons": "communication",
        }.get(key)
        if group is None:
            self.unknown_part(part, "Lessons Learned")
            return
        entries = self.entries(part, ("what we learned", "how to apply"), part.title)
        self.values.setdefault("lessons", {})[group] = [
            m.Lesson(title=title, learned=fields["what we learned"], how_to_apply=fields["how to apply"])
            for title, fields in entries
        ]

