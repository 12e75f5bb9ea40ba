"""Deadlines count Chinese working days: weekends and holidays skipped, 调休 weekend days counted."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints import services, workdays
from complaints.models import CalendarDay
from complaints.seed import seed_reference
from tests.complaints.factories import file_complaint
from tests.conftest import at

D = dt.date
# 2024: 国庆 1-7 October off, Sunday 29 September and Saturday 12 October worked.
NATIONAL_DAY_2024 = {**{D(2024, 10, d): False for d in range(1, 8)}, D(2024, 9, 29): True, D(2024, 10, 12): True}


@pytest.mark.parametrize(
    "start, days, due",
    [
        (D(2024, 3, 11), 3, D(2024, 3, 14)),  # Monday + 3 → Thursday
        (D(2024, 3, 15), 3, D(2024, 3, 20)),  # Friday + 3 → Wednesday (weekend skipped)
        (D(2024, 9, 27), 1, D(2024, 9, 29)),  # Friday + 1 → the 调休 Sunday
        (D(2024, 9, 30), 3, D(2024, 10, 10)),  # across the National Day week
        (D(2024, 10, 11), 1, D(2024, 10, 12)),  # the 调休 Saturday counts
        (D(2024, 9, 30), 15, D(2024, 10, 25)),  # 办结 in 15: 8-11, 12 (调休 Saturday), 14-18, 21-25 October
        (D(2024, 3, 11), 0, D(2024, 3, 11)),
    ],
)
def test_add_working_days(start, days, due):
    assert workdays.add_working_days(start, days, NATIONAL_DAY_2024) == due


def test_working_days_between_is_the_inverse():
    for days in range(0, 20):
        due = workdays.add_working_days(D(2024, 9, 25), days, NATIONAL_DAY_2024)
        assert workdays.working_days_between(D(2024, 9, 25), due, NATIONAL_DAY_2024) == days


@pytest.mark.django_db
def test_a_complaint_received_before_the_holiday_is_due_after_it(clock, county):
    seed_reference(type("Out", (), {"write": lambda self, s: None})())
    clock.move_to(at(2024, 9, 30, 10))
    complaint, _ = file_complaint(county)
    assert complaint.accept_due == D(2024, 10, 10)


@pytest.mark.django_db
def test_the_city_edits_the_calendar_and_new_deadlines_follow(client, clock, county, city_admin, county_user):
    clock.move_to(at(2030, 4, 29, 10))  # a Monday of a year the seed does not know
    before, _ = file_complaint(county)
    assert before.accept_due == D(2030, 5, 2)
    client.force_login(county_user)
    response = client.post(reverse("complaints:calendar"), {"date": "2030-05-01", "name": "劳动节"})
    assert response.status_code == 403 and not CalendarDay.objects.exists()
    client.force_login(city_admin)
    for day in ("2030-05-01", "2030-05-02", "2030-05-03"):
        assert client.post(reverse("complaints:calendar"), {"date": day, "name": "劳动节"}).status_code == 302
    after, _ = file_complaint(county)
    assert after.accept_due == D(2030, 5, 7)  # 30 April, then 6 and 7 May
    before.refresh_from_db()
    assert before.accept_due == D(2030, 5, 2)  # a deadline once set does not move
    assert services.due_after(D(2030, 4, 29), 3) == D(2030, 5, 7)


@pytest.mark.django_db
def test_a_day_is_registered_once(client, city_admin):
    client.force_login(city_admin)
    client.post(reverse("complaints:calendar"), {"date": "2030-05-01", "name": "劳动节"})
    response = client.post(reverse("complaints:calendar"), {"date": "2030-05-01", "name": "劳动节"})
    assert response.status_code == 400 and "该日期已登记" in response.content.decode()
    assert CalendarDay.objects.count() == 1
