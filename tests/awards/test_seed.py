"""The seed: the catalogue always; demo awards only on existing demo projects; both idempotent."""

from decimal import Decimal

import pytest

from awards.models import AwardRecord, DanheSelection, DesignBonus, SavingsBonus
from awards.seed import seed_demo
from tests.awards.factories import NullOut, awardable_project, catalogue
from tests.factories import CountyFactory, UserFactory
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_without_projects_the_demo_seed_creates_nothing():
    catalogue()
    UserFactory(role="city_admin", username="admin")
    seed_demo(NullOut())
    assert not AwardRecord.objects.exists() and not SavingsBonus.objects.exists()


def test_with_projects_the_demo_seed_creates_awards_a_confirmed_danhe_and_bonuses(demo_clock):
    catalogue()
    UserFactory(role="city_admin", username="admin")
    county = CountyFactory(name="泽州县")
    projects = [
        awardable_project(county, year=2021, jingpin_status="certified" if i < 4 else "none") for i in range(14)
    ]
    for p in projects[:5]:
        ParticipantFactory(project=p, role="supervisor")
        ParticipantFactory(project=p, role="design")
    projects[5].participants.filter(role="contractor").update(role="epc")  # one 工程总承包 (EPC) project
    seed_demo(NullOut())
    assert AwardRecord.objects.filter(year__in=[2021, 2022, 2023]).count() >= 12
    selection = DanheSelection.objects.get()
    assert selection.year == 2023  # the demo's previous year at DEMO_NOW
    assert selection.status == "confirmed" and selection.award_records.count() == 2
    assert SavingsBonus.objects.count() == 3 and DesignBonus.objects.count() == 3
    # seed 000 六(一)3: the 30 % goes to the 工程总承包单位 only (856,000 元 saved -> 256,800 元)
    assert {(b.proposer_kind, b.bonus) for b in SavingsBonus.objects.filter(rate_percent=30)} == {
        ("epc", Decimal("256800.00"))
    }
    assert SavingsBonus.objects.get(rate_percent=30).project == projects[5]
    before = AwardRecord.objects.count()
    seed_demo(NullOut())
    assert AwardRecord.objects.count() == before
