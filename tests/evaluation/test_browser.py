"""In the real UI: the county opens an evaluation, three experts score it, the county closes it and downloads the PDF."""

import pytest
from playwright.sync_api import expect

from evaluation.models import Evaluation, ScoreSheet
from tests.conftest import login
from tests.evaluation.factories import cut, full_scores, items_of, library_project, make_expert, seed_templates
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_three_experts_score_and_the_county_closes_and_downloads_the_report(page, county, output_dir):
    seed_templates()
    UserFactory(role="county_staff", region=county, username="owner")
    project = library_project(county, name="高平市全民健身中心")
    experts = [make_expert(f"pingshen{i}") for i in (1, 2, 3)]
    page.on("dialog", lambda dialog: dialog.accept())

    # the county opens the evaluation with a panel of three
    login(page, "owner")
    page.goto(f"{page.base_url}/evaluation/library/")
    page.get_by_role("link", name="发起评价").first.click()
    page.get_by_label("评价年度").fill("2026")
    page.get_by_label("评分截止日期").fill("2099-12-31")
    for expert in experts:
        page.get_by_label(expert.display_name, exact=False).check()
    page.screenshot(path=str(output_dir / "1-open-form.png"), full_page=True)
    page.get_by_role("button", name="发起评价").click()
    page.wait_for_load_state("networkidle")
    evaluation = Evaluation.objects.get()
    assert page.get_by_test_id("panel-row").count() == 3
    page.context.clear_cookies()

    # each expert scores every item; the running total follows; the first saves a draft before submitting
    items = items_of(evaluation)
    for n, expert in enumerate(experts):
        login(page, expert.username)
        page.goto(f"{page.base_url}/evaluation/")
        page.get_by_role("link", name="评分").first.click()
        page.wait_for_load_state("networkidle")
        scores = cut(evaluation, full_scores(evaluation), "quality", [0, 3, 6][n])  # totals 100, 97, 94
        for item in items:
            page.locator(f"#item_{item.pk}").fill(str(scores[item.pk]))
        if n == 0:
            assert page.get_by_test_id("running-total").inner_text().startswith("100.00")
            page.get_by_role("button", name="保存草稿").click()
            page.wait_for_load_state("networkidle")
            assert page.get_by_text("草稿已保存。").is_visible()
            page.screenshot(path=str(output_dir / "2-expert-sheet.png"), full_page=True)
        page.get_by_label("评审意见（选填）").fill(f"专家{n + 1}现场查看后评分。")
        page.get_by_role("button", name="提交评分表").click()
        # the server checks the sheet first, then the page comes back with the confirmation open (issue 26)
        modal = page.get_by_test_id("confirm-modal")
        modal.get_by_text(f"合计 {[100, 97, 94][n]}.00 / 100 分").wait_for()
        assert not ScoreSheet.objects.get(evaluation=evaluation, expert=expert).submitted_at
        if n == 1:  # once the modal has faded in
            expect(modal).to_have_css("opacity", "1")
            page.screenshot(path=str(output_dir / "3-expert-sheet-confirm.png"), full_page=False)
        page.get_by_test_id("confirm-ok").click()  # a submitted sheet is final
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("评分表已提交，提交后不能再修改。").is_visible()
        page.context.clear_cookies()

    # the county closes the evaluation and downloads the PDF
    login(page, "owner")
    page.goto(f"{page.base_url}/evaluation/{evaluation.pk}/")
    page.get_by_test_id("close-evaluation").click()
    page.get_by_test_id("confirm-ok").click()  # the confirmation modal (no inline confirm(): the CSP blocks it)
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("evaluation-result").inner_text() == "通过"
    assert page.get_by_test_id("evaluation-total").inner_text() == "97.00"
    page.screenshot(path=str(output_dir / "3-result.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    download = download_info.value
    target = output_dir / "report.pdf"
    download.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")
    project.refresh_from_db()
    assert project.jingpin_status == "certified"
