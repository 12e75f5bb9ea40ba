"""Error responses: JSON with a Chinese message under /api/, the app's own Chinese pages elsewhere.

Two ways an error reaches the user:

- inside a DRF view (authentication included), ``core.api.exceptions.exception_handler`` turns it into JSON;
- anywhere else (a middleware, the session save after the view, a plain Django view) Django calls the
  ``handler500``/``handler404``/``handler403``/``handler400`` below, which look at the path: ``/api/`` gets JSON,
  the web app gets ``templates/<status>.html``.

A database that cannot be reached (``OperationalError``) is 503 with ``Retry-After``; a uniqueness or foreign-key
conflict that got past the services' own checks (``IntegrityError``) is 409. The 500/503 pages render without
the request context (no context processor, no database query, no static-files manifest), so they still work
when the database or the manifest is what failed.
"""

from __future__ import annotations

import sys

from django.db import IntegrityError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 15

DATABASE_UNAVAILABLE = "数据库暂时不可用，请稍后重试。"
CONFLICT = "数据冲突：该记录已存在或刚被其他操作修改，请刷新后重试。"
SERVER_ERROR = "服务器内部错误，请稍后重试；如问题持续，请联系系统管理员。"
NOT_FOUND = "未找到。"
FORBIDDEN = "您没有执行该操作的权限。"
BAD_REQUEST = "请求无效。"


def is_api(request) -> bool:
    return request is not None and request.path.startswith(API_PREFIX)


def classify(exc: BaseException | None) -> tuple[int, str, str]:
    """(HTTP status, Chinese message, code) for an exception that escaped a view or middleware."""
    if isinstance(exc, OperationalError):
        return 503, DATABASE_UNAVAILABLE, "database_unavailable"
    if isinstance(exc, IntegrityError):
        return 409, CONFLICT, "conflict"
    return 500, SERVER_ERROR, "server_error"


def with_retry_after(response, status: int):
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def json_error(status: int, message: str, code: str) -> JsonResponse:
    response = JsonResponse({"detail": message, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})
    return with_retry_after(response, status)


def server_error(request, template_name: str = "500.html"):
    """handler500: called by Django while the exception is being handled, so sys.exc_info() names it."""
    status, message, code = classify(sys.exc_info()[1])
    if is_api(request):
        return json_error(status, message, code)
    template = loader.get_template("503.html" if status == 503 else template_name)
    # No request: the page must not run context processors (they query the database).
    context = {"message": message, "csp_nonce": getattr(request, "csp_nonce", "")}
    response = HttpResponse(template.render(context), status=503 if status == 503 else 500)
    return with_retry_after(response, status)


def _page(request, template_name: str, context: dict, status: int) -> HttpResponse:
    """The error page inside the app's navigation; the plain page when that cannot be drawn (e.g. no database)."""
    template = loader.get_template(template_name)
    try:
        html = template.render({**context, "layout": "error_nav.html"}, request)
    except Exception:  # the navigation needs the database and the session: fall back to the self-contained page
        html = template.render({**context, "csp_nonce": getattr(request, "csp_nonce", "")})
    return HttpResponse(html, status=status)


def page_not_found(request, exception=None, template_name: str = "404.html"):
    if is_api(request):
        return json_error(404, NOT_FOUND, "not_found")
    return _page(request, template_name, {"request_path": request.path}, 404)


def permission_denied(request, exception=None, template_name: str = "403.html"):
    message = str(exception) if exception and str(exception) else FORBIDDEN
    if is_api(request):
        return json_error(403, message, "permission_denied")
    return _page(request, template_name, {"message": message}, 403)


def csrf_failure(request, reason: str = "", template_name: str = "403.html"):
    """CSRF_FAILURE_VIEW: Django's English page replaced by the Chinese one (a stale form or expired session)."""
    message = "页面已过期或会话已失效（CSRF 校验失败），请刷新页面后重新提交。"
    if is_api(request):
        return json_error(403, message, "csrf_failed")
    context = {"message": message, "csp_nonce": getattr(request, "csp_nonce", "")}
    return HttpResponse(loader.get_template(template_name).render(context), status=403)


def bad_request(request, exception=None, template_name: str = "400.html"):
    if is_api(request):
        return json_error(400, BAD_REQUEST, "bad_request")
    return _page(request, template_name, {}, 400)


class MethodNotAllowedPage:
    """A web page opened with the wrong method (e.g. a bookmarked 接收 button's URL) answers Django's empty 405:
    the web app shows its Chinese page with the navigation instead (the API keeps DRF's JSON)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not is_api(request) and not response.content:
            page = _page(request, "405.html", {}, 405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
