"""Every write of the inspections app: plans, the draw, records, findings, notices, the A1 fact and its override.

Each function takes explicit arguments, runs inside ``transaction.atomic`` and raises ``ValidationError`` (Chinese
message, nothing written) or ``PermissionDenied``. Web views, API views, tasks and the demo seed call these.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts import roles
from assessment.models import AuditEntry, Submission
from assessment.services import audit, recalculate_open
from core import outbox
from core.decimals import half_up2
from core.history import update_with_history
from core.uploads import CheckedUpload, prepare_upload
from core.validators import check_lengths, length_errors, too_long_message
from credit import registry as credit_registry
from credit import services as credit_services
from evaluation.services import conflict_reason
from inspections import checklists
from inspections import draw as drawing
from inspections.choices import A1_PASSING, A1Outcome
from inspections.models import (
    CONSTRUCTION_STAGES,
    OPEN_NOTICE_STATUSES,
    PROXY_CHANNELS,
    PUBLIC_PLAN_STATUSES,
    A1Override,
    AnswerChannel,
    Attachment,
    ChecklistTemplate,
    DrawScheme,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    Inspector,
    NoticeRound,
    NoticeStatus,
    PlanStatus,
    RectificationNotice,
    Severity,
    answer_date,
)
from inspections.notices import open_notice_todos
from inspections.states import a1_outcome, notice_state, state_label
from notifications.models import Todo
from notifications.services import close_todos
from projects.models import (
    GENERAL_CONTRACTOR_ROLES,
    LIBRARY_STATUSES,
    Category,
    ConstraintKind,
    ConstraintRecord,
    ConstraintStatus,
    Participant,
    ParticipantRole,
    Project,
    Stage,
)

NOTIFY_TASK = "inspections.tasks.notify_notice_event"


def _today() -> dt.date:
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


def public_plans():
    """Plans the public sees (一公开): locked (commitment), drawn and cancelled (with reason) — never drafts."""
    return (
        InspectionPlan.objects.filter(draw_scheme=DrawScheme.V2, status__in=PUBLIC_PLAN_STATUSES)
        .exclude(commitment="")
        .select_related("county")
        .order_by("-locked_at", "-pk")
    )


def public_weighting(record: Mapping) -> dict | None:
    """For the public audit page: a credit-weighted (v3) record's weights per grade, the basis, and how many
    eligible projects have each grade; None for an unweighted record."""
    if drawing.scheme_of(record) != drawing.SCHEME_V3:
        return None
    weights = record["weighting"]["weights"]
    counts = {grade: 0 for grade in drawing.GRADES}
    for project in record["projects"]:
        counts[project["grade"]] = counts.get(project["grade"], 0) + 1
    return {
        "basis": record["weighting"]["basis"],
        "weights": [(grade, weights.get(grade)) for grade in drawing.GRADES],
        "counts": [(grade, counts[grade]) for grade in drawing.GRADES if counts[grade]],
    }


def record_stage_labels(record: Mapping) -> str:
    """The stages a locked record drew from, in words (an old record with no stages listed drew from every stage)."""
    stages = record["plan"]["scope"].get("stages") or []
    if not stages:
        return "全部阶段"
    labels = dict(Stage.choices)
    return "、".join(labels.get(s, s) for s in stages)


def public_bundle(plan: InspectionPlan) -> dict:
    """What scripts/verify-draw.py reads: the committed record, its hash, the public value, the seed, the result."""
    return {
        "scheme": drawing.scheme_of(plan.record),
        "plan_id": plan.pk,
        "status": plan.status,
        "status_display": plan.get_status_display(),
        "commitment": plan.commitment,
        "record": plan.record,
        "public_value": plan.public_value if plan.status in (PlanStatus.DRAWN, PlanStatus.CLOSED) else None,
        "seed": plan.seed or None,
        "result": plan.draw_result if plan.seed else None,
        "cancel_reason": plan.cancel_reason or None,
    }


# --- checklists -----------------------------------------------------------------------------------
def public_checklists() -> list[dict]:
    """抽查事项清单 (一公开): the current version of every checklist template, its items grouped by category."""
    rows = []
    for template in ChecklistTemplate.objects.filter(active=True).order_by("code"):
        groups: dict[str, list[str]] = {}
        for item in template.items:
            groups.setdefault(item.get("category") or "其他", []).append(item["text"])
        rows.append(
            {
                "name": checklists.clean_name(template.name),
                "version": template.version,
                "since": template.created_at,
                "count": len(template.items),
                "groups": list(groups.items()),
            }
        )
    return rows


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
    elif inspected_on > _today():
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


def _attach(finding: Finding, files: Iterable, kind: str, user) -> list[Attachment]:
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
    issued_on = inspection.inspected_on or _today()
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
    _attach(finding, files, Attachment.Kind.FINDING, user)
    notice = RectificationNotice.objects.create(
        finding=finding, number=_notice_number(inspection, issued_on), issued_on=issued_on, deadline=deadline
    )
    outbox.enqueue(NOTIFY_TASK, notice.pk, "issued")
    _rescore(inspection.project.county_id, deadline.year)
    return finding


def _locked_notice(notice: RectificationNotice) -> RectificationNotice:
    return (
        RectificationNotice.objects.select_for_update(of=("self",))
        .select_related("finding__inspection__plan", "finding__inspection__project", "finding__participant")
        .get(pk=notice.pk)
    )


def can_answer(user, notice: RectificationNotice) -> bool:
    """The responsible unit: a unit user of the enterprise the notice is addressed to."""
    return roles.is_member_of(user, notice.finding.participant.enterprise_id)


@transaction.atomic
def answer_notice(notice: RectificationNotice, *, user, answer: str, files: Iterable = ()) -> RectificationNotice:
    """The responsible unit answers (整改回复) with evidence; it may answer again until the notice is closed."""
    notice = _locked_notice(notice)
    _require(can_answer(user, notice), "只有责任单位可以回复整改通知单。")
    if notice.status not in OPEN_NOTICE_STATUSES:
        raise ValidationError(f"通知单已{notice.get_status_display()}，不能再回复。")
    answer = (answer or "").strip()
    files = [f for f in files or [] if f]
    errors = {}
    if not answer:
        errors["answer"] = "请填写整改情况。"
    if not files and not notice.finding.attachments.filter(kind=Attachment.Kind.ANSWER).exists():
        errors["files"] = "请上传整改佐证材料（照片或文件）。"
    if errors:
        raise ValidationError(errors)
    _attach(notice.finding, files, Attachment.Kind.ANSWER, user)
    notice.answer = answer
    notice.answered_at = timezone.now()
    notice.answered_by = user
    notice.answer_channel, notice.answer_received_on = AnswerChannel.ONLINE, None
    notice.status = NoticeStatus.ANSWERED
    notice.save()
    close_todos(notice, Todo.Kind.NOTICE_ANSWER)
    open_notice_todos(notice)  # now the county's: check and close
    return notice


def can_record_paper_answer(user, notice: RectificationNotice) -> bool:
    """代录: those who close the notice (the organiser, the project's county, the team) record a unit's paper answer."""
    return can_inspect(user, notice.finding.inspection)


@transaction.atomic
def record_paper_answer(
    notice: RectificationNotice,
    *,
    user,
    answer: str,
    received_on: dt.date | None,
    channel: str = AnswerChannel.PAPER,
    files: Iterable = (),
) -> RectificationNotice:
    """The county records, on the unit's behalf (代录), a paper answer or an on-site re-check, with the scanned
    document. ``received_on`` (the day the reply arrived or the re-check took place) is the answer's date: it is the
    date that counts for on time or late, not the day it was typed in. ``answered_by`` is who recorded it."""
    notice = _locked_notice(notice)
    _require(can_record_paper_answer(user, notice), "只有检查组成员或组织单位可以代录整改回复。")
    if notice.status not in OPEN_NOTICE_STATUSES:
        raise ValidationError(f"通知单已{notice.get_status_display()}，不能再回复。")
    answer = (answer or "").strip()
    files = [f for f in files or [] if f]
    errors = {}
    if channel not in PROXY_CHANNELS:
        errors["channel"] = "请选择代录方式（书面回复或现场复查）。"
    if not answer:
        errors["answer"] = "请填写整改情况。"
    if received_on is None:
        errors["received_on"] = "请填写回复收到日期。"
    elif received_on > _today():
        errors["received_on"] = "回复收到日期不能晚于今天。"
    elif received_on < notice.issued_on:
        errors["received_on"] = f"回复收到日期不能早于通知下达日期（{notice.issued_on:%Y-%m-%d}）。"
    if not files:
        errors["files"] = "请上传书面回复的扫描件或现场复查记录。"
    if errors:
        raise ValidationError(errors)
    _attach(notice.finding, files, Attachment.Kind.ANSWER, user)
    notice.answer = answer
    notice.answered_at = timezone.now()
    notice.answered_by = user
    notice.answer_channel, notice.answer_received_on = channel, received_on
    notice.status = NoticeStatus.ANSWERED
    notice.save()
    close_todos(notice, Todo.Kind.NOTICE_ANSWER)
    open_notice_todos(notice)  # now the county's: check and close
    return notice


@transaction.atomic
def close_notice(
    notice: RectificationNotice, *, user, closed_on: dt.date | None = None, note: str = ""
) -> RectificationNotice:
    """The inspector verifies the answer and closes the notice (已整改) on the day the rectification was done."""
    check_lengths(RectificationNotice, {"inspector_note": note}, keys={"inspector_note": "note"})
    notice = _locked_notice(notice)
    _require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以销号。")
    if notice.status != NoticeStatus.ANSWERED:
        raise ValidationError("责任单位尚未回复整改情况，不能销号。")
    closed_on = closed_on or _today()
    if closed_on > _today():
        raise ValidationError({"closed_on": "整改完成日期不能晚于今天。"})
    if closed_on < notice.issued_on:
        raise ValidationError({"closed_on": "整改完成日期不能早于通知下达日期。"})
    notice.status = NoticeStatus.CLOSED
    notice.closed_on = closed_on
    notice.closed_by = user
    notice.inspector_note = note or ""
    notice.save()
    close_todos(notice)
    _rescore(notice.finding.inspection.project.county_id, notice.deadline.year)
    return notice


@transaction.atomic
def return_notice(
    notice: RectificationNotice, *, user, reason: str, new_deadline: dt.date | None
) -> RectificationNotice:
    """整改不到位，退回: the inspector returns the unit's answer with a reason and a new deadline (after today). The
    answered round is kept in the history (``NoticeRound``), the notice goes back to the unit (待整改, notified, a
    new to-do); “按时” stays judged by the first deadline (``outcome``)."""
    notice = _locked_notice(notice)
    _require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以退回重新整改。")
    if notice.status != NoticeStatus.ANSWERED:
        raise ValidationError("只有责任单位已回复、尚未销号的通知单可以退回重新整改。")
    reason = " ".join((reason or "").split())
    today = _today()
    errors = {}
    if not reason:
        errors["reason"] = "请填写退回理由（整改不到位之处）。"
    elif len(reason) > 300:
        errors["reason"] = "退回理由不能超过300个字符。"
    if new_deadline is None:
        errors["new_deadline"] = "请填写新的整改期限。"
    elif new_deadline <= today:
        errors["new_deadline"] = "新的整改期限须晚于今天。"
    elif new_deadline > today + dt.timedelta(days=365):
        errors["new_deadline"] = "新的整改期限不能超过一年。"
    if errors:
        raise ValidationError(errors)
    NoticeRound.objects.create(
        notice=notice,
        number=notice.round,
        deadline=notice.deadline,
        answer=notice.answer,
        answered_on=notice.answered_on,
        answer_channel=notice.answer_channel,
        reason=reason,
        new_deadline=new_deadline,
        returned_on=today,
        returned_by=user,
    )
    notice.original_deadline = notice.first_deadline
    notice.deadline = new_deadline
    notice.round += 1
    notice.status = NoticeStatus.ISSUED
    notice.answer, notice.answered_at, notice.answered_by = "", None, None
    notice.answer_channel, notice.answer_received_on = "", None
    notice.inspector_note = reason
    notice.reminded = []
    notice.save()
    close_todos(notice)  # the county's check is done; the unit's new to-do comes with the notification
    outbox.enqueue(NOTIFY_TASK, notice.pk, "returned")
    _rescore(notice.finding.inspection.project.county_id, notice.first_deadline.year)
    return notice


def notice_history(notice: RectificationNotice) -> list[dict]:
    """Every round of a notice, oldest first: number, deadline, answer (and its date), and how the round ended."""
    rows = [
        {
            "number": r.number,
            "deadline": r.deadline,
            "answer": r.answer,
            "answered_on": r.answered_on,
            "proxy": r.answer_channel in PROXY_CHANNELS,
            "returned_on": r.returned_on,
            "reason": r.reason,
            "new_deadline": r.new_deadline,
            "returned_by": r.returned_by,
        }
        for r in notice.rounds.select_related("returned_by").order_by("number")
    ]
    if rows:
        rows.append(
            {
                "number": notice.round,
                "deadline": notice.deadline,
                "answer": notice.answer,
                "answered_on": notice.answered_on,
                "proxy": notice.answer_by_proxy,
                "current": True,
                "status": notice.public_status,
                "closed_on": notice.closed_on,
            }
        )
    return rows


def _validate_penalty(doc_no: str, on: dt.date | None) -> dict:
    errors = {}
    if not doc_no:
        errors["penalty_doc_no"] = "请填写行政处罚决定书文号。"
    if on is None:
        errors["penalty_on"] = "请填写处罚日期。"
    elif on > _today():
        errors["penalty_on"] = "处罚日期不能晚于今天。"
    return errors


@transaction.atomic
def escalate_notice(
    notice: RectificationNotice,
    *,
    user,
    note: str = "",
    penalty_doc_no: str = "",
    penalty_on: dt.date | None = None,
    penalty_note: str = "",
) -> RectificationNotice:
    """逾期未整改: a constraint record against the responsible unit (the 精品工程 veto reads it), and the
    行政处罚 with its 文号 when one was decided (it may be recorded later with ``record_penalty``)."""
    check_lengths(
        RectificationNotice, {"inspector_note": note, "penalty_note": penalty_note}, keys={"inspector_note": "note"}
    )
    notice = _locked_notice(notice)
    _require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以认定逾期。")
    if notice.status not in OPEN_NOTICE_STATUSES:
        raise ValidationError(f"通知单已{notice.get_status_display()}。")
    if notice.deadline >= _today():
        raise ValidationError(f"整改期限{notice.deadline:%Y-%m-%d}未到，不能认定逾期。")
    penalty_doc_no = (penalty_doc_no or "").strip()
    if penalty_doc_no or penalty_on:
        errors = _validate_penalty(penalty_doc_no, penalty_on)
        if errors:
            raise ValidationError(errors)
    finding = notice.finding
    # The record and the notice are read once for the 诚信档案 when both are written: the record, linked to the
    # notice, makes no entry of its own; the notice makes its escalation (and penalty) entries.
    with credit_registry.batched():
        record = ConstraintRecord.objects.create(
            participant=finding.participant,
            kind=ConstraintKind.INSPECTION_OVERDUE,
            occurred_on=_today(),
            description=f"“双随机、一公开”检查发现问题逾期未整改（通知单{notice.number}）：{finding.description}",
            required_action=note or "限期整改，逾期未整改依法处罚。",
            status=ConstraintStatus.PENDING,
            created_by=user,
        )
        notice.status = NoticeStatus.ESCALATED
        notice.escalated_on = _today()
        notice.constraint_record = record
        notice.inspector_note = note or ""
        if penalty_doc_no:
            notice.penalty_doc_no, notice.penalty_on = penalty_doc_no, penalty_on
            notice.penalty_note = penalty_note
        notice.save()
    close_todos(notice)
    _rescore(finding.inspection.project.county_id, notice.deadline.year)
    return notice


@transaction.atomic
def record_penalty(
    notice: RectificationNotice, *, user, penalty_doc_no: str, penalty_on: dt.date, penalty_note: str = ""
) -> RectificationNotice:
    notice = _locked_notice(notice)
    _require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以登记行政处罚。")
    if notice.status != NoticeStatus.ESCALATED:
        raise ValidationError("只有逾期未整改的通知单可以登记行政处罚。")
    penalty_doc_no = (penalty_doc_no or "").strip()
    errors = _validate_penalty(penalty_doc_no, penalty_on)
    errors.update(length_errors(RectificationNotice, {"penalty_note": penalty_note}))
    if errors:
        raise ValidationError(errors)
    notice.penalty_doc_no, notice.penalty_on, notice.penalty_note = penalty_doc_no, penalty_on, penalty_note
    notice.save(update_fields=["penalty_doc_no", "penalty_on", "penalty_note"])
    _rescore(notice.finding.inspection.project.county_id, notice.deadline.year)
    return notice


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
    today = today or _today()
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
    as_of = min(end, _today())  # during the month, a deadline still to come is not yet missed
    rows = [(n, outcome(n, as_of)) for n in notices]
    override = A1Override.objects.filter(county_id=county_id, year=year, month=month).first()
    return A1Fact(county_id, year, month, all(o in PASSING for _, o in rows), override, rows)


@transaction.atomic
def set_a1_override(county, year: int, month: int, *, user, value: bool | None, reason: str) -> A1Override | None:
    """The city overrides (or, with ``value=None``, clears its override of) the computed A1 fact; audited."""
    _require(roles.is_city_admin(user), "只有市局可以认定A1项。")
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
    _rescore(county.pk, year)
    return override


def _rescore(county_id: int, year: int) -> None:
    """The county's unlocked months of the year follow the records (A1 is computed, not ticked)."""
    transaction.on_commit(lambda: recalculate_open(county_id, year, reason="双随机检查记录变更"))


# --- the veto -------------------------------------------------------------------------------------
def overdue_veto_details(project: Project, on_date: dt.date) -> list[str]:
    """The 精品工程 veto's details for the project: one line per overdue notice (registered with evaluation)."""
    return [
        f"{n.finding.participant.enterprise}：整改通知单{n.number}（{n.deadline:%Y-%m-%d}到期）{n.finding.description}"
        for n in overdue_notices(project, on_date)
    ]


def overdue_notices(project: Project, on_date: dt.date | None = None):
    """Open notices of the project past their deadline: each opens the 精品工程 veto."""
    on_date = on_date or _today()
    return (
        RectificationNotice.objects.filter(finding__inspection__project=project)
        .overdue(on_date)
        .select_related("finding__participant__enterprise")
    )


GENERAL_TEMPLATE, GREEN_PILOT_TEMPLATE = "general", "green-pilot"


def default_template_for(project: Project) -> ChecklistTemplate | None:
    """The green-construction pilot checklist for pilot projects, else the general one."""
    return (current_template(GREEN_PILOT_TEMPLATE) if project.green_pilot else None) or current_template(
        GENERAL_TEMPLATE
    )


# --- 一公开 -----------------------------------------------------------------------------------------
def published_rows(project_codes) -> list[dict]:
    """The public fields of the confirmed inspections of these projects, newest first: the public project page's
    list (registered with ``disclosure.public`` from this app's ``ready()``)."""
    return list(Inspection.objects.published().filter(project__code__in=list(project_codes)).public_values())


def public_results(project: Project | None = None) -> list[dict]:
    """Confirmed inspections with public fields only: project, date, summary, findings and their status.

    No inspector, no answerer, no uploaded file, no key person: only what 一公开 makes public (the project and the
    responsible enterprise's name). Issue 18's public project page uses ``public_results(project)``.
    """
    qs = Inspection.objects.published()
    if project is not None:
        qs = qs.filter(project=project)
    rows = list(qs.public_values())
    notices = (
        RectificationNotice.objects.filter(finding__inspection_id__in=[r["pk"] for r in rows])
        .order_by("finding__inspection_id", "finding_id")
        .values(
            "finding__inspection_id",
            "finding__description",
            "finding__severity",
            "finding__participant__enterprise__name",
            "deadline",
            "status",
            "closed_on",
            "penalty_doc_no",
            "answered_at",
            "answer_channel",
            "answer_received_on",
            "original_deadline",
            "round",
        )
    )
    severity = dict(Severity.choices)
    today = _today()
    by_inspection = defaultdict(list)
    for n in notices:
        by_inspection[n["finding__inspection_id"]].append(
            {
                "description": n["finding__description"],
                "severity": severity.get(n["finding__severity"], ""),
                "responsible": n["finding__participant__enterprise__name"],
                "deadline": n["deadline"],
                "status": state_label(
                    notice_state(
                        status=n["status"],
                        deadline=n["deadline"],
                        first_deadline=n["original_deadline"] or n["deadline"],
                        closed_on=n["closed_on"],
                        answered_on=answer_date(n["answer_channel"], n["answer_received_on"], n["answered_at"]),
                        penalised=bool(n["penalty_doc_no"]),
                        round=n["round"],
                        on_date=today,
                    ),
                    round=n["round"],
                    proxy=n["answer_channel"] in PROXY_CHANNELS,
                ),
                "penalty_doc_no": n["penalty_doc_no"],
            }
        )
    return [
        {
            "id": r["pk"],
            "plan": r["plan__name"],
            "project_code": r["project__code"],
            "project_name": r["project__name"],
            "county": r["project__county__name"],
            "inspected_on": r["inspected_on"],
            "summary": r["summary"],
            "confirmed_at": r["confirmed_at"],
            "findings": by_inspection.get(r["pk"], []),
        }
        for r in rows
    ]


# --- 专项检查 (targeted, not drawn) ------------------------------------------------------------------
TARGETED_PLAN_DAYS = 15


@transaction.atomic
def create_targeted_plan(*, user, project: Project, reason: str) -> InspectionPlan:
    """专项检查: a plan of one named project outside the 双随机 draw (opened e.g. from a complaint), organised by the
    project's county for county staff, by the city for the city admin; its one inspection is ready to record at
    once (no record, commitment or draw, so it never appears among the public draws). The team is the organiser."""
    _require(roles.can_manage_county(user, project.county_id), "只有项目所在县（市、区）或市局可以发起专项检查。")
    today = _today()
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
