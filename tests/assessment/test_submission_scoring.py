"""The worked examples through the database: 高平市 June, 泽州县 A3, deadlines, exceptions, adjustments."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services
from assessment.models import ItemScore
from tests.assessment.factories import local, submitted, target
from tests.factories import CountyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_gaoping_june_2023_scores_73_53_and_74_53_with_a_one_point_adjustment(county, county_user, city_admin):
    target(county, residential="7", public="3")
    sub = submitted(county, county_user, month=6)
    assert sub.items_total == D("73.53") and sub.score == D("73.53")
    scores = dict(ItemScore.objects.filter(submission=sub).values_list("item__code", "score"))
    assert scores["A5"] == D("1.33") and scores["A6"] == D("3.29") and scores["B2"] == D("17.91")
    assert scores["D1"] == D("20.00")
    d1 = ItemScore.objects.get(submission=sub, item__code="D1")
    assert d1.ratio == D("26.00") and "26.00% ÷ 24% × 20 = 21.66，封顶20" in d1.explanation

    services.add_adjustment(sub, user=city_admin, points=D("1"), reason="创新性工作")
    sub.refresh_from_db()
    assert sub.adjustments_total == D("1.00") and sub.score == D("74.53")


def test_zezhou_with_no_residential_retrofit_task_gets_a3_full_8(city_admin):
    zezhou = CountyFactory(name="泽州县")
    staff = UserFactory(role="county_staff", region=zezhou)
    target(zezhou, residential="0", public="0")
    sub = submitted(zezhou, staff, month=6)
    a3 = ItemScore.objects.get(submission=sub, item__code="A3")
    assert a3.score == D("8.00") and not a3.applicable


def test_prefab_target_comes_from_the_region_34_percent_for_taiyuan(county_user):
    county = county_user.region
    county.parent.prefab_target_ratio = D("34")
    county.parent.save()
    target(county)
    sub = submitted(county, county_user, month=6)
    d1 = ItemScore.objects.get(submission=sub, item__code="D1")
    assert d1.score == D("15.29")  # 26.00 ÷ 34 × 20 = 15.294…
    assert "÷ 34%" in d1.explanation


def test_june_submitted_at_00_00_01_on_21_june_is_late_and_scores_zero_with_the_reason(county, county_user):
    target(county)
    sub = submitted(county, county_user, month=6, at=local(2023, 6, 21, 0, 0, 1))
    assert sub.is_late and sub.score == D("0.00")
    assert sub.items_total == D("73.53")  # kept, but the month scores 0
    assert "逾期" in sub.late_reason and "2023-06-21 00:00:01" in sub.late_reason


def test_june_submitted_at_23_59_59_on_20_june_is_on_time(county, county_user):
    target(county)
    sub = submitted(county, county_user, month=6, at=local(2023, 6, 20, 23, 59, 59))
    assert not sub.is_late and sub.score == D("73.53")


def test_deadline_day_is_a_setting(county, county_user, settings):
    settings.JINGPIN = {**settings.JINGPIN, "SUBMISSION_DEADLINE_DAY": 25}
    target(county)
    sub = submitted(county, county_user, month=6, at=local(2023, 6, 24, 12, 0))
    assert not sub.is_late


def test_the_first_submissions_time_counts_a_return_does_not_make_it_late(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user, month=6, at=local(2023, 6, 19, 10, 0))
    services.return_submission(sub, user=city_admin, comments={"D1": "请核实装配式面积"})
    sub = services.submit(sub, user=county_user, now=local(2023, 6, 27, 10, 0))
    assert sub.status == "resubmitted" and not sub.is_late
    assert sub.first_submitted_at == local(2023, 6, 19, 10, 0)
    assert sub.last_submitted_at == local(2023, 6, 27, 10, 0)


def test_city_admin_grants_a_dated_reasoned_exception_and_the_late_month_counts_again(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user, month=6, at=local(2023, 6, 22, 9, 0))
    assert sub.score == 0
    with pytest.raises(ValidationError):
        services.grant_exception(county, 2023, 6, user=city_admin, new_deadline=local(2023, 6, 25, 23, 59), reason="")
    with pytest.raises(PermissionDenied):
        services.grant_exception(
            county, 2023, 6, user=county_user, new_deadline=local(2023, 6, 25, 23, 59), reason="系统故障"
        )
    services.grant_exception(
        county, 2023, 6, user=city_admin, new_deadline=local(2023, 6, 25, 23, 59), reason="省厅系统故障，顺延"
    )
    sub.refresh_from_db()
    assert not sub.is_late and sub.score == D("73.53")
    assert sub.audit.filter(kind="deadline", reason="省厅系统故障，顺延").exists()


def test_adjustments_never_take_the_month_below_zero(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user, month=6)
    services.add_adjustment(sub, user=city_admin, points=D("-80"), reason="未按时报送纸质原件并缺席会议")
    sub.refresh_from_db()
    assert sub.score == D("0.00") and sub.adjustments_total == D("-80.00")


def test_adjustment_needs_a_reason_nonzero_points_and_the_city_admin(county, county_user, city_admin):
    target(county)
    sub = submitted(county, county_user, month=6)
    with pytest.raises(ValidationError) as exc:
        services.add_adjustment(sub, user=city_admin, points=D("1"), reason=" ")
    assert "理由" in str(exc.value)
    with pytest.raises(ValidationError):
        services.add_adjustment(sub, user=city_admin, points="abc", reason="理由")
    with pytest.raises(ValidationError):
        services.add_adjustment(sub, user=city_admin, points=0, reason="理由")
    with pytest.raises(PermissionDenied):
        services.add_adjustment(sub, user=county_user, points=D("1"), reason="自己加分")
    assert not sub.adjustments.exists()
