"""Reading a review from a file, whatever it holds: the one place that picks the reader.

Data files (``.yaml``, ``.yml``, ``.json``, ``.toml``) are read by `pirdoc.serde`; filled-in
templates (``.md``, ``.markdown``) by `pirdoc.importers`. Both sit below this module, so neither
imports the other.
"""

from __future__ import annotations

import os
from pathlib import Path

from pirdoc import serde
from pirdoc.importers.markdown import load_markdown
from pirdoc.limits import MARKDOWN_SUFFIXES
from pirdoc.model import Review

__all__ = ["load"]


def load(path: str | os.PathLike[str], format: serde.Format | None = None) -> Review:
    """Read a review from a file; the format comes from the suffix unless given. A ``.md`` or
    ``.markdown`` file is a filled-in template, read with `pirdoc.from_markdown` (its problems
    become `PirdocWarning` warnings).

    Raises `ReviewLoadError` (with ``source`` set to the path) for anything that is not a
    readable review, including a missing file.
    """
    if format is None and Path(path).suffix.lower() in MARKDOWN_SUFFIXES:
        return load_markdown(path)
    return serde.load(path, format)
