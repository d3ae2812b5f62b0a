"""The PDF's object formatting (`pirdoc.renderers._pdf_objects`) against reportlab's own."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfdoc

from pirdoc.renderers import _pdf_objects
from pirdoc.renderers._pdf import PdfRenderer
from tests.documents import pdf_both_ways, sample_document

_LEAVES = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=-(2**60), max_value=2**60),  # past the integers a float holds exactly
    st.sampled_from([2**53 - 1, 2**53, 2**53 + 1, -(2**53) + 1, -(2**53), -(2**53) - 1]),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.binary(max_size=8),
    st.booleans(),
    st.none(),
    st.text(max_size=6).map(pdfdoc.PDFString),
    st.sampled_from(["Type", "Font", "a b", "#x"]).map(pdfdoc.PDFName),
)


def _dictionary(entries: dict[str, Any], multiline: bool | str, ordered: bool) -> pdfdoc.PDFDictionary:
    """A dictionary on one line or several, its keys sorted or (an OrderedDict) as given."""
    dictionary = pdfdoc.PDFDictionary(OrderedDict(reversed(entries.items())) if ordered else entries)
    dictionary.multiline = multiline
    return dictionary


_OBJECTS = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=12).map(pdfdoc.PDFArray),
        st.lists(inner, max_size=12).map(pdfdoc.PDFArrayCompact),
        st.builds(
            _dictionary,
            st.dictionaries(st.sampled_from(["Type", "Rect", "Border", "A", "Dest", "a b", "Z"]), inner, max_size=9),
            st.sampled_from([True, False, "forced"]),
            st.booleans(),
        ),
    ),
    max_leaves=30,
)


def _formatted(value: Any) -> bytes | str:
    """What ``pdfdoc.format`` as installed now makes of ``value``: its bytes or its error."""
    try:
        return bytes(pdfdoc.format(value, pdfdoc.PDFDocument()))
    except (UnicodeEncodeError, ValueError, TypeError) as error:  # e.g. text PDFDocEncoding cannot hold
        return f"{type(error).__name__}: {error}"


# reportlab's own functions, which pirdoc's replace in its module (all three together: the
# replacements call one another, so putting one back alone would compare pirdoc with pirdoc)
_REPORTLABS: list[tuple[object, str, object]] = [
    (pdfdoc, "format", _pdf_objects._REPORTLAB_FORMAT),
    (pdfdoc, "PDFName", _pdf_objects._REPORTLAB_NAME),
    (pdfdoc, "pdfdocEnc", _pdf_objects._REPORTLAB_ENCODE),
    (pdfdoc.PDFDictionary, "format", _pdf_objects._REPORTLAB_DICTIONARY),
]


@given(value=_OBJECTS)
def test_a_value_is_formatted_as_reportlab_formats_it(value: Any) -> None:
    assert pdfdoc.format is _pdf_objects.format_value  # installed: nested values come here too
    ours = _formatted(value)
    with pytest.MonkeyPatch.context() as monkeypatch:
        for owner, name, function in _REPORTLABS:
            monkeypatch.setattr(owner, name, function)
        assert _formatted(value) == ours


@pytest.mark.parametrize("which", ["hostile", "example", "gitlab-2017-01-31-database-deletion"])
def test_writing_the_objects_changes_no_byte_of_a_document(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (owner, name, function), *others = _REPORTLABS
    ours, reportlabs = pdf_both_ways(sample_document(which), monkeypatch, owner, name, function, also=others)
    assert ours == reportlabs


@given(text=st.text(alphabet=st.characters(max_codepoint=0x1FF), max_size=12))
@example("\x18")
@example("a\x1fb")
def test_text_is_encoded_as_reportlabs_codec_encodes_it(text: str) -> None:
    """ASCII where the codec writes ASCII; the codec itself for the rest (its gaps, U+0018 to
    U+001F, and what it has no byte for)."""
    try:
        expected: bytes | str = text.encode("extpdfdoc")
    except UnicodeEncodeError as error:
        expected = f"UnicodeEncodeError: {error}"
    assert _formatted(text) == expected


@given(value=st.one_of(st.text(alphabet=st.characters(max_codepoint=0x1FF), max_size=40), st.binary(max_size=8)))
@example("\x18")  # the codec's gaps, at both ends, and the characters either side of them
@example("a\x1fb")
@example("\x17 \x20")
@example("é")
def test_encoding_gives_what_reportlabs_pdfdocenc_gives(value: str | bytes) -> None:
    assert pdfdoc.pdfdocEnc is _pdf_objects.encode

    def encoded(encode: Any) -> bytes | str:
        try:
            return bytes(encode(value))
        except UnicodeEncodeError as error:
            return f"UnicodeEncodeError: {error}"

    assert encoded(_pdf_objects.encode) == encoded(_pdf_objects._REPORTLAB_ENCODE)



@given(data=st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=10))
def test_a_name_is_made_as_reportlab_makes_it(data: str) -> None:
    assert pdfdoc.PDFName is _pdf_objects.name
    reportlabs = _pdf_objects._REPORTLAB_NAME(data)
    assert _pdf_objects.name(data) == reportlabs
    assert _pdf_objects.name(data) == reportlabs  # remembered
    # reportlab's other arguments are still taken, positional or named
    assert _pdf_objects.name(data, "!", "~") == _pdf_objects._REPORTLAB_NAME(data, "!", "~")
    assert _pdf_objects.name(data, lo="!", hi="~") == _pdf_objects._REPORTLAB_NAME(data, lo="!", hi="~")


def test_the_remembered_names_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_pdf_objects, "_NAMES", {})
    for number in range(_pdf_objects._MAX_NAMES * 2 + 5):
        assert _pdf_objects.name(f"Dest{number}") == f"/Dest{number}"
        assert len(_pdf_objects._NAMES) <= _pdf_objects._MAX_NAMES
    assert _pdf_objects.name("a b") == "/a#20b"



_NUMBER = st.one_of(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    # equal keys of different types, and the edges of reportlab's rounding
    st.sampled_from([0, 0.0, -0.0, 1, 1.0, True, 1e-7, 1.1e-7, -1e-8, 0.5, 10.5, 1e20, 999999.5]),
)
_ARGUMENTS = st.lists(
    st.one_of(_NUMBER, st.tuples(_NUMBER, _NUMBER), st.lists(_NUMBER, max_size=3)), min_size=1, max_size=4
)


@given(calls=st.lists(_ARGUMENTS, min_size=1, max_size=6))
def test_numbers_are_written_as_reportlab_writes_them_also_from_memory(calls: list[list[Any]]) -> None:
    from reportlab.lib import rl_accel

    def outcome(function: Any, values: list[Any]) -> str:
        try:
            return str(function(*values))
        except Exception as error:  # reportlab takes one list, or numbers: the same refusal
            return f"{type(error).__name__}: {error}"

    for values in [*calls, *reversed(calls)]:  # the second time from what was remembered
        assert outcome(_pdf_objects.fp_str, values) == outcome(rl_accel.fp_str, values)


def test_a_number_too_large_is_refused_as_reportlab_refuses_it() -> None:
    from reportlab.lib import rl_accel

    for _ in range(2):
        with pytest.raises(ValueError, match="number too large") as ours:
            _pdf_objects.fp_str(1e21)
        with pytest.raises(ValueError, match="number too large") as theirs:
            rl_accel.fp_str(1e21)
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


@pytest.mark.parametrize(
    ("first", "then"),
    [((0,), (0j,)), ((0,), ((0j, 1),)), ((1,), (True,)), ((2.5,), (Decimal("2.5"),)), ((0.0,), (-0.0,))],
)
def test_a_number_that_equals_a_remembered_one_is_written_as_reportlab_writes_it(
    first: tuple[Any, ...], then: tuple[Any, ...]
) -> None:
    """A complex, a boolean or a Decimal equal to a number written before is not taken for it
    (reportlab writes it otherwise, or refuses it); 0.0 and -0.0 are written alike."""
    from reportlab.lib import rl_accel

    def outcome(function: Any, values: tuple[Any, ...]) -> str:
        try:
            return str(function(*values))
        except Exception as error:  # the refusal is what is compared
            return f"{type(error).__name__}: {error}"

    _pdf_objects.fp_str(*first)
    assert outcome(_pdf_objects.fp_str, then) == outcome(rl_accel.fp_str, then)


def test_an_ordered_dictionary_keeps_its_order_as_reportlab_keeps_it() -> None:
    for multiline in (True, False, "forced"):
        ordered = _dictionary({"Z": 1, "A": 2, "M": pdfdoc.PDFArray([3, "x"])}, multiline, ordered=True)
        ours = _formatted(ordered)
        with pytest.MonkeyPatch.context() as monkeypatch:
            for owner, name, function in _REPORTLABS:
                monkeypatch.setattr(owner, name, function)
            assert _formatted(ordered) == ours
        assert isinstance(ours, bytes)
        assert ours.index(b"/M") < ours.index(b"/A") < ours.index(b"/Z")


def test_the_remembered_numbers_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_pdf_objects, "_NUMBERS", {})
    monkeypatch.setattr(_pdf_objects, "_MAX_NUMBERS", 5)
    from reportlab.lib import rl_accel

    for number in range(20):
        assert _pdf_objects.fp_str(number / 4) == rl_accel.fp_str(number / 4)
        assert len(_pdf_objects._NUMBERS) <= 5


@pytest.mark.parametrize("which", ["hostile", "example", "gitlab-2017-01-31-database-deletion"])
def test_remembered_numbers_change_no_byte_of_a_document(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import ttfonts
    from reportlab.pdfgen import canvas, pathobject, textobject
    from reportlab.platypus import flowables, tables

    from pirdoc.renderers import _pdf_canvas, _pdf_plain

    writers = (
        canvas, textobject, pathobject, tables, flowables, pdfdoc, ttfonts, _pdf_plain, _pdf_canvas, _pdf_objects,
    )
    assert all(module.fp_str is _pdf_objects.fp_str for module in writers)
    first, *rest = [(module, "fp_str", rl_accel.fp_str) for module in writers]
    ours, reportlabs = pdf_both_ways(sample_document(which), monkeypatch, *first, also=rest)
    assert ours == reportlabs


def test_running_the_installing_modules_again_keeps_reportlabs_own_functions() -> None:
    """A reload installs pirdoc's functions again in front of reportlab's, not in front of
    themselves (which would call themselves for ever)."""
    import importlib

    from reportlab.pdfgen import canvas
    from reportlab.platypus import paragraph

    from pirdoc.renderers import _pdf_frags, _pdf_words

    reportlab_format = _pdf_objects._REPORTLAB_FORMAT
    reportlab_same_frag = _pdf_frags._REPORTLAB_SAME_FRAG
    reportlab_name = _pdf_objects._REPORTLAB_NAME
    reportlab_encode = _pdf_objects._REPORTLAB_ENCODE
    splitters = (_pdf_words._ORIGINAL_SPLIT_WORD, _pdf_words._ORIGINAL_SPLIT_FRAG_WORD)
    for module in (_pdf_objects, _pdf_words, _pdf_frags, _pdf_objects, _pdf_words, _pdf_frags):
        importlib.reload(module)
    assert _pdf_frags._REPORTLAB_SAME_FRAG is reportlab_same_frag
    assert paragraph.sameFrag is _pdf_frags.same_frag
    assert canvas.fp_str is _pdf_objects.fp_str
    assert pdfdoc.PDFDictionary.format is _pdf_objects.format_dictionary
    assert _pdf_objects._REPORTLAB_FORMAT is reportlab_format
    assert _pdf_objects._REPORTLAB_NAME is reportlab_name
    assert _pdf_objects._REPORTLAB_ENCODE is reportlab_encode
    assert pdfdoc.pdfdocEnc is _pdf_objects.encode
    assert pdfdoc.PDFName is _pdf_objects.name
    assert splitters == (_pdf_words._ORIGINAL_SPLIT_WORD, _pdf_words._ORIGINAL_SPLIT_FRAG_WORD)
    assert pdfdoc.format is _pdf_objects.format_value
    assert paragraph._splitWord is _pdf_words._split_word
    assert _pdf_objects.format_value(pdfdoc.PDFArray([1, "a", pdfdoc.PDFName("b")]), pdfdoc.PDFDocument())
    assert PdfRenderer().render(sample_document("example"))[:5] == b"%PDF-"
