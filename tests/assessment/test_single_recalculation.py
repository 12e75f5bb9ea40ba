"""The county's form sent with 报送 recalculates the month's score once per request, and keeps the edits when
the submission is refused."""

from decimal import Decimal as D

import pytest

from assessment import services
from assessment.choices import Status
from tests.assessment.factories import GAOPING_JUNE, REPORT, filled_submission, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def recalculations(monkeypatch):
    calls = []
    real = services.recalculate

    def spy(submission, *args, **kwargs):
        calls.append(submission.pk)
        return real(submission, *args, **kwargs)

    monkeypatch.setattr(services, "recalculate", spy)
    return calls


def form_of(data):
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def test_submitting_the_form_recalculates_once(client, county, county_user, recalculations):
    target(county)
    sub = filled_submission(county, county_user)
    recalculations.clear()
    client.force_login(county_user)
    response = client.post(
        f"/assessment/submissions/{sub.pk}/edit/", {**form_of({**GAOPING_JUNE, **REPORT}), "submit": "1"}
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED and sub.items_total == D("73.53")
    assert recalculations == [sub.pk]


def test_a_refused_submission_keeps_the_edits_and_recalculates_the_draft_once(
    client, county, county_user, recalculations
):
    target(county)
    sub = filled_submission(county, county_user, data={"bim_met": GAOPING_JUNE["bim_met"]})
    assert sub.new_building_area is None
    recalculations.clear()
    client.force_login(county_user)
    without_report = {**form_of(GAOPING_JUNE), "report_tasks": "", "report_progress": "", "report_problems": ""}
    response = client.post(f"/assessment/submissions/{sub.pk}/edit/", {**without_report, "submit": "1"})
    assert response.status_code == 400 and "自查自评报告此部分不能为空" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Status.DRAFT
    assert sub.new_building_area == D(GAOPING_JUNE["new_building_area"])  # the edits are kept as the draft
    assert sub.items_total == D("73.53")  # and scored
    assert recalculations == [sub.pk]


def test_saving_a_draft_recalculates_once(client, county, county_user, recalculations):
    target(county)
    sub = filled_submission(county, county_user)
    recalculations.clear()
    client.force_login(county_user)
    response = client.post(f"/assessment/submissions/{sub.pk}/edit/", form_of({**GAOPING_JUNE, **REPORT}))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == Status.DRAFT and recalculations == [sub.pk]
