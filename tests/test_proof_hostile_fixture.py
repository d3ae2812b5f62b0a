"""fixtures/hostile-review.yaml is `tests.hostile.hostile_review()` written out, so users can see it.

Regenerate it with ``PIRDOC_REGEN_HOSTILE=1 pytest tests/test_proof_hostile_fixture.py``; that run
fails after writing the file (a regenerated run never counts as a pass): review the diff and rerun.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from pirdoc.serde import dump, load
from tests.hostile import hostile_review

HOSTILE_FIXTURE = Path(__file__).parent.parent / "fixtures" / "hostile-review.yaml"
REGEN_ENV = "PIRDOC_REGEN_HOSTILE"


def test_hostile_fixture_loads_and_equals_the_hostile_review() -> None:
    review = hostile_review()
    if os.environ.get(REGEN_ENV):
        dump(review, HOSTILE_FIXTURE)
        pytest.fail(f"regenerated {HOSTILE_FIXTURE}; review the diff and rerun without {REGEN_ENV}")
    assert HOSTILE_FIXTURE.exists(), f"no hostile fixture; run with {REGEN_ENV}=1"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # loading keeps control characters; only layout drops them
        loaded = load(HOSTILE_FIXTURE)
    assert loaded == review, f"fixtures/hostile-review.yaml is stale; run with {REGEN_ENV}=1"
