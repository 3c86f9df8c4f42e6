"""The failures the domain reports; the web layer maps each to one status code."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure; `str(error)` is a message fit to show a user."""


class InvalidInput(DomainError):
    """The request is well-formed but a value breaks a rule (too short, unknown zone, …).
    `field` names the input at fault, so a form can show the message beside it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    """No such object, or it belongs to a timeline the caller is not a member of."""


class Conflict(DomainError):
    """The request clashes with the current state (e-mail taken, timeline full)."""


class BadCredentials(DomainError):
    """E-mail and password do not match an account."""


class Throttled(DomainError):
    """Too many attempts; try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
