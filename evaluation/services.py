"""Every write of the evaluation app: templates, the 精品工程 library, evaluations, panels, sheets, results.

Each function takes explicit arguments, runs inside ``transaction.atomic`` and raises Django's
``ValidationError`` (Chinese message, nothing written) or ``PermissionDenied`` when a rule is broken. Web views,
API views and the demo seed call these same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from core.decimals import fmt, parse_decimal
from core.history import update_with_history
from core.validators import check_lengths, too_long_message
from evaluation import aggregation
from evaluation.choices import (
    ELEMENT_ORDER,
    Element,
    EvaluationResult,
    EvaluationStatus,
    ReviewStatus,
    SheetStatus,
    VetoKind,
)
from evaluation.models import (
    TOTAL_POINTS,
    CertificationReview,
    CriteriaTemplate,
    Evaluation,
    PanelMember,
    Score,
    ScoreSheet,
    TemplateElement,
    TemplateItem,
    VetoItem,
)
from notifications.models import Todo
from notifications.services import close_todos, notify, open_todo
from projects.choices import OPEN_CONSTRAINT_STATUSES, Category, ConstraintKind, JingpinStatus
from projects.models import ConstraintRecord, Participant, Project

ELEMENT_NAMES = dict(Element.choices)


def pass_threshold() -> Decimal:
    return Decimal(str(settings.JINGPIN["EVALUATION_PASS_THRESHOLD"]))


def element_min_ratio() -> Decimal:
    return Decimal(str(settings.JINGPIN["EVALUATION_ELEMENT_MIN_RATIO"]))


# --- permissions ----------------------------------------------------------------------------------
def _require_manager(user, project: Project) -> None:
    roles.require_project_manager(user, project, "只有项目所在县（市、区）住建局工作人员或市局管理员可以执行该操作。")


def _require_city_admin(user) -> None:
    roles.require_city_admin(user, "修改评价标准和一票否决项")


# --- criteria templates ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemSpec:
    text: str
    max_score: Decimal


@dataclass(frozen=True)
class ElementSpec:
    element: str
    weight: Decimal
    items: tuple[ItemSpec, ...]


def validate_template_data(elements: Iterable[Mapping]) -> list[ElementSpec]:
    """Check the six elements, their weights (sum 100) and items (maxima sum to the element's weight)."""
    errors: list[str] = []
    specs: dict[str, ElementSpec] = {}
    if not isinstance(elements, (list, tuple)):
        raise ValidationError({"elements": "评价要素格式不正确：须为六个要素的列表。"})
    for raw in elements:
        if not isinstance(raw, Mapping):
            errors.append("评价要素格式不正确。")
            continue
        code = raw.get("element")
        if code not in ELEMENT_NAMES:
            errors.append(f"未知的评价要素：{code}。")
            continue
        name = ELEMENT_NAMES[code]
        if code in specs:
            errors.append(f"{name}重复。")
            continue
        try:
            weight = parse_decimal(raw.get("weight"), places=2, blank=None)
        except ValueError:
            weight = None
        if weight is None or weight <= 0:
            errors.append(f"{name}的权重须为大于0的数字（最多两位小数）。")
            continue
        items: list[ItemSpec] = []
        raw_items = raw.get("items") or []
        if not raw_items:
            errors.append(f"{name}至少需要一个评分项。")
            continue
        item_ok = True
        for n, raw_item in enumerate(raw_items, start=1):
            text = str((raw_item or {}).get("text", "")).strip()
            if not text:
                errors.append(f"{name}第{n}个评分项的内容不能为空。")
                item_ok = False
                continue
            if len(text) > 300:
                errors.append(f"{name}第{n}个评分项的内容不能超过300字。")
                item_ok = False
                continue
            try:
                maximum = parse_decimal(raw_item.get("max_score"), places=2, blank=None)
            except ValueError:
                maximum = None
            if maximum is None or maximum <= 0:
                errors.append(f"{name}第{n}个评分项的满分须为大于0的数字（最多两位小数）。")
                item_ok = False
                continue
            items.append(ItemSpec(text, maximum))
        if not item_ok:
            continue
        item_sum = sum((i.max_score for i in items), Decimal("0"))
        if item_sum != weight:
            errors.append(f"{name}各评分项满分之和（{fmt(item_sum)}分）与该要素权重（{fmt(weight)}分）不一致。")
            continue
        specs[code] = ElementSpec(code, weight, tuple(items))
    missing = [ELEMENT_NAMES[c] for c in ELEMENT_ORDER if c not in specs]
    if not errors and missing:
        errors.append(f"评价标准须包含六个要素，缺少：{'、'.join(missing)}。")
    if not errors:
        weight_sum = sum((s.weight for s in specs.values()), Decimal("0"))
        if weight_sum != TOTAL_POINTS:
            errors.append(f"六个要素的权重之和须为{fmt(TOTAL_POINTS)}分（当前为{fmt(weight_sum)}分）。")
    if errors:
        raise ValidationError({"elements": errors})
    return [specs[c] for c in ELEMENT_ORDER]


def _write_elements(template: CriteriaTemplate, specs: list[ElementSpec]) -> None:
    template.elements.all().delete()
    for order, spec in enumerate(specs, start=1):
        element = TemplateElement.objects.create(
            template=template, element=spec.element, weight=spec.weight, order=order
        )
        TemplateItem.objects.bulk_create(
            TemplateItem(element=element, text=item.text, max_score=item.max_score, order=n)
            for n, item in enumerate(spec.items, start=1)
        )


def template_data(template: CriteriaTemplate) -> list[dict]:
    """The template's elements as the plain structure the services accept (for editing and the API)."""
    return [
        {
            "element": e.element,
            "weight": e.weight,
            "items": [{"text": i.text, "max_score": i.max_score} for i in e.items.all()],
        }
        for e in template.elements.all()
    ]


def _validate_category(category: str) -> None:
    if category not in Category.values:
        raise ValidationError({"category": "请选择有效的工程类别。"})


@transaction.atomic
def create_template(category: str, elements, *, user, name: str = "", note: str = "") -> CriteriaTemplate:
    """A new version (highest + 1) of the criteria of ``category``; new evaluations use it from now on."""
    if user is not None:
        _require_city_admin(user)
    _validate_category(category)
    specs = validate_template_data(elements)
    last = CriteriaTemplate.objects.select_for_update().filter(category=category).aggregate(v=Max("version"))["v"]
    version = (last or 0) + 1

    name = (name or f"{Category(category).label}精品工程评价标准").strip()
    check_lengths(CriteriaTemplate, {"name": name, "note": note})
    template = CriteriaTemplate.objects.create(
        category=category,
        version=version,
        name=name,
        note=note,
        created_by=user,
    )
    _write_elements(template, specs)
    return template


@transaction.atomic
def edit_template(template: CriteriaTemplate, elements, *, user, name: str = "", note: str = "") -> CriteriaTemplate:
    """Change a template. A frozen version (used by an evaluation) is never changed: a new version is made
    and returned; an unused version is changed in place. Compare ``result.pk`` with ``template.pk``."""
    _require_city_admin(user)
    specs = validate_template_data(elements)
    template = CriteriaTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_frozen:
        return create_template(template.category, elements, user=user, name=name or template.name, note=note)
    check_lengths(CriteriaTemplate, {"name": name.strip(), "note": note})
    if name:
        template.name = name.strip()
    template.note = note
    template.save(update_fields=["name", "note"])
    _write_elements(template, specs)
    return template


# --- veto items -----------------------------------------------------------------------------------
@transaction.atomic
def set_veto_active(veto: VetoItem, active: bool, *, user) -> VetoItem:
    _require_city_admin(user)
    veto.is_active = bool(active)
    veto.save(update_fields=["is_active"])
    return veto


# Veto kinds whose facts another app keeps (e.g. overdue 双随机 findings: the inspections app), registered from that
# app's AppConfig.ready(): kind -> (project, on_date) -> the details (Chinese), empty when the veto does not apply.
_veto_checks: dict[str, Callable[[Project, dt.date], Iterable[str]]] = {}


def register_veto_check(kind: str, check: Callable[[Project, dt.date], Iterable[str]]) -> None:
    _veto_checks[kind] = check


def veto_findings(project: Project, on_date: dt.date | None = None) -> list[dict]:
    """The active veto items that apply to ``project`` on ``on_date``, each with its details (Chinese)."""
    on_date = on_date or timezone.localdate()
    vetoes = list(VetoItem.objects.active())
    if not vetoes:
        return []
    participants = list(Participant.objects.filter(project=project).select_related("enterprise"))
    records = list(
        ConstraintRecord.objects.filter(participant__project=project).select_related("participant__enterprise")
    )
    findings = []
    for veto in vetoes:
        details: list[str] = []
        if veto.kind in (VetoKind.QUALITY_ACCIDENT, VetoKind.SAFETY_ACCIDENT):
            kind = (
                ConstraintKind.QUALITY_ACCIDENT
                if veto.kind == VetoKind.QUALITY_ACCIDENT
                else ConstraintKind.SAFETY_ACCIDENT
            )
            details = [
                f"{r.participant.enterprise}：{r.occurred_on:%Y-%m-%d} {r.description}"
                for r in records
                if r.kind == kind
            ]
        elif veto.kind == VetoKind.OPEN_CONSTRAINT:
            details = [
                f"{r.participant.enterprise}：{r.get_kind_display()}（{r.get_status_display()}，{r.occurred_on:%Y-%m-%d}）"
                for r in records
                if r.status in OPEN_CONSTRAINT_STATUSES
            ]
        elif veto.kind == VetoKind.INSURANCE:
            details = [p for p in (x.insurance_problem(on_date) for x in participants) if p]
        elif veto.kind in _veto_checks:
            details = list(_veto_checks[veto.kind](project, on_date))
        if details:
            findings.append({"kind": veto.kind, "name": veto.name, "details": details})
    return findings


# --- the 精品工程 library ---------------------------------------------------------------------------
def _set_project_status(project: Project, status: str) -> None:
    update_with_history(Project.objects.filter(pk=project.pk), jingpin_status=status, updated_at=timezone.now())
    project.jingpin_status = status


@transaction.atomic
def add_to_library(project: Project, *, user) -> Project:
    """纳入精品工程项目库: 未纳入 (or 未通过, for another round of cultivation) → 培育中."""
    _require_manager(user, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.jingpin_status not in (JingpinStatus.NONE, JingpinStatus.FAILED):
        raise ValidationError(
            {"project": f"该项目当前状态为“{project.get_jingpin_status_display()}”，无需再纳入项目库。"}
        )
    _set_project_status(project, JingpinStatus.CULTIVATING)
    return project


# --- evaluations and panels -----------------------------------------------------------------------
def conflict_reason(project: Project, expert) -> str | None:
    """Why ``expert`` may not sit on the panel of ``project`` (their employer participates), or None."""
    if not expert.enterprise_id:
        return None
    roles = list(Participant.objects.filter(project=project, enterprise_id=expert.enterprise_id).order_by("role"))
    if not roles:
        return None
    role_names = "、".join(dict.fromkeys(p.get_role_display() for p in roles))
    return f"专家{expert.display_name}的工作单位“{roles[0].enterprise}”是本项目的{role_names}，须回避。"


def _check_expert(evaluation: Evaluation, expert) -> None:
    if not getattr(expert, "is_expert", False) or not expert.is_active:
        raise ValidationError({"expert": f"{expert}不是有效的评审专家。"})
    reason = conflict_reason(evaluation.project, expert)
    if reason:
        raise ValidationError({"expert": reason})
    if PanelMember.objects.filter(evaluation=evaluation, expert=expert).exists():
        raise ValidationError({"expert": f"专家{expert.display_name}已在本次评审组中。"})


@transaction.atomic
def open_evaluation(project: Project, *, user, year: int, due_date: dt.date, experts: Iterable = ()) -> Evaluation:
    """发起评价: the project's category fixes the criteria (its current version, frozen from now on)."""
    _require_manager(user, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors: dict[str, str] = {}
    if project.jingpin_status != JingpinStatus.CULTIVATING:
        errors["project"] = (
            f"只有纳入精品工程项目库（培育中）的项目才能发起评价，该项目当前为“{project.get_jingpin_status_display()}”。"
        )
    elif Evaluation.objects.filter(project=project, status=EvaluationStatus.OPEN).exists():
        errors["project"] = "该项目已有进行中的评价。"
    try:
        year = int(year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = "评价年度应为2000-2100之间的年份。"
    if not isinstance(due_date, dt.date):
        errors["due_date"] = "请填写评分截止日期。"
    elif not 2000 <= due_date.year <= 2100:
        errors["due_date"] = "评分截止日期应在2000-2100年之间。"
    template = CriteriaTemplate.objects.current_for(project.category)
    if template is None:
        errors.setdefault("project", f"“{project.get_category_display()}”类别尚无评价标准，请先制定。")
    experts = list(experts)
    if len({e.pk for e in experts}) < aggregation.MIN_SHEETS:
        errors["experts"] = f"评审专家组至少需要{aggregation.MIN_SHEETS}名专家。"
    if errors:
        raise ValidationError(errors)
    if not template.is_frozen:
        update_with_history(CriteriaTemplate.objects.filter(pk=template.pk), frozen_at=timezone.now())
        template.frozen_at = timezone.now()
    evaluation = Evaluation.objects.create(
        project=project, template=template, year=year, due_date=due_date, opened_by=user
    )
    seen = set()
    for expert in experts:
        if expert.pk in seen:
            continue
        seen.add(expert.pk)
        _check_expert(evaluation, expert)
        PanelMember.objects.create(evaluation=evaluation, expert=expert, assigned_by=user)
        _open_sheet_todo(evaluation, expert)
    return evaluation


def backfill_todos() -> int:
    """Each expert of an open evaluation who has not submitted a sheet yet."""
    opened = 0
    members = PanelMember.objects.filter(evaluation__status=EvaluationStatus.OPEN).select_related(
        "evaluation__project", "expert"
    )
    for member in members:
        submitted = ScoreSheet.objects.filter(
            evaluation=member.evaluation, expert=member.expert, status=SheetStatus.SUBMITTED
        ).exists()
        if not submitted:
            opened += _open_sheet_todo(member.evaluation, member.expert)
    return opened


def _open_sheet_todo(evaluation: Evaluation, expert) -> int:
    """The expert's to-do: score the project by the due date (closed when the sheet is submitted)."""
    title = f"提交评分表：{evaluation.project.name}（{evaluation.year}年度精品工程评价）"
    url = reverse("evaluation:my-sheet", args=[evaluation.pk])
    return open_todo(expert, Todo.Kind.SCORE_SHEET, evaluation, title, url, evaluation.due_date)


def _require_open(evaluation: Evaluation, message: str = "评价已结束，不能再修改。") -> None:
    if evaluation.status != EvaluationStatus.OPEN:
        raise ValidationError({"evaluation": message})


@transaction.atomic
def assign_expert(evaluation: Evaluation, expert, *, user) -> PanelMember:
    _require_manager(user, evaluation.project)
    evaluation = Evaluation.objects.select_for_update().select_related("project").get(pk=evaluation.pk)
    _require_open(evaluation, "评价已结束，不能再调整评审专家。")
    _check_expert(evaluation, expert)
    member = PanelMember.objects.create(evaluation=evaluation, expert=expert, assigned_by=user)
    _open_sheet_todo(evaluation, expert)
    return member


@transaction.atomic
def remove_expert(evaluation: Evaluation, expert, *, user) -> None:
    """Take an expert off the panel; their draft sheet goes with them. A submitted sheet cannot be withdrawn."""
    _require_manager(user, evaluation.project)
    evaluation = Evaluation.objects.select_for_update().select_related("project").get(pk=evaluation.pk)
    _require_open(evaluation, "评价已结束，不能再调整评审专家。")
    member = PanelMember.objects.filter(evaluation=evaluation, expert=expert).first()
    if member is None:
        raise ValidationError({"expert": "该专家不在本次评审组中。"})
    if ScoreSheet.objects.filter(evaluation=evaluation, expert=expert, status=SheetStatus.SUBMITTED).exists():
        raise ValidationError({"expert": "该专家已提交评分表，不能移出评审组。"})
    ScoreSheet.objects.filter(evaluation=evaluation, expert=expert).delete()
    member.delete()
    close_todos(evaluation, Todo.Kind.SCORE_SHEET, users=expert)


# --- score sheets ---------------------------------------------------------------------------------
def _require_panel_expert(evaluation: Evaluation, expert) -> None:
    if not getattr(expert, "is_expert", False):
        raise PermissionDenied("只有评审专家可以填写评分表。")
    if not PanelMember.objects.filter(evaluation=evaluation, expert=expert).exists():
        raise PermissionDenied("您不是本次评价的评审专家，不能评分。")


@transaction.atomic
def start_sheet(evaluation: Evaluation, expert) -> ScoreSheet:
    """Create the expert's (only) score sheet for ``evaluation``."""
    _require_panel_expert(evaluation, expert)
    _require_open(evaluation, "评价已结束，不能再评分。")
    if ScoreSheet.objects.filter(evaluation=evaluation, expert=expert).exists():
        raise ValidationError({"evaluation": "您已有本次评价的评分表，每位专家只能填写一张。"})
    try:
        with transaction.atomic():
            return ScoreSheet.objects.create(evaluation=evaluation, expert=expert)
    except IntegrityError:
        raise ValidationError({"evaluation": "您已有本次评价的评分表，每位专家只能填写一张。"})


def sheet_for(evaluation: Evaluation, expert) -> ScoreSheet:
    """The expert's sheet, started on first use (the web form's entry point)."""
    sheet = ScoreSheet.objects.filter(evaluation=evaluation, expert=expert).first()
    return sheet or start_sheet(evaluation, expert)


def items_of(evaluation: Evaluation) -> list[TemplateItem]:
    return list(
        TemplateItem.objects.filter(element__template_id=evaluation.template_id)
        .select_related("element")
        .order_by("element__order", "order", "pk")
    )


def _clean_scores(items: list[TemplateItem], scores: Mapping) -> tuple[dict[int, Decimal | None], dict[str, str]]:
    by_id = {item.pk: item for item in items}
    cleaned: dict[int, Decimal | None] = {}
    errors: dict[str, str] = {}
    for raw_key, raw_value in (scores or {}).items():
        try:
            key = int(raw_key)
        except (TypeError, ValueError):
            errors["scores"] = f"评分项“{raw_key}”不存在。"
            continue
        item = by_id.get(key)
        if item is None:
            errors["scores"] = f"评分项{key}不属于本次评价所用的评价标准。"
            continue
        field = f"item_{key}"
        try:
            value = parse_decimal(raw_value, places=2, blank=None)
        except ValueError:
            errors[field] = f"“{item.text}”的得分须为数字，最多保留两位小数。"
            continue
        if value is not None and value < 0:
            errors[field] = f"“{item.text}”的得分不能为负数。"
            continue
        if value is not None and value > item.max_score:
            errors[field] = f"“{item.text}”的得分不能超过该项满分{item.max_score}分。"
            continue
        cleaned[key] = value
    return cleaned, errors


def _locked_own_sheet(sheet: ScoreSheet, expert) -> ScoreSheet:
    if sheet.expert_id != getattr(expert, "pk", None):
        raise PermissionDenied("只能填写本人的评分表。")
    sheet = ScoreSheet.objects.select_for_update().select_related("evaluation").get(pk=sheet.pk)
    if sheet.status == SheetStatus.SUBMITTED:
        raise ValidationError({"sheet": "评分表已提交，不能再修改。"})
    _require_open(sheet.evaluation, "评价已结束，不能再评分。")
    _require_panel_expert(sheet.evaluation, expert)
    return sheet


def _apply(sheet: ScoreSheet, items: list[TemplateItem], cleaned: dict[int, Decimal | None], comment) -> None:
    existing = {s.item_id: s for s in sheet.scores.all()}
    for item_id, value in cleaned.items():
        current = existing.get(item_id)
        if value is None:
            if current is not None:
                current.delete()
                existing.pop(item_id)
        elif current is None:
            existing[item_id] = Score.objects.create(sheet=sheet, item_id=item_id, score=value)
        elif current.score != value:
            current.score = value
            current.save(update_fields=["score"])
    sheet.total = sum((s.score for s in existing.values()), Decimal("0.00"))
    if comment is not None:
        sheet.comment = str(comment).strip()


COMMENT_MAX = 2000  # an expert's 评审意见: longer is refused, never cut


@transaction.atomic
def save_sheet(sheet: ScoreSheet, expert, *, scores: Mapping | None = None, comment: str | None = None) -> ScoreSheet:
    """保存草稿: some or all scores (blank clears one); every given score must be valid or nothing is saved."""
    sheet = _locked_own_sheet(sheet, expert)
    items = items_of(sheet.evaluation)
    cleaned, errors = _clean_scores(items, scores or {})
    if comment is not None and len(str(comment).strip()) > COMMENT_MAX:
        errors["comment"] = too_long_message("评审意见", COMMENT_MAX)
    if errors:
        raise ValidationError(errors)
    _apply(sheet, items, cleaned, comment)
    sheet.save(update_fields=["total", "comment", "updated_at"])
    return sheet


@transaction.atomic
def submit_sheet(sheet: ScoreSheet, expert, *, scores: Mapping | None = None, comment: str | None = None) -> ScoreSheet:
    """提交: saves the given scores, then requires a score for every item; read-only afterwards."""
    sheet = _locked_own_sheet(sheet, expert)
    items = items_of(sheet.evaluation)
    cleaned, errors = _clean_scores(items, scores or {})
    if comment is not None and len(str(comment).strip()) > COMMENT_MAX:
        errors["comment"] = too_long_message("评审意见", COMMENT_MAX)
    if errors:
        raise ValidationError(errors)
    _apply(sheet, items, cleaned, comment)
    scored = set(sheet.scores.values_list("item_id", flat=True))
    missing = [item for item in items if item.pk not in scored]
    if missing:
        names = "、".join(f"“{i.text}”" for i in missing[:5]) + ("等" if len(missing) > 5 else "")
        raise ValidationError({"scores": f"评分表未填写完整，还有{len(missing)}项未评分：{names}。"})
    sheet.status = SheetStatus.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["total", "comment", "status", "submitted_at", "updated_at"])
    close_todos(sheet.evaluation, Todo.Kind.SCORE_SHEET, users=expert)
    return sheet


# --- closing and the result -----------------------------------------------------------------------
@transaction.atomic
def close_evaluation(evaluation: Evaluation, *, user, on_date: dt.date | None = None) -> Evaluation:
    """结束评价: aggregate the submitted sheets, check the vetoes, decide, and move the project's status."""
    _require_manager(user, evaluation.project)
    evaluation = Evaluation.objects.select_for_update().select_related("project", "template").get(pk=evaluation.pk)
    _require_open(evaluation, "评价已结束。")
    sheets = list(
        ScoreSheet.objects.filter(evaluation=evaluation, status=SheetStatus.SUBMITTED)
        .prefetch_related("scores")
        .order_by("submitted_at", "pk")
    )
    if len(sheets) < aggregation.MIN_SHEETS:
        raise ValidationError(
            {"evaluation": f"至少需要{aggregation.MIN_SHEETS}份已提交的评分表才能结束评价（当前{len(sheets)}份）。"}
        )
    items = items_of(evaluation)
    result = aggregation.aggregate(
        [aggregation.Item(i.pk, i.element.element, i.max_score) for i in items],
        [aggregation.Sheet(s.pk, {sc.item_id: sc.score for sc in s.scores.all()}) for s in sheets],
    )
    on_date = on_date or timezone.localdate()
    findings = veto_findings(evaluation.project, on_date)
    weights = {e.element: e.weight for e in evaluation.template.elements.all()}
    threshold = pass_threshold()
    decision = aggregation.decide(
        result.total,
        result.element_scores,
        weights,
        threshold=threshold,
        vetoes=[f["name"] for f in findings],
        element_min_ratio=element_min_ratio(),
        element_names=ELEMENT_NAMES,
    )
    for sheet in sheets:
        sheet.flagged = sheet.pk in result.flagged
        sheet.dropped = (
            "highest" if sheet.pk == result.dropped_highest else "lowest" if sheet.pk == result.dropped_lowest else ""
        )
    ScoreSheet.objects.bulk_update(sheets, ["flagged", "dropped"])
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.closed_by = user
    evaluation.closed_at = timezone.now()
    evaluation.result = EvaluationResult.PASSED if decision.passed else EvaluationResult.FAILED
    evaluation.total_score = result.total
    evaluation.element_scores = {k: str(v) for k, v in result.element_scores.items()}
    evaluation.item_scores = {str(k): str(v) for k, v in result.item_scores.items()}
    evaluation.vetoes = findings
    evaluation.fail_reasons = list(decision.reasons)
    evaluation.median_total = result.median
    evaluation.pass_threshold = threshold
    evaluation.save()
    close_todos(evaluation, Todo.Kind.SCORE_SHEET)  # a sheet not submitted by now is no longer awaited
    _set_project_status(evaluation.project, JingpinStatus.CERTIFIED if decision.passed else JingpinStatus.FAILED)
    return evaluation


MAX_DEMONSTRATIONS = 2


@transaction.atomic
def designate_demonstration(evaluation: Evaluation, *, user) -> Evaluation:
    """示范项目: a passed project; at most 2 per county, category and year."""
    _require_manager(user, evaluation.project)
    evaluation = Evaluation.objects.select_for_update().select_related("project").get(pk=evaluation.pk)
    project = evaluation.project
    if evaluation.result != EvaluationResult.PASSED:
        raise ValidationError({"evaluation": "只有评价通过的项目才能确定为示范项目。"})
    if evaluation.demonstration:
        raise ValidationError({"evaluation": "该项目已是示范项目。"})
    if project.jingpin_status != JingpinStatus.CERTIFIED:
        raise ValidationError(
            {"evaluation": f"该项目当前状态为“{project.get_jingpin_status_display()}”，不能确定为示范项目。"}
        )
    peers = list(
        Evaluation.objects.select_for_update()
        .filter(
            demonstration=True,
            year=evaluation.year,
            project__county_id=project.county_id,
            project__category=project.category,
        )
        .values_list("pk", flat=True)
    )
    if len(peers) >= MAX_DEMONSTRATIONS:
        raise ValidationError(
            {
                "evaluation": f"{project.county}{evaluation.year}年度“{project.get_category_display()}”类别"
                f"已确定{len(peers)}个示范项目，每个类别每年最多{MAX_DEMONSTRATIONS}个。"
            }
        )
    evaluation.demonstration = True
    evaluation.demonstration_at = timezone.now()
    evaluation.save(update_fields=["demonstration", "demonstration_at"])
    _set_project_status(project, JingpinStatus.DEMONSTRATION)
    return evaluation


@transaction.atomic
def revoke_demonstration(evaluation: Evaluation, *, user) -> Evaluation:
    _require_manager(user, evaluation.project)
    evaluation = Evaluation.objects.select_for_update().select_related("project").get(pk=evaluation.pk)
    if not evaluation.demonstration:
        raise ValidationError({"evaluation": "该项目不是示范项目。"})
    evaluation.demonstration = False
    evaluation.demonstration_at = None
    evaluation.save(update_fields=["demonstration", "demonstration_at"])
    _set_project_status(evaluation.project, JingpinStatus.CERTIFIED)
    return evaluation


# --- 复核: a veto event after certification -------------------------------------------------------
CERTIFIED_TITLES = (JingpinStatus.CERTIFIED, JingpinStatus.DEMONSTRATION)


def _finding_details(findings: list[dict]) -> set[str]:
    return {d for f in findings for d in f.get("details", [])}


@transaction.atomic
def review_after_veto_event(project: Project, on_date: dt.date | None = None) -> CertificationReview | None:
    """A 精品工程 or 示范项目 with a veto event (an 一票否决 item that applies now) gets a review: status 复核中 on its
    public page and a notice to the city, which keeps or revokes the title. Nothing when the project holds no title,
    a review is open, or every finding was already weighed by a decided review (the city kept the title)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.jingpin_status not in CERTIFIED_TITLES:
        return None
    if CertificationReview.objects.filter(project=project, status=ReviewStatus.OPEN).exists():
        return None
    findings = veto_findings(project, on_date)
    if not findings:
        return None
    weighed = set()
    for review in CertificationReview.objects.filter(project=project).exclude(status=ReviewStatus.OPEN):
        weighed |= _finding_details(review.findings)
    if _finding_details(findings) <= weighed:
        return None
    evaluation = (
        Evaluation.objects.filter(project=project, result=EvaluationResult.PASSED).order_by("-closed_at", "-pk").first()
    )
    review = CertificationReview.objects.create(
        project=project, evaluation=evaluation, title_status=project.jingpin_status, findings=findings
    )
    title = project.get_jingpin_status_display()
    names = "、".join(f["name"] for f in findings)
    city = list(User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True))
    transaction.on_commit(
        lambda: notify(
            city,
            f"certification-review:{review.pk}",
            f"精品工程复核：{project.name}（{title}）出现一票否决情形",
            f"{names}。请复核后决定维持或撤销“{title}”。",
            reverse("evaluation:review-detail", args=[review.pk]),
        )
    )
    return review


def review_certified_projects(on_date: dt.date | None = None) -> int:
    """The daily sweep (and the demo seed): every 精品工程/示范项目 with a new veto event gets a review."""
    opened = 0
    for project in Project.objects.filter(jingpin_status__in=CERTIFIED_TITLES).order_by("pk"):
        opened += review_after_veto_event(project, on_date) is not None
    return opened


@transaction.atomic
def decide_review(review: CertificationReview, *, user, keep: bool, reason: str) -> CertificationReview:
    """The city's decision: keep the title (维持) or revoke it (撤销: the project becomes 未通过, a 示范项目 loses its
    designation), with a reason either way."""
    roles.require_city_admin(user, "复核精品工程称号")
    review = CertificationReview.objects.select_for_update().select_related("project").get(pk=review.pk)
    if review.status != ReviewStatus.OPEN:
        raise ValidationError({"review": f"该复核已{review.get_status_display()}。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写复核决定的理由。"})
    review.status = ReviewStatus.KEPT if keep else ReviewStatus.REVOKED
    review.decided_by = user
    review.decided_at = timezone.now()
    review.reason = reason
    review.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    if not keep:
        update_with_history(
            Evaluation.objects.filter(project=review.project, demonstration=True),
            demonstration=False,
            demonstration_at=None,
        )
        _set_project_status(review.project, JingpinStatus.FAILED)
    return review
