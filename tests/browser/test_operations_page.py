"""运行状态 in Chromium at 1440×900 and 390×844: reached from the 组织与用户 menu, the crash-loop warning and the report
runs on screen, no sideways scroll on the phone, axe-core finds nothing serious; screenshots in test-output/."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from reports.choices import ArchiveStatus
from reports.models import ReportArchive
from tests.browser.test_journeys import VIEWPORTS, axe_problems, check_page
from tests.conftest import DEMO_NOW
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def troubled(live_server, settings):
    """A worker in a crash loop, a beat restarted once yesterday, a stale and a failed report run."""
    # the page names the file; pytest's tmp_path (test_the_operations_…) would read as an internal name in it
    state = tempfile.TemporaryDirectory(prefix="jingpin-state-")
    tmp_path = Path(state.name)
    settings.STATE_DIR = str(tmp_path)
    now = DEMO_NOW.timestamp()
    (tmp_path / "restarts.log").write_text(
        f"{now - 86000:.0f} beat 1\n{now - 700:.0f} worker 1\n{now - 500:.0f} worker 1\n{now - 300:.0f} worker 1\n{now - 60:.0f} worker 137\n"
    )
    with time_machine.travel(DEMO_NOW, tick=True):
        UserFactory(role="city_admin", username="city", name="市局管理员")
        at = timezone.now()
        common = {"report_type": "monthly_bulletin", "params_key": "k"}
        ReportArchive.objects.create(
            **common,
            title="2024年2月月度考评通报",
            status=ArchiveStatus.RUNNING,
            attempts=2,
            started_at=at - timedelta(minutes=6),
            heartbeat_at=at - timedelta(minutes=4),
        )
        failed = ReportArchive.objects.create(
            **common,
            title="2023年度考评报告",
            status=ArchiveStatus.FAILED,
            attempts=5,
            error="生成中断：工作进程已5次在生成过程中退出，请检查后重新生成。",
            finished_at=at - timedelta(hours=2),
        )
        ReportArchive.objects.filter(pk=failed.pk).update(requested_at=at - timedelta(hours=3))
        yield live_server.url
    state.cleanup()


def sign_in_city(browser, base, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": height}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.viewport = viewport
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill("city")
    page.get_by_label("密码").fill("Test@12345")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    return page


def test_the_operations_page_refreshes_itself(browser, troubled, settings, monkeypatch):
    monkeypatch.setattr("core.operations.REFRESH_SECONDS", 1)
    page = sign_in_city(browser, troubled, "desktop")
    page.goto(f"{troubled}/operations/")
    beat_hour = page.get_by_test_id("restarts-beat").get_by_test_id("hour")
    assert beat_hour.inner_text() == "0"
    log = Path(settings.STATE_DIR) / "restarts.log"
    log.write_text(log.read_text() + f"{DEMO_NOW.timestamp():.0f} beat 1\n")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=restarts-beat] [data-testid=hour]').textContent.trim() === '1'"
    )
    assert page.locator("#ops-status").count() == 1  # swapped in place, not nested
    page.context.close()


def test_the_operations_page_on_desktop_and_phone(browser, troubled, output_dir):
    for viewport in VIEWPORTS:
        page = sign_in_city(browser, troubled, viewport)
        if viewport == "phone":
            page.get_by_role("button", name="切换导航").click()
            page.locator("#mainnav.show").wait_for()
        page.get_by_role("button", name="组织与用户").click()
        page.get_by_role("link", name="运行状态").click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/operations/")
        assert page.get_by_test_id("crash-loop").is_visible()
        assert "崩溃循环：Celery worker" in page.get_by_test_id("crash-loop").inner_text()
        assert page.get_by_text("2024年2月月度考评通报").is_visible()
        assert page.get_by_text("生成中断：工作进程已5次").is_visible()
        check_page(page)
        page.screenshot(path=str(output_dir / f"operations-{viewport}.png"), full_page=True)
        assert axe_problems(page) == []
        page.context.close()
