"""The rendering half of the public API: `render`, `write`, `formats`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs

from pirdoc._collect import with_fewer_collections
from pirdoc._files import write_bytes
from pirdoc._methods import value_methods
from pirdoc._warn import warn
from pirdoc.audience import Audience, AudienceError, may_publish, redact
from pirdoc.checks import Problem, check
from pirdoc.document import Document
from pirdoc.errors import RenderError, ReviewProblemsError
from pirdoc.layout import Profile, layout
from pirdoc.model import Review, Status
from pirdoc.renderers import available_renderers, check_options, get_renderer, is_plugin, renderer_for_suffix

__all__ = ["FormatInfo", "for_audience", "format_info", "formats", "gate", "render", "render_document", "write"]


@value_methods
@attrs.frozen(kw_only=True, repr=False, eq=False)
class FormatInfo:
    """What `formats` tells about one renderer."""

    name: str
    suffix: str
    media_type: str
    options: dict[str, str]


def format_info(name: str) -> FormatInfo:
    """What `formats` tells about the renderer called ``name`` (importing only that one)."""
    renderer = get_renderer(name)
    return FormatInfo(name=name, suffix=renderer.suffix, media_type=renderer.media_type, options=dict(renderer.options))


def formats() -> list[FormatInfo]:
    """Every available output format (built-ins and installed plugins), sorted by name. A plugin
    that fails to load is left out, and warned about once as a `PirdocWarning`."""
    found = []
    for name in available_renderers():
        try:
            found.append(format_info(name))
        except RenderError:
            if not is_plugin(name):
                raise
    return found


@with_fewer_collections
def render_document(document: Document, format: str, /, **options: Any) -> bytes:
    """``document`` in ``format``; options are the renderer's own (see `formats`)."""
    renderer = get_renderer(format)
    check_options(renderer, options)
    output = renderer.render(document, **options)
    if not isinstance(output, bytes):
        raise RenderError(f"renderer {format!r} returned {type(output).__name__}, not bytes")
    return output


def gate(review: Review, *, allow_problems: bool = False) -> list[Problem]:
    """The checks a review passes on its way to any output: every problem `check` finds (the
    final checks too once the status is Final). Raises `ReviewProblemsError` for a Final review
    with errors, unless ``allow_problems``; a draft passes with its problems."""
    if not isinstance(review, Review):
        raise TypeError(f"expected a Review, got {type(review).__name__}")
    problems = check(review)
    if review.status is Status.FINAL and not allow_problems and any(p.level == "error" for p in problems):
        raise ReviewProblemsError(problems)
    return problems


def render(
    review: Review,
    format: str,
    /,
    *,
    profile: Profile | str = "full",
    audience: Audience | str = "internal",
    allow_problems: bool = False,
    allow_unreviewed: bool = False,
    **options: Any,
) -> bytes:
    """``review`` laid out for ``profile`` and rendered in ``format`` (``markdown``, ``docx``,
    ``pdf``, ``confluence`` or a plugin's name).

    The review is checked first (`check`): each problem is warned as a `PirdocWarning`
    (``path: message``); a review whose status is Final and that fails the final checks raises
    `ReviewProblemsError` instead, unless ``allow_problems=True``.

    ``audience`` (``internal``, ``customer`` or ``public``) chooses whose version it is: the
    review goes through `pirdoc.audience.redact` before layout (call ``redact`` yourself for the
    report of what it removed). A customer or public version of a review whose status is not
    Reviewed or Final raises `AudienceError`, unless ``allow_unreviewed`` or ``allow_problems``."""
    return _render(review, format, profile, audience, (allow_problems, allow_unreviewed), options)


def for_audience(review: Review, audience: Audience | str, *, allow_unreviewed: bool = False) -> Review:
    """``review`` as ``audience`` may read it (`pirdoc.audience.redact`), refusing a customer or
    public version of a review that is not Reviewed or Final unless ``allow_unreviewed``."""
    if audience != "internal" and not allow_unreviewed and not may_publish(review):
        raise AudienceError(
            f"not rendered for the {audience} audience: the review's status is {review.status.value}; a customer "
            "or public version needs status Reviewed or Final (or allow_unreviewed=True, --allow-unreviewed)"
        )
    return redact(review, audience)[0]


@with_fewer_collections
def _render(
    review: Review,
    format: str,
    profile: Profile | str,
    audience: Audience | str,
    allowed: tuple[bool, bool],
    options: dict[str, Any],
) -> bytes:
    allow_problems, allow_unreviewed = allowed
    for problem in gate(review, allow_problems=allow_problems):
        warn(str(problem))
    shown = for_audience(review, audience, allow_unreviewed=allow_unreviewed or allow_problems)
    return render_document(layout(shown, profile), format, **options)


def write(
    review: Review,
    path: str | os.PathLike[str],
    /,
    *,
    format: str | None = None,
    profile: Profile | str = "full",
    audience: Audience | str = "internal",
    allow_problems: bool = False,
    allow_unreviewed: bool = False,
    **options: Any,
) -> Path:
    """Render ``review`` and write it to ``path`` atomically; the format comes from the suffix
    unless given. A failure leaves no partial file and any existing file untouched. Only a regular
    file is replaced: a symbolic link, a FIFO or a device at ``path`` raises an `OSError`. The
    review is checked as `render` checks it (``allow_problems``, ``audience`` and
    ``allow_unreviewed`` as there)."""
    target = Path(path)
    name = format or renderer_for_suffix(target.name)
    output = _render(review, name, profile, audience, (allow_problems, allow_unreviewed), options)
    return write_bytes(target, output)
