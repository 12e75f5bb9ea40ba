"""Constraint records: 待整改 → 已整改 / 清退出场, remembering who changed the status and when."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.models import ConstraintRecord
from tests.conftest import at
from tests.projects.factories import ConstraintRecordFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_county_staff_records_a_constraint_as_pending(county_user, project):
    participant = ParticipantFactory(project=project)
    record = services.add_constraint_record(
        participant,
        {
            "kind": "attendance",
            "occurred_on": dt.date(2023, 5, 10),
            "description": "项目经理连续三日未到岗。",
            "required_action": "限期到岗。",
        },
        user=county_user,
    )
    assert record.status == "pending" and record.created_by == county_user


def test_a_constraint_in_the_future_or_with_an_unknown_kind_is_refused(county_user, project, clock):
    clock.move_to(at(2024, 3, 12, 23, 30))  # late evening: UTC is still on the 12th, Shanghai is not
    participant = ParticipantFactory(project=project)
    with pytest.raises(ValidationError) as exc:
        services.add_constraint_record(
            participant,
            {"kind": "attendance", "occurred_on": dt.date(2024, 3, 13), "description": "x"},
            user=county_user,
        )
    assert exc.value.message_dict["occurred_on"] == ["发生日期不能晚于今天。"]
    with pytest.raises(ValidationError):
        services.add_constraint_record(
            participant, {"kind": "nonsense", "occurred_on": dt.date(2023, 1, 1), "description": "x"}, user=county_user
        )
    assert not ConstraintRecord.objects.exists()


@pytest.mark.parametrize("target", ["rectified", "expelled"])
def test_pending_record_is_closed_with_who_and_when(county_user, project, target):
    record = ConstraintRecordFactory(participant=ParticipantFactory(project=project))
    services.change_constraint_status(record, target, user=county_user, note="复查合格")
    record.refresh_from_db()
    assert record.status == target
    assert record.status_changed_by == county_user and record.status_changed_at is not None
    assert record.resolution_note == "复查合格"


def test_a_closed_record_cannot_change_again(county_user, project):
    record = ConstraintRecordFactory(participant=ParticipantFactory(project=project))
    services.change_constraint_status(record, "rectified", user=county_user)
    with pytest.raises(ValidationError) as exc:
        services.change_constraint_status(record, "expelled", user=county_user)
    assert exc.value.message_dict["status"] == ["约束记录当前为“已整改”，不能变更为“清退出场”。"]
    with pytest.raises(ValidationError):
        services.change_constraint_status(
            ConstraintRecordFactory(participant=ParticipantFactory(project=project)), "pending", user=county_user
        )


def test_another_county_cannot_change_the_record(colleague, project):
    record = ConstraintRecordFactory(participant=ParticipantFactory(project=project))
    with pytest.raises(PermissionDenied):
        services.change_constraint_status(record, "rectified", user=colleague)
    record.refresh_from_db()
    assert record.status == "pending"


def test_an_enterprise_sees_only_the_records_against_itself(project, reporter):
    mine = ConstraintRecordFactory(participant=project.participants.get(enterprise=reporter.enterprise))
    ConstraintRecordFactory(participant=ParticipantFactory(project=project, role="supervisor"))
    assert list(ConstraintRecord.objects.visible_to(reporter)) == [mine]
