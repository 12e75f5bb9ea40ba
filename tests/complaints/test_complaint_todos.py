"""Complaint to-dos follow the state: 待受理 → the county's staff (due on the accept deadline); 已受理/核查中 →
the handler (due on the close deadline); 办结/不予受理 → none; a reassigned complaint moves to the new county."""

import pytest

from complaints import services
from notifications.models import Todo
from tests.complaints.factories import file_complaint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _open(user):
    return list(Todo.objects.filter(user=user, done_at__isnull=True).values_list("kind", flat=True))


def test_a_new_complaint_waits_for_acceptance_then_for_its_handler_until_closed(
    clock, county, county_user, django_capture_on_commit_callbacks
):
    mate = UserFactory(role="county_staff", region=county, username="mate")
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _ = file_complaint(county)
    assert _open(county_user) == [Todo.Kind.COMPLAINT_ACCEPT] == _open(mate)
    todo = Todo.objects.get(user=county_user)
    assert todo.deadline.date() == complaint.accept_due and todo.url == f"/complaints/{complaint.pk}/"
    services.accept(complaint, user=county_user)
    assert _open(mate) == [] and _open(county_user) == [Todo.Kind.COMPLAINT_CLOSE]
    complaint.refresh_from_db()
    assert Todo.objects.get(user=county_user, kind=Todo.Kind.COMPLAINT_CLOSE).deadline.date() == complaint.close_due
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_handler(complaint, user=county_user, handler=mate)
    assert _open(county_user) == [] and _open(mate) == [Todo.Kind.COMPLAINT_CLOSE]
    services.start_investigation(complaint, user=mate)
    services.close(complaint, user=mate, findings="不属实。", reply="经核查，反映的问题不属实。", substantiated="no")
    assert not Todo.objects.filter(done_at__isnull=True).exists()


def test_a_rejected_complaint_leaves_no_to_do(clock, county, county_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _ = file_complaint(county)
    services.reject(complaint, user=county_user, reason="不属于本局职责")
    assert _open(county_user) == []


def test_a_reassigned_complaint_moves_to_the_new_countys_staff(
    clock, county, other_county, county_user, colleague, city_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _ = file_complaint(county)
        services.reassign_county(complaint, user=city_admin, county=other_county, reason="项目属阳城县")
    assert _open(county_user) == [] and _open(colleague) == [Todo.Kind.COMPLAINT_ACCEPT]
