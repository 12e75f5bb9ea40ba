"""In a real browser: a county user finds the submitted report first on the dashboard (待办), follows the link,
accepts the report, and the to-do is gone from the dashboard and the bell."""

import pytest

from accounts.models import EnterpriseKind
from projects import services
from tests.conftest import login
from tests.projects.test_report_notices import FIGURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def enterprise_kinds(db):
    """Transactional tests flush the tables, and with them the kinds the accounts migration created."""
    for code, name in EnterpriseKind.Code.choices:
        EnterpriseKind.objects.get_or_create(code=code, defaults={"name": name})


def test_a_county_user_does_the_to_do_from_the_dashboard_and_it_disappears(
    page, project, reporter, county_user, output_dir
):
    services.create_report(project, 2023, 6, FIGURES, user=reporter, submit=True)  # commits: the to-do opens
    login(page, county_user.username)
    panel = page.get_by_test_id("todo-panel")
    assert panel.is_visible()
    assert page.get_by_test_id("todo-count").inner_text() == "1"
    link = panel.get_by_test_id("todo-link")
    assert link.inner_text() == "待审核：高平市第一中学教学楼2023年6月月报已提交"
    page.screenshot(path=str(output_dir / "todo-1-dashboard.png"), full_page=True)

    link.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="接收月报").click()
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")
    assert "已接收月报" in page.content()

    page.goto(f"{page.base_url}/")
    assert page.get_by_test_id("todo-panel").count() == 0
    assert page.get_by_test_id("todo-count").count() == 0
    page.goto(f"{page.base_url}/reports/notifications/todos/")
    assert page.get_by_test_id("no-todos").is_visible()
    assert "高平市第一中学教学楼2023年6月月报" in page.get_by_test_id("done-todos").inner_text()
    page.screenshot(path=str(output_dir / "todo-2-done.png"), full_page=True)
