"""Award catalogue (reference) and demo awards, 丹河杯 and bonuses (demo). Both idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts.models import User
from awards import services
from awards.choices import AwardLevel
from awards.models import CATALOGUE_START, Award, AwardRecord, AwardValue, DanheSelection, DesignBonus, SavingsBonus
from core.seeding import demo_years
from projects.choices import GENERAL_CONTRACTOR_ROLES
from projects.models import Project

# Seed 000 §六(一): (code, name, full name, level, points to the general contractor, bonus 万元)
CATALOGUE = [
    ("luban", "鲁班奖", "中国建设工程鲁班奖（国家优质工程）", AwardLevel.NATIONAL, 10, 50),
    ("guoyou", "国优奖", "国家优质工程奖", AwardLevel.NATIONAL, 8, 50),
    ("guoyou_single", "国优单项奖", "国家优质工程单项奖", AwardLevel.NATIONAL, 5, 50),
    ("fenshui", "汾水杯", "山西省建设工程汾水杯奖", AwardLevel.PROVINCIAL, 7, 20),
    ("shengyou", "省优奖", "山西省优质工程奖", AwardLevel.PROVINCIAL, 5, 20),
    ("shengyou_single", "省优单项奖", "山西省优质工程单项奖", AwardLevel.PROVINCIAL, 3, 20),
    ("jueshan", "珏山杯", "晋城市建设工程珏山杯奖", AwardLevel.CITY, 3, 10),
    ("shiyou", "市优奖", "晋城市优质工程奖", AwardLevel.CITY, 2, 10),
    ("danhe", "丹河杯", "丹河杯（县级优质工程奖）", AwardLevel.COUNTY, 2, 10),
]
BASIS = "泽州县精品工程实施方案 六（一）"


def seed_reference(out) -> None:
    for order, (code, name, full_name, level, points, bonus) in enumerate(CATALOGUE, start=1):
        award, _ = Award.objects.update_or_create(
            code=code, defaults={"name": name, "full_name": full_name, "level": level, "order": order}
        )
        AwardValue.objects.get_or_create(
            award=award,
            effective_from=CATALOGUE_START,
            defaults={"points": Decimal(points), "bonus_wan": Decimal(bonus), "basis": BASIS},
        )


def seed_demo(out) -> None:
    """Award records of the three years up to the previous one, a confirmed 丹河杯 of one county in the previous
    year, a few bonuses — on the demo projects. The plan below is written for 2021–2023 and moved so that its
    last year is the demo's previous year."""
    previous_year, _ = demo_years()
    offset = previous_year - 2023

    def moved(day: dt.date) -> dt.date:
        return day.replace(year=day.year + offset)

    admin = User.objects.filter(role=User.Role.CITY_ADMIN).order_by("pk").first()
    if admin is None or not Project.objects.exists():
        return
    if AwardRecord.objects.exists() or SavingsBonus.objects.exists():
        return  # already seeded

    def awardable(qs):
        return (
            qs.filter(participants__role__in=GENERAL_CONTRACTOR_ROLES)
            .filter(participants__role="builder")
            .distinct()
            .order_by("code")
        )

    def grant(project, code, year, grant_date, document_no):
        try:
            services.grant_award(
                user=admin,
                project=project,
                award=Award.objects.get(code=code),
                year=year,
                grant_date=grant_date,
                document_no=document_no,
            )
            return True
        except ValidationError:
            return False  # a project with two general contractors etc.: skip it in the demo

    # National/provincial/city awards: 2021 awards were commended after the catalogue took effect.
    plan = [
        ("luban", 2021, dt.date(2022, 6, 20), "建协〔2022〕18号"),
        ("fenshui", 2021, dt.date(2022, 7, 15), "晋建协〔2022〕41号"),
        ("jueshan", 2021, dt.date(2022, 8, 1), "晋市建〔2022〕63号"),
        ("guoyou", 2022, dt.date(2022, 12, 10), "中施企协〔2022〕77号"),
        ("shengyou", 2022, dt.date(2022, 11, 28), "晋建质〔2022〕112号"),
        ("shiyou", 2022, dt.date(2022, 12, 5), "晋市建〔2022〕118号"),
        ("shengyou_single", 2022, dt.date(2022, 12, 20), "晋建质〔2022〕125号"),
        ("luban", 2023, dt.date(2023, 11, 30), "建协〔2023〕29号"),
        ("guoyou_single", 2023, dt.date(2023, 12, 8), "中施企协〔2023〕85号"),
        ("fenshui", 2023, dt.date(2023, 10, 20), "晋建协〔2023〕52号"),
        ("jueshan", 2023, dt.date(2023, 9, 15), "晋市建〔2023〕71号"),
        ("shiyou", 2023, dt.date(2023, 12, 12), "晋市建〔2023〕102号"),
    ]
    projects = list(awardable(Project.objects.all()))
    granted = 0
    used: set[int] = set()
    for index, (code, year, grant_date, doc) in enumerate(plan):
        start = (index * 5) % max(len(projects), 1)
        rotated = projects[start:] + projects[:start]
        # prefer projects registered by the award year; the demo registry may start later than 2021
        # spread the awards: projects without one first, then those registered by the award year
        year, grant_date = year + offset, moved(grant_date)
        doc = doc.replace(f"〔{grant_date.year - offset}〕", f"〔{grant_date.year}〕")
        for project in sorted(rotated, key=lambda p: (p.pk in used, p.year > year)):
            if grant(project, code, year, grant_date, doc):
                used.add(project.pk)
                granted += 1
                break

    # 丹河杯 of the previous year: the county with the most passed projects.
    passed = Project.objects.filter(jingpin_status__in=services.PASSED_STATUSES)
    county_ids = list(passed.values_list("county_id", flat=True))
    if county_ids:
        county_id = max(set(county_ids), key=county_ids.count)
        county = Project.objects.filter(county_id=county_id).first().county
        if not DanheSelection.objects.filter(county=county, year=previous_year).exists():
            try:
                selection = services.start_danhe_selection(user=admin, county=county, year=previous_year)
                candidates = sorted(
                    selection.candidates.select_related("project"), key=lambda c: not _awardable(c.project)
                )
                entries = {
                    c.pk: services.CandidateEntry(score=Decimal("95.50") - Decimal(i) * Decimal("1.75"))
                    for i, c in enumerate(candidates)
                }
                ok = [c for c in candidates if _awardable(c.project)]
                winners = max(1, min(2, len(ok)))
                services.update_danhe_selection(
                    user=admin, selection=selection, method="score", winners_count=winners, entries=entries
                )
                services.confirm_danhe_selection(
                    user=admin,
                    selection=selection,
                    grant_date=dt.date(previous_year, 12, 26),
                    document_no=f"县住建〔{previous_year}〕90号",
                )
            except ValidationError as exc:
                out.write(f"  丹河杯演示评选未确认：{'；'.join(exc.messages)}")

    # A few bonuses (seed 000 六(一)3): 监理单位 5 %, 工程总承包单位 (EPC) 30 % — a project of each kind's unit.
    saved = 0
    bonuses = [
        ("supervisor", "铝模板早拆体系", "1234567.89"),
        ("epc", "BIM管线综合优化", "856000.00"),
        ("supervisor", "装配式支吊架", "432100.50"),
    ]
    used: set[int] = set()
    for kind, measure, amount in bonuses:
        for project in awardable(Project.objects.filter(participants__role=kind).exclude(pk__in=used)):
            try:
                services.confirm_savings_bonus(
                    user=admin,
                    project=project,
                    proposer_kind=kind,
                    measure=measure,
                    amount_saved=amount,
                    confirmed_on=dt.date(previous_year, 6 + saved, 18),
                )
            except ValidationError:
                continue
            used.add(project.pk)
            saved += 1
            break
    designs = 0
    for project in Project.objects.filter(participants__role="design").filter(participants__role="builder").distinct():
        if designs >= 3:
            break
        figures = [
            ("10000000.00", "9650000.00", "300000.00"),
            ("48600000.00", "46170000.00", "1120000.00"),
            ("23500000.00", "23800000.00", "560000.00"),
        ][designs]
        try:
            services.record_design_bonus(
                user=admin,
                project=project,
                approved_estimate=figures[0],
                drawing_budget=figures[1],
                base_design_fee=figures[2],
                confirmed_on=dt.date(previous_year, 4 + designs, 10),
            )
            designs += 1
        except ValidationError:
            continue
    out.write(
        f"  奖励：{AwardRecord.objects.count()} 条奖励记录，{SavingsBonus.objects.count()} 条节约奖励，"
        f"{DesignBonus.objects.count()} 条设计优化奖励"
    )


def _awardable(project) -> bool:
    """One general contractor and one 建设单位: the records can be created without a choice."""
    participants = project.participants.all()
    contractors = participants.filter(role__in=GENERAL_CONTRACTOR_ROLES).values("enterprise").distinct().count()
    builders = participants.filter(role="builder").values("enterprise").distinct().count()
    return contractors == 1 and builders == 1
