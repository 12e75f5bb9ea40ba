"""The pages run under the Content-Security-Policy (core/csp.py): on the main pages of every role, the public
pages, the API docs and the Django admin, Chromium reports no Content Security Policy violation, and the charts
drawn by inline (nonce) scripts and the static behaviours still work."""

import pytest

from assessment.models import Submission
from evaluation.models import ScoreSheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jingpin@2026"
PAGES = {
    None: ["/disclosure/", "/complaints/new/", "/complaints/status/", "/login/", "/no-such-page/"],
    "unit_taihang": ["/", "/projects/mine/", "/projects/reports/", "/reports/notifications/"],
    "gaoping": ["/", "/assessment/submissions/{month}/edit/", "/projects/reports/", "/disclosure/manage/"],
    "expert1": ["/", "/evaluation/{evaluation}/my-sheet/"],
    "city": [
        "/",
        "/assessment/ranking/",
        "/reports/",
        "/awards/records/",
        "/projects/list/",
        "/evaluation/library/",
        "/complaints/",
        "/inspections/",
        "/accounts/tokens/",
        "/accounts/security-log/",
        "/api/docs/",
        "/api/redoc/",
    ],
    "admin": ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"],
}


# Redoc's bundle shows its vendor's logo from the vendor's CDN: the policy refusing an outside image is what it is
# for (the page works without it), so that one refusal is expected; anything else is a violation.
EXPECTED_REFUSALS = ("Loading the image 'https://cdn.redoc.ly/",)


def open_page(browser, base, username, violations):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text and not msg.text.startswith(EXPECTED_REFUSALS)
            else None
        ),
    )
    if username:
        page.goto(f"{base}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state("networkidle")
    return page


def test_no_content_security_policy_violation_on_the_main_pages_of_each_role(browser, demo):
    ids = {
        "month": Submission.objects.get(county__name="高平市", year=2024, month=3).pk,
        "evaluation": ScoreSheet.objects.get(expert__username="expert1", status="draft").evaluation_id,
    }
    violations = []
    for username, urls in PAGES.items():
        page = open_page(browser, demo, username, violations)
        for url in urls:
            page.goto(demo + url.format(**ids))
            page.wait_for_load_state("networkidle")
            if url == "/assessment/ranking/":  # the chart is drawn by the page's inline (nonce) script
                page.locator("#ranking-chart canvas").first.wait_for()
            if url == "/api/docs/":  # Swagger UI starts from its script file and lists the operations
                page.locator(".opblock").first.wait_for()
            if url == "/api/redoc/":
                page.locator(".api-content, [role=search]").first.wait_for()
        page.context.close()
    assert violations == []


def test_the_static_behaviours_replace_the_inline_handlers(browser, demo):
    violations = []
    page = open_page(browser, demo, "city", violations)
    year = page.locator("#cultivation_year")
    other = year.locator("option:not([selected])").first.get_attribute("value")
    with page.expect_navigation():
        year.select_option(other)  # data-autosubmit: the panel's year select submits its form
    assert f"cultivation_year={other}" in page.url
    page.goto(f"{demo}/reports/")
    page.goto(f"{demo}/no-such-page/")
    with page.expect_navigation():
        page.get_by_role("link", name="返回上一页").click()  # data-history-back: the page before, not the fallback
    assert page.url == f"{demo}/reports/"
    assert violations == []
    page.context.close()
