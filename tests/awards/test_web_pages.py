"""Every awards page renders for the roles that may open it, and every list exports to Excel."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from awards import services
from tests.awards.factories import awardable_project, builder_of, catalogue
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(county, county_user):
    awards = catalogue()
    project = awardable_project(county, jingpin_status="certified")
    ParticipantFactory(project=project, role="supervisor")
    ParticipantFactory(project=project, role="design")
    awardable_project(county, jingpin_status="certified")
    services.grant_award(
        user=county_user,
        project=project,
        award=awards["珏山杯"],
        year=2023,
        grant_date=dt.date(2023, 9, 15),
        document_no="晋市建〔2023〕71号",
    )
    services.confirm_savings_bonus(
        user=county_user,
        project=project,
        proposer_kind="supervisor",
        measure="m",
        amount_saved="1000",
        confirmed_on=dt.date(2023, 6, 1),
    )
    services.record_design_bonus(
        user=county_user,
        project=project,
        approved_estimate="100",
        drawing_budget="90",
        base_design_fee="10",
        confirmed_on=dt.date(2023, 6, 1),
    )
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    return {"project": project, "selection": selection}


# Each page and the heading only that page shows (the login page, or a redirect to another page, fails).
PAGES = [
    ("/awards/catalogue/", '<h1 class="h4 mb-0">奖项目录</h1>'),
    ("/awards/records/", '<h1 class="h4 mb-0">奖励记录</h1>'),
    ("/awards/records/new/", '<h1 class="h4">登记奖励</h1>'),
    ("/awards/ledger/", "积分台账 · 总承包单位排名</h1>"),
    ("/awards/danhe/", '<h1 class="h4 mb-0">丹河杯评选</h1>'),
    ("/awards/danhe/new/", '<h1 class="h4">发起丹河杯年度评选</h1>'),
    ("/awards/savings/", '<h1 class="h4 mb-0">节约奖励</h1>'),
    ("/awards/savings/new/", '<h1 class="h4">确认节约奖励</h1>'),
    ("/awards/design/", '<h1 class="h4 mb-0">设计优化奖励</h1>'),
    ("/awards/design/new/", '<h1 class="h4">登记设计优化奖励</h1>'),
]


def test_every_page_renders_for_county_staff(client, demo, county_user):
    client.force_login(county_user)
    selection = demo["selection"]
    builder = builder_of(demo["project"])
    pages = PAGES + [
        (f"/awards/danhe/{selection.pk}/", f'<h1 class="h4 mb-0">{selection}</h1>'),
        (f"/awards/enterprises/{builder.pk}/", f'<h1 class="h4 mb-1">{builder.name}</h1>'),
    ]
    for url, heading in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert heading in page, url
        assert 'name="password"' not in page, url


def test_the_awards_index_redirects_to_the_record_list(client, demo, county_user):
    client.force_login(county_user)
    response = client.get("/awards/")
    assert response.status_code == 302
    assert response["Location"] == "/awards/records/"


def test_pages_send_an_anonymous_visitor_to_the_login_page(client, demo):
    for url, _heading in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


@pytest.mark.parametrize(
    "url, header",
    [
        ("/awards/records/?export=xlsx&year=2023", "获奖年度"),
        ("/awards/danhe/?export=xlsx", "年度"),
        ("/awards/savings/?export=xlsx", "确认日期"),
        ("/awards/design/?export=xlsx", "确认日期"),
        ("/api/v1/award-records/export/?level=city", "获奖年度"),
        ("/api/v1/savings-bonuses/export/", "确认日期"),
        ("/api/v1/design-bonuses/export/", "确认日期"),
        ("/api/v1/danhe-selections/export/", "年度"),
        ("/api/v1/award-catalogue/export/", "级别"),
    ],
)
def test_lists_export_to_excel(client, demo, county_user, url, header):
    client.force_login(county_user)
    response = client.get(url)
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(row=1, column=1).value == header
    assert ws.max_row >= 2


def test_record_list_filters_by_level_award_year_county_and_enterprise(client, demo, county_user, other_county):
    client.force_login(county_user)
    contractor = demo["project"].participants.get(role="contractor").enterprise
    for query, found in [
        ("level=city", True),
        ("level=national", False),
        ("year=2023", True),
        ("year=2022", False),
        (f"county={demo['project'].county_id}", True),
        (f"county={other_county.pk}", False),
        (f"enterprise={contractor.pk}", True),
    ]:
        page = client.get(f"/awards/records/?{query}").content.decode()
        assert ("晋市建〔2023〕71号" in page) is found, query


def test_nav_shows_the_awards_entries_by_role(client, demo, county_user, outsider):
    client.force_login(county_user)
    page = client.get("/awards/records/").content.decode()
    assert "积分台账" in page and 'href="/awards/danhe/"' in page
    client.force_login(outsider)
    page = client.get("/awards/records/").content.decode()
    assert "积分台账" in page and 'href="/awards/danhe/"' not in page
