"""The A1 rubric item's fact: a notice's outcome as of a month's end, the county's monthly fact, and the city's
override of it (``set_a1_override``)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts import roles
from assessment.models import AuditEntry, Submission
from assessment.services import audit
from core.validators import check_lengths
from inspections.choices import A1_PASSING, A1Outcome
from inspections.models import (
    A1Override,
    RectificationNotice,
)
from inspections.services import local_today, rescore_a1
from inspections.states import a1_outcome

# --- the A1 fact ----------------------------------------------------------------------------------
# The groups and their labels live next to the notice's states (``inspections.choices``); these names stay for
# the callers (bulletin, 诚信档案, views).
ON_TIME, LATE, PENALISED, OVERDUE, NOT_DUE = (
    A1Outcome.ON_TIME,
    A1Outcome.LATE,
    A1Outcome.PENALISED,
    A1Outcome.OVERDUE,
    A1Outcome.NOT_DUE,
)
OUTCOME_LABELS = dict(A1Outcome.choices)
PASSING = A1_PASSING


def outcome(notice: RectificationNotice, as_of: dt.date) -> A1Outcome:
    """How one notice stands for A1 on ``as_of`` (a month's end, or today within the month): the notice's state
    (``inspections.states``) grouped by ``A1_GROUPS``, see ``a1_fact``.

    Judged by the FIRST deadline (“问题均按时整改到位”): a notice returned for re-rectification (退回重新整改) and then
    rectified after its original deadline was not rectified 按时, whatever new deadline the return granted; while it
    is open past the original deadline it counts as not rectified (逾期未整改)."""
    return a1_outcome(notice.state(as_of), notice.first_deadline, as_of)


@dataclass
class A1Fact:
    county_id: int
    year: int
    month: int
    computed: bool
    override: A1Override | None = None
    rows: list[tuple[RectificationNotice, str]] = field(default_factory=list)

    @property
    def value(self) -> bool:
        return self.override.value if self.override is not None else self.computed

    @property
    def failing(self) -> list[tuple[RectificationNotice, str]]:
        return [(n, o) for n, o in self.rows if o not in PASSING]


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def a1_fact(county_id: int, year: int, month: int) -> A1Fact:
    """ "“双随机、一公开”检查发现的问题均按时整改到位、依法处罚" for a county and month, from the records:
    every notice of the county's projects issued by the month's end (of this year, or due this year) whose deadline
    has come by the month's end must be closed by its deadline or penalised (行政处罚 with a 文号). A notice not
    yet due is listed and counts neither way.
    The city's override (with a reason) wins over the computed value."""
    end = month_end(year, month)
    notices = list(
        RectificationNotice.objects.filter(finding__inspection__project__county_id=county_id, issued_on__lte=end)
        .filter(Q(deadline__year=year) | Q(issued_on__year=year))
        .select_related("finding__inspection__project", "finding__participant__enterprise")
        .order_by("deadline", "pk")
    )
    as_of = min(end, local_today())  # during the month, a deadline still to come is not yet missed
    rows = [(n, outcome(n, as_of)) for n in notices]
    override = A1Override.objects.filter(county_id=county_id, year=year, month=month).first()
    return A1Fact(county_id, year, month, all(o in PASSING for _, o in rows), override, rows)


@transaction.atomic
def set_a1_override(county, year: int, month: int, *, user, value: bool | None, reason: str) -> A1Override | None:
    """The city overrides (or, with ``value=None``, clears its override of) the computed A1 fact; audited."""
    roles.require(roles.is_city_admin(user), "只有市局可以认定A1项。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写认定理由。"})
    check_lengths(A1Override, {"reason": reason})
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": "月份应为1-12。"})
    before = a1_fact(county.pk, year, month)
    existing = before.override
    if value is None:
        if existing is not None:
            existing.delete()
        override = None
    else:
        override, _ = A1Override.objects.update_or_create(
            county=county,
            year=year,
            month=month,
            defaults={"value": bool(value), "reason": reason, "set_by": user},
        )
    after_value = override.value if override else before.computed

    submission = Submission.objects.filter(county=county, year=year, month=month).first()
    audit(
        submission,
        user,
        AuditEntry.Kind.FIGURE,
        "A1“双随机、一公开”问题整改（市局认定）" if value is not None else "A1 取消市局认定，恢复按检查记录计算",
        before.value,
        after_value,
        reason,
        county=county,
        year=year,
        month=month,
    )
    rescore_a1(county.pk, year)
    return override
