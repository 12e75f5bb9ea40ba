"""Health check, OpenAPI schema, seed_demo, dashboard and the web shell."""

import io
import json

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from accounts.models import Enterprise, Region, User
from core.validators import credit_code_error


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "error"


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings_and_validates(capsys):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())
    validate(schema)
    assert "/api/v1/enterprises/" in schema["paths"]
    assert schema["info"]["title"] == "精品工程管理系统 API"


@pytest.mark.django_db
def test_api_docs_page_loads_local_assets(admin_client):
    html = admin_client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_valid(demo_clock):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Region.objects.count(), Enterprise.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert (Region.objects.count(), Enterprise.objects.count(), User.objects.count()) == counts
    counties = Region.objects.filter(level="county", parent__name="晋城市").order_by("order")
    assert [c.name for c in counties] == ["城区", "开发区", "泽州县", "高平市", "阳城县", "陵川县", "沁水县"]
    assert all(credit_code_error(e.credit_code) is None for e in Enterprise.objects.all())
    kinds = set(Enterprise.objects.values_list("kinds__code", flat=True))
    assert kinds == {"builder", "survey", "design", "contractor", "epc", "supervisor", "consultant"}
    for county in counties:
        assert User.objects.filter(role="county_staff", region=county).exists()
    assert {"city_admin", "county_staff", "expert", "unit_user"} <= set(User.objects.values_list("role", flat=True))
    assert "Jingpin@2026" in out.getvalue()
    assert Region.objects.get(name="太原市").effective_prefab_target() == 34


@pytest.mark.django_db
def test_dashboard_shows_real_counts(client, demo_clock):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="admin"))
    html = client.get("/").content.decode()
    assert "驾驶舱" in html
    assert f'data-testid="enterprise-count">{Enterprise.objects.count()}<' in html
    assert 'data-testid="county-count">7<' in html


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    html = client.get("/login/").content.decode()
    assert "用户名" in html and "密码" in html and "登录" in html
