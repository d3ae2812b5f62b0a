"""reportlab's paragraph module imported with its web address pattern deferred
(`pirdoc.renderers._reportlab_import`): each test runs in a fresh interpreter, where the module is
not imported yet."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pirdoc.renderers._reportlab_import import _URI_START, Deferred

REPO = Path(__file__).resolve().parent.parent


def _run(code: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    answer: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_loading_the_pdf_renderer_defers_only_reportlabs_web_address_pattern() -> None:
    answer = _run("""
        import json, re
        compile_before = re.compile
        from pirdoc.renderers import get_renderer
        get_renderer("pdf")
        from reportlab.platypus import paragraph
        deferred = type(paragraph.uri_pat).__name__
        compiled_at_first = paragraph.uri_pat.compiled
        # reportlab's own use of it: hyphenating a web address in a paragraph that asks for it
        found = bool(paragraph.uri_pat.match("https://example.com/a/b?c=d"))
        others = [type(value).__name__ for name, value in vars(paragraph).items()
                  if name.endswith(("_pat", "_re")) and name != "uri_pat"]
        print(json.dumps({"deferred": deferred, "compiled_at_first": compiled_at_first, "found": found,
                          "compiled_after": paragraph.uri_pat.compiled, "others": others,
                          "re_compile_restored": re.compile is compile_before}))
    """)
    assert answer["deferred"] == "Deferred"
    assert answer["compiled_at_first"] is False
    assert answer["found"] is True
    assert answer["compiled_after"] is True
    others = answer["others"]
    assert isinstance(others, list)
    assert others
    assert set(others) == {"Pattern"}  # every other pattern compiled as usual
    assert answer["re_compile_restored"] is True


def test_a_paragraph_module_imported_already_is_left_as_it_is() -> None:
    answer = _run("""
        import json
        from reportlab.platypus import paragraph
        from pirdoc.renderers._reportlab_import import import_platypus
        import_platypus()
        print(json.dumps({"kind": type(paragraph.uri_pat).__name__}))
    """)
    assert answer["kind"] == "Pattern"


def test_reportlabs_pattern_is_the_one_deferred() -> None:
    """The start the deferral looks for is the start of reportlab's pattern as reportlab has it
    now: if reportlab changes it, this fails (and the import merely compiles it again)."""
    from reportlab.platypus import paragraph

    pattern = paragraph.uri_pat.pattern
    assert pattern.startswith(_URI_START)


_HOSTS = st.from_regex(r"[a-z0-9\-]{1,12}\.[a-z]{2,5}", fullmatch=True)
_PATHS = st.text(alphabet="abc/?=&%.-_", max_size=12)
_ADDRESSES = st.builds(lambda host, path: f"https://{host}/{path}", _HOSTS, _PATHS)


@given(text=st.one_of(st.text(max_size=30), _ADDRESSES))
def test_a_deferred_pattern_matches_as_the_compiled_one(text: str) -> None:
    from reportlab.platypus import paragraph

    pattern = paragraph.uri_pat.pattern
    deferred, compiled = Deferred(pattern, re.IGNORECASE), re.compile(pattern, re.IGNORECASE)
    ours, theirs = deferred.match(text), compiled.match(text)
    assert (ours and ours.group(0)) == (theirs and theirs.group(0))
    assert deferred.compiled
