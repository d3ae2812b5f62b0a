"""One review, four faithful documents, proved with readers pirdoc did not write.

For the example, every fixture review and the hostile review, every text value of the review is
read back from the full record in each format: pandoc for Markdown, python-docx and LibreOffice
for DOCX, pdftotext for PDF, a strict XML parse for Confluence. The hostile review's outputs hold
no active link in any format. See docs/testing.md.
"""

from __future__ import annotations

import functools
import subprocess
import warnings
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest

from pirdoc import model as m
from pirdoc.api import render
from pirdoc.errors import PirdocWarning
from pirdoc.serde import load
from tests.hostile import expected_strings
from tests.readers import (
    Expectation,
    confluence_reading,
    docx_external_targets,
    docx_reading,
    expectations,
    libreoffice_texts,
    markdown_link_targets,
    missing_in_confluence,
    missing_markdown_contacts,
    missing_text,
    pandoc_link_targets,
    pandoc_plain,
    pdf_link_actions,
    pdftotext,
    report,
    unsafe_targets,
)
from tests.tools import require_tool

FIXTURES = Path(__file__).parent.parent / "fixtures"
HOSTILE = "hostile-review"
FORMATS = ("markdown", "docx", "pdf", "confluence")
Edition = Literal["cloud", "datacenter"]


def corpus() -> list[str]:
    """Every fixture review (the example and the hostile review among them), by file stem."""
    names = sorted(p.name.split(".")[0] for ext in ("yaml", "yml", "json", "toml") for p in FIXTURES.glob(f"*.{ext}"))
    assert {"example-review", HOSTILE} <= set(names)
    return names


@functools.cache
def review(name: str) -> m.Review:
    (path,) = [p for p in FIXTURES.iterdir() if p.is_file() and p.name.split(".")[0] == name]
    return load(path)


@functools.cache
def expected(name: str) -> tuple[Expectation, ...]:
    # The hostile review's narratives are escaped Markdown: a reader shows the unescaped string.
    literal = dict(expected_strings(review(name))) if name == HOSTILE else None
    return tuple(expectations(review(name), literal=literal))


def output(name: str, fmt: str, profile: str = "full", edition: Edition = "cloud") -> bytes:
    return _output(name, fmt, profile, edition)


@functools.cache
def _output(name: str, fmt: str, profile: str, edition: Edition) -> bytes:
    options: dict[str, Any] = {"edition": edition} if fmt == "confluence" else {}
    with warnings.catch_warnings():
        # The hostile review's control characters are removed with a warning: expected here.
        warnings.simplefilter("ignore", PirdocWarning)
        return render(review(name), fmt, profile=profile, **options)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every fixture review's DOCX as LibreOffice lays it out: one LibreOffice run per session."""
    require_tool("soffice", "libreoffice-writer-nogui")
    return libreoffice_texts({name: output(name, "docx") for name in corpus()}, tmp_path_factory.mktemp("lo"))


def test_every_expectation_names_a_field_path() -> None:
    found = expected("example-review")
    paths = {e.path for e in found}
    assert len(found) > 150
    assert {"title", "incident_id", "timeline[0].title", "incident_commander.email"} <= paths


# ---------------------------------------------------------------------------- every text value


@pytest.mark.parametrize("name", corpus())
def test_markdown_read_by_pandoc_shows_every_text_value(name: str) -> None:
    data = output(name, "markdown")
    lacking = missing_text(expected(name), pandoc_plain(data))
    assert not lacking, report(f"markdown (pandoc) {name}", lacking)


@pytest.mark.parametrize("name", corpus())
def test_markdown_reference_definitions_carry_contact_details_and_roles(name: str) -> None:
    lacking = missing_markdown_contacts(expected(name), output(name, "markdown"))
    assert not lacking, report(f"markdown (definitions) {name}", lacking)


@pytest.mark.parametrize("name", corpus())
def test_docx_read_by_python_docx_shows_every_text_value(name: str) -> None:
    lacking = missing_text(expected(name), docx_reading(output(name, "docx")))
    assert not lacking, report(f"docx (python-docx) {name}", lacking)


@pytest.mark.slow
@pytest.mark.parametrize("name", corpus())
def test_docx_laid_out_by_libreoffice_shows_every_text_value(name: str, libreoffice: dict[str, str]) -> None:
    # LibreOffice lays out the pages and pdftotext reads them: long words break across lines.
    lacking = missing_text(expected(name), libreoffice[name], pdf=True)
    assert not lacking, report(f"docx (LibreOffice → pdftotext) {name}", lacking)


@pytest.mark.parametrize("name", corpus())
def test_pdf_read_by_pdftotext_shows_every_text_value(name: str) -> None:
    lacking = missing_text(expected(name), pdftotext(output(name, "pdf")), pdf=True)
    assert not lacking, report(f"pdf (pdftotext) {name}", lacking)


@pytest.mark.parametrize("edition", ["cloud", "datacenter"])
@pytest.mark.parametrize("name", corpus())
def test_confluence_strictly_parsed_shows_every_text_value_and_mention(name: str, edition: Edition) -> None:
    lacking = missing_in_confluence(expected(name), output(name, "confluence", edition=edition), edition)
    assert not lacking, report(f"confluence ({edition}, strict XML) {name}", lacking)


@pytest.mark.parametrize("edition", ["cloud", "datacenter"])
def test_confluence_reading_finds_an_owner_matched_by_name_as_a_mention(edition: Edition) -> None:
    """An action-item owner written as a plain name, the name of a person with identifiers
    elsewhere, is that person's mention on the page, not the name as text (docs/confluence.md):
    the reading asks for the mention with their identifier. Found by the generated reviews (ci
    profile): a Data Center page "lacked" the name of an owner written '0x1F <ac:structured-macro/> d'
    (literal text, a hostile snippet), mentioned there with another owner's user key."""
    name = "0x1F <ac:structured-macro/> d"
    lead = m.Person(name=name, confluence_account_id="acc-lead", confluence_userkey="key-lead")
    example = review("example-review")
    owner = m.Person(name=f" {name.upper()}  ")  # the same name, in other case and spacing
    item = attrs.evolve(example.action_items[1], owner=owner)
    items = (example.action_items[0], item, *example.action_items[2:])
    matched = attrs.evolve(example, technical_lead=lead, action_items=items)
    wanted = expectations(matched)
    (as_owner,) = [e.person for e in wanted if e.path == "action_items[1].owner.name"]
    assert as_owner == attrs.evolve(owner, confluence_account_id="acc-lead", confluence_userkey="key-lead")
    page = render(matched, "confluence", edition=edition, allow_problems=True)
    lacking = missing_in_confluence(wanted, page, edition)
    assert not lacking, report(f"confluence ({edition}, strict XML)", lacking)
    # Still a check: a page where nobody has an identifier shows the names, not the mentions.
    unmatched = attrs.evolve(matched, technical_lead=m.Person(name=name))
    lacking = missing_in_confluence(wanted, render(unmatched, "confluence", edition=edition), edition)
    assert {"technical_lead.name", "action_items[1].owner.name"} <= {e.path for e in lacking}


# ---------------------------------------------------------------------------- every reader accepts


@pytest.mark.parametrize("profile", ["full", "executive"])
@pytest.mark.parametrize("name", corpus())
def test_every_reader_accepts_every_output(name: str, profile: str, tmp_path: Path) -> None:
    assert pandoc_plain(output(name, "markdown", profile)).strip()
    assert docx_reading(output(name, "docx", profile)).strip()
    assert pdftotext(output(name, "pdf", profile)).strip()
    qpdf = require_tool("qpdf", "qpdf")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(output(name, "pdf", profile))
    check = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True)
    if check.returncode != 0:
        pytest.fail(f"pdf: qpdf --check rejects {name} ({profile}): {check.stdout.decode()[-300:]}")
    for edition in ("cloud", "datacenter"):
        shown, _, _ = confluence_reading(output(name, "confluence", profile, edition))
        assert shown.strip()


@pytest.mark.slow
def test_libreoffice_reads_every_fixture(libreoffice: dict[str, str]) -> None:
    assert all(text.strip() for text in libreoffice.values())
    assert sorted(libreoffice) == corpus()


# ---------------------------------------------------------------------------- no active link


@pytest.mark.parametrize("profile", ["full", "executive"])
def test_hostile_markdown_has_no_active_link(profile: str) -> None:
    data = output(HOSTILE, "markdown", profile)
    assert not unsafe_targets(pandoc_link_targets(data)), "markdown (pandoc): unsafe link target"
    assert not unsafe_targets(markdown_link_targets(data)), "markdown (markdown-it): unsafe link target"


@pytest.mark.parametrize("profile", ["full", "executive"])
def test_hostile_docx_has_no_active_link(profile: str) -> None:
    unsafe = unsafe_targets(docx_external_targets(output(HOSTILE, "docx", profile)))
    assert not unsafe, f"docx: unsafe relationship or HYPERLINK targets {unsafe[:3]}"


@pytest.mark.parametrize("profile", ["full", "executive"])
def test_hostile_pdf_has_no_active_link(profile: str) -> None:
    actions = pdf_link_actions(output(HOSTILE, "pdf", profile))
    bad = [(kind, target) for kind, target in actions if kind == "/URI" and unsafe_targets([target])]
    bad += [(kind, target) for kind, target in actions if kind not in ("/URI", "/GoTo", "/Dest")]
    assert not bad, f"pdf: unsafe link actions {bad[:3]}"


@pytest.mark.parametrize("edition", ["cloud", "datacenter"])
@pytest.mark.parametrize("profile", ["full", "executive"])
def test_hostile_confluence_has_no_active_link(profile: str, edition: Edition) -> None:
    _, _, targets = confluence_reading(output(HOSTILE, "confluence", profile, edition))
    assert not unsafe_targets(targets), f"confluence: unsafe href {unsafe_targets(targets)[:3]}"


def test_hostile_review_holds_links_to_check() -> None:
    """The link checks above are not vacuous: the hostile review's safe links are live."""
    assert markdown_link_targets(output(HOSTILE, "markdown"))
    assert docx_external_targets(output(HOSTILE, "docx"))
    assert any(kind == "/URI" for kind, _ in pdf_link_actions(output(HOSTILE, "pdf")))
    assert confluence_reading(output(HOSTILE, "confluence"))[2]


def test_a_value_left_out_is_reported_with_its_format_and_path() -> None:
    """The comparison is not vacuous: an output without a value fails, naming it."""
    data = output("example-review", "markdown").replace(b"connection-pool change", b"change")
    lacking = missing_text(expected("example-review"), pandoc_plain(data))
    assert [e.path for e in lacking] == ["title"]
    assert report("markdown (pandoc)", lacking).startswith("markdown (pandoc): 1 value(s) missing: title (text):")
    shown = docx_reading(output("example-review", "docx")).replace("Amara Okafor", "A. Okafor")
    assert {e.path for e in missing_text(expected("example-review"), shown, pdf=True)} >= {"incident_commander.name"}


def test_punctuation_pypdf_turns_round_after_right_to_left_text_still_counts() -> None:
    from tests import readers

    # pypdf keeps a Hebrew line's direction for the neutral characters that start the next line
    after_hebrew = readers.paged_form("5. עברית\n• !<[CDATA[x]]> format_for_path under")
    assert readers._on_pages("answer", "<![CDATA[x]]> format_for_path under", after_hebrew)
    # without right-to-left text on the pages, punctuation out of order is still a miss
    plain = readers.paged_form("• !<[CDATA[x]]> format_for_path under")
    assert not readers._on_pages("answer", "<![CDATA[x]]> format_for_path under", plain)
    # and only the marks before the first letter: a sign or a figure elsewhere is still compared
    assert not readers._on_pages("answer", "<= 5 ms", readers.paged_form("הערה\n> 5 ms"))
    assert not readers._on_pages("answer", "C++ increase", readers.paged_form("הערה\nC increase"))
    assert not readers._on_pages("answer", "1,200 USD", readers.paged_form("הערה\n1.200 USD"))
