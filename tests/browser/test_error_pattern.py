"""On a phone (390×844) a public complaint with a bad phone number comes back with the error summary focused and in
view (the phone field is below the fold); its link moves the focus to the phone field; the chosen photo is kept and filed with the corrected post."""

import pytest

from complaints.models import Complaint
from disclosure.models import ProjectDisclosure
from tests.complaints.factories import photo
from tests.disclosure.factories import disclosed_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_error_summary_is_focused_and_links_to_the_phone_field(page, county, county_user, output_dir):
    public_id = ProjectDisclosure.objects.get(project=disclosed_project(county, county_user)).public_id
    image = output_dir / "crack.png"
    image.write_bytes(photo(name="crack.png", fmt="PNG", size=(320, 240)).read())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/complaints/new/?project={public_id}")
    page.get_by_label("质量").check()
    page.get_by_label("问题描述").fill("3号楼外墙保温层大面积空鼓，部分已经脱落。")
    page.get_by_label("现场照片").set_input_files(str(image))
    page.get_by_label("联系电话").fill("12")
    page.get_by_role("button", name="提交投诉举报").click()

    summary = page.locator("[data-error-summary]")
    assert "请修改以下 1 处错误" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate(
        "(() => { const r = document.querySelector('[data-error-summary]').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )
    assert "crack.png" in page.get_by_test_id("kept-photos").inner_text()  # the chosen photo is kept
    page.screenshot(path=str(output_dir / "error-summary-390.png"))

    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_phone"
    assert page.evaluate(
        "(() => { const r = document.getElementById('id_phone').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )
    page.screenshot(path=str(output_dir / "error-link-phone-390.png"))
    assert not Complaint.objects.exists()
    page.get_by_label("联系电话").fill("13900001111")
    page.get_by_role("button", name="提交投诉举报").click()
    assert page.get_by_test_id("tracking-no").is_visible()
    assert Complaint.objects.get().photos.count() == 1  # filed without choosing it again
