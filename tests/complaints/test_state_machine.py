"""待受理 → 已受理 → 核查中 → 已办结（销号）, or 待受理 → 不予受理 with a reason; every step audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.choices import Status
from complaints.models import Complaint, ComplaintEvent
from tests.complaints.factories import file_complaint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _trail(complaint):
    return list(
        ComplaintEvent.objects.filter(complaint=complaint).values_list(
            "action", "from_status", "to_status", "actor__username"
        )
    )


def test_the_whole_path_is_audited(clock, county, county_user):
    complaint, _ = file_complaint(county)
    services.accept(complaint, user=county_user, note="安排核查")
    services.start_investigation(complaint, user=county_user)
    complaint = services.close(
        complaint, user=county_user, findings="经核查不属实。", reply="经核查不属实。", substantiated="no"
    )
    assert complaint.status == Status.CLOSED and complaint.handler == county_user
    assert complaint.close_due is not None and complaint.finished_at is not None
    assert _trail(complaint) == [
        ("submit", "", "pending", None),
        ("accept", "pending", "accepted", "owner"),
        ("investigate", "accepted", "investigating", "owner"),
        ("close", "investigating", "closed", "owner"),
    ]


def test_reject_needs_a_reason_and_ends_the_complaint(county, county_user):
    complaint, _ = file_complaint(county)
    with pytest.raises(ValidationError):
        services.reject(complaint, user=county_user, reason=" ")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.PENDING
    complaint = services.reject(complaint, user=county_user, reason="不属于住建部门职责。")
    assert complaint.status == Status.REJECTED
    assert _trail(complaint)[-1] == ("reject", "pending", "rejected", "owner")
    with pytest.raises(ValidationError):
        services.accept(complaint, user=county_user)


@pytest.mark.parametrize(
    "steps, illegal",
    [
        ([], "start_investigation"),
        ([], "close"),
        (["accept"], "close"),
        (["accept"], "accept"),
        (["accept"], "reject"),
        (["accept", "start_investigation"], "reject"),
    ],
)
def test_illegal_steps_change_nothing(county, county_user, steps, illegal):
    complaint, _ = file_complaint(county)
    for step in steps:
        getattr(services, step)(complaint, user=county_user)
    before = Complaint.objects.get(pk=complaint.pk)
    events = ComplaintEvent.objects.count()
    kwargs = {"close": {"findings": "x", "reply": "y", "substantiated": "no"}, "reject": {"reason": "r"}}.get(
        illegal, {}
    )
    with pytest.raises(ValidationError):
        getattr(services, illegal)(complaint, user=county_user, **kwargs)
    after = Complaint.objects.get(pk=complaint.pk)
    assert (after.status, after.updated_at) == (before.status, before.updated_at)
    assert ComplaintEvent.objects.count() == events


def test_close_needs_findings_a_reply_and_a_verdict(county, county_user):
    complaint, _ = file_complaint(county)
    services.accept(complaint, user=county_user)
    services.start_investigation(complaint, user=county_user)
    with pytest.raises(ValidationError) as error:
        services.close(complaint, user=county_user, findings="", reply="")
    assert set(error.value.message_dict) == {"findings", "reply", "substantiated"}
    assert error.value.message_dict["substantiated"] == ["请选择核查结论（属实、部分属实或不属实）。"]
    assert Complaint.objects.get(pk=complaint.pk).status == Status.INVESTIGATING


def test_after_acceptance_only_the_handler_or_the_city_proceeds(county, county_user, city_admin):
    colleague_same_county = UserFactory(role="county_staff", region=county, username="same_county")
    complaint, _ = file_complaint(county)
    services.accept(complaint, user=county_user)
    with pytest.raises(PermissionDenied):
        services.start_investigation(complaint, user=colleague_same_county)
    services.start_investigation(complaint, user=city_admin)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.INVESTIGATING


def test_a_named_handler_is_the_one_who_accepts(county, county_user, city_admin):
    handler = UserFactory(role="county_staff", region=county, username="handler")
    complaint, _ = file_complaint(county)
    services.assign_handler(complaint, user=city_admin, handler=handler)
    with pytest.raises(PermissionDenied):
        services.accept(complaint, user=county_user)
    complaint = services.accept(complaint, user=handler)
    assert complaint.handler == handler
    assert ("assign", "", "", "city_admin") in _trail(complaint)


def test_the_handler_must_work_in_the_complaints_county(county, city_admin, colleague):
    complaint, _ = file_complaint(county)
    with pytest.raises(ValidationError):
        services.assign_handler(complaint, user=city_admin, handler=colleague)
    assert Complaint.objects.get(pk=complaint.pk).handler is None
