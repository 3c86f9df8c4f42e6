"""Turning failures into answers: JSON `{status_code, detail}` for the API, a page for people."""

from __future__ import annotations

import logging
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from tortoise.exceptions import ValidationError

from media.errors import (
    BrokenImage,
    ImageTooLarge,
    MediaError,
    MissingObject,
    StorageUnavailable,
    UnsupportedImage,
)
from server.http.auth import API_PREFIX
from timeline.core.errors import (
    BadCredentials,
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    Throttled,
)

log = logging.getLogger("remember_when.errors")

STATUS_OF: dict[type[Exception], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    BadCredentials: 401,
    Throttled: 429,
    UnsupportedImage: 415,
    ImageTooLarge: 413,
    BrokenImage: 422,
    StorageUnavailable: 503,
    # Our own data lost an object (the media routes answer 404 for a photo's link).
    MissingObject: 500,
}


def status_of(error: DomainError | MediaError) -> int:
    """The one status code each kind of expected failure maps to."""
    return STATUS_OF[type(error)]


def headers_of(error: DomainError | MediaError) -> dict[str, str]:
    """Headers that go with a domain failure: when to retry after throttling."""
    return {"Retry-After": str(error.retry_after)} if isinstance(error, Throttled) else {}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path.startswith("/schema")


def on_expected_error(request: Request, error: DomainError | MediaError) -> Response:
    extra = [{"key": error.field}] if isinstance(error, InvalidInput) and error.field else None
    return _answer(request, status_of(error), str(error), headers_of(error), extra)


def on_http_error(request: Request, error: HTTPException) -> Response:
    if error.status_code == 401 and not wants_json(request):
        return Redirect(f"/login?next={quote(request.url.path)}")
    extra = error.extra if isinstance(error, ValidationException) else None
    return _answer(request, error.status_code, error.detail, error.headers or {}, extra)


def on_missing_object(request: Request, error: MissingObject) -> Response:
    """A stored object our rows point to is gone: our failure, logged with its key, which
    the answer does not show."""
    log.error("stored object missing id=%s key=%s", request.state.get("request_id", "-"), error.key)
    return _answer(request, HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side.", {})


def on_unfit_value(request: Request, error: ValidationError) -> Response:
    """A value the domain let through but a column cannot hold (too long, wrong kind): the
    caller's input, so a 422, never a 500. The column is not named to them."""
    log.warning("value refused by the ORM id=%s: %s", request.state.get("request_id", "-"), error)
    return _answer(request, 422, "A value is too long or not of the right kind.", {})


def on_too_deep(request: Request, error: RecursionError) -> Response:
    """A body nested deeper than the decoder can follow (100,000 `[`): the caller's input,
    refused like any malformed body. Logged, in case a recursion of ours ever ends here."""
    log.warning("recursion too deep id=%s", request.state.get("request_id", "-"))
    return _answer(request, 400, "The request body is nested too deeply to read.", {})


def on_unexpected_error(request: Request, error: Exception) -> Response:
    log.exception("unhandled error id=%s", request.state.get("request_id", "-"), exc_info=error)
    return _answer(request, HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side.", {})


def _answer(
    request: Request,
    status: int,
    detail: str,
    headers: dict[str, str],
    extra: object = None,
) -> Response:
    if wants_json(request):
        body: dict[str, object] = {"status_code": status, "detail": detail}
        if extra:
            body["extra"] = extra
        return Response(body, status_code=status, headers=headers)
    return Template(
        "pages/error.html",
        context={
            "status": status,
            "detail": detail,
            "request_id": request.state.get("request_id"),
            "user": request.scope.get("user"),
        },
        status_code=status,
        headers=headers,
    )
