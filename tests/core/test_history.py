"""变更记录 (issue 27.4): "who changed this project's investment, and from what" — from the web form and the API,
on the detail page, in its Excel export and at ``/api/v1/projects/{id}/history/``, scoped like the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from accounts.security import issue_token
from projects import services
from projects.models import Project
from tests.conftest import at
from tests.factories import UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def form_data(project: Project, **changes) -> dict:
    """The project form as the page sends it back: every field, with ``changes``."""
    data = {}
    for name in services.PROJECT_FIELDS:
        field = Project._meta.get_field(name)
        value = getattr(project, field.attname)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value.isoformat() if isinstance(value, dt.date) else value
    data.update(changes)
    return {k: v for k, v in data.items() if not (isinstance(v, bool) and not v)}


def token_client(user) -> APIClient:
    _, key = issue_token(user, "脚本")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def edited(client, clock, county, county_user, city_admin):
    """A project edited twice: on the web by the county's staff, then through the API (token) by the city."""
    county_user.name, city_admin.name = "王县局", "李市局"
    county_user.save()
    city_admin.save()
    clock.move_to(at(2024, 6, 17, 9))
    project = ProjectFactory(county=county, name="高平市第一中学教学楼", total_investment=Decimal("5000.00"))
    clock.move_to(at(2024, 6, 18, 10))
    client.force_login(county_user)
    response = client.post(f"/projects/{project.pk}/edit/", form_data(project, total_investment="6200.00"))
    assert response.status_code == 302, response.content.decode()[:2000]
    clock.move_to(at(2024, 6, 19, 11))
    response = token_client(city_admin).patch(
        f"/api/v1/projects/{project.pk}/", {"total_investment": "6500.00", "category": "municipal"}, format="json"
    )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.total_investment == Decimal("6500.00")
    return project


def test_both_edits_show_on_the_project_page_with_old_and_new_values_and_the_editor(client, edited, county_user):
    client.force_login(county_user)  # a day has passed since the edit: a new session
    page = client.get(f"/projects/{edited.pk}/").content.decode()
    section = page[page.index('id="history"') :]
    api_edit = section.index("李市局")
    web_edit = section.index("王县局")
    assert api_edit < web_edit  # newest first
    assert "2024-06-19 11:00" in section[:web_edit] and "2024-06-18 10:00" in section[api_edit:]
    assert "总投资（万元）：</span>6200.00 → 6500.00" in section[api_edit:web_edit]
    assert "工程类别：</span>房屋建筑工程 → 市政道路及桥梁" in section[api_edit:web_edit]  # choices as labels
    assert "总投资（万元）：</span>5000.00 → 6200.00" in section[web_edit:]
    created = section[section.index("新建") :]
    assert "所属县（市、区）：</span>— → " + edited.county.name in created  # a foreign key as its name


def test_the_api_history_names_the_token_user_not_the_anonymous_start_of_the_request(edited, city_admin):
    body = token_client(city_admin).get(f"/api/v1/projects/{edited.pk}/history/").json()
    assert body["count"] == 3 and body["page"] == 1
    latest, web, created = body["results"]
    assert (latest["user"], latest["action"]) == ("李市局", "修改")
    assert {"field": "总投资（万元）", "old": "6200.00", "new": "6500.00"} in latest["changes"]
    assert (web["user"], web["action"]) == ("王县局", "修改")
    assert web["changes"] == [{"field": "总投资（万元）", "old": "5000.00", "new": "6200.00"}]
    assert (created["user"], created["action"]) == ("系统", "新建")  # written outside any request (the factory)


def test_the_history_exports_to_excel_with_a_row_per_changed_field(client, edited, county_user):
    client.force_login(county_user)
    response = client.get(f"/projects/{edited.pk}/?export=history")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "操作", "对象", "字段", "原值", "新值")
    investment = [r for r in rows if r[4] == "总投资（万元）"]
    assert [(f"{r[0]:%Y-%m-%d %H:%M}", r[1], r[5], r[6]) for r in investment[:2]] == [
        ("2024-06-19 11:00", "李市局", "6200.00", "6500.00"),
        ("2024-06-18 10:00", "王县局", "5000.00", "6200.00"),
    ]


def test_a_participant_change_shows_in_the_project_history(client, county_user, county):
    project = ProjectFactory(county=county)
    participant = ParticipantFactory(project=project, insurer="甲保险公司")
    participant.insurer = "乙保险公司"
    participant.save()
    client.force_login(county_user)
    body = client.get(f"/api/v1/projects/{project.pk}/history/").json()
    assert {"field": "保险公司", "old": "甲保险公司", "new": "乙保险公司"} in body["results"][0]["changes"]
    assert body["results"][0]["object"].startswith("参建单位")


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_another_county_or_enterprise_sees_neither_the_history_nor_its_export(client, request, edited, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(f"/projects/{edited.pk}/?export=history").status_code == 404
    assert client.get(f"/projects/{edited.pk}/").status_code == 404
    assert token_client(user).get(f"/api/v1/projects/{edited.pk}/history/").status_code == 404


def test_a_save_without_a_change_adds_no_entry_and_a_user_history_holds_no_password(client, city_admin, county):
    project = ProjectFactory(county=county)
    project.save()
    client.force_login(city_admin)
    assert client.get(f"/api/v1/projects/{project.pk}/history/").json()["count"] == 1
    account = UserFactory(username="zhang", role="county_staff", region=county)
    account.set_password("Another@2024")
    account.phone = "13800000000"
    account.save()
    fields = {f.name for f in User.history.model._meta.get_fields()}
    assert "password" not in fields and "last_login" not in fields
    from complaints.models import Complaint

    complaint_fields = {f.name for f in Complaint.history.model._meta.get_fields()}
    assert "complainant_phone" not in complaint_fields and "complainant_name" not in complaint_fields
    assert "description" in complaint_fields
    page = client.get(f"/accounts/users/{account.pk}/").content.decode()
    assert "手机号：</span>— → 13800000000" in page


def test_enterprise_award_and_evaluation_pages_show_their_history(client, city_admin, county):
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(name="晋城建工集团")
    enterprise.address = "晋城市泽州路 1 号"
    enterprise.save()
    client.force_login(city_admin)
    page = client.get(f"/awards/enterprises/{enterprise.pk}/").content.decode()
    assert "地址：</span>— → 晋城市泽州路 1 号" in page
    response = client.get(f"/awards/enterprises/{enterprise.pk}/?export=history")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("修改", "地址", "—", "晋城市泽州路 1 号") in [(r[2], r[4], r[5], r[6]) for r in rows]


def test_a_status_a_service_sets_with_an_update_leaves_history_with_the_user(client, city_admin, county):
    """``evaluation.services`` sets 精品工程状态 with ``QuerySet.update()`` (no signal): ``update_with_history``."""
    city_admin.name = "李市局"
    city_admin.save()
    project = ProjectFactory(county=county)
    client.force_login(city_admin)
    assert client.post(f"/evaluation/library/{project.pk}/add/").status_code == 302
    project.refresh_from_db()
    assert project.jingpin_status == "cultivating"
    latest = client.get(f"/api/v1/projects/{project.pk}/history/").json()["results"][0]
    assert latest["user"] == "李市局"
    assert {"field": "精品工程状态", "old": "未纳入", "new": "培育中"} in latest["changes"]


def test_every_historical_model_has_its_migration_and_table():
    from django.apps import apps

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits 1 when a model lacks one
    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    tables = set(connection.introspection.table_names())
    assert {"HistoricalProject", "HistoricalParticipant", "HistoricalEnterprise", "HistoricalUser"} <= {
        m.__name__ for m in historical
    }
    assert {m._meta.db_table for m in historical} <= tables


def test_an_enterprise_merge_records_the_moved_rows_and_leaves_the_old_history_as_it_was(city_admin, county):
    from accounts import services as account_services
    from projects.models import Participant
    from tests.factories import EnterpriseFactory

    duplicate, survivor = EnterpriseFactory(name="晋城建工（重复）"), EnterpriseFactory(name="晋城建工集团")
    participant = ParticipantFactory(project=ProjectFactory(county=county), enterprise=duplicate)
    survivor.kinds.add(participant.role)
    account_services.merge_enterprises(city_admin, survivor, duplicate)
    rows = list(Participant.history.filter(id=participant.pk).order_by("history_date", "history_id"))
    assert [(r.history_type, r.enterprise_id) for r in rows] == [("+", duplicate.pk), ("~", survivor.pk)]


def test_the_history_is_paginated_twenty_entries_a_page(client, county_user, county):
    project = ProjectFactory(county=county, name="第0版")
    for n in range(1, 22):
        project.name = f"第{n}版"
        project.save()
    client.force_login(county_user)
    first = client.get(f"/projects/{project.pk}/").content.decode()
    second = client.get(f"/projects/{project.pk}/?history_page=2").content.decode()
    assert "共 22 条，第 1 / 2 页" in first and "第20版 → 第21版" in first and "第0版 → 第1版" not in first
    assert "第0版 → 第1版" in second and 'href="?history_page=1#history"' in second
