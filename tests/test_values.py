"""pirdoc.values: times, counts and durations keep their words beside what pirdoc understood.

Examples are the shapes ../shared/reference/real-world-values.md collects; properties cover the
canonical forms (what a data file writes reads back as the same value) and the promise that
parsing never loses the text."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pirdoc import values as v
from pirdoc.values import Duration, Instant, Precision, Qualifier, Quantity
from tests.cycles import cyclic_garbage, kinds

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "start", "precision", "qualifier", "kept"),
    [
        ("2024-07-19 04:09 UTC", dt.datetime(2024, 7, 19, 4, 9, tzinfo=UTC), Precision.MINUTE, Qualifier.EXACT, False),
        ("2024-02-28", dt.datetime(2024, 2, 28, tzinfo=UTC), Precision.DAY, Qualifier.EXACT, False),
        ("~17:20 UTC", dt.datetime(2017, 1, 31, 17, 20, tzinfo=UTC), Precision.MINUTE, Qualifier.APPROXIMATE, True),
        ("2018 October 21 22:52 UTC", dt.datetime(2018, 10, 21, 22, 52, tzinfo=UTC), Precision.MINUTE,
         Qualifier.EXACT, True),
        ("10:00 UTC (12:00 local)", dt.datetime(2017, 1, 31, 10, 0, tzinfo=UTC), Precision.MINUTE, Qualifier.EXACT,
         True),
        ("March 2024", dt.datetime(2024, 3, 1, tzinfo=UTC), Precision.MONTH, Qualifier.EXACT, True),
    ],
)  # fmt: skip
def test_times_as_people_write_them(
    text: str, start: dt.datetime, precision: Precision, qualifier: Qualifier, kept: bool
) -> None:
    instant = v.parse_instant(text, day=dt.date(2017, 1, 31))
    assert instant.start == start
    assert instant.precision is precision
    assert instant.qualifier is qualifier
    assert (instant.text == text) is kept
    assert v.format_instant(instant) == (text if kept else v.format_instant(Instant(start=start, precision=precision)))


def test_a_range_keeps_both_ends_and_its_words() -> None:
    instant = v.parse_instant("2024-04-08 – 2024-04-24")
    assert instant.start == dt.datetime(2024, 4, 8, tzinfo=UTC)
    assert instant.end == dt.datetime(2024, 4, 24, tzinfo=UTC)
    assert v.format_instant(instant) == "2024-04-08 – 2024-04-24"
    assert v.instant_wire(instant) == "2024-04-08/2024-04-24"


def test_words_without_a_moment_are_kept_with_no_moment() -> None:
    instant = v.parse_instant("time not recorded")
    assert instant.start is None
    assert v.format_instant(instant) == "time not recorded"
    assert v.instant_wire(instant) is None


def test_edtf_qualifiers_on_the_wire() -> None:
    assert v.parse_instant_wire("2026-03-14T17:20Z~").qualifier is Qualifier.APPROXIMATE
    assert v.parse_instant_wire("2026-03-14?").qualifier is Qualifier.UNCERTAIN
    with pytest.raises(ValueError, match="ends before it starts"):
        v.parse_instant_wire("2026-03-15/2026-03-14")


@pytest.mark.parametrize(
    ("text", "value", "approximate", "kept"),
    [
        ("12,345", 12345, False, False),
        ("12,345 (3.5%)", 12345, False, True),
        ("~8.5 million", 8_500_000, True, True),
        ("not counted; estimated in the thousands", None, False, True),
    ],
)
def test_counts_keep_their_notes(text: str, value: float | None, approximate: bool, kept: bool) -> None:
    quantity = v.parse_quantity(text)
    assert quantity.value == value
    assert quantity.approximate is approximate
    assert (quantity.text == text) is kept
    assert v.format_quantity(quantity) == text


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("about 18 hours", dt.timedelta(hours=18), True),
        ("24 h 11 min (degraded service)", dt.timedelta(hours=24, minutes=11), False),
        ("most of the day", None, False),
    ],
)
def test_durations_keep_their_notes(text: str, value: dt.timedelta | None, approximate: bool) -> None:
    duration = v.parse_duration_text(text)
    assert duration.value == value
    assert duration.approximate is approximate
    assert v.format_duration(duration) == text


def test_a_duration_past_the_calendar_is_refused_on_the_wire_and_kept_as_words() -> None:
    with pytest.raises(ValueError, match="duration out of range"):
        v.parse_duration("99999999999 days")
    assert v.parse_duration_text("99999999999 days") == Duration(text="99999999999 days")


_moments = st.datetimes(
    min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


@given(_moments, st.sampled_from(list(Precision)), st.sampled_from(list(Qualifier)), st.booleans())
def test_the_wire_form_reads_back_as_the_same_instant(
    moment: dt.datetime, precision: Precision, qualifier: Qualifier, ranged: bool
) -> None:
    if precision is Precision.DAY:
        moment = moment.replace(hour=0, minute=0, second=0)
    elif precision is Precision.MONTH:
        moment = moment.replace(day=1, hour=0, minute=0, second=0)
    elif precision is Precision.MINUTE:
        moment = moment.replace(second=0)
    elif moment.second == 0:  # a time written with ":00" seconds is known to the minute, by design
        moment = moment.replace(second=1)
    end = moment + dt.timedelta(days=40) if ranged else None
    if end is not None and precision is Precision.MONTH:
        end = end.replace(day=1)
    instant = Instant(start=moment, end=end, precision=precision, qualifier=qualifier)
    wire = v.instant_wire(instant)
    assert wire is not None
    assert v.parse_instant_wire(wire) == instant


@given(st.text(min_size=1, max_size=60).filter(str.strip))
def test_parsing_words_never_loses_them(text: str) -> None:
    written = " ".join(text.split())
    try:
        instant = v.parse_instant(text)
    except ValueError:
        pass  # not a time: the importer keeps such words as a note
    else:
        assert v.format_instant(instant) == written or instant.text is None
    assert v.format_quantity(v.parse_quantity(text)) in (written, v.format_quantity(v.parse_quantity(written)))
    duration = v.parse_duration_text(text)
    assert duration.text == written or (duration.text is None and duration.value is not None)


@given(st.integers(min_value=0, max_value=10**12), st.booleans())
def test_a_number_written_canonically_reads_back(number: int, approximate: bool) -> None:
    quantity = Quantity(value=number, approximate=approximate)
    assert v.parse_quantity(v.format_quantity(quantity)) == quantity


@given(st.integers(min_value=0, max_value=10**9))
def test_a_duration_written_canonically_reads_back(seconds: int) -> None:
    value = dt.timedelta(seconds=seconds)
    assert v.parse_duration(v.timedelta_text(value)) == value


@pytest.mark.parametrize("text", ["not a time at all", "2024-05-01 to sometime", "~10:00 UTC (2024-05-01)"])
def test_reading_an_instant_leaves_no_reference_cycles_behind(text: str) -> None:
    # A caught error kept in a local: its traceback held the frame that held it.
    def read() -> object:
        try:
            return v.parse_instant(text)
        except ValueError as error:
            return str(error)

    cyclic = cyclic_garbage(read)
    assert not cyclic, f"{len(cyclic)} objects in reference cycles: {kinds(cyclic)}"


def test_a_time_without_a_note_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the text without its note is tried only when there is a note to take off
    read: list[str] = []
    parse_range = v._parse_range

    def counted(core: str, day: v.Day, *, assume_utc: bool) -> object:
        read.append(core)
        return parse_range(core, day, assume_utc=assume_utc)

    monkeypatch.setattr(v, "_parse_range", counted)
    with pytest.raises(ValueError, match="not a time pirdoc can read"):
        v.parse_instant("2017/01/31 11:27pm-ish UTC")
    assert read == ["2017/01/31 11:27pm UTC"]
    read.clear()
    noted = "14:05 UTC (from the LB logs)"
    assert v.parse_instant(noted, day=dt.date(2024, 7, 19)).text == noted
    assert read == [noted, "14:05 UTC"]


_QUALIFIED_PIECES = st.sampled_from(
    ["~", "about ", "Around ", "APPROX. ", "approximately", "circa ", "c. ", "ca. ", "roughly ", "nearly ", "some ",
     "an estimated ", "est. ", "over ", "more than ", "at least ", "under ", "less than ", "up to ", "> ", "< ", "-ish",
     "ish", " or so", " approx", " (approx.)", "+", "?", "14:05", " UTC", "2024-07-19", " to ", " until ", " till ",
     "/", " - ", "-", "x", " ", "(", ")", ".", "Z", "9", "\n", "T", "t", "2024-07-19T14:05Z", "ſ", "ı"]
)


@given(st.lists(_QUALIFIED_PIECES, min_size=1, max_size=8).map("".join))
@example("14:05 till 15:00")
@example("14:05 approx")
@example("~14:05")
@example("14:05-ish")
@example("14:05 ?\n")
@example("2024-07-19t14:05+02:00")
@example("14:05-14:20 UTC")
@example("2024-07-19 -\t2024-07-20")
@example("14:05 UTC (approx)")
@example("3 h or so")
def test_a_qualifier_pattern_is_skipped_only_where_it_cannot_match(text: str) -> None:
    # the cheap tests that spare parse_instant its searches: each says no only where its
    # pattern finds nothing (the letter tests are made on ASCII text only)
    core = text.strip()
    if core.isascii() and core[:1].lower() not in v._BEFORE_STARTS:
        assert v._APPROX_BEFORE.match(core) is None
    if text.isascii() and not text.lower().endswith(v._AFTER_ENDS):
        assert v._APPROX_AFTER.search(text) is None
    if text.isascii() and not any(word in text.lower() for word in v._INNER_WORDS):
        assert v._INNER_APPROX.search(text) is None
    if text.isascii() and not v._may_split(text):
        assert v._RANGE_SPLIT.search(text) is None
    if not text.endswith("?"):
        assert v._UNCERTAIN_AFTER.search(text) is None
    if text[10:11] not in ("T", "t"):
        assert v._ISO.fullmatch(text) is None


_TIME_PIECES = st.sampled_from(
    ["14:05", "9:37AM", "8:00 p.m.", " UTC", " PST", "+02:00", "2024-07-19", "July 19, 2024", "2024-07", " ", " to ",
     " – ", " - ", "-", "/", "between ", " and ", "~", "about ", "?", " (", ")", "approx.", "note", "time not recorded",
     "T", "Z", "2024-07-19T14:05Z", "1402", "x"]
)


def _answer(text: str, day: dt.date | None) -> object:
    try:
        return v.parse_instant(text, day=day)
    except ValueError as error:
        return str(error)


@given(
    st.lists(_TIME_PIECES, min_size=1, max_size=7).map("".join),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
)
@example("2024-07-19 - 18:00", dt.date(2024, 7, 20), dt.date(2000, 1, 3))
@example("17:20 UTC (2024-07-19)", dt.date(2024, 7, 19), dt.date(2000, 1, 3))
@example("2024-07-19 14:05 – 14:20", dt.date(2000, 1, 3), dt.date(2024, 7, 1))
@example("14:05 – 2024-07-19 14:20", dt.date(2000, 1, 3), dt.date(2024, 7, 1))
def test_a_reading_that_places_nothing_on_its_day_is_the_same_on_every_day(
    text: str, day: dt.date, other: dt.date
) -> None:
    # what the importer's memory of readings (importers._values.read_instant) relies on
    placing = v.Day(day)
    try:
        first: object = v.parse_instant(text, day=placing)
    except ValueError as error:
        first = str(error)
    if not placing.used:
        assert _answer(text, other) == first
        assert _answer(text, None) == first
    else:
        assert placing.date == day  # a Day notes use only; it never changes its date


def test_a_reading_notes_the_day_only_where_a_time_of_day_is_placed_on_it() -> None:
    for text, used in [
        ("14:05 UTC", True),
        ("2024-07-19 14:05 UTC", False),
        ("2024-07-19 14:05 – 14:20 UTC", False),  # the end is on the start's day
        ("2024-07-19 – 14:20 UTC", True),
        ("14:05 UTC (2024-07-19)", True),
        ("time not recorded", False),
        ("nonsense", False),
    ]:
        placing = v.Day(dt.date(2000, 1, 3))
        with contextlib.suppress(ValueError):
            v.parse_instant(text, day=placing)
        assert placing.used is used, text


# Shortcuts in reading times: each skips a pattern only where it cannot match.
_TIME_PIECES = st.sampled_from(
    (
        "2024-07-19", "2024-07", "14:05", "9:37AM", "8:00 p.m.", "UTC", "EDT", "+02:00", "Z", "T", "July", "19th,",
        "at", " ", "-", " - ", "/", "to", "until", "till", "Tomorrow", "(", ")", "[", "]", ";", "?", "!", "'", "~",
        "ish", "or so", "approx", "approx.", "approximately", "(approx)", "(approximately)", "+", "Ish", "OR SO",
    )
)
_TIME_TEXTS = st.lists(_TIME_PIECES, max_size=8).map(lambda parts: " ".join("".join(parts).split()))


@given(_TIME_TEXTS)
@example("14:05 UTC (from logs)")
@example("2024-07-19; per pager")
def test_text_refused_as_a_time_at_a_glance_matches_no_time_pattern(text: str) -> None:
    if v._NOT_IN_A_TIME.search(text):
        assert v._ISO.fullmatch(text) is None
        for pattern in (v._MONTH_ONLY, v._DATE_TIME, v._TIME):
            assert pattern.match(text) is None
