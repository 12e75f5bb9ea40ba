"""The demo: a plan per quarter, drawn and inspected, findings in several states; 陵川县's A1 fails."""

from __future__ import annotations

import io

import pytest

from accounts import seed as accounts_seed
from evaluation import seed as evaluation_seed
from inspections import a1, public, seed, services
from inspections.models import InspectionPlan, NoticeStatus, PlanStatus, RectificationNotice
from projects import seed as projects_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_clock):
    out = io.StringIO()
    accounts_seed.seed_reference(out)
    accounts_seed.seed_demo(out)
    projects_seed.seed_demo(out)
    evaluation_seed.seed_reference(out)
    seed.seed_reference(out)
    seed.seed_demo(out)
    return out


def test_the_demo_has_drawn_quarterly_plans_with_findings_in_several_states(demo):
    from accounts.models import Region

    plans = InspectionPlan.objects.filter(name__contains="季度")
    # DEMO_TODAY is 2024-03-12: the four quarters of 2023 and the first of 2024
    assert plans.count() == 5 and set(plans.values_list("status", flat=True)) == {PlanStatus.DRAWN}
    for plan in plans:  # every demo plan went through lock → value → draw, the value declared before it was known
        assert plan.draw_scheme == "v2" and plan.locked_at < plan.drawn_at
        assert plan.locked_at.date() < plan.value_not_before <= plan.drawn_at.date()
        assert services.draw_is_consistent(plan)
        kinds = {i["id"]: i["kind"] for i in plan.record["inspectors"]}
        assert all([kinds[i] for i in t["inspectors"][:2]] == ["staff", "staff"] for t in plan.draw_result)
    assert InspectionPlan.objects.filter(status=PlanStatus.LOCKED, name__startswith="【演示】").count() == 1
    assert InspectionPlan.objects.get(status=PlanStatus.CANCELLED).cancel_reason
    statuses = set(RectificationNotice.objects.values_list("status", flat=True))
    assert {NoticeStatus.CLOSED, NoticeStatus.ESCALATED, NoticeStatus.ISSUED} <= statuses
    assert RectificationNotice.objects.exclude(penalty_doc_no="").exists()
    assert public.public_results()  # some results are confirmed and public
    lingchuan = Region.objects.get(name="陵川县")
    assert a1.a1_fact(lingchuan.pk, 2023, 6).computed is False
    assert a1.a1_fact(lingchuan.pk, 2024, 2).computed is False
    seed.seed_demo(io.StringIO())  # idempotent
    assert InspectionPlan.objects.filter(name__contains="季度").count() == 5


def test_the_demo_draws_only_building_sites_and_shows_a_re_rectified_notice_and_a_county_publishing(demo):
    """Issue 25: “20 of 34 demo inspections hit projects in 规划设计, 招标投标, 前期策划, 运营维护 or 验收移交” — now
    none; one notice was returned once (整改不到位，退回) and then closed; 陵川 confirmed its own plan's results."""
    from accounts.models import Region
    from inspections.models import Inspection, NoticeRound

    stages = set(Inspection.objects.values_list("project__stage", flat=True))
    assert stages == {"construction"}
    returned = NoticeRound.objects.get()
    notice = returned.notice
    assert notice.status == NoticeStatus.CLOSED and notice.round == 2 and "整改不到位" in returned.reason
    assert a1.outcome(notice, notice.first_deadline) == a1.ON_TIME
    lingchuan = Region.objects.get(name="陵川县")
    own = Inspection.objects.filter(plan__county=lingchuan)
    assert own.filter(status="confirmed", confirmed_by__region=lingchuan).exists()
    assert services.overdue_publications(own) != []  # this year's January results are still unpublished
