"""丹河杯: candidates are the county's passed projects; confirming creates the records and the 优先推荐
flags in one transaction and locks the selection."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.models import AwardRecord
from projects.models import Project
from tests.awards.factories import awardable_project, catalogue, contractor_of
from tests.conftest import api_client_for
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed_projects(county):
    catalogue()
    return [
        awardable_project(county, jingpin_status="certified", name="甲项目"),
        awardable_project(county, jingpin_status="demonstration", name="乙项目"),
        awardable_project(county, jingpin_status="certified", name="丙项目"),
    ]


def scores(selection, values):
    by_name = {c.project.name: c.pk for c in selection.candidates.select_related("project")}
    return {by_name[name]: services.CandidateEntry(score=Decimal(v)) for name, v in values.items()}


def test_candidates_are_the_countys_passed_projects_only(passed_projects, county, other_county, county_user):
    awardable_project(county, jingpin_status="cultivating", name="培育中项目")
    awardable_project(county, jingpin_status="failed", name="未通过项目")
    awardable_project(other_county, jingpin_status="certified", name="外县项目")
    awardable_project(county, jingpin_status="certified", name="2025年立项", year=2025)
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    names = {c.project.name for c in selection.candidates.select_related("project")}
    assert names == {"甲项目", "乙项目", "丙项目"}


def test_confirming_creates_danhe_records_and_flags_winners_priority(passed_projects, county, county_user):
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    services.update_danhe_selection(
        user=county_user,
        selection=selection,
        method="score",
        winners_count=2,
        entries=scores(selection, {"甲项目": "88", "乙项目": "95.5", "丙项目": "91"}),
    )
    records = services.confirm_danhe_selection(
        user=county_user, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="高住建〔2023〕90号"
    )
    assert sorted(r.project.name for r in records) == ["丙项目", "乙项目"]
    for record in records:
        assert record.award.name == "丹河杯" and record.points == 2 and record.bonus_wan == 10
        assert record.contractor == contractor_of(record.project) and record.selection == selection
    flags = dict(
        Project.objects.filter(pk__in=[p.pk for p in passed_projects]).values_list("name", "priority_recommended")
    )
    assert flags == {"甲项目": False, "乙项目": True, "丙项目": True}
    selection.refresh_from_db()
    assert selection.status == "confirmed" and selection.confirmed_by == county_user


def test_a_confirmed_selection_is_locked(passed_projects, county, county_user):
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    services.update_danhe_selection(
        user=county_user,
        selection=selection,
        method="rank",
        winners_count=1,
        entries={c.pk: services.CandidateEntry(rank=i) for i, c in enumerate(selection.candidates.all(), start=1)},
    )
    services.confirm_danhe_selection(
        user=county_user, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="x"
    )
    with pytest.raises(ValidationError, match="已确认，结果已锁定"):
        services.update_danhe_selection(
            user=county_user, selection=selection, method="score", winners_count=2, entries={}
        )
    with pytest.raises(ValidationError, match="已确认，结果已锁定"):
        services.confirm_danhe_selection(
            user=county_user, selection=selection, grant_date=dt.date(2023, 12, 27), document_no="y"
        )
    with pytest.raises(ValidationError, match="已确认，结果已锁定"):
        services.refresh_danhe_candidates(user=county_user, selection=selection)
    assert AwardRecord.objects.count() == 1


def test_a_failure_while_creating_records_leaves_none(passed_projects, county, county_user):
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    services.update_danhe_selection(
        user=county_user,
        selection=selection,
        method="score",
        winners_count=3,
        entries=scores(selection, {"甲项目": "88", "乙项目": "95", "丙项目": "91"}),
    )
    real_grant = services.grant_award
    calls = []

    def failing_grant(**kwargs):
        calls.append(kwargs["project"].name)
        if len(calls) == 2:
            raise RuntimeError("数据库连接中断")
        return real_grant(**kwargs)

    with mock.patch("awards.services.grant_award", side_effect=failing_grant):
        with pytest.raises(RuntimeError):
            services.confirm_danhe_selection(
                user=county_user, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="x"
            )
    assert calls == ["乙项目", "丙项目"]
    assert not AwardRecord.objects.exists()
    assert not Project.objects.filter(priority_recommended=True).exists()
    selection.refresh_from_db()
    assert selection.status == "draft" and not selection.candidates.filter(is_winner=True).exists()


def test_a_winner_without_an_unambiguous_contractor_blocks_the_whole_confirmation(passed_projects, county, county_user):
    ParticipantFactory(project=passed_projects[2], role="epc")  # 丙项目 now has two general contractors
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    services.update_danhe_selection(
        user=county_user,
        selection=selection,
        method="score",
        winners_count=2,
        entries=scores(selection, {"甲项目": "88", "乙项目": "95", "丙项目": "91"}),
    )
    with pytest.raises(ValidationError) as exc:
        services.confirm_danhe_selection(
            user=county_user, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="x"
        )
    assert exc.value.message_dict["candidates"][0].startswith("丙项目：")
    assert not AwardRecord.objects.exists()
    # choosing the contractor for that candidate resolves it
    chosen = passed_projects[2].participants.get(role="epc").enterprise
    entries = scores(selection, {"甲项目": "88", "乙项目": "95", "丙项目": "91"})
    丙 = selection.candidates.get(project=passed_projects[2]).pk
    entries[丙].contractor = chosen.pk
    services.update_danhe_selection(
        user=county_user, selection=selection, method="score", winners_count=2, entries=entries
    )
    records = services.confirm_danhe_selection(
        user=county_user, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="x"
    )
    assert {r.contractor for r in records} >= {chosen}


@pytest.mark.parametrize(
    "method, count, values, message",
    [
        ("score", 1, {"甲项目": "90", "乙项目": "90", "丙项目": "80"}, "第1名与第2名得分相同"),
        ("score", 4, {"甲项目": "90", "乙项目": "85", "丙项目": "80"}, "获奖数量应在1到3"),
        ("score", 1, {"甲项目": "120", "乙项目": "85", "丙项目": "80"}, "得分应在0到100之间"),
        ("score", 1, {"甲项目": "-1", "乙项目": "85", "丙项目": "80"}, "得分不能为负数"),
    ],
)
def test_bad_selection_input_is_refused(passed_projects, county, county_user, method, count, values, message):
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    with pytest.raises(ValidationError, match=message):
        services.update_danhe_selection(
            user=county_user, selection=selection, method=method, winners_count=count, entries=scores(selection, values)
        )
        services.confirm_danhe_selection(
            user=county_user, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="x"
        )
    assert not AwardRecord.objects.exists()


def test_a_county_runs_only_its_own_selection(passed_projects, county, colleague, county_user, outsider):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.start_danhe_selection(user=colleague, county=county, year=2023)
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.confirm_danhe_selection(
            user=colleague, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="x"
        )
    assert api_client_for(colleague).get(f"/api/v1/danhe-selections/{selection.pk}/").status_code == 404
    assert api_client_for(outsider).get("/api/v1/danhe-selections/").status_code == 403


def test_one_selection_per_county_and_year(passed_projects, county, county_user):
    services.start_danhe_selection(user=county_user, county=county, year=2023)
    with pytest.raises(ValidationError, match="2023年度的丹河杯评选已存在"):
        services.start_danhe_selection(user=county_user, county=county, year=2023)


def test_a_county_without_passed_projects_cannot_start(county, county_user):
    catalogue()
    ProjectFactory(county=county, jingpin_status="cultivating")
    with pytest.raises(ValidationError, match="没有通过精品工程评定且尚未获得丹河杯的项目"):
        services.start_danhe_selection(user=county_user, county=county, year=2023)


def test_previous_winners_are_not_candidates_again(passed_projects, county, county_user):
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    services.update_danhe_selection(
        user=county_user,
        selection=selection,
        method="score",
        winners_count=1,
        entries=scores(selection, {"甲项目": "99", "乙项目": "85", "丙项目": "80"}),
    )
    services.confirm_danhe_selection(
        user=county_user, selection=selection, grant_date=dt.date(2023, 12, 26), document_no="x"
    )
    next_year = services.start_danhe_selection(user=county_user, county=county, year=2024)
    assert {c.project.name for c in next_year.candidates.select_related("project")} == {"乙项目", "丙项目"}


def test_the_api_runs_a_selection_from_candidates_to_records(passed_projects, county, county_user):
    client = api_client_for(county_user)
    response = client.post("/api/v1/danhe-selections/", {"county": county.pk, "year": 2023}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    url = f"/api/v1/danhe-selections/{body['id']}/"
    ranks = {"甲项目": 2, "乙项目": 3, "丙项目": 1}
    entries = [{"id": c["id"], "rank": ranks[c["project_name"]]} for c in body["candidates"]]
    response = client.post(
        url + "entries/", {"method": "rank", "winners_count": 2, "candidates": entries}, format="json"
    )
    assert response.status_code == 200, response.json()
    response = client.post(
        url + "confirm/", {"grant_date": "2023-12-26", "document_no": "高住建〔2023〕90号"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed" and len(response.json()["award_records"]) == 2
    response = client.post(url + "entries/", {"method": "rank", "winners_count": 1, "candidates": []}, format="json")
    assert response.status_code == 400
    assert "已确认" in str(response.json())
    records = client.get("/api/v1/award-records/", {"award": AwardRecord.objects.first().award_id}).json()
    assert {r["project_name"] for r in records["results"]} == {"甲项目", "丙项目"}


def test_candidate_scores_round_half_up_like_every_score(passed_projects, county, county_user):
    """88.125 → 88.13 (core.decimals.half_up2); Python's default half-even quantize would give 88.12."""
    selection = services.start_danhe_selection(user=county_user, county=county, year=2023)
    services.update_danhe_selection(
        user=county_user,
        selection=selection,
        method="score",
        winners_count=1,
        entries=scores(selection, {"甲项目": "88.125", "乙项目": "90.135", "丙项目": "91"}),
    )
    by_name = {c.project.name: c.score for c in selection.candidates.select_related("project")}
    assert by_name["甲项目"] == Decimal("88.13") and by_name["乙项目"] == Decimal("90.14")
