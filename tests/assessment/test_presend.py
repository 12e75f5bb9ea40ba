"""The county's form as a guided send (issue 26 point 3): a month starts from last month's cumulative figures, 预填
never lowers a cumulative figure, and 报送市局 happens from a pre-send check page that lists the missing 印证材料 with
the points they cost, the explanations still required, the deadline and the total that will count."""

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.choices import Status
from assessment.models import Submission
from tests.assessment.factories import (
    GAOPING_JUNE,
    REPORT,
    attach_evidence,
    filled_submission,
    local,
    submitted,
    target,
)
from tests.projects_factories import MonthlyReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _targets(county):
    target(county)


def check_url(sub):
    return f"/assessment/submissions/{sub.pk}/check/"


def test_a_new_month_starts_from_last_months_cumulative_figures(county, county_user):
    """Figures are cumulative for the year up to the month reported (SPEC §5.1): June opens with May's figures and
    counts; the month's own facts, report and self-score start blank."""
    may = submitted(county, county_user, month=5)
    june = services.get_or_create_submission(county, 2023, 6, user=county_user)
    assert june.figures() == may.figures() and june.new_building_area == D("30.00")
    assert june.counts() == may.counts() and june.green_label_two_star == 1
    ticked = [f for f in Submission.FACT_FIELDS if f not in services.COMPUTED_FACTS]  # the county's own ticks
    assert not any(getattr(june, f) for f in ticked) and june.report_tasks == "" and june.self_score is None


def test_january_starts_blank(county, county_user):
    sub = services.get_or_create_submission(county, 2023, 1, user=county_user)
    assert all(v is None for v in sub.figures().values())


def _june_projects(county):
    """Accepted project reports to June: 40.00 万m² new building, 3.00 万m² prefab (m² in the reports)."""
    MonthlyReportFactory(
        project=ProjectFactory(county=county),
        month=6,
        status="accepted",
        new_start_area=D("400000"),
        prefab_area=D("30000"),
    )


def test_prefill_never_lowers_a_cumulative_figure_and_shows_both(county, county_user, client):
    # last month 5, projects give 3 → 5 kept and both shown
    submitted(county, county_user, month=5, data={**GAOPING_JUNE, "prefab_area": "5.00"})
    _june_projects(county)
    june = services.get_or_create_submission(county, 2023, 6, user=county_user)
    client.force_login(county_user)
    client.post(f"/assessment/submissions/{june.pk}/prefill/")  # 预填 as the button does
    june.refresh_from_db()
    assert june.prefab_area == D("5.00") and june.prefilled["prefab_area"] == "5.00"
    assert june.new_building_area == D("40.00")  # higher project data are taken
    assert services.prefill_choices(june)["prefab_area"]["projects"] == D("3.00")
    page = client.get(f"/assessment/submissions/{june.pk}/edit/").content.decode()
    assert "项目数据 3.00，上月累计 5.00" in page and "已保留上月累计" in page

    # sending after 预填 never fails for numbers the system wrote: no 累计数低于… and no 更正说明
    june = services.update_submission(june, REPORT, user=county_user)
    errors, _ = services.validate_for_submission(june)
    assert errors == {}


def test_choosing_the_project_figure_needs_the_decrease_note_but_no_correction_note(county, county_user):
    submitted(county, county_user, month=5, data={**GAOPING_JUNE, "prefab_area": "5.00"})
    _june_projects(county)
    june = services.get_or_create_submission(county, 2023, 6, user=county_user)
    services.prefill_from_projects(june, user=county_user)
    june = services.update_submission(june, {**REPORT, "prefab_area": "3.00"}, user=county_user)
    errors, _ = services.validate_for_submission(june)
    assert list(errors) == ["prefab_area"] and "低于5月" in errors["prefab_area"][0]
    # a value the clerk lowered by hand (neither of the system's two) still needs the 更正说明
    june = services.update_submission(
        june, {"prefab_area": "4.00", "decrease_explanation": "项目核减"}, user=county_user
    )
    errors, _ = services.validate_for_submission(june)
    assert "更正说明" in errors["prefab_area"][0]


def test_the_check_page_lists_missing_evidence_with_the_points_it_costs_and_the_total(county, county_user, client):
    """The worked example (高平市 June): every item but A1 has its 印证材料; A1's 4 points wait (无印证材料的不计分)."""
    sub = filled_submission(county, county_user, evidence=False)
    attach_evidence(sub, county_user, [c for c in sub.rubric.items.values_list("code", flat=True) if c != "A1"])
    check = services.presend_check(sub, now=local(2023, 6, 10, 9))
    assert [(m["item"].code, m["points"]) for m in check.missing_evidence] == [("A1", D("4.00"))]
    assert check.items_total == D("69.53") and check.month_score == D("69.53") and check.ok and not check.late
    client.force_login(county_user)
    page = client.get(check_url(sub)).content.decode()
    assert 'data-testid="missing-A1"' in page and "少得 4.00 分" in page
    assert 'data-testid="check-items-total">69.53<' in page
    assert "data-confirm=" in page and 'data-testid="submit-month"' in page


def test_late_warning_after_the_deadline(county, county_user, client, clock):
    sub = filled_submission(county, county_user)
    clock.move_to(local(2023, 6, 20, 23, 59))
    check = services.presend_check(sub)
    assert not check.late and check.month_score == D("73.53")
    clock.move_to(local(2023, 6, 21, 0, 0, 1))  # the 20th, 23:59:59 has passed
    check = services.presend_check(sub)
    assert check.late and check.month_score == 0
    client.force_login(county_user)
    page = client.get(check_url(sub)).content.decode()
    assert 'data-testid="check-late"' in page and "逾期报送当月得分为0分" in page


def test_the_send_from_the_check_page_is_validated_again_on_the_server(county, county_user, client, clock):
    clock.move_to(local(2023, 6, 10, 9))
    sub = filled_submission(county, county_user)
    services.update_submission(sub, {"report_tasks": ""}, user=county_user)
    client.force_login(county_user)
    response = client.post(check_url(sub))
    assert response.status_code == 302 and response.url == check_url(sub)
    assert Submission.objects.get(pk=sub.pk).status == Status.DRAFT
    page = client.get(check_url(sub)).content.decode()
    assert "自查自评报告此部分不能为空" in page and 'data-testid="submit-month"' not in page

    services.update_submission(sub, REPORT | {"report_tasks": "各项任务按序时推进。"}, user=county_user)
    response = client.post(check_url(sub))
    assert response.url == f"/assessment/submissions/{sub.pk}/"
    assert Submission.objects.get(pk=sub.pk).status == Status.SUBMITTED


def test_save_and_check_saves_the_draft_and_opens_the_check_page(county, county_user, client):
    sub = filled_submission(county, county_user)
    client.force_login(county_user)
    data = {k: ("on" if v is True else v) for k, v in {**GAOPING_JUNE, **REPORT}.items() if v is not False}
    response = client.post(f"/assessment/submissions/{sub.pk}/edit/", {**data, "self_score": "70", "check": ""})
    assert response.status_code == 302 and response.url == check_url(sub)
    sub.refresh_from_db()
    assert sub.self_score == D("70.00") and sub.status == Status.DRAFT


def test_the_form_shows_the_evidence_warning_beside_each_item_at_once(county, county_user, client):
    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    client.force_login(county_user)
    page = client.get(f"/assessment/submissions/{sub.pk}/edit/").content.decode()
    assert 'data-testid="evidence-warning-D1"' in page and "无印证材料的不计分" in page
    assert "报送市局</button>" not in page  # the send is on the check page only


def test_an_upload_beside_an_item_answers_with_that_items_box(county, county_user, client):
    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    client.force_login(county_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessment.seed import DEMO_PDF

    upload = SimpleUploadedFile("D1台账.pdf", DEMO_PDF, content_type="application/pdf")
    response = client.post(
        f"/assessment/submissions/{sub.pk}/evidence/",
        {"item": "D1", "box": "item", "file": upload},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="evidence-item-D1"' in body and "D1台账.pdf" in body
    assert sub.evidence.get().item.code == "D1"


def test_the_returned_form_says_what_applies_to_the_resubmission(county, county_user, city_admin, client):
    sub = submitted(county, county_user, at=local(2023, 6, 10, 9))
    services.return_submission(sub, user=city_admin, comments={"B2": "验收面积请附清单"})
    client.force_login(county_user)
    page = client.get(f"/assessment/submissions/{sub.pk}/edit/").content.decode()
    assert 'data-testid="resubmit-deadline"' in page
    assert "没有单独的重新报送截止时间" in page and "2023年6月10日 09:00" in page and "未逾期" in page


def test_another_countys_check_page_is_not_found(county, county_user, other_county, client):
    from tests.factories import UserFactory

    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    client.force_login(UserFactory(role="county_staff", region=other_county, username="stranger"))
    assert client.get(check_url(sub)).status_code == 404
    assert client.post(check_url(sub)).status_code == 404
    assert Submission.objects.get(pk=sub.pk).status == Status.DRAFT


def test_without_javascript_the_upload_and_the_delete_come_back_to_the_item(county, county_user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessment.seed import DEMO_PDF

    sub = services.get_or_create_submission(county, 2023, 6, user=county_user)
    client.force_login(county_user)
    upload = SimpleUploadedFile("D1台账.pdf", DEMO_PDF, content_type="application/pdf")
    response = client.post(f"/assessment/submissions/{sub.pk}/evidence/", {"item": "D1", "box": "item", "file": upload})
    edit = f"/assessment/submissions/{sub.pk}/edit/"
    assert response.status_code == 302 and response.url == f"{edit}#item-D1"
    response = client.post(f"/assessment/evidence/{sub.evidence.get().pk}/delete/")
    assert response.url == f"{edit}#item-D1" and not sub.evidence.exists()
