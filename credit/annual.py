"""The credit record of one year, as the annual report shows it (诚信体系建设, ``reports.generators.annual``).

* The grades at year end are what the record showed on 12-31 (the score history ``CreditScore``: each enterprise's
  latest row on or before that day), not a recomputation with what is known now; an enterprise with a credit
  standing but no row by then had no entry yet and counts at the base grade of the rule of that day (B).
* The entries of the year are those dated in it (认定日期), by behaviour: how many, how many of them were withdrawn
  on appeal, and the points of the others.
* The 黑名单 at year end: grade D, or a 严重 entry in force (``scoring.on_blacklist``), by the same history rows;
  its reasons are the bad entries in force on that day that the record held by then, with their 文号.
* Appeals: those submitted in the year, by their status now.

A constant number of queries whatever the number of enterprises or entries (the bench measures the report).
Enterprises appear by name and 统一社会信用代码 only: no personal data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from core.decimals import half_up2
from credit import scoring
from credit.choices import GOOD_BEHAVIOURS, AppealStatus, Behaviour, Grade, Polarity, Severity
from credit.models import CreditAppeal, CreditEntry, CreditScore, CreditStanding
from credit.services import current_rule

ZERO = Decimal("0.00")


@dataclass
class GradeRow:
    grade: str
    label: str
    count: int
    without_row: int = 0  # of which: no score row by the day (base grade)
    percent: Decimal | None = None


@dataclass
class BehaviourRow:
    behaviour: str
    label: str
    polarity_label: str
    count: int = 0
    withdrawn: int = 0
    points: Decimal = ZERO  # the entries not withdrawn
    subtotal: bool = False


@dataclass
class BlacklistRow:
    name: str
    credit_code: str
    score: Decimal
    grade: str
    causes: str  # 信用等级D（74.00分）；有严重不良记录在有效期内
    entries: list[CreditEntry] = field(default_factory=list)  # the bad entries in force that put it there

    @property
    def reasons(self) -> list[str]:
        return [reason(e) for e in self.entries]

    @property
    def reasons_text(self) -> str:
        return "；".join(self.reasons)


@dataclass
class AppealRow:
    status: str
    label: str
    count: int


def _start_of(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day`` (what the record held *by* a day was created before the next one's)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def year_end_scores(day: dt.date):
    """Each enterprise's score row in force on ``day`` (its latest row on or before it): one row per enterprise
    with any row by then. A queryset, so counting and filtering it stays one query each."""
    latest = (
        CreditScore.objects.filter(enterprise_id=OuterRef("enterprise_id"), as_of__lte=day)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    return CreditScore.objects.filter(as_of__lte=day, as_of=Subquery(latest))


def grade_distribution(day: dt.date, rule: scoring.Rule) -> tuple[list[GradeRow], int]:
    """A/B/C/D on ``day`` of the enterprises with a credit standing; those without a score row by then count at
    the base grade of ``rule`` (the rule of that day). Returns (rows in grade order, enterprises counted). Two
    queries."""
    base_grade = scoring.grade(rule.base, rule)
    counts = dict(year_end_scores(day).order_by().values_list("grade").annotate(n=Count("pk")))
    without_row = (
        CreditStanding.objects.filter(
            ~Exists(CreditScore.objects.filter(enterprise_id=OuterRef("enterprise_id"), as_of__lte=day))
        )
        .order_by()
        .count()
    )
    total = sum(counts.values()) + without_row
    rows = []
    for grade in Grade:
        extra = without_row if grade == base_grade else 0
        count = counts.get(grade.value, 0) + extra
        percent = half_up2(Decimal(count) * 100 / total) if total else None
        rows.append(GradeRow(grade.value, grade.label, count, extra, percent))
    return rows, total


def behaviour_summary(start: dt.date, end: dt.date) -> list[BehaviourRow]:
    """Entries dated ``start``..``end`` by behaviour (every behaviour, good first, with a subtotal after each
    polarity): count, withdrawn on appeal, points of the others. One query."""
    found = {
        r["behaviour"]: r
        for r in CreditEntry.objects.filter(occurred_on__range=(start, end))
        .order_by()
        .values("behaviour")
        .annotate(
            n=Count("pk"),
            withdrawn=Count("pk", filter=Q(withdrawn_on__isnull=False)),
            points=Sum("points", filter=Q(withdrawn_on__isnull=True)),
        )
    }
    rows: list[BehaviourRow] = []
    for polarity, members in (
        (Polarity.GOOD, [b for b in Behaviour if b in GOOD_BEHAVIOURS]),
        (Polarity.BAD, [b for b in Behaviour if b not in GOOD_BEHAVIOURS]),
    ):
        subtotal = BehaviourRow("", f"{polarity.label}合计", polarity.label, subtotal=True)
        for behaviour in members:
            r = found.get(behaviour.value, {})
            row = BehaviourRow(
                behaviour.value,
                behaviour.label,
                polarity.label,
                count=r.get("n", 0),
                withdrawn=r.get("withdrawn", 0),
                points=half_up2(r.get("points") or ZERO),
            )
            subtotal.count += row.count
            subtotal.withdrawn += row.withdrawn
            subtotal.points += row.points
            rows.append(row)
        rows.append(subtotal)
    return rows


def penalties(start: dt.date, end: dt.date) -> list[CreditEntry]:
    """The 行政处罚 entries dated in the period, oldest first, with their enterprise. One query."""
    return list(
        CreditEntry.objects.filter(behaviour=Behaviour.PENALTY, occurred_on__range=(start, end))
        .select_related("enterprise")
        .only(
            "pk",
            "document_no",
            "occurred_on",
            "valid_until",
            "withdrawn_on",
            "title",
            "points",
            "enterprise__name",
            "enterprise__credit_code",
        )
        .order_by("occurred_on", "pk")
    )


def reason(entry: CreditEntry) -> str:
    """约束记录（严重），晋市建罚〔2025〕7号，2025-07-01至2027-06-30"""
    return (
        f"{entry.get_behaviour_display()}，{entry.document_no or '无文号'}，"
        f"{entry.occurred_on:%Y-%m-%d}至{entry.valid_until:%Y-%m-%d}"
    )


def blacklist_on(day: dt.date) -> list[BlacklistRow]:
    """The 黑名单 as the record showed it on ``day`` (grade D or a 严重 entry in force by that day's score row),
    with the bad entries in force then as the reasons (for a grade above D: the 严重 ones). Two queries."""
    listed = year_end_scores(day).filter(Q(grade=Grade.D) | Q(major_in_force=True))
    rows = list(
        listed.select_related("enterprise")
        .only("enterprise_id", "score", "grade", "major_in_force", "enterprise__name", "enterprise__credit_code")
        .order_by("score", "enterprise__name")
    )
    bad: dict[int, list[CreditEntry]] = defaultdict(list)
    for entry in (
        CreditEntry.objects.bad()
        .in_force_on(day)
        .filter(enterprise_id__in=listed.values("enterprise_id"), created_at__lt=_start_of(day + dt.timedelta(days=1)))
        .only("enterprise_id", "behaviour", "severity", "document_no", "occurred_on", "valid_until")
        .order_by("occurred_on", "pk")
    ):
        bad[entry.enterprise_id].append(entry)
    out = []
    for row in rows:
        mine = bad.get(row.enterprise_id, [])
        causes = []
        if row.grade == Grade.D:
            causes.append(f"信用等级D（{row.score}分）")
        if row.major_in_force:
            causes.append("有严重不良记录在有效期内")
        if row.grade != Grade.D:
            mine = [e for e in mine if e.severity == Severity.MAJOR] or mine
        out.append(
            BlacklistRow(
                name=row.enterprise.name,
                credit_code=row.enterprise.credit_code,
                score=row.score,
                grade=row.grade,
                causes="；".join(causes),
                entries=mine,
            )
        )
    return out


def appeals_in(start: dt.date, end: dt.date) -> list[AppealRow]:
    """Appeals submitted in the period by their status now, then the total. One query."""
    counts = dict(
        CreditAppeal.objects.filter(
            submitted_at__gte=_start_of(start), submitted_at__lt=_start_of(end + dt.timedelta(days=1))
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    rows = [AppealRow(s.value, s.label, counts.get(s.value, 0)) for s in AppealStatus]
    rows.append(AppealRow("", "合计", sum(r.count for r in rows)))
    return rows


def year_section(year: int, today: dt.date | None = None) -> dict:
    """Everything the 诚信体系建设 section prints for ``year``; its day is 12-31, or today for the current year."""
    today = today or timezone.localdate()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    day = min(end, today)
    rule_row = current_rule(day)
    rule = rule_row.to_rule()
    grades, total = grade_distribution(day, rule)
    by_behaviour = behaviour_summary(start, end)
    penalty_rows = penalties(start, end)
    for entry in penalty_rows:
        entry.state_label = entry.state_display(today)
    appeals = appeals_in(start, end)
    return {
        "year": year,
        "day": day,
        "year_complete": day == end,
        "grades": grades,
        "enterprises": total,
        "without_row": sum(r.without_row for r in grades),
        "rule_version": rule_row.version,
        "rule": rule,
        "base_grade": scoring.grade(rule.base, rule),
        "by_behaviour": by_behaviour,
        "good": next(r for r in by_behaviour if r.subtotal and r.polarity_label == Polarity.GOOD.label),
        "bad": next(r for r in by_behaviour if r.subtotal and r.polarity_label == Polarity.BAD.label),
        "penalties": penalty_rows,
        "penalties_withdrawn": sum(1 for e in penalty_rows if e.withdrawn_on),
        "appeals": appeals,
        "appeal_counts": {r.status or "total": r.count for r in appeals},
        "blacklist": blacklist_on(day),
    }
