"""Access to the foreign readers (LibreOffice, poppler, qpdf, pandoc) that tests check output with.

Where a tool is missing the test is skipped with a message naming it, except when the
environment variable PIRDOC_REQUIRE_TOOLS is set (CI sets it): then the test fails.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ENV = "PIRDOC_REQUIRE_TOOLS"


def require_tool(name: str, package: str) -> str:
    """The path of the executable ``name``; skip (or fail under PIRDOC_REQUIRE_TOOLS) if absent."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package {package})"
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{message}, and {REQUIRE_ENV} is set")
        pytest.skip(message)
    return path
