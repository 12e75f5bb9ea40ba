"""Closing stores the result; the project's 精品工程 status follows only through services; 示范项目 ≤ 2."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import services
from projects.choices import JingpinStatus
from projects.models import Project
from tests.evaluation.factories import cut, full_scores, library_project, open_evaluation, submit
from tests.projects_factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_five_sheets_drop_highest_and_lowest_and_flag_the_outlier(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:5])
    offs = ["5", "0", "10", "30", "8"]  # totals 95, 100, 90, 70, 92: median 92; 70 is 22 away
    for expert, off in zip(experts[:5], offs, strict=True):
        submit(evaluation, expert, cut(evaluation, full_scores(evaluation), "quality", off))
    evaluation = services.close_evaluation(evaluation, user=county_user)
    sheets = {s.expert.username: s for s in evaluation.sheets.select_related("expert")}
    assert sheets["expert_t2"].dropped == "highest"
    assert sheets["expert_t4"].dropped == "lowest"
    assert [u for u, s in sheets.items() if s.flagged] == ["expert_t4"]
    assert evaluation.total_score == D("92.33")  # (95 + 90 + 92) / 3 = 92.333..
    assert evaluation.median_total == D("92.00")
    assert evaluation.element_scores["quality"] == "17.33"  # 25 - (5 + 10 + 8) / 3
    assert evaluation.result == "passed"


def test_putting_a_project_into_the_library_is_a_service_action(county, county_user, colleague):
    project = ProjectFactory(county=county)
    with pytest.raises(PermissionDenied):
        services.add_to_library(project, user=colleague)
    services.add_to_library(project, user=county_user)
    project.refresh_from_db()
    assert project.jingpin_status == JingpinStatus.CULTIVATING
    with pytest.raises(ValidationError) as info:
        services.add_to_library(project, user=county_user)
    assert "无需再纳入项目库" in info.value.message_dict["project"][0]


def _passed(county, county_user, experts, category="building", year=2023):
    project = library_project(county, category=category)
    evaluation = open_evaluation(project, county_user, experts[:3], year=year)
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    return services.close_evaluation(evaluation, user=county_user)


def test_at_most_two_demonstration_projects_per_category_and_year(county, templates, county_user, experts):
    first, second, third = (_passed(county, county_user, experts) for _ in range(3))
    other_category = _passed(county, county_user, experts, category="municipal")
    other_year = _passed(county, county_user, experts, year=2024)
    services.designate_demonstration(first, user=county_user)
    services.designate_demonstration(second, user=county_user)
    with pytest.raises(ValidationError) as info:
        services.designate_demonstration(third, user=county_user)
    assert "已确定2个示范项目，每个类别每年最多2个" in info.value.message_dict["evaluation"][0]
    third.project.refresh_from_db()
    assert third.project.jingpin_status == JingpinStatus.CERTIFIED
    services.designate_demonstration(other_category, user=county_user)
    services.designate_demonstration(other_year, user=county_user)
    assert Project.objects.filter(jingpin_status=JingpinStatus.DEMONSTRATION).count() == 4
    services.revoke_demonstration(first, user=county_user)
    services.designate_demonstration(third, user=county_user)
    first.project.refresh_from_db()
    assert first.project.jingpin_status == JingpinStatus.CERTIFIED


def test_a_failed_evaluation_cannot_become_a_demonstration(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, cut(evaluation, full_scores(evaluation), "quality", "20"))
    evaluation = services.close_evaluation(evaluation, user=county_user)
    assert evaluation.result == "failed"
    with pytest.raises(ValidationError) as info:
        services.designate_demonstration(evaluation, user=county_user)
    assert info.value.message_dict["evaluation"] == ["只有评价通过的项目才能确定为示范项目。"]


def test_a_failed_project_can_return_to_the_library_and_be_evaluated_again(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, cut(evaluation, full_scores(evaluation), "quality", "20"))
    services.close_evaluation(evaluation, user=county_user)
    project.refresh_from_db()
    assert project.jingpin_status == JingpinStatus.FAILED
    services.add_to_library(project, user=county_user)
    again = open_evaluation(project, county_user, experts[3:6], year=2024)
    assert again.is_open


def test_closing_twice_is_refused(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    services.close_evaluation(evaluation, user=county_user)
    with pytest.raises(ValidationError) as info:
        services.close_evaluation(evaluation, user=county_user)
    assert info.value.message_dict["evaluation"] == ["评价已结束。"]
