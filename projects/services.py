"""Writes and computations of the projects app (SPEC §2).

Every write that matters lives here, inside ``transaction.atomic``, and raises Django ``ValidationError``
with Chinese messages (field errors where a field is to blame) or ``PermissionDenied`` when the user's role
may not do it at all. Web views, the API and the Excel import all call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts import roles
from core import outbox
from core.decimals import cut2
from core.validators import check_lengths
from notifications.models import Todo
from notifications.services import close_todos
from projects import programme
from projects.choices import (
    LIBRARY_STATUSES,
    MILESTONE_ORDER,
    REPORT_MILESTONE_FIELDS,
    STAGE_ORDER,
    ConstraintStatus,
    DeliveryMode,
    GreenStar,
    MilestoneKind,
    MilestoneSource,
    ReportStatus,
    Stage,
)
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

# --------------------------------------------------------------------------------------------------
# Who may do what
# --------------------------------------------------------------------------------------------------


def can_report_for(user, project: Project) -> bool:
    """Unit users whose enterprise participates in the project fill its monthly reports."""
    if not roles.is_signed_in(user) or not user.is_unit_user or not user.enterprise_id:
        return False
    return Participant.objects.filter(project=project, enterprise_id=user.enterprise_id).exists()


def _require_manager(user, project: Project) -> None:
    roles.require_project_manager(user, project)


def _today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------------------------------
# Projects and stages
# --------------------------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "code",
    "name",
    "county",
    "year",
    "category",
    "government_invested",
    "total_investment",
    "floor_area",
    "length",
    "planned_start",
    "planned_completion",
    "actual_start",
    "actual_completion",
    "delivery_mode",
    "separated_tender",
    "bim_applied",
    "prefabricated",
    "prefab_rate",
    "building_use",
    "energy_standard",
    "green_star_target",
    "green_pilot",
    "waste_reduction_target",
    "description",
)


# Apps that act when a project enters a stage register a listener from their AppConfig.ready() (the disclosure
# app reminds the county of a project reaching 施工 unpublished), so this app imports none of them.
_stage_listeners: list[Callable[[StageChange], None]] = []


def register_stage_listener(listener: Callable[[StageChange], None]) -> None:
    """``listener(change)`` runs inside the transaction that records each stage change (also a new project's
    first stage); queue side effects after the commit (core.outbox)."""
    if listener not in _stage_listeners:
        _stage_listeners.append(listener)


def _stage_changed(change: StageChange) -> None:
    for listener in _stage_listeners:
        listener(change)


# The same plug for a new project (the disclosure app gives it its unpublished 公示 row) and a new constraint record
# (the evaluation app opens the 复核 of a certified project). Every write that creates one calls ``project_registered``
# / ``constraint_recorded`` in its transaction: this app's services, the admin, the demo seed, the inspections app's
# escalation.
_project_listeners: list[Callable[[Project], None]] = []
_constraint_listeners: list[Callable[[ConstraintRecord], None]] = []


def register_project_listener(listener: Callable[[Project], None]) -> None:
    """``listener(project)`` runs inside the transaction that registers each new project."""
    if listener not in _project_listeners:
        _project_listeners.append(listener)


def register_constraint_listener(listener: Callable[[ConstraintRecord], None]) -> None:
    """``listener(record)`` runs inside the transaction that records each new constraint record."""
    if listener not in _constraint_listeners:
        _constraint_listeners.append(listener)


def project_registered(project: Project) -> None:
    for listener in _project_listeners:
        listener(project)


def constraint_recorded(record: ConstraintRecord) -> None:
    for listener in _constraint_listeners:
        listener(record)


def _assign(obj, data: dict[str, Any], allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: "该字段不能在此修改。" for name in sorted(unknown)})
    for name, value in data.items():
        setattr(obj, name, value)


def _check_county(user, project: Project) -> None:
    if user.is_county_staff and not roles.can_manage_county(user, project.county_id):
        raise ValidationError({"county": "只能登记和管理本县（市、区）的项目。"})


@transaction.atomic
def create_project(data: dict[str, Any], *, user, stage: str = Stage.CULTIVATION, on_date=None) -> Project:
    """Register a project; its first stage is recorded in the stage history."""
    roles.require(roles.has_role(user, roles.MANAGERS), "只有市局管理员和县局工作人员可以登记项目。")
    project = Project(created_by=user, stage=stage)
    _assign(project, data, PROJECT_FIELDS)
    if user.is_county_staff and not project.county_id:
        project.county_id = user.region_id
    _check_county(user, project)
    project.full_clean()
    project.save()
    project_registered(project)
    sync_planned_milestones(project, user=user)
    change = StageChange.objects.create(
        project=project,
        from_stage="",
        to_stage=project.stage,
        changed_on=on_date or _today(),
        changed_by=user,
        note="项目登记",
    )
    _stage_changed(change)
    return project


@transaction.atomic
def update_project(project: Project, data: dict[str, Any], *, user) -> Project:
    """Edit the registry fields. The stage changes only through ``change_stage``; the 精品工程 status only
    through the evaluation service."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_manager(user, project)
    _assign(project, data, PROJECT_FIELDS)
    _check_county(user, project)
    project.full_clean()
    project.save()
    sync_planned_milestones(project, user=user)
    return project


@transaction.atomic
def change_stage(project: Project, to_stage: str, *, user, changed_on=None, note: str = "") -> StageChange:
    """Move the project along STAGE_ORDER; backwards only by the city admin. Each transition is kept."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_manager(user, project)
    if to_stage not in STAGE_ORDER:
        raise ValidationError({"to_stage": "请选择有效的阶段。"})
    if to_stage == project.stage:
        raise ValidationError({"to_stage": f"项目已处于“{project.get_stage_display()}”阶段。"})
    if STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(project.stage) and not user.is_city_admin:
        raise ValidationError({"to_stage": "阶段只能按“培育→…→运营维护”的顺序向后推进；回退须由市局管理员操作。"})
    changed_on = changed_on or _today()
    if changed_on > _today():
        raise ValidationError({"changed_on": "转换日期不能晚于今天。"})
    last = project.stage_changes.order_by("-changed_on", "-pk").first()
    if last and changed_on < last.changed_on:
        raise ValidationError({"changed_on": f"转换日期不能早于上一次阶段变更日期（{last.changed_on:%Y-%m-%d}）。"})
    check_lengths(StageChange, {"note": note})
    change = StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage=to_stage,
        changed_on=changed_on,
        changed_by=user,
        note=note,
    )
    project.stage = to_stage
    project.save(update_fields=["stage", "updated_at"])
    _stage_changed(change)
    return change


# --------------------------------------------------------------------------------------------------
# Participants and insurance
# --------------------------------------------------------------------------------------------------

PARTICIPANT_FIELDS = (
    "enterprise",
    "role",
    "key_person",
    "key_person_title",
    "insurance_policy_no",
    "insurer",
    "insurance_valid_until",
    "joined_on",
)


def _validate_participant(participant: Participant) -> None:
    errors: dict[str, str] = {}
    if participant.enterprise_id and participant.role:
        if not participant.enterprise.kinds.filter(code=participant.role).exists():
            errors["role"] = (
                f"{participant.enterprise}的单位类别中没有“{participant.get_role_display()}”，不能以该角色参建。"
            )
    has_policy = bool(participant.insurance_policy_no)
    if has_policy and participant.insurance_valid_until is None:
        errors["insurance_valid_until"] = "已填写保单号，请填写保险有效期。"
    if participant.insurance_valid_until and not has_policy:
        errors["insurance_policy_no"] = "已填写保险有效期，请填写保单号。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_participant(project: Project, data: dict[str, Any], *, user) -> Participant:
    _require_manager(user, project)
    participant = Participant(project=project)
    _assign(participant, data, PARTICIPANT_FIELDS)
    participant.full_clean()
    _validate_participant(participant)
    participant.save()
    return participant


@transaction.atomic
def update_participant(participant: Participant, data: dict[str, Any], *, user) -> Participant:
    participant = Participant.objects.select_for_update().select_related("project").get(pk=participant.pk)
    _require_manager(user, participant.project)
    _assign(participant, data, PARTICIPANT_FIELDS)
    participant.full_clean()
    _validate_participant(participant)
    participant.save()
    return participant


# --------------------------------------------------------------------------------------------------
# Constraint records (约束机制)
# --------------------------------------------------------------------------------------------------

CONSTRAINT_FIELDS = ("kind", "occurred_on", "description", "required_action")
CONSTRAINT_TRANSITIONS = {ConstraintStatus.PENDING: (ConstraintStatus.RECTIFIED, ConstraintStatus.EXPELLED)}


@transaction.atomic
def add_constraint_record(participant: Participant, data: dict[str, Any], *, user) -> ConstraintRecord:
    _require_manager(user, participant.project)
    record = ConstraintRecord(participant=participant, created_by=user, status=ConstraintStatus.PENDING)
    _assign(record, data, CONSTRAINT_FIELDS)
    record.full_clean()
    if record.occurred_on > _today():
        raise ValidationError({"occurred_on": "发生日期不能晚于今天。"})
    record.save()
    constraint_recorded(record)
    return record


@transaction.atomic
def change_constraint_status(record: ConstraintRecord, status: str, *, user, note: str = "") -> ConstraintRecord:
    """待整改 → 已整改 / 清退出场, remembering who changed it when."""
    record = ConstraintRecord.objects.select_for_update().select_related("participant__project").get(pk=record.pk)
    _require_manager(user, record.participant.project)
    allowed = CONSTRAINT_TRANSITIONS.get(record.status, ())
    if status not in allowed:
        current = record.get_status_display()
        target = dict(ConstraintStatus.choices).get(status, status)
        raise ValidationError({"status": f"约束记录当前为“{current}”，不能变更为“{target}”。"})
    check_lengths(ConstraintRecord, {"resolution_note": note}, keys={"resolution_note": "note"})
    record.status = status
    record.status_changed_by = user
    record.status_changed_at = timezone.now()
    record.resolution_note = note
    record.save(update_fields=["status", "status_changed_by", "status_changed_at", "resolution_note"])
    return record


# --------------------------------------------------------------------------------------------------
# Monthly project reports (项目月报)
# --------------------------------------------------------------------------------------------------

REPORT_DATA_FIELDS = (*MonthlyReport.AREA_FIELDS, "bim_applied", "green_material_share", "remarks")
# The milestones reached in the report's month (optional; the Excel import does not carry them).
REPORT_MILESTONE_INPUTS = tuple(REPORT_MILESTONE_FIELDS.values())
REPORT_INPUT_FIELDS = (*REPORT_DATA_FIELDS, *REPORT_MILESTONE_INPUTS)
EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# Set by the workflow, not by the reporter (demo and imported rows may carry no user).
REPORT_SYSTEM_FIELDS = ["created_by", "reviewed_by"]


def report_lock_reason(report: MonthlyReport) -> str | None:
    """Why the report cannot be edited now, or None."""
    if report.status == ReportStatus.ACCEPTED:
        return "已接收的月报已锁定，不能修改。"
    if report.status == ReportStatus.SUBMITTED:
        return "月报已提交、等待县局审核，不能修改；如需修改请联系县局退回。"
    return None


def _check_month(year: int, month: int) -> None:
    today = _today()
    if (year, month) > (today.year, today.month):
        raise ValidationError({"month": "不能填报未来月份的月报。"})


def _require_reporter(user, project: Project) -> None:
    if not user.is_unit_user:
        raise PermissionDenied("项目月报由参建单位用户填报。")
    if not can_report_for(user, project):
        raise ValidationError({"project": "您所在单位未参建该项目，不能填报其月报。"})


def can_edit_report(user, report: MonthlyReport) -> bool:
    """Only the filing enterprise's users change (and submit) a report; the same predicate as its scope."""
    return bool(user.is_unit_user) and MonthlyReport.objects.visible_to(user).filter(pk=report.pk).exists()


def _require_owner(user, report: MonthlyReport) -> None:
    _require_reporter(user, report.project)
    if not can_edit_report(user, report):
        raise PermissionDenied("该月报由其他参建单位填报，您不能修改或提交。")


@transaction.atomic
def create_report(
    project: Project, year: int, month: int, data: dict[str, Any], *, user, submit: bool = False
) -> MonthlyReport:
    """A draft report for one project and month (one per project and month); ``submit`` submits it at once."""
    _require_reporter(user, project)
    report = MonthlyReport(
        project=project,
        year=year,
        month=month,
        created_by=user,
        enterprise_id=user.enterprise_id,
        status=ReportStatus.DRAFT,
    )
    _assign(report, data, REPORT_INPUT_FIELDS)
    report.full_clean(exclude=REPORT_SYSTEM_FIELDS, validate_constraints=False)
    _check_month(year, month)
    existing = MonthlyReport.objects.filter(project=project, year=year, month=month).first()
    if existing is not None and existing.enterprise_id != user.enterprise_id:
        raise ValidationError({"month": f"该项目{year}年{month}月的月报已由其他参建单位填报，不能重复填报。"})
    if existing is not None:
        raise ValidationError({"month": f"该项目{year}年{month}月的月报已存在，不能重复填报。"})
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"month": f"该项目{year}年{month}月的月报已存在，不能重复填报。"})
    if submit:
        report = submit_report(report, user=user)
    return report


@transaction.atomic
def update_report(report: MonthlyReport, data: dict[str, Any], *, user) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    _require_owner(user, report)
    reason = report_lock_reason(report)
    if reason:
        raise ValidationError(reason)
    _assign(report, data, REPORT_INPUT_FIELDS)
    report.full_clean(exclude=REPORT_SYSTEM_FIELDS, validate_constraints=False)
    report.save()
    return report


def _snapshot(report: MonthlyReport) -> dict[str, Any]:
    data = {}
    for name in REPORT_INPUT_FIELDS:
        value = getattr(report, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif name in REPORT_MILESTONE_INPUTS and value is None:
            continue  # versions from before the milestones keep their shape
        data[name] = str(value) if isinstance(value, Decimal) else value
    return data


@transaction.atomic
def submit_report(report: MonthlyReport, *, user) -> MonthlyReport:
    """draft/returned → submitted. Each submission is frozen as a MonthlyReportVersion, so a resubmission
    after a return keeps the earlier version."""
    report = MonthlyReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    _require_owner(user, report)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(report_lock_reason(report) or "月报状态不允许提交。")
    report.full_clean(exclude=REPORT_SYSTEM_FIELDS, validate_constraints=False)
    last_version = report.versions.order_by("-version").values_list("version", flat=True).first()
    now = timezone.now()
    report.version = (last_version or 0) + 1
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.return_reason = ""
    report.reviewed_by = None
    report.reviewed_at = None
    report.save()
    MonthlyReportVersion.objects.create(
        report=report,
        version=report.version,
        data=_snapshot(report),
        status=ReportStatus.SUBMITTED,
        submitted_by=user,
        submitted_at=now,
    )
    close_todos(report, Todo.Kind.REPORT_RESUBMIT)
    _notify_after_commit(report, "submitted")
    return report


def _notify_after_commit(report: MonthlyReport, event: str) -> None:
    """Bell + e-mail once the change is committed, through the outbox (a broker outage delays, never loses it)."""
    outbox.enqueue("projects.tasks.notify_report_event", report.pk, event)


def _require_reviewer(user, report: MonthlyReport) -> None:
    roles.require_project_manager(user, report.project, "只有项目所在县（市、区）的工作人员或市局管理员可以审核月报。")


@transaction.atomic
def accept_report(report: MonthlyReport, *, user) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    _require_reviewer(user, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(f"只有“已提交”的月报可以接收，该月报当前为“{report.get_status_display()}”。")
    report.status = ReportStatus.ACCEPTED
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    report.versions.filter(version=report.version).update(status=ReportStatus.ACCEPTED)
    apply_report_milestones(report, user=user)
    close_todos(report, Todo.Kind.REPORT_REVIEW)
    _notify_after_commit(report, "accepted")
    return report


@transaction.atomic
def return_report(report: MonthlyReport, reason: str, *, user) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    _require_reviewer(user, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回月报须填写退回原因。"})
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(f"只有“已提交”的月报可以退回，该月报当前为“{report.get_status_display()}”。")
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
    report.versions.filter(version=report.version).update(status=ReportStatus.RETURNED, return_reason=reason)
    close_todos(report, Todo.Kind.REPORT_REVIEW)
    _notify_after_commit(report, "returned")
    return report


# --------------------------------------------------------------------------------------------------
# Cultivation ratio (培育比例)
# --------------------------------------------------------------------------------------------------


def cultivation_min_percent() -> Decimal:
    return Decimal(str(settings.JINGPIN["CULTIVATION_MIN_PERCENT"]))


@dataclass(frozen=True)
class CultivationRatio:
    """Government-invested projects of a county and year in the 精品工程 library ÷ all of them."""

    county_id: int
    county_name: str
    year: int
    library_count: int
    total_count: int
    minimum_percent: Decimal

    @property
    def percent(self) -> Decimal | None:
        """The ratio in percent, truncated to 2 places (None when the county has no such project)."""
        if not self.total_count:
            return None
        return cut2(Decimal(self.library_count) * 100 / Decimal(self.total_count))

    @property
    def below_minimum(self) -> bool:
        """Compared exactly (not after truncation): library × 100 < minimum × total."""
        if not self.total_count:
            return False
        return Decimal(self.library_count) * 100 < self.minimum_percent * self.total_count

    @property
    def status_label(self) -> str:
        if not self.total_count:
            return "本年度无政府投资项目"
        return f"低于{self.minimum_percent.normalize():f}%" if self.below_minimum else "达标"


def cultivation_ratios(year: int, counties) -> list[CultivationRatio]:
    """One row per county (in the counties' order), with one grouped query for the counts."""
    counties = list(counties)
    rows = (
        Project.objects.filter(year=year, government_invested=True, county__in=[c.pk for c in counties])
        .values("county_id")
        .annotate(total=Count("pk"), library=Count("pk", filter=Q(jingpin_status__in=LIBRARY_STATUSES)))
    )
    counts = {r["county_id"]: (r["library"], r["total"]) for r in rows}
    minimum = cultivation_min_percent()
    return [CultivationRatio(c.pk, c.name, year, *counts.get(c.pk, (0, 0)), minimum_percent=minimum) for c in counties]


def cultivation_ratio(county, year: int) -> CultivationRatio:
    return cultivation_ratios(year, [county])[0]


# --------------------------------------------------------------------------------------------------
# Green-construction pilot checklist (seed 003)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    met: bool
    basis: str


def pilot_checklist(project: Project) -> list[ChecklistItem]:
    """The seed-003 requirements of a 绿色建造试点 project, each judged from the project's own data."""
    star_labels = dict(GreenStar.choices)
    high_star = project.green_star_target in (GreenStar.TWO, GreenStar.THREE)
    prefab_basis = (
        f"装配式建筑，装配率{project.prefab_rate:.2f}%"
        if project.prefabricated and project.prefab_rate is not None
        else ("装配式建筑" if project.prefabricated else "未采用装配式建筑")
    )
    shares = [
        r.green_material_share
        for r in sorted(project.monthly_reports.all(), key=lambda r: (r.year, r.month), reverse=True)
        if r.green_material_share is not None and r.status != ReportStatus.DRAFT
    ]
    if shares:
        material_met, material_basis = shares[0] > 0, f"最近一期月报绿色建材应用比例{shares[0]:.2f}%"
    else:
        material_met, material_basis = False, "尚无月报填报绿色建材应用比例"
    intensive = project.delivery_mode in (DeliveryMode.EPC, DeliveryMode.CONSULTING)
    return [
        ChecklistItem(
            "green_star",
            "达到绿色建筑二星级以上",
            high_star,
            f"绿色建筑星级目标：{star_labels.get(project.green_star_target, '无')}",
        ),
        ChecklistItem("prefab", "采用标准化设计，应用装配式建筑技术", project.prefabricated, prefab_basis),
        ChecklistItem(
            "waste",
            "制定并落实施工现场垃圾减量化目标",
            bool(project.waste_reduction_target.strip()),
            project.waste_reduction_target.strip() or "未填写垃圾减量化目标",
        ),
        ChecklistItem("materials", "采用绿色建材，提高绿色建材应用比例", material_met, material_basis),
        ChecklistItem(
            "bim",
            "设计、生产、施工阶段集成应用BIM技术",
            project.bim_applied,
            "已应用BIM" if project.bim_applied else "未应用BIM",
        ),
        ChecklistItem(
            "delivery",
            "采用工程总承包、全过程工程咨询等集约化组织管理模式",
            intensive,
            f"建设组织模式：{project.get_delivery_mode_display()}",
        ),
    ]


def default_cultivation_year(user) -> int:
    """The latest year with government-invested projects the user can see (else the current year)."""
    latest = (
        Project.objects.visible_to(user)
        .filter(government_invested=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or _today().year


# --------------------------------------------------------------------------------------------------
# Milestones and delays (seed 000 五(三): 开展常态化督查，对工作滞后的予以通报)
# --------------------------------------------------------------------------------------------------

MILESTONE_FIELDS = ("planned_on", "actual_on")
# The project's own dates that seed a milestone: (planned, actual) field names.
PROJECT_MILESTONE_DATES = {
    MilestoneKind.START.value: ("planned_start", "actual_start"),
    MilestoneKind.COMPLETION.value: ("planned_completion", "actual_completion"),
}


def milestone_delay_days() -> int:
    return int(settings.JINGPIN["MILESTONE_DELAY_DAYS"])


def milestone_is_late(milestone: ProjectMilestone, today: dt.date | None = None) -> bool:
    """The one state function of 滞后 (programme.is_late with the setting), used by every page, API and notice."""
    return programme.is_late(milestone.planned_on, milestone.actual_on, today or _today(), milestone_delay_days())


def milestone_state(milestone: ProjectMilestone, today: dt.date | None = None) -> str:
    """已完成 / 滞后完成 / 滞后 / 进行中 / 未计划 — one vocabulary for list, API, bulletin."""
    today = today or _today()
    late = milestone_is_late(milestone, today)
    if milestone.actual_on:
        return "滞后完成" if late else "已完成"
    if milestone.planned_on is None:
        return "未计划"
    return "滞后" if late else "进行中"


def sync_planned_milestones(project: Project, *, user=None) -> None:
    """The project's planned (and actual) start and completion seed its 开工 and 竣工验收 milestones; a changed plan
    moves the milestone's plan. An actual date already recorded on the milestone (from a report) is kept."""
    for kind, (planned_field, actual_field) in PROJECT_MILESTONE_DATES.items():
        planned, actual = getattr(project, planned_field), getattr(project, actual_field)
        milestone = ProjectMilestone.objects.filter(project=project, kind=kind).first()
        if milestone is None:
            if planned is None and actual is None:
                continue
            milestone = ProjectMilestone(project=project, kind=kind)
        changed = False
        if planned is not None and milestone.planned_on != planned:
            milestone.planned_on, changed = planned, True
        if actual is not None and milestone.actual_on is None:
            milestone.actual_on, milestone.source, changed = actual, MilestoneSource.COUNTY, True
        if changed or milestone.pk is None:
            milestone.updated_by = user
            milestone.save()


@transaction.atomic
def set_milestone(project: Project, kind: str, data: dict[str, Any], *, user) -> ProjectMilestone:
    """The county records a milestone's planned and/or actual date (``data``: planned_on, actual_on)."""
    _require_manager(user, project)
    if kind not in MILESTONE_ORDER:
        raise ValidationError({"kind": "未知的节点。"})
    milestone = ProjectMilestone.objects.select_for_update().filter(
        project=project, kind=kind
    ).first() or ProjectMilestone(project=project, kind=kind)
    before = milestone.actual_on
    _assign(milestone, data, MILESTONE_FIELDS)
    if milestone.actual_on and milestone.actual_on > _today():
        raise ValidationError({"actual_on": "实际日期不能晚于今天。"})
    if milestone.actual_on != before:
        milestone.source = MilestoneSource.COUNTY if milestone.actual_on else ""
        milestone.report = None
    milestone.updated_by = user
    milestone.full_clean(exclude=["updated_by"])
    milestone.save()
    return milestone


def apply_report_milestones(report: MonthlyReport, *, user) -> list[ProjectMilestone]:
    """An accepted report's milestones become the project's actual dates (source 单位月报); the project's actual
    start / completion follow when not yet recorded."""
    applied = []
    project = report.project
    for kind, reached in report.reached_milestones().items():
        milestone = ProjectMilestone.objects.select_for_update().filter(project=project, kind=kind).first()
        milestone = milestone or ProjectMilestone(project=project, kind=kind)
        milestone.actual_on = reached
        milestone.source = MilestoneSource.REPORT
        milestone.report = report
        milestone.updated_by = user
        milestone.save()
        applied.append(milestone)
        fields = PROJECT_MILESTONE_DATES.get(kind)
        if fields and getattr(project, fields[1]) is None:
            Project.objects.filter(pk=project.pk, **{f"{fields[1]}__isnull": True}).update(**{fields[1]: reached})
    return applied


@dataclass(frozen=True)
class Laggard:
    """One 滞后 milestone as the list, the API and the bulletin show it."""

    milestone_id: int
    project_id: int
    project_code: str
    project_name: str
    county_id: int
    county_name: str
    kind: str
    kind_label: str
    planned_on: dt.date
    actual_on: dt.date | None
    days_behind: int
    state: str


def laggard_rows(milestones, today: dt.date | None = None) -> list[Laggard]:
    """Rows of late milestones (``milestones`` already filtered late, with project and county selected)."""
    today = today or _today()
    return [
        Laggard(
            m.pk,
            m.project_id,
            m.project.code,
            m.project.name,
            m.project.county_id,
            m.project.county.name,
            m.kind,
            m.get_kind_display(),
            m.planned_on,
            m.actual_on,
            programme.days_behind(m.planned_on, m.actual_on, today),
            milestone_state(m, today),
        )
        for m in milestones
    ]


def late_milestones(user, today: dt.date | None = None, *, open_only: bool = False):
    """The user's late milestones (scoped), the longest delay first (the earliest plan; the county is a column and
    a filter). The order is the milestones' own (index milestone_due_idx on the plan): a page of the city's list
    reads its 50 rows from the index instead of joining and sorting every late milestone of the province by the
    county's order first (tens of thousands at province scale)."""
    today = today or _today()
    qs = ProjectMilestone.objects.visible_to(user)
    qs = qs.open_late(today, milestone_delay_days()) if open_only else qs.late(today, milestone_delay_days())
    return qs.select_related("project__county").order_by("planned_on", "pk")


BULLETIN_LAGGARDS_PER_COUNTY = 10  # milestones a county has printed in the 通报 (the workbook lists them all)


def bulletin_laggards(year: int, month: int) -> dict:
    """进度滞后通报 of a month: milestones late and still not reached at the month's end (or today, if earlier),
    and those reached late in the month; counted per county."""
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    as_of = min(end, _today())
    grace = milestone_delay_days()
    qs = (
        ProjectMilestone.objects.late(as_of, grace)
        .filter(Q(actual_on__isnull=True) | Q(actual_on__gt=as_of) | Q(actual_on__range=(start, as_of)))
        .select_related("project__county")
        .order_by("project__county__order", "planned_on", "project__code", "pk")
    )
    rows = []
    for m in qs:
        actual = m.actual_on if m.actual_on and m.actual_on <= as_of else None
        if not programme.is_late(m.planned_on, actual, as_of, grace):
            continue  # reached late after the month, but not yet late at its end
        rows.append(
            {
                "county_name": m.project.county.name,
                "project_code": m.project.code,
                "project_name": m.project.name,
                "kind": m.get_kind_display(),
                "planned_on": m.planned_on,
                "actual_on": actual,
                "days_behind": programme.days_behind(m.planned_on, actual, as_of),
                "state": "滞后完成" if actual else "滞后未完成",
            }
        )
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["county_name"]] = counts.get(r["county_name"], 0) + 1
    if rows:
        summary = (
            f"截至{as_of.year}年{as_of.month}月{as_of.day}日，进度节点滞后（超过计划日期{grace}天）的共{len(rows)}个："
            + "、".join(f"{name}{n}个" for name, n in counts.items())
            + "。请相关县（市、区）督促建设单位合理安排工期、加快推进。"
        )
    else:
        summary = f"截至{as_of.year}年{as_of.month}月{as_of.day}日，无进度节点滞后（超过计划日期{grace}天）的项目。"
    # The printed 通报 names, per county, the milestones furthest behind; the workbook's sheet lists every one (a
    # province of 100,000 projects had 28,848 late milestones in one month: a bulletin of a thousand pages).
    by_county: dict[str, list[dict]] = {}
    for r in rows:
        by_county.setdefault(r["county_name"], []).append(r)
    printed = []
    for county_rows in by_county.values():
        furthest = sorted(county_rows, key=lambda r: -r["days_behind"])[:BULLETIN_LAGGARDS_PER_COUNTY]
        keep = {id(r) for r in furthest}
        printed.extend(r for r in county_rows if id(r) in keep)  # in the list's order
    return {
        "rows": rows,
        "printed_rows": printed,
        "left_out": len(rows) - len(printed),
        "per_county": BULLETIN_LAGGARDS_PER_COUNTY,
        "summary": summary,
        "as_of": as_of,
        "grace_days": grace,
        "counts": counts,
    }


def detect_milestone_slips(today: dt.date | None = None) -> int:
    """Claim each milestone that is late and not reached, once per planned date (conditional UPDATE), and queue
    its notice after the commit. Safe to run twice: the second run finds nothing to claim."""
    today = today or _today()
    claimed_count = 0
    for milestone in ProjectMilestone.objects.open_late(today, milestone_delay_days()).only("pk", "planned_on"):
        if milestone.slip_notified_for == milestone.planned_on:
            continue
        with transaction.atomic():
            claimed = (
                ProjectMilestone.objects.filter(
                    pk=milestone.pk, planned_on=milestone.planned_on, actual_on__isnull=True
                )
                .exclude(slip_notified_for=milestone.planned_on)
                .update(slip_notified_for=milestone.planned_on)
            )
            if claimed:
                outbox.enqueue("projects.tasks.notify_milestone_slip", milestone.pk, milestone.planned_on.isoformat())
                claimed_count += 1
    return claimed_count


# --------------------------------------------------------------------------------------------------
# City goals per project (seed 002 一(二), 三(一)), versioned by year
# --------------------------------------------------------------------------------------------------

GOAL_RULE_FIELDS = (
    "year",
    "name",
    "category",
    "building_use",
    "government_invested_only",
    "prefabricated_only",
    "pilot_only",
    "min_prefab_rate",
    "min_energy_standard",
    "bim_required",
    "basis",
)


@transaction.atomic
def save_goal_rule(rule: GoalRule | None, data: dict[str, Any], *, user) -> GoalRule:
    """Create (``rule=None``) or change one of the city's goal rules; the city only. Every change is kept in the
    rule's 变更记录 (simple_history, with the user)."""
    roles.require_city_admin(user, "设定项目目标规则")
    rule = GoalRule.objects.select_for_update().get(pk=rule.pk) if rule is not None and rule.pk else GoalRule()
    _assign(rule, data, GOAL_RULE_FIELDS)
    check_lengths(GoalRule, {"name": rule.name, "basis": rule.basis})
    rule.updated_by = user
    rule._history_user = user
    rule.full_clean(exclude=["updated_by"])
    rule.save()
    return rule


def goal_spec(rule: GoalRule) -> programme.GoalSpec:
    return programme.GoalSpec(
        name=rule.name,
        category=rule.category,
        building_use=rule.building_use,
        government_invested_only=rule.government_invested_only,
        prefabricated_only=rule.prefabricated_only,
        pilot_only=rule.pilot_only,
        min_prefab_rate=rule.min_prefab_rate,
        min_energy_standard=rule.min_energy_standard,
        bim_required=rule.bim_required,
    )


def _latest_accepted_reports():
    return MonthlyReport.objects.filter(project=OuterRef("pk"), status=ReportStatus.ACCEPTED).order_by(
        "-year", "-month", "-pk"
    )


def with_reported_figures(projects):
    """Each project with its latest accepted monthly report's figures (subqueries: one query for the list).

    The monthly report carries BIM应用 (``MonthlyReport.bim_applied``); it carries no 装配率 and no 节能标准 (only
    装配式建筑面积), so those stay the project's registered figures."""
    latest = _latest_accepted_reports()
    return projects.annotate(
        reported_bim=Subquery(latest.values("bim_applied")[:1]),
        reported_year=Subquery(latest.values("year")[:1]),
        reported_month=Subquery(latest.values("month")[:1]),
    )


def _reported(project: Project) -> tuple[bool | None, int | None, int | None]:
    """(bim_applied, year, month) of the latest accepted report, or Nones; read once when not annotated."""
    if not hasattr(project, "reported_year"):
        row = (
            MonthlyReport.objects.filter(project=project, status=ReportStatus.ACCEPTED)
            .order_by("-year", "-month", "-pk")
            .values_list("bim_applied", "year", "month")
            .first()
        ) or (None, None, None)
        project.reported_bim, project.reported_year, project.reported_month = row
    return project.reported_bim, project.reported_year, project.reported_month


def goal_facts(project: Project) -> programme.GoalFacts:
    """The figures the goals are checked against: the units' latest accepted monthly report where it carries
    the figure (BIM应用), else the project's registered figure (装配率, 节能标准; BIM when no report is accepted)."""
    reported_bim, _, _ = _reported(project)
    return programme.GoalFacts(
        category=project.category,
        building_use=project.building_use,
        government_invested=project.government_invested,
        prefabricated=project.prefabricated,
        green_pilot=project.green_pilot,
        prefab_rate=project.prefab_rate,
        energy_standard=project.energy_standard,
        bim_applied=project.bim_applied if reported_bim is None else reported_bim,
    )


def goal_sources(project: Project) -> str:
    """Which source each checked figure came from (shown beside the unmet goals)."""
    _, year, month = _reported(project)
    if year is None:
        return "BIM应用、装配率、节能标准：项目登记信息（尚无已接收的项目月报）"
    return f"BIM应用：{year}年{month}月项目月报（已接收）；装配率、节能标准：项目登记信息（月报不填报）"


def _rule_scope(rule: GoalRule) -> Q:
    """programme.applies as a filter: the projects the rule covers."""
    scope = Q()
    if rule.category:
        scope &= Q(category=rule.category)
    if rule.building_use:
        scope &= Q(building_use=rule.building_use)
    if rule.government_invested_only:
        scope &= Q(government_invested=True)
    if rule.prefabricated_only:
        scope &= Q(prefabricated=True)
    if rule.pilot_only:
        scope &= Q(green_pilot=True)
    return scope


def _may_miss_rule(rule: GoalRule) -> Q:
    """The covered projects that may miss one of the rule's goals (a BIM goal: any of them)."""
    if rule.bim_required:
        return Q()
    missing = Q(pk__in=[])
    if rule.min_prefab_rate is not None:
        missing |= Q(prefab_rate__isnull=True) | Q(prefab_rate__lt=rule.min_prefab_rate)
    if rule.min_energy_standard is not None:
        missing |= Q(energy_standard__isnull=True) | Q(energy_standard__lt=rule.min_energy_standard)
    return missing


class GoalBook:
    """Every goal rule, read once: the rules in force for a project year (that year's, else the latest earlier
    year's)."""

    def __init__(self, rules=None):
        rules = list(GoalRule.objects.order_by("year", "pk") if rules is None else rules)
        self.by_year: dict[int, list[GoalRule]] = {}
        for rule in rules:
            self.by_year.setdefault(rule.year, []).append(rule)
        self.years = sorted(self.by_year)
        self.specs = {id(rule): goal_spec(rule) for rule in rules}  # built once, not per project

    def rules_for(self, year: int) -> list[GoalRule]:
        earlier = [y for y in self.years if y <= year]
        return self.by_year[earlier[-1]] if earlier else []

    def may_miss(self) -> Q:
        """The projects that may miss a goal, as a filter (never narrower than ``check``, which decides): of a year
        with rules, covered by one of them (programme.applies), and — but for a BIM goal, checked against the
        latest accepted report — below or without the registered 装配率 / 节能标准 it asks for. At province scale
        this leaves a few thousand of the 100,000 projects to read."""
        where = Q(pk__in=[])
        for i, year in enumerate(self.years):
            years = Q(year__gte=year)
            if i + 1 < len(self.years):
                years &= Q(year__lt=self.years[i + 1])
            for rule in self.by_year[year]:
                where |= years & _rule_scope(rule) & _may_miss_rule(rule)
        return where

    def check(self, project: Project) -> list[tuple[GoalRule, list[str]]]:
        facts = goal_facts(project)
        out = []
        for rule in self.rules_for(project.year):
            missed = programme.unmet_goals(self.specs[id(rule)], facts)
            if missed:
                out.append((rule, missed))
        return out


@dataclass(frozen=True)
class UnmetGoal:
    project_id: int
    project_code: str
    project_name: str
    county_id: int
    county_name: str
    year: int
    rule_id: int
    rule_name: str
    rule_year: int
    missed: tuple[str, ...]
    source: str = ""

    @property
    def missed_text(self) -> str:
        return "；".join(self.missed)


# What unmet_goals reads of a project: the row (code, name, county, year) and goal_facts' figures.
GOAL_FIELDS = (
    "code",
    "name",
    "year",
    "county_id",
    "category",
    "building_use",
    "government_invested",
    "prefabricated",
    "green_pilot",
    "prefab_rate",
    "energy_standard",
    "bim_applied",
)


def unmet_goals(projects, book: GoalBook | None = None) -> list[UnmetGoal]:
    """The goals each project misses (one row per project and rule), in the projects' order.

    Only the projects a rule may find short are read (``GoalBook.may_miss``; none without rules), with only the
    fields the goals and the row need: the city's dashboard counts them over every project of the city."""
    book = book or GoalBook()
    if not book.years:
        return []
    # the county's name as a column, not a Region object per row (thousands of rows on the city's dashboard)
    projects = projects.filter(book.may_miss()).only(*GOAL_FIELDS).annotate(county_name=F("county__name"))
    rows = []
    for project in with_reported_figures(projects):
        for rule, missed in book.check(project):
            rows.append(
                UnmetGoal(
                    project.pk,
                    project.code,
                    project.name,
                    project.county_id,
                    project.county_name,
                    project.year,
                    rule.pk,
                    rule.name,
                    rule.year,
                    tuple(missed),
                    goal_sources(project),
                )
            )
    return rows


def milestone_rows(project: Project, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The four milestones of a project in order (one not yet recorded too), each with its state."""
    today = today or _today()
    recorded = {m.kind: m for m in ProjectMilestone.objects.filter(project=project)}
    rows = []
    for kind, label in MilestoneKind.choices:
        m = recorded.get(kind) or ProjectMilestone(project=project, kind=kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "milestone": m,
                "state": milestone_state(m, today),
                "late": milestone_is_late(m, today),
                "days_behind": programme.days_behind(m.planned_on, m.actual_on, today),
            }
        )
    return rows
