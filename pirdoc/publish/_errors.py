"""The errors of publishing. Messages are one line and never hold a credential."""

from __future__ import annotations

from pirdoc.errors import PirdocError

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "PublishError",
    "RateLimitedError",
    "ServerError",
]


class PublishError(PirdocError):
    """Publishing to Confluence failed."""


class AuthenticationError(PublishError):
    """Confluence refused the credentials (401)."""


class PermissionDeniedError(PublishError):
    """The account may not read or write what was asked (403)."""


class NotFoundError(PublishError):
    """The space, parent page or page does not exist, or is not visible to the account (404)."""


class ConflictError(PublishError):
    """Confluence has a newer version of the page than the one pirdoc updated (409)."""


class RateLimitedError(PublishError):
    """Confluence kept answering 429/503 beyond the retry budget."""


class ServerError(PublishError):
    """Confluence failed (5xx) or answered something pirdoc cannot use."""
