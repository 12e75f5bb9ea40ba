"""The inspections app's plans, the draw, records, findings, publication (一公开), coverage and 专项检查.

By subject, next to it: ``rectification.py`` (a notice's answer, review, escalation, penalty, the veto's overdue
notices), ``a1.py`` (the A1 fact and its override), ``public.py`` (the public pages' reads).

Each function takes explicit arguments, runs inside ``transaction.atomic`` and raises ``ValidationError`` (Chinese
message, nothing written) or ``PermissionDenied``. Web views, API views, tasks and the demo seed call these.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts import roles
from assessment.services import recalculate_open
from core import outbox
from core.decimals import half_up2
from core.history import update_with_history
from core.uploads import CheckedUpload, prepare_upload
from core.validators import length_errors, too_long_message
from credit import services as credit_services
from evaluation.services import conflict_reason
from inspections import checklists
from inspections import draw as drawing
from inspections.models import (
    CONSTRUCTION_STAGES,
    Attachment,
    ChecklistTemplate,
    DrawScheme,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Inspector,
    PlanStatus,
    RectificationNotice,
    Severity,
)
from projects.choices import GENERAL_CONTRACTOR_ROLES, LIBRARY_STATUSES, Category, ParticipantRole, Stage
from projects.models import Participant, Project

NOTIFY_TASK = "inspections.tasks.notify_notice_event"


def local_today() -> dt.date:
    return timezone.localdate()


def recency_months_default() -> int:
    return int(settings.JINGPIN["INSPECTION_RECENCY_MONTHS"])


def reminder_days() -> int:
    return int(settings.JINGPIN["INSPECTION_REMINDER_DAYS"])


# --- permissions (the questions of accounts.roles, asked of plans, inspections and notices) ----------------
def can_manage_plan(user, plan: InspectionPlan) -> bool:
    """The organiser: the city admin for every plan, a county's staff for that county's own plans."""
    if plan.county_id:
        return roles.can_manage_county(user, plan.county_id)
    return roles.is_city_admin(user)


def can_inspect(user, inspection: Inspection) -> bool:
    """Record the inspection, its findings, close or escalate notices: a team member, the organiser, or the
    managers of the project's county (which has to enforce the rectification)."""
    if not roles.is_signed_in(user):
        return False
    if can_manage_plan(user, inspection.plan) or roles.can_manage_project(user, inspection.project):
        return True
    return inspection.team.filter(user=user).exists()


_require = roles.require


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- plans ----------------------------------------------------------------------------------------
PLAN_FIELDS = (
    "name",
    "year",
    "period_start",
    "period_end",
    "scope_categories",
    "scope_stages",
    "pilot_only",
    "jingpin_only",
    "project_count",
    "team_size",
    "enforcement_seats",
    "recency_months",
)


def _validate_plan(plan: InspectionPlan) -> None:
    errors = {}
    if plan.period_start and plan.period_end and plan.period_end < plan.period_start:
        errors["period_end"] = "检查结束日期不能早于开始日期。"
    bad = [c for c in plan.scope_categories or [] if c not in Category.values]
    if bad:
        errors["scope_categories"] = "工程类别不正确：" + "、".join(map(str, bad))
    bad = [s for s in plan.scope_stages or [] if s not in Stage.values]
    if bad:
        errors["scope_stages"] = "项目阶段不正确：" + "、".join(map(str, bad))
    if errors:
        raise ValidationError(errors)
    plan.full_clean(exclude=["county", "created_by", "drawn_by", "locked_by", "cancelled_by"])


@transaction.atomic
def create_plan(*, user, county=None, scope_counties: Iterable = (), **data) -> InspectionPlan:
    """A county's staff create plans for their own county only; the city for any county or city-wide."""
    _require(roles.has_role(user, roles.MANAGERS), "只有市局或县（市、区）住建局可以制定检查计划。")
    if user.is_county_staff:
        county = user.region
        scope_counties = [user.region]
    data.setdefault("recency_months", recency_months_default())
    plan = InspectionPlan(county=county, created_by=user, **{k: v for k, v in data.items() if k in PLAN_FIELDS})
    _validate_plan(plan)
    plan.save()
    plan.scope_counties.set(list(scope_counties))
    return plan


def eligible_projects(plan: InspectionPlan):
    """The projects the plan may draw from (its scope), as a queryset: by default only projects under construction
    (施工); other stages only when the plan lists them. The pool is frozen into the committed record at the lock."""
    qs = Project.objects.all()
    if plan.county_id:
        qs = qs.filter(county_id=plan.county_id)
    else:
        counties = [c.pk for c in plan.scope_counties.all()]
        if counties:
            qs = qs.filter(county_id__in=counties)
    if plan.scope_categories:
        qs = qs.filter(category__in=plan.scope_categories)
    qs = qs.filter(stage__in=plan.stages)  # in construction unless the plan names other stages
    if plan.pilot_only:
        qs = qs.filter(green_pilot=True)
    if plan.jingpin_only:
        qs = qs.filter(jingpin_status__in=LIBRARY_STATUSES)
    return qs


def conflict_exclusions(project_ids: list[int], inspectors: list[Inspector]) -> dict[int, dict[int, str]]:
    """{project: {inspector: reason}} for inspectors whose employer takes part in the project.

    The rule and its wording are the evaluation panels' (``evaluation.services.conflict_reason``); one query finds
    the pairs it applies to, so a plan with many projects does not ask once per pair.
    """
    by_enterprise = defaultdict(list)
    for inspector in inspectors:
        if inspector.user.enterprise_id:
            by_enterprise[inspector.user.enterprise_id].append(inspector)
    if not by_enterprise:
        return {}
    pairs = (
        Participant.objects.filter(project_id__in=project_ids, enterprise_id__in=list(by_enterprise))
        .values_list("project_id", "enterprise_id")
        .distinct()
    )
    projects = {}
    result: dict[int, dict[int, str]] = defaultdict(dict)
    for project_id, enterprise_id in pairs:
        project = projects.get(project_id) or projects.setdefault(project_id, Project.objects.get(pk=project_id))
        for inspector in by_enterprise[enterprise_id]:
            reason = conflict_reason(project, inspector.user)
            if reason:
                result[project_id][inspector.pk] = reason.replace("专家", "检查人员", 1).replace("评审", "检查")
    return result


def recency_exclusions(project_ids: list[int], inspector_ids: list[int], months: int, today: dt.date):
    """{project: {inspector: reason}} for inspectors on a team that inspected the project in the last N months."""
    if months <= 0:
        return {}
    cutoff = months_before(today, months)
    rows = (
        Inspection.team.through.objects.filter(inspection__project_id__in=project_ids, inspector_id__in=inspector_ids)
        .filter(
            Q(inspection__inspected_on__gte=cutoff)
            | Q(inspection__inspected_on__isnull=True, inspection__plan__period_start__gte=cutoff)
        )
        .values_list("inspection__project_id", "inspector_id")
    )
    result: dict[int, dict[int, str]] = defaultdict(dict)
    for project_id, inspector_id in rows:
        result[project_id][inspector_id] = f"近{months}个月内检查过本项目，须回避。"
    return result


def _frozen_exclusions(plan: InspectionPlan) -> dict[int, list[int]]:
    return {int(p): sorted(int(i) for i in reasons) for p, reasons in (plan.exclusions or {}).items()}


# --- the draw: lock (commit), then the public value (reveal) ---------------------------------------------
DRAW_TZ = ZoneInfo("Asia/Shanghai")


def draw_local_date(now: dt.datetime | None) -> dt.date:
    """The calendar day in Asia/Shanghai that dates the lock and the public value (whatever TIME_ZONE says)."""
    return timezone.localtime(now or timezone.now(), DRAW_TZ).date()


_local_date = draw_local_date


def _exclusions_for(plan: InspectionPlan, project_ids: list[int], inspectors: list[Inspector], today: dt.date):
    """{project: {inspector: (category, detailed reason)}}: recent inspection, conflict of interest."""
    inspector_ids = [i.pk for i in inspectors]
    result: dict[int, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for category, source in (
        (drawing.CONFLICT, conflict_exclusions(project_ids, inspectors)),
        (drawing.RECENT, recency_exclusions(project_ids, inspector_ids, plan.recency_months, today)),
    ):
        for project_id, reasons in source.items():
            for inspector_id, reason in reasons.items():
                result[project_id][inspector_id].append((category, reason))
    return result


def project_grades(project_ids: Iterable[int]) -> dict[int, str]:
    """{project: the worst current credit grade among its 施工总承包/工程总承包 units} (差异化监管).

    An enterprise without a credit record has the base grade (B under the default rule); so has a project without a
    general contractor on record. Two queries, whatever the number of projects.
    """
    ids = list(project_ids)
    contractors = defaultdict(set)
    for project_id, enterprise_id in Participant.objects.filter(
        project_id__in=ids, role__in=GENERAL_CONTRACTOR_ROLES
    ).values_list("project_id", "enterprise_id"):
        contractors[project_id].add(enterprise_id)
    grades = credit_services.standings({e for enterprises in contractors.values() for e in enterprises})
    base = credit_services.base_standing().grade
    worst = drawing.GRADES.index
    return {p: max((grades[e].grade for e in contractors[p]), key=worst, default=base) for p in ids}


def clean_grade_weights(weights: Mapping | None) -> dict[str, int]:
    """The weights per grade as committed ({"A": 1, …}); the defaults when none are given; else ValidationError
    (Chinese, keyed ``grade_weights``)."""
    if weights is None:
        return dict(drawing.DEFAULT_GRADE_WEIGHTS)
    if not isinstance(weights, Mapping):
        raise ValidationError({"grade_weights": "信用等级权重格式不正确，应为各等级（A、B、C、D）的整数权重。"})
    cleaned = {}
    for key, value in weights.items():
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        cleaned[str(key).strip().upper()] = value
    problems = drawing.grade_weight_problems(cleaned)
    if problems:
        raise ValidationError({"grade_weights": problems})
    return {grade: cleaned[grade] for grade in drawing.GRADES}


def build_record(
    plan: InspectionPlan,
    *,
    value_source: str,
    value_not_before: dt.date,
    now: dt.datetime,
    grade_weights: Mapping[str, int] | None = None,
):
    """The canonical record a lock commits to (layout in inspections/draw.py), and the staff-only detailed reasons.

    With ``grade_weights`` (差异化监管) the record is a v3 record: the weights, and each project's grade and weight.
    Public-safe only: project code/name/county (and grade), inspector name and kind, exclusion *categories* (never
    employers).
    """
    projects = list(
        eligible_projects(plan).select_related("county").order_by("pk").values("pk", "code", "name", "county__name")
    )
    project_ids = [p["pk"] for p in projects]
    inspectors = list(Inspector.objects.for_plan(plan).select_related("user").order_by("pk"))
    kinds = dict(Inspector.Kind.choices)
    exclusions = _exclusions_for(plan, project_ids, inspectors, _local_date(now))
    record = {
        "scheme": drawing.SCHEME_V2,
        "plan": {
            "id": plan.pk,
            "name": plan.name,
            "organiser": plan.organiser,
            "year": plan.year,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
            "scope": {
                "counties": [c.name for c in plan.scope_counties.order_by("order", "pk")]
                or ([plan.county.name] if plan.county_id else []),
                "categories": list(plan.scope_categories or []),
                "stages": plan.stages,
                "pilot_only": plan.pilot_only,
                "jingpin_only": plan.jingpin_only,
            },
            "recency_months": plan.recency_months,
        },
        "project_count": plan.project_count,
        "team": {"size": plan.team_size, "enforcement_seats": plan.enforcement_seats},
        "projects": [
            {"id": p["pk"], "code": p["code"] or "", "name": p["name"], "county": p["county__name"] or ""}
            for p in projects
        ],
        "inspectors": [
            {"id": i.pk, "name": i.name, "kind": i.kind, "kind_label": kinds.get(i.kind, i.kind)} for i in inspectors
        ],
        "exclusions": {
            str(p): [
                {"inspector": i, "reason": "、".join(sorted({c for c, _ in rows}))}
                for i, rows in sorted(by_inspector.items())
            ]
            for p, by_inspector in sorted(exclusions.items())
        },
        "public_value_source": value_source,
        "public_value_not_before": value_not_before.isoformat(),
        "locked_at": timezone.localtime(now, DRAW_TZ).replace(microsecond=0).isoformat(),
    }
    if grade_weights is not None:
        grades = project_grades(project_ids)
        record["scheme"] = drawing.SCHEME_V3
        record["weighting"] = {"basis": drawing.WEIGHT_BASIS, "weights": dict(grade_weights)}
        for project in record["projects"]:
            project["grade"] = grades[project["id"]]
            project["weight"] = grade_weights[project["grade"]]
    detailed = {
        str(p): {str(i): "；".join(r for _, r in rows) for i, rows in sorted(by_inspector.items())}
        for p, by_inspector in sorted(exclusions.items())
    }
    return record, detailed


@transaction.atomic
def lock_plan(
    plan: InspectionPlan,
    *,
    user,
    value_source: str,
    value_not_before: dt.date,
    credit_weighted: bool = False,
    grade_weights: Mapping | None = None,
    now: dt.datetime | None = None,
) -> InspectionPlan:
    """锁定并公示: freeze the canonical record and publish its SHA-256 commitment (before the value can be known).

    Refused (nothing written) unless the plan is a draft, the source of the public value is declared, its date is
    after today (Asia/Shanghai), and every eligible project has at least the team's enforcement seats (≥ 2) of
    non-excluded 执法人员. A locked plan cannot be changed or locked again: only cancelled (作废).

    ``credit_weighted`` (按信用等级差异化抽取): the projects are drawn weighted by their contractors' worst current
    credit grade; the weights per grade (``grade_weights``, default A 1, B 2, C 3, D 4; integers 1–10) and each
    project's grade and weight are frozen into the record (scheme v3), so into the commitment. Without it, the
    record is the v2 record, byte for byte as before.
    """
    now = now or timezone.now()
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    _require(can_manage_plan(user, plan), "只有计划的组织单位可以锁定公示检查计划。")
    if plan.status == PlanStatus.LOCKED:
        raise ValidationError("计划已锁定公示，不能重新锁定；如需更改，请作废本计划并重新制定。")
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(f"计划{plan.get_status_display()}，不能锁定。")
    errors = {}
    value_source = " ".join((value_source or "").split())
    if not value_source:
        errors["value_source"] = "请填写公开随机值的来源（如某日某期彩票开奖号码、某日指数收盘价）。"
    elif len(value_source) > 200:
        errors["value_source"] = "公开随机值来源不能超过200个字符。"
    today = _local_date(now)
    if value_not_before is None:
        errors["value_not_before"] = "请填写公开随机值的公布日期。"
    elif value_not_before <= today:
        errors["value_not_before"] = "公开随机值的公布日期须晚于锁定当日（北京时间），锁定时该值必须尚不可知。"
    elif value_not_before > today + dt.timedelta(days=366):
        errors["value_not_before"] = "公开随机值的公布日期不能晚于一年后。"
    weights = None
    if credit_weighted:
        try:
            weights = clean_grade_weights(grade_weights)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    record, detailed = build_record(
        plan, value_source=value_source, value_not_before=value_not_before, now=now, grade_weights=weights
    )
    problems = drawing.record_problems(record)
    if problems:
        raise ValidationError(problems)
    plan.record_json = drawing.canonical_json(record).decode("utf-8")
    plan.commitment = drawing.commitment(record)
    plan.value_source = value_source
    plan.value_not_before = value_not_before
    plan.eligible_projects = [p["id"] for p in record["projects"]]
    plan.eligible_inspectors = [i["id"] for i in record["inspectors"]]
    plan.exclusions = detailed
    plan.draw_scheme = DrawScheme.V2
    plan.credit_weighted = weights is not None
    plan.grade_weights = weights or {}
    plan.status = PlanStatus.LOCKED
    plan.locked_at = now
    plan.locked_by = user
    plan.save()
    return plan


@transaction.atomic
def cancel_plan(plan: InspectionPlan, *, user, reason: str, now: dt.datetime | None = None) -> InspectionPlan:
    """作废: the only way to change a locked plan, and only before its declared value date; the plan stays public
    with its reason (a new plan is made)."""
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    _require(can_manage_plan(user, plan), "只有计划的组织单位可以作废检查计划。")
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.LOCKED):
        raise ValidationError(f"计划{plan.get_status_display()}，不能作废。")
    if plan.status == PlanStatus.LOCKED and _local_date(now) >= plan.value_not_before:
        # Once the value can be known, cancelling would let the organiser drop a draw they dislike.
        raise ValidationError("公开随机值已到公布日期，计划不能再作废，须按声明来源公布的数值抽取。")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "请填写作废原因（将公开）。"})
    if len(reason) > 300:
        raise ValidationError({"reason": "作废原因不能超过300个字符。"})
    plan.status = PlanStatus.CANCELLED
    plan.cancel_reason = reason
    plan.cancelled_at = now or timezone.now()
    plan.cancelled_by = user
    plan.save()
    return plan


def check_public_value(plan: InspectionPlan, *, user, public_value: str, now: dt.datetime | None = None) -> str:
    """May this value be entered now? Returns it canonicalised (for the confirmation page); writes nothing."""
    _require(can_manage_plan(user, plan), "只有计划的组织单位可以输入公开随机值并抽取。")
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError("请先锁定并公示计划，再输入公开随机值。")
    if plan.status == PlanStatus.CANCELLED:
        raise ValidationError("该计划已作废，不能抽取。")
    if plan.status != PlanStatus.LOCKED or plan.draw_scheme != DrawScheme.V2:
        raise ValidationError("该计划已抽取，公开随机值只能输入一次，不能重复抽取。")
    if _local_date(now) < plan.value_not_before:
        raise ValidationError(
            {"public_value": f"公开随机值须在{plan.value_not_before:%Y年%m月%d日}（北京时间）当日或之后输入。"}
        )
    value = drawing.canonical_value(public_value)
    if not value:
        raise ValidationError({"public_value": f"请填写公开随机值：{plan.value_source}。"})
    if len(value) > 100:
        raise ValidationError({"public_value": "公开随机值不能超过100个字符。"})
    return value


def record_is_intact(plan: InspectionPlan) -> bool:
    """The stored record still hashes to the published commitment."""
    return bool(plan.record_json) and drawing.sha256_hex(plan.record_json.encode("utf-8")) == plan.commitment


def rerun_draw(plan: InspectionPlan) -> drawing.DrawResult:
    """The draw again from the plan's frozen inputs (the audit pages): must equal the stored result.

    v2 re-derives the seed from the stored record's own hash and the public value, so a changed record or value
    gives a different seed; v1 (legacy plans) from the plan id and the public value, as they were drawn.
    """
    if not plan.seed:
        raise ValidationError("该计划尚未抽取。")
    if plan.draw_scheme == DrawScheme.V2:
        record = plan.record
        digest = drawing.sha256_hex(plan.record_json.encode("utf-8"))
        seed = drawing.make_seed_v2(digest, plan.public_value, scheme=drawing.scheme_of(record))
        return drawing.draw_locked(seed, record)
    return drawing.draw(
        plan.seed,
        plan.eligible_projects,
        plan.eligible_inspectors,
        project_count=plan.project_count,
        team_size=plan.team_size,
        exclusions=_frozen_exclusions(plan),
    )


def draw_is_consistent(plan: InspectionPlan) -> bool:
    """The audit verdict: (v2) the record hashes to the commitment, the seed follows, the result re-computes."""
    rerun = rerun_draw(plan)
    if plan.draw_scheme == DrawScheme.V2 and (not record_is_intact(plan) or rerun.seed != plan.seed):
        return False
    return rerun.as_json() == plan.draw_result


@transaction.atomic
def draw_plan(plan: InspectionPlan, *, user, public_value: str, now: dt.datetime | None = None) -> InspectionPlan:
    """双随机抽取 (irreversible): the public value, once, on or after the declared date; the draw is a pure function
    of (commitment, public value) over the locked record; the inspections are created from its teams."""
    now = now or timezone.now()
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    value = check_public_value(plan, user=user, public_value=public_value, now=now)
    if not record_is_intact(plan):
        raise ValidationError("锁定记录与公示的承诺值不符，不能抽取，请立即核查！")
    plan.public_value = value
    record = plan.record
    plan.seed = drawing.make_seed_v2(plan.commitment, value, scheme=drawing.scheme_of(record))
    result = drawing.draw_locked(plan.seed, record)
    plan.draw_result = result.as_json()
    plan.status = PlanStatus.DRAWN
    plan.drawn_at = now
    plan.drawn_by = user
    plan.save()
    for order, team in enumerate(result.teams, start=1):
        inspection = Inspection.objects.create(
            plan=plan, project_id=team.project_id, draw_order=order, team_short_by=team.short_by
        )
        inspection.team.set(team.inspector_ids)
    return plan


def current_template(code: str) -> ChecklistTemplate | None:
    return ChecklistTemplate.objects.filter(code=code, active=True).order_by("-version").first()


ITEM_CATEGORY_MAX, ITEM_TEXT_MAX = 30, 200  # one checklist item's 分类 and 检查内容: longer is refused, never cut


@transaction.atomic
def save_template(code: str, name: str, items: list[Mapping], user=None) -> ChecklistTemplate:
    """A new template, or a change: in place while unused, as a new version once an inspection has used it."""
    clean = [{"category": str(i.get("category", "")).strip(), "text": str(i.get("text", "")).strip()} for i in items]
    clean = [i for i in clean if i["text"]]
    if not clean:
        raise ValidationError({"items": "检查表至少要有一项。"})
    for n, item in enumerate(clean, 1):
        for key, label, limit in (("category", "分类", ITEM_CATEGORY_MAX), ("text", "检查内容", ITEM_TEXT_MAX)):
            if len(item[key]) > limit:
                raise ValidationError({"items": f"第{n}项：{too_long_message(label, limit)}"})
    name = checklists.clean_name(name)
    if not name:
        raise ValidationError({"name": "请填写检查表名称。"})
    current = current_template(code)
    if current is not None and not current.is_used:
        current.name, current.items = name, clean
        current.save(update_fields=["name", "items"])
        return current
    version = (current.version + 1) if current else 1
    update_with_history(ChecklistTemplate.objects.filter(code=code, active=True), active=False)
    return ChecklistTemplate.objects.create(code=code, name=name, version=version, items=clean, active=True)


CHECK_VALUES = {"met": "符合", "not_met": "不符合", "na": "不适用"}


# --- the record -----------------------------------------------------------------------------------
@transaction.atomic
def record_inspection(
    inspection: Inspection,
    *,
    user,
    inspected_on: dt.date,
    template: ChecklistTemplate | None = None,
    checklist: Mapping | None = None,
    summary: str = "",
) -> Inspection:
    inspection = Inspection.objects.select_for_update().select_related("plan", "project").get(pk=inspection.pk)
    _require(can_inspect(user, inspection), "只有检查组成员或组织单位可以填写检查记录。")
    if inspection.status == InspectionStatus.CONFIRMED:
        raise ValidationError("检查结果已确认公开，不能再修改。")
    errors = {}
    if inspected_on is None:
        errors["inspected_on"] = "请填写检查日期。"
    elif inspected_on > local_today():
        errors["inspected_on"] = "检查日期不能晚于今天。"
    elif inspected_on < inspection.plan.period_start:
        errors["inspected_on"] = f"检查日期不能早于计划开始日期{inspection.plan.period_start:%Y-%m-%d}。"
    results = {}
    if template is not None:
        for index, value in (checklist or {}).items():
            try:
                position = int(index)
            except (TypeError, ValueError):
                continue
            if 0 <= position < len(template.items) and value in CHECK_VALUES:
                results[str(position)] = value
    if errors:
        raise ValidationError(errors)
    inspection.inspected_on = inspected_on
    inspection.template = template
    inspection.checklist = results
    inspection.summary = (summary or "").strip()
    inspection.status = InspectionStatus.RECORDED
    inspection.recorded_by = user
    inspection.save()
    return inspection


def check_file(uploaded) -> tuple[str | None, CheckedUpload | None]:
    """The evidence upload's checks (type from the bytes, size limit, images re-encoded without metadata)."""
    return prepare_upload(uploaded, settings.UPLOAD_MAX_BYTES)


def attach_files(finding: Finding, files: Iterable, kind: str, user) -> list[Attachment]:
    files = [f for f in files or [] if f]
    errors = []
    checked = []
    for uploaded in files:
        error, upload = check_file(uploaded)
        if error:
            errors.append(f"{getattr(uploaded, 'name', '')}：{error}")
        checked.append(upload)
    if errors:
        raise ValidationError({"files": errors})
    rows = []
    for upload in checked:
        rows.append(
            Attachment.objects.create(
                finding=finding,
                kind=kind,
                file=upload.content,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=upload.size,
                uploaded_by=user,
            )
        )
    return rows


def _notice_number(inspection: Inspection, today: dt.date) -> str:
    prefix = f"ZG{today:%Y}{inspection.project.county.code[-4:] if inspection.project.county.code else ''}"
    count = RectificationNotice.objects.filter(number__startswith=prefix).count()
    number = f"{prefix}-{count + 1:04d}"
    while RectificationNotice.objects.filter(number=number).exists():
        count += 1
        number = f"{prefix}-{count + 1:04d}"
    return number


@transaction.atomic
def add_finding(
    inspection: Inspection,
    *,
    user,
    description: str,
    severity: str,
    responsible_role: str,
    deadline: dt.date,
    checklist_item: str = "",
    files: Iterable = (),
) -> Finding:
    """A finding with its 整改通知单 to the participant of the responsible role; the unit is notified."""
    inspection = Inspection.objects.select_for_update().select_related("plan", "project__county").get(pk=inspection.pk)
    _require(can_inspect(user, inspection), "只有检查组成员或组织单位可以记录问题。")
    if inspection.status != InspectionStatus.RECORDED:
        raise ValidationError("请先填写检查记录（检查日期）；已确认公开的检查不能再增加问题。")
    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = "请填写问题描述。"
    if severity not in Severity.values:
        errors["severity"] = "请选择严重程度。"
    participant = None
    if responsible_role not in ParticipantRole.values:
        errors["responsible_role"] = "请选择责任主体。"
    else:
        participant = (
            Participant.objects.filter(project=inspection.project, role=responsible_role)
            .select_related("enterprise")
            .order_by("pk")
            .first()
        )
        if participant is None:
            errors["responsible_role"] = f"本项目没有登记{ParticipantRole(responsible_role).label}。"
    issued_on = inspection.inspected_on or local_today()
    if deadline is None:
        errors["deadline"] = "请填写整改期限。"
    elif deadline < issued_on:
        errors["deadline"] = "整改期限不能早于检查日期。"
    elif deadline > issued_on + dt.timedelta(days=365):
        errors["deadline"] = "整改期限不能超过检查日期后一年。"
    errors.update(length_errors(Finding, {"checklist_item": checklist_item}))
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(
        inspection=inspection,
        description=description,
        severity=severity,
        responsible_role=responsible_role,
        participant=participant,
        checklist_item=checklist_item or "",
        created_by=user,
    )
    attach_files(finding, files, Attachment.Kind.FINDING, user)
    notice = RectificationNotice.objects.create(
        finding=finding, number=_notice_number(inspection, issued_on), issued_on=issued_on, deadline=deadline
    )
    outbox.enqueue(NOTIFY_TASK, notice.pk, "issued")
    rescore_a1(inspection.project.county_id, deadline.year)
    return finding


def publish_working_days() -> int:
    return int(settings.JINGPIN["INSPECTION_PUBLISH_WORKING_DAYS"])


def add_weekdays(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start``, counting Monday to Friday only.

    Deliberately not the complaints' holiday calendar (inspections must not import complaints): a statutory
    holiday is counted as a working day here, which only makes the publication deadline stricter."""
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def publish_due(inspection: Inspection) -> dt.date | None:
    """The day by which the results of a recorded inspection must be published (一公开), or None before the record."""
    if inspection.inspected_on is None:
        return None
    return add_weekdays(inspection.inspected_on, publish_working_days())


def can_confirm(user, inspection: Inspection) -> bool:
    """一公开 by whoever inspects: the plan's organiser (the city for its plans, a county for its own)."""
    return can_manage_plan(user, inspection.plan)


def overdue_publications(inspections, today: dt.date | None = None) -> list[Inspection]:
    """Recorded, unconfirmed inspections past their publication deadline, oldest first (with ``publish_due`` set)."""
    today = today or local_today()
    days = publish_working_days()
    # N working days are at least N calendar days: the database narrows, the calendar decides.
    candidates = (
        inspections.filter(status=InspectionStatus.RECORDED, inspected_on__lt=today - dt.timedelta(days=days))
        .select_related("plan__county", "project__county")
        .order_by("inspected_on", "pk")
    )
    rows = []
    for inspection in candidates:
        inspection.publish_due = publish_due(inspection)
        if inspection.publish_due < today:
            rows.append(inspection)
    return rows


@transaction.atomic
def confirm_inspection(inspection: Inspection, *, user) -> Inspection:
    """The plan's organiser confirms a recorded inspection: from now on it is published (一公开)."""
    inspection = Inspection.objects.select_for_update().select_related("plan").get(pk=inspection.pk)
    _require(can_confirm(user, inspection), "只有检查计划的组织单位可以确认公开检查结果。")
    if inspection.status != InspectionStatus.RECORDED:
        raise ValidationError("只有已检查的记录可以确认公开。")
    inspection.status = InspectionStatus.CONFIRMED
    inspection.confirmed_by = user
    inspection.confirmed_at = timezone.now()
    inspection.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return inspection


# --- coverage -------------------------------------------------------------------------------------
@dataclass
class CountyCoverage:
    """One county's year of 双随机: inspections done vs planned (drawn), and the share of its projects under
    construction inspected this year. Shown beside A1, never instead of it (A1 stays the seed's words)."""

    county_id: int
    county_name: str
    planned: int
    done: int
    under_construction: int
    inspected_construction: int

    @property
    def share(self):
        """Per cent of the projects under construction inspected this year (None without any such project)."""
        if not self.under_construction:
            return None
        return half_up2(Decimal(self.inspected_construction) * 100 / Decimal(self.under_construction))

    @property
    def share_display(self) -> str:
        return "—" if self.share is None else f"{self.share}%"

    @property
    def not_done(self) -> int:
        return self.planned - self.done


def coverage(year: int, counties, until: dt.date | None = None) -> list[CountyCoverage]:
    """Per county (``counties``: Regions, in the order shown): three queries whatever the number of counties.

    Planned: inspections drawn by the year's plans on the county's projects (plans starting by ``until``, if
    given); done: those recorded (inspection date set, by ``until``). Under construction: the county's projects now
    in 施工; inspected: those of them with an inspection dated this year (by ``until``; any plan, city or county)."""
    counties = list(counties)
    ids = [c.pk for c in counties]
    until = until or dt.date(year, 12, 31)
    planned = defaultdict(lambda: [0, 0])
    drawn = Inspection.objects.filter(plan__year=year, plan__period_start__lte=until, project__county_id__in=ids)
    for county_id, inspected_on in drawn.values_list("project__county_id", "inspected_on"):
        counts = planned[county_id]
        counts[0] += 1
        if inspected_on is not None and inspected_on <= until:
            counts[1] += 1
    building = dict(
        Project.objects.filter(county_id__in=ids, stage__in=CONSTRUCTION_STAGES)
        .values("county_id")
        .annotate(n=Count("pk"))
        .values_list("county_id", "n")
    )
    inspected = dict(
        Project.objects.filter(
            county_id__in=ids,
            stage__in=CONSTRUCTION_STAGES,
            inspections__inspected_on__year=year,
            inspections__inspected_on__lte=until,
        )
        .values("county_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("county_id", "n")
    )
    return [
        CountyCoverage(
            c.pk,
            c.name,
            planned[c.pk][0],
            planned[c.pk][1],
            building.get(c.pk, 0),
            inspected.get(c.pk, 0),
        )
        for c in counties
    ]


def rescore_a1(county_id: int, year: int) -> None:
    """The county's unlocked months of the year follow the records (A1 is computed, not ticked)."""
    transaction.on_commit(lambda: recalculate_open(county_id, year, reason="双随机检查记录变更"))


GENERAL_TEMPLATE, GREEN_PILOT_TEMPLATE = "general", "green-pilot"


def default_template_for(project: Project) -> ChecklistTemplate | None:
    """The green-construction pilot checklist for pilot projects, else the general one."""
    return (current_template(GREEN_PILOT_TEMPLATE) if project.green_pilot else None) or current_template(
        GENERAL_TEMPLATE
    )


# --- 专项检查 (targeted, not drawn) ------------------------------------------------------------------
TARGETED_PLAN_DAYS = 15


@transaction.atomic
def create_targeted_plan(*, user, project: Project, reason: str) -> InspectionPlan:
    """专项检查: a plan of one named project outside the 双随机 draw (opened e.g. from a complaint), organised by the
    project's county for county staff, by the city for the city admin; its one inspection is ready to record at
    once (no record, commitment or draw, so it never appears among the public draws). The team is the organiser."""
    _require(roles.can_manage_county(user, project.county_id), "只有项目所在县（市、区）或市局可以发起专项检查。")
    today = local_today()
    name = f"专项检查：{project.name}"[:100]
    plan = InspectionPlan(
        name=name,
        county=project.county if user.is_county_staff else None,
        year=today.year,
        period_start=today,
        period_end=today + dt.timedelta(days=TARGETED_PLAN_DAYS),
        project_count=1,
        team_size=1,
        status=PlanStatus.DRAWN,
        drawn_at=timezone.now(),
        drawn_by=user,
        created_by=user,
        cancel_reason="",
    )
    plan.full_clean(exclude=["county", "created_by", "drawn_by", "locked_by", "cancelled_by"])
    plan.save()
    plan.scope_counties.set([project.county])
    Inspection.objects.create(plan=plan, project=project, draw_order=1, summary="", team_short_by=0)
    return plan
