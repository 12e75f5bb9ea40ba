"""Every write of the pilots app: apply, submit, assign reviewers, opinions, decision, revision, milestones,
checks, acceptance. Each runs in ``transaction.atomic``, checks who may act, raises ``ValidationError`` (Chinese,
nothing written) or ``PermissionDenied``, and records a PilotEvent (the journey) beside the rows' history.
Web views, API views and the demo seed call these same functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from core import outbox
from core.decimals import parse_decimal
from core.history import update_with_history
from core.uploads import prepare_upload
from core.validators import length_errors
from evaluation.services import conflict_reason
from inspections.models import ChecklistTemplate
from notifications.models import Todo
from pilots import notices
from pilots.choices import (
    INTENSIVE_MODELS,
    MILESTONE_ORDER,
    DeliveryModel,
    EventKind,
    GreenLabel,
    Milestone,
    PilotStatus,
    PilotType,
    label_meets,
)
from pilots.models import (
    Pilot,
    PilotAcceptance,
    PilotCheck,
    PilotEvent,
    PilotMilestone,
    PilotPlan,
    PilotReview,
)
from pilots.programme import PlanFacts
from projects.models import Participant, ParticipantRole, Project
from projects.services import pilot_checklist

PLAN_MAX_BYTES = 20 * 1024 * 1024
PLAN_KINDS = ("pdf", "docx", "doc")
PILOT_CHECKLIST_CODE = "green-pilot"  # inspections.checklists.GREEN_PILOT
MIN_REVIEWERS = notices.MIN_REVIEWERS
DECIMAL_TARGETS = {
    "prefab_rate": ("装配率目标", 5, 2, Decimal("100")),
    "waste_target": ("建筑垃圾排放目标", 7, 2, None),
    "green_material_share": ("绿色建材应用比例目标", 5, 2, Decimal("100")),
}
BOOL_TARGETS = (
    "standardised_design",
    "bim_design",
    "bim_production",
    "bim_construction",
    "smart_site",
    "robots",
    "pipeline_separation",
    "assembled_decoration",
)
TARGET_FIELDS = ("star_target", "delivery_model", *DECIMAL_TARGETS, *BOOL_TARGETS)


# --- helpers -----------------------------------------------------------------------------------------------------
def derived_type(project: Project) -> str:
    """四(一)'s two kinds: a government-invested project is a 政府投资公建 pilot, any other a 房地产开发 one."""
    return PilotType.PUBLIC if project.government_invested else PilotType.REAL_ESTATE


def builder_of(project: Project):
    """The project's 建设单位 (its enterprise), or None."""
    participant = (
        Participant.objects.filter(project=project, role=ParticipantRole.BUILDER).select_related("enterprise").first()
    )
    return participant.enterprise if participant else None


def is_builder_user(user, pilot: Pilot) -> bool:
    return roles.is_member_of(user, pilot.builder_id)


def _event(pilot: Pilot, kind: str, user, *, before: str | None = None, note: str = "") -> PilotEvent:
    """A step of the journey; ``before`` is the state it left (None: the state did not change, "" : none before)."""
    before = pilot.status if before is None else before
    return PilotEvent.objects.create(
        pilot=pilot, kind=kind, from_status=before, to_status=pilot.status, user=user, note=note[:500]
    )


def _move(pilot: Pilot, status: str, user, kind: str, *, note: str = "", **values) -> Pilot:
    before = pilot.status
    update_with_history(Pilot.objects.filter(pk=pilot.pk), status=status, updated_at=timezone.now(), **values)
    pilot.status = status
    for name, value in values.items():
        setattr(pilot, name, value)
    _event(pilot, kind, user, before=before, note=note)
    return pilot


def _notify_after_commit(pilot: Pilot, event: str) -> None:
    """The 建设单位's notice once the change is committed, through the outbox (pilots.notices)."""
    outbox.enqueue("pilots.tasks.notify_pilot_event", pilot.pk, event, pilot.revision)


def _lock(pilot: Pilot) -> Pilot:
    return Pilot.objects.select_for_update().select_related("project").get(pk=pilot.pk)


def _require_status(pilot: Pilot, allowed: Iterable[str], action: str) -> None:
    if pilot.status not in tuple(allowed):
        raise ValidationError(f"试点当前状态为“{pilot.get_status_display()}”，不能{action}。")


def _date(value, label: str, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationError({field: f"请填写{label}。"})
    if not 2000 <= value.year <= 2100:
        raise ValidationError({field: f"{label}应在2000-2100年之间。"})
    if value > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})
    return value


def clean_targets(targets: Mapping) -> dict:
    """The plan's targets, checked: Decimal numbers in range, known choices, booleans."""
    errors: dict[str, str] = {}
    clean: dict = {}
    star = targets.get("star_target") or GreenLabel.TWO
    if star not in GreenLabel.values:
        errors["star_target"] = "请选择绿色建筑星级目标。"
    clean["star_target"] = star
    model = targets.get("delivery_model") or DeliveryModel.GENERAL
    if model not in DeliveryModel.values:
        errors["delivery_model"] = "请选择组织管理模式。"
    clean["delivery_model"] = model
    for name, (label, digits, places, maximum) in DECIMAL_TARGETS.items():
        try:
            value = parse_decimal(
                targets.get(name),
                label=label,
                field=name,
                places=places,
                minimum=0,
                max_digits=digits,
                decimal_places=places,
                blank=None,
            )
        except ValidationError as exc:
            errors[name] = exc.message_dict[name][0]
            continue
        if value is not None and maximum is not None and value > maximum:
            errors[name] = f"{label}不能超过{maximum}%。"
        clean[name] = value
    for name in BOOL_TARGETS:
        clean[name] = bool(targets.get(name))
    if errors:
        raise ValidationError(errors)
    return clean


def _checked_document(document):
    if document is None:
        raise ValidationError({"document": "请上传绿色建造策划方案。"})
    error, checked = prepare_upload(document, PLAN_MAX_BYTES, kinds=PLAN_KINDS)
    if error:
        raise ValidationError({"document": error})
    return checked


def _new_plan(pilot: Pilot, revision: int, checked, targets: dict, user, note: str = "") -> PilotPlan:
    return PilotPlan.objects.create(
        pilot=pilot,
        revision=revision,
        file=checked.content,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
        note=note,
        **targets,
    )


# --- application -------------------------------------------------------------------------------------------------
@transaction.atomic
def apply(project: Project, *, user, document, targets: Mapping, pilot_type: str | None = None) -> Pilot:
    """申报: the project's 建设单位 files the 绿色建造策划方案 and its targets (state 申报, not yet sent)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    builder = builder_of(project)
    if builder is None:
        raise ValidationError({"project": "该项目尚未登记建设单位，不能申报绿色建造试点。"})
    roles.require(roles.is_member_of(user, builder), "只有项目建设单位的用户可以申报绿色建造试点。")
    if Pilot.objects.filter(project=project).exists():
        raise ValidationError({"project": "该项目已申报绿色建造试点（每个项目一个试点）。"})
    if pilot_type and pilot_type not in PilotType.values:
        raise ValidationError({"pilot_type": "请选择试点类型。"})
    clean = clean_targets(targets)
    checked = _checked_document(document)
    pilot = Pilot.objects.create(
        project=project, builder=builder, pilot_type=pilot_type or derived_type(project), applied_by=user
    )
    _new_plan(pilot, 1, checked, clean, user)
    _event(pilot, EventKind.APPLY, user, before="", note=f"策划方案第1版：{checked.original_name}")
    return pilot


@transaction.atomic
def submit(pilot: Pilot, *, user) -> Pilot:
    """提交评审: the application goes to the city (专家评审中); the city assigns the experts."""
    pilot = _lock(pilot)
    roles.require(is_builder_user(user, pilot), "只有项目建设单位的用户可以提交申报。")
    _require_status(pilot, (PilotStatus.DRAFT,), "提交评审")
    return _move(pilot, PilotStatus.REVIEWING, user, EventKind.SUBMIT)


@transaction.atomic
def resubmit(pilot: Pilot, *, user, document, targets: Mapping, note: str = "") -> Pilot:
    """修改后重新申报: a new version of the plan (the old ones are kept) goes back to the experts of the last round."""
    pilot = _lock(pilot)
    roles.require(is_builder_user(user, pilot), "只有项目建设单位的用户可以修改申报。")
    _require_status(pilot, (PilotStatus.RETURNED,), "修改后重新申报")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请说明针对评审意见所作的修改。"})
    if len(note) > 500:
        raise ValidationError({"note": "修改说明不能超过500个字符。"})
    clean = clean_targets(targets)
    checked = _checked_document(document)
    revision = pilot.revision + 1
    _new_plan(pilot, revision, checked, clean, user, note=note)
    previous = list(PilotReview.objects.filter(pilot=pilot, round=pilot.revision).select_related("expert"))
    _move(pilot, PilotStatus.REVIEWING, user, EventKind.RESUBMIT, note=note, revision=revision)
    for review in previous:
        if review.expert.is_active and conflict_reason(pilot.project, review.expert) is None:
            again = PilotReview.objects.create(pilot=pilot, round=revision, expert=review.expert, assigned_by=user)
            notices.open_review_todo(again)
    notices.close_pilot_todos(pilot, Todo.Kind.PILOT_RESUBMIT)
    return pilot


# --- review ------------------------------------------------------------------------------------------------------
def _check_expert(pilot: Pilot, expert) -> None:
    if not getattr(expert, "is_expert", False) or not expert.is_active:
        raise ValidationError({"experts": f"{expert}不是有效的评审专家。"})
    reason = conflict_reason(pilot.project, expert)  # the evaluation panels' 回避 rule
    if reason:
        raise ValidationError({"experts": reason})


@transaction.atomic
def assign_reviewers(pilot: Pilot, *, user, experts: Iterable) -> list[PilotReview]:
    """指派评审专家 to the current version of the plan (the evaluation roster and its conflict rule)."""
    roles.require_city_admin(user, "指派试点方案评审专家")
    pilot = _lock(pilot)
    _require_status(pilot, (PilotStatus.REVIEWING,), "指派评审专家")
    experts = list({e.pk: e for e in experts}.values())
    if not experts:
        raise ValidationError({"experts": "请选择评审专家。"})
    existing = set(PilotReview.objects.filter(pilot=pilot, round=pilot.revision).values_list("expert_id", flat=True))
    added = []
    for expert in experts:
        _check_expert(pilot, expert)
        if expert.pk in existing:
            raise ValidationError({"experts": f"专家{expert.display_name}已在本轮评审中。"})
        added.append(PilotReview.objects.create(pilot=pilot, round=pilot.revision, expert=expert, assigned_by=user))
    if len(existing) + len(added) < MIN_REVIEWERS:
        raise ValidationError({"experts": f"试点方案评审至少需要{MIN_REVIEWERS}名专家。"})
    for review in added:
        notices.open_review_todo(review)
    notices.close_pilot_todos(pilot, Todo.Kind.PILOT_DECIDE)  # a new expert's opinion is awaited again
    _event(pilot, EventKind.ASSIGN, user, note="、".join(e.display_name for e in experts))
    return added


@transaction.atomic
def record_opinion(review: PilotReview, *, user, passed: bool, opinion: str) -> PilotReview:
    """专家评审意见: the assigned expert's opinion and pass/fail on the current version (once)."""
    review = PilotReview.objects.select_for_update().select_related("pilot").get(pk=review.pk)
    roles.require(review.expert_id == getattr(user, "pk", None), "只有被指派的专家可以提交评审意见。")
    pilot = _lock(review.pilot)
    _require_status(pilot, (PilotStatus.REVIEWING,), "提交评审意见")
    if review.round != pilot.revision:
        raise ValidationError("这是已结束的评审轮次，不能再提交意见。")
    if review.passed is not None:
        raise ValidationError("评审意见已提交，不能修改。")
    if passed not in (True, False):
        raise ValidationError({"passed": "请选择通过或不通过。"})
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "请填写评审意见。"})
    if len(opinion) > 2000:
        raise ValidationError({"opinion": "评审意见不能超过2000个字符。"})
    review.passed, review.opinion, review.submitted_at = passed, opinion, timezone.now()
    review.save(update_fields=["passed", "opinion", "submitted_at"])
    _event(pilot, EventKind.OPINION, user, note=f"{'通过' if passed else '不通过'}：{opinion}")
    notices.close_review_todo(review)
    notices.open_decide_todo(pilot)  # the last opinion of the round: the city decides
    return review


@transaction.atomic
def decide(pilot: Pilot, *, user, approve: bool, note: str, on: dt.date | None = None) -> Pilot:
    """评审结论 after every assigned expert gave an opinion: 评审通过（立项） or 退回修改 (with the reasons)."""
    roles.require_city_admin(user, "作出试点评审结论")
    pilot = _lock(pilot)
    _require_status(pilot, (PilotStatus.REVIEWING,), "作出评审结论")
    reviews = list(PilotReview.objects.filter(pilot=pilot, round=pilot.revision))
    if len(reviews) < MIN_REVIEWERS:
        raise ValidationError(f"本轮评审专家不足{MIN_REVIEWERS}名，请先指派专家。")
    pending = [r for r in reviews if r.passed is None]
    if pending:
        raise ValidationError(f"还有{len(pending)}名专家未提交评审意见。")
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": "结论说明不能超过500个字符。"})
    if approve:
        passed = sum(1 for r in reviews if r.passed)
        if passed * 2 <= len(reviews):
            raise ValidationError({"approve": f"只有{passed}/{len(reviews)}名专家同意通过，未过半数，不能评审通过。"})
        on = on or timezone.localdate()
        project = pilot.project  # locked with the pilot; a save, so the 诚信档案 sources (post_save) see the flag
        if not project.green_pilot:
            project.green_pilot = True
            project.save(update_fields=["green_pilot", "updated_at"])
        _move(pilot, PilotStatus.APPROVED, user, EventKind.APPROVE, note=note, decision_note=note, approved_on=on)
        notices.close_pilot_todos(pilot, Todo.Kind.PILOT_DECIDE)
        _notify_after_commit(pilot, "approved")
        return pilot
    if not note:
        raise ValidationError({"note": "退回修改须说明修改要求。"})
    _move(pilot, PilotStatus.RETURNED, user, EventKind.RETURN, note=note, decision_note=note)
    notices.close_pilot_todos(pilot, Todo.Kind.PILOT_DECIDE)
    notices.open_resubmit_todo(pilot)
    _notify_after_commit(pilot, "returned")
    return pilot


# --- implementation ----------------------------------------------------------------------------------------------
def may_record_milestone(user, pilot: Pilot) -> bool:
    return is_builder_user(user, pilot) or roles.can_manage_project(user, pilot.project)


@transaction.atomic
def record_milestone(pilot: Pilot, *, user, milestone: str, completed_on: dt.date, note: str = "") -> PilotMilestone:
    """节点完成 in the order 策划 → 设计 → 施工（竣工）→ 运维; the first starts 实施中, 施工 leads to 专项评估验收."""
    pilot = _lock(pilot)
    roles.require(may_record_milestone(user, pilot), "只有项目建设单位或项目所在县局可以登记试点节点。")
    if milestone not in MILESTONE_ORDER:
        raise ValidationError({"milestone": "请选择节点。"})
    allowed = {
        Milestone.OPERATION: (PilotStatus.ACCEPTANCE, PilotStatus.ACCEPTED, PilotStatus.FAILED),
    }.get(milestone, (PilotStatus.APPROVED, PilotStatus.IMPLEMENTING))
    _require_status(pilot, allowed, f"登记“{Milestone(milestone).label}”节点")
    done = {m.milestone: m for m in PilotMilestone.objects.filter(pilot=pilot)}
    if milestone in done:
        raise ValidationError({"milestone": f"“{Milestone(milestone).label}”节点已登记。"})
    index = MILESTONE_ORDER.index(milestone)
    missing = [Milestone(m).label for m in MILESTONE_ORDER[:index] if m not in done]
    if missing:
        raise ValidationError({"milestone": f"请先登记“{'、'.join(missing)}”节点。"})
    completed_on = _date(completed_on, "完成日期", "completed_on")
    earlier = [done[m].completed_on for m in MILESTONE_ORDER[:index]]
    if earlier and completed_on < max(earlier):
        raise ValidationError({"completed_on": "完成日期不能早于上一节点的完成日期。"})
    if pilot.approved_on and completed_on < pilot.approved_on and milestone != Milestone.PLANNING:
        raise ValidationError({"completed_on": "完成日期不能早于立项日期。"})
    errors = length_errors(PilotMilestone, {"note": note})
    if errors:
        raise ValidationError(errors)
    row = PilotMilestone.objects.create(
        pilot=pilot, milestone=milestone, completed_on=completed_on, note=(note or "").strip(), recorded_by=user
    )
    label = f"{Milestone(milestone).label}（{completed_on:%Y-%m-%d}）"
    if milestone == Milestone.CONSTRUCTION:
        _move(pilot, PilotStatus.ACCEPTANCE, user, EventKind.MILESTONE, note=label)
        notices.open_acceptance_todo(pilot)  # 竣工: the city holds the 专项评估验收
    elif pilot.status == PilotStatus.APPROVED:
        _move(pilot, PilotStatus.IMPLEMENTING, user, EventKind.MILESTONE, note=label)
    else:
        _event(pilot, EventKind.MILESTONE, user, before=pilot.status, note=label)
    return row


def checklist_for(pilot: Pilot) -> tuple[ChecklistTemplate | None, list[str]]:
    """The items a periodic check answers: the inspections' 绿色建造试点项目检查表 (its current version) when the
    deployment has one, otherwise the points of projects.services.pilot_checklist."""
    template = ChecklistTemplate.objects.filter(code=PILOT_CHECKLIST_CODE, active=True).order_by("-version").first()
    if template is not None and template.items:
        return template, [item["text"] for item in template.items]
    return None, [item.label for item in pilot_checklist(pilot.project)]


@transaction.atomic
def record_check(
    pilot: Pilot, *, user, checked_on: dt.date, answers: Mapping[int, bool], findings: str = ""
) -> PilotCheck:
    """定期检查 (五(四)): the county's (or city's) check of a pilot under way, item by item, with its findings."""
    pilot = _lock(pilot)
    roles.require(roles.can_manage_project(user, pilot.project), "只有项目所在县局或市局可以登记试点检查。")
    _require_status(pilot, (PilotStatus.APPROVED, PilotStatus.IMPLEMENTING, PilotStatus.ACCEPTANCE), "登记定期检查")
    checked_on = _date(checked_on, "检查日期", "checked_on")
    template, texts = checklist_for(pilot)
    missing = [i + 1 for i in range(len(texts)) if i not in answers]
    if missing:
        raise ValidationError({"answers": f"请逐项填写检查结果（第{'、'.join(map(str, missing))}项未填）。"})
    findings = (findings or "").strip()
    items = [{"text": text, "met": bool(answers[i])} for i, text in enumerate(texts)]
    if any(not item["met"] for item in items) and not findings:
        raise ValidationError({"findings": "有不符合的检查项时，请填写检查发现的问题及建议。"})
    if len(findings) > 2000:
        raise ValidationError({"findings": "检查发现的问题不能超过2000个字符。"})
    check = PilotCheck.objects.create(
        pilot=pilot, checked_on=checked_on, template=template, items=items, findings=findings, checked_by=user
    )
    unmet = sum(1 for item in items if not item["met"])
    _event(
        pilot,
        EventKind.CHECK,
        user,
        before=pilot.status,
        note=f"{checked_on:%Y-%m-%d} 检查{len(items)}项，{'全部符合' if not unmet else f'{unmet}项不符合'}",
    )
    return check


@transaction.atomic
def record_acceptance(
    pilot: Pilot, *, user, accepted_on: dt.date, achieved_label: str, passed: bool, opinion: str
) -> PilotAcceptance:
    """绿色建造专项评估验收 after completion: 验收通过 needs an achieved label of 二星级 or better (四(一))."""
    roles.require_city_admin(user, "组织绿色建造专项评估验收")
    pilot = _lock(pilot)
    _require_status(pilot, (PilotStatus.ACCEPTANCE,), "登记专项评估验收（须先登记竣工节点）")
    accepted_on = _date(accepted_on, "验收日期", "accepted_on")
    construction = PilotMilestone.objects.filter(pilot=pilot, milestone=Milestone.CONSTRUCTION).first()
    if construction and accepted_on < construction.completed_on:
        raise ValidationError({"accepted_on": "验收日期不能早于竣工日期。"})
    if achieved_label not in GreenLabel.values:
        raise ValidationError({"achieved_label": "请选择取得的绿色建筑标识。"})
    if passed not in (True, False):
        raise ValidationError({"passed": "请选择验收结论。"})
    if passed and not label_meets(achieved_label):
        raise ValidationError(
            {
                "achieved_label": f"取得的标识为“{GreenLabel(achieved_label).label}”，"
                "试点项目应达到绿色建筑二星级以上，不能验收通过。"
            }
        )
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "请填写验收意见。"})
    if len(opinion) > 2000:
        raise ValidationError({"opinion": "验收意见不能超过2000个字符。"})
    acceptance = PilotAcceptance.objects.create(
        pilot=pilot,
        accepted_on=accepted_on,
        achieved_label=achieved_label,
        passed=passed,
        opinion=opinion,
        recorded_by=user,
    )
    _move(
        pilot,
        PilotStatus.ACCEPTED if passed else PilotStatus.FAILED,
        user,
        EventKind.ACCEPTANCE,
        note=f"取得{GreenLabel(achieved_label).label}；{opinion}",
    )
    notices.close_pilot_todos(pilot, Todo.Kind.PILOT_ACCEPTANCE)
    _notify_after_commit(pilot, "accepted" if passed else "failed")
    return acceptance


# --- reads shared by the pages, the API and the report ------------------------------------------------------------
def plan_facts(pilot: Pilot) -> PlanFacts:
    """The pure requirement check's input (pilots.programme.requirements) from the current plan and the acceptance."""
    plan = next((p for p in pilot.plans.all() if p.revision == pilot.revision), None)
    acceptance = getattr(pilot, "acceptance", None)  # the reverse one-to-one raises AttributeError when absent
    values = {}
    if plan is not None:
        values = {
            "star_target": plan.star_target,
            "star_target_name": plan.get_star_target_display(),
            "standardised_design": plan.standardised_design,
            "prefab_rate": plan.prefab_rate,
            "waste_target": plan.waste_target,
            "green_material_share": plan.green_material_share,
            "bim_design": plan.bim_design,
            "bim_production": plan.bim_production,
            "bim_construction": plan.bim_construction,
            "smart_site": plan.smart_site,
            "robots": plan.robots,
            "pipeline_separation": plan.pipeline_separation,
            "assembled_decoration": plan.assembled_decoration,
            "intensive_model": plan.delivery_model in INTENSIVE_MODELS,
            "delivery_model_name": plan.get_delivery_model_display(),
        }
    if acceptance is not None:
        values.update(
            achieved_label=acceptance.achieved_label,
            achieved_label_name=acceptance.get_achieved_label_display(),
            label_meets=label_meets(acceptance.achieved_label),
        )
    return PlanFacts(**values)
