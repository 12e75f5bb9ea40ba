"""Paper originals by the 28th (seed 002 附件1 四: "原件未能及时报送的可先报电子版及扫描件，正式文件最迟于当月28日前报送。
未按时报送的，当月（季）行政绩效减分"): late or missing originals are flagged and the 行政绩效 deduction is proposed to
the reviewer, who confirms it (or changes the points)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from assessment import services
from assessment.models import Adjustment
from assessment.scoring import paper_originals
from tests.assessment.factories import approved, submitted, target
from tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "received, today, state",
    [
        (dt.date(2023, 6, 28), dt.date(2023, 7, 1), "on_time"),  # "最迟于当月28日前": the 28th itself is in time
        (dt.date(2023, 6, 29), dt.date(2023, 7, 1), "late"),
        (None, dt.date(2023, 6, 28), "pending"),
        (None, dt.date(2023, 6, 29), "missing"),
    ],
)
def test_june_originals_are_due_by_june_28(received, today, state):
    paper = paper_originals(2023, 6, received, today)
    assert paper.state == state and paper.due == dt.date(2023, 6, 28)
    assert paper.overdue == (state in ("late", "missing"))


@pytest.fixture(autouse=True)
def _targets(county):
    target(county)


def test_late_originals_propose_the_xingzheng_jixiao_deduction_which_the_reviewer_confirms(
    county, county_user, city_admin, clock
):
    """阳城县's April originals of the demo arrived on the 30th: "未按时报送的，当月（季）行政绩效减分"."""
    sub = approved(county, county_user, city_admin)  # June 2023, approved (the originals fall due after the review)
    clock.move_to(at(2023, 7, 3, 9))
    sub = services.record_paper_received(sub, user=city_admin, received_on=dt.date(2023, 6, 30))
    proposal = services.paper_deduction_proposal(sub)
    assert proposal["points"] == D("-0.5") and "晚于2023-06-28" in proposal["reason"]
    before = sub.score
    adjustment = services.confirm_paper_deduction(sub, user=city_admin, points="-1")
    sub.refresh_from_db()
    assert adjustment.source == Adjustment.Source.PAPER_LATE and adjustment.points == D("-1")
    assert sub.score == before - 1
    assert services.paper_deduction_proposal(sub) is None  # confirmed once
    with pytest.raises(ValidationError, match="无需减分"):
        services.confirm_paper_deduction(sub, user=city_admin)


def test_missing_originals_after_the_28th_are_flagged_on_the_page_and_before_publishing(
    county, county_user, city_admin, client, clock
):
    sub = approved(county, county_user, city_admin)
    client.force_login(city_admin)
    clock.move_to(at(2023, 6, 27, 9))
    assert services.paper_deduction_proposal(sub) is None  # not yet due
    clock.move_to(at(2023, 6, 29, 9))
    page = client.get(f"/assessment/submissions/{sub.pk}/").content.decode()
    assert "纸质原件逾期未送达（应于2023-06-28前送达）" in page and 'data-testid="paper-deduction"' in page
    assert "纸质原件未按时送达（当月28日前）：高平市" in page  # the publish warnings
    response = client.post(f"/assessment/submissions/{sub.pk}/paper-deduction/", {"points": "-0.5"})
    assert response.status_code == 302
    assert sub.adjustments.get().points == D("-0.5")


def test_a_deduction_must_be_negative_and_on_time_originals_propose_nothing(county, county_user, city_admin, clock):
    sub = submitted(county, county_user)
    clock.move_to(at(2023, 7, 3, 9))
    with pytest.raises(ValidationError, match="只能减分"):
        services.confirm_paper_deduction(sub, user=city_admin, points="1")
    sub = services.record_paper_received(sub, user=city_admin, received_on=dt.date(2023, 6, 26))
    assert services.paper_deduction_proposal(sub) is None
    assert not Adjustment.objects.exists()
