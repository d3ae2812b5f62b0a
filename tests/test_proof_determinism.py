"""Every format is byte-identical across processes with different hash seeds.

Two fresh interpreters, started with PYTHONHASHSEED=1 and =2 (so sets and dicts of strings
iterate in different orders), write the example and the hostile review in all four formats and
both profiles; the files must be the same bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FORMATS = ("markdown", "docx", "pdf", "confluence")

# The hostile review with 60 generated action items instead of 500: every hostile string is
# there, and the PDF of 500 rows (tested elsewhere) would double this test's time.
WRITER = """
import sys, warnings
from pathlib import Path
from pirdoc import load
from pirdoc.api import write
from tests.hostile import hostile_review

warnings.simplefilter("ignore")
out, formats = Path(sys.argv[1]), sys.argv[2:]
reviews = {"example": load("fixtures/example-review.yaml"), "hostile": hostile_review(rows=60)}
for name, review in reviews.items():
    for fmt in formats:
        for profile in ("full", "executive"):
            write(review, out / f"{name}-{profile}.{fmt}", format=fmt, profile=profile)
"""


@pytest.mark.slow
def test_every_format_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    runs = {}
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs[seed] = (out, subprocess.Popen([sys.executable, "-c", WRITER, str(out), *FORMATS], cwd=REPO, env=env))
    for seed, (_, process) in runs.items():
        assert process.wait(timeout=600) == 0, f"the writer with PYTHONHASHSEED={seed} failed"
    first, second = (sorted(p.name for p in runs[seed][0].iterdir()) for seed in ("1", "2"))
    assert first == second
    assert len(first) == 2 * len(FORMATS) * 2
    differ = [name for name in first if (runs["1"][0] / name).read_bytes() != (runs["2"][0] / name).read_bytes()]
    assert not differ, f"not byte-identical across hash seeds: {differ}"
