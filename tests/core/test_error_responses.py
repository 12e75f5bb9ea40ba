"""Errors stay JSON on the API (503 for a database outage, 409 for a conflict) and the web app shows its own
Chinese pages, also when the error happens outside the view (a middleware)."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError
from django.test import Client

from tests.conftest import api_client_for

FAILURES = {
    "operational": OperationalError("could not connect to server: Connection refused"),
    "integrity": IntegrityError('duplicate key value violates unique constraint "x"'),
    "runtime": RuntimeError("boom"),
    "forbidden": PermissionDenied("您的角色无权访问此页面。"),
}


class FailingMiddleware:
    """Raises the exception named by the X-Fail header before the view runs (an error outside the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        failure = request.headers.get("X-Fail")
        if failure:
            raise FAILURES[failure]
        return self.get_response(request)


@pytest.fixture
def failing_client(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.core.test_error_responses.FailingMiddleware"]
    return Client(raise_request_exception=False)


# --- inside a DRF view ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_api_database_outage_is_503_json_with_retry_after(city_admin):
    with mock.patch("accounts.api.views.RegionViewSet.list", side_effect=OperationalError("server closed")):
        response = api_client_for(city_admin).get("/api/v1/regions/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "数据库暂时不可用，请稍后重试。", "code": "database_unavailable"}
    assert response["Retry-After"] == "15"


@pytest.mark.django_db
def test_api_integrity_conflict_is_409_json(city_admin):
    with mock.patch("accounts.api.views.RegionViewSet.create", side_effect=IntegrityError("duplicate key")):
        response = api_client_for(city_admin).post("/api/v1/regions/", {"name": "x"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and "数据冲突" in body["detail"]
    assert "Retry-After" not in response


# --- outside the view (middleware) ----------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [("operational", 503, "database_unavailable"), ("integrity", 409, "conflict"), ("runtime", 500, "server_error")],
)
def test_api_errors_raised_in_a_middleware_are_json(failing_client, failure, status, code):
    response = failing_client.get("/api/v1/regions/", headers={"X-Fail": failure})
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])  # a Chinese message
    assert ("Retry-After" in response) == (status == 503)


@pytest.mark.django_db
def test_api_forbidden_raised_outside_a_view_is_json(failing_client):
    response = failing_client.get("/api/v1/regions/", headers={"X-Fail": "forbidden"})
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色无权访问此页面。", "code": "permission_denied"}


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。", "code": "not_found"}


# --- the web app's own pages ----------------------------------------------------------------------
@pytest.mark.django_db
def test_web_database_outage_is_the_chinese_503_page(failing_client):
    response = failing_client.get("/", headers={"X-Fail": "operational"})
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    html = response.content.decode()
    assert "服务暂时不可用" in html and "数据库暂时不可用，请稍后重试。" in html
    assert "Server Error" not in html


@pytest.mark.django_db
def test_web_server_error_is_the_chinese_500_page_rendered_without_the_database(failing_client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=AssertionError("no query")):
        response = failing_client.get("/projects/", headers={"X-Fail": "runtime"})
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器内部错误" in html and '<html lang="zh-CN">' in html
    assert "/static/" not in html  # no static file: the manifest may be what failed


@pytest.mark.django_db
def test_web_forbidden_and_not_found_pages_are_chinese(failing_client):
    response = failing_client.get("/", headers={"X-Fail": "forbidden"})
    assert response.status_code == 403
    assert "无权访问" in response.content.decode() and "您的角色无权访问此页面。" in response.content.decode()
    response = failing_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_persistent_connections_are_health_checked(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
