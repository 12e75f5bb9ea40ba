"""draft → submitted → returned → resubmitted → approved → published; locks, reopening, audit trail."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services
from assessment.choices import Status
from assessment.models import AuditEntry, ReviewComment
from tests.assessment.factories import approved, filled_submission, published, submitted, target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _targets(county):
    target(county)


def test_full_workflow_with_comments_per_item(county, county_user, city_admin):
    sub = filled_submission(county, county_user)
    assert sub.status == Status.DRAFT
    sub = services.submit(sub, user=county_user)
    assert sub.status == Status.SUBMITTED
    sub = services.return_submission(
        sub, user=city_admin, comments={"D1": "装配式面积与月报不符", "B2": "请补充验收资料"}, general="请修改"
    )
    assert sub.status == Status.RETURNED
    assert set(ReviewComment.objects.filter(submission=sub).values_list("item__code", flat=True)) == {"D1", "B2", None}
    sub = services.update_submission(sub, {"prefab_area": "7.20"}, user=county_user)
    sub = services.submit(sub, user=county_user)
    assert sub.status == Status.RESUBMITTED
    sub = services.approve(sub, user=city_admin)
    assert sub.status == Status.APPROVED and sub.approved_by == city_admin
    sub = services.publish(sub, user=city_admin)
    assert sub.status == Status.PUBLISHED and sub.published_at
    statuses = list(sub.audit.filter(kind="status").order_by("pk").values_list("old_value", "new_value"))
    assert statuses == [
        ("", "草稿"),
        ("草稿", "已报送"),
        ("已报送", "已退回"),
        ("已退回", "已重新报送"),
        ("已重新报送", "已审核"),
        ("已审核", "已发布"),
    ]


def test_returning_needs_at_least_one_comment(county, county_user, city_admin):
    sub = submitted(county, county_user)
    with pytest.raises(ValidationError):
        services.return_submission(sub, user=city_admin, comments={"D1": "  "}, general="")
    with pytest.raises(ValidationError):
        services.return_submission(sub, user=city_admin, comments={"Z9": "未知"}, general="")


@pytest.mark.parametrize("stage", ["approved", "published"])
def test_approved_and_published_months_are_locked(county, county_user, city_admin, stage):
    make = approved if stage == "approved" else published
    sub = make(county, county_user, city_admin)
    with pytest.raises(ValidationError):
        services.update_submission(sub, {"prefab_area": "1"}, user=county_user)
    with pytest.raises(ValidationError):
        services.add_adjustment(sub, user=city_admin, points=D("1"), reason="加分")
    with pytest.raises(ValidationError):
        services.submit(sub, user=county_user)
    with pytest.raises(ValidationError):
        services.return_submission(sub, user=city_admin, comments={}, general="退回")
    sub.refresh_from_db()
    assert sub.prefab_area == D("7.80")


def test_reopening_needs_the_city_admin_and_a_reason(county, county_user, city_admin):
    sub = published(county, county_user, city_admin)
    with pytest.raises(PermissionDenied):
        services.reopen(sub, user=county_user, reason="我想改")
    with pytest.raises(ValidationError):
        services.reopen(sub, user=city_admin, reason="")
    sub = services.reopen(sub, user=city_admin, reason="发现装配式面积统计口径错误")
    assert sub.status == Status.RETURNED
    entry = sub.audit.filter(kind="status").latest("pk")
    assert (entry.old_value, entry.new_value, entry.reason) == ("已发布", "已退回", "发现装配式面积统计口径错误")
    services.update_submission(sub, {"prefab_area": "7.00"}, user=county_user)


def test_county_cannot_approve_publish_or_return(county, county_user, city_admin):
    sub = submitted(county, county_user)
    for action in (services.approve, services.publish):
        with pytest.raises(PermissionDenied):
            action(sub, user=county_user)
    with pytest.raises(PermissionDenied):
        services.return_submission(sub, user=county_user, comments={"A1": "x"})


def test_publish_only_after_approval(county, county_user, city_admin):
    sub = submitted(county, county_user)
    with pytest.raises(ValidationError):
        services.publish(sub, user=city_admin)


def test_another_county_cannot_edit_or_submit(county, county_user, colleague):
    sub = filled_submission(county, county_user)
    with pytest.raises(PermissionDenied):
        services.update_submission(sub, {"prefab_area": "1"}, user=colleague)
    with pytest.raises(PermissionDenied):
        services.submit(sub, user=colleague)


def test_audit_trail_records_who_old_and_new_values_and_why(county, county_user, city_admin):
    sub = submitted(county, county_user)
    services.return_submission(sub, user=city_admin, comments={"D1": "请核实"})
    services.update_submission(sub, {"prefab_area": "5.00", "decrease_explanation": "口径调整"}, user=county_user)
    figure = AuditEntry.objects.filter(submission=sub, kind="figure", field="装配式建筑面积（万m²）").latest("pk")
    assert (figure.old_value, figure.new_value, figure.actor) == ("7.80", "5.00", county_user)
    services.submit(sub, user=county_user)
    score = AuditEntry.objects.filter(submission=sub, kind="score").latest("pk")
    assert score.old_value == "73.53" and score.new_value != "73.53"
    services.add_adjustment(sub, user=city_admin, points=D("-0.5"), reason="纸质原件迟交")
    adj = AuditEntry.objects.filter(submission=sub, kind="adjustment").latest("pk")
    assert (adj.new_value, adj.reason, adj.actor) == ("-0.50", "纸质原件迟交", city_admin)
    services.record_paper_received(sub, user=city_admin, received_on=__import__("datetime").date(2023, 6, 26))
    assert AuditEntry.objects.filter(submission=sub, field="纸质原件送达日期", new_value="2023-06-26").exists()


def test_audit_trail_is_visible_on_the_page_and_exports(client, county, county_user, city_admin):
    sub = submitted(county, county_user)
    services.add_adjustment(sub, user=city_admin, points=D("1"), reason="创新性工作")
    client.force_login(city_admin)
    page = client.get(f"/assessment/submissions/{sub.pk}/").content.decode()
    assert "创新性工作" in page and "变更记录" in page
    export = client.get(f"/assessment/audit/?submission={sub.pk}&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and any(r[9] == "创新性工作" for r in rows[1:])
