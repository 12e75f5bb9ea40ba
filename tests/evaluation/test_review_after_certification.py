"""精品/示范 after certification: a veto event after certification (an escalated notice's constraint record, an
accident …) opens a 复核 automatically — a notice to the city, "复核中" on the public project page — and the city
keeps or revokes the title with a reason. (Issue 25: "project 41 still shows 示范项目 with two escalated notices".)"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure.public import jingpin_label
from evaluation import services
from evaluation.models import CertificationReview
from notifications.models import Notification
from projects.choices import JingpinStatus
from tests.evaluation.factories import full_scores, open_evaluation, submit
from tests.projects_factories import ConstraintRecordFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demonstration(project, county_user, experts, city_admin):
    evaluation = open_evaluation(project, county_user, experts[:3])
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    services.close_evaluation(evaluation, user=county_user, on_date=dt.date(2024, 1, 15))
    services.designate_demonstration(evaluation, user=county_user)
    project.refresh_from_db()
    assert project.jingpin_status == JingpinStatus.DEMONSTRATION
    return project


def escalated(project):
    """What escalating an overdue 整改通知单 writes: a pending constraint record of kind inspection_overdue."""
    return ConstraintRecordFactory(
        participant=ParticipantFactory(project=project),
        kind="inspection_overdue",
        status="pending",
        occurred_on=dt.date(2024, 3, 1),
        description="“双随机、一公开”检查发现问题逾期未整改（通知单2024-001）：临边洞口防护不到位",
    )


def test_an_escalated_notice_after_designation_opens_a_review_notifies_the_city_and_shows_fuhezhong(
    demonstration, city_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalated(demonstration)
    review = CertificationReview.objects.get(project=demonstration)
    assert review.status == "open" and review.title_status == JingpinStatus.DEMONSTRATION
    assert "存在未整改或清退出场的约束记录" in [f["name"] for f in review.findings]
    notice = Notification.objects.get(recipient=city_admin)
    assert "精品工程复核" in notice.title and demonstration.name in notice.title
    demonstration.refresh_from_db()
    assert jingpin_label(demonstration) == "示范项目（复核中）"
    # a second veto event while the review is open makes no second review
    escalated(demonstration)
    assert CertificationReview.objects.count() == 1


def test_the_city_keeps_the_title_with_a_reason_and_the_same_findings_open_no_new_review(
    demonstration, city_admin, county_user
):
    escalated(demonstration)
    review = CertificationReview.objects.get()
    with pytest.raises(PermissionDenied):
        services.decide_review(review, user=county_user, keep=True, reason="已整改")
    with pytest.raises(ValidationError, match="理由"):
        services.decide_review(review, user=city_admin, keep=True, reason="")
    services.decide_review(review, user=city_admin, keep=True, reason="逾期系施工单位原因，已完成整改复查")
    demonstration.refresh_from_db()
    assert demonstration.jingpin_status == JingpinStatus.DEMONSTRATION and jingpin_label(demonstration) == "示范项目"
    assert services.review_certified_projects() == 0  # nothing new since the decision
    ConstraintRecordFactory(participant=ParticipantFactory(project=demonstration), kind="safety_accident")
    assert CertificationReview.objects.filter(status="open").count() == 1  # a new veto event: a new review


def test_the_city_revokes_the_title_the_project_loses_its_demonstration(demonstration, city_admin):
    escalated(demonstration)
    review = services.decide_review(
        CertificationReview.objects.get(), user=city_admin, keep=False, reason="两份整改通知单逾期未整改"
    )
    demonstration.refresh_from_db()
    assert review.status == "revoked" and demonstration.jingpin_status == JingpinStatus.FAILED
    assert not demonstration.evaluations.filter(demonstration=True).exists()
    with pytest.raises(ValidationError, match="已撤销"):
        services.decide_review(review, user=city_admin, keep=True, reason="再议")


def test_a_project_without_a_title_gets_no_review(project):
    escalated(project)  # 培育中: the evaluation's own veto check will fail it
    assert not CertificationReview.objects.exists()


def test_the_review_pages(demonstration, city_admin, client):
    escalated(demonstration)
    review = CertificationReview.objects.get()
    client.force_login(city_admin)
    assert demonstration.name in client.get("/evaluation/reviews/").content.decode()
    page = client.get(f"/evaluation/reviews/{review.pk}/").content.decode()
    assert "复核中" in page and "存在未整改或清退出场的约束记录" in page
    response = client.post(f"/evaluation/reviews/{review.pk}/decide/", {"decision": "keep", "reason": "已整改"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "kept"
