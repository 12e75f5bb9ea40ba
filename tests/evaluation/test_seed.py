"""Demo data: closed evaluations (passed, failed by veto, failed by score), one open with drafts; no conflicts."""

import pytest

from accounts import seed as accounts_seed
from accounts.models import Region
from evaluation import seed as evaluation_seed
from evaluation import services
from evaluation.models import Evaluation, ScoreSheet
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


def test_the_demo_evaluations(demo_organisation):
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
    open_one = Evaluation.objects.get(status="open")
    assert ScoreSheet.objects.filter(evaluation=open_one, status="draft").count() == 3
    assert (
        closed.filter(panel__expert__username="expert1", project__participants__enterprise=design_institute).count()
        == 0
    )
    for evaluation in Evaluation.objects.all():
        for member in evaluation.panel.select_related("expert"):
            assert services.conflict_reason(evaluation.project, member.expert) is None

    evaluation_seed.seed_demo(_Silent())  # idempotent
    assert Evaluation.objects.count() == 6
