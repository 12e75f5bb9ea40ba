"""Demo data: closed evaluations (passed, failed by veto, failed by score), open ones where every demo expert has
a score sheet to fill; no conflicts."""

import pytest

from accounts import seed as accounts_seed
from accounts.models import Region
from evaluation import seed as evaluation_seed
from evaluation import services
from evaluation.models import CertificationReview, Evaluation, ScoreSheet
from tests.evaluation.factories import _Silent
from tests.projects_factories import ConstraintRecordFactory, ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organisation():
    accounts_seed.seed_reference(_Silent())
    accounts_seed.seed_demo(_Silent())
    evaluation_seed.seed_reference(_Silent())


def test_without_projects_the_demo_creates_nothing(demo_organisation):
    evaluation_seed.seed_demo(_Silent())
    assert not Evaluation.objects.exists()


def test_the_demo_evaluations(demo_organisation, demo_clock):
    from accounts.models import Enterprise

    counties = list(Region.objects.filter(level="county").order_by("order"))
    design_institute = Enterprise.objects.get(name="晋城市建筑勘察设计院有限公司")  # employer of expert1
    for n in range(8):
        project = ProjectFactory(
            county=counties[n % len(counties)], category=["building", "municipal", "habitat", "landscape"][n % 4]
        )
        ParticipantFactory(project=project, role="contractor")
        if n == 1:
            ParticipantFactory(project=project, enterprise=design_institute, role="design")
    ConstraintRecordFactory(
        participant=ParticipantFactory(project=ProjectFactory(county=counties[0])), status="pending"
    )

    evaluation_seed.seed_demo(_Silent())
    closed = Evaluation.objects.filter(status="closed")
    assert closed.filter(result="passed").count() == 3
    assert closed.filter(result="failed").exclude(vetoes=[]).count() == 1
    assert closed.filter(result="failed", vetoes=[]).count() == 1
    assert closed.filter(demonstration=True).count() == 1
    # a veto event after the designation (项目经理未到岗): the 示范项目 is 复核中 (issue 25, "project 41")
    review = CertificationReview.objects.get(status="open")
    assert review.project == closed.get(demonstration=True).project and review.title_status == "demonstration"
    assert set(closed.values_list("year", flat=True)) == {2023}  # the demo's previous year at DEMO_NOW
    open_ones = Evaluation.objects.filter(status="open")
    assert set(open_ones.values_list("year", flat=True)) == {2024}
    for number in range(1, 7):  # every demo expert has an open score sheet to fill
        sheets = ScoreSheet.objects.filter(evaluation__in=open_ones, expert__username=f"expert{number}")
        assert sheets.filter(status="draft").exists(), f"expert{number}"
    assert not ScoreSheet.objects.filter(evaluation__in=open_ones, status="submitted").exists()
    count = Evaluation.objects.count()
    assert (
        closed.filter(panel__expert__username="expert1", project__participants__enterprise=design_institute).count()
        == 0
    )
    for evaluation in Evaluation.objects.all():
        for member in evaluation.panel.select_related("expert"):
            assert services.conflict_reason(evaluation.project, member.expert) is None

    evaluation_seed.seed_demo(_Silent())  # idempotent
    assert Evaluation.objects.count() == count
