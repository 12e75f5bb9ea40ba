"""Analysis by responsible unit (seed 001 二(六)2: "逐人逐案落实相关责任"; issue 25: "a survey institute tops the
repeat list with 6"): at 办结 the handler names the responsible unit(s) of a substantiated complaint; only those are
counted — not every participant of the project, never a rejected or untrue complaint — and each named unit gets its
诚信档案 entry (−1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from complaints import analysis, services
from complaints.models import Complaint
from credit.models import CreditEntry, CreditStanding
from tests.complaints.factories import file_complaint
from tests.factories import EnterpriseFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(county):
    project = ProjectFactory(county=county, name="丹河新城5号楼")
    for role, name in (
        ("contractor", "泽州建筑工程有限公司"),
        ("supervisor", "晋城监理有限公司"),
        ("survey", "晋城勘察院"),
    ):
        ParticipantFactory(project=project, role=role, enterprise=EnterpriseFactory(name=name))
    return project


def unit(project, role):
    return project.participants.get(role=role).enterprise


def handle(complaint, user, verdict, units=()):
    services.accept(complaint, user=user)
    services.start_investigation(complaint, user=user)
    return services.close(
        complaint,
        user=user,
        findings="已核查。",
        reply="已答复。",
        substantiated=verdict,
        responsible_enterprises=units,
    )


def test_the_survey_institute_is_not_counted_for_complaints_it_was_not_named_in(clock, county_user, project):
    """Six complaints about the project: 2 属实 against the contractor (one also against the 监理), 1 不属实, 1 不予受理,
    2 open. The survey institute, a participant named in none, is not in the list."""
    contractor, supervisor = unit(project, "contractor"), unit(project, "supervisor")
    complaints = [file_complaint(project=project)[0] for _ in range(6)]
    handle(complaints[0], county_user, "yes", [contractor, supervisor])
    handle(complaints[1], county_user, "partly", [contractor])
    handle(complaints[2], county_user, "no")
    services.reject(complaints[3], user=county_user, reason="不属于本局职责。")
    qs = Complaint.objects.all()
    assert analysis.by_unit(qs) == [("泽州建筑工程有限公司", 2), ("晋城监理有限公司", 1)]
    assert analysis.by_unit(qs, analysis.REPEAT_MIN) == [("泽州建筑工程有限公司", 2)]
    summary = analysis.summary(qs, 2024, dt.date(2024, 3, 12))
    assert summary["repeat_units"] == [{"unit": "泽州建筑工程有限公司", "count": 2}]


def test_each_named_unit_gets_its_minus_one_entry(clock, county_user, project):
    """Default rule: "a substantiated complaint −1" for every unit named, once per complaint."""
    contractor, supervisor = unit(project, "contractor"), unit(project, "supervisor")
    complaint = handle(file_complaint(project=project)[0], county_user, "yes", [contractor, supervisor, contractor])
    assert list(complaint.responsible_enterprises.order_by("name").values_list("name", flat=True)) == [
        "晋城监理有限公司",
        "泽州建筑工程有限公司",
    ]
    entries = CreditEntry.objects.filter(source_type="complaint", source_id=complaint.pk)
    assert {e.enterprise for e in entries} == {contractor, supervisor}
    assert CreditStanding.objects.get(enterprise=supervisor).score == Decimal("99")
    assert not CreditEntry.objects.filter(enterprise=unit(project, "survey")).exists()


def test_a_stranger_among_the_units_refuses_the_whole_closing(clock, county_user, project):
    contractor = unit(project, "contractor")
    stranger = EnterpriseFactory(name="别处施工有限公司")
    complaint = file_complaint(project=project)[0]
    with pytest.raises(Exception) as exc:
        handle(complaint, county_user, "yes", [contractor, stranger])
    assert "别处施工有限公司不是本项目的参建单位" in str(exc.value)
    complaint.refresh_from_db()
    assert complaint.status == "investigating" and not complaint.responsible_enterprises.exists()
    assert not CreditEntry.objects.exists()


def test_the_close_form_takes_several_units(clock, client, county_user, project):
    contractor, supervisor = unit(project, "contractor"), unit(project, "supervisor")
    complaint = file_complaint(project=project)[0]
    services.accept(complaint, user=county_user)
    services.start_investigation(complaint, user=county_user)
    client.force_login(county_user)
    data = {
        "findings": "核查属实。",
        "reply": "已责令整改。",
        "substantiated": "yes",
        "responsible_enterprises": [contractor.pk, supervisor.pk],
    }
    page = client.post(f"/complaints/{complaint.pk}/close/", data).content.decode()  # confirmed after the check
    assert 'data-testid="confirm-step"' in page and "核查结论：属实" in page
    assert Complaint.objects.get(pk=complaint.pk).status != "closed"
    assert client.post(f"/complaints/{complaint.pk}/close/", {**data, "confirmed": "1"}).status_code == 302
    assert set(Complaint.objects.get(pk=complaint.pk).responsible_enterprises.all()) == {contractor, supervisor}
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert page.count('data-testid="responsible-enterprise"') == 2


def test_the_api_list_stays_constant_in_queries(clock, county_user, project, django_assert_max_num_queries):
    from tests.conftest import api_client_for

    contractor, supervisor = unit(project, "contractor"), unit(project, "supervisor")
    for _ in range(3):
        handle(file_complaint(project=project)[0], county_user, "yes", [contractor, supervisor])
    api = api_client_for(county_user)
    with django_assert_max_num_queries(12) as captured:
        body = api.get("/api/v1/complaints/").json()
    few = len(captured.captured_queries)
    for _ in range(3):
        handle(file_complaint(project=project)[0], county_user, "yes", [contractor])
    with django_assert_max_num_queries(few):
        body = api.get("/api/v1/complaints/").json()
    assert set(body["results"][-1]["responsible_enterprise_names"]) == {"泽州建筑工程有限公司", "晋城监理有限公司"}


def test_the_analysis_page_lists_named_units_and_common_issues_only(clock, client, county_user, project):
    """The staff page 投诉举报办理情况分析 shows the same counts as the API: the responsible units named at 办结 of a
    属实/部分属实 complaint (the contractor twice: a 重复被投诉 unit), never the survey institute that was only a
    participant; and the 共性问题 by category and sub-category."""
    contractor, supervisor = unit(project, "contractor"), unit(project, "supervisor")
    complaints = [file_complaint(project=project)[0] for _ in range(4)]
    handle(complaints[0], county_user, "yes", [contractor, supervisor])
    handle(complaints[1], county_user, "partly", [contractor])
    handle(complaints[2], county_user, "no")
    services.reject(complaints[3], user=county_user, reason="不属于本局职责。")
    client.force_login(county_user)
    html = client.get("/complaints/analysis/?year=2024").content.decode()
    units = html[html.index('data-testid="by-unit"') :]
    units = units[: units.index("</table>")]
    assert "泽州建筑工程有限公司" in units and "晋城监理有限公司" in units and "晋城勘察院" not in units
    assert '<tr class="table-warning"><td>泽州建筑工程有限公司</td><td class="text-end">2</td>' in units
    issues = html[html.index('data-testid="by-subcategory"') :]
    issues = issues[: issues.index("</table>")]
    assert ">4<" in issues  # the four complaints' category (the factory files them without a sub-category)
