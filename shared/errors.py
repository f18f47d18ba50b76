"""One error type for the suite, rendered as RFC 9457 problem details.

Every error body is ``application/problem+json`` with a stable machine
``code``, a message in English (``detail``) and Chinese (``detail_zh``), the
offending ``field`` for validation errors and the policy ``clause`` where a
rule refused.
"""
from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy.exc import IntegrityError, OperationalError

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(msgspec.Struct, omit_defaults=True):
    field: str
    reason: str


class ProblemBody(msgspec.Struct, omit_defaults=True):
    type: str
    title: str
    status: int
    code: str
    detail: str
    detail_zh: str
    instance: str | None = None
    field: str | None = None
    clause: str | None = None
    errors: list[FieldError] | None = None
    extra: dict[str, Any] | None = None


class Problem(Exception):
    """A refusal the caller can act on. Raise it anywhere below the API layer.

    Raising it inside ``Database.transaction()`` rolls the change back whole.
    """

    status = 400
    title = "Bad request"

    def __init__(
        self,
        code: str,
        detail: str,
        detail_zh: str,
        *,
        field: str | None = None,
        clause: str | None = None,
        status: int | None = None,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.detail_zh = detail_zh
        self.field = field
        self.clause = clause
        self.errors = errors
        self.extra = extra
        if status is not None:
            self.status = status

    def body(self, instance: str | None = None) -> ProblemBody:
        title = self.title
        if type(self) is Problem and self.status in _GENERIC:  # a plain Problem takes its status's title
            title = _GENERIC[self.status][1]
        return ProblemBody(
            type=f"urn:workforce:problem:{self.code}",
            title=title,
            status=self.status,
            code=self.code,
            detail=self.detail,
            detail_zh=self.detail_zh,
            instance=instance,
            field=self.field,
            clause=self.clause,
            errors=self.errors,
            extra=self.extra,
        )


class Invalid(Problem):
    """Well-formed input that a rule refuses (a value out of range, a grade outside the band)."""

    status = 422
    title = "Unprocessable content"


class NotFound(Problem):
    status = 404
    title = "Not found"

    def __init__(self, what: str, what_zh: str, key: Any, *, field: str | None = None):
        super().__init__(
            "not_found",
            f"No {what} {key!s} here.",
            f"未找到{what_zh} {key!s}。",
            field=field,
        )


class Conflict(Problem):
    """The request clashes with the current state (a duplicate, a step out of order, a closed month)."""

    status = 409
    title = "Conflict"


class Forbidden(Problem):
    status = 403
    title = "Forbidden"


class Refusal(msgspec.Struct, frozen=True):
    """A pure rule's "no": a stable code, the messages, the field, the clause,
    the HTTP status it carries when raised (422 a request the rule refuses, 409
    one clashing with what is recorded, 403 outside the caller's remit) and
    the facts a caller needs to act. Rules return it; stores raise
    ``refusal.problem()``."""

    code: str
    detail: str
    detail_zh: str
    field: str | None = None
    clause: str | None = None
    status: int = 422
    extra: dict[str, Any] | None = None

    @classmethod
    def of(cls, problem: Problem) -> Refusal:
        """The refusal a catalogue entry below words."""
        return cls(problem.code, problem.detail, problem.detail_zh, problem.field, problem.clause, problem.status,
                   problem.extra)

    def problem(self) -> Problem:
        """The error to raise for this refusal."""
        kind = {422: Invalid, 409: Conflict, 403: Forbidden}.get(self.status)
        if kind is None:
            return Problem(self.code, self.detail, self.detail_zh, field=self.field or None, clause=self.clause,
                           status=self.status, extra=self.extra)
        return kind(self.code, self.detail, self.detail_zh, field=self.field or None, clause=self.clause,
                    extra=self.extra)


# --- the catalogue of refusals that recur -----------------------------------
# One code and one wording each; services raise these rather than their own.

YEARS = (1900, 2200)  # the years any API accepts


def in_future(field: str, value: Any, today: Any, *, clause: str | None = None) -> Invalid:
    """A date, month or year after today: facts are recorded once they happen."""
    return Invalid("date_in_future", f"{field} {value} is after today ({today}).",
                   f"{field}（{value}）晚于今天（{today}）。", field=field, clause=clause)


def refuse_future(value: Any, today: Any, field: str, *, clause: str | None = None) -> None:
    """Raise ``in_future`` when ``value`` (a date, ``YYYY-MM`` or a year, compared like with like) is after today."""
    if value is not None and value > today:
        raise in_future(field, value, today, clause=clause)


def ends_before_start(field: str, ends: Any, starts: Any, *, clause: str | None = None) -> Invalid:
    return Invalid("ends_before_start", f"{field} {ends} is before the start {starts}.",
                   f"{field}（{ends}）早于开始日期（{starts}）。", field=field, clause=clause)


def before_hire(field: str, day: Any, hired_on: Any, *, clause: str | None = None) -> Invalid:
    return Invalid("before_hire", f"{field} {day} is before the hire date {hired_on}.",
                   f"{field}（{day}）早于入职日期（{hired_on}）。", field=field, clause=clause)


def worker_left(worker_id: Any, left_on: Any, *, field: str = "worker_id", clause: str | None = None) -> Conflict:
    return Conflict("worker_left", f"Worker {worker_id} left on {left_on}.", f"该社区工作者已于 {left_on} 离职。",
                    field=field, clause=clause)


def invalid_year(year: Any, field: str = "year", bounds: tuple[int, int] = YEARS) -> Invalid:
    return Invalid("invalid_year", f"{field} must be {bounds[0]}..{bounds[1]}; {year} is not.",
                   f"年份须在 {bounds[0]}..{bounds[1]} 之间（{year} 不在其中）。", field=field)


def check_year(year: int, field: str = "year", bounds: tuple[int, int] = YEARS) -> int:
    if not bounds[0] <= year <= bounds[1]:
        raise invalid_year(year, field, bounds)
    return year


def outside_jurisdiction(jurisdiction: str, yours: str, field: str = "jurisdiction") -> Forbidden:
    """D-8: officers act only within their jurisdiction."""
    return Forbidden("outside_jurisdiction", f"Jurisdiction '{jurisdiction}' is outside yours ('{yours}').",
                     f"“{jurisdiction}”不在您的管辖范围（{yours}）内。", field=field, clause="D-8")


_GENERIC = {
    400: ("bad_request", "Bad request", "The request is not valid.", "请求无效。"),
    401: ("not_authenticated", "Unauthorized", "A valid bearer token is required.", "需要有效的访问令牌。"),
    403: ("forbidden", "Forbidden", "Your role may not do this.", "您的角色无权执行此操作。"),
    404: ("not_found", "Not found", "Nothing here.", "未找到。"),
    405: ("method_not_allowed", "Method not allowed", "This method is not allowed here.", "不允许此请求方法。"),
    413: ("too_large", "Content too large", "The request body is too large.", "请求内容过大。"),
    415: ("unsupported_media_type", "Unsupported media type", "Send application/json.", "请使用 application/json。"),
    429: ("too_many_requests", "Too many requests", "Slow down.", "请求过于频繁。"),
    500: ("internal_error", "Internal server error", "Something went wrong on our side.", "服务器内部错误。"),
    503: ("unavailable", "Service unavailable", "A backing service is unavailable.", "依赖的服务不可用。"),
}

ERROR_STATUSES = (400, 401, 403, 404, 409, 422)
"""What any operation may answer besides success, each as problem+json."""
BODY_ERROR_STATUSES = (413, 415)
"""And an operation that takes a body: too large, not ``application/json``."""
_DESCRIPTIONS = {400: "Bad request: a field out of its bounds or malformed", 401: "No valid bearer token",
                 403: "Not for your role or jurisdiction", 404: "Not found, or not yours to see",
                 409: "Clashes with what is recorded", 413: "Request body too large",
                 415: "Body not sent as application/json", 422: "A rule refuses the request"}


def problem_responses(takes_body: bool) -> dict[int, ResponseSpec]:
    """The refusals an operation declares in the OpenAPI document, all one schema."""
    statuses = ERROR_STATUSES + (BODY_ERROR_STATUSES if takes_body else ())
    return {status: ResponseSpec(ProblemBody, generate_examples=False, description=_DESCRIPTIONS[status],
                                 media_type=PROBLEM_MEDIA_TYPE) for status in statuses}


def declare_problems(app: Any) -> None:
    """Every operation of ``app`` declares its refusals (``problem_responses``);
    one it declares itself keeps its own wording."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            takes_body = handler.parsed_data_field is not None
            handler.responses = {**problem_responses(takes_body), **(handler.responses or {})}


_MISSING = re.compile(r"missing required field `([^`]+)`")
_BLANK = {"Expected `str` matching regex '\\\\S'": ("must not be blank", "不能为空")}
"""The validator's words for shared.types.NOT_BLANK, said plainly."""


def _problem_response(request: Request, problem: Problem) -> Response:
    return Response(
        content=msgspec.json.encode(problem.body(str(request.url.path))),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"WWW-Authenticate": "Bearer"} if problem.status == 401 else None,
    )


def _raw_parameter(request: Request, name: str) -> str | None:
    """A path or query parameter as the caller sent it."""
    value = request.scope.get("path_params", {}).get(name)
    return str(value) if value is not None else request.query_params.get(name)


def _catalogued(request: Request, key: str, message: str) -> Problem | None:
    """A year or month parameter outside its schema's bounds is the catalogue's
    refusal (``invalid_year``, ``malformed_month``), as the service's own check words it."""
    value = _raw_parameter(request, key)
    if value is None:
        return None
    if (key == "year" or key.endswith("_year")) and "Expected `int`" in message:
        return invalid_year(value, key)
    if key == "month" or key.endswith("_month"):
        from shared.dates import month_bounds  # it builds on this module

        try:
            month_bounds(value, key)
        except Problem as problem:
            return problem
    return None


def _from_validation(request: Request, exc: ValidationException) -> Problem:
    errors: list[FieldError] = []
    for item in exc.extra or []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", "invalid"))
        key = str(item.get("key") or "")
        missing = _MISSING.search(message)
        if missing:
            key = f"{key}.{missing.group(1)}" if key and key not in ("data", "body") else missing.group(1)
        if key in ("data", "body"):
            key = ""
        if item.get("source") in ("path", "query") and (catalogued := _catalogued(request, key, message)):
            return catalogued
        errors.append(FieldError(field=key or "body", reason=_BLANK.get(message, (message,))[0]))
    first = errors[0] if errors else FieldError(field="body", reason=str(exc.detail))
    reason_zh = dict(_BLANK.values()).get(first.reason, first.reason)
    return Problem(
        "validation_failed",
        f"Field '{first.field}': {first.reason}.",
        f"字段 '{first.field}' 无效：{reason_zh}。",
        field=first.field,
        errors=errors or None,
        status=400,
    )


def _from_http(exc: HTTPException) -> Problem:
    code, title, en, zh = _GENERIC.get(exc.status_code, _GENERIC[400] if exc.status_code < 500 else _GENERIC[500])
    detail = exc.detail if exc.detail and exc.detail != title else en
    if type(exc) is ClientException and exc.status_code == 400:  # the body did not decode
        return Problem("malformed_json", f"The request body is not valid JSON: {exc.detail}.",
                       "请求体不是合法的 JSON。", field="body", status=400)
    return Problem(code, str(detail), zh, status=exc.status_code)


def handle_exception(request: Request, exc: Exception) -> Response:
    """The single exception handler every service registers."""
    if isinstance(exc, Problem):
        problem = exc
    elif isinstance(exc, ValidationException):
        problem = _from_validation(request, exc)
    elif isinstance(exc, (NotAuthorizedException, PermissionDeniedException, NotFoundException, HTTPException)):
        problem = _from_http(exc)
    elif isinstance(exc, IntegrityError):
        problem = Conflict("integrity_conflict", "The change conflicts with a stored record.", "变更与已有记录冲突。")
    elif isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        problem = Problem("busy", "The database is busy; try again.", "数据库繁忙，请重试。", status=503)
    else:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        problem = Problem("internal_error", _GENERIC[500][2], _GENERIC[500][3], status=500)
    return _problem_response(request, problem)
