"""Chinese working days: Monday to Friday, except the public holidays, plus the weekend days worked (调休).

Pure functions (no Django): the calendar's exceptions come in as a mapping date → is_workday. The default
exceptions are the State Council's statutory holidays and 调休 working days as the maintained ``chinesecalendar``
package knows them (``statutory_exceptions``); the city's own calendar entries go on top of them (services). A
year the package does not cover yet counts Monday–Friday (``is_covered`` tells which, for the dashboard's flag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar


def is_covered(year: int) -> bool:
    """Whether the package knows the statutory holidays of ``year`` (it raises NotImplementedError otherwise)."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def statutory_exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """The package's exceptions to Monday–Friday from ``start`` to ``end`` (both included): holidays on a weekday
    (False) and weekend days worked (True). Days of a year it does not cover are left out (Monday–Friday)."""
    exceptions: dict[dt.date, bool] = {}
    covered: dict[int, bool] = {}
    day = start
    while day <= end:
        if covered.setdefault(day.year, is_covered(day.year)):
            workday = chinese_calendar.is_workday(day)
            if workday != (day.weekday() < 5):
                exceptions[day] = workday
        day += dt.timedelta(days=1)
    return exceptions


def is_workday(day: dt.date, exceptions: Mapping[dt.date, bool]) -> bool:
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start: dt.date, days: int, exceptions: Mapping[dt.date, bool]) -> dt.date:
    """The ``days``-th working day after ``start`` (the day of receipt itself does not count).

    Received on Friday with 3 working days: Monday, Tuesday, Wednesday → due Wednesday. A holiday week pushes
    the deadline past it; a 调休 Saturday counts as a working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_workday(day, exceptions):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date, exceptions: Mapping[dt.date, bool]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, exceptions):
            count += 1
    return count
