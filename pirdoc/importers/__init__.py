"""Importers: other documents back into a `Review`.

`from_markdown` reads a filled-in post-incident review template (see ``docs/importing.md``).
"""

from __future__ import annotations

from pirdoc.importers.markdown import ImportResult, from_markdown, import_markdown

__all__ = ["ImportResult", "from_markdown", "import_markdown"]
