"""规定办理时限 (seed 001 二(六)2): a complaint accepted after its 受理时限 keeps its "逾期受理" mark for good — on the
ledger, the complaint's page, the API — after acceptance and after 办结 (it used to vanish on acceptance)."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints import services
from tests.complaints.factories import file_complaint
from tests.conftest import at

pytestmark = pytest.mark.django_db


def _accept_on(clock, complaint, user, when):
    clock.move_to(when)
    return services.accept(complaint, user=user)


def test_accepted_on_8_march_after_the_7_march_deadline_is_marked_late_for_good(
    client, api, clock, county, county_user
):
    clock.move_to(at(2030, 3, 4, 9))  # Monday; 受理 within 3 working days: Thursday 7 March
    complaint, _ = file_complaint(county)
    complaint = _accept_on(clock, complaint, county_user, at(2030, 3, 8, 9))
    assert complaint.accepted_late and not complaint.is_overdue()
    services.start_investigation(complaint, user=county_user)
    complaint = services.close(complaint, user=county_user, findings="已核查", reply="已答复", substantiated="no")
    complaint.refresh_from_db()
    assert complaint.accepted_late and not complaint.closed_late
    client.force_login(county_user)
    assert (
        'data-testid="accepted-late"' in client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    )
    assert 'data-testid="accepted-late"' in client.get(reverse("complaints:ledger")).content.decode()
    api.force_authenticate(county_user)
    assert api.get(f"/api/v1/complaints/{complaint.pk}/").json()["accepted_late"] is True


def test_accepted_on_the_deadline_7_march_is_on_time(client, clock, county, county_user):
    clock.move_to(at(2030, 3, 4, 9))
    complaint, _ = file_complaint(county)
    complaint = _accept_on(clock, complaint, county_user, at(2030, 3, 7, 23, 30))  # late evening, still the 7th
    assert not complaint.accepted_late
    client.force_login(county_user)
    assert (
        'data-testid="accepted-late"'
        not in client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    )


def test_a_late_rejection_is_a_late_acceptance_decision(clock, county, county_user):
    """不予受理 is the other acceptance decision: after the 受理时限 it is late too."""
    clock.move_to(at(2030, 3, 4, 9))
    complaint, _ = file_complaint(county)
    clock.move_to(at(2030, 3, 11, 9))
    complaint = services.reject(complaint, user=county_user, reason="不属于本局职责范围")
    assert complaint.accepted_late


def test_closed_after_the_15_working_day_deadline_is_marked_late(clock, county, county_user):
    """办结 within 15 working days of acceptance (Monday 4 March 2030 → Monday 25 March)."""
    clock.move_to(at(2030, 3, 4, 9))
    complaint, _ = file_complaint(county)
    complaint = services.accept(complaint, user=county_user)
    assert complaint.close_due == dt.date(2030, 3, 25)
    services.start_investigation(complaint, user=county_user)
    clock.move_to(at(2030, 3, 26, 9))
    complaint = services.close(complaint, user=county_user, findings="已核查", reply="已答复", substantiated="no")
    assert complaint.closed_late
