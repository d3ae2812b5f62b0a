"""Real postmortems, kept whole: every fact of every case in fixtures/real-world/ is found by
readers pirdoc did not write, in all four formats (the full record), and every briefing fact in
the executive briefing too.

Each case is a public postmortem written into the template the way its authors wrote it (times,
numbers and words as published); its ``.facts.yaml`` lists the phrases a reader must find.
See fixtures/real-world/README.md.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

import pirdoc
from pirdoc import model as m
from pirdoc.api import render
from pirdoc.cli import main
from pirdoc.errors import PirdocWarning
from pirdoc.importers.markdown import read_markdown
from tests.readers import (
    Expectation,
    confluence_reading,
    docx_reading,
    libreoffice_texts,
    missing_text,
    pandoc_plain,
    pdftotext,
    report,
)
from tests.tools import require_tool

CORPUS = Path(__file__).parent.parent / "fixtures" / "real-world"
FORMATS = ("markdown", "docx", "pdf", "confluence")
PROFILES = ("full", "executive")


def cases() -> list[str]:
    names = sorted(p.name.removesuffix(".facts.yaml") for p in CORPUS.glob("*.facts.yaml"))
    assert len(names) >= 8
    return names


@functools.cache
def facts(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CORPUS / f"{name}.facts.yaml").read_text(encoding="utf-8"))
    return data


def expected(name: str, profile: str) -> list[Expectation]:
    return [
        Expectation(path=f"{fact['section']}: {fact['text']}", text=str(fact["text"]), kind="text", field="fact")
        for fact in facts(name)["facts"]
        if profile == "full" or fact.get("briefing")
    ]


@functools.cache
def review(name: str) -> m.Review:
    return read_markdown(CORPUS / f"{name}.md").review


@functools.cache
def output(name: str, fmt: str, profile: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PirdocWarning)
        return render(review(name), fmt, profile=profile, allow_problems=True)


def reading(fmt: str, data: bytes) -> str:
    if fmt == "markdown":
        return pandoc_plain(data)
    if fmt == "docx":
        return docx_reading(data)
    if fmt == "pdf":
        return pdftotext(data)
    return confluence_reading(data)[0]


def test_every_case_lists_its_source_and_facts() -> None:
    for name in cases():
        data = facts(name)
        assert str(data["source"]).startswith("https://"), name
        assert 15 <= len(data["facts"]) <= 40, name
        text = (CORPUS / f"{name}.md").read_text(encoding="utf-8")
        assert all(str(fact["text"]) in text for fact in data["facts"]), name


@pytest.mark.parametrize("name", cases())
def test_a_real_postmortem_imports_without_a_refusal(name: str) -> None:
    result = read_markdown(CORPUS / f"{name}.md")
    assert result.review.title
    assert all(problem.level == "warning" for problem in result.problems), [str(p) for p in result.problems]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", cases())
def test_every_fact_is_found_by_a_foreign_reader(name: str, fmt: str, profile: str) -> None:
    lacking = missing_text(expected(name, profile), reading(fmt, output(name, fmt, profile)), pdf=fmt == "pdf")
    assert not lacking, report(f"{fmt} {profile} {name}", lacking)


@pytest.mark.slow
def test_every_fact_is_in_the_docx_as_libreoffice_lays_it_out(tmp_path: Path) -> None:
    require_tool("soffice", "libreoffice-writer-nogui")
    documents = {f"{name}.{profile}": output(name, "docx", profile) for name in cases() for profile in PROFILES}
    texts = libreoffice_texts(documents, tmp_path)
    failures = []
    for name in cases():
        for profile in PROFILES:
            lacking = missing_text(expected(name, profile), texts[f"{name}.{profile}"], pdf=True)
            if lacking:
                failures.append(report(f"docx (LibreOffice) {profile} {name}", lacking))
    assert not failures, "\n".join(failures)


FIXTURES = CORPUS.parent
_REVIEW_FILES = sorted(
    path.relative_to(FIXTURES).as_posix()
    for path in FIXTURES.rglob("*")
    if path.suffix in (".yaml", ".json", ".toml", ".md")
    and "invalid" not in path.relative_to(FIXTURES).parts
    and "platforms" not in path.relative_to(FIXTURES).parts  # platform exports, not review files
    and not path.name.endswith(".facts.yaml")
    and path.name != "README.md"
)


@pytest.mark.filterwarnings("ignore::pirdoc.PirdocWarning")
@pytest.mark.parametrize("relative", _REVIEW_FILES)
def test_every_fixture_imports_and_renders_with_exit_0(relative: str, tmp_path: Path) -> None:
    """Every review file in fixtures/ (the invalid ones aside), whatever it lacks, renders in every
    format and both profiles, and a filled template imports, all with exit 0. A review marked Final
    that fails the final checks is refused (exit 1, nothing written) unless --allow-problems."""
    source = FIXTURES / relative
    assert len(_REVIEW_FILES) >= 15
    formats = "markdown,docx,pdf,confluence"
    loaded = pirdoc.load(source)
    allow: list[str] = []
    if loaded.status is pirdoc.Status.FINAL and any(p.level == "error" for p in pirdoc.check(loaded)):
        refused = tmp_path / "refused"
        assert main(["render", str(source), "-f", formats, "-j", "1", "-o", str(refused)]) == 1
        assert not refused.exists() or not list(refused.iterdir())
        allow = ["--allow-problems"]
    for profile in PROFILES:
        out = tmp_path / profile
        command = ["render", str(source), "-f", formats, "--profile", profile, "-j", "1", "-o", str(out), *allow]
        assert main(command) == 0
        assert len(list(out.iterdir())) == len(FORMATS)
    if source.suffix == ".md":
        assert main(["import", str(source), "-o", str(tmp_path / "imported.yaml")]) == 0
        assert (tmp_path / "imported.yaml").stat().st_size > 0
