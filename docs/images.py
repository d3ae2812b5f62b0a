"""Redraw the page images in docs/img from the bundled example.

    .venv/bin/python docs/images.py

The PDF pages are rasterised with pdftoppm (poppler-utils); the DOCX pages are first laid out
by LibreOffice (``soffice``, with the metric-compatible Carlito and Caladea fonts installed), as
the page-count tests do. Both at 60 dpi, the size the docs show them at.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pirdoc

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
EXAMPLE = ROOT / "fixtures" / "example-review.yaml"
DPI = "60"

# (format, profile, image name prefix, pages to keep)
PAGES = (
    ("pdf", "executive", "pdf-executive-", 2),
    ("pdf", "full", "pdf-full-0", 2),
    ("docx", "executive", "docx-executive-", 2),
    ("docx", "full", "docx-page-", 3),
)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"docs/images.py needs {name} (Debian: poppler-utils, libreoffice-writer-nogui)")
    return found


def main() -> None:
    pdftoppm, soffice = _tool("pdftoppm"), _tool("soffice")
    review = pirdoc.load(EXAMPLE)
    with tempfile.TemporaryDirectory(prefix="pirdoc-images-") as temporary:
        work = Path(temporary)
        for fmt, profile, prefix, pages in PAGES:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the example is a draft: its problems are known
                data = pirdoc.render(review, fmt, profile=profile, allow_problems=True)
            source = work / f"{fmt}-{profile}.{fmt}"
            source.write_bytes(data)
            if fmt == "docx":
                subprocess.run(
                    [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                     "--convert-to", "pdf", "--outdir", str(work), str(source)],
                    check=True, capture_output=True, timeout=180,
                )
                source = source.with_suffix(".pdf")
            stem = work / f"{fmt}-{profile}-page"
            subprocess.run([pdftoppm, "-png", "-r", DPI, "-l", str(pages), str(source), str(stem)], check=True)
            for number in range(1, pages + 1):
                drawn = next(work.glob(f"{stem.name}-*{number}.png"))
                target = IMAGES / f"{prefix}{number}.png"
                shutil.copyfile(drawn, target)
                print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
