"""Day one without Django admin (issue 23): the city admin creates a county user and a unit user; a company registers
itself, its county approves, the new administrator sets a password through the one-time link and adds a
colleague."""

import pytest

from accounts.models import EnterpriseKind, EnterpriseRegistration, User
from accounts.seed import make_credit_code
from tests.conftest import login
from tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _shots(page, output_dir, name):
    for label, size in (("1440", WIDE), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(output_dir / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDE)


def _logout(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")


def test_the_city_admin_creates_a_county_user_and_a_unit_user(page, county, city_admin, output_dir):
    firm = EnterpriseFactory(name="晋城市太行建筑工程有限公司", region=county)
    page.set_viewport_size(WIDE)
    login(page, "city_admin")
    page.goto(f"{page.base_url}/accounts/users/")
    page.get_by_test_id("create-user").click()
    page.get_by_label("用户名").fill("gaoping_li")
    page.get_by_label("姓名").fill("李明")
    page.get_by_label("角色").select_option("county_staff")
    page.get_by_label("所属县（市、区）").select_option(str(county.pk))
    page.get_by_label("电子邮箱").fill("li@gaoping.example.cn")
    _shots(page, output_dir, "user-create")
    page.get_by_role("button", name="保存").click()
    link = page.get_by_test_id("set-password-link").inner_text()
    assert "/accounts/set-password/" in link
    _shots(page, output_dir, "user-link")
    created = User.objects.get(username="gaoping_li")
    assert (created.role, created.region) == ("county_staff", county) and not created.has_usable_password()
    page.reload()
    assert page.get_by_test_id("set-password-link").count() == 0  # shown once

    page.goto(f"{page.base_url}/accounts/users/new/")
    page.get_by_label("用户名").fill("taihang_wang")
    page.get_by_label("姓名").fill("王工")
    page.get_by_label("角色").select_option("unit_user")
    search = page.get_by_label("所属单位")
    search.type("太行", delay=20)
    page.locator(".autocomplete-list [role=option]").first.click()
    page.get_by_label("单位管理员").check()
    page.get_by_role("button", name="保存").click()
    assert "/accounts/set-password/" in page.get_by_test_id("set-password-link").inner_text()
    unit = User.objects.get(username="taihang_wang")
    assert (unit.role, unit.enterprise, unit.is_enterprise_admin) == ("unit_user", firm, True)

    # the new county user opens the link and signs in with the password chosen there
    _logout(page)
    page.goto(link)
    page.locator("#id_new_password1").fill("Lotus#Peak2027")
    page.get_by_label("新密码确认").fill("Lotus#Peak2027")
    page.get_by_role("button", name="设置密码").click()
    page.wait_for_url("**/login/")
    login(page, "gaoping_li", "Lotus#Peak2027")
    assert page.url.rstrip("/") == page.base_url


def test_a_company_registers_the_county_approves_and_its_administrator_adds_a_colleague(
    page, county, county_user, output_dir
):
    code = make_credit_code(8080)
    EnterpriseKind.ensure_all()  # the migration's rows (a transactional test's flush removed them)
    page.set_viewport_size(WIDE)
    licence = output_dir / "licence.pdf"
    licence.write_bytes(PDF)

    # the company, without an account: from the sign-in page to the application and its receipt
    page.goto(f"{page.base_url}/login/")
    page.get_by_role("link", name="参建单位注册申请").click()
    page.get_by_label("统一社会信用代码").fill(code)
    page.get_by_label("单位名称").fill("晋城市丹河建筑工程有限公司")
    page.get_by_label("注册所在县（市、区）").select_option(str(county.pk))
    page.get_by_label("施工总承包单位").check()
    page.get_by_label("联系人").fill("赵经理")
    page.get_by_label("联系电话").fill("13700001111")
    page.get_by_label("希望使用的登录名").fill("danhe_admin")
    page.get_by_label("营业执照扫描件").set_input_files(str(licence))
    _shots(page, output_dir, "register-form")
    page.get_by_role("button", name="提交注册申请").click()
    number = page.get_by_test_id("registration-number").inner_text()
    _shots(page, output_dir, "register-receipt")
    assert EnterpriseRegistration.objects.get(number=number).status == "pending"

    # the county approves; the handover page shows the administrator's one-time link
    login(page, "owner")
    page.goto(f"{page.base_url}/accounts/registrations/")
    page.get_by_role("link", name=number).click()
    _shots(page, output_dir, "registration-detail")
    page.get_by_test_id("approve-registration").click()
    page.get_by_test_id("confirm-ok").click()
    link = page.get_by_test_id("set-password-link").inner_text()
    _logout(page)

    # the new administrator sets a password, signs in and adds a colleague
    page.goto(link)
    page.locator("#id_new_password1").fill("Qinhe#Valley2027")
    page.get_by_label("新密码确认").fill("Qinhe#Valley2027")
    page.get_by_role("button", name="设置密码").click()
    page.wait_for_url("**/login/")
    login(page, "danhe_admin", "Qinhe#Valley2027")
    page.goto(f"{page.base_url}/accounts/users/")
    page.get_by_test_id("create-user").click()
    page.get_by_label("用户名").fill("danhe_clerk")
    page.get_by_label("姓名").fill("钱会计")
    _shots(page, output_dir, "enterprise-admin-adds-colleague")
    page.get_by_role("button", name="保存").click()
    assert "/accounts/set-password/" in page.get_by_test_id("set-password-link").inner_text()
    clerk = User.objects.get(username="danhe_clerk")
    admin = User.objects.get(username="danhe_admin")
    assert clerk.enterprise == admin.enterprise and clerk.enterprise.credit_code == code
    assert not clerk.is_enterprise_admin and admin.is_enterprise_admin
