"""规定办理时限 (seed 001 二(六)2: "明确专人负责，规范办理程序，规定办理时限"): the 受理 (3) and 办结 (15) working-day
deadlines count China's statutory holidays and 调休 working days from the maintained calendar (``chinesecalendar``),
with the city's own entries on top; a year the calendar does not cover counts Monday–Friday and is flagged to the
city before it starts."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints import services, workdays
from complaints.models import CalendarDay
from tests.complaints.factories import file_complaint
from tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date
UNCOVERED_2027 = "2027年法定节假日安排尚未收录，投诉办理期限按周一至周五计算，请录入本市节假日安排"


def _panel(client, user):
    client.force_login(user)
    panels = client.get(reverse("dashboard")).context["panels"]
    return next(p["ctx"] for p in panels if p["key"] == "complaints")


def test_guoqing_2026_filed_30_september_is_due_on_the_tiaoxiu_saturday_10_october(clock, county):
    """国庆 2026: 1–7 October off, Saturday 10 October worked. Filed Wednesday 30 September, 受理 in 3 working days:
    8 October, 9 October, and the 调休 Saturday 10 October — not Monday 5 October as Monday–Friday would say."""
    assert not CalendarDay.objects.exists()  # the maintained calendar alone, no city entry
    clock.move_to(at(2026, 9, 30, 10))
    complaint, _ = file_complaint(county)
    assert complaint.accept_due == D(2026, 10, 10)
    assert workdays.add_working_days(D(2026, 9, 30), 3, {}) == D(2026, 10, 5)  # what Monday–Friday would give


def test_guoqing_2026_banjie_in_15_working_days_skips_the_holiday_week(clock, county, county_user):
    """办结 in 15 working days from acceptance on 30 September 2026: 8, 9, 10 (调休), 12–16, 19–23, 26, 27 October."""
    clock.move_to(at(2026, 9, 30, 10))
    complaint, _ = file_complaint(county)
    complaint = services.accept(complaint, user=county_user)
    assert complaint.close_due == D(2026, 10, 27)


def test_chunjie_2026_filed_13_february_counts_saturday_14_and_skips_16_to_23(clock, county):
    """春节 2026: 16–23 February off (with the weekend), Saturday 14 and Saturday 28 February worked. Filed Friday
    13 February: the 调休 Saturday 14, then Tuesday 24 and Wednesday 25 February."""
    clock.move_to(at(2026, 2, 13, 10))
    complaint, _ = file_complaint(county)
    assert complaint.accept_due == D(2026, 2, 25)


def test_the_citys_own_entry_wins_over_the_statutory_calendar(clock, county):
    """The city marks the 调休 Saturday 10 October 2026 as a day off, and Monday 5 October (a statutory holiday) as
    worked: its entries win."""
    CalendarDay.objects.create(date=D(2026, 10, 10), is_workday=False, name="本市调整")
    CalendarDay.objects.create(date=D(2026, 10, 5), is_workday=True, name="本市调整上班")
    assert services.due_after(D(2026, 9, 30), 3) == D(2026, 10, 9)  # 5, 8, 9 October


def test_chunjie_2027_not_yet_in_the_calendar_counts_monday_to_friday(clock, county):
    """春节 2027 (6 February) is not in the calendar yet (the package covers to 2026): filed Thursday 4 February
    2027, 受理 counts Monday–Friday (5, 8, 9 February) until the city enters its holidays, whose entries then
    count."""
    assert not workdays.is_covered(2027)
    clock.move_to(at(2027, 2, 4, 10))
    before, _ = file_complaint(county)
    assert before.accept_due == D(2027, 2, 9)
    for day in range(5, 12):
        CalendarDay.objects.get_or_create(date=D(2027, 2, day), defaults={"name": "春节"})
    after, _ = file_complaint(county)
    assert after.accept_due == D(2027, 2, 16)  # 12, 15, 16 February


def test_2027_uncovered_is_flagged_to_the_city_from_1_december_2026(client, clock, county_user, city_admin):
    """From 1 December 2026 the city's dashboard says: "2027年法定节假日安排尚未收录，投诉办理期限按周一至周五计算，
    请录入本市节假日安排"; not on 30 November, not to a county, and no longer once the city entered a 2027 day."""
    clock.move_to(at(2026, 11, 30, 10))
    assert _panel(client, city_admin)["uncovered_years"] == []
    clock.move_to(at(2026, 12, 1, 10))
    assert services.uncovered_years(D(2026, 12, 1)) == [2027]
    ctx = _panel(client, city_admin)
    assert [m.rstrip("。") for m in ctx["uncovered_years"]] == [UNCOVERED_2027]
    assert UNCOVERED_2027 in client.get(reverse("dashboard")).content.decode()
    assert _panel(client, county_user)["uncovered_years"] == []
    CalendarDay.objects.create(date=D(2027, 1, 1), name="元旦")
    assert _panel(client, city_admin)["uncovered_years"] == []


def test_a_year_already_running_without_the_calendar_is_flagged_too(clock):
    """2030 (neither in the package nor entered by the city) is flagged all year, not only in December 2029."""
    assert services.uncovered_years(D(2030, 6, 1)) == [2030]
    assert services.uncovered_years(D(2026, 6, 1)) == []


def test_the_calendar_page_says_which_years_the_statutory_calendar_covers(client, city_admin):
    client.force_login(city_admin)
    html = client.get(reverse("complaints:calendar") + "?year=2027").content.decode()
    assert "2027年尚未收录，按周一至周五计算" in html
    html = client.get(reverse("complaints:calendar") + "?year=2026").content.decode()
    assert "已收录2026年" in html
