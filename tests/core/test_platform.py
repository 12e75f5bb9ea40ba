"""Health check, OpenAPI schema, seed_demo, dashboard and the web shell."""

import io
import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from openapi_spec_validator import validate

from accounts.models import Enterprise, Region, User
from core.validators import credit_code_error


@pytest.mark.django_db
def test_healthz_tells_anonymous_callers_only_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "", "wrong-token"])
def test_healthz_details_need_the_token_or_the_city_admin(client, settings, header, county_user):
    settings.HEALTHZ_TOKEN = "monitor-token-123"
    client.force_login(county_user)  # signed in, but not the city admin
    extra = {} if header is None else {"HTTP_X_HEALTHZ_TOKEN": header}
    body = client.get("/healthz", **extra).json()
    assert body == {"status": "ok"}
    assert "sqlite" not in json.dumps(body) and "outbox" not in json.dumps(body)


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_to_the_monitor_and_the_city_admin(client, settings, city_admin):
    settings.HEALTHZ_TOKEN = "monitor-token-123"
    for extra in ({"HTTP_X_HEALTHZ_TOKEN": "monitor-token-123"}, {}):
        if not extra:
            client.force_login(city_admin)
        response = client.get("/healthz", **extra)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["checks"]["database"] == {"status": "ok", "vendor": "sqlite"}
        assert body["checks"]["broker"]["status"] == "ok"
        assert body["checks"]["outbox"]["pending"] == 0


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail"}
    settings.HEALTHZ_TOKEN = "monitor-token-123"
    response = client.get("/healthz", HTTP_X_HEALTHZ_TOKEN="monitor-token-123")
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


class _AssetRefs(HTMLParser):
    """Every URL a page makes the browser load: script src, link href (stylesheets, icons), img src."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def asset_urls(html: str) -> list[str]:
    parser = _AssetRefs()
    parser.feed(html)
    return parser.urls


def assert_all_local(urls: list[str]) -> None:
    """Every asset is served by this site from a file in the static folders: no scheme, no host, no //cdn."""
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), url
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(parts.path.removeprefix(settings.STATIC_URL)), f"no static file behind {url}"


def test_asset_check_refuses_a_cdn_url():
    urls = asset_urls('<script src="https://cdn.jsdelivr.net/npm/htmx.org/dist/htmx.min.js"></script>')
    assert urls == ["https://cdn.jsdelivr.net/npm/htmx.org/dist/htmx.min.js"]
    with pytest.raises(AssertionError):
        assert_all_local(urls)
    with pytest.raises(AssertionError):
        assert_all_local(["//unpkg.com/swagger-ui-dist/swagger-ui.css"])


@pytest.mark.django_db
def test_api_docs_page_loads_local_assets(admin_client):
    html = admin_client.get("/api/docs/").content.decode()
    urls = asset_urls(html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls), urls
    assert any(url.endswith("swagger-ui.css") for url in urls), urls
    # Swagger UI's start script comes from the docs view itself (not inline, for the CSP), the rest from static
    start = [url for url in urls if url.startswith("/api/docs/?")]
    assert len(start) == 1 and "script=" in start[0], urls
    assert_all_local([url for url in urls if url not in start])


@pytest.mark.django_db
def test_web_pages_load_only_local_assets(client, city_admin):
    login_page = asset_urls(client.get("/login/").content.decode())
    client.force_login(city_admin)
    dashboard = asset_urls(client.get("/").content.decode())
    for urls in (login_page, dashboard):
        assert any("bootstrap" in url and url.endswith(".css") for url in urls), urls
        assert any("htmx" in url for url in urls), urls
        assert_all_local(urls)


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
