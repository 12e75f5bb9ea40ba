"""No leak by export: for every API list with an export, and every role, the export holds exactly the rows the
role's list holds (same scope, same filters), and an expert's export never holds an evaluation result."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import get_resolver
from openpyxl import load_workbook

from accounts.models import User
from tests.conftest import api_client_for
from tests.xlsx import sheet_headers

pytestmark = pytest.mark.django_db

RESULT_HEADERS = {"总分", "结果", "一票否决", "示范项目", "专家人数", "已提交评分表"}


def routes(patterns=None, prefix=""):
    """(route, view callback) of every URL pattern, includes walked."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def export_urls() -> list[str]:
    """Every ``…/export/`` list action of the API router."""
    return sorted(
        {
            "/" + route.replace("^", "").replace("$", "").replace("\\", "")
            for route, _ in routes()
            if route.startswith("api/v1/") and route.endswith("export/$") and "<" not in route and "(?P" not in route
        }
    )


def test_every_export_holds_the_rows_of_the_roles_list_and_nothing_else(demo_data):
    urls = export_urls()
    assert len(urls) >= 15, urls
    users = [
        User.objects.filter(role=role).order_by("pk").first()
        for role in ("city_admin", "county_staff", "unit_user", "expert")
    ]
    checked = 0
    for user in users:
        client = api_client_for(user)
        for url in urls:
            export = client.get(url)
            listing = client.get(url.removesuffix("export/"))
            assert export.status_code in (200, 403, 404), (user.username, url, export.status_code)
            assert (export.status_code == 200) == (listing.status_code == 200), (user.username, url)
            if export.status_code != 200:
                continue
            ws = load_workbook(BytesIO(export.content)).active
            headers = {c.value for c in ws[1]}
            rows = sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in row))
            body = listing.json()
            count = body["count"] if isinstance(body, dict) and "count" in body else len(body)
            assert rows == count, (user.username, url, rows, count)
            if user.role == "expert":
                assert not headers & RESULT_HEADERS, (url, headers & RESULT_HEADERS)
            checked += 1
    assert checked >= 4 * 5


# --- one set of columns per list: the web page's export, the API's export and the report generators -------------
# Every web list that exports, and the API export of the same rows.
WEB_AND_API = [
    ("/accounts/enterprises/", "/api/v1/enterprises/export/"),
    ("/accounts/users/", "/api/v1/users/export/"),
    ("/projects/list/", "/api/v1/projects/export/"),
    ("/projects/mine/", "/api/v1/projects/export/"),
    ("/projects/participants/", "/api/v1/participants/export/"),
    ("/projects/constraints/", "/api/v1/constraint-records/export/"),
    ("/projects/reports/", "/api/v1/monthly-reports/export/"),
    ("/projects/reports/review/", "/api/v1/monthly-reports/export/"),
    ("/evaluation/", "/api/v1/evaluations/export/"),
    ("/evaluation/templates/", "/api/v1/evaluation-templates/export/"),
    ("/evaluation/library/", "/api/v1/jingpin-library/export/"),
    ("/awards/records/", "/api/v1/award-records/export/"),
    ("/awards/ledger/?year=2023", "/api/v1/points-ledger/export/?year=2023"),
    ("/awards/danhe/", "/api/v1/danhe-selections/export/"),
    ("/awards/savings/", "/api/v1/savings-bonuses/export/"),
    ("/awards/design/", "/api/v1/design-bonuses/export/"),
    ("/assessment/", "/api/v1/assessment/submissions/export/"),
    ("/assessment/review/", "/api/v1/assessment/submissions/export/"),
    ("/assessment/audit/", "/api/v1/assessment/audit/export/"),
    ("/assessment/exceptions/", "/api/v1/assessment/exceptions/export/"),
    ("/assessment/ranking/?year=2023&month=6", "/api/v1/assessment/ranking/?year=2023&month=6"),
    ("/assessment/annual/?year=2023", "/api/v1/assessment/annual-scores/?year=2023"),
    ("/disclosure/manage/", "/api/v1/disclosures/export/"),
    ("/complaints/", "/api/v1/complaints/export/"),
    ("/inspections/", "/api/v1/inspection-plans/export/"),
    ("/inspections/notices/", "/api/v1/rectification-notices/export/"),
    ("/credit/lists/watchlist/", "/api/v1/credit-watchlist/export/"),
    ("/pilots/list/", "/api/v1/pilots/export/"),
]
# API lists with no web list that exports (reference data, files, the reader's own notifications).
API_ONLY = {
    "/api/v1/regions/export/",
    "/api/v1/goal-rules/export/",
    "/api/v1/veto-items/export/",
    "/api/v1/score-sheets/export/",
    "/api/v1/award-catalogue/export/",
    "/api/v1/award-values/export/",
    "/api/v1/assessment/rubrics/export/",
    "/api/v1/assessment/rubric-items/export/",
    "/api/v1/assessment/targets/export/",
    "/api/v1/assessment/evidence/export/",
    "/api/v1/assessment/adjustments/export/",
    "/api/v1/reports/export/",
    "/api/v1/notifications/export/",
    "/api/v1/todos/export/",
    "/api/v1/inspections/export/",
    # the credit API (issue 24); the web lists of the 诚信档案 pair with them when they export
    "/api/v1/credit-entries/export/",
    "/api/v1/credit-standings/export/",
    "/api/v1/credit-appeals/export/",
    "/api/v1/credit-rules/export/",
    # 绿色建造试点: the reviews and checks are shown on the pilot's page
    "/api/v1/pilot-reviews/export/",
    "/api/v1/pilot-checks/export/",
}


def _with_export(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "export=xlsx"


def _web_export_views() -> set[str]:
    """Web routes whose list view declares export columns (the ranking and annual pages export by hand)."""
    from core.views import ScopedListView

    found = set()
    for route, callback in routes():
        cls = getattr(callback, "view_class", None)
        if route.startswith("api/") or cls is None or "<" in route:
            continue
        if any(k.__dict__.get("export_columns") for k in cls.__mro__ if k is not ScopedListView):
            found.add("/" + route)
    return found


def test_the_table_names_every_list_that_exports():
    paired_web = {web.split("?")[0] for web, _ in WEB_AND_API}
    assert _web_export_views() <= paired_web, _web_export_views() - paired_web
    paired_api = {api.split("?")[0] for _, api in WEB_AND_API if api.endswith("export/") or "/export/?" in api}
    assert set(export_urls()) == paired_api | API_ONLY, set(export_urls()) ^ (paired_api | API_ONLY)


def _headers(response, url) -> list[str]:
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
    return sheet_headers(response.content)


def test_every_lists_excel_export_has_the_same_columns_from_the_web_page_and_the_api(client, demo_data):
    checked = 0
    for role in ("city_admin", "county_staff", "unit_user", "expert"):
        user = User.objects.filter(role=role).order_by("pk").first()
        client.force_login(user)
        api = api_client_for(user)
        for web_url, api_url in WEB_AND_API:
            web = client.get(_with_export(web_url))
            if web.status_code in (403, 404):  # a list this role does not open
                continue
            api_response = api.get(api_url if "/export/" in api_url else _with_export(api_url))
            web_headers = _headers(web, web_url)
            assert web_headers == _headers(api_response, api_url), (role, web_url)
            assert len(web_headers) >= 2
            checked += 1
    assert checked >= len(WEB_AND_API)


def test_the_report_generators_use_the_lists_columns(client, demo_data):
    """The bulletin's ranking sheet, the annual report's score, award and ledger sheets: the columns of the lists."""
    from reports.generators import get_generator

    client.force_login(User.objects.filter(role="city_admin").order_by("pk").first())

    def generated(report_type, **params):
        cls = get_generator(report_type)
        return cls(**cls.validate_params(params)).generate().xlsx

    def web(url):
        return _headers(client.get(_with_export(url)), url)

    bulletin = generated("monthly_bulletin", year=2023, month=6)
    assert sheet_headers(bulletin, "排名") == web("/assessment/ranking/?year=2023&month=6")
    annual = generated("annual_report", year=2023)
    assert sheet_headers(annual, "年度得分") == web("/assessment/annual/?year=2023")
    assert sheet_headers(annual, "获奖情况") == web("/awards/records/")
    assert sheet_headers(annual, "丹河杯") == web("/awards/records/")
    assert sheet_headers(annual, "积分排名") == web("/awards/ledger/?year=2023")
