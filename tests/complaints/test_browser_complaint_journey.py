"""A member of the public files a complaint with a photo from the project's public page; the county accepts,
investigates and closes it; the complainant checks the status with the tracking number and reads the reply."""

import pytest

from complaints.models import Complaint
from disclosure.models import ProjectDisclosure
from tests.complaints.factories import photo
from tests.conftest import login
from tests.disclosure.factories import disclosed_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}


def _shots(page, output_dir, name):
    for label, size in (("1440", WIDE), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(output_dir / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def test_public_complaint_to_reply(page, county, county_user, output_dir):
    project = disclosed_project(county, county_user)
    public_id = ProjectDisclosure.objects.get(project=project).public_id
    image = output_dir / "crack.png"
    image.write_bytes(photo(name="crack.png", fmt="PNG", size=(320, 240)).read())

    # The public: the project's page, then the complaint form from it (no login).
    page.set_viewport_size(WIDE)
    page.goto(f"{page.base_url}/disclosure/p/{public_id}/")
    assert page.get_by_test_id("public-name").inner_text() == project.name
    assert "PICC-SECRET-0001" not in page.content()
    _shots(page, output_dir, "public-project")
    page.get_by_test_id("complain-link").click()
    assert page.locator("#id_project-value").input_value() == public_id  # the searchable select's chosen project
    assert page.get_by_label("投诉项目").input_value() == f"{project.name}（{county.name}）"
    search = page.get_by_label("投诉项目")  # search again: the public project search (no login)
    search.fill("")
    search.type(project.name[:4], delay=20)
    page.locator(".autocomplete-list [role=option]").first.click()
    assert page.locator("#id_project-value").input_value() == public_id
    page.get_by_label("质量").check()
    page.get_by_label("问题描述").fill("3号楼外墙保温层大面积空鼓，部分已经脱落，楼下是小区主通道。")
    page.get_by_label("现场照片").set_input_files(str(image))
    page.get_by_label("联系电话").fill("13900001111")
    _shots(page, output_dir, "complaint-form")
    page.get_by_role("button", name="提交投诉举报").click()
    number = page.get_by_test_id("tracking-no").inner_text()
    secret = page.get_by_test_id("secret").inner_text()
    _shots(page, output_dir, "complaint-receipt")
    complaint = Complaint.objects.get(tracking_no=number)
    for _ in range(2):  # a reload of the receipt files nothing (post/redirect/get, the form's one-time token)
        page.reload()
        assert page.get_by_test_id("tracking-no").inner_text() == number
    page.go_back()  # back to the form, 提交 again: the same token, the same receipt
    if page.get_by_role("button", name="提交投诉举报").count():
        page.get_by_role("button", name="提交投诉举报").click()
        assert page.get_by_test_id("tracking-no").inner_text() == number
    assert Complaint.objects.count() == 1
    status_link = page.get_by_test_id("status-link").get_attribute("href")
    assert complaint.photos.count() == 1 and complaint.county == county

    # The county: the ledger, the complaint with its photo, 受理 → 核查 → 办结.
    login(page, "owner")
    page.goto(f"{page.base_url}/complaints/")
    page.get_by_role("link", name=number).click()
    assert page.get_by_test_id("photos").locator("img").count() == 1
    assert "仅承办人和市局可见" in page.get_by_test_id("contact").inner_text()
    page.get_by_test_id("accept").click()
    assert "13900001111" not in page.get_by_test_id("contact").inner_text()  # the handler now, on request:
    page.get_by_test_id("reveal-contact").click()
    assert "13900001111" in page.get_by_test_id("contact-revealed").inner_text()
    assert complaint.contact_views.count() == 1  # … and recorded
    page.get_by_test_id("investigate").click()
    page.get_by_label("核查情况").fill("现场核查属实，已下达整改通知单。")
    page.get_by_label("核查结论").select_option(label="属实")
    page.get_by_label("山西建投第三建筑工程有限公司").check()  # the project's participants: check boxes
    page.get_by_label("答复意见（投诉人可见）").fill("经核查，外墙空鼓问题属实，已责令施工单位限期整改并复查合格。")
    _shots(page, output_dir, "ledger-detail")
    page.get_by_test_id("close").click()
    page.get_by_test_id("confirm-ok").click()
    assert page.locator('[data-status="closed"]').first.is_visible()
    assert page.get_by_test_id("responsible-enterprise").inner_text() == "山西建投第三建筑工程有限公司"
    assert page.get_by_test_id("events").locator("li").count() == 4
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")

    # The complainant: the status with the number and the secret, and the reply.
    page.goto(f"{page.base_url}{status_link}")  # the receipt's link: the number is filled in, only the code to type
    assert page.get_by_label("受理编号").input_value() == number
    page.get_by_label("查询码").fill(secret)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("public-status").inner_text() == "已办结（销号）"
    assert "已责令施工单位限期整改并复查合格" in page.get_by_test_id("reply").inner_text()
    assert "现场核查属实" not in page.content()
    assert "山西建投第三建筑工程有限公司" not in page.content()  # the responsible unit is not the complainant's to read
    _shots(page, output_dir, "status-result")
