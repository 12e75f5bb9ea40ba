"""The county's month as a guided send, on a phone (390×844) and a desktop (1440×900): the form starts from May's
cumulative figures, the items come with their 印证材料 boxes, the check page lists the missing evidence with the
points it costs, and 报送市局 is sent from there after a confirmation (headless Chromium)."""

import datetime as dt

import pytest
from django.utils import timezone

from assessment import services
from assessment.models import Submission
from tests.assessment.factories import REPORT, attach_evidence, submitted, target
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("label,size", [("390", PHONE), ("1440", WIDE)])
def test_fill_check_the_missing_evidence_and_send(page, county, county_user, city_admin, output_dir, label, size):
    target(county)
    submitted(county, county_user, month=5)  # May: the worked example's figures, 73.53 with every 印证材料
    services.grant_exception(
        county, 2023, 6, user=city_admin, new_deadline=timezone.now() + dt.timedelta(days=1), reason="系统上线补报"
    )
    # every item but A1 has its 印证材料 already (A1's 4 points wait: 无印证材料的不计分)
    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    attach_evidence(sub, county_user, [c for c in sub.rubric.items.values_list("code", flat=True) if c != "A1"])
    page.set_viewport_size(size)
    login(page, "owner")
    page.goto(f"{page.base_url}/assessment/")
    page.fill("#start_year", "2023")
    page.select_option("#start_month", "6")
    page.get_by_role("button", name="填报本月考评").click()
    page.wait_for_selector("#submission-form")
    # June starts from May's cumulative figures
    assert page.input_value("#id_new_building_area") == "30.00"
    assert "无印证材料的不计分" in page.get_by_test_id("item-evidence-A1").inner_text()
    assert "D1印证材料.pdf" in page.get_by_test_id("item-evidence-D1").inner_text()
    for name in ("energy_standard_full", "residential_in_reserve", "public_in_reserve", "green_standard_all"):
        page.check(f"#id_{name}")
    for name in ("star_design_filed", "bim_met", "rd_ledger_submitted"):
        page.check(f"#id_{name}")
    for name in ("report_tasks", "report_progress", "report_problems"):
        page.fill(f"#id_{name}", REPORT[name])
    page.fill("#id_self_score", "73.53")
    page.wait_for_function("() => document.querySelector('[data-testid=items-total]').textContent.trim() === '69.53'")
    if label == "390":  # on a phone the send is below the items and their evidence: no 报送市局 on the form
        check = page.get_by_test_id("check-month").bounding_box()
        a1 = page.get_by_test_id("item-evidence-A1").bounding_box()
        assert check["y"] > a1["y"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(output_dir / f"{label}-1-form.png"), full_page=True)

    page.get_by_test_id("check-month").click()
    page.wait_for_selector("[data-testid=check-evidence]")
    assert "少得 4.00 分" in page.get_by_test_id("missing-A1").inner_text()
    assert page.get_by_test_id("check-items-total").inner_text().strip() == "69.53"
    assert page.get_by_test_id("check-month-score").inner_text().strip() == "69.53"
    if label == "390":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(output_dir / f"{label}-2-check.png"), full_page=True)

    page.get_by_test_id("submit-month").click()
    modal = page.get_by_test_id("confirm-modal")
    modal.wait_for(state="visible")
    assert "本月得分为 69.53 分" in modal.inner_text() and "少得4.00分" in modal.inner_text()
    page.wait_for_timeout(400)  # let the fade-in finish before the screenshot
    page.screenshot(path=str(output_dir / f"{label}-3-confirm.png"))
    modal.get_by_test_id("confirm-ok").click()
    page.wait_for_selector("[data-testid=month-score]")
    assert Submission.objects.get(pk=sub.pk).status == "submitted"
    page.screenshot(path=str(output_dir / f"{label}-4-sent.png"), full_page=True)
