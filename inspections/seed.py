"""Reference data (checklist templates) and the demo: a plan per quarter, drawn, with findings in several states."""

from __future__ import annotations

from accounts.models import Region, User
from core.seeding import demo_today, demo_years
from credit import follow as credit_follow
from inspections import rectification, services
from inspections.checklists import TEMPLATES, items
from inspections.models import (
    ChecklistTemplate,
    Inspection,
    InspectionPlan,
    Inspector,
    NoticeRound,
    RectificationNotice,
)
from projects.models import Participant

DEMO_RECENCY_MONTHS = 3
WORKED_EXAMPLE_COUNTY = "高平市"


def seed_reference(out) -> None:
    created = 0
    for code, name, entries in TEMPLATES:
        if not ChecklistTemplate.objects.filter(code=code).exists():
            ChecklistTemplate.objects.create(code=code, name=name, version=1, items=items(entries), active=True)
            created += 1
    out.write(f"双随机检查表模板：新建{created}个。")


def _demo_photo() -> bytes:
    """A plain grey picture standing in for a site photo (uploads are decoded, so it must be a real image)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 180, 170)).save(buffer, "PNG")
    return buffer.getvalue()


def seed_demo(out) -> None:
    """A city plan per quarter (previous year and this year up to today), drawn from the projects under construction
    and inspected, with findings in every state (one returned once for re-rectification, then closed); plus 陵川县's
    own January plans whose finding went overdue (the county's A1 fact fails, as in the demo): last year's results
    confirmed by 陵川 itself, this year's still unpublished (flagged to the city once 20 working days have passed)."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    if InspectionPlan.objects.filter(name__startswith="【演示】").exists():
        out.write("双随机检查演示数据已存在，跳过。")
        return
    city = User.objects.filter(username="city").first() or User.objects.filter(role="city_admin").first()
    counties = {r.name: r for r in Region.objects.filter(level=Region.Level.COUNTY, parent__code="140500")}
    if city is None or not counties:
        out.write("双随机检查：缺少演示用户或区域，跳过。")
        return
    for user in User.objects.filter(role=User.Role.EXPERT, is_active=True):
        Inspector.objects.get_or_create(user=user, defaults={"kind": Inspector.Kind.EXPERT, "specialty": "工程质量"})
    Inspector.objects.get_or_create(user=city, defaults={"kind": Inspector.Kind.STAFF, "specialty": "质量安全监督"})
    # The counties' enforcement staff are on the city's roster too (市县两级执法人员名录库): every team needs at least
    # two 执法人员, and the city's demo has one of its own.
    for user in User.objects.filter(role=User.Role.COUNTY_STAFF, region__isnull=False):
        Inspector.objects.get_or_create(user=user, defaults={"kind": Inspector.Kind.STAFF, "specialty": "执法检查"})

    today = demo_today()
    previous_year, year = demo_years(today)
    unit_of = {u.enterprise_id: u for u in User.objects.filter(role=User.Role.UNIT_USER, is_active=True)}
    png = _demo_photo()
    # For the n-th finding of the demo: (days to the deadline, what happened: closed after k days / late / penalised)
    stories = [("on_time", 15, 10), ("on_time", 20, 12), ("late", 10, 18), ("penalised", 10, None), ("on_time", 30, 5)]

    def quarter_plans():
        for y in (previous_year, year):
            for q in range(4):
                start = dt.date(y, q * 3 + 1, 1)
                if start + dt.timedelta(days=20) > today:
                    return
                end = dt.date(y, q * 3 + 3, 28)
                yield y, q + 1, start, min(end, today)

    made, found = 0, 0
    reworked = []  # the demo's one re-rectified notice (整改不到位，退回, then closed)

    def answer(notice, on, recorder):
        unit = unit_of.get(notice.finding.participant.enterprise_id)
        if unit is not None:
            rectification.answer_notice(
                notice,
                user=unit,
                answer="已按要求整改完毕，整改前后照片见附件。",
                files=[SimpleUploadedFile("整改后照片.png", png)],
            )
        else:  # the demo's other enterprises have no user: the county records their paper answer (代录)
            rectification.record_paper_answer(
                notice,
                user=recorder,
                answer="已按要求整改完毕（书面回复）。",
                received_on=on,
                files=[SimpleUploadedFile("书面回复扫描件.png", png)],
            )
        RectificationNotice.objects.filter(pk=notice.pk).update(
            answered_at=dt.datetime.combine(on, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8)))
        )
        credit_follow.notify("notice", [notice.pk])  # the update skips the signals (on time or late)

    def rework(notice, inspected_on, user):
        """Answered on day 5, returned on day 7 (整改不到位) with a new deadline on day 20, answered again and closed
        on day 12 — within the original deadline, so still 按时整改到位. The dates are set as they happened."""
        answer(notice, inspected_on + dt.timedelta(days=5), user)
        rectification.return_notice(
            notice,
            user=user,
            reason="临边防护栏杆高度不足1.2米，未设挡脚板，整改不到位",
            new_deadline=today + dt.timedelta(days=1),
        )
        new_deadline = inspected_on + dt.timedelta(days=20)
        RectificationNotice.objects.filter(pk=notice.pk).update(deadline=new_deadline)
        NoticeRound.objects.filter(notice_id=notice.pk).update(
            returned_on=inspected_on + dt.timedelta(days=7), new_deadline=new_deadline
        )
        notice.refresh_from_db()
        done = inspected_on + dt.timedelta(days=12)
        answer(notice, done, user)
        rectification.close_notice(notice, user=user, closed_on=done, note="复查合格（第2轮）")

    def inspect(plan, user, inspected_on, story_offset, confirm):
        nonlocal found
        for inspection in plan.inspections.select_related("project").order_by("draw_order"):
            services.record_inspection(
                inspection,
                user=user,
                inspected_on=inspected_on,
                template=services.default_template_for(inspection.project),
                checklist={"0": "met", "1": "met", "2": "not_met"},
                summary="检查组对工程实体质量、质量行为和安全生产进行了随机检查。",
            )
            participant = (
                Participant.objects.filter(project=inspection.project, role__in=("contractor", "epc"))
                .order_by("pk")
                .first()
            )
            if participant is not None:
                kind, days, closed_after = stories[(story_offset + inspection.draw_order) % len(stories)]
                if kind == "late" and inspection.project.county.name == WORKED_EXAMPLE_COUNTY:
                    # 高平市's months are the rubric's worked example (June of the previous year: 74.53 with A1's 4
                    # points). A1 fails for the rest of the year once a finding is rectified late, and which
                    # county's project a draw picks follows the database ids: a 高平 finding is closed on time.
                    kind, days, closed_after = stories[0]
                deadline = inspected_on + dt.timedelta(days=days)
                finding = services.add_finding(
                    inspection,
                    user=user,
                    description=["楼板钢筋保护层厚度不足", "临边洞口防护不到位", "混凝土试块见证取样记录不全"][
                        inspection.draw_order % 3
                    ],
                    severity=["minor", "serious", "major"][inspection.draw_order % 3],
                    responsible_role=participant.role,
                    deadline=deadline,
                    files=[SimpleUploadedFile("现场照片.png", png)],
                )
                found += 1
                notice = finding.notice
                if not reworked and kind == "on_time" and days >= 30 and inspected_on + dt.timedelta(days=12) <= today:
                    rework(notice, inspected_on, user)
                    reworked.append(notice.pk)
                elif kind in ("on_time", "late") and inspected_on + dt.timedelta(days=closed_after) <= today:
                    done = inspected_on + dt.timedelta(days=closed_after)
                    answer(notice, done, user)
                    rectification.close_notice(notice, user=user, closed_on=done, note="复查合格")
                elif kind == "penalised" and deadline < today:
                    penalty_on = min(deadline + dt.timedelta(days=5), today)
                    rectification.escalate_notice(
                        notice,
                        user=user,
                        note="逾期未整改，责令停工整改",
                        penalty_doc_no=f"晋市建罚决字〔{deadline.year}〕{inspection.pk:03d}号",
                        penalty_on=penalty_on,
                        penalty_note="罚款人民币贰万元",
                    )
                    # escalated the day after the deadline, as the inspector would have (the service dates it
                    # today); the credit seed's reconcile re-reads the dates into the 诚信档案
                    escalated_on = min(deadline + dt.timedelta(days=1), penalty_on)
                    notice.refresh_from_db()
                    type(notice).objects.filter(pk=notice.pk).update(escalated_on=escalated_on)
                    type(notice.constraint_record).objects.filter(pk=notice.constraint_record_id).update(
                        occurred_on=escalated_on
                    )
            if confirm:
                services.confirm_inspection(inspection, user=city)

    admin = User.objects.filter(role=User.Role.CITY_ADMIN).order_by("pk").first()
    beijing = dt.timezone(dt.timedelta(hours=8))

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=beijing)

    def lock_and_draw(plan, user, value_day: dt.date, value: str):
        """Commit, then reveal, as the bureau does: locked a week before the declared day, drawn that evening."""
        plan = services.lock_plan(
            plan,
            user=user,
            value_source=f"{value_day:%Y年%m月%d日} 中国福利彩票3D开奖号码",
            value_not_before=value_day,
            now=at(value_day - dt.timedelta(days=7), 10),
        )
        return services.draw_plan(plan, user=user, public_value=value, now=at(value_day, 21))

    lingchuan = counties.get("陵川县")
    staff = User.objects.filter(role=User.Role.COUNTY_STAFF, region=lingchuan).first() if lingchuan else None
    lingchuan_ready = bool(
        lingchuan and staff and Inspector.objects.for_plan(InspectionPlan(county=lingchuan)).count() >= 2
    )

    def lingchuan_plan(y: int) -> None:
        """陵川's own January plan of year y (its two 执法人员, one project)."""
        nonlocal made, found
        start = dt.date(y, 1, 5)
        if start + dt.timedelta(days=20) > today:
            return
        plan = services.create_plan(
            user=staff,
            name=f"【演示】陵川县{y}年1月专项检查",
            year=y,
            period_start=start,
            period_end=dt.date(y, 1, 31),
            project_count=1,
            team_size=2,
            enforcement_seats=2,
            # 陵川县 has just enough 执法人员 for one team. Each year its plan is drawn after the city's plans of
            # the year before and before the city's of that year (see below), so its one month's recency never
            # meets a city inspection (the city's last one is in October) and the plan can always be locked.
            recency_months=1,
        )
        plan = lock_and_draw(plan, staff, start - dt.timedelta(days=3), f"{(y * 13) % 1000:03d}")
        made += 1
        inspection = Inspection.objects.get(plan=plan)
        services.record_inspection(
            inspection, user=staff, inspected_on=start, summary="专项检查发现问题，已下达整改通知。"
        )
        participant = Participant.objects.filter(project=inspection.project).order_by("pk").first()
        if participant is not None:
            services.add_finding(
                inspection,
                user=staff,
                description="项目经理未按规定到岗履职",
                severity="serious",
                responsible_role=participant.role,
                deadline=start + dt.timedelta(days=10),
            )
            found += 1
        if y == previous_year:  # 一公开 by the organiser: 陵川 publishes its own plan's results (this year's is
            services.confirm_inspection(inspection, user=staff)  # left unpublished: flagged to the city)

    # Drawn in the order of time: 陵川's January plan of a year, then the city's quarters of that year. Recency
    # counts every recorded inspection from the cut-off on, so a plan seeded later but dated earlier would
    # count against the plans before it (which project each draw picks follows the database ids).
    lingchuan_years = []
    for index, (y, q, start, end) in enumerate(quarter_plans()):
        if lingchuan_ready and y not in lingchuan_years:
            lingchuan_years.append(y)
            lingchuan_plan(y)
        plan = services.create_plan(
            user=city,
            name=f"【演示】{y}年第{q}季度“双随机、一公开”检查",
            year=y,
            period_start=start,
            period_end=end,
            project_count=4,
            team_size=3,
            enforcement_seats=2,
            scope_categories=[],
            # The demo's roster has eight 执法人员: with the default 12 months, a project drawn in three of the last
            # four quarters leaves fewer than two of them free and the plan could not be locked (which project is
            # drawn follows the database ids, so that varied from one database to another). One quarter's recency
            # keeps at most one team (three) and 陵川's January pair out: three of the eight stay free.
            recency_months=DEMO_RECENCY_MONTHS,
        )
        plan = lock_and_draw(plan, city, start - dt.timedelta(days=3), f"{(y * 7 + q * 131) % 1000:03d}")
        made += 1
        inspected_on = start + dt.timedelta(days=9)
        confirm = (today - inspected_on).days > 40
        inspect(plan, city, inspected_on, index, confirm)
    for y in (previous_year, year):
        if lingchuan_ready and y not in lingchuan_years:
            lingchuan_plan(y)

    # The next quarter's plan is locked and published, its value not yet known; an earlier attempt was cancelled.
    upcoming = dt.date(today.year, today.month, 1) + dt.timedelta(days=40)
    for suffix, cancel in (("（已作废）", "抽取范围漏选了绿色建造试点项目，作废后重新制定"), ("", "")):
        plan = services.create_plan(
            user=city,
            name=f"【演示】{upcoming.year}年{upcoming.month}月专项检查{suffix}",
            year=upcoming.year,
            period_start=upcoming,
            period_end=upcoming + dt.timedelta(days=20),
            project_count=3,
            team_size=3,
            enforcement_seats=2,
            recency_months=DEMO_RECENCY_MONTHS,
        )
        plan = services.lock_plan(
            plan,
            user=city,
            value_source=f"{upcoming - dt.timedelta(days=5):%Y年%m月%d日} 上证指数收盘价",
            value_not_before=upcoming - dt.timedelta(days=5),
            now=at(today, 9),
        )
        if cancel:
            services.cancel_plan(plan, user=city, reason=cancel, now=at(today, 9))
    if admin is None:
        return
    out.write(f"双随机检查：{made}个检查计划，{found}个问题及整改通知单。")
