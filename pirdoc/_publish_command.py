"""``pirdoc publish``: reviews to Confluence pages. Thin: parses arguments, reads reviews, calls
`pirdoc.publish` (imported only when the command runs, so the CLI never loads httpx otherwise)
and prints one line per review.

Exit codes: 0 every page created, updated or unchanged; 1 a review could not be read, was
refused (edited by hand, someone else's page) or failed (409, server error); 2 bad usage, or
Confluence refused the credentials, the permission or the space/parent (401/403/404), which
stops the run.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pirdoc._inputs import INPUT_HELP, read_review
from pirdoc._render_batch import Progress
from pirdoc.errors import PirdocError, PirdocWarning, ReviewLoadError
from pirdoc.layout import PROFILES

if TYPE_CHECKING:
    from pirdoc.publish import PublishResult, PublishSession

__all__ = ["add_publish", "run_publish"]

_EXIT_OK, _EXIT_PROBLEMS, _EXIT_USAGE = 0, 1, 2


def add_publish(subparsers: Any) -> None:
    """Add ``pirdoc publish``."""
    parser = subparsers.add_parser(
        "publish",
        help="create or update Confluence pages from reviews",
        description="Publish each REVIEW as a Confluence page: created, updated when it changed, left alone when "
        "not, and refused when it was edited in Confluence since pirdoc wrote it (unless --force). Credentials come "
        "from CONFLUENCE_USER (Cloud: your e-mail address; unset for a Data Center personal access token) and "
        "CONFLUENCE_TOKEN; they are never printed.",
    )
    parser.add_argument("reviews", nargs="+", metavar="REVIEW", type=Path, help=INPUT_HELP)
    parser.add_argument("--url", help="the site, e.g. https://example.atlassian.net/wiki (default: $CONFLUENCE_URL)")
    parser.add_argument("--space", required=True, metavar="KEY", help="the space key, e.g. OPS")
    parser.add_argument("--parent", metavar="ID|TITLE", help="put new pages under this page (an id or a title)")
    parser.add_argument(
        "--api",
        choices=("v1", "v2"),
        help="v2: Confluence Cloud (REST v2, and v1 for attachments and labels); v1: Server/Data Center. "
        "Default: v2 for *.atlassian.net, else v1",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan and a diff against each live page; "
                        "write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite pages edited by hand in Confluence, and "
                        "pages with the same title that pirdoc did not write")
    parser.add_argument("--index", action="store_true", help="also keep an index page (a Page Properties Report "
                        "of every review) under the parent")
    parser.add_argument("--index-title", default="Post-incident reviews", metavar="TITLE",
                        help="the index page's title (default: %(default)s)")
    parser.add_argument("--profile", choices=PROFILES, default="full", help="what the pages show (default: full)")
    parser.set_defaults(func=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    """``pirdoc publish``."""
    try:
        import httpx  # noqa: F401  (only to say clearly that the extra is missing)
    except ImportError:
        print("pirdoc publish: needs the confluence extra: pip install 'pirdoc[confluence]'", file=sys.stderr)
        return _EXIT_USAGE
    from pirdoc.publish import PublishError, open_session

    status = _EXIT_OK
    progress = Progress(len(args.reviews), sys.stderr)
    try:
        with open_session(url=args.url, space=args.space, parent=args.parent, api=args.api, dry_run=args.dry_run,
                          force=args.force) as session:
            for source in args.reviews:
                progress.step(source.name)
                lines, code = _publish_one(session, source, args.profile)
                progress.pause()
                for line, to_stderr in lines:
                    print(line, file=sys.stderr if to_stderr else sys.stdout)
                status = max(status, code)
            if args.index:
                lines, code = _publish_one(session, None, args.profile, index_title=args.index_title)
                for line, to_stderr in lines:
                    print(line, file=sys.stderr if to_stderr else sys.stdout)
                status = max(status, code)
    except PublishError as exc:  # the site, the credentials, the space or parent, or a 401/403/404 on the way
        progress.close()
        print(f"pirdoc publish: {exc}", file=sys.stderr)
        return _EXIT_USAGE
    progress.close()
    return status


def _publish_one(
    session: PublishSession, source: Path | None, profile: str, *, index_title: str = ""
) -> tuple[list[tuple[str, bool]], int]:
    """Publish one input (``source`` None: the index page): the lines to print (text, to
    standard error?) and its exit code (2 for an input that cannot be read as a review, 1 for
    one that failed). 401/403/404 propagate: they stop the run."""
    from pirdoc.publish import AuthenticationError, NotFoundError, PermissionDeniedError

    lines: list[tuple[str, bool]] = []
    prefix = f"{source}: " if source is not None else ""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", PirdocWarning)
            if source is None:
                result = session.publish_index(index_title)
            else:
                review, imported = read_review(source)
                lines = [(f"{source}: {problem}", True) for problem in imported]
                if any(problem.level == "error" for problem in imported):
                    return lines, _EXIT_PROBLEMS
                result = session.publish_review(review, profile=profile)
    except ReviewLoadError as exc:
        return [(f"{source}: {line}", True) for line in exc.errors], _EXIT_USAGE
    except (AuthenticationError, PermissionDeniedError, NotFoundError):
        raise
    except PirdocError as exc:  # a 409, a server error, a renderer's complaint
        return [*lines, (f"{prefix}{exc}", True)], _EXIT_PROBLEMS
    # What layout had to change, as problem lines (as `pirdoc render` prints them), each once.
    messages = dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, PirdocWarning))
    lines += [(f"{prefix}warning: {message}", True) for message in messages]
    lines.append((f"{prefix}{_describe(result)}", False))
    if result.dry_run and result.diff:
        lines.append((result.diff, False))
    return lines, _EXIT_PROBLEMS if result.action == "refuse" else _EXIT_OK


def _describe(result: PublishResult) -> str:
    """One line: what was (or would be) done to the page, and why."""
    page = f"page {result.page_id}" if result.page_id else "a new page"
    figures = f"; {len(result.uploaded)} figure(s) uploaded" if result.uploaded and not result.dry_run else ""
    if result.dry_run:
        verbs = {"create": "would create", "update": "would update", "skip": "would skip", "refuse": "would refuse"}
        figures = f"; would upload {', '.join(result.uploaded)}" if result.uploaded else ""
        return f"{result.identity}: {verbs[result.action]} {page} {result.title!r}: {result.reason}{figures}"
    match result.action:
        case "create":
            return f"{result.identity}: created {page} {result.title!r} (version {result.version}){figures}"
        case "update":
            return f"{result.identity}: updated {page} to version {result.version}: {result.reason}{figures}"
        case "skip":
            return f"{result.identity}: {page} {result.reason}; nothing sent"
        case _:
            return f"{result.identity}: refused {page}: {result.reason}"
