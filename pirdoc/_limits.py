"""What pirdoc reads, and how much of it: shared by the data-file loader and the importers.

A module of its own (importing nothing of pirdoc) so that `pirdoc.serde` and `pirdoc.importers`
need not import each other for two constants.
"""

from __future__ import annotations

__all__ = ["MARKDOWN_SUFFIXES", "MAX_INPUT_BYTES"]

MARKDOWN_SUFFIXES = (".md", ".markdown")
"""File suffixes read as a filled-in template (with `pirdoc.from_markdown`)."""

MAX_INPUT_BYTES = 10 * 1024 * 1024
"""Inputs larger than this are refused before parsing: no review is that long, and parsing a
huge YAML file would take minutes."""
