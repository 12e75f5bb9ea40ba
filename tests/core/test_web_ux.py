"""The web app without dead ends: Chinese error pages inside the navigation, pages that clamp, one highlighted
menu entry, filter bars worded alike and scoped, searchable selects instead of thousands of options, no internal
field names, messages without doubled punctuation."""

import re

import pytest
from django.test import Client

from accounts.models import Region
from core.text import join_messages
from tests.awards.factories import awardable_project, catalogue
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def text_of(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "messages, expected",
    [
        (["得分不能大于满分4.00。", "请填写全部评分项。"], "得分不能大于满分4.00；请填写全部评分项。"),
        (["A；", "B"], "A；B。"),
        ([], ""),
    ],
)
def test_joined_messages_end_with_one_full_stop(messages, expected):
    assert join_messages(messages) == expected
    assert "。；" not in join_messages(messages)


def test_a_forbidden_page_is_chinese_and_keeps_the_navigation(outsider):
    response = signed_in(outsider).get("/assessment/")
    assert response.status_code == 403
    html = text_of(response)
    assert "无权访问" in html and "退出登录" in html and "Forbidden" not in html


def test_a_missing_page_is_chinese_with_the_navigation_and_plain_when_signed_out(county_user):
    response = signed_in(county_user).get("/projects/999999/")
    assert response.status_code == 404
    assert "页面不存在" in text_of(response) and "退出登录" in text_of(response)
    anonymous = Client(raise_request_exception=False).get("/no-such-page/")
    assert anonymous.status_code == 404 and "页面不存在" in text_of(anonymous)


def test_opening_an_action_url_shows_a_chinese_page_not_an_empty_405(county_user):
    response = signed_in(county_user).get("/projects/reports/1/accept/")
    assert response.status_code == 405 and response["Allow"].startswith("POST")
    assert "操作方式不正确" in text_of(response) and "退出登录" in text_of(response)
    assert signed_in(county_user).get("/api/v1/projects/1/stage/").status_code in (404, 405)


def test_an_expired_form_gets_the_chinese_csrf_page(county_user):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(county_user)
    response = client.post("/reports/notifications/", {})
    assert response.status_code == 403
    assert "页面已过期" in text_of(response) and "CSRF verification failed" not in text_of(response)


@pytest.mark.parametrize("page, shown", [("999", "第 3 / 3 页"), ("abc", "第 1 / 3 页"), ("-1", "第 3 / 3 页")])
def test_out_of_range_pages_clamp_instead_of_404(county_user, county, page, shown):
    for i in range(55):
        ProjectFactory(county=county, code=f"JC-2023-{i:04d}")
    response = signed_in(county_user).get(f"/projects/list/?page={page}")
    assert response.status_code == 200
    assert shown in re.sub(r"\s+", " ", text_of(response))


def test_the_notifications_page_does_not_light_up_the_reports_menu(county_user):
    html = text_of(signed_in(county_user).get("/reports/notifications/"))
    assert not re.search(r'class="nav-link active"[^>]*>报表<', html)
    assert re.search(r'class="nav-link active"[^>]*>报表<', text_of(signed_in(county_user).get("/reports/")))


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_county_staff_filter_offers_only_their_county_and_reads_quan_bu(county_user, county, other_county):
    html = text_of(signed_in(county_user).get("/projects/list/"))
    select = re.search(r'<select name="county".*?</select>', html, re.S).group(0)
    assert county.name in select and other_county.name not in select
    assert "---------" not in html and "未知" not in html


def test_region_filters_hold_the_citys_counties_only(city_admin, county):
    Region.objects.create(name="太原市", code="140100", level=Region.Level.CITY)
    html = text_of(signed_in(city_admin).get("/projects/list/"))
    select = re.search(r'<select name="county".*?</select>', html, re.S).group(0)
    assert county.name in select and "太原市" not in select


def test_the_users_filter_is_labelled_in_chinese_and_yes_no_reads_bu_xian(city_admin):
    html = text_of(signed_in(city_admin).get("/accounts/users/"))
    assert ">角色<" in html and ">Role<" not in html
    assert '<option value="unknown" selected>不限</option>' in html


def test_enterprise_filters_and_project_pickers_hold_no_long_option_lists(city_admin, county):
    catalogue()
    project = awardable_project(county)
    for _ in range(40):
        EnterpriseFactory()
    for i in range(30):
        ProjectFactory(county=county, code=f"JC-2022-{i:04d}")
    client = signed_in(city_admin)
    records = text_of(client.get(f"/awards/records/?enterprise={project.participants.first().enterprise_id}"))
    assert records.count("<option") < 40
    assert 'data-autocomplete-url="/autocomplete/enterprises/"' in records
    assert project.participants.first().enterprise.name in records  # the chosen one stays shown
    assert "---------" not in records and ">全部</option>" in records  # 级别, 奖项, 县 …
    form = text_of(client.get("/awards/records/new/"))
    assert 'data-autocomplete-url="/autocomplete/projects/"' in form and "JC-2022-0001" not in form
    assert "---------" not in form and ">请选择</option>" in form  # 奖项


def test_autocomplete_lists_only_what_the_user_may_see(county_user, county, other_county):
    ProjectFactory(county=county, code="JC-2023-0101", name="高平市第一中学")
    ProjectFactory(county=other_county, code="JC-2023-0202", name="阳城县第一中学")
    results = signed_in(county_user).get("/autocomplete/projects/?q=第一中学").json()["results"]
    assert [r["text"] for r in results] == ["JC-2023-0101 高平市第一中学（高平市）"]
    assert signed_in(county_user).get("/autocomplete/users/").status_code == 404
    assert Client().get("/autocomplete/projects/").status_code == 302


def test_a_contractor_is_not_sent_to_an_empty_bonus_form(county):
    project = awardable_project(county)
    contractor = UserFactory(
        role="unit_user", enterprise=project.participants.get(role="contractor").enterprise, username="contractor"
    )
    client = signed_in(contractor)
    assert "确认节约奖励</a>" not in text_of(client.get("/awards/savings/"))
    response = client.get("/awards/savings/new/", follow=True)
    assert response.redirect_chain[-1][0] == "/awards/savings/"
    assert "您没有可登记奖励的项目" in text_of(response)
