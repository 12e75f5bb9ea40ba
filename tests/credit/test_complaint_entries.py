"""A complaint counts against an enterprise only when the handler finds it true (issue 24: "substantiated
complaints", default rule: "a substantiated complaint −1"): 办结销号 records the 核查结论 and, for 属实 or 部分属实,
the responsible unit — a participant of the complaint's project — whose 诚信档案 gets the entry. The complainant
never reads that attribution."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services
from complaints.choices import Status
from complaints.models import Complaint, ComplaintEvent
from credit.models import CreditEntry, CreditStanding
from credit.services import reconcile
from tests.conftest import api_client_for, at
from tests.factories import EnterpriseFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(county):
    project = ProjectFactory(county=county, name="丹河新城5号楼")
    ParticipantFactory(project=project, role="contractor", enterprise=EnterpriseFactory(name="泽州建筑工程有限公司"))
    ParticipantFactory(project=project, role="supervisor", enterprise=EnterpriseFactory(name="晋城监理有限公司"))
    return project


@pytest.fixture
def contractor(project):
    return project.participants.get(role="contractor").enterprise


@pytest.fixture
def stranger(db):
    return EnterpriseFactory(name="别处施工有限公司")


def investigating(county_user, **where):
    complaint, secret = services.submit_complaint(
        category="quality",
        description="外墙保温层空鼓脱落，存在安全隐患。",
        name="张秘密",
        phone="13912345678",
        **where,
    )
    services.accept(complaint, user=county_user)
    services.start_investigation(complaint, user=county_user)
    complaint.secret = secret
    return complaint


def close(complaint, user, substantiated, unit=None):
    return services.close(
        complaint,
        user=user,
        findings="现场核查情况（内部）。",
        reply="已责令责任单位整改并复查合格。",
        substantiated=substantiated,
        responsible_enterprise=unit,
    )


@pytest.mark.parametrize("verdict", ["yes", "partly"])
def test_a_substantiated_complaint_is_minus_one_for_its_responsible_unit(
    clock, county, county_user, project, contractor, verdict
):
    complaint = investigating(county_user, project=project)
    clock.move_to(at(2024, 3, 13, 0, 30))  # the local day, not UTC's (still 12 March)
    complaint = close(complaint, county_user, verdict, contractor)
    entry = CreditEntry.objects.get(source_type="complaint", source_id=complaint.pk)
    assert (entry.enterprise, entry.behaviour, entry.polarity) == (contractor, "complaint", "bad")
    assert entry.points == Decimal("-1") and entry.occurred_on == dt.date(2024, 3, 13)
    assert entry.valid_until == dt.date(2025, 3, 12)
    assert entry.document_no == complaint.tracking_no
    assert "质量" in entry.title and "丹河新城5号楼" in entry.title
    assert "张秘密" not in entry.title and "13912345678" not in entry.title  # no complainant data
    assert (entry.county, entry.project) == (county, project)
    assert entry.source_url == f"/complaints/{complaint.pk}/"
    assert CreditStanding.objects.get(enterprise=contractor).score == Decimal("99")
    assert reconcile(dt.date(2024, 3, 13)) == 0


def test_an_untrue_complaint_is_no_entry(clock, county_user, project):
    complaint = close(investigating(county_user, project=project), county_user, "no")
    assert complaint.substantiated == "no" and not complaint.responsible_enterprises.exists()
    assert not CreditEntry.objects.exists()


def test_a_unit_outside_the_project_is_refused_and_nothing_changes(clock, county_user, project, stranger):
    complaint = investigating(county_user, project=project)
    events = ComplaintEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        close(complaint, county_user, "yes", stranger)
    assert exc.value.message_dict["responsible_enterprises"] == [
        "别处施工有限公司不是本项目的参建单位，不能认定为责任单位。"
    ]
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert (complaint.status, complaint.substantiated, list(complaint.responsible_enterprises.all())) == (
        Status.INVESTIGATING,
        "",
        [],
    )
    assert ComplaintEvent.objects.count() == events and not CreditEntry.objects.exists()


def test_a_true_complaint_about_a_project_names_its_unit_and_an_untrue_one_names_none(
    clock, county_user, project, contractor
):
    complaint = investigating(county_user, project=project)
    with pytest.raises(ValidationError) as exc:
        close(complaint, county_user, "partly")
    assert exc.value.message_dict["responsible_enterprises"] == ["投诉属实（或部分属实），请选择本项目的责任单位。"]
    with pytest.raises(ValidationError) as exc:
        close(complaint, county_user, "no", contractor)
    assert exc.value.message_dict["responsible_enterprises"] == ["核查结论为不属实，不能认定责任单位。"]
    with pytest.raises(ValidationError) as exc:
        close(complaint, county_user, "maybe")
    assert exc.value.message_dict["substantiated"] == ["请选择核查结论（属实、部分属实或不属实）。"]
    assert Complaint.objects.get(pk=complaint.pk).status == Status.INVESTIGATING


def test_a_complaint_about_an_address_may_name_any_enterprise_or_none(clock, county, county_user, stranger):
    named = close(investigating(county_user, county=county, address="凤台街12号"), county_user, "yes", stranger)
    close(investigating(county_user, county=county, address="凤台街14号"), county_user, "yes")
    entry = CreditEntry.objects.get()
    assert (entry.source_id, entry.enterprise, entry.project) == (named.pk, stranger, None)
    assert "凤台街12号" in entry.title and entry.county == county


def test_the_close_form_offers_the_projects_participants_and_refuses_another_unit(
    clock, client, county_user, project, contractor, stranger
):
    complaint = investigating(county_user, project=project)
    client.force_login(county_user)
    url = reverse("complaints:detail", args=[complaint.pk])
    form = client.get(url).context["close_form"]
    assert {e.name for e in form.fields["responsible_enterprises"].queryset} == {
        "泽州建筑工程有限公司",
        "晋城监理有限公司",
    }
    action = reverse("complaints:action", args=[complaint.pk, "close"])
    data = {"findings": "核查属实。", "reply": "已责令整改。", "substantiated": "yes"}
    refused = client.post(action, {**data, "responsible_enterprises": [stranger.pk]}, follow=True)
    assert "责任单位须为本项目的参建单位。" in refused.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.INVESTIGATING
    asked = client.post(action, {**data, "responsible_enterprises": [contractor.pk]})  # issue 26: 请确认 first
    assert asked.status_code == 200 and Complaint.objects.get(pk=complaint.pk).status == Status.INVESTIGATING
    done = client.post(action, {**data, "responsible_enterprises": [contractor.pk], "confirmed": "1"})
    assert done.status_code == 302 and done["Location"] == url
    page = client.get(url).content.decode()
    assert "核查结论：</strong>属实" in page and "泽州建筑工程有限公司" in page
    assert CreditEntry.objects.get().enterprise == contractor


def test_the_close_api_takes_the_verdict_and_the_unit(clock, county_user, project, contractor, stranger):
    complaint = investigating(county_user, project=project)
    api = api_client_for(county_user)
    url = f"/api/v1/complaints/{complaint.pk}/close/"
    data = {"findings": "核查属实。", "reply": "已责令整改。", "substantiated": "yes"}
    refused = api.post(url, {**data, "responsible_enterprises": [stranger.pk]}, format="json")
    assert refused.status_code == 400
    assert refused.json()["responsible_enterprises"] == ["别处施工有限公司不是本项目的参建单位，不能认定为责任单位。"]
    done = api.post(url, {**data, "responsible_enterprises": [contractor.pk]}, format="json")
    assert done.status_code == 200
    body = done.json()
    assert (body["substantiated"], body["responsible_enterprises"], body["responsible_enterprise_names"]) == (
        "yes",
        [contractor.pk],
        ["泽州建筑工程有限公司"],
    )
    assert CreditEntry.objects.get().document_no == complaint.tracking_no


def test_the_public_status_page_never_shows_the_responsible_unit(clock, client, county_user, project, contractor):
    complaint = investigating(county_user, project=project)
    close(complaint, county_user, "yes", contractor)
    page = client.post(
        reverse("complaints:public-status"), {"tracking_no": complaint.tracking_no, "secret": complaint.secret}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "已责令责任单位整改并复查合格。" in html
    assert "泽州建筑工程有限公司" not in html and "属实" not in html
