"""End to end: a real Celery worker builds a bulletin; a city admin requests and downloads one in Chromium."""

import io

import pytest
import time_machine
from django.core.management import call_command
from pypdf import PdfReader

from assessment.models import Submission
from reports import services
from reports.models import ReportArchive
from tests.conftest import DEMO_NOW, login
from tests.factories import UserFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_a_bulletin_end_to_end(celery_worker_process, settings):
    from reports.tasks import generate_report

    with time_machine.travel(DEMO_NOW, tick=True):  # the demo as built on DEMO_NOW: June 2023 published
        call_command("seed_demo", stdout=io.StringIO())
    archive = ReportArchive.objects.create(
        report_type="monthly_bulletin",
        params={"year": 2023, "month": 6},
        params_key="2023-06",
        title="晋城市2023年6月建筑节能与科技工作月度考评通报",
    )
    result = generate_report.apply_async(args=[archive.pk], queue=celery_worker_process)
    assert result.get(timeout=180) == "done"
    archive.refresh_from_db()
    assert archive.status == "done" and archive.progress == 100 and archive.has_published_data
    text = PdfReader(archive.pdf.open("rb")).pages[0].extract_text()
    # the score the month was published with (the demo's inspection draws follow the database's ids, so A1 and the
    # score of a county can differ between databases; the bulletin must print what was published)
    published = Submission.objects.get(county__name="高平市", year=2023, month=6)
    assert published.status == "published"
    assert f"高平市 {published.score:.2f}" in text
    # a duplicate message for the same archive finds nothing to claim
    assert generate_report.apply_async(args=[archive.pk], queue=celery_worker_process).get(timeout=60) == "skipped"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_admin_requests_a_bulletin_and_downloads_it(page, output_dir):
    call_command("seed_reference", stdout=io.StringIO())
    UserFactory(role="city_admin", username="cityadmin")
    login(page, "cityadmin")
    page.get_by_role("link", name="报表").click()
    page.get_by_label("报表类型").select_option("monthly_bulletin")
    page.get_by_label("年度").fill("2023")
    page.get_by_label("月份").fill("6")
    page.get_by_role("button", name="生成").click()
    row = page.get_by_test_id("archive-row").first
    row.get_by_text("已完成").wait_for()
    page.screenshot(path=str(output_dir / "reports.png"), full_page=True)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    path = download_info.value.path()
    assert open(path, "rb").read(4) == b"%PDF"
    assert ReportArchive.objects.get().status == "done"

    page.get_by_label("月份").fill("13")
    page.get_by_role("button", name="生成").click()
    assert page.locator(".invalid-feedback").inner_text() == "确保该值小于或等于12。"
    assert services.ReportArchive.objects.count() == 1
