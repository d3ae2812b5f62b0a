"""The HTTP side of publishing: one httpx client with timeouts, authentication, bounded retries
and errors that never carry a credential.

Retry policy (after mark and md2cf): a 429 is retried for any method, since Confluence did not
process the request; a 503 is retried except for POST; no other status is retried. A POST that
failed with a 5xx is never replayed, because the first one may have created the page. Every wait
honours ``Retry-After`` (seconds or an HTTP date) and all waits together stay within a budget.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import httpx

from pirdoc.publish._errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PublishError,
    RateLimitedError,
    ServerError,
)

__all__ = ["Credentials", "NetworkPolicy", "Response", "Transport"]

log = logging.getLogger("pirdoc.publish")

_RETRIED_ALWAYS: Final = frozenset({429})
_RETRIED_UNLESS_POST: Final = frozenset({503})
_DEFAULT_BACKOFF: Final = 1.0


@attrs.frozen(kw_only=True, repr=False)
class Credentials:
    """Who pirdoc acts as: an e-mail address and API token (Cloud, HTTP Basic) or a personal
    access token alone (Data Center, Bearer). ``repr`` shows neither."""

    token: str
    user: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(user={'set' if self.user else 'unset'}, token=***)"

    def header(self) -> str:
        """The ``Authorization`` header value."""
        if self.user:
            return "Basic " + base64.b64encode(f"{self.user}:{self.token}".encode()).decode("ascii")
        return f"Bearer {self.token}"

    def secrets(self) -> tuple[str, ...]:
        """Every form in which a credential could leak into text (for redaction)."""
        header = self.header()
        forms = [self.token, header, header.split(" ", 1)[1]]
        return tuple(sorted({form for form in forms if form}, key=len, reverse=True))


@attrs.frozen(kw_only=True)
class NetworkPolicy:
    """Timeouts and retry bounds. ``max_wait`` is the most time (seconds) all retries of one
    request may spend waiting; ``attempts`` the most tries of one request."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 5
    max_wait: float = 120.0


@attrs.frozen(kw_only=True)
class Response:
    """A successful response: status and parsed JSON (None when the body is empty)."""

    status: int
    json: Any


class Transport:
    """Sends requests to one Confluence site; raises `PublishError` subclasses on failure."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        policy: NetworkPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy or NetworkPolicy()
        self._credentials = credentials
        self._sleep = sleep
        timeout = httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout)
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)
        self.requests_sent = 0

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def redact(self, text: str) -> str:
        """``text`` with every form of the credentials replaced by ``***``."""
        for secret in self._credentials.secrets():
            text = text.replace(secret, "***")
        return text

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        what: str = "",
        allow_404: bool = False,
    ) -> Response | None:
        """Send ``method path`` and return its `Response` (None for an allowed 404).

        ``what`` names the thing asked for in error messages (``space OPS``, ``page 123``)."""
        url = self.base_url + path
        all_headers = {"Accept": "application/json", "Authorization": self._credentials.header(), **(headers or {})}
        waited = 0.0
        for attempt in range(1, self.policy.attempts + 1):
            self.requests_sent += 1
            try:
                response = self._client.request(
                    method, url, params=params, json=json, files=files, data=data, headers=all_headers
                )
            except httpx.TimeoutException:
                after = (" (not retried: it may have taken effect; run again and pirdoc finds what it created)"
                         if method.upper() == "POST" else "")
                raise PublishError(f"{method} {path}: Confluence did not answer in time{after}") from None
            except httpx.HTTPError as exc:
                raise PublishError(self.redact(f"{method} {path}: cannot reach Confluence: {exc}")) from None
            log.debug("%s %s -> %d", method, path, response.status_code)
            status = response.status_code
            if status < 300:
                return Response(status=status, json=_json_or_none(response))
            if allow_404 and status == 404:
                return None
            if not self._retryable(method, status) or attempt == self.policy.attempts:
                raise self._error(method, path, response, what)
            delay = _retry_after(response.headers.get("Retry-After"), attempt)
            if waited + delay > self.policy.max_wait:
                raise RateLimitedError(
                    f"{method} {path}: Confluence answered {status} and asked to wait {delay:g} s; "
                    f"that would exceed the {self.policy.max_wait:g} s retry budget, giving up"
                )
            log.info("%s %s: %d, retrying in %g s", method, path, status, delay)
            waited += delay
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _retryable(method: str, status: int) -> bool:
        return status in _RETRIED_ALWAYS or (status in _RETRIED_UNLESS_POST and method.upper() != "POST")

    def _error(self, method: str, path: str, response: httpx.Response, what: str) -> PublishError:
        status = response.status_code
        detail = self.redact(_message_of(response))
        subject = what or path
        suffix = f": {detail}" if detail else ""
        if status == 401:
            return AuthenticationError(
                "Confluence refused the credentials (401 Unauthorized); check CONFLUENCE_USER and CONFLUENCE_TOKEN"
            )
        if status == 403:
            return PermissionDeniedError(f"no permission for {subject} (403 Forbidden){suffix}")
        if status == 404:
            return NotFoundError(f"{subject} not found (404){suffix}")
        if status == 409:
            return ConflictError(f"{subject}: version conflict (409 Conflict){suffix}")
        if status == 429:
            return RateLimitedError(f"{method} {path}: still rate limited (429) after {self.policy.attempts} tries")
        if status >= 500 and method.upper() == "POST":
            return ServerError(
                f"POST {path} failed with {status}{suffix}; not retried, since the first try may have taken effect. "
                "Run again: pirdoc finds a page it created by its content property"
            )
        return ServerError(f"{method} {path} failed with {status}{suffix}")


def _json_or_none(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _message_of(response: httpx.Response) -> str:
    """Confluence's own one-line explanation from an error body, if any."""
    body = _json_or_none(response)
    message = ""
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):
            message = body["message"]
        elif isinstance(body.get("errors"), list) and body["errors"]:
            first = body["errors"][0]
            if isinstance(first, dict):
                message = str(first.get("title") or first.get("detail") or first.get("message") or "")
    elif response.content and len(response.content) < 300:
        message = response.text
    message = " ".join(message.split())
    return message[:200]


def _retry_after(value: str | None, attempt: int) -> float:
    """Seconds to wait: ``Retry-After`` as seconds or an HTTP date, else 1, 2, 4 … seconds."""
    if value:
        try:
            return max(0.0, float(value.strip()))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value.strip())
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return max(0.0, when.timestamp() - time.time())
    return float(_DEFAULT_BACKOFF * 2 ** (attempt - 1))
