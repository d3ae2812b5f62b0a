"""Hostile input: everything a file can say that would make pirdoc run out of memory, recurse
without end, fail with a raw error or drop text without a word. Each case asserts the clear
message (naming the field and the limit) or the text kept in every format, read back with
readers pirdoc did not write."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import warnings
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import pirdoc
from pirdoc import document as d
from pirdoc.api import render_document
from pirdoc.errors import PirdocWarning, ReviewLoadError
from pirdoc.limits import MAX_DEPTH, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS, MAX_TEXT_CHARACTERS, MAX_VALUES
from pirdoc.narrative import MAX_NESTING, parse_blocks
from pirdoc.serde import unstructure
from tests.documents import meta
from tests.readers import (
    confluence_reading,
    docx_external_targets,
    docx_reading,
    pandoc_link_targets,
    pandoc_plain,
    pdf_link_actions,
    pdftotext,
)

EXAMPLE = Path(__file__).parent.parent / "fixtures" / "example-review.yaml"
FORMATS = ("markdown", "docx", "pdf", "confluence")
HEAD = """\
incident_id: INC-2026-0042
title: Checkout outage
severity: SEV-2
started_at: 2026-03-14 13:45 UTC
"""


@pytest.fixture(scope="module")
def example() -> pirdoc.Review:
    return pirdoc.load(EXAMPLE)


def errors_of(text: str, fmt: str = "yaml") -> tuple[str, ...]:
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.loads(text, fmt)  # type: ignore[arg-type]
    return info.value.errors


def reading(fmt: str, data: bytes) -> str:
    """What a reader pirdoc did not write shows of ``data``, whitespace collapsed."""
    if fmt == "markdown":
        text = pandoc_plain(data)  # markdown-it's CommonMark preset stops at 20 levels; GitHub's reader does not
    elif fmt == "docx":
        text = docx_reading(data)
    elif fmt == "pdf":
        text = pdftotext(data)
    else:
        text = confluence_reading(data)[0]
    return " ".join(text.split())


def shows(fmt: str, data: bytes, text: str) -> bool:
    """True if a reader of ``data`` shows ``text`` (in a PDF, where lines break anywhere, with all
    whitespace left out on both sides)."""
    if fmt == "pdf":
        return "".join(text.split()) in "".join(reading(fmt, data).split())
    return text in reading(fmt, data)


# ---------------------------------------------------------------------------- limits on what was loaded


def test_yaml_aliases_count_every_time_they_are_used() -> None:
    """The alias bomb of the issue: a 114 KB file that loads as 200 MB of text."""
    big = "x" * 100_000
    events = "".join(f"  - {{at: 2026-03-14 13:{i % 60:02d} UTC, phase: detection, title: t{i}, details: *big}}\n"
                     for i in range(2000))
    text = f"{HEAD}summary: {{one_line: &big {big}}}\ntimeline:\n{events}"
    assert len(text) < 300_000
    (line,) = errors_of(text)
    crossing = MAX_TEXT_CHARACTERS // len(big)  # the event whose details pass the limit
    assert line == (
        f"timeline[{crossing - 1}].details: the review's text passes {MAX_TEXT_CHARACTERS:,} characters here; "
        f"the limit is {MAX_TEXT_CHARACTERS:,} for a whole review (YAML aliases count each time they are used)"
    )


def test_a_billion_laughs_document_is_refused_by_the_value_count() -> None:
    levels = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))
    text = f"{HEAD}l0: &l0 [lol]\n{levels}"
    (line,) = errors_of(text)
    assert line.endswith(f"the review holds more than {MAX_VALUES:,} values here; the limit is {MAX_VALUES:,} "
                         "(YAML aliases count each time they are used)")


def test_too_many_values_are_refused_with_the_path_where_the_count_passes() -> None:
    data = {"incident_id": "INC-2026-0042", "title": "t", "severity": "SEV-2",
            "started_at": "2026-03-14T13:45:00Z", "services": {"other": ["svc"] * MAX_VALUES}}
    (line,) = errors_of(json.dumps(data), "json")
    assert line.startswith(f"services.other[{MAX_VALUES - 7}]: the review holds more than")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_nesting_deeper_than_the_limit_is_refused_with_its_path(fmt: str) -> None:
    deep: object = "bottom"
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    data = {"incident_id": "INC-2026-0042", "services": {"other": deep}}
    text = json.dumps(data) if fmt == "json" else yaml.safe_dump(data)
    (line,) = errors_of(text, fmt)
    assert line == (f"services.other{'[0]' * (MAX_DEPTH - 2)}: lists and mappings nested deeper than {MAX_DEPTH} "
                    f"levels; the limit is {MAX_DEPTH}")


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("toml", "a = " + "[" * 100_000 + "]" * 100_000),
        ("toml", "a = " + "{b = " * 50_000 + "1" + "}" * 50_000),
        ("json", "[" * 100_000 + "]" * 100_000),
        ("yaml", "[" * 100_000 + "]" * 100_000),
    ],
)
def test_input_nested_100k_deep_is_reported_not_a_crash(fmt: str, text: str) -> None:
    assert errors_of(text, fmt) == (f"{fmt.upper()} input is nested too deeply",)


def test_a_narrative_table_wider_than_the_limit_is_refused(example: pirdoc.Review) -> None:
    columns = MAX_TABLE_COLUMNS + 12
    table = "intro\n\n|" + "c|" * columns + "\n|" + "-|" * columns + "\n|" + "x|" * columns + "\n"
    data = unstructure(example)
    data["root_cause"]["what_happened"] = table
    (line,) = errors_of(json.dumps(data), "json")
    assert line == (f"root_cause.what_happened: the table at line 3 has {columns} columns; "
                    f"the limit is {MAX_TABLE_COLUMNS}")


def test_a_narrative_table_with_too_many_cells_is_refused_before_layout(example: pirdoc.Review) -> None:
    """The issue's 5,000 × 200 table (4 GB rendering DOCX), made narrow enough to pass the column limit."""
    rows = MAX_TABLE_CELLS // 10
    table = "| a | b | c | d | e | f | g | h | i | j |\n" + "|---" * 10 + "|\n" + "| 1 " * 10 + "|\n" * rows
    table = "| a | b | c | d | e | f | g | h | i | j |\n" + "|---" * 10 + "|\n" + ("| 1 " * 10 + "|\n") * rows
    event = attrs.evolve(example.timeline[2], details=table)
    review = attrs.evolve(example, timeline=(*example.timeline[:2], event, *example.timeline[3:]))
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.render(review, "docx")
    assert info.value.errors == (
        f"timeline[2].details: the table at line 1 has {(rows + 1) * 10:,} cells ({rows + 1:,} rows of 10); "
        f"the limit is {MAX_TABLE_CELLS:,}",
    )


# ---------------------------------------------------------------------------- errors with their place


def test_duplicate_json_keys_are_refused_with_their_path(example: pirdoc.Review) -> None:
    data = json.dumps(unstructure(example), indent=1)
    text = data.replace('"title": "Initial Detection"', '"title": "Initial Detection", "title": "Later"', 1)
    assert text != data
    index = next(i for i, event in enumerate(example.timeline) if event.title == "Initial Detection")
    assert errors_of(text, "json") == (f"timeline[{index}].title: duplicate key; the object gives it more than once",)


def test_a_lone_surrogate_is_reported_with_its_field() -> None:
    text = '{"incident_id": "INC-2026-0042", "title": "Checkout \\ud83d outage", "severity": "SEV-2"}'
    assert errors_of(text, "json") == (
        "title: character 10 is a lone surrogate (U+D83D), which is not valid Unicode text",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_lone_surrogate_in_a_review_built_in_python_is_refused_with_its_field(
    example: pirdoc.Review, fmt: str
) -> None:
    step = attrs.evolve(example.root_cause.five_whys[1], answer="Because \udc00")
    review = attrs.evolve(example, root_cause=attrs.evolve(
        example.root_cause, five_whys=(example.root_cause.five_whys[0], step, *example.root_cause.five_whys[2:])))
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.render(review, fmt)
    assert info.value.errors == (
        "root_cause.five_whys[1].answer: character 9 is a lone surrogate (U+DC00), which is not valid Unicode text",
    )


def test_an_escaped_surrogate_pair_is_one_character() -> None:
    text = '{"incident_id": "INC-2026-0042", "title": "\\ud83d\\udd25 outage", "severity": "SEV-2", ' \
           '"started_at": "2026-03-14T13:45:00Z"}'
    assert pirdoc.loads(text, "json").title == "🔥 outage"


@pytest.mark.parametrize(
    ("fmt", "text", "where"),
    [
        ("json", '{"incident_id": "INC-2026-0042",\n "impact": {"user": {"total_users_affected": %s}}}',
         "line 2, column 46"),
        ("yaml", "incident_id: INC-2026-0042\nimpact:\n  user:\n    total_users_affected: %s\n", "line 4, column 27"),
        ("toml", 'incident_id = "INC-2026-0042"\n[impact.user]\ntotal_users_affected = %s\n', "line 3, column 24"),
    ],
)
def test_an_integer_over_4300_digits_is_reported_with_its_place(fmt: str, text: str, where: str) -> None:
    assert errors_of(text % ("7" * 5000), fmt) == (f"{where}: a number with 5,000 digits; the limit is 4,300",)


def test_a_duration_past_the_calendar_is_reported_with_its_field() -> None:
    assert errors_of(HEAD + "metrics:\n  targets: {detect: 99999999999 days}\n") == (
        "metrics.targets.detect: duration out of range: 8,639,999,999,913,600 seconds; the limit is 999,999,999 days",
    )


# ---------------------------------------------------------------------------- deep nesting, kept


DEEP_CASES = {
    "20 quote levels": "> " * 20 + "the quote twenty levels down",
    "10 list levels": "".join("   " * i + f"- level {i}\n" for i in range(9))
    + "   " * 9 + "- the item ten levels down\n",
    "mixed": "- > " * 7 + "the quote in a list seven deep\n",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", DEEP_CASES)
def test_deeply_nested_text_is_in_every_format(example: pirdoc.Review, fmt: str, case: str) -> None:
    markdown = DEEP_CASES[case]
    review = attrs.evolve(example, root_cause=attrs.evolve(example.root_cause, what_happened=markdown))
    with warnings.catch_warnings():
        warnings.simplefilter("error", PirdocWarning)  # rendered as structure, not as source
        data = pirdoc.render(review, fmt)
    deepest = markdown.strip().splitlines()[-1].split("- ")[-1].lstrip("> ")
    assert shows(fmt, data, deepest)


@settings(max_examples=20)
@given(st.integers(min_value=MAX_NESTING + 1, max_value=1000), st.sampled_from(["> ", "- ", "1. ", "**"]))
def test_markdown_nested_past_the_limit_is_shown_as_its_source(depth: int, marker: str) -> None:
    closing = marker if marker == "**" else ""
    source = marker * depth + "deep text" + closing * depth
    expected = rf"nested \d+ levels deep \(the limit is {MAX_NESTING}\) shown as its source"
    with pytest.warns(PirdocWarning, match=expected):
        blocks = parse_blocks(source)
    assert blocks == (d.CodeBlock(text=source),)


@pytest.mark.parametrize("fmt", FORMATS)
def test_markdown_nested_past_the_limit_is_shown_in_every_format(example: pirdoc.Review, fmt: str) -> None:
    markdown = "> " * 100 + "bottom of the well"
    review = attrs.evolve(example, root_cause=attrs.evolve(example.root_cause, what_happened=markdown))
    with pytest.warns(PirdocWarning, match="nested"):
        data = pirdoc.render(review, fmt)
    assert shows(fmt, data, "bottom of the well")


# ---------------------------------------------------------------------------- wide tables, kept


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_table_at_the_column_limit_shows_every_cell(example: pirdoc.Review, fmt: str) -> None:
    columns = MAX_TABLE_COLUMNS
    table = ("|" + "".join(f"h{i:02d}|" for i in range(columns)) + "\n|" + "-|" * columns + "\n|"
             + "".join(f"v{i:02d}|" for i in range(columns)) + "\n")
    review = attrs.evolve(example, root_cause=attrs.evolve(example.root_cause, what_happened=table))
    shown = reading(fmt, pirdoc.render(review, fmt))
    if fmt == "pdf":
        shown = shown.replace(" ", "")
    missing = [name for i in range(columns) for name in (f"h{i:02d}", f"v{i:02d}") if name not in shown]
    assert missing == []


def test_a_pdf_table_too_wide_for_the_page_is_shown_row_by_row() -> None:
    columns = 120
    table = d.Table(
        header=tuple((d.Text(text=f"head{i}"),) for i in range(columns)),
        rows=(tuple((d.Text(text=f"cell{i}"),) for i in range(columns)),),
    )
    shown = pdftotext(render_document(d.Document(meta=meta(), blocks=(table,)), "pdf")).replace("\n", " ")
    assert "A table of 120 columns, too wide for the page, shown row by row:" in shown
    assert [i for i in range(columns) if f"head{i}: cell{i}" not in shown] == []


# ---------------------------------------------------------------------------- dates at the end of time


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_timeline_reaching_the_year_9999_renders(example: pirdoc.Review, fmt: str) -> None:
    last = attrs.evolve(example.timeline[-1], at=dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC))
    review = attrs.evolve(example, timeline=(*example.timeline[:-1], last), ended_at=None)
    assert shows(fmt, pirdoc.render(review, fmt), "9999-12-31")


# ---------------------------------------------------------------------------- disguised links

DISGUISED = (
    "https://admin:hunter2@grafana.larkspur.example/d/checkout",
    "HTTP://ops@status.larkspur.example/",
    "mailto:oncall@larkspur.example?attach=/etc/passwd",
    "mailto:?body=Please%20approve%20the%20refund",
    "mailto:oncall@larkspur.example?subject=PIR&%42ody=reset%20your%20password",
)


@given(st.text("abcdefghijklmnopqrstuvwxyz0123456789._~-:", min_size=1, max_size=20),
       st.sampled_from(["http", "https", "HTTPS"]))
def test_a_url_with_user_information_is_never_a_safe_link(userinfo: str, scheme: str) -> None:
    assert not d.is_safe_link(f"{scheme}://{userinfo}@status.larkspur.example/incidents")


@pytest.mark.parametrize(
    "target", ["https://grafana.larkspur.example/d/x?user=a@b", "mailto:oncall@larkspur.example?subject=PIR"]
)
def test_ordinary_links_stay_safe(target: str) -> None:
    assert d.is_safe_link(target)


@pytest.mark.parametrize("fmt", FORMATS)
def test_disguised_links_are_shown_as_text_in_every_format(example: pirdoc.Review, fmt: str) -> None:
    narrative = " ".join(f"[link {i}]({url}) and bare {url}" for i, url in enumerate(DISGUISED))
    item = attrs.evolve(example.action_items[0], link=DISGUISED[0])
    review = attrs.evolve(example, root_cause=attrs.evolve(example.root_cause, what_happened=narrative),
                          action_items=(item, *example.action_items[1:]))
    data = pirdoc.render(review, fmt)
    if fmt == "markdown":
        targets = pandoc_link_targets(data)  # GFM: bare URLs and e-mail addresses become links too
        assert DISGUISED[0] in pandoc_plain(data)
    elif fmt == "docx":
        targets = docx_external_targets(data)
    elif fmt == "pdf":
        targets = [target for _, target in pdf_link_actions(data)]
    else:
        targets = confluence_reading(data)[2]
    assert [t for t in targets if any(part in t.lower() for part in ("hunter2", "ops@", "attach", "ody="))] == []
    assert shows(fmt, data, "link 0")


# ---------------------------------------------------------------------------- standard output


def run_cli(*args: str, stdout: int | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pirdoc", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=120)


def test_a_full_standard_output_is_reported() -> None:
    with open("/dev/full", "w") as full:
        result = run_cli("schema", stdout=full.fileno())
    assert result.returncode == 1
    assert result.stderr == "pirdoc: cannot write to standard output: No space left on device\n"


def test_a_closed_standard_output_is_reported() -> None:
    result = subprocess.run([sys.executable, "-m", "pirdoc", "new"], stdout=None, stderr=subprocess.PIPE,
                            text=True, timeout=120, close_fds=True, pass_fds=(), preexec_fn=_close_stdout)
    assert result.returncode == 1
    assert result.stderr == "pirdoc: cannot write to standard output: standard output is closed\n"


def _close_stdout() -> None:
    import os

    os.close(1)


def test_a_reader_that_goes_away_ends_the_output_quietly() -> None:
    command = [sys.executable, "-m", "pirdoc", "schema"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert errors == ""
    assert code in (0, 1)  # 0 when the schema fitted in the pipe before the reader left
