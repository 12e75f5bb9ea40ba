"""Each 一票否决 item fails the evaluation whatever the score, and the result names it."""

import datetime as dt

import pytest

from evaluation import services
from evaluation.models import VetoItem
from projects.choices import JingpinStatus
from tests.evaluation.factories import full_scores, open_evaluation, submit
from tests.projects_factories import ConstraintRecordFactory, ParticipantFactory


def close_with_full_marks(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    return services.close_evaluation(evaluation, user=county_user, on_date=dt.date(2024, 1, 15))


@pytest.mark.parametrize(
    ("setup", "veto_name", "detail"),
    [
        (
            lambda p: ConstraintRecordFactory(
                participant=ParticipantFactory(project=p),
                kind="quality_accident",
                status="rectified",
                description="楼板开裂",
            ),
            "发生质量事故",
            "楼板开裂",
        ),
        (
            lambda p: ConstraintRecordFactory(
                participant=ParticipantFactory(project=p),
                kind="safety_accident",
                status="rectified",
                description="高处坠落",
            ),
            "发生安全事故",
            "高处坠落",
        ),
        (
            lambda p: ConstraintRecordFactory(participant=ParticipantFactory(project=p), status="pending"),
            "存在未整改或清退出场的约束记录",
            "待整改",
        ),
        (
            lambda p: ConstraintRecordFactory(participant=ParticipantFactory(project=p), status="expelled"),
            "存在未整改或清退出场的约束记录",
            "清退出场",
        ),
        (
            lambda p: ParticipantFactory(project=p, role="supervisor", insurance_policy_no=""),
            "未按要求投保或保险过期",
            "未投保监理责任险",
        ),
        (
            lambda p: ParticipantFactory(project=p, role="contractor", insurance_valid_until=dt.date(2023, 12, 31)),
            "未按要求投保或保险过期",
            "工程质量保证险已于2023-12-31过期",
        ),
    ],
    ids=[
        "quality accident",
        "safety accident",
        "open constraint 待整改",
        "constraint 清退出场",
        "missing insurance",
        "expired insurance",
    ],
)
def test_each_veto_fails_a_full_mark_evaluation_and_is_named(project, county_user, experts, setup, veto_name, detail):
    setup(project)
    evaluation = close_with_full_marks(project, county_user, experts)
    assert evaluation.total_score == 100
    assert evaluation.result == "failed"
    assert [v["name"] for v in evaluation.vetoes] == [veto_name]
    assert detail in " ".join(evaluation.vetoes[0]["details"])
    assert f"一票否决：{veto_name}" in evaluation.fail_reasons
    project.refresh_from_db()
    assert project.jingpin_status == JingpinStatus.FAILED


def test_a_rectified_ordinary_constraint_and_valid_insurance_are_no_veto(project, county_user, experts):
    ConstraintRecordFactory(participant=ParticipantFactory(project=project), status="rectified")
    evaluation = close_with_full_marks(project, county_user, experts)
    assert evaluation.vetoes == []
    assert evaluation.result == "passed"


def test_several_vetoes_are_all_named(project, county_user, experts):
    participant = ParticipantFactory(project=project, role="design", insurance_policy_no="")
    ConstraintRecordFactory(participant=participant, kind="safety_accident", status="pending")
    evaluation = close_with_full_marks(project, county_user, experts)
    assert [v["name"] for v in evaluation.vetoes] == [
        "发生安全事故",
        "存在未整改或清退出场的约束记录",
        "未按要求投保或保险过期",
    ]


def test_a_deactivated_veto_item_is_not_applied(project, county_user, experts, city_admin):
    ParticipantFactory(project=project, role="survey", insurance_policy_no="")
    services.set_veto_active(VetoItem.objects.get(kind="insurance"), False, user=city_admin)
    evaluation = close_with_full_marks(project, county_user, experts)
    assert evaluation.vetoes == []
    assert evaluation.result == "passed"


def test_only_the_city_admin_configures_veto_items(templates, county_user):
    from django.core.exceptions import PermissionDenied

    veto = VetoItem.objects.get(kind="insurance")
    with pytest.raises(PermissionDenied):
        services.set_veto_active(veto, False, user=county_user)
    veto.refresh_from_db()
    assert veto.is_active
