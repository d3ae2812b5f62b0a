"""The .docx zip writer (`pirdoc.renderers._zip`) against Python's own `zipfile`."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from pirdoc.renderers._zip import zip_members

_NAMES = st.sampled_from([
    "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/media/image1.png",
    "word/media/logo.jpeg", "docProps/core.xml", "customXml/item1.xml",
])
_MEMBERS = st.dictionaries(_NAMES, st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode), max_size=8)


def _with_zipfile(members: dict[str, bytes]) -> bytes:
    """What pirdoc wrote with zipfile before: fixed date, MS-DOS host, pictures stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(members, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            stored = name.endswith((".png", ".jpeg", ".jpg"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 0
            target.writestr(info, members[name], compresslevel=3)
    return out.getvalue()


@given(_MEMBERS, st.data())
def test_a_zip_is_byte_for_byte_what_zipfile_writes(members: dict[str, bytes], data: st.DataObject) -> None:
    shared = data.draw(st.sets(st.sampled_from(sorted(members))) if members else st.just(set()))
    written = zip_members(members, shared=shared)
    assert written == _with_zipfile(members)
    assert zip_members(members, shared=shared) == written  # again, from the remembered members
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert {name: archive.read(name) for name in archive.namelist()} == members


def test_a_shared_member_that_changed_is_written_as_it_now_is() -> None:
    first = zip_members({"word/styles.xml": b"<a/>" * 100}, shared={"word/styles.xml"})
    second = zip_members({"word/styles.xml": b"<b/>" * 100}, shared={"word/styles.xml"})
    with zipfile.ZipFile(io.BytesIO(second)) as archive:
        assert archive.read("word/styles.xml") == b"<b/>" * 100
    assert first != second


def test_a_member_named_beyond_ascii_is_written_as_utf8_as_zipfile_writes_it() -> None:
    members = {"[Content_Types].xml": b"<Types/>", "word/media/bild_\u00e4.png": b"\x89PNG"}
    written = zip_members(members)
    assert written == _with_zipfile(members)
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.read("word/media/bild_\u00e4.png") == b"\x89PNG"
