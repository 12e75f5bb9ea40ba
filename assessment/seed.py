"""Reference data (the 2023 rubric and annual targets) and demo data: submissions of the whole previous year
(published) and of the current year up to this month, relative to ``core.seeding.demo_today()``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Region, User
from assessment import services, years
from assessment.choices import Status
from assessment.models import AnnualTarget, Rubric, RubricGroup, RubricItem, Submission
from assessment.rubric2023 import RUBRIC_2023, TARGETS_2023
from core.decimals import cut2
from core.seeding import demo_today

SHANGHAI = ZoneInfo("Asia/Shanghai")


def seed_rubric(year: int = 2023, definition=RUBRIC_2023) -> Rubric:
    rubric, _ = Rubric.objects.get_or_create(year=year, version=1)
    if rubric.is_frozen:
        return rubric
    order = 0
    for g_order, (category, name, gmax, items) in enumerate(definition, start=1):
        group, _ = RubricGroup.objects.update_or_create(
            rubric=rubric, category=category, name=name, defaults={"max_points": Decimal(gmax), "order": g_order}
        )
        for code, content, standard, maximum, kind, params in items:
            order += 1
            RubricItem.objects.update_or_create(
                rubric=rubric,
                code=code,
                defaults={
                    "group": group,
                    "content": content,
                    "standard": standard,
                    "max_points": Decimal(maximum),
                    "kind": str(kind),
                    "params": params,
                    "order": order,
                },
            )
    return rubric


def seed_targets(year: int = 2023, table=TARGETS_2023) -> None:
    for county in Region.objects.filter(level=Region.Level.COUNTY, name__in=table, parent__code="140500"):
        residential, public, prefab, green, innovation, sci_tech = table[county.name]
        AnnualTarget.objects.update_or_create(
            county=county,
            year=year,
            defaults={
                "retrofit_residential_area": Decimal(residential),
                "retrofit_public_area": Decimal(public),
                "prefab_ratio": Decimal(prefab) if prefab is not None else None,
                "green_ratio": Decimal(green),
                "innovation_projects": innovation,
                "sci_tech_registrations": sci_tech,
            },
        )


def seed_reference(out) -> None:
    seed_rubric()
    seed_targets()
    out.write("考评：2023年赋分表（18项，100分）与各县年度目标任务已就绪。")


# --- demo -------------------------------------------------------------------------------------------
# Year-to-date figures at June (万m²): new, renewable, residential retrofit, public retrofit, green accepted,
# star-rated, prefab. 高平市's June is the worked example of the issue (73.53, +1 → 74.53).
JUNE_FIGURES = {
    "城区": ("42.00", "22.10", "5.60", "0", "35.20", "13.00", "11.30"),
    "开发区": ("25.00", "9.80", "0", "0", "17.50", "4.10", "6.90"),
    "泽州县": ("18.40", "6.20", "0", "0", "12.10", "5.90", "3.60"),
    "高平市": ("30.00", "12.34", "3.50", "1.00", "21.50", "8.00", "7.80"),
    "阳城县": ("21.30", "11.00", "4.10", "0", "16.90", "7.20", "4.40"),
    "陵川县": ("9.60", "3.10", "1.20", "1.60", "6.00", "1.50", "2.10"),
    "沁水县": ("11.20", "5.80", "2.30", "0", "8.20", "2.80", "2.50"),
}
WEAK_FACTS = {
    "开发区": ("star_design_filed",),
    "泽州县": ("bim_met",),
    "陵川县": ("no_unrectified_findings", "rd_ledger_submitted"),
    "沁水县": ("green_standard_all",),
}
LATE_COUNTY, MISSING_COUNTY, RETURNED_COUNTY = "陵川县", "沁水县", "阳城县"
# (county, month of the previous year, points, reason)
ADJUSTMENTS = [
    ("高平市", 6, "1", "创新性工作：率先出台既有建筑改造奖补细则"),
]
# Seed 002 附件1 四 "正式文件最迟于当月28日前报送。未按时报送的，当月（季）行政绩效减分": 阳城县's April originals of the
# previous year arrived on the 30th; the reviewer confirmed the proposed deduction (-0.5).
PAPER_LATE = ("阳城县", 4, 30)
DEADLINE_DAY = 20
# 无印证材料的不计分 (seed 002 附件1 四): in May of the previous year 开发区 sent no 印证材料 for A2 (its retrofit
# projects in the reserve list), so A2 scores 0 that month (2 points less) and the detail page says why; every other
# item of every county and month has its file.
NO_EVIDENCE = ("开发区", 5, "A2")
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _figures(county: str, month: int) -> dict[str, Decimal]:
    values = [Decimal(v) for v in JUNE_FIGURES[county]]
    keys = Submission.FIGURE_FIELDS
    order = (
        "new_building_area",
        "renewable_area",
        "retrofit_residential_area",
        "retrofit_public_area",
        "green_area_accepted",
        "green_area_star_rated",
        "prefab_area",
    )
    assert set(order) == set(keys)
    return {key: cut2(value * month / 6) for key, value in zip(order, values, strict=True)}


def _facts(county: str, month: int) -> dict[str, bool]:
    facts = dict.fromkeys(Submission.FACT_FIELDS, True)
    for key in WEAK_FACTS.get(county, ()):
        facts[key] = False
    facts["sci_tech_met"] = month >= 8 and county in ("城区", "阳城县")
    return facts


def _counts(county: str, month: int, index: int) -> dict[str, int]:
    return {
        "green_label_one_star": 1 if month >= 4 and index % 2 == 0 else 0,
        "green_label_two_star": 1 if month >= 5 and county in ("高平市", "城区", "阳城县") else 0,
        "green_label_three_star": 1 if month >= 9 and county == "城区" else 0,
        "green_material_certifications": 1 if month >= 7 and index % 3 == 0 else 0,
        "green_material_pilots": 1 if month >= 3 and index % 2 == 1 else 0,
        "innovation_projects": 1 if month >= 9 and county == "城区" else 0,
    }


def _report(county: str, month: int) -> dict[str, str]:
    return {
        "report_tasks": f"{county}截至{month}月各项目标任务按序时推进，累计完成情况见附表。",
        "report_progress": "召开建筑节能与绿色建筑推进会，督促在建项目落实绿色建筑和装配式要求。",
        "report_problems": "部分项目装配式比例偏低，下一步加强设计方案审查和施工过程监管。",
        "report_other": "",
    }


@dataclass(frozen=True)
class DemoPlan:
    """Which months the demo holds and what happens to each, for a given day (see README)."""

    today: dt.date
    previous_year: int
    year: int
    late: tuple[int, int]  # (year, month) 陵川县 sent on the 22nd: scores 0
    missing: tuple[int, int]  # (year, month) 沁水县 never sent
    returned: tuple[int, int]  # (year, month) 阳城县 returned by the city

    @classmethod
    def for_day(cls, today: dt.date) -> DemoPlan:
        year, month = today.year, today.month
        late = (year, 1) if month >= 2 else (year - 1, 12)
        missing = (year, min(2, month - 1)) if month >= 2 else (year - 1, 11)
        returned = (year, month - 1) if month >= 2 else (year, month)
        return cls(today, year - 1, year, late, missing, returned)

    def months(self) -> list[tuple[int, int]]:
        return [(self.previous_year, m) for m in range(1, 13)] + [
            (self.year, m) for m in range(1, self.today.month + 1)
        ]

    def is_closed(self, year: int, month: int) -> bool:
        return dt.date(year, month, DEADLINE_DAY) < self.today

    def fate(self, county: str, index: int, year: int, month: int) -> str:
        """none | draft | submitted | returned | approved | published for one county and month."""
        if county == MISSING_COUNTY and (year, month) == self.missing:
            return "none"
        if county == RETURNED_COUNTY and (year, month) == self.returned:
            return "returned"
        current = (year, month) == (self.year, self.today.month)
        if current and not self.is_closed(year, month):  # open month, before its deadline
            return "submitted" if index < 3 else ("draft" if index < 5 else "none")
        if current:  # the deadline of this month has passed: one county still has a draft (overdue)
            return "draft" if county == LATE_COUNTY else "submitted"
        last_closed = (year, month) == (self.year, self.today.month - 1)
        if last_closed:  # the review queue
            return "approved" if index < 4 else "submitted"
        return "published"

    def sent_at(self, county: str, index: int, year: int, month: int) -> dt.datetime:
        if county == LATE_COUNTY and (year, month) == self.late:
            return dt.datetime(year, month, DEADLINE_DAY + 2, 16, 30, tzinfo=SHANGHAI)
        if (year, month) == (self.year, self.today.month):
            day = min(self.today.day, DEADLINE_DAY)
            at = dt.datetime(year, month, day, 8, 30, tzinfo=SHANGHAI) + dt.timedelta(minutes=10 * index)
            return min(at, timezone.now())
        return dt.datetime(year, month, min(10 + index, DEADLINE_DAY), 16, 30, tzinfo=SHANGHAI)


def ensure_demo_years(plan: DemoPlan, city) -> None:
    """Rubric and targets of both demo years: copies of the 2023 reference (the rollover service)."""
    if not years.is_set_up(plan.previous_year):
        years.start_year(plan.previous_year, user=city, source_year=2023, note="演示数据")
    if not years.is_set_up(plan.year):
        years.start_year(plan.year, user=city, source_year=plan.previous_year, note="演示数据")


def seed_demo(out) -> None:
    plan = DemoPlan.for_day(demo_today())
    if Submission.objects.filter(year__in=(plan.previous_year, plan.year)).exists():
        out.write(f"考评：{plan.previous_year}—{plan.year}年演示报送已存在，跳过。")
        return
    city = User.objects.filter(username="city").first() or User.objects.filter(role="city_admin").first()
    counties = list(Region.objects.filter(level=Region.Level.COUNTY, parent__code="140500").order_by("order"))
    staff = {u.region_id: u for u in User.objects.filter(role="county_staff").order_by("username")}
    if city is None or not counties:
        out.write("考评：缺少演示用户或区域，跳过演示报送。")
        return
    ensure_demo_years(plan, city)
    adjustments = {(c, plan.previous_year, m): (p, r) for c, m, p, r in ADJUSTMENTS}
    evidence_codes: list[str] = []
    evidence_rubric = None
    for year, month in plan.months():
        for index, county in enumerate(counties):
            user = staff.get(county.pk)
            fate = plan.fate(county.name, index, year, month)
            if user is None or fate == "none":
                continue
            sub = services.get_or_create_submission(county, year, month, user=user)
            if not evidence_codes or sub.rubric_id != evidence_rubric:
                evidence_rubric = sub.rubric_id
                evidence_codes = list(sub.rubric.items.filter(requires_evidence=True).values_list("code", flat=True))
            # 印证材料 for every item (无印证材料的不计分) — but one county forgets one (NO_EVIDENCE): not scored
            gap = (county.name, month, year) == (NO_EVIDENCE[0], NO_EVIDENCE[1], plan.previous_year)
            codes = [c for c in evidence_codes if not (gap and c == NO_EVIDENCE[2])]
            services.upload_evidence_set(
                sub, [(c, ContentFile(DEMO_PDF, name=f"{c}印证材料-{month}月.pdf")) for c in codes], user=user
            )
            data = {**_figures(county.name, month), **_facts(county.name, month), **_counts(county.name, month, index)}
            data.update(_report(county.name, month))
            services.update_submission(sub, data, user=user)
            sub.refresh_from_db()
            services.update_submission(sub, {"self_score": sub.items_total}, user=user)
            if fate == "draft":
                continue
            services.submit(sub, user=user, now=plan.sent_at(county.name, index, year, month))
            if (county.name, year, month) in adjustments:
                points, reason = adjustments[(county.name, year, month)]
                services.add_adjustment(sub, user=city, points=Decimal(points), reason=reason)
            paper_late = (county.name, month, year) == (PAPER_LATE[0], PAPER_LATE[1], plan.previous_year)
            if paper_late:
                late_day = dt.date(year, month, PAPER_LATE[2])
                services.record_paper_received(sub, user=city, received_on=late_day)
                services.confirm_paper_deduction(sub, user=city)
            if fate == "returned":
                services.return_submission(sub, user=city, comments={"D1": "装配式建筑面积与项目月报不一致，请核实。"})
                continue
            if fate in ("approved", "published"):
                services.approve(sub, user=city)
            if fate == "published":
                services.publish(sub, user=city)
                if not paper_late:
                    services.record_paper_received(sub, user=city, received_on=dt.date(year, month, 25))
    _date_the_decisions(plan)
    published = Submission.objects.filter(year__in=(plan.previous_year, plan.year), status=Status.PUBLISHED).count()
    out.write(
        f"考评：已生成{plan.previous_year}年1-12月和{plan.year}年"
        f"{'1-' if plan.today.month > 1 else ''}{plan.today.month}月演示报送"
        f"（其中已发布{published}份，含逾期、未报送、退回和行政绩效加减分）。"
    )


def _date_the_decisions(plan: DemoPlan) -> None:
    """Demo data only: the city's decisions carry the dates they would have had (the services stamp now)."""
    for sub in Submission.objects.filter(year__in=(plan.previous_year, plan.year), approved_at__isnull=False):
        approved = dt.datetime(sub.year, sub.month, 23, 10, 0, tzinfo=SHANGHAI)
        published = dt.datetime(sub.year, sub.month, 28, 10, 0, tzinfo=SHANGHAI) if sub.published_at else None
        Submission.objects.filter(pk=sub.pk).update(approved_at=approved, published_at=published)
    for rubric in Rubric.objects.filter(year__in=(plan.previous_year, plan.year), frozen_at__isnull=False):
        first = rubric.submissions.filter(published_at__isnull=False).order_by("published_at").first()
        if first is not None:
            Rubric.objects.filter(pk=rubric.pk).update(frozen_at=first.published_at)
