"""Loading and dumping: formats, date-times, durations, people, and dump → load identity."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pirdoc
from pirdoc import _files
from pirdoc.errors import ReviewLoadError
from pirdoc.model import Person, Review, Severity
from pirdoc.serde import FORMATS, Format, format_duration, parse_datetime, parse_duration

from .strategies import audience_reviews, reviews, text_values

FIXTURES = Path(__file__).parent.parent / "fixtures"
EXAMPLE = FIXTURES / "example-review.yaml"

MINIMAL = """\
incident_id: INC-2026-0042
title: Checkout outage
severity: SEV-2
started_at: 2026-03-14 13:45 UTC
"""


@given(reviews())
@pytest.mark.parametrize("fmt", FORMATS)
def test_dump_then_load_gives_the_same_review(fmt: Format, review: Review) -> None:
    assert pirdoc.loads(pirdoc.dumps(review, fmt), fmt) == review


@pytest.mark.parametrize("fmt", FORMATS)
def test_example_review_round_trips_in_every_format(fmt: Format) -> None:
    review = pirdoc.load(EXAMPLE)
    assert pirdoc.loads(pirdoc.dumps(review, fmt), fmt) == review


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json", ".toml"])
def test_dump_and_load_pick_the_format_from_the_suffix(tmp_path: Path, suffix: str) -> None:
    review = pirdoc.loads(MINIMAL)
    path = tmp_path / f"review{suffix}"
    pirdoc.dump(review, path)
    assert pirdoc.load(path) == review
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_an_unknown_suffix_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "review.txt"
    path.write_text(MINIMAL)
    with pytest.raises(ReviewLoadError, match=r"cannot tell the format"):
        pirdoc.load(path)


def test_a_missing_file_is_a_load_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.load(tmp_path / "nope.yaml")
    assert info.value.source == str(tmp_path / "nope.yaml")
    assert "cannot read the file" in str(info.value)


def test_defaults_are_left_out_of_a_dump() -> None:
    assert pirdoc.dumps(pirdoc.loads(MINIMAL)) == MINIMAL.replace("2026-03-14 13:45 UTC", "2026-03-14T13:45:00Z")


def test_toml_dump_has_no_none_values() -> None:
    review = pirdoc.load(EXAMPLE)
    text = pirdoc.dumps(review, "toml")
    assert pirdoc.loads(text, "toml") == review


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14T13:45:00Z", dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)),
        ("2026-03-14T15:45:00+02:00", dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)),
        ("2026-03-14 13:45 UTC", dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)),
        ("2026-03-14 13:45:30 UTC", dt.datetime(2026, 3, 14, 13, 45, 30, tzinfo=dt.UTC)),
        ("2026-03-14T08:45-05:00", dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)),
    ],
)
def test_date_times_with_an_offset_are_normalised_to_utc(text: str, expected: dt.datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is dt.UTC


@pytest.mark.parametrize("text", ["2026-03-14T13:45:00", "2026-03-14 13:45"])
def test_naive_date_times_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError, match="without a timezone"):
        parse_datetime(text)


def test_toml_native_date_times_are_accepted_when_they_have_an_offset() -> None:
    text = 'incident_id = "INC-2026-0042"\ntitle = "x"\nseverity = "SEV-1"\n'
    review = pirdoc.loads(text + "started_at = 2026-03-14T15:45:00+02:00\n", "toml")
    assert review.started_at is not None
    assert review.started_at.start == dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)
    with pytest.raises(ReviewLoadError, match="started_at: date-time without a timezone"):
        pirdoc.loads(text + "started_at = 2026-03-14T15:45:00\n", "toml")


def test_yaml_timestamps_are_read_as_text_so_the_offset_is_seen() -> None:
    review = pirdoc.loads(MINIMAL.replace("2026-03-14 13:45 UTC", "2026-03-14T15:45:00+02:00"))
    assert review.started_at is not None
    assert review.started_at.start == dt.datetime(2026, 3, 14, 13, 45, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h 5m", 65),
        ("65 min", 65),
        ("90s", 1.5),
        ("2 hours", 120),
        ("PT1H5M", 65),
        ("1 hour, 5 minutes", 65),
        ("1.5h", 90),
        ("P1DT1H", 25 * 60),
        ("0s", 0),
    ],
)
def test_durations_are_read_in_every_documented_form(text: str, minutes: float) -> None:
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["soon", "5", "-5m", "1h 5", "PT", "5 parsecs", ""])
def test_malformed_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(3900, "1h 5m"), (45, "45s"), (0, "0s"), (26 * 3600, "26h"), (3601, "1h 1s"), (1.5, "1.5s")],
)
def test_durations_are_written_in_the_compact_form(seconds: float, text: str) -> None:
    assert format_duration(dt.timedelta(seconds=seconds)) == text


def test_a_person_can_be_a_plain_name_or_a_mapping() -> None:
    review = pirdoc.loads(MINIMAL + "incident_commander: Dana Ruiz\ntechnical_lead: {name: Li Wei, role: SRE}\n")
    assert review.incident_commander == Person(name="Dana Ruiz")
    assert review.technical_lead == Person(name="Li Wei", role="SRE")
    dumped = pirdoc.dumps(review)
    assert "incident_commander: Dana Ruiz\n" in dumped
    assert "technical_lead:\n  name: Li Wei\n  role: SRE\n" in dumped


def test_enums_are_read_by_value() -> None:
    review = pirdoc.loads(MINIMAL + "status: Final\n")
    assert review.severity is Severity.SEV2
    assert review.status is pirdoc.Status.FINAL


def test_all_problems_are_reported_at_once_with_paths() -> None:
    text = """\
incident_id: INC-2026-0042
title: Checkout outage
severity: SEV-9
started_at: noon
action_itmes: []
timeline:
  - at: 2026-03-14T13:50:00Z
    title: Alert
    phase: detection
  - at: noon
    title: Page
    phase: response
"""
    with pytest.raises(ReviewLoadError) as info:
        pirdoc.loads(text)
    assert info.value.errors == (
        "severity: not a valid severity: 'SEV-9'; expected one of SEV-1, SEV-2, SEV-3, SEV-4",
        "started_at: not a date-time: 'noon' (write e.g. '2026-03-14T13:45:00Z', '2026-03-14 13:45 UTC', a date "
        "'2026-03-14', '~' after it when approximate, or {value: ..., as_written: ...} for words pirdoc cannot read)",
        "timeline[1].at: not a date-time: 'noon' (write e.g. '2026-03-14T13:45:00Z', '2026-03-14 13:45 UTC', a date "
        "'2026-03-14', '~' after it when approximate, or {value: ..., as_written: ...} for words pirdoc cannot read)",
        "action_itmes: unknown key; did you mean 'action_items'?",
    )


def test_a_missing_required_field_is_named() -> None:
    with pytest.raises(ReviewLoadError, match=r"^title: required field missing$"):
        pirdoc.loads(MINIMAL.replace("title: Checkout outage\n", ""))


def test_a_string_is_not_taken_for_a_list() -> None:
    with pytest.raises(ReviewLoadError, match=r"other_roles: expected a list, got text"):
        pirdoc.loads(MINIMAL + "other_roles: Dana Ruiz\n")


def test_yes_and_no_stay_text_in_yaml() -> None:
    review = pirdoc.loads(MINIMAL.replace("Checkout outage", "no"))
    assert review.title == "no"


def test_loads_accepts_bytes_and_refuses_non_utf8() -> None:
    assert pirdoc.loads(MINIMAL.encode()) == pirdoc.loads(MINIMAL)
    with pytest.raises(ReviewLoadError, match="not UTF-8"):
        pirdoc.loads(b"title: \xff\xfe")


def test_an_unknown_format_name_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        pirdoc.loads(MINIMAL, "xml")  # type: ignore[arg-type]


def test_text_values_lists_every_text_with_its_path() -> None:
    review = pirdoc.loads(
        MINIMAL
        + "technical_lead: {name: Li Wei, role: SRE}\n"
        + "timeline:\n  - {at: 2026-03-14T13:50:00Z, title: Alert fired, phase: detection}\n"
        + "services: {other: [Payments]}\n"
    )
    values = dict(text_values(review))
    assert values["incident_id"] == "INC-2026-0042"
    assert values["technical_lead.name"] == "Li Wei"
    assert values["technical_lead.role"] == "SRE"
    assert values["timeline[0].title"] == "Alert fired"
    assert values["services.other[0]"] == "Payments"
    assert values["approvals[0].role"] == "Incident Commander"
    assert "severity" not in values  # enum values are not text
    assert all(text for _, text in text_values(review))


def test_a_dump_under_a_file_names_the_target(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("not a folder")
    target = tmp_path / "afile" / "review.yaml"
    with pytest.raises(NotADirectoryError) as info:
        pirdoc.dump(pirdoc.loads(MINIMAL), target)
    assert info.value.filename == str(target)
    assert str(info.value).endswith(f": {str(target)!r}")


def test_a_failed_replace_names_the_target_not_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "review.yaml"
    target.mkdir()  # os.replace cannot put a file there
    with pytest.raises(IsADirectoryError) as info:
        pirdoc.dump(pirdoc.loads(MINIMAL), target)
    assert info.value.filename == str(target)
    assert info.value.filename2 is None
    assert ".tmp" not in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["review.yaml"]


def test_a_read_only_folder_names_the_target_not_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()

    def refuse(target: Path) -> tuple[int, str]:
        # What a read-only folder does to anyone but root (these tests also run as root).
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder / ".review.yaml.x.tmp"))

    monkeypatch.setattr(_files, "_create_temporary", refuse)
    with pytest.raises(PermissionError) as info:
        pirdoc.dump(pirdoc.loads(MINIMAL), folder / "review.yaml")
    assert info.value.filename == str(folder / "review.yaml")
    assert ".tmp" not in str(info.value)
    assert list(folder.iterdir()) == []


def test_a_temporary_file_is_new_private_and_named_for_its_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "review.yaml"
    drawn = iter([b"\x00" * 4, b"\x00" * 4, b"\x01" * 4])
    monkeypatch.setattr(os, "urandom", lambda size: next(drawn))
    taken = tmp_path / f".review.yaml.pirdoc-{os.getpid()}.00000000.tmp"
    taken.write_bytes(b"someone else's")
    handle, name = _files._create_temporary(target)  # the first name is taken: the next is drawn
    os.close(handle)
    assert name == str(tmp_path / f".review.yaml.pirdoc-{os.getpid()}.01010101.tmp")
    assert _files._TEMPORARY.match(Path(name).name)  # what a later process would clean up
    # as long as tempfile.mkstemp's names (8 random characters): a long output name still fits
    assert len(Path(name).name) == len(f".review.yaml.pirdoc-{os.getpid()}.") + 8 + len(".tmp")
    assert stat.S_IMODE(os.stat(name).st_mode) == 0o600
    assert taken.read_bytes() == b"someone else's"


# ---------------------------------------------------------------------------- plain data


def _cattrs_writer() -> Any:
    """cattrs' own unstructuring, configured as pirdoc's writer was before it walked the classes
    itself (`pirdoc._plain`): defaults left out, the value types through the same writers, a
    person with only a name as the name."""
    import attrs
    import cattrs
    from cattrs.gen import make_dict_unstructure_fn

    from pirdoc import _plain, values

    converter = cattrs.Converter(omit_if_default=True)
    converter.register_unstructure_hook(dt.datetime, _plain.format_datetime)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_unstructure_hook(dt.timedelta, _plain.format_duration)
    converter.register_unstructure_hook(values.Instant, _plain.unstructure_instant)
    converter.register_unstructure_hook(values.Quantity, _plain.unstructure_quantity)
    converter.register_unstructure_hook(values.Duration, _plain.unstructure_duration)

    def from_text(cl: Any) -> bool:
        return attrs.has(cl) and isinstance(getattr(cl, "FROM_TEXT", None), str)

    def factory(cl: Any) -> Any:
        mapping = make_dict_unstructure_fn(cl, converter, _cattrs_omit_if_default=True)
        return lambda value: getattr(value, cl.FROM_TEXT) if list(mapping(value)) == [cl.FROM_TEXT] else mapping(value)

    converter.register_unstructure_hook_factory(from_text, factory)
    return converter


_CATTRS = _cattrs_writer()


@given(st.one_of(reviews(), audience_reviews()))  # the second fills notes, details, visibility, people
def test_plain_data_is_what_cattrs_writes_key_for_key_in_order(review: Review) -> None:
    from pirdoc._plain import plain_data

    ours, theirs = plain_data(review), _CATTRS.unstructure(review)
    assert ours == theirs
    assert repr(ours) == repr(theirs)  # the same key order: review files keep theirs


def test_the_example_keeps_its_content_hash() -> None:
    from pirdoc.layout import content_hash

    # the digest of the bundled example since the hash became that of the review file's data
    # (round 6); a change here means every published page would be sent again as changed
    expected = "5099515b5fbe95d3d74ad4912d56873c51f0b399925e87659a97c6980faa3c4f"
    assert content_hash(pirdoc.load(Path(pirdoc.__file__).parent / "data" / "example-review.yaml")) == expected
