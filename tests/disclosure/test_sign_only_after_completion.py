"""The 永久性标志牌 only from 竣工验收 on, and never with a blank 项目负责人.

Seed 001 二(一)1: "严格执行工程质量信息公示制度和工程竣工永久性标志牌制度，主动公示项目地点、主体责任单位、项目负责人".
The sign is installed at 竣工验收 and stays for the life of the building: before that stage the download is
refused (the button disabled with the reason); a sign with any of the five parties' 项目负责人 missing is refused
with the list of what is missing instead of printing "—".
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from disclosure import sign
from disclosure.models import ProjectDisclosure
from projects.models import Participant
from tests.disclosure.factories import disclosed_project, signable_project
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _download(client, project):
    response = client.get(reverse("disclosure:sign-pdf", args=[project.pk]), {"size": "A4"})
    return response, " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("stage", ["cultivation", "planning", "design", "tender", "construction"])
def test_sign_is_refused_before_completion_acceptance_with_a_chinese_reason(client, county, county_user, stage):
    """工程竣工永久性标志牌: before 验收移交 the sign download is refused, the list shows why."""
    project = signable_project(county, county_user, stage=stage)
    client.force_login(county_user)
    response, message = _download(client, project)
    assert response.status_code == 302 and response["Content-Type"] != "application/pdf"
    assert "竣工验收" in message and "验收移交" in message
    listing = client.get(reverse("disclosure:manage-list")).content.decode()
    assert 'data-testid="sign-problems"' in listing and "竣工验收" in listing
    assert reverse("disclosure:sign-pdf", args=[project.pk]) not in listing


@pytest.mark.parametrize("stage", ["acceptance", "operation"])
def test_sign_prints_from_completion_acceptance_on(client, county, county_user, stage):
    project = signable_project(county, county_user, stage=stage)
    client.force_login(county_user)
    response, _ = _download(client, project)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        reverse("disclosure:sign-pdf", args=[project.pk])
        in client.get(reverse("disclosure:manage-list")).content.decode()
    )


def test_sign_with_a_missing_responsible_person_is_refused_with_the_list_of_missing(client, county, county_user):
    """主体责任单位、项目负责人: a blank 总监理工程师 and an unregistered 勘察单位 are listed, nothing printed."""
    project = disclosed_project(county, county_user)  # no 勘察 or 设计 unit registered
    ParticipantFactory(project=project, role="design", key_person="周设计")
    Participant.objects.filter(project=project, role="supervisor").update(key_person="")
    project.stage = "acceptance"
    project.save(update_fields=["stage"])
    client.force_login(county_user)

    response, message = _download(client, project)
    assert response.status_code == 302
    assert "勘察单位未登记" in message
    assert "监理单位" in message and "总监理工程师未填写" in message
    assert "设计单位" not in message and "施工单位" not in message and "建设单位" not in message
    listing = client.get(reverse("disclosure:manage-list")).content.decode()
    assert "勘察单位未登记" in listing


def test_an_epc_unit_stands_for_the_design_and_construction_parties(county, county_user):
    project = signable_project(county, county_user)
    Participant.objects.filter(project=project, role__in=["design", "contractor"]).delete()
    ParticipantFactory(project=project, role="epc", key_person="吴总包")
    disclosure = ProjectDisclosure.objects.select_related("project").get(project=project)
    assert sign.sign_problems(disclosure) == []


def test_five_parties_in_the_seed_order():
    assert [p.label for p in sign.FIVE_PARTIES] == ["建设单位", "勘察单位", "设计单位", "施工单位", "监理单位"]
