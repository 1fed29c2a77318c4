"""The API's errors as RFC 9457 problem documents (``application/problem+json``), never an
HTML page or a traceback: :class:`ApiProblem` raised by a handler, and the application's
404/405/500/503 handlers (renderer/errors.py) answering with :func:`problem` under ``/api/``.
"""

from __future__ import annotations

from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .bodies import PROBLEM_TYPE, Problem

PREFIX = "/api/"


class ApiProblem(Exception):
    """An API request refused: its status, a stable code, a detail for a person."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


def is_api(request: Request) -> bool:
    """Whether the request is one of the API's (its errors are problem documents)."""
    return request.url.path.startswith(PREFIX)


def problem(
    status: int,
    code: str | None = None,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem document of that status."""
    body = Problem(
        type="about:blank", title=HTTPStatus(status).phrase, status=status, detail=detail, code=code
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_TYPE,
        headers={"cache-control": "no-store", **(headers or {})},
    )


async def api_problem(request: Request, exc: Exception) -> Response:
    """The exception handler of :class:`ApiProblem`."""
    assert isinstance(exc, ApiProblem)
    return problem(exc.status, exc.code, exc.detail, exc.headers)
