"""一公开 (confirmed only, no private fields), the dashboard panel, the bulletin's 督查通报, Excel exports."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from inspections import public, rectification, services
from inspections.models import Inspection
from tests.conftest import at
from tests.inspections.conftest import PNG


def _finding(inspection, user, deadline=dt.date(2024, 3, 20), description="外架连墙件缺失"):
    return services.add_finding(
        inspection,
        user=user,
        description=description,
        severity="major",
        responsible_role="contractor",
        deadline=deadline,
    )


def test_the_public_page_shows_confirmed_results_only_and_no_private_fields(
    client, inspection, county_user, unit_user, city_admin, clock
):
    from projects.models import Participant

    Participant.objects.filter(project=inspection.project).update(key_person="李项目经理")
    notice = _finding(inspection, county_user).notice
    rectification.answer_notice(
        notice, user=unit_user, answer="私密回复内容", files=[SimpleUploadedFile("私密照片.png", PNG)]
    )
    other = Inspection.objects.exclude(pk=inspection.pk).get()
    services.record_inspection(other, user=county_user, inspected_on=dt.date(2024, 3, 6), summary="未确认的检查")

    assert client.get("/inspections/public/").content.decode().count('data-testid="public-result"') == 0
    services.confirm_inspection(inspection, user=city_admin)
    page = client.get("/inspections/public/").content.decode()
    assert page.count('data-testid="public-result"') == 1
    assert inspection.project.name in page and "外架连墙件缺失" in page and "晋城建工集团" in page
    assert "未确认的检查" not in page
    team_names = [m.user.display_name for m in inspection.team.all()]
    for private in [
        "私密回复内容",
        "私密照片.png",
        "李项目经理",
        unit_user.display_name,
        county_user.display_name,
        *team_names,
    ]:
        assert private not in page, private
    # the read issue 18 reuses: only public keys, no people
    row = public.public_results(inspection.project)[0]
    assert set(row) == {
        "id",
        "plan",
        "project_code",
        "project_name",
        "county",
        "inspected_on",
        "summary",
        "confirmed_at",
        "findings",
    }
    assert set(row["findings"][0]) == {"description", "severity", "responsible", "deadline", "status", "penalty_doc_no"}
    assert list(Inspection.objects.published_for_project(inspection.project)) == [inspection]


def test_only_the_organiser_confirms(inspection, colleague):
    """Issue 25: the organiser (here the county of its own plan) confirms; another county may not
    (tests/inspections/test_organiser_publishes_results.py has the rest)."""
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.confirm_inspection(inspection, user=colleague)


def test_the_dashboard_panel_counts_by_severity_and_lists_overdue(client, inspection, county_user, colleague, clock):
    _finding(inspection, county_user, deadline=dt.date(2024, 3, 10))
    client.force_login(county_user)
    page = client.get("/").content.decode()
    assert 'data-testid="panel-inspections"' in page and "外架连墙件缺失" not in page
    assert 'data-testid="overdue-count">1<' in page
    client.force_login(colleague)
    assert 'data-testid="overdue-count">0<' in client.get("/").content.decode()


def test_the_monthly_bulletin_names_the_laggards(inspection, county_user, clock, output_dir):
    from pypdf import PdfReader

    from inspections.bulletin import supervision_section
    from reports.generators.monthly import MonthlyBulletin

    _finding(inspection, county_user, deadline=dt.date(2024, 3, 10))
    section = supervision_section(2024, 3)
    row = next(r for r in section["rows"] if r["county_name"] == inspection.project.county.name)
    assert row["inspected"] == 1 and row["findings"] == 1 and row["overdue"] == 1
    assert [lag["enterprise"] for lag in section["laggards"]] == ["晋城建工集团"]
    assert inspection.project.county.name in section["summary"]
    generator = MonthlyBulletin(year=2024, month=3)
    names = [name for name, _, _ in generator.sheets(generator.collect())]
    assert "督查通报" in names and "督查通报-逾期整改" in names
    report = generator.generate()
    (output_dir / "bulletin.pdf").write_bytes(report.pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report.pdf)).pages)
    assert "督查通报" in text and "晋城建工集团" in text and "逾期未整改" in text
    assert supervision_section(2024, 2)["laggards"] == []


def test_the_notice_list_exports_to_excel_with_the_same_filters(client, inspection, county_user, clock):
    _finding(inspection, county_user, description="问题甲")
    _finding(inspection, county_user, description="问题乙", deadline=dt.date(2024, 4, 30))
    clock.move_to(at(2024, 3, 25, 9))
    client.force_login(county_user)
    response = client.get("/inspections/notices/?overdue=true&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "问题甲" in values and "问题乙" not in values and "逾期未整改" in values
