"""Demo 绿色建造试点: one in each state, the quotas of seed 003 met in six counties and unmet in one (沁水县 has its
政府投资公建 pilot, its 房地产开发 application is still with the experts), 12 pilots established city-wide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Region, User
from core.seeding import clock_at, demo_today
from evaluation.services import conflict_reason
from pilots import services
from pilots.choices import DeliveryModel, GreenLabel, Milestone, PilotStatus, PilotType
from pilots.models import Pilot
from projects.models import Category, Participant, ParticipantRole, Project

UNMET_COUNTY = "沁水县"
# The states the established pilots of the six counties that meet their quotas walk to, in turn.
ESTABLISHED_CYCLE = [
    PilotStatus.ACCEPTED,
    PilotStatus.IMPLEMENTING,
    PilotStatus.ACCEPTANCE,
    PilotStatus.APPROVED,
    PilotStatus.IMPLEMENTING,
    PilotStatus.FAILED,
]


def plan_document(name: str = "绿色建造策划方案.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    return SimpleUploadedFile(name, body + b"trailer<</Root 1 0 R>>\n%%EOF\n", content_type="application/pdf")


def demo_targets(n: int) -> dict:
    return {
        "star_target": GreenLabel.THREE if n % 4 == 0 else GreenLabel.TWO,
        "standardised_design": True,
        "prefab_rate": Decimal(50 + (n * 7) % 25),
        "waste_target": Decimal(250 + (n * 10) % 60) if n % 5 != 3 else None,  # one plan without a waste target
        "green_material_share": Decimal(40 + (n * 3) % 20),
        "bim_design": True,
        "bim_production": n % 6 != 2,
        "bim_construction": True,
        "smart_site": True,
        "robots": n % 2 == 0,
        "pipeline_separation": n % 3 == 0,
        "assembled_decoration": n % 4 == 1,
        "delivery_model": [DeliveryModel.EPC, DeliveryModel.CONSULTING, DeliveryModel.EPC_AND_CONSULTING][n % 3],
    }


def _unit_user(enterprise):
    user = User.objects.filter(role=User.Role.UNIT_USER, enterprise=enterprise, is_active=True).first()
    if user is None:
        user = User.objects.create_user(
            f"builder{enterprise.pk}", password=None, role=User.Role.UNIT_USER, enterprise=enterprise, name="项目负责人"
        )
    return user


def _experts(project, count=3):
    free = [
        e
        for e in User.objects.filter(role=User.Role.EXPERT, is_active=True).order_by("username")
        if conflict_reason(project, e) is None
    ]
    return free[:count]


# How many days before the demo's today a pilot that stops at this state applied: the journey's steps are stamped
# on their own days (the timeline reads as months of work, not one instant), and a pilot still with the experts
# applied weeks ago, not a year ago.
APPLIED_DAYS_AGO = {PilotStatus.DRAFT: 6, PilotStatus.REVIEWING: 35, PilotStatus.RETURNED: 50}
APPLIED_DAYS_AGO_ESTABLISHED = 470  # approved 400 days ago


def applied_on(target: str, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=APPLIED_DAYS_AGO.get(target, APPLIED_DAYS_AGO_ESTABLISHED))


def walk(pilot: Pilot, target: str, *, admin, county_staff, today: dt.date, n: int) -> Pilot:
    """Take a freshly applied pilot through the services to ``target`` (dates before ``today``); each step runs with
    the clock on its own day (core.seeding.clock_at), so what the services stamp belongs to that day."""
    builder = _unit_user(pilot.builder)
    if target == PilotStatus.DRAFT:
        return pilot
    begun = applied_on(target, today)

    def day(k: int):
        return clock_at(begun + dt.timedelta(days=k))

    with day(1):
        services.submit(pilot, user=builder)
    with day(3):
        services.assign_reviewers(pilot, user=admin, experts=_experts(pilot.project))
    if target == PilotStatus.REVIEWING:
        with day(12):
            for review in pilot.reviews.all()[:1]:
                services.record_opinion(review, user=review.expert, passed=True, opinion="方案目标明确，技术路线可行。")
        return pilot
    return _walk_on(pilot, target, builder=builder, admin=admin, county_staff=county_staff, today=today, n=n, day=day)


def _walk_on(pilot: Pilot, target: str, *, builder, admin, county_staff, today: dt.date, n: int, day) -> Pilot:
    """The steps after the experts were assigned."""
    returned_first = target == PilotStatus.RETURNED or n % 4 == 1
    with day(15):
        for i, review in enumerate(pilot.reviews.filter(round=pilot.revision)):
            passed = not returned_first or i == 0
            text = (
                "目标明确，措施可行，同意通过。" if passed else "垃圾减量化目标和BIM生产阶段应用措施不具体，建议修改。"
            )
            services.record_opinion(review, user=review.expert, passed=passed, opinion=text)
    if returned_first:
        with day(20):
            services.decide(
                pilot, user=admin, approve=False, note="请细化垃圾减量化目标和BIM生产阶段应用措施后重新申报。"
            )
        if target == PilotStatus.RETURNED:
            return pilot
        targets = demo_targets(n) | {"waste_target": Decimal("280"), "bim_production": True}
        with day(40):
            services.resubmit(
                pilot,
                user=builder,
                document=plan_document("策划方案（修改稿）.pdf"),
                targets=targets,
                note="按评审意见细化目标。",
            )
        pilot.refresh_from_db()  # the services work on locked copies: the revision moved on
        with day(55):
            for review in pilot.reviews.filter(round=pilot.revision):
                services.record_opinion(review, user=review.expert, passed=True, opinion="已按意见修改，同意通过。")
    approved = today - dt.timedelta(days=400)
    with clock_at(approved):
        services.decide(pilot, user=admin, approve=True, note="同意列为绿色建造试点项目。", on=approved)
    if target == PilotStatus.APPROVED:
        return pilot
    with clock_at(today - dt.timedelta(days=390)):
        services.record_milestone(
            pilot,
            user=builder,
            milestone=Milestone.PLANNING,
            completed_on=today - dt.timedelta(days=390),
            note="完成绿色策划",
        )
    with clock_at(today - dt.timedelta(days=300)):
        services.record_milestone(
            pilot,
            user=builder,
            milestone=Milestone.DESIGN,
            completed_on=today - dt.timedelta(days=300),
            note="施工图审查通过",
        )
    staff = county_staff.get(pilot.project.county_id) or admin
    answers = {i: not (n % 3 == 1 and i == 2) for i in range(6)}
    with clock_at(today - dt.timedelta(days=120)):
        services.record_check(
            pilot,
            user=staff,
            checked_on=today - dt.timedelta(days=120),
            answers=answers,
            findings="" if all(answers.values()) else "垃圾减量化措施落实不到位，建筑垃圾未分类堆放，限期整改。",
        )
    if target == PilotStatus.IMPLEMENTING:
        return pilot
    with clock_at(today - dt.timedelta(days=60)):
        services.record_milestone(
            pilot,
            user=builder,
            milestone=Milestone.CONSTRUCTION,
            completed_on=today - dt.timedelta(days=60),
            note="竣工验收",
        )
    if target == PilotStatus.ACCEPTANCE:
        return pilot
    passed = target == PilotStatus.ACCEPTED
    with clock_at(today - dt.timedelta(days=20)):
        services.record_acceptance(
            pilot,
            user=admin,
            accepted_on=today - dt.timedelta(days=20),
            achieved_label=(GreenLabel.THREE if n % 2 else GreenLabel.TWO) if passed else GreenLabel.ONE,
            passed=passed,
            opinion="绿色建造技术措施落实到位，达到试点要求。"
            if passed
            else "仅取得一星级绿色建筑标识，未达到二星级以上要求。",
        )
    return pilot


def _candidates(county):
    """(public, real estate, others): building projects with a 建设单位, government-invested first."""
    with_builder = Participant.objects.filter(role=ParticipantRole.BUILDER).values("project_id")
    projects = list(Project.objects.filter(county=county, pk__in=with_builder).order_by("category", "code"))
    building = [p for p in projects if p.category == Category.BUILDING]
    public = [p for p in building if p.government_invested] or [p for p in projects if p.government_invested]
    private = [p for p in building if not p.government_invested] or [p for p in projects if not p.government_invested]
    return public, private, projects


def seed_demo(out) -> None:
    if Pilot.objects.exists():
        out.write("绿色建造试点演示数据已存在，跳过。")
        return
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    today = demo_today()
    county_staff = {u.region_id: u for u in User.objects.filter(role=User.Role.COUNTY_STAFF)}
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code"))
    n = 0
    extra_states = [PilotStatus.DRAFT, PilotStatus.RETURNED]

    def start(project, pilot_type, target):
        nonlocal n
        builder_user = _unit_user(services.builder_of(project))
        with clock_at(applied_on(target, today)):
            pilot = services.apply(
                project, user=builder_user, document=plan_document(), targets=demo_targets(n), pilot_type=pilot_type
            )
        walk(pilot, target, admin=admin, county_staff=county_staff, today=today, n=n)
        pilot.refresh_from_db()
        n += 1

    for county in counties:
        public, private, projects = _candidates(county)
        if not public or not private:
            continue
        if county.name == UNMET_COUNTY:
            start(public[0], PilotType.PUBLIC, PilotStatus.IMPLEMENTING)
            start(private[0], PilotType.REAL_ESTATE, PilotStatus.REVIEWING)  # not established yet: quota unmet
            continue
        start(public[0], PilotType.PUBLIC, ESTABLISHED_CYCLE[n % len(ESTABLISHED_CYCLE)])
        start(private[0], PilotType.REAL_ESTATE, ESTABLISHED_CYCLE[n % len(ESTABLISHED_CYCLE)])
        spare = [p for p in projects if p not in (public[0], private[0])]
        if extra_states and spare:
            start(spare[0], None, extra_states.pop(0))
    out.write(f"绿色建造试点演示数据：{Pilot.objects.count()}个试点。")
