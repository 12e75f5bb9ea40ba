"""Every write of the assessment app: submissions, scoring, deadlines, workflow, evidence, adjustments,
exceptions, rubric revisions — each inside a transaction, each leaving an audit entry.

Rules are checked here (not in views or serializers), so the web UI, the API and the demo seeding all
behave alike. Errors are Django ``ValidationError``/``PermissionDenied`` with Chinese messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Region
from assessment import facts as record_facts
from assessment import scoring
from assessment.choices import COUNTY_EDITABLE_STATUSES, IN_REVIEW_STATUSES, LOCKED_STATUSES, SENT_STATUSES, Status
from assessment.deadlines import deadline, paper_originals_of
from assessment.models import (
    Adjustment,
    AnnualTarget,
    AuditEntry,
    DeadlineException,
    Evidence,
    ItemScore,
    PaperEvidenceAcceptance,
    ReviewComment,
    Rubric,
    RubricGroup,
    RubricItem,
    Submission,
)
from assessment.plausibility import figure_outliers
from assessment.prefill import county_month_figures
from core import outbox
from core.decimals import cut2, fmt, parse_decimal
from core.locks import advisory_xact_lock
from core.uploads import prepare_upload
from core.validators import check_length
from notifications.models import Todo
from notifications.services import close_todos, county_staff, open_todo

TEN_THOUSAND = Decimal(10000)
# Facts computed from records, not ticked by the county (assessment/facts.py): A1's "问题均按时整改到位、依法处罚"
# comes from the 双随机 inspection records (the city may override it there, with a reason).
COMPUTED_FACTS = record_facts.COMPUTED_FACTS
EDITABLE_FIELDS = (
    Submission.FIGURE_FIELDS
    + tuple(f for f in Submission.FACT_FIELDS if f not in COMPUTED_FACTS)
    + Submission.COUNT_FIELDS
    + Submission.REPORT_FIELDS
    + ("self_score", "decrease_explanation")
)


# --- small helpers ----------------------------------------------------------------------------------
def _label(field: str) -> str:
    return str(Submission._meta.get_field(field).verbose_name)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def audit(submission, actor, kind, field, old="", new="", reason="", *, county=None, year=None, month=None):
    return AuditEntry.objects.create(
        submission=submission,
        county_id=county.pk if county is not None else (submission.county_id if submission else None),
        year=year if year is not None else (submission.year if submission else None),
        month=month if month is not None else (submission.month if submission else None),
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
        reason=reason or "",
    )


COUNTY_OWNER_ONLY = "只有本县（市、区）住建局工作人员可以填报本县的考评。"


def require_county_owner(submission: Submission, *, user) -> None:
    roles.require(roles.is_county_staff_of(user, submission.county_id), COUNTY_OWNER_ONLY)


def effective_deadline(county_id: int, year: int, month: int) -> dt.datetime:
    exception = DeadlineException.objects.filter(county_id=county_id, year=year, month=month).first()
    regular = deadline(year, month)
    return max(regular, exception.new_deadline) if exception else regular


def targets_for(county, year: int) -> dict[str, Decimal]:
    target = AnnualTarget.objects.select_related("county__parent__parent").filter(county=county, year=year).first()
    if target is None:
        return {"prefab_ratio": county.effective_prefab_target()}
    return target.as_targets()


def computed_facts(county_id: int, year: int, month: int) -> dict[str, bool]:
    """The facts the records decide (COMPUTED_FACTS) for a county and month, from the registered providers."""
    return record_facts.values(county_id, year, month)


def evidenced_codes(submission: Submission) -> frozenset[str]:
    """The items of the month that may score (无印证材料的不计分): with 印证材料, or paper originals accepted."""
    if submission.pk is None:
        return frozenset()
    uploaded = Evidence.objects.filter(submission=submission).values_list("item__code", flat=True)
    accepted = PaperEvidenceAcceptance.objects.filter(submission=submission).values_list("item__code", flat=True)
    return frozenset(uploaded) | frozenset(accepted)


def month_data(submission: Submission, targets: dict | None = None) -> scoring.MonthData:
    facts = submission.facts()
    facts.update(computed_facts(submission.county_id, submission.year, submission.month))
    return scoring.MonthData(
        figures=submission.figures(),
        facts=facts,
        counts=submission.counts(),
        targets=targets if targets is not None else targets_for(submission.county, submission.year),
        manual={k: Decimal(str(v)) for k, v in (submission.manual_scores or {}).items() if v not in (None, "")},
        evidenced=evidenced_codes(submission),
    )


def compute(submission: Submission, rules: list[scoring.ItemRule] | None = None) -> scoring.ScoreSheet:
    """The engine's score sheet for the submission as it is in memory (used by the live preview too)."""
    rules = rules if rules is not None else submission.rubric.rules()
    return scoring.score_sheet(rules, month_data(submission))


# --- scoring ----------------------------------------------------------------------------------------
def recalculate(submission: Submission, actor=None, reason: str = "") -> scoring.ScoreSheet:
    """Re-run the engine, store the item scores, the totals, the month score and the evidence flags."""
    items = list(submission.rubric.items.all())
    for fact, value in computed_facts(submission.county_id, submission.year, submission.month).items():
        setattr(submission, fact, value)  # stored too, so every reader of the row sees the computed fact
    sheet = compute(submission, [i.to_rule() for i in items])
    results = sheet.by_code()
    ItemScore.objects.filter(submission=submission).delete()
    rows, flags = [], [f for f in (submission.flags or []) if f.get("code") != "no_evidence"]
    for item in items:
        result = results[item.code]
        missing = result.evidence_missing
        rows.append(
            ItemScore(
                submission=submission,
                item=item,
                ratio=result.ratio,
                score=result.score,
                explanation=result.explanation[:300],
                applicable=result.applicable,
                evidence_missing=missing,
            )
        )
        if missing:
            flags.append(
                {
                    "code": "no_evidence",
                    "item": item.code,
                    "message": f"{item.code} 无印证材料，不计分（应得{fmt(result.earned)}分）",
                }
            )
    ItemScore.objects.bulk_create(rows)
    adjustments = list(submission.adjustments.values_list("points", flat=True))
    old_score = submission.score
    submission.items_total = sheet.total
    submission.adjustments_total = cut2(sum(adjustments, Decimal(0)))
    submission.score = scoring.month_score(sheet.total, adjustments, late=submission.is_late)
    submission.flags = flags
    submission.save(update_fields=["items_total", "adjustments_total", "score", "flags", *COMPUTED_FACTS, "updated_at"])
    if cut2(old_score) != submission.score and submission.status != Status.DRAFT:
        audit(submission, actor, AuditEntry.Kind.SCORE, "月度得分", cut2(old_score), submission.score, reason)
    return sheet


def recalculate_open(county_id: int, year: int, actor=None, reason: str = "") -> int:
    """Re-score the county's unlocked submissions of a year (after its targets changed)."""
    subs = Submission.objects.filter(county_id=county_id, year=year).exclude(status__in=LOCKED_STATUSES)
    count = 0
    for sub in subs.select_related("county", "rubric"):
        recalculate(sub, actor, reason)
        count += 1
    return count


def rescore_after_region_change(sender, *, region, fields, user, **kwargs) -> int:
    """A region's 装配式 target ratio changed (accounts.services.save_region): re-score the unlocked months of every
    county at or below it that reads it (a year's target with its own ratio does not)."""
    if "prefab_target_ratio" not in fields:
        return 0

    counties = {region.pk} if region.level == Region.Level.COUNTY else set()
    frontier = {region.pk}
    while frontier:
        children = set(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - counties
        counties |= set(Region.objects.filter(pk__in=children, level=Region.Level.COUNTY).values_list("pk", flat=True))
        frontier = children
    years = (
        Submission.objects.filter(county_id__in=counties)
        .exclude(status__in=LOCKED_STATUSES)
        .values_list("county_id", "year")
        .distinct()
    )
    return sum(recalculate_open(county_id, year, user, "装配式建筑目标比例变更") for county_id, year in years)


# --- county side --------------------------------------------------------------------------------------
@transaction.atomic
def get_or_create_submission(county, year: int, month: int, *, user) -> Submission:
    roles.require(roles.can_manage_county(user, county), COUNTY_OWNER_ONLY)
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": "月份应为1-12。"})
    today = timezone.localdate()
    if (int(year), int(month)) > (today.year, today.month):
        raise ValidationError({"month": f"{year}年{month}月尚未开始，不能填报未来月份的考评。"})
    # Two users of one county opening the same month at once: the second waits for the first and gets its row.
    advisory_xact_lock(f"submission:{county.pk}:{int(year)}:{int(month)}")
    existing = Submission.objects.filter(county=county, year=year, month=month).first()
    if existing:
        return existing
    rubric = Rubric.objects.current(year)
    if rubric is None:
        raise ValidationError({"year": f"{year}年尚未设定考评赋分表，请联系市局。"})
    submission = Submission(county=county, year=year, month=month, rubric=rubric, created_by=user)
    previous = previous_submission(submission)
    if previous is not None:
        # the year's cumulative figures and counts carry over from the last month sent; the facts, the report and the
        # self-score are the month's own and start blank (SPEC §5.1: figures are cumulative for the year to date)
        for field in CARRIED_OVER_FIELDS:
            setattr(submission, field, getattr(previous, field))
    submission.save()
    audit(submission, user, AuditEntry.Kind.STATUS, "状态", "", Status.DRAFT.label, "新建月度考评")
    if previous is not None:
        audit(submission, user, AuditEntry.Kind.FIGURE, "累计数据", "", f"{previous.month}月累计", "由上月累计数据起填")
    recalculate(submission, user)
    return submission


# what a new month starts from: last month's year-to-date figures and counts (both cumulative)
CARRIED_OVER_FIELDS = Submission.FIGURE_FIELDS + Submission.COUNT_FIELDS


def coerce_value(field: str, value):
    """A submitted form or API value of ``field`` as the model stores it (Chinese ``ValidationError`` if not)."""
    model_field = Submission._meta.get_field(field)
    if value in ("", None):
        if field in Submission.FACT_FIELDS:
            return False
        if field in Submission.COUNT_FIELDS:
            return 0
        return None if model_field.null else ""
    if field in Submission.FACT_FIELDS:
        return value in (True, "true", "True", "on", "1", 1)
    if field in Submission.COUNT_FIELDS:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({field: "请输入整数。"})
        if number < 0:
            raise ValidationError({field: "不能为负数。"})
        return number
    if field in Submission.FIGURE_FIELDS or field == "self_score":
        return parse_decimal(
            value,
            field=field,
            minimum=0,
            max_digits=model_field.max_digits,
            decimal_places=model_field.decimal_places,
            cut=True,  # 只舍不入
        )
    return str(value)


@transaction.atomic
def update_submission(submission: Submission, data: dict, *, user, notes: dict | None = None) -> Submission:
    """The county edits its draft (or returned) month. Every changed value is audited."""
    submission = _save_changes(submission, data, user, notes)
    recalculate(submission, user)
    return submission


def update_and_submit(
    submission: Submission, data: dict, *, user, notes: dict | None = None, now: dt.datetime | None = None
) -> Submission:
    """The county's form sent with 报送: the edits are kept even when the submission is refused, and the score is
    recalculated once in either case (by ``submit``, or for the draft when ``submit`` refuses)."""
    with transaction.atomic():
        submission = _save_changes(submission, data, user, notes)
    try:
        return submit(submission, user=user, now=now)
    except ValidationError:
        with transaction.atomic():
            recalculate(Submission.objects.select_for_update().get(pk=submission.pk), user)
        raise


def _save_changes(submission: Submission, data: dict, user, notes: dict | None) -> Submission:
    """Validate and store the county's edits with their audit entries; the caller recalculates (in its transaction)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require_county_owner(submission, user=user)
    if submission.status not in COUNTY_EDITABLE_STATUSES:
        raise ValidationError(f"当前状态为“{submission.get_status_display()}”，不能修改。")
    notes = {k: (v or "").strip() for k, v in (notes or {}).items() if k in Submission.FIGURE_FIELDS}
    errors, changes = {}, []
    for field, raw in data.items():
        if field not in EDITABLE_FIELDS:
            continue
        try:
            value = coerce_value(field, raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        old = getattr(submission, field)
        if old != value:
            changes.append((field, old, value))
            setattr(submission, field, value)
    if errors:
        raise ValidationError(errors)
    correction_notes = dict(submission.correction_notes or {})
    for field, note in notes.items():
        if note and correction_notes.get(field) != note:
            correction_notes[field] = note
    submission.correction_notes = correction_notes
    submission.full_clean(exclude=["rubric", "county", "created_by"], validate_unique=False)
    submission.save()
    for field, old, new in changes:
        kind = AuditEntry.Kind.FIGURE
        reason = correction_notes.get(field, "") if field in (submission.prefilled or {}) else ""
        audit(submission, user, kind, _label(field), old, new, reason)
    return submission


@transaction.atomic
def prefill_from_projects(submission: Submission, *, user) -> dict[str, Decimal]:
    """Fill the area figures from ACCEPTED monthly project reports (January..month, m² → 万m², cut)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require_county_owner(submission, user=user)
    if submission.status not in COUNTY_EDITABLE_STATUSES:
        raise ValidationError(f"当前状态为“{submission.get_status_display()}”，不能修改。")
    figures = county_month_figures(submission.county_id, submission.year, submission.month, cumulative=True)
    previous = previous_submission(submission)
    filled, prefilled = {}, dict(submission.prefilled or {})
    for field in Submission.FIGURE_FIELDS:
        if field not in figures.values:
            continue
        value = cut2(figures.values[field] / TEN_THOUSAND)
        floor = getattr(previous, field) if previous is not None else None
        if floor is not None and value < floor:
            value = floor  # never below last month's cumulative figure: the clerk chooses (prefill_choices)
        old = getattr(submission, field)
        setattr(submission, field, value)
        prefilled[field] = str(value)
        filled[field] = value
        if old != value:
            audit(
                submission,
                user,
                AuditEntry.Kind.FIGURE,
                _label(field),
                old,
                value,
                f"由已接收的项目月报预填（{figures.report_count}份）",
            )
    submission.prefilled = prefilled
    submission.save()
    recalculate(submission, user)
    return filled


def prefill_choices(submission: Submission) -> dict[str, dict]:
    """The prefilled figures where the accepted project reports give less than last month's cumulative figure:
    field → {"projects": X, "previous": Y, "month": M}. 预填 kept Y; the clerk chooses (X needs the decrease note)."""
    prefilled = submission.prefilled or {}
    previous = previous_submission(submission)
    if not prefilled or previous is None:
        return {}
    figures = county_month_figures(submission.county_id, submission.year, submission.month, cumulative=True)
    choices = {}
    for field in prefilled:
        if field not in figures.values or getattr(previous, field, None) is None:
            continue
        projects = cut2(figures.values[field] / TEN_THOUSAND)
        if projects < getattr(previous, field):
            choices[field] = {"projects": projects, "previous": getattr(previous, field), "month": previous.month}
    return choices


def previous_submission(submission: Submission) -> Submission | None:
    return (
        Submission.objects.filter(
            county_id=submission.county_id, year=submission.year, month__lt=submission.month, status__in=SENT_STATUSES
        )
        .order_by("-month")
        .first()
    )


def validate_for_submission(submission: Submission) -> tuple[dict[str, list[str]], list[dict]]:
    """(errors that refuse the submission, flags for the reviewer)."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field in Submission.FIGURE_FIELDS:
        value = getattr(submission, field)
        if value is None:
            add(field, "必填：数据为0的也要填写0，不能空白。")
        elif value < 0:
            add(field, "不能为负数。")
    for field in ("report_tasks", "report_progress", "report_problems"):
        if not (getattr(submission, field) or "").strip():
            add(field, "自查自评报告此部分不能为空。")
    if submission.self_score is None:
        add("self_score", "请填写自评得分。")
    new_area = submission.new_building_area
    if new_area is not None and new_area > 0:
        for part in ("prefab_area", "green_area_accepted", "green_area_star_rated", "renewable_area"):
            value = getattr(submission, part)
            if value is not None and value > new_area:
                add(part, f"占城镇新建建筑面积的比例超过100%（{value} > {new_area}），请核实。")
    elif new_area == 0:
        for part in ("prefab_area", "green_area_accepted", "green_area_star_rated", "renewable_area"):
            value = getattr(submission, part)
            if value:
                add(part, "城镇新建建筑面积为0，此面积不能大于0（比例应在0-100%之间）。")
    star, accepted = submission.green_area_star_rated, submission.green_area_accepted
    if star is not None and accepted is not None and star > accepted:
        add("green_area_star_rated", "星级绿色建筑面积不能大于验收绿色建筑面积。")
    choices = prefill_choices(submission)
    for field, original in (submission.prefilled or {}).items():
        current = getattr(submission, field, None)
        if field in choices and current == choices[field]["projects"]:
            continue  # the clerk chose the project data the system showed: the decrease note below still applies
        if current is not None and str(current) != original and not (submission.correction_notes or {}).get(field):
            add(field, f"该数值由项目月报预填为{original}，修改后请填写更正说明。")
    previous = previous_submission(submission)
    flags = []
    if previous is not None:
        decreased = [
            f
            for f in Submission.FIGURE_FIELDS
            if getattr(previous, f) is not None
            and getattr(submission, f) is not None
            and getattr(submission, f) < getattr(previous, f)
        ]
        if decreased and not submission.decrease_explanation.strip():
            for f in decreased:
                add(f, f"累计数低于{previous.month}月的{getattr(previous, f)}，请在“累计数低于上月的说明”中说明原因。")
        history = list(
            Submission.objects.filter(county_id=submission.county_id, year=submission.year, month__lt=submission.month)
            .filter(status__in=SENT_STATUSES)
            .order_by("month")
            .values("month", *Submission.FIGURE_FIELDS)
        )
        flags = figure_outliers(history, submission.figures(), {f: _label(f) for f in Submission.FIGURE_FIELDS})
    return errors, flags


@dataclass(frozen=True)
class PresendCheck:
    """What 报送市局 would give, read before sending: the refusals, the items that would lose points for want of
    印证材料 (from the engine: the points with evidence minus without), the deadline and the total that will count."""

    errors: dict[str, list[str]]
    flags: list[dict]
    missing_evidence: list[dict]  # {"item": RubricItem, "points": Decimal}
    items_total: Decimal
    points_missing: Decimal
    deadline: dt.datetime
    late: bool  # sending now would be the first submission, after the deadline: the month scores 0
    month_score: Decimal

    @property
    def ok(self) -> bool:
        return not self.errors


def presend_check(submission: Submission, now: dt.datetime | None = None) -> PresendCheck:
    errors, flags = validate_for_submission(submission)
    sheet = compute(submission)
    results = sheet.by_code()
    missing = [
        {"item": item, "points": results[item.code].earned}
        for item in submission.rubric.items.all()
        if item.code in results and results[item.code].evidence_missing
    ]
    limit = effective_deadline(submission.county_id, submission.year, submission.month)
    first = submission.first_submitted_at or now or timezone.now()
    late = scoring.is_late(first, limit)
    adjustments = list(submission.adjustments.values_list("points", flat=True))
    return PresendCheck(
        errors=errors,
        flags=flags,
        missing_evidence=missing,
        items_total=sheet.total,
        points_missing=cut2(sum((m["points"] for m in missing), Decimal(0))),
        deadline=limit,
        late=late,
        month_score=scoring.month_score(sheet.total, adjustments, late=late),
    )


@transaction.atomic
def submit(submission: Submission, *, user, now: dt.datetime | None = None) -> Submission:
    """Send the month to the city. The FIRST submission's time decides lateness."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require_county_owner(submission, user=user)
    if submission.status not in COUNTY_EDITABLE_STATUSES:
        raise ValidationError(f"当前状态为“{submission.get_status_display()}”，不能报送。")
    errors, flags = validate_for_submission(submission)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    old_status = submission.get_status_display()
    if submission.first_submitted_at is None:
        submission.first_submitted_at = now
        _apply_lateness(submission)
    submission.last_submitted_at = now
    submission.status = Status.RESUBMITTED if submission.status == Status.RETURNED else Status.SUBMITTED
    submission.flags = [f for f in (submission.flags or []) if f.get("code") == "no_evidence"] + flags
    submission.save()
    audit(submission, user, AuditEntry.Kind.STATUS, "状态", old_status, submission.get_status_display())
    recalculate(submission, user, "报送")
    close_todos(submission, Todo.Kind.ASSESSMENT_RESUBMIT)
    county = ("accounts.region", submission.county_id)
    close_todos(
        county, Todo.Kind.ASSESSMENT_SUBMIT, key=month_todo_key(submission.county_id, submission.year, submission.month)
    )
    return submission


def month_todo_key(county_id: int, year: int, month: int) -> str:
    """The county's to-do of sending one month (opened by the reminder, closed by the submission)."""
    return f"assessment-submit:{county_id}:{year}-{month:02d}"


def open_month_todo(county, year: int, month: int, due: dt.datetime) -> int:
    title = f"报送{year}年{month}月月度考评材料"
    url = reverse("assessment:submission-list")
    key = month_todo_key(county.pk, year, month)
    return open_todo(
        county_staff(county.pk), Todo.Kind.ASSESSMENT_SUBMIT, ("accounts.region", county.pk), title, url, due, key=key
    )


def open_resubmit_todo(submission: Submission) -> int:
    """A returned month waits for the county's correction (from the state: a task running late opens nothing)."""
    if submission.status != Status.RETURNED:
        return 0
    title = f"修改并重新报送：{submission.county.name}{submission.year}年{submission.month}月考评退回"
    url = reverse("assessment:submission-detail", args=[submission.pk])
    key = f"submission:{submission.pk}:returned:{submission.updated_at:%Y%m%d%H%M%S}"
    return open_todo(county_staff(submission.county_id), Todo.Kind.ASSESSMENT_RESUBMIT, submission, title, url, key=key)


def backfill_todos(now: dt.datetime | None = None) -> int:
    """Returned months; and this month for every county that has not sent it while its deadline is ahead."""
    opened = sum(
        open_resubmit_todo(s) for s in Submission.objects.filter(status=Status.RETURNED).select_related("county")
    )
    local = timezone.localtime(now) if now else timezone.localtime()
    sent = set(
        Submission.objects.filter(year=local.year, month=local.month, status__in=SENT_STATUSES).values_list(
            "county_id", flat=True
        )
    )
    for county in Region.objects.filter(level=Region.Level.COUNTY).exclude(pk__in=sent):
        due = effective_deadline(county.pk, local.year, local.month)
        if local <= due:
            opened += open_month_todo(county, local.year, local.month, due)
    return opened


def _apply_lateness(submission: Submission) -> None:
    limit = effective_deadline(submission.county_id, submission.year, submission.month)
    late = scoring.is_late(submission.first_submitted_at, limit)
    submission.is_late = late
    if late:
        at = timezone.localtime(submission.first_submitted_at)
        submission.late_reason = (
            f"逾期报送：首次报送于{at:%Y-%m-%d %H:%M:%S}，截止时间{timezone.localtime(limit):%Y-%m-%d %H:%M:%S}，"
            "当月考核评分为0分"
        )
    else:
        submission.late_reason = ""


# --- city side --------------------------------------------------------------------------------------
def _notify_county_after_commit(submission: Submission, event: str) -> None:
    """The county is told (bell + e-mail) once the city's decision is committed; the task sends once per event.
    The job goes through the outbox, in this transaction: a broker outage delays the notice, never loses it."""
    outbox.enqueue("assessment.tasks.notify_submission_event", submission.pk, event)


def _lock_for_city(submission: Submission, user, action: str) -> Submission:
    roles.require_city_admin(user, action)
    return Submission.objects.select_for_update().get(pk=submission.pk)


@transaction.atomic
def return_submission(submission: Submission, *, user, comments: dict[str, str], general: str = "") -> Submission:
    """Return for correction with comments per item (item code → text) and/or a general comment."""
    submission = _lock_for_city(submission, user, "退回考评")
    if submission.status not in IN_REVIEW_STATUSES:
        raise ValidationError(f"当前状态为“{submission.get_status_display()}”，不能退回。")
    comments = {code: (text or "").strip() for code, text in (comments or {}).items() if (text or "").strip()}
    general = (general or "").strip()
    if not comments and not general:
        raise ValidationError({"comments": "退回时请至少填写一条审核意见。"})
    items = {i.code: i for i in submission.rubric.items.all()}
    unknown = [code for code in comments if code not in items]
    if unknown:
        raise ValidationError({"comments": f"未知的考评项：{'、'.join(unknown)}。"})
    for code, text in comments.items():
        ReviewComment.objects.create(submission=submission, item=items[code], text=text, author=user)
        audit(submission, user, AuditEntry.Kind.COMMENT, f"{code} 审核意见", "", text)
    if general:
        ReviewComment.objects.create(submission=submission, item=None, text=general, author=user)
        audit(submission, user, AuditEntry.Kind.COMMENT, "审核意见", "", general)
    old = submission.get_status_display()
    submission.status = Status.RETURNED
    submission.return_comment = general
    submission.save(update_fields=["status", "return_comment", "updated_at"])
    audit(submission, user, AuditEntry.Kind.STATUS, "状态", old, submission.get_status_display(), general)
    _notify_county_after_commit(submission, "returned")
    return submission


@transaction.atomic
def approve(submission: Submission, *, user) -> Submission:
    submission = _lock_for_city(submission, user, "审核通过")
    if submission.status not in IN_REVIEW_STATUSES:
        raise ValidationError(f"当前状态为“{submission.get_status_display()}”，不能审核通过。")
    old = submission.get_status_display()
    submission.status = Status.APPROVED
    submission.approved_by = user
    submission.approved_at = timezone.now()
    submission.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit(submission, user, AuditEntry.Kind.STATUS, "状态", old, submission.get_status_display())
    _notify_county_after_commit(submission, "approved")
    return submission


@transaction.atomic
def publish(submission: Submission, *, user) -> Submission:
    """Publish an approved month; the rubric version it used is frozen from now on."""
    submission = _lock_for_city(submission, user, "发布考评结果")
    if submission.status != Status.APPROVED:
        raise ValidationError("只有已审核的考评才能发布。")
    old = submission.get_status_display()
    submission.status = Status.PUBLISHED
    submission.published_at = timezone.now()
    submission.save(update_fields=["status", "published_at", "updated_at"])
    Rubric.objects.filter(pk=submission.rubric_id, frozen_at__isnull=True).update(frozen_at=submission.published_at)
    audit(submission, user, AuditEntry.Kind.STATUS, "状态", old, submission.get_status_display())
    _notify_county_after_commit(submission, "published")
    return submission


def publish_month(year: int, month: int, *, user) -> int:
    """Publish every approved submission of a month; returns how many."""
    count = 0
    for sub in Submission.objects.filter(year=year, month=month, status=Status.APPROVED):
        publish(sub, user=user)
        count += 1
    return count


@transaction.atomic
def reopen(submission: Submission, *, user, reason: str) -> Submission:
    """Unlock an approved or published month (back to 已退回 so the county can correct). City admin only."""
    submission = _lock_for_city(submission, user, "重新打开已审核或已发布的考评")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "重新打开须填写理由。"})
    if submission.status not in LOCKED_STATUSES:
        raise ValidationError("只有已审核或已发布的考评需要重新打开。")
    old = submission.get_status_display()
    submission.status = Status.RETURNED
    submission.return_comment = reason
    submission.save(update_fields=["status", "return_comment", "updated_at"])
    ReviewComment.objects.create(submission=submission, item=None, text=f"重新打开：{reason}", author=user)
    audit(submission, user, AuditEntry.Kind.STATUS, "状态", old, submission.get_status_display(), reason)
    return submission


def _parse_points(points) -> Decimal:
    value = parse_decimal(points, field="points", label="加减分", cut=True)
    if value == 0 or abs(value) > 100:
        raise ValidationError({"points": "加减分应为非零数值，且绝对值不超过100。"})
    return value


@transaction.atomic
def add_adjustment(submission: Submission, *, user, points, reason: str) -> Adjustment:
    """行政绩效 adjustment by the city admin: signed points with a reason (not on locked months)."""
    submission = _lock_for_city(submission, user, "录入行政绩效加减分")
    if submission.is_locked:
        raise ValidationError("已审核或已发布的考评已锁定，请先重新打开。")
    return _create_adjustment(submission, user, _parse_points(points), reason)


def _create_adjustment(submission: Submission, user, value: Decimal, reason: str, source: str = "") -> Adjustment:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写加减分理由。"})
    adjustment = Adjustment.objects.create(
        submission=submission, points=value, reason=reason, source=source, created_by=user
    )
    audit(submission, user, AuditEntry.Kind.ADJUSTMENT, "行政绩效", "", f"{value:+}", reason)
    recalculate(submission, user, f"行政绩效 {value:+}：{reason}")
    return adjustment


def paper_deduction_proposal(submission: Submission, today: dt.date | None = None) -> dict | None:
    """The 行政绩效 deduction to propose to the reviewer when the month's paper originals are late or missing
    (seed 002 附件1 四: "正式文件最迟于当月28日前报送。未按时报送的，当月（季）行政绩效减分"); None when they came
    in time, are not yet due, or the deduction was already confirmed."""
    paper = paper_originals_of(submission, today)
    if not paper.overdue:
        return None
    if submission.adjustments.filter(source=Adjustment.Source.PAPER_LATE).exists():
        return None
    return {
        "points": Decimal(settings.JINGPIN["PAPER_LATE_DEDUCTION"]),
        "reason": f"{paper.message}，按规定当月行政绩效减分",
        "paper": paper,
    }


@transaction.atomic
def confirm_paper_deduction(submission: Submission, *, user, points=None) -> Adjustment:
    """The reviewer confirms the proposed deduction (points as proposed, or changed; it must be negative). Also on
    an approved month — the originals fall due (28th) after the review (20th–23rd) — but not once published."""
    submission = _lock_for_city(submission, user, "确认纸质原件逾期减分")
    if submission.status == Status.PUBLISHED:
        raise ValidationError("已发布的考评已锁定，请先重新打开。")
    proposal = paper_deduction_proposal(submission)
    if proposal is None:
        raise ValidationError("纸质原件已按时送达、尚未到期，或已确认过减分，无需减分。")
    value = _parse_points(proposal["points"] if points in (None, "") else points)
    if value >= 0:
        raise ValidationError({"points": "纸质原件未按时报送只能减分（填负数）。"})
    return _create_adjustment(submission, user, value, proposal["reason"], Adjustment.Source.PAPER_LATE)


@transaction.atomic
def delete_adjustment(adjustment: Adjustment, *, user, reason: str = "") -> None:
    submission = _lock_for_city(adjustment.submission, user, "删除行政绩效加减分")
    if submission.is_locked:
        raise ValidationError("已审核或已发布的考评已锁定，请先重新打开。")
    audit(
        submission,
        user,
        AuditEntry.Kind.ADJUSTMENT,
        "行政绩效",
        f"{adjustment.points:+} {adjustment.reason}",
        "",
        reason,
    )
    adjustment.delete()
    recalculate(submission, user, reason or "删除行政绩效加减分")


@transaction.atomic
def set_manual_score(submission: Submission, *, user, code: str, value, reason: str = "") -> Submission:
    """The reviewer's score for a manual item (capped at its maximum, cut to 2 places)."""
    submission = _lock_for_city(submission, user, "评定人工评分项")
    if submission.is_locked:
        raise ValidationError("已审核或已发布的考评已锁定，请先重新打开。")
    item = submission.rubric.items.filter(code=code, kind=RubricItem.Kind.MANUAL).first()
    if item is None:
        raise ValidationError({"code": "该考评项不是人工评分项。"})
    try:
        number = cut2(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": "请输入分数。"})
    if number < 0 or number > item.max_points:
        raise ValidationError({"value": f"分数应在0至{item.max_points}之间。"})
    scores = dict(submission.manual_scores or {})
    old = scores.get(code, "")
    scores[code] = str(number)
    submission.manual_scores = scores
    submission.save(update_fields=["manual_scores", "updated_at"])
    audit(submission, user, AuditEntry.Kind.SCORE, f"{code} 评分", old, number, reason)
    recalculate(submission, user, reason)
    return submission


MAX_EXCEPTION_DAYS = 90  # an exception reaches at most this many days past the deadline or past today (backfills)


@transaction.atomic
def grant_exception(
    county, year: int, month: int, *, user, new_deadline: dt.datetime, reason: str
) -> DeadlineException:
    """A dated, reasoned deadline exception for one county and month; a late month already sent is re-judged."""
    roles.require_city_admin(user, "批准逾期豁免")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写豁免理由。"})
    if new_deadline is None:
        raise ValidationError({"new_deadline": "请填写延至的日期时间。"})
    if timezone.is_naive(new_deadline):
        new_deadline = timezone.make_aware(new_deadline)
    if new_deadline <= deadline(year, month):
        raise ValidationError({"new_deadline": "延至时间应晚于正常截止时间。"})
    latest = max(deadline(year, month), timezone.now()) + dt.timedelta(days=MAX_EXCEPTION_DAYS)
    if new_deadline > latest:
        raise ValidationError(
            {
                "new_deadline": f"延至时间最晚为{timezone.localtime(latest):%Y-%m-%d}"
                f"（正常截止时间或今天起{MAX_EXCEPTION_DAYS}天内）。"
            }
        )
    old = DeadlineException.objects.filter(county=county, year=year, month=month).first()
    exception, _ = DeadlineException.objects.update_or_create(
        county=county,
        year=year,
        month=month,
        defaults={"new_deadline": new_deadline, "reason": reason, "granted_by": user},
    )
    submission = Submission.objects.filter(county=county, year=year, month=month).first()
    audit(
        submission,
        user,
        AuditEntry.Kind.DEADLINE,
        "截止时间",
        f"{timezone.localtime(old.new_deadline):%Y-%m-%d %H:%M}"
        if old
        else f"{deadline(year, month):%Y-%m-%d %H:%M:%S}",
        f"{timezone.localtime(new_deadline):%Y-%m-%d %H:%M}",
        reason,
        county=county,
        year=year,
        month=month,
    )
    if submission is not None and submission.first_submitted_at is not None:
        was_late = submission.is_late
        _apply_lateness(submission)
        submission.save(update_fields=["is_late", "late_reason", "updated_at"])
        if was_late != submission.is_late:
            audit(submission, user, AuditEntry.Kind.DEADLINE, "逾期", was_late, submission.is_late, reason)
        recalculate(submission, user, reason)
    return exception


@transaction.atomic
def record_paper_received(submission: Submission, *, user, received_on: dt.date | None) -> Submission:
    """The date the signed paper originals arrived (recorded by the city, allowed in every state)."""
    submission = _lock_for_city(submission, user, "登记纸质原件送达日期")
    old = submission.paper_received_on
    submission.paper_received_on = received_on
    submission.save(update_fields=["paper_received_on", "updated_at"])
    audit(submission, user, AuditEntry.Kind.FIGURE, "纸质原件送达日期", old, received_on)
    return submission


# --- evidence ---------------------------------------------------------------------------------------
@transaction.atomic
def upload_evidence(submission: Submission, item_code: str, uploaded, *, user) -> Evidence:
    return upload_evidence_set(submission, [(item_code, uploaded)], user=user)[0]


@transaction.atomic
def upload_evidence_set(submission: Submission, files, *, user) -> list[Evidence]:
    """印证材料 for one or more items (``files``: (item code, uploaded file) pairs, e.g. the month's catalogue),
    each checked and audited, then one re-score. Nothing is stored if any file is refused."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require_county_owner(submission, user=user)
    if submission.status not in COUNTY_EDITABLE_STATUSES:
        raise ValidationError(f"当前状态为“{submission.get_status_display()}”，不能上传印证材料。")
    items = {item.code: item for item in submission.rubric.items.all()}
    checked_files = []
    for item_code, uploaded in files:
        item = items.get(item_code)
        if item is None:
            raise ValidationError({"item": "请选择考评项。"})
        if uploaded is None:
            raise ValidationError({"file": "请选择文件。"})
        error, checked = prepare_upload(uploaded, settings.UPLOAD_MAX_BYTES)
        if error:
            raise ValidationError({"file": error})
        checked_files.append((item, checked))
    stored = []
    for item, checked in checked_files:
        stored.append(
            Evidence.objects.create(
                submission=submission,
                item=item,
                file=checked.content,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=user,
            )
        )
        audit(submission, user, AuditEntry.Kind.FILE, f"{item.code} 印证材料", "", checked.original_name)
    recalculate(submission, user)
    return stored


@transaction.atomic
def delete_evidence(evidence: Evidence, *, user) -> None:
    submission = Submission.objects.select_for_update().get(pk=evidence.submission_id)
    require_county_owner(submission, user=user)
    if submission.status not in COUNTY_EDITABLE_STATUSES:
        raise ValidationError(f"当前状态为“{submission.get_status_display()}”，不能删除印证材料。")
    audit(submission, user, AuditEntry.Kind.FILE, f"{evidence.item.code} 印证材料", evidence.original_name, "")
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
    recalculate(submission, user)


@transaction.atomic
def accept_paper_originals(submission: Submission, *, user, code: str, note: str) -> PaperEvidenceAcceptance:
    """The reviewer accepts the stamped paper originals of an item in place of uploaded 印证材料, so the item scores
    (seed 002 附件1 四: 无印证材料的不计分). City admin, not on locked months, a note required, audited."""
    submission = _lock_for_city(submission, user, "认可纸质原件")
    if submission.is_locked:
        raise ValidationError("已审核或已发布的考评已锁定，请先重新打开。")
    item = submission.rubric.items.filter(code=code).first()
    if item is None:
        raise ValidationError({"code": "请选择考评项。"})
    if not item.requires_evidence:
        raise ValidationError({"code": f"{item.code} 得分无须印证材料。"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请说明认可的纸质原件（如文件名称、送达日期）。"})
    if PaperEvidenceAcceptance.objects.filter(submission=submission, item=item).exists():
        raise ValidationError({"code": f"{item.code} 的纸质原件已认可。"})
    acceptance = PaperEvidenceAcceptance.objects.create(submission=submission, item=item, note=note, accepted_by=user)
    audit(submission, user, AuditEntry.Kind.FILE, f"{item.code} 纸质原件认可", "", "已认可", note)
    recalculate(submission, user, f"{item.code} 认可纸质原件：{note}")
    return acceptance


@transaction.atomic
def withdraw_paper_acceptance(acceptance: PaperEvidenceAcceptance, *, user, reason: str) -> None:
    """Undo an acceptance of paper originals (the item scores 0 again unless 印证材料 is uploaded); audited."""
    submission = _lock_for_city(acceptance.submission, user, "撤销纸质原件认可")
    if submission.is_locked:
        raise ValidationError("已审核或已发布的考评已锁定，请先重新打开。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤销理由。"})
    code = acceptance.item.code
    audit(
        submission, user, AuditEntry.Kind.FILE, f"{code} 纸质原件认可", f"已认可：{acceptance.note}", "已撤销", reason
    )
    acceptance.delete()
    recalculate(submission, user, f"{code} 撤销纸质原件认可：{reason}")


# --- rubric versions --------------------------------------------------------------------------------
# One rule on every path (year page, API, admin, seed): a rubric totals 100 points and each group's items add up
# to the group's points; only the newest version of a year is changed; a version a published month was scored on
# is never changed (the change makes the next version); open months move onto a new version only through
# adopt_rubric_version, an explicit step with a reason, audited per month.
RUBRIC_TOTAL = Decimal(100)


@dataclass
class GroupCheck:
    name: str
    max_points: Decimal
    items_total: Decimal

    @property
    def ok(self) -> bool:
        return self.items_total == self.max_points


def group_problem(name: str, items_total: Decimal, max_points: Decimal) -> str:
    return f"“{name}”各项满分合计{fmt(items_total)}分，与分组分值{fmt(max_points)}分不一致。"


def total_problem(total: Decimal) -> str:
    return f"各分组分值合计{fmt(total)}分，应为100分。"


def rubric_checks(rubric: Rubric) -> tuple[list[GroupCheck], Decimal, list[str]]:
    """(per group: its maximum and the sum of its items' maxima, the sum of the group maxima, problems)."""
    groups = []
    for group in rubric.groups.prefetch_related("items").order_by("order", "pk"):
        items_total = sum((i.max_points for i in group.items.all()), Decimal(0))
        groups.append(GroupCheck(f"{group.category}/{group.name}", group.max_points, items_total))
    total = sum((g.max_points for g in groups), Decimal(0))
    problems = [group_problem(g.name, g.items_total, g.max_points) for g in groups if not g.ok]
    if total != RUBRIC_TOTAL:
        problems.insert(0, total_problem(total))
    return groups, total, problems


def require_latest_version(rubric: Rubric) -> None:
    latest = Rubric.objects.current(rubric.year)
    if latest is not None and latest.pk != rubric.pk:
        raise ValidationError(
            f"第{rubric.version}版已不是{rubric.year}年赋分表的最新版本（最新为第{latest.version}版），"
            f"只能修改最新版本。"
        )


def version_to_change(rubric: Rubric, *, user, note: str) -> Rubric:
    """The version a change is written to: the rubric itself until a published month uses it, else its next
    version (the published months keep the version they were scored on; no month moves)."""
    require_latest_version(rubric)
    if rubric.is_frozen:
        return revise_rubric(rubric, user=user, note=note)
    return rubric


def rescore_open_months(rubric: Rubric, *, user, reason: str) -> int:
    """Re-score the unlocked months scored on ``rubric`` (after an in-place change of an unfrozen version)."""
    count = 0
    for sub in Submission.objects.filter(rubric=rubric).exclude(status__in=LOCKED_STATUSES).select_related("county"):
        recalculate(sub, user, reason)
        count += 1
    return count


@transaction.atomic
def revise_rubric(rubric: Rubric, *, user, note: str) -> Rubric:
    """Copy a rubric into its next version. No month moves: open months change over only through
    ``adopt_rubric_version``; new months of the year use the newest version."""
    roles.require_city_admin(user, "修订考评赋分表")
    last = Rubric.objects.select_for_update().filter(year=rubric.year).order_by("-version").first()
    new = Rubric.objects.create(
        year=rubric.year, version=last.version + 1, title=rubric.title, based_on=rubric, change_note=note or ""
    )
    group_map = {}
    for group in rubric.groups.order_by("order", "pk"):
        group_map[group.pk] = RubricGroup.objects.create(
            rubric=new, category=group.category, name=group.name, max_points=group.max_points, order=group.order
        )
    for item in rubric.items.all():
        item.pk = None
        item.rubric = new
        item.group = group_map[item.group_id]
        item.save()
    audit(
        None,
        user,
        AuditEntry.Kind.RUBRIC,
        f"{rubric.year}年赋分表",
        f"第{rubric.version}版",
        f"第{new.version}版",
        note,
        year=rubric.year,
    )
    return new


@transaction.atomic
def adopt_rubric_version(year, version, *, user, reason: str) -> list[Submission]:
    """Move the year's unlocked months (草稿/已报送/已退回…) still scored on an older version onto ``version`` (the
    newest) and re-score them; one audit entry per month with the reason. Approved and published months keep
    their version."""
    roles.require_city_admin(user, "将月度考评改用新版赋分表")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "改用新版赋分表须填写理由。"})
    if len(reason) > 200:
        raise ValidationError({"reason": "理由不能超过200字。"})
    try:
        year, version = int(year), int(version)
    except (TypeError, ValueError):
        raise ValidationError({"version": "请填写年度和版本号（整数）。"})
    rubric = Rubric.objects.filter(year=year, version=version).first()
    if rubric is None:
        raise ValidationError({"version": f"{year}年没有第{version}版赋分表。"})
    try:
        require_latest_version(rubric)
    except ValidationError as exc:
        raise ValidationError({"version": exc.messages})
    if problems := rubric_checks(rubric)[2]:
        raise ValidationError({"version": [f"第{version}版赋分表有误，不能改用：", *problems]})
    subs = list(
        Submission.objects.select_for_update()
        .filter(year=year)
        .exclude(rubric=rubric)
        .exclude(status__in=LOCKED_STATUSES)
        .select_related("county", "rubric")
        .order_by("month", "county__order", "pk")
    )
    if not subs:
        raise ValidationError(f"{year}年没有仍使用旧版本赋分表的未锁定月份。")
    new_items = {i.code: i.pk for i in rubric.items.all()}
    by_rubric: dict[int, list[int]] = {}
    for sub in subs:
        by_rubric.setdefault(sub.rubric_id, []).append(sub.pk)
    for old_rubric_id, sub_pks in by_rubric.items():
        for old_pk, code in RubricItem.objects.filter(rubric_id=old_rubric_id).values_list("pk", "code"):
            if code in new_items:
                Evidence.objects.filter(submission_id__in=sub_pks, item_id=old_pk).update(item_id=new_items[code])
                ReviewComment.objects.filter(submission_id__in=sub_pks, item_id=old_pk).update(item_id=new_items[code])
    for sub in subs:
        old = f"第{sub.rubric.version}版"
        sub.rubric = rubric
        sub.save(update_fields=["rubric", "updated_at"])
        audit(sub, user, AuditEntry.Kind.RUBRIC, "赋分表版本", old, f"第{rubric.version}版", reason)
        recalculate(sub, user, f"改用赋分表第{rubric.version}版：{reason}")
    return subs


def open_months_on_older_versions(rubric: Rubric) -> int:
    """How many unlocked months of the rubric's year are still scored on an older version."""
    return (
        Submission.objects.filter(year=rubric.year).exclude(rubric=rubric).exclude(status__in=LOCKED_STATUSES).count()
    )


RUBRIC_ITEM_EDITABLE = (
    "content",
    "standard",
    "max_points",
    "kind",
    "params",
    "zero_target_policy",
    "requires_evidence",
)


RUBRIC_NOTE_MAX = 200  # the API's 修订说明 of one item's change: longer is refused, never cut


@transaction.atomic
def update_rubric_item(item: RubricItem, changes: dict, *, user, note: str = "") -> RubricItem:
    """Change one item of the newest version. Its maximum changes only if its group still adds up (a single
    maximum never can: several maxima change together through years.update_rubric_maxima). When the version
    is frozen (used by a published month) the next version takes the change; open months stay where they are
    until adopt_rubric_version."""
    roles.require_city_admin(user, "修改考评赋分表")
    check_length(note, RUBRIC_NOTE_MAX, "修订说明", key="note")
    if "max_points" in changes:
        _check_single_maximum(item, changes["max_points"])
    target = version_to_change(item.rubric, user=user, note=note or f"修改{item.code}")
    if target.pk != item.rubric_id:
        item = target.items.get(code=item.code)
    old = {f: getattr(item, f) for f in RUBRIC_ITEM_EDITABLE}
    for field, value in changes.items():
        if field in RUBRIC_ITEM_EDITABLE:
            setattr(item, field, value)
    if errors := scoring.params_errors(item.kind, item.params):
        raise ValidationError({"params": errors})
    item.full_clean()
    try:
        scoring.score_item(item.to_rule(), scoring.MonthData())
    except (KeyError, ValueError, TypeError, InvalidOperation):
        raise ValidationError({"params": "规则参数与计分规则不匹配。"})
    item.save()
    if problems := rubric_checks(item.rubric)[2]:
        raise ValidationError({"max_points": problems})
    for field in RUBRIC_ITEM_EDITABLE:
        if old[field] != getattr(item, field):
            label = str(RubricItem._meta.get_field(field).verbose_name)
            audit(
                None,
                user,
                AuditEntry.Kind.RUBRIC,
                f"{item.code} {label}",
                old[field],
                getattr(item, field),
                note,
                year=item.rubric.year,
            )
    rescore_open_months(item.rubric, user=user, reason=f"{item.code} 规则修改")
    return item


def _check_single_maximum(item: RubricItem, raw) -> None:
    try:
        value = parse_decimal(raw, places=2, minimum=0)
    except ValueError:
        value = None
    if value is None or value > RUBRIC_TOTAL:
        raise ValidationError({"max_points": f"{item.code}满分应为0至100之间的数字（最多两位小数）。"})
    if value == item.max_points:
        return
    group = item.group
    others = sum((i.max_points for i in group.items.exclude(pk=item.pk)), Decimal(0))
    raise ValidationError(
        {
            "max_points": (
                f"不能单独修改{item.code}满分：修改后“{group.category}/{group.name}”各项满分合计{fmt(others + value)}分，"
                f"与分组分值{fmt(group.max_points)}分不一致，赋分表须保持合计100分。"
                f"请在年度设定页（或 API 的 assessment/rubrics/<id>/maxima/）同时调整同组各项满分和分组分值。"
            )
        }
    )
