"""Participants: the role must fit the enterprise kind; mandatory insurance missing or expired is a warning."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.models import Participant
from tests.factories import EnterpriseFactory
from tests.projects.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 6, 15)


def test_an_enterprise_joins_in_a_role_of_its_kind(county_user, project):
    supervisor = EnterpriseFactory(name="山西卓越工程监理有限公司", kinds=["supervisor"])
    participant = services.add_participant(
        project,
        {
            "enterprise": supervisor,
            "role": "supervisor",
            "key_person": "张海涛",
            "key_person_title": "总监理工程师",
            "insurance_policy_no": "PDZA2023001",
            "insurer": "中国人民财产保险",
            "insurance_valid_until": dt.date(2030, 1, 1),
        },
        user=county_user,
    )
    assert participant.required_insurance == "监理责任险"
    assert participant.insurance_problem() is None


def test_a_role_that_does_not_fit_the_enterprise_kind_is_refused(county_user, project):
    designer = EnterpriseFactory(name="山西凤凰城市规划设计有限公司", kinds=["design"])
    with pytest.raises(ValidationError) as exc:
        services.add_participant(project, {"enterprise": designer, "role": "supervisor"}, user=county_user)
    assert exc.value.message_dict["role"] == [
        "山西凤凰城市规划设计有限公司的单位类别中没有“监理单位”，不能以该角色参建。"
    ]
    assert not Participant.objects.filter(enterprise=designer).exists()


def test_the_same_enterprise_cannot_take_the_same_role_twice(county_user, project):
    participant = ParticipantFactory(project=project, role="contractor")
    with pytest.raises(ValidationError) as exc:
        services.add_participant(
            project, {"enterprise": participant.enterprise, "role": "contractor"}, user=county_user
        )
    assert "该单位已以此角色参建本项目。" in exc.value.messages


def test_a_policy_number_needs_a_valid_until_date(county_user, project):
    enterprise = EnterpriseFactory(kinds=["contractor"])
    with pytest.raises(ValidationError) as exc:
        services.add_participant(
            project, {"enterprise": enterprise, "role": "contractor", "insurance_policy_no": "P-1"}, user=county_user
        )
    assert exc.value.message_dict["insurance_valid_until"] == ["已填写保单号，请填写保险有效期。"]


def test_only_managers_of_the_county_add_participants(colleague, outsider, project):
    enterprise = EnterpriseFactory(kinds=["contractor"])
    for user in (colleague, outsider):
        with pytest.raises(PermissionDenied):
            services.add_participant(project, {"enterprise": enterprise, "role": "contractor"}, user=user)


@pytest.mark.parametrize(
    "role, policy, valid_until, expected",
    [
        ("contractor", "P-1", dt.date(2023, 12, 31), None),
        ("contractor", "", None, "未投保工程质量保证险"),
        ("epc", "P-1", dt.date(2023, 6, 14), "的工程质量保证险已于2023-06-14过期"),
        ("supervisor", "", None, "未投保监理责任险"),
        ("survey", "P-2", dt.date(2023, 1, 1), "勘察责任险已于2023-01-01过期"),
        ("design", "", None, "未投保设计责任险"),
        ("builder", "", None, None),
        ("consultant", "", None, None),
        ("contractor", "P-1", TODAY, None),  # valid through its last day
    ],
)
def test_insurance_warning_for_each_role(project, role, policy, valid_until, expected):
    participant = ParticipantFactory(
        project=project, role=role, insurance_policy_no=policy, insurance_valid_until=valid_until
    )
    problem = participant.insurance_problem(TODAY)
    if expected is None:
        assert problem is None
    else:
        assert expected in problem and participant.enterprise.name in problem


def test_the_project_lists_every_missing_or_expired_insurance(project):
    ParticipantFactory(project=project, role="contractor")
    ParticipantFactory(project=project, role="supervisor", insurance_policy_no="", insurance_valid_until=None)
    ParticipantFactory(project=project, role="design", insurance_valid_until=dt.date(2020, 1, 1))
    warnings = project.insurance_warnings()
    assert len(warnings) == 2
    assert any("未投保监理责任险" in w for w in warnings)
    assert any("设计责任险已于2020-01-01过期" in w for w in warnings)


def test_the_insurance_query_agrees_with_the_rule(project):
    cases = [
        ("contractor", "P-1", dt.date(2023, 12, 31)),
        ("contractor", "", None),
        ("epc", "P-1", dt.date(2023, 6, 14)),
        ("supervisor", "P-3", None),
        ("survey", "", dt.date(2030, 1, 1)),
        ("design", "P-4", TODAY),
        ("builder", "", None),
        ("consultant", "", None),
    ]
    for role, policy, valid_until in cases:
        ParticipantFactory(project=project, role=role, insurance_policy_no=policy, insurance_valid_until=valid_until)
    by_rule = {p.pk for p in Participant.objects.all() if p.insurance_problem(TODAY)}
    assert set(Participant.objects.insurance_problems(TODAY).values_list("pk", flat=True)) == by_rule
    assert len(by_rule) == 4
