"""实时督办: complaints past their deadline are flagged once per step; the city, county and handler are told."""

import datetime as dt

import pytest

from complaints import services, tasks
from complaints.models import Complaint, ComplaintEvent
from notifications.models import Notification
from tests.complaints.factories import file_complaint
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_a_complaint_not_accepted_in_time_is_flagged_to_the_city(
    clock, county, county_user, city_admin, colleague, django_capture_on_commit_callbacks
):
    clock.move_to(at(2030, 3, 4, 9))  # Monday; 受理 due Thursday 7 March
    complaint, _ = file_complaint(county)
    assert complaint.accept_due == dt.date(2030, 3, 7)
    clock.move_to(at(2030, 3, 7, 18))
    assert tasks.flag_overdue_complaints.delay().get() == 0
    clock.move_to(at(2030, 3, 8, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.flag_overdue_complaints.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.flag_overdue_complaints.delay().get() == 0  # safe to run twice
    complaint.refresh_from_db()
    assert complaint.overdue_stage == "accept" and complaint.overdue_flagged_at is not None
    overdue = Notification.objects.filter(event_key=f"complaint-overdue-accept-{complaint.pk}")
    assert set(overdue.values_list("recipient__username", flat=True)) == {"city_admin", "owner"}
    assert ComplaintEvent.objects.filter(complaint=complaint, action="overdue").count() == 1
    assert list(Complaint.objects.visible_to(city_admin).overdue(dt.date(2030, 3, 8))) == [complaint]


def test_acceptance_clears_the_flag_and_the_close_deadline_is_supervised_next(
    clock, county, county_user, django_capture_on_commit_callbacks
):
    clock.move_to(at(2030, 3, 4, 9))
    complaint, _ = file_complaint(county)
    clock.move_to(at(2030, 3, 8, 9))
    services.flag_overdue()
    complaint = services.accept(complaint, user=county_user)
    assert complaint.overdue_stage == "" and complaint.close_due == dt.date(2030, 3, 29)
    clock.move_to(at(2030, 3, 29, 17))
    assert services.flag_overdue() == 0
    clock.move_to(at(2030, 4, 1, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flag_overdue() == 1
    complaint.refresh_from_db()
    assert complaint.overdue_stage == "close"
    assert Notification.objects.filter(event_key=f"complaint-overdue-close-{complaint.pk}").count() == 1


def test_closed_complaints_are_never_overdue(clock, county, county_user):
    clock.move_to(at(2030, 3, 4, 9))
    complaint, _ = file_complaint(county)
    services.accept(complaint, user=county_user)
    services.start_investigation(complaint, user=county_user)
    services.close(complaint, user=county_user, findings="已核查", reply="已答复", substantiated="no")
    clock.move_to(at(2030, 6, 1, 9))
    assert services.flag_overdue() == 0
