"""Reference data (the holiday calendar) and demo complaints in every state of the ledger."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Enterprise, User
from complaints import categories, services
from complaints.choices import IntakeChannel, Satisfaction, Status, Substantiated
from complaints.models import CalendarDay, Complaint, ComplaintCategory, ComplaintEvent, ReturnVisit
from core.seeding import demo_today
from disclosure.models import ProjectDisclosure

# 国务院办公厅 holiday notices: weekdays off (and the weekend days worked, 调休上班). The maintained calendar
# (chinesecalendar) knows them already; the city's entries are overrides, kept here as the demo's example.
HOLIDAYS = {
    2024: [
        ("2024-01-01", "元旦"),
        *[(f"2024-02-{d:02d}", "春节") for d in range(10, 18)],
        ("2024-02-04", "春节调休上班", True),
        ("2024-02-18", "春节调休上班", True),
        ("2024-04-04", "清明节"),
        ("2024-04-05", "清明节"),
        ("2024-04-06", "清明节"),
        ("2024-04-07", "清明节调休上班", True),
        *[(f"2024-05-{d:02d}", "劳动节") for d in range(1, 6)],
        ("2024-04-28", "劳动节调休上班", True),
        ("2024-05-11", "劳动节调休上班", True),
        ("2024-06-10", "端午节"),
        ("2024-09-15", "中秋节"),
        ("2024-09-16", "中秋节"),
        ("2024-09-17", "中秋节"),
        ("2024-09-14", "中秋节调休上班", True),
        *[(f"2024-10-{d:02d}", "国庆节") for d in range(1, 8)],
        ("2024-09-29", "国庆节调休上班", True),
        ("2024-10-12", "国庆节调休上班", True),
    ],
    2025: [
        ("2025-01-01", "元旦"),
        *[(f"2025-01-{d:02d}", "春节") for d in range(28, 32)],
        *[(f"2025-02-{d:02d}", "春节") for d in range(1, 5)],
        ("2025-01-26", "春节调休上班", True),
        ("2025-02-08", "春节调休上班", True),
        ("2025-04-04", "清明节"),
        *[(f"2025-05-{d:02d}", "劳动节") for d in range(1, 6)],
        ("2025-04-27", "劳动节调休上班", True),
        ("2025-06-02", "端午节"),
        *[(f"2025-10-{d:02d}", "国庆节、中秋节") for d in range(1, 9)],
        ("2025-09-28", "国庆节调休上班", True),
        ("2025-10-11", "国庆节调休上班", True),
    ],
}


def seed_reference(out) -> None:
    created = 0
    for rows in HOLIDAYS.values():
        for row in rows:
            day, name, workday = row[0], row[1], (row[2] if len(row) > 2 else False)
            _, new = CalendarDay.objects.get_or_create(
                date=dt.date.fromisoformat(day), defaults={"name": name, "is_workday": workday}
            )
            created += new
    out.write(f"节假日安排：新登记 {created} 天。")
    out.write(f"问题类别：新登记 {categories.ensure_defaults(ComplaintCategory)} 项。")


DEMO = [
    # (days ago, category, sub-category, description, final status)
    (40, "quality", "空鼓", "外墙保温层大面积空鼓，部分已脱落，存在安全隐患。", Status.CLOSED),
    (30, "safety", "起重机械", "塔吊作业时下方未设警戒区，行人从吊装区域下方通过。", Status.CLOSED),
    (20, "quality", "开裂", "楼板浇筑后出现多条贯穿裂缝，施工单位未做处理继续施工。", Status.INVESTIGATING),  # 延期
    (12, "civilized", "夜间施工", "夜间22点后仍在进行混凝土浇筑，噪声扰民。", Status.REJECTED),
    (9, "safety", "脚手架", "脚手架连墙件缺失，剪刀撑不连续。", Status.ACCEPTED),  # 逾期受理
    (8, "quality", "材料质量", "使用的钢筋疑似非标产品，未见进场复试报告。", Status.PENDING),
    (1, "quality", "渗漏", "地下室顶板渗水，业主多次反映未处理。", Status.PENDING),
]


LATE_ACCEPTED = 9  # the demo complaint received this many days ago is accepted the day after its 受理时限
EXTENDED = 20  # … and this one gets an extension of its 办结时限, approved by the city
EXTENSION_REASON = "裂缝需委托检测机构进行结构安全鉴定，鉴定周期约三周，申请延期办结。"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate(complaint: Complaint, received: dt.date, days_ago: int, today: dt.date) -> None:
    """The steps ran now; date them as a bureau would have taken them (accepted the next day, closed within two
    weeks), except the demo's late acceptance (the day after its 受理时限), and recompute the marks."""
    complaint.refresh_from_db()  # the services returned their own (locked) copies
    accepted_on = received + dt.timedelta(days=1)
    if days_ago == LATE_ACCEPTED:
        accepted_on = complaint.accept_due + dt.timedelta(days=1)
    accepted_on = min(accepted_on, today)
    fields: dict = {}
    if complaint.status == Status.REJECTED:
        fields.update(finished_at=_at(accepted_on), accepted_late=accepted_on > complaint.accept_due)
        ComplaintEvent.objects.filter(complaint=complaint, action=ComplaintEvent.Action.REJECT).update(
            at=_at(accepted_on)
        )
    elif complaint.accepted_at:
        close_due = services.due_after(accepted_on, services.close_days())
        fields.update(
            accepted_at=_at(accepted_on), accepted_late=accepted_on > complaint.accept_due, close_due=close_due
        )
        steps = {
            ComplaintEvent.Action.ACCEPT: _at(accepted_on),
            ComplaintEvent.Action.INVESTIGATE: _at(accepted_on, 15),
        }
        if complaint.status == Status.CLOSED:
            finished_on = min(accepted_on + dt.timedelta(days=11), today)
            fields.update(finished_at=_at(finished_on), closed_late=finished_on > close_due)
            steps[ComplaintEvent.Action.CLOSE] = _at(finished_on)
        if complaint.investigation_started_at:
            fields["investigation_started_at"] = _at(accepted_on, 15)
        for action, when in steps.items():
            ComplaintEvent.objects.filter(complaint=complaint, action=action).update(at=when)
    Complaint.objects.filter(pk=complaint.pk).update(**fields)
    complaint.refresh_from_db()


def _extend(complaint: Complaint, handler) -> None:
    """The handler asks for three more weeks; the city approves (the page shows the original and the new 时限)."""
    city = User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True).order_by("pk").first()
    if city is None:
        return
    new_due = complaint.close_due + dt.timedelta(days=21)
    extension = services.request_extension(complaint, user=handler, new_due=new_due, reason=EXTENSION_REASON)
    services.decide_extension(extension, user=city, approve=True, note="同意延期，请于鉴定完成后及时办结。")


def seed_demo(out) -> None:
    if Complaint.objects.exists():
        out.write("投诉举报演示数据已存在，跳过。")
        return
    by_county = {}
    for disclosure in ProjectDisclosure.objects.published().select_related("project__county").order_by("pk"):
        by_county.setdefault(disclosure.project.county_id, disclosure)
    disclosures = list(by_county.values())
    if not disclosures:
        return
    today = demo_today()
    demo_channels = (IntakeChannel.ONLINE, IntakeChannel.HOTLINE, IntakeChannel.ONLINE, IntakeChannel.PHONE)
    city = User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True).order_by("pk").first()
    closed = []
    for index, (days_ago, category, sub_name, text, final) in enumerate(DEMO):
        project = disclosures[index % len(disclosures)].project
        handler = User.objects.filter(role=User.Role.COUNTY_STAFF, region=project.county, is_active=True).first()
        complaint, _secret = services.submit_complaint(
            category=category,
            subcategory=ComplaintCategory.objects.filter(parent__code=category, name=sub_name).first(),
            description=text,
            project=project,
            name="张先生",
            phone="139" + f"{index:08d}",
        )
        received = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9, 30)))
        channel = demo_channels[index % len(demo_channels)]
        Complaint.objects.filter(pk=complaint.pk).update(
            received_at=received,
            received_on=received.date(),
            channel=channel,  # the demo's phone and 12345 complaints, as if entered by the county that day
            entered_by=handler if channel != IntakeChannel.ONLINE else None,
            tracking_no=f"TS{received:%Y%m%d}{complaint.tracking_no[10:]}",  # the number carries the day received
            accept_due=services.due_after(received.date(), services.accept_days()),
        )
        ComplaintEvent.objects.filter(complaint=complaint).update(at=received)
        complaint.refresh_from_db()
        if handler is None or final == Status.PENDING:
            continue
        if final == Status.REJECTED:
            services.reject(complaint, user=handler, reason="反映的问题属于环保部门职责，已告知向生态环境部门反映。")
            _backdate(complaint, received.date(), days_ago, today)
            continue
        services.accept(complaint, user=handler, note="已受理，安排现场核查。")
        if final == Status.ACCEPTED:
            _backdate(complaint, received.date(), days_ago, today)
            continue
        services.start_investigation(complaint, user=handler, note="会同质监站现场核查。")
        if final == Status.INVESTIGATING:
            _backdate(complaint, received.date(), days_ago, today)
            if days_ago == EXTENDED:
                _extend(complaint, handler)
                # 楼板贯穿裂缝: the county opens a 专项检查 of the project from the complaint (linked both ways).
                services.open_targeted_inspection(complaint, user=handler)
            continue
        if final == Status.CLOSED:
            # 属实: held against the responsible units (the general contractor and, for the first, its 监理 too)
            # in their 诚信档案 (complaints/credit.py) and in the analysis of repeat units.
            units = list(
                Enterprise.objects.filter(
                    participations__project=project, participations__role__in=("contractor", "epc")
                ).order_by("pk")[:1]
            )
            if units and not closed:
                units += list(
                    Enterprise.objects.filter(
                        participations__project=project, participations__role="supervisor"
                    ).order_by("pk")[:1]
                )
            services.close(
                complaint,
                user=handler,
                findings="经现场核查，问题属实，已下达整改通知单，施工单位已整改完毕并经复查合格。",
                reply="您反映的问题经核查属实，已责令施工单位整改并复查合格。感谢您对工程质量安全的监督。",
                substantiated=Substantiated.YES if units else Substantiated.NO,
                responsible_enterprises=units,
            )
            _backdate(complaint, received.date(), days_ago, today)
            closed.append((complaint, handler))
    _seed_return_visits(closed, city)
    out.write(f"投诉举报演示数据：{len(DEMO)} 件。")


def _seed_return_visits(closed, city) -> None:
    """回访: the first closed complaint 满意 by phone; the second 不满意 on the status page, reopened by the city."""
    if closed:
        complaint, handler = closed[0]
        services.record_return_visit(
            complaint, user=handler, satisfaction=Satisfaction.SATISFIED, note="对整改结果满意。"
        )
    if len(closed) > 1 and city is not None:
        complaint, _handler = closed[1]
        services.record_return_visit(
            complaint,
            satisfaction=Satisfaction.UNSATISFIED,
            note="塔吊下方仍无警戒区，问题没有解决。",
            channel=ReturnVisit.Channel.WEB,
        )
        services.decide_reopen(
            complaint, user=city, reopen=True, reason="投诉人反映问题仍存在，责成承办人重新核查并复查现场。"
        )
