"""Demo data of the projects app: ~60 projects across the seven counties and four categories, with
participants (some insurance missing or expired), stage histories, a few constraint records and the
monthly reports from January of the previous year up to last month (mostly accepted, so the county assessment
can pre-fill), all relative to ``core.seeding.demo_today()``.

The 精品工程 status is set directly here (demo data only): in the product only the evaluation changes it.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import Enterprise, Region, User
from accounts.seed import COUNTIES, DEMO_ENTERPRISES
from core.seeding import demo_today, demo_years
from projects.choices import STAGE_ORDER, BuildingUse, MilestoneKind, MilestoneSource, ReportStatus
from projects.models import (
    ConstraintRecord,
    GoalRule,
    MonthlyReport,
    MonthlyReportVersion,
    Participant,
    Project,
    ProjectMilestone,
    StageChange,
)
from projects.services import REPORT_DATA_FIELDS, constraint_recorded, project_registered, sync_planned_milestones

CODES = {"城区": "CQ", "开发区": "KF", "泽州县": "ZZ", "高平市": "GP", "阳城县": "YC", "陵川县": "LC", "沁水县": "QS"}

# (category, name pattern, government invested, floor area m² or length m)
CATALOGUE = {
    "building": [
        ("{c}第一中学教学综合楼", True, 18500),
        ("{c}人民医院门诊医技综合楼", True, 42600),
        ("{c}保障性租赁住房项目", True, 56800),
        ("{c}文化艺术中心", True, 23400),
        ("{c}全民健身中心", True, 16800),
        ("{c}凤栖苑住宅小区（一期）", False, 98000),
        ("{c}商务中心写字楼", False, 37500),
        ("{c}职业技术学校实训楼", True, 12800),
    ],
    "municipal": [
        ("{c}环城北路改造工程", True, 4800),
        ("{c}丹河大桥新建工程", True, 620),
        ("{c}迎宾大道综合管廊工程", True, 3200),
        ("{c}工业园区道路配套工程", False, 5600),
    ],
    "habitat": [
        ("{c}老旧小区综合改造工程", True, 86000),
        ("{c}城中村人居环境综合提升工程", True, 45000),
        ("{c}背街小巷整治提升工程", True, 21000),
    ],
    "landscape": [
        ("{c}滨河公园景观绿化工程", True, 68000),
        ("{c}白马山森林公园提升工程", True, 120000),
        ("{c}街头游园绿化工程", False, 15000),
    ],
}
CATEGORY_CYCLE = ["building", "building", "municipal", "habitat", "landscape", "building", "municipal", "landscape"]
PROJECTS_PER_COUNTY = [9, 8, 8, 8, 7, 5, 15]  # 60 in all
LIBRARY_PER_COUNTY = [2, 2, 2, 1, 0, 0, 1]  # government-invested projects of the previous year put in the library

# enterprise indexes in accounts.seed.DEMO_ENTERPRISES
BUILDER_OF_COUNTY = {0: 0, 1: 6, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5}
CONTRACTORS_OF_COUNTY = {
    0: [11, 11, 10],
    1: [10, 11],
    2: [12, 10],
    3: [13, 13, 10],
    4: [14, 10],
    5: [10, 12],
    6: [10, 11],
}
EPC_OF_COUNTY = {0: [10], 1: [15, 10], 2: [10, 15], 3: [13], 4: [15], 5: [10], 6: [15, 13]}
SUPERVISORS = [16, 17, 18]
DESIGNERS = [8, 9]
SURVEYORS = [7, 8]
INSURERS = [
    "中国人民财产保险股份有限公司晋城市分公司",
    "中国平安财产保险股份有限公司山西分公司",
    "太平洋财产保险晋城中心支公司",
]
KEY_PEOPLE = ["王建国", "李志强", "张海涛", "赵文斌", "刘晓东", "陈国华", "杨立新", "郭永平", "牛俊峰", "常宏伟"]


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def seed_reference(out) -> None:
    """The projects app has no reference data of its own (its choices are code)."""


def seed_demo(out) -> None:
    if Project.objects.filter(code__startswith="JC-DEMO-").exists():
        out.write("项目库演示数据已存在，跳过。")
        return

    rng = random.Random(2023)
    today = demo_today()
    previous_year, _ = demo_years(today)
    counties = list(Region.objects.filter(level=Region.Level.COUNTY, parent__code="140500").order_by("order"))
    by_name = {e.name: e for e in Enterprise.objects.all()}
    enterprises = [by_name[name] for name, _, _ in DEMO_ENTERPRISES]
    admin = User.objects.filter(username="admin").first()
    county_staff = {u.region_id: u for u in User.objects.filter(role=User.Role.COUNTY_STAFF)}
    unit_user_of = {u.enterprise_id: u for u in User.objects.filter(role=User.Role.UNIT_USER)}
    expired_on = dt.date(today.year - 1, 6, 30)

    created = 0
    pilot_left = 7
    for c_idx, (county, (county_name, _code, _login)) in enumerate(zip(counties, COUNTIES, strict=True)):
        staff = county_staff.get(county.pk) or admin
        library_left = LIBRARY_PER_COUNTY[c_idx]
        used_names = set()
        for n in range(PROJECTS_PER_COUNTY[c_idx]):
            category = CATEGORY_CYCLE[(n + c_idx) % len(CATEGORY_CYCLE)]
            options = [o for o in CATALOGUE[category] if o[0].format(c=county_name) not in used_names]
            phase = ""
            if not options:
                options, phase = CATALOGUE[category], "（二期）"
            pattern, gov, size = options[(n * 3 + c_idx) % len(options)]
            name = pattern.format(c=county_name) + phase
            used_names.add(name)
            year = previous_year - 1 if n % 7 == 6 else previous_year
            stage_idx = [4, 4, 5, 4, 3, 6, 4, 2, 5, 1][(n + c_idx) % 10]
            if year < previous_year:
                stage_idx = max(stage_idx, 4)
            is_building = category == "building"
            pilot = is_building and gov and pilot_left > 0 and n % 4 == 0
            if pilot:
                pilot_left -= 1
                delivery = "epc" if (n + c_idx) % 3 else "general"
            else:
                delivery = "epc" if n % 4 == 1 else ("consulting" if n % 9 == 5 else "general")
            prefab = is_building and n % 3 != 2
            star = ["two", "one", "three", "none", "two"][(n + c_idx) % 5] if is_building else "none"
            start = dt.date(year, 1 + (n * 5 + c_idx) % 9, 1 + (n * 7) % 27)
            planned_completion = start + dt.timedelta(days=540 + 30 * (n % 6))
            actual_start = start + dt.timedelta(days=10) if stage_idx >= 4 else None
            actual_completion = None
            if stage_idx >= 5:
                actual_completion = min(actual_start + dt.timedelta(days=280 + 10 * n), today - dt.timedelta(days=20))
            size_value = Decimal(size) * Decimal(85 + (n * 13 + c_idx * 7) % 30) / 100
            project = Project(
                code=f"JC-DEMO-{year}-{CODES[county_name]}-{n + 1:03d}",
                name=name,
                county=county,
                year=year,
                category=category,
                government_invested=gov,
                total_investment=_q(size_value * Decimal("0.42") if category != "municipal" else size_value * 3),
                floor_area=_q(size_value) if category != "municipal" else None,
                length=_q(size_value) if category == "municipal" else None,
                planned_start=start,
                planned_completion=planned_completion,
                actual_start=actual_start,
                actual_completion=actual_completion,
                delivery_mode=delivery,
                separated_tender=n % 3 == 0,
                bim_applied=pilot or n % 2 == 0,
                prefabricated=prefab,
                prefab_rate=_q(50 + (n * 11) % 30) if prefab else None,
                green_star_target="two" if pilot and star in ("none", "one") and n % 8 == 0 else star,
                green_pilot=pilot,
                waste_reduction_target="施工现场建筑垃圾排放量不高于300吨/万平方米" if pilot and n % 8 == 0 else "",
                description=f"{county_name}{dict(Project._meta.get_field('category').choices)[category]}项目。",
                stage=STAGE_ORDER[stage_idx],
                created_by=staff,
            )
            if gov and year == previous_year and library_left > 0 and stage_idx >= 1:
                project.jingpin_status = "certified" if stage_idx >= 5 else "cultivating"
                library_left -= 1
            elif not gov and n % 5 == 0:
                project.jingpin_status = "cultivating"
            if is_building:
                residential = "住房" in name or "住宅" in name
                project.building_use = BuildingUse.RESIDENTIAL if residential else BuildingUse.PUBLIC
                project.energy_standard = Decimal("75") if residential else Decimal("72")
                if n == 0 and c_idx == 1:
                    project.energy_standard = Decimal("65")  # the demo's unmet goal: an old 65 % design
            project.full_clean()
            project.save()
            project_registered(project)
            created += 1
            project.serial = created  # deterministic variety (primary keys differ between databases)
            _stage_history(project, stage_idx, start, staff)
            _milestones(project, n + c_idx, stage_idx, staff, today)
            participants = _participants(project, c_idx, n, enterprises, rng, expired_on, delivery)
            if n in (2, 5) and stage_idx >= 4:
                _constraint(project, participants, n, staff, today)
            if stage_idx >= 4 and category in ("building", "habitat"):
                _monthly_reports(project, participants, unit_user_of, staff, rng, today)
    _goal_rules(previous_year, admin)
    out.write(f"项目库演示数据：{created}个项目。")


def _milestones(project: Project, n: int, stage_idx: int, staff, today: dt.date) -> None:
    """开工 / 竣工验收 from the project's dates; buildings under construction also 主体结构封顶, some reached on
    time, some late, some (the demo's laggards) not reached long after the plan."""
    sync_planned_milestones(project, user=staff)
    if project.category != "building" or stage_idx < 4 or project.actual_start is None:
        return
    planned = project.actual_start + dt.timedelta(days=270)
    actual = None
    if planned + dt.timedelta(days=45) <= today and n % 4 != 1:
        actual = planned + dt.timedelta(days=(n % 3) * 20)  # n % 3 == 2: reached 40 days late
    if actual is None and stage_idx >= 5:
        actual = planned
    ProjectMilestone.objects.create(
        project=project,
        kind=MilestoneKind.TOPPING_OUT,
        planned_on=planned,
        actual_on=actual,
        source=MilestoneSource.REPORT if actual else "",
        updated_by=staff,
    )


# Seed 002 一(二) 3 “装配率不低于30%”, 5 “试点要求的新开工项目BIM技术应用率100%”; 三(一) “新建居住建筑执行75%节能
# 标准，新建公共建筑执行72%节能标准”. The year before holds a first version (without the BIM rule).
GOAL_RULES = [
    (
        "新建居住建筑",
        {"building_use": BuildingUse.RESIDENTIAL, "min_energy_standard": Decimal("75")},
        "新建居住建筑执行75%节能标准",
    ),
    (
        "新建公共建筑",
        {"building_use": BuildingUse.PUBLIC, "min_energy_standard": Decimal("72")},
        "新建公共建筑执行72%节能标准",
    ),
    ("装配式建筑", {"prefabricated_only": True, "min_prefab_rate": Decimal("30")}, "装配式建筑……装配率不低于30%"),
    ("绿色建造试点项目", {"pilot_only": True, "bim_required": True}, "试点要求的新开工项目BIM技术应用率100%"),
]


def _goal_rules(previous_year: int, admin) -> None:
    for year in (previous_year - 1, previous_year):
        rules = GOAL_RULES if year == previous_year else GOAL_RULES[:3]
        for name, values, basis in rules:
            GoalRule.objects.create(year=year, name=name, category="building", basis=basis, updated_by=admin, **values)


def _stage_history(project: Project, stage_idx: int, start: dt.date, user) -> None:
    day = start - dt.timedelta(days=30 * stage_idx + 60)
    StageChange.objects.create(
        project=project, from_stage="", to_stage=STAGE_ORDER[0], changed_on=day, changed_by=user, note="项目登记"
    )
    for i in range(1, stage_idx + 1):
        if i == 4:
            day = project.actual_start or start
        elif i >= 5 and project.actual_completion:
            day = project.actual_completion + dt.timedelta(days=20 * (i - 5))
        else:
            day = day + dt.timedelta(days=30)
        StageChange.objects.create(
            project=project,
            from_stage=STAGE_ORDER[i - 1],
            to_stage=STAGE_ORDER[i],
            changed_on=day,
            changed_by=user,
        )


def _participant(project, enterprise, role, n, rng, expired_on, title="", *, insurance="ok"):
    needs = role in ("contractor", "epc", "supervisor", "survey", "design")
    kwargs = {}
    if needs and insurance != "missing":
        kwargs = {
            "insurance_policy_no": f"PDZA{project.serial:04d}{rng.randint(100000, 999999)}",
            "insurer": INSURERS[rng.randrange(len(INSURERS))],
            "insurance_valid_until": expired_on if insurance == "expired" else dt.date(expired_on.year + 4, 12, 31),
        }
    return Participant.objects.create(
        project=project,
        enterprise=enterprise,
        role=role,
        key_person=KEY_PEOPLE[(project.serial + n) % len(KEY_PEOPLE)] if title else "",
        key_person_title=title,
        joined_on=project.planned_start,
        **kwargs,
    )


def _participants(project, c_idx, n, enterprises, rng, expired_on, delivery) -> dict[str, Participant]:
    # Every 6th project misses an insurance, every 7th has one expired.
    problem = "missing" if (project.serial % 6 == 0) else ("expired" if project.serial % 7 == 0 else "ok")
    # The 建设单位's and the 勘察单位's 项目负责人 are registered too (the 永久性标志牌 names all five); projects
    # without a 勘察单位 (every other one) show the sign's refusal with what is missing.
    builder = enterprises[BUILDER_OF_COUNTY[c_idx]]
    out = {"builder": _participant(project, builder, "builder", n + 4, rng, expired_on, "项目负责人")}
    if delivery == "epc":
        epcs = EPC_OF_COUNTY[c_idx]
        out["contractor"] = _participant(
            project, enterprises[epcs[n % len(epcs)]], "epc", n, rng, expired_on, "项目经理", insurance=problem
        )
    else:
        contractors = CONTRACTORS_OF_COUNTY[c_idx]
        out["contractor"] = _participant(
            project,
            enterprises[contractors[n % len(contractors)]],
            "contractor",
            n,
            rng,
            expired_on,
            "项目经理",
            insurance=problem,
        )
    if delivery == "consulting":
        out["consultant"] = _participant(project, enterprises[18], "consultant", n, rng, expired_on, "总咨询师")
    out["supervisor"] = _participant(
        project,
        enterprises[SUPERVISORS[(n + c_idx) % len(SUPERVISORS)]],
        "supervisor",
        n + 1,
        rng,
        expired_on,
        "总监理工程师",
        insurance="expired" if project.serial % 11 == 0 else "ok",
    )
    out["design"] = _participant(project, enterprises[DESIGNERS[n % 2]], "design", n + 2, rng, expired_on, "设计负责人")
    if n % 2 == 0:
        out["survey"] = _participant(
            project,
            enterprises[SURVEYORS[(n // 2) % 2]],
            "survey",
            n + 3,
            rng,
            expired_on,
            "勘察项目负责人",
            insurance="missing" if project.serial % 13 == 0 else "ok",
        )
    return out


CONSTRAINTS = [
    ("attendance", "项目经理连续5个工作日未到岗履职，现场由副经理代管。", "限期3日内项目经理到岗，并提交书面说明。"),
    ("material", "进场钢筋复试屈服强度不合格（批次HRB400-2305）。", "不合格钢筋全部退场，重新取样复试。"),
    ("attendance", "总监理工程师未按承诺到岗，旁站记录缺失。", "总监到岗履职，补全旁站记录。"),
    ("affiliation", "经核查，劳务分包单位存在资质挂靠行为。", "清退挂靠单位，依法追究责任。"),
    ("major_change", "主体结构设计重大变更未按程序报审。", "补办设计变更审查手续。"),
]


def _constraint(project, participants, n, staff, today: dt.date) -> None:
    kind, description, action = CONSTRAINTS[project.serial % len(CONSTRAINTS)]
    target = participants["supervisor"] if "总监" in description else participants["contractor"]
    occurred = (project.actual_start or project.planned_start) + dt.timedelta(days=45)
    status = ["pending", "rectified", "expelled"][project.serial % 3] if kind != "affiliation" else "expelled"
    record = ConstraintRecord.objects.create(
        participant=target,
        kind=kind,
        occurred_on=min(occurred, today - dt.timedelta(days=15)),
        description=description,
        required_action=action,
        status=status,
        created_by=staff,
    )
    constraint_recorded(record)
    if status != "pending":
        record.status_changed_by = staff
        record.status_changed_at = timezone.make_aware(dt.datetime.combine(record.occurred_on, dt.time(10)))
        record.resolution_note = "已按要求整改并复查合格。" if status == "rectified" else "已中止合同并清退出场。"
        record.save()


def _aware(year, month, day, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def _report_months(project, today: dt.date) -> list[tuple[int, int]]:
    """January of the previous year (or the start month) up to last month."""
    first_year = today.year - 1
    start = project.actual_start
    first = (start.year, start.month) if start and start.year >= first_year else (first_year, 1)
    months, (year, month) = [], first
    while (year, month) < (today.year, today.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _monthly_reports(project, participants, unit_user_of, staff, rng, today: dt.date) -> None:
    """Accepted up to the month before last; last month's reports mostly submitted (the review queue, sent this
    morning at the latest), some returned or drafts."""
    reporter_participant = participants["contractor"]
    reporter = unit_user_of.get(reporter_participant.enterprise_id)
    area = project.floor_area or Decimal("0")
    start, done = project.actual_start, project.actual_completion
    months = _report_months(project, today)
    for year, month in months:
        new_start = (
            area
            if (start and (start.year, start.month) == (year, month) and project.category == "building")
            else Decimal("0")
        )
        prefab = _q(new_start * (project.prefab_rate or 0) / 100) if project.prefabricated else Decimal("0")
        green = {"basic": Decimal("0"), "one": Decimal("0"), "two": Decimal("0"), "three": Decimal("0")}
        renewable = Decimal("0")
        if done and (done.year, done.month) == (year, month) and project.category == "building":
            star = project.green_star_target if project.green_star_target != "none" else "basic"
            green[star] = area
            renewable = _q(area * Decimal("0.35"))
        retrofit_res = retrofit_pub = Decimal("0")
        if project.category == "habitat":
            retrofit_res = _q(Decimal(rng.randint(2000, 9000)))
            retrofit_pub = _q(Decimal(rng.randint(0, 3000))) if month % 3 == 0 else Decimal("0")
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        submitted_at = _aware(next_year, next_month, 5 + project.serial % 10)
        if (year, month) != months[-1]:
            status = ReportStatus.ACCEPTED
        else:
            status = [ReportStatus.SUBMITTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.DRAFT][
                project.serial % 4
            ]
        early = _aware(today.year, today.month, today.day, 8)
        if submitted_at > early:  # last month's report before its usual day: sent this morning
            submitted_at = early
        report = MonthlyReport.objects.create(
            project=project,
            year=year,
            month=month,
            status=status,
            new_start_area=_q(new_start),
            prefab_area=prefab,
            green_area_basic=_q(green["basic"]),
            green_area_one_star=_q(green["one"]),
            green_area_two_star=_q(green["two"]),
            green_area_three_star=_q(green["three"]),
            renewable_area=renewable,
            retrofit_residential_area=retrofit_res,
            retrofit_public_area=retrofit_pub,
            bim_applied=project.bim_applied,
            green_material_share=_q(Decimal(rng.randint(30, 70))) if project.green_pilot or month % 2 else None,
            remarks="",
            created_by=reporter,
        )
        if status == ReportStatus.DRAFT:
            continue
        report.submitted_at = submitted_at
        versions = [(1, status)]
        if status == ReportStatus.RETURNED:
            report.return_reason = "新开工面积与施工许可证面积不一致，请核对后重新提交。"
        if status == ReportStatus.ACCEPTED and month == 3 and project.serial % 5 == 0 and year == today.year - 1:
            versions = [(1, ReportStatus.RETURNED), (2, ReportStatus.ACCEPTED)]
        if status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
            report.reviewed_by = staff
            report.reviewed_at = min(submitted_at + dt.timedelta(days=3), early + dt.timedelta(hours=1))
        report.version = versions[-1][0]
        report.save()
        data = {name: (str(v) if isinstance(v := getattr(report, name), Decimal) else v) for name in REPORT_DATA_FIELDS}
        for number, v_status in versions:
            MonthlyReportVersion.objects.create(
                report=report,
                version=number,
                data=data,
                status=v_status,
                return_reason="装配式建筑面积填写有误。"
                if v_status == ReportStatus.RETURNED and number < report.version
                else report.return_reason,
                submitted_by=reporter,
                submitted_at=submitted_at - dt.timedelta(days=2 * (report.version - number)),
            )
