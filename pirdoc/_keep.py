"""Which paragraphs a page must not separate from what follows them: layout's decision, drawn
by each renderer that has pages (DOCX ``keepNext``, PDF a conditional page break)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from pirdoc import document as d

__all__ = ["keep_lead_ins"]

# What a lead-in introduces: a block that reads as its content.
_CONTENT = (d.BulletList, d.OrderedList, d.Table, d.Checklist, d.CodeBlock, d.Figure, d.Callout)


def keep_lead_ins(blocks: Sequence[d.Block]) -> tuple[d.Block, ...]:
    """``blocks`` with ``keep_with_next`` set on each lead-in ("**Timeline:**", a sentence ending
    in a colon) followed by the list, table or other block it introduces, and on a list item's
    text above its sub-list; nested lists and callouts too."""
    out: list[d.Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        match block:
            case d.Paragraph() if isinstance(following, _CONTENT) and _is_lead_in(block):
                out.append(attrs.evolve(block, keep_with_next=True))
            case d.BulletList(items=items) | d.OrderedList(items=items):
                kept_items = tuple(_item(item) for item in items)
                changed = any(new is not old for new, old in zip(kept_items, items, strict=True))
                out.append(attrs.evolve(block, items=kept_items) if changed else block)
            case d.Callout(children=children):
                kept = keep_lead_ins(children)
                changed = any(new is not old for new, old in zip(kept, children, strict=True))
                out.append(attrs.evolve(block, children=kept) if changed else block)
            case _:
                out.append(block)
    return tuple(out)


def _item(item: tuple[d.Block, ...]) -> tuple[d.Block, ...]:
    kept = keep_lead_ins(item)
    if len(kept) > 1 and isinstance(kept[0], d.Paragraph) and isinstance(kept[1], d.BulletList | d.OrderedList):
        return (attrs.evolve(kept[0], keep_with_next=True), *kept[1:])
    return item if all(new is old for new, old in zip(kept, item, strict=True)) else kept


def _is_lead_in(paragraph: d.Paragraph) -> bool:
    text = d.plain_text(paragraph.children).rstrip()
    if not text:
        return False
    only_strong = all(isinstance(node, d.Strong) or (isinstance(node, d.Text) and not node.text.strip())
                      for node in paragraph.children)
    return only_strong or text.endswith(":")
