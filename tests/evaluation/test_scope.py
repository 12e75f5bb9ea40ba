"""Scope: an expert sees only their own sheets and their own evaluations; counties only their own (404)."""

import pytest

from evaluation import services
from evaluation.models import Evaluation, ScoreSheet
from tests.conftest import api_client_for
from tests.evaluation.factories import full_scores, library_project, open_evaluation, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(project, county_user, experts, other_county, colleague):
    mine = open_evaluation(project, county_user, experts[:3])
    other = open_evaluation(library_project(other_county), colleague, experts[3:6])
    sheet1 = services.sheet_for(mine, experts[0])
    sheet2 = submit(mine, experts[1], full_scores(mine))
    return {"mine": mine, "other": other, "sheet1": sheet1, "sheet2": sheet2}


def test_an_expert_cannot_read_another_experts_sheet(setup, experts, client):
    api = api_client_for(experts[0])
    ids = [s["id"] for s in api.get("/api/v1/score-sheets/").json()["results"]]
    assert ids == [setup["sheet1"].pk]
    assert api.get(f"/api/v1/score-sheets/{setup['sheet2'].pk}/").status_code == 404
    assert api.patch(f"/api/v1/score-sheets/{setup['sheet2'].pk}/", {"comment": "x"}, format="json").status_code == 404
    client.force_login(experts[0])
    assert client.get(f"/evaluation/sheets/{setup['sheet2'].pk}/").status_code == 404
    assert client.get(f"/evaluation/sheets/{setup['sheet1'].pk}/").status_code == 200


def test_an_expert_cannot_read_an_evaluation_they_are_not_on(setup, experts, client):
    api = api_client_for(experts[0])
    ids = [e["id"] for e in api.get("/api/v1/evaluations/").json()["results"]]
    assert ids == [setup["mine"].pk]
    assert api.get(f"/api/v1/evaluations/{setup['other'].pk}/").status_code == 404
    assert api.post("/api/v1/score-sheets/", {"evaluation": setup["other"].pk}, format="json").status_code == 400
    client.force_login(experts[0])
    assert client.get(f"/evaluation/{setup['other'].pk}/").status_code == 404
    assert client.get(f"/evaluation/{setup['other'].pk}/my-sheet/").status_code == 404
    assert not ScoreSheet.objects.filter(evaluation=setup["other"], expert=experts[0]).exists()


def test_an_expert_does_not_see_the_panel_or_the_result(setup, experts):
    data = api_client_for(experts[0]).get(f"/api/v1/evaluations/{setup['mine'].pk}/").json()
    assert "panel" not in data and "total_score" not in data
    assert api_client_for(experts[0]).get(f"/api/v1/evaluations/{setup['mine'].pk}/result/").status_code == 403
    assert api_client_for(experts[0]).get(f"/api/v1/evaluations/{setup['mine'].pk}/report/").status_code == 403


def test_a_county_sees_only_its_own_evaluations_and_sheets(setup, county_user, colleague, client):
    api = api_client_for(colleague)
    assert [e["id"] for e in api.get("/api/v1/evaluations/").json()["results"]] == [setup["other"].pk]
    assert api.get(f"/api/v1/evaluations/{setup['mine'].pk}/").status_code == 404
    assert api.post(f"/api/v1/evaluations/{setup['mine'].pk}/close/").status_code == 404
    assert api.get(f"/api/v1/score-sheets/{setup['sheet2'].pk}/").status_code == 404
    client.force_login(colleague)
    assert client.get(f"/evaluation/{setup['mine'].pk}/").status_code == 404
    assert client.get(f"/evaluation/{setup['mine'].pk}/report.pdf").status_code == 404
    assert client.post(f"/evaluation/{setup['mine'].pk}/close/").status_code == 404
    setup["mine"].refresh_from_db()
    assert setup["mine"].status == "open"


def test_unit_users_see_no_evaluations(setup, outsider):
    assert api_client_for(outsider).get("/api/v1/evaluations/").json()["results"] == []
    assert api_client_for(outsider).get("/api/v1/score-sheets/").json()["results"] == []
    assert api_client_for(outsider).post("/api/v1/evaluations/", {}, format="json").status_code == 403


def test_county_staff_cannot_write_score_sheets(setup, county_user):
    response = api_client_for(county_user).patch(
        f"/api/v1/score-sheets/{setup['sheet1'].pk}/", {"comment": "x"}, format="json"
    )
    assert response.status_code == 403
    assert Evaluation.objects.count() == 2


def test_an_experts_web_list_and_export_show_no_results(setup, experts, county_user, client):
    import io

    from openpyxl import load_workbook

    for expert in experts[:3]:
        if not setup["mine"].sheets.filter(expert=expert, status="submitted").exists():
            submit(setup["mine"], expert, full_scores(setup["mine"]))
    services.close_evaluation(setup["mine"], user=county_user)
    client.force_login(experts[0])
    page = client.get("/evaluation/").content.decode()
    assert "badge text-bg-success" not in page and "100.00" not in page
    sheet = load_workbook(io.BytesIO(client.get("/evaluation/?export=xlsx").content)).active
    assert "总分" not in [c.value for c in sheet[1]]


# --- results stay hidden from experts everywhere: export, filters, ordering ---------------------------
RESULT_HEADERS = {"总分", "结果", "一票否决", "示范项目", "专家人数", "已提交评分表"}


def _export_headers(response):
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    return {c.value for c in ws[1]}, ws.max_row - 1


@pytest.fixture
def closed_pair(project, county_user, experts, county):
    """Two closed evaluations with the same panel: one passed (full marks), one failed (40 %)."""
    from tests.evaluation.factories import scores_at

    passed = open_evaluation(project, county_user, experts[:3])
    failed = open_evaluation(library_project(county), county_user, experts[:3])
    for evaluation, ratio in ((passed, 1), (failed, "0.4")):
        for expert in experts[:3]:
            submit(evaluation, expert, scores_at(evaluation, __import__("decimal").Decimal(ratio)))
        services.close_evaluation(evaluation, user=county_user)
    passed.refresh_from_db()
    failed.refresh_from_db()
    assert (passed.result, failed.result) == ("passed", "failed")
    return passed, failed


def test_an_expert_export_filter_and_ordering_never_reveal_results(closed_pair, experts):
    from django.test import Client

    evaluation = closed_pair[0]
    expert = experts[0]
    api = api_client_for(expert)
    headers, rows = _export_headers(api.get("/api/v1/evaluations/export/"))
    assert not headers & RESULT_HEADERS and rows == api.get("/api/v1/evaluations/").json()["count"]
    # Filters on the result are not offered to an expert: they change nothing, so they reveal nothing.
    everything = api.get("/api/v1/evaluations/").json()["count"]
    for query in ("result=failed", "result=passed", "demonstration=true", "demonstration=false"):
        assert api.get(f"/api/v1/evaluations/?{query}").json()["count"] == everything, query
    by_score = [e["id"] for e in api.get("/api/v1/evaluations/?ordering=total_score").json()["results"]]
    by_default = [e["id"] for e in api.get("/api/v1/evaluations/").json()["results"]]
    assert by_score == by_default
    detail = api.get(f"/api/v1/evaluations/{evaluation.pk}/").json()
    assert not {"total_score", "result", "vetoes", "demonstration"} & set(detail)
    web = Client()
    web.force_login(expert)
    headers, _ = _export_headers(web.get("/evaluation/?export=xlsx"))
    assert not headers & RESULT_HEADERS
    assert web.get("/evaluation/?result=failed").context["paginator"].count == everything


def test_the_library_export_holds_the_library_like_the_api(project, county, county_user, client):
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.evaluation.factories import library_project

    library_project(county)  # in the library; ``project`` may or may not be
    from projects.models import Project
    from tests.projects_factories import ProjectFactory

    ProjectFactory(county=county, code="JC-2023-0777", name="不在库中的项目")
    api_count = api_client_for(county_user).get("/api/v1/jingpin-library/").json()["count"]
    client.force_login(county_user)
    ws = load_workbook(BytesIO(client.get("/evaluation/library/?export=xlsx").content)).active
    codes = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert len(codes) == api_count and "JC-2023-0777" not in codes
    assert Project.objects.filter(county=county).count() > api_count


def test_a_due_date_in_year_9999_is_refused(project, county_user, experts):
    import datetime as dt

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        open_evaluation(project, county_user, experts[:3], due_date=dt.date(9999, 12, 31))
    assert "2000-2100" in str(exc.value)
    assert not Evaluation.objects.exists()
