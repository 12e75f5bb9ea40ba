"""Every write of the awards app: explicit arguments, transaction.atomic, Chinese ValidationErrors.

Views, serializers and the seed call these; nothing else creates award records, catalogue values,
丹河杯 results or bonuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import roles
from awards import incentives
from awards.models import (
    DANHE_CODE,
    Award,
    AwardRecord,
    AwardValue,
    DanheCandidate,
    DanheSelection,
    DesignBonus,
    SavingsBonus,
)
from core.decimals import MONEY, half_up2, parse_decimal
from core.history import update_with_history
from projects.choices import GENERAL_CONTRACTOR_ROLES, JingpinStatus, ParticipantRole
from projects.models import Project

# "Passed the 精品工程 evaluation": the statuses the evaluation sets on success.
PASSED_STATUSES = (JingpinStatus.CERTIFIED, JingpinStatus.DEMONSTRATION)


# --- permissions ----------------------------------------------------------------------------------
def ensure_can_grant(project: Project | None = None, *, user, county=None) -> None:
    """City admin: any project; county staff: its own county's projects; nobody else ever.

    The project or county is a choice in the form, so one outside the county is that field's error."""
    roles.require(roles.has_role(user, roles.MANAGERS), "只有市局管理员和县局工作人员可以登记奖励。")
    county_id = project.county_id if project is not None else county
    if not roles.can_manage_county(user, county_id):
        raise ValidationError(
            {"project" if project is not None else "county": "不在您的管辖范围内：只能处理本县的项目。"}
        )


def ensure_can_record_bonus(project: Project, *, user) -> None:
    """City admin, the county's staff, or a user of the project's 建设单位 (the confirming party)."""
    roles.require(roles.is_signed_in(user), "请先登录。")
    if user.role in roles.MANAGERS:
        if not roles.can_manage_project(user, project):
            raise ValidationError({"project": "不在您的管辖范围内：只能处理本县的项目。"})
        return
    if user.is_unit_user and user.enterprise_id:
        if project.participants.filter(role=ParticipantRole.BUILDER, enterprise_id=user.enterprise_id).exists():
            return
        raise ValidationError({"project": "只有该项目的建设单位可以确认奖励。"})
    raise PermissionDenied("您的角色无权登记奖励。")


# --- participants ---------------------------------------------------------------------------------
def _resolve_enterprise(project: Project, roles: Iterable[str], chosen, *, field: str, label: str):
    """The single enterprise of the project in ``roles``, or the explicitly chosen one among them."""
    participants = list(
        project.participants.filter(role__in=list(roles)).select_related("enterprise").order_by("enterprise__name")
    )
    enterprises = {p.enterprise_id: p.enterprise for p in participants}
    if chosen is not None:
        chosen_id = getattr(chosen, "pk", chosen)
        if chosen_id not in enterprises:
            raise ValidationError({field: f"所选单位不是该项目的{label}。"})
        return enterprises[chosen_id]
    if not enterprises:
        raise ValidationError({field: f"项目“{project.name}”没有登记{label}，无法确定。"})
    if len(enterprises) > 1:
        names = "、".join(e.name for e in enterprises.values())
        raise ValidationError({field: f"项目“{project.name}”有多个{label}（{names}），请明确指定。"})
    return next(iter(enterprises.values()))


def resolve_general_contractor(project: Project, chosen=None):
    return _resolve_enterprise(
        project, GENERAL_CONTRACTOR_ROLES, chosen, field="contractor", label="施工总承包或工程总承包（EPC）单位"
    )


def resolve_builder(project: Project, chosen=None):
    return _resolve_enterprise(project, [ParticipantRole.BUILDER], chosen, field="builder", label="建设单位")


# --- catalogue ------------------------------------------------------------------------------------
@transaction.atomic
def change_award_value(
    award: Award, *, user, effective_from: dt.date, points, bonus_wan, basis: str = ""
) -> AwardValue:
    """A dated change of an award's points and/or bonus by the city admin; earlier records keep theirs."""
    roles.require_city_admin(user, "调整奖项标准")
    points = parse_decimal(points, field="points", label="积分", minimum=0)
    bonus_wan = parse_decimal(bonus_wan, field="bonus_wan", label="奖金", minimum=0)
    if effective_from is None:
        raise ValidationError({"effective_from": "请填写生效日期。"})
    award = Award.objects.select_for_update().get(pk=award.pk)
    current = award.values.order_by("-effective_from").first()
    if current and effective_from <= current.effective_from:
        raise ValidationError(
            {"effective_from": f"生效日期必须晚于现行标准的生效日期（{current.effective_from:%Y-%m-%d}）。"}
        )
    later = award.records.filter(grant_date__gte=effective_from).order_by("-grant_date").first()
    if later:
        raise ValidationError(
            {
                "effective_from": f"已有表彰日期为{later.grant_date:%Y-%m-%d}的{award.name}记录按原标准登记，"
                "新标准的生效日期不能早于或等于该日期。"
            }
        )
    return AwardValue.objects.create(
        award=award, effective_from=effective_from, points=points, bonus_wan=bonus_wan, basis=basis, created_by=user
    )


# --- award records --------------------------------------------------------------------------------
def grant_award(
    project: Project,
    *,
    user,
    award: Award,
    year: int,
    grant_date: dt.date,
    document_no: str,
    contractor=None,
    builder=None,
    note: str = "",
    selection: DanheSelection | None = None,
) -> AwardRecord:
    """Record an award: points and bonus copied from the catalogue values in force on the grant date."""
    ensure_can_grant(project, user=user)
    if award is None:
        raise ValidationError({"award": "请选择奖项。"})
    if award.code == DANHE_CODE and selection is None:
        raise ValidationError({"award": "丹河杯奖励记录由丹河杯评选确认后自动生成，不能单独登记。"})
    errors = {}
    if not year or not 2000 <= int(year) <= 2100:
        errors["year"] = "获奖年度应在2000-2100之间。"
    if grant_date is None:
        errors["grant_date"] = "请填写表彰日期。"
    elif year and grant_date < dt.date(int(year), 1, 1):
        errors["grant_date"] = "表彰日期不能早于获奖年度。"
    elif grant_date > timezone.localdate():
        errors["grant_date"] = "表彰日期不能晚于今天。"
    document_no = (document_no or "").strip()
    if not document_no:
        errors["document_no"] = "请填写表彰文号。"
    if errors:
        raise ValidationError(errors)
    value = award.value_on(grant_date)
    if value is None:
        raise ValidationError(
            {
                "grant_date": f"表彰日期{grant_date:%Y-%m-%d}时{award.name}尚无有效的积分和奖金标准（目录自2022-05-12起施行）。"
            }
        )
    contractor = resolve_general_contractor(project, contractor)
    builder = resolve_builder(project, builder)
    if AwardRecord.objects.filter(project=project, award=award, year=year).exists():
        raise ValidationError({"award": f"该项目{year}年度已获得{award.name}，不能重复登记。"})
    try:
        with transaction.atomic():
            return AwardRecord.objects.create(
                project=project,
                award=award,
                year=year,
                grant_date=grant_date,
                document_no=document_no,
                contractor=contractor,
                builder=builder,
                points=value.points,
                bonus_wan=value.bonus_wan,
                catalogue_value=value,
                selection=selection,
                note=note,
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError({"award": f"该项目{year}年度已获得{award.name}，不能重复登记。"})


# --- 丹河杯 ---------------------------------------------------------------------------------------
def danhe_award() -> Award:
    try:
        return Award.objects.get(code=DANHE_CODE)
    except Award.DoesNotExist:
        raise ValidationError("奖项目录中没有丹河杯，请先初始化奖项目录。")


def danhe_candidate_projects(county, year: int):
    """The county's projects that passed the 精品工程 evaluation, registered by ``year``, not yet 丹河杯 winners."""
    return (
        Project.objects.filter(county=county, jingpin_status__in=PASSED_STATUSES, year__lte=year)
        .exclude(award_records__award__code=DANHE_CODE)
        .order_by("code")
    )


def _ensure_draft(selection: DanheSelection) -> None:
    if selection.is_locked:
        raise ValidationError("该丹河杯评选已确认，结果已锁定，不能修改。")


@transaction.atomic
def start_danhe_selection(county, *, user, year: int) -> DanheSelection:
    ensure_can_grant(user=user, county=county)
    if county is None:
        raise ValidationError({"county": "请选择县（市、区）。"})
    if not year or not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度应在2000-2100之间。"})
    if DanheSelection.objects.filter(county=county, year=year).exists():
        raise ValidationError({"year": f"{county.name}{year}年度的丹河杯评选已存在。"})
    projects = list(danhe_candidate_projects(county, year))
    if not projects:
        raise ValidationError({"year": f"{county.name}没有通过精品工程评定且尚未获得丹河杯的项目，无法发起评选。"})
    selection = DanheSelection.objects.create(county=county, year=year, created_by=user)
    DanheCandidate.objects.bulk_create(DanheCandidate(selection=selection, project=p) for p in projects)
    return selection


@transaction.atomic
def refresh_danhe_candidates(selection: DanheSelection, *, user) -> int:
    """Add the projects that became eligible since the selection started; returns how many."""
    ensure_can_grant(user=user, county=selection.county_id)
    selection = DanheSelection.objects.select_for_update().get(pk=selection.pk)
    _ensure_draft(selection)
    existing = set(selection.candidates.values_list("project_id", flat=True))
    new = [p for p in danhe_candidate_projects(selection.county, selection.year) if p.pk not in existing]
    DanheCandidate.objects.bulk_create(DanheCandidate(selection=selection, project=p) for p in new)
    return len(new)


@dataclass
class CandidateEntry:
    score: Decimal | None = None
    rank: int | None = None
    contractor: object = None


@transaction.atomic
def update_danhe_selection(
    selection: DanheSelection, *, user, method: str, winners_count: int, entries: dict[int, CandidateEntry]
) -> DanheSelection:
    """Save the county's scores or ranks per candidate, the method and the number of winners (draft only)."""
    ensure_can_grant(user=user, county=selection.county_id)
    selection = DanheSelection.objects.select_for_update().get(pk=selection.pk)
    _ensure_draft(selection)
    if method not in DanheSelection.Method.values:
        raise ValidationError({"method": "评选方式只能是按得分或按名次。"})
    candidates = {c.pk: c for c in selection.candidates.select_related("project")}
    try:
        winners_count = int(winners_count)
    except (TypeError, ValueError):
        raise ValidationError({"winners_count": "获奖数量须为正整数。"})
    if not 1 <= winners_count <= len(candidates):
        raise ValidationError({"winners_count": f"获奖数量应在1到{len(candidates)}（候选项目数）之间。"})
    unknown = set(entries) - set(candidates)
    if unknown:
        raise ValidationError({"candidates": "候选项目不属于本次评选。"})
    for pk, entry in entries.items():
        candidate = candidates[pk]
        label = candidate.project.name
        if entry.score is not None:
            score = parse_decimal(entry.score, field="candidates", label=f"{label}的得分", minimum=0)
            if score > 100:
                raise ValidationError({"candidates": f"{label}的得分应在0到100之间。"})
            candidate.score = half_up2(score)  # a score: half-up, like every expert score
        else:
            candidate.score = None
        if entry.rank is not None:
            try:
                rank = int(entry.rank)
            except (TypeError, ValueError):
                raise ValidationError({"candidates": f"{label}的名次须为正整数。"})
            if rank < 1:
                raise ValidationError({"candidates": f"{label}的名次须为正整数。"})
            candidate.rank = rank
        else:
            candidate.rank = None
        candidate.contractor = (
            resolve_general_contractor(candidate.project, entry.contractor) if entry.contractor is not None else None
        )
        candidate.save(update_fields=["score", "rank", "contractor"])
    selection.method = method
    selection.winners_count = winners_count
    selection.save(update_fields=["method", "winners_count"])
    return selection


def danhe_winners(selection: DanheSelection) -> list[DanheCandidate]:
    candidates = list(selection.candidates.select_related("project"))
    try:
        keys = incentives.pick_winners(
            [incentives.Candidate(c.pk, c.score, c.rank, c.project.name) for c in candidates],
            selection.winners_count,
            selection.method,
        )
    except incentives.IncentiveInputError as exc:
        raise ValidationError({exc.field: exc.message})
    by_pk = {c.pk: c for c in candidates}
    return [by_pk[k] for k in keys]


@transaction.atomic
def confirm_danhe_selection(
    selection: DanheSelection, *, user, grant_date: dt.date, document_no: str
) -> list[AwardRecord]:
    """Create the winners' 丹河杯 records, flag them 优先推荐 and lock the selection — all or nothing."""
    ensure_can_grant(user=user, county=selection.county_id)
    selection = DanheSelection.objects.select_for_update().get(pk=selection.pk)
    _ensure_draft(selection)
    award = danhe_award()
    winners = danhe_winners(selection)
    records = []
    for candidate in winners:
        try:
            records.append(
                grant_award(
                    user=user,
                    project=candidate.project,
                    award=award,
                    year=selection.year,
                    grant_date=grant_date,
                    document_no=document_no,
                    contractor=candidate.contractor,
                    selection=selection,
                )
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= {"grant_date", "document_no"}:
                raise
            raise ValidationError({"candidates": f"{candidate.project.name}：{'；'.join(exc.messages)}"})
    winner_ids = [c.pk for c in winners]
    update_with_history(DanheCandidate.objects.filter(pk__in=winner_ids), is_winner=True)
    update_with_history(Project.objects.filter(pk__in=[c.project_id for c in winners]), priority_recommended=True)
    selection.status = DanheSelection.Status.CONFIRMED
    selection.grant_date = grant_date
    selection.document_no = document_no.strip()
    selection.confirmed_by = user
    selection.confirmed_at = timezone.now()
    selection.save()
    return records


# --- bonuses --------------------------------------------------------------------------------------
def _incentive_error(exc: incentives.IncentiveInputError) -> ValidationError:
    return ValidationError({exc.field: exc.message})


def _check_confirmed_on(confirmed_on) -> None:
    if confirmed_on is None:
        raise ValidationError({"confirmed_on": "请填写确认日期。"})
    if confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": "确认日期不能晚于今天。"})


@transaction.atomic
def confirm_savings_bonus(
    project: Project,
    *,
    user,
    proposer_kind: str,
    measure: str,
    amount_saved,
    confirmed_on: dt.date,
    recipient=None,
    builder=None,
) -> SavingsBonus:
    """The 建设单位 confirms a saving; the proposer gets 5 % (监理) or 30 % (工程总承包EPC only) of it."""
    ensure_can_record_bonus(project, user=user)
    if user.is_unit_user:
        builder = user.enterprise_id
    amount_saved = parse_decimal(amount_saved, field="amount_saved", label="节约金额", **MONEY)
    try:
        rate = incentives.savings_rate(proposer_kind)
        bonus = incentives.savings_bonus(amount_saved, proposer_kind)
    except incentives.IncentiveInputError as exc:
        raise _incentive_error(exc)
    measure = (measure or "").strip()
    if not measure:
        raise ValidationError({"measure": "请填写新工艺或新技术的名称。"})
    _check_confirmed_on(confirmed_on)
    if proposer_kind == "supervisor":
        recipient = _resolve_enterprise(
            project, [ParticipantRole.SUPERVISOR], recipient, field="recipient", label="监理单位"
        )
    else:
        recipient = _resolve_enterprise(
            project, [ParticipantRole.EPC], recipient, field="recipient", label="工程总承包（EPC）单位"
        )
    builder = resolve_builder(project, builder)
    return SavingsBonus.objects.create(
        project=project,
        proposer_kind=proposer_kind,
        recipient=recipient,
        builder=builder,
        measure=measure,
        amount_saved=amount_saved,
        rate_percent=rate,
        bonus=bonus,
        confirmed_on=confirmed_on,
        confirmed_by=user,
    )


@transaction.atomic
def record_design_bonus(
    project: Project,
    *,
    user,
    approved_estimate,
    drawing_budget,
    base_design_fee,
    confirmed_on: dt.date,
    designer=None,
    builder=None,
) -> DesignBonus:
    """Design-optimisation bonus: fee increase = base fee × 2 × reduction %, nothing when 预算 ≥ 概算."""
    ensure_can_record_bonus(project, user=user)
    if user.is_unit_user:
        builder = user.enterprise_id
    approved_estimate = parse_decimal(approved_estimate, field="approved_estimate", label="批复概算建安费", **MONEY)
    drawing_budget = parse_decimal(drawing_budget, field="drawing_budget", label="施工图预算建安费", **MONEY)
    base_design_fee = parse_decimal(base_design_fee, field="base_design_fee", label="施工图设计费基数", **MONEY)
    try:
        result = incentives.design_optimisation(approved_estimate, drawing_budget, base_design_fee)
    except incentives.IncentiveInputError as exc:
        raise _incentive_error(exc)
    _check_confirmed_on(confirmed_on)
    designer = _resolve_enterprise(project, [ParticipantRole.DESIGN], designer, field="designer", label="设计单位")
    builder = resolve_builder(project, builder)
    return DesignBonus.objects.create(
        project=project,
        designer=designer,
        builder=builder,
        approved_estimate=approved_estimate,
        drawing_budget=drawing_budget,
        base_design_fee=base_design_fee,
        reduction_percent=result.percent_display(result.reduction_percent),
        fee_increase_percent=result.percent_display(result.fee_increase_percent),
        fee_increase=result.fee_increase,
        confirmed_on=confirmed_on,
        confirmed_by=user,
    )
