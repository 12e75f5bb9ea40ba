"""Every write of the credit record: entries from their sources, scores and their history, the rule's versions,
appeals. Views, the API, the daily job and the sources' receivers all call these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from core.history import update_with_history
from core.uploads import prepare_upload
from credit import notices, registry, scoring
from credit.choices import SEVERITY_OF_BEHAVIOUR, AppealStatus, polarity_of
from credit.models import AppealDocument, CreditAppeal, CreditEntry, CreditRule, CreditScore, CreditStanding

SYNC_CHUNK = 500
ENTRY_FIELDS = (
    "polarity",
    "severity",
    "title",
    "document_no",
    "occurred_on",
    "valid_until",
    "catalogue_points",
    "points",
    "rule_id",
    "project_id",
    "county_id",
    "source_url",
)
MAX_APPEAL_FILES = 5


# --- the rule -------------------------------------------------------------------------------------------------
def current_rule(day: dt.date | None = None) -> CreditRule:
    """The version in force on ``day`` (today): the latest effective on or before it (the first version before
    any is effective). The data migration creates version 1 with the default rule."""
    day = day or timezone.localdate()
    rule = CreditRule.objects.filter(effective_from__lte=day).order_by("-effective_from", "-version").first()
    if rule is None:
        rule = CreditRule.objects.order_by("version").first()
    if rule is None:  # a flushed test database: the default rule again
        rule = CreditRule.objects.create(version=1, effective_from=dt.date(2000, 1, 1), data=scoring.DEFAULT_RULE)
    return rule


@transaction.atomic
def adopt_rule(data: dict, *, user, note: str, effective_from: dt.date | None = None) -> CreditRule:
    """A new version of the rule (the city only), with the reason; from ``effective_from`` (today by default) every
    entry is re-valued under it and every score recomputed. The older versions stay, as do the scores they made."""
    if not roles.is_city_admin(user):
        raise PermissionDenied("只有市局管理员可以修订信用评价规则。")
    today = timezone.localdate()
    effective_from = effective_from or today
    errors = scoring.validate(data)
    if not (note or "").strip():
        errors.append("请填写修订说明。")
    if effective_from < today:
        errors.append("生效日期不能早于今天（已计算的信用分不追溯修改）。")
    if errors:
        raise ValidationError(errors)
    last = CreditRule.objects.select_for_update().order_by("-version").first()
    if last is not None and last.data == data:
        raise ValidationError("新规则与现行规则相同，无需修订。")
    rule = CreditRule.objects.create(
        version=(last.version + 1) if last else 1,
        effective_from=effective_from,
        data=data,
        change_note=note.strip(),
        created_by=user,
    )
    if effective_from <= today:
        apply_rule(today)
    return rule


def apply_rule(day: dt.date | None = None) -> int:
    """Re-value every entry under the rule in force on ``day`` if any was valued under another; returns how many
    entries changed (the daily job calls it, so a rule adopted for a later date applies on that date)."""
    day = day or timezone.localdate()
    rule_row = current_rule(day)
    if not CreditEntry.objects.exclude(rule=rule_row).exists():
        return 0
    changed = 0
    for key in registry.sources():
        ids = list(CreditEntry.objects.filter(source_type=key).values_list("source_id", flat=True).distinct())
        for start in range(0, len(ids), SYNC_CHUNK):
            changed += len(sync_source(key, ids[start : start + SYNC_CHUNK], day=day, rescore_now=False))
    rescore_all(day)
    return changed


# --- entries from their sources -------------------------------------------------------------------------------
def _entry_values(fact: registry.Fact, rule_row: CreditRule, rule: scoring.Rule, occurred_on: dt.date) -> dict:
    return {
        "polarity": polarity_of(fact.behaviour),
        "severity": SEVERITY_OF_BEHAVIOUR.get(fact.behaviour, ""),
        "title": fact.title[:300],
        "document_no": (fact.document_no or "")[:100],
        "occurred_on": occurred_on,
        "valid_until": scoring.valid_until(occurred_on, rule.months(fact.behaviour)),
        "catalogue_points": fact.catalogue_points,
        "points": rule.points(fact.behaviour, fact.catalogue_points),
        "rule_id": rule_row.pk,
        "project_id": fact.project_id,
        "county_id": fact.county_id,
        "source_url": fact.source_url[:200],
    }


@transaction.atomic
def sync_source(key: str, ids: Iterable[int], *, day: dt.date | None = None, rescore_now: bool = True) -> set[int]:
    """Make the entries of these source records what their source says now: create, update, delete. Returns the
    enterprises whose entries changed (rescored at once unless ``rescore_now`` is False). Idempotent."""
    day = day or timezone.localdate()
    ids = sorted(set(ids))
    if not ids:
        return set()
    source = registry.get(key)
    rule_row = current_rule(day)
    rule = rule_row.to_rule()
    facts = source.facts(ids, rule)
    existing = {
        (e.source_id, e.enterprise_id, e.behaviour): e
        for e in CreditEntry.objects.select_for_update().filter(source_type=key, source_id__in=ids)
    }
    affected: set[int] = set()
    seen = set()
    to_create = []
    for source_id, source_facts in facts.items():
        for fact in source_facts:
            ident = (source_id, fact.enterprise_id, fact.behaviour)
            if ident in seen:
                continue
            seen.add(ident)
            entry = existing.get(ident)
            occurred_on = fact.occurred_on or (entry.occurred_on if entry else day)
            values = _entry_values(fact, rule_row, rule, occurred_on)
            if entry is None:
                to_create.append(
                    CreditEntry(
                        enterprise_id=fact.enterprise_id,
                        behaviour=fact.behaviour,
                        source_type=key,
                        source_id=source_id,
                        **values,
                    )
                )
                affected.add(fact.enterprise_id)
            elif any(getattr(entry, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(entry, f, v)
                entry.save()
                affected.add(entry.enterprise_id)
    CreditEntry.objects.bulk_create(to_create)
    gone = [e for ident, e in existing.items() if ident not in seen]
    if gone:
        CreditEntry.objects.filter(pk__in=[e.pk for e in gone]).delete()
        affected.update(e.enterprise_id for e in gone)
    if affected and rescore_now:
        rescore(affected, day)
    return affected


def reconcile(day: dt.date | None = None, *, rescore_scores: bool = True) -> int:
    """Every source re-read in full (after a bulk load, and by ``manage.py sync_credit``); then every score."""
    day = day or timezone.localdate()
    changed = 0
    for key, source in registry.sources().items():
        ids = sorted(
            set(source.all_ids()) | set(CreditEntry.objects.filter(source_type=key).values_list("source_id", flat=True))
        )
        for start in range(0, len(ids), SYNC_CHUNK):
            changed += len(sync_source(key, ids[start : start + SYNC_CHUNK], day=day, rescore_now=False))
    if rescore_scores:
        rescore_all(day)
    return changed


def daily(day: dt.date | None = None) -> dict:
    """The daily job: a rule that took effect today applies; date-dependent sources (insurance lapses) are
    re-read; every score is brought to today (expiries)."""
    day = day or timezone.localdate()
    revalued = apply_rule(day)
    for key, source in registry.sources().items():
        if source.daily:
            ids = sorted(
                set(source.all_ids())
                | set(CreditEntry.objects.filter(source_type=key).values_list("source_id", flat=True))
            )
            for start in range(0, len(ids), SYNC_CHUNK):
                sync_source(key, ids[start : start + SYNC_CHUNK], day=day, rescore_now=False)
    written = rescore_all(day)
    return {"revalued": revalued, "scores_written": written}


# --- scores ---------------------------------------------------------------------------------------------------
def _same(a, b) -> bool:
    return (a.score, a.grade, a.major_in_force, a.entries_in_force, a.rule_id) == (
        b.score,
        b.grade,
        b.major_in_force,
        b.entries_in_force,
        b.rule_id,
    )


def rescore(enterprise_ids: Iterable[int], day: dt.date | None = None) -> int:
    """Bring these enterprises' scores to ``day``: a history row on each day since the last row on which the
    entries in force changed (an expiry the job found late still gets its own day), the standing updated.
    The history only moves forward: an enterprise already brought past ``day`` is left as it is.
    Returns how many history rows were written."""
    day = day or timezone.localdate()
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    rule_row = current_rule(day)
    rule = rule_row.to_rule()
    entries: dict[int, list[CreditEntry]] = defaultdict(list)
    for entry in CreditEntry.objects.filter(enterprise_id__in=ids).only(
        "enterprise_id", "occurred_on", "valid_until", "withdrawn_on", "points", "severity"
    ):
        entries[entry.enterprise_id].append(entry)
    last_rows = {}
    for row in CreditScore.objects.filter(enterprise_id__in=ids, as_of__lte=day).order_by("enterprise_id", "-as_of"):
        last_rows.setdefault(row.enterprise_id, row)
    standings = {s.enterprise_id: s for s in CreditStanding.objects.filter(enterprise_id__in=ids)}
    new_rows, written = [], 0
    now = timezone.now()
    with transaction.atomic():
        for enterprise_id in ids:
            mine = entries.get(enterprise_id, [])
            last = last_rows.get(enterprise_id)
            if last is None and not mine and enterprise_id not in standings:
                continue  # never had an entry: the base score, nothing to keep
            checked = standings.get(enterprise_id)
            if checked is not None and checked.checked_on > day:
                continue  # the history only moves forward: this enterprise was already brought past ``day``
            # Expiries since the enterprise was last brought up to date keep their own day (the job ran late);
            # an entry recorded today counts from today in the history, whatever its date: the history is what
            # the record showed then.
            days = sorted(
                e.valid_until + dt.timedelta(days=1)
                for e in mine
                if checked is not None
                and checked.checked_on < e.valid_until + dt.timedelta(days=1) < day
                and (last is None or e.valid_until + dt.timedelta(days=1) > last.as_of)
            )
            days.append(day)
            previous = last
            for when in days:
                value = scoring.standing(mine, when, rule)
                row = CreditScore(
                    enterprise_id=enterprise_id,
                    as_of=when,
                    score=value.score,
                    grade=value.grade,
                    major_in_force=value.major,
                    entries_in_force=value.in_force,
                    rule_id=rule_row.pk,
                    computed_at=now,
                )
                if previous is None and not mine:
                    continue
                if previous is not None and _same(previous, row):
                    continue
                if previous is not None and previous.as_of == when:
                    CreditScore.objects.filter(pk=previous.pk).update(
                        score=row.score,
                        grade=row.grade,
                        major_in_force=row.major_in_force,
                        entries_in_force=row.entries_in_force,
                        rule_id=row.rule_id,
                        computed_at=now,
                    )
                    row.pk = previous.pk
                else:
                    new_rows.append(row)
                written += 1
                previous = row
            if previous is None:
                continue
            if checked is not None and previous is last and _same(last, checked) and checked.checked_on >= day:
                continue
            CreditStanding.objects.update_or_create(
                enterprise_id=enterprise_id,
                defaults={
                    "score": previous.score,
                    "grade": previous.grade,
                    "major_in_force": previous.major_in_force,
                    "entries_in_force": previous.entries_in_force,
                    "rule_id": previous.rule_id,
                    "since": previous.as_of,
                    "checked_on": max(day, previous.as_of),
                    "updated_at": now,
                },
            )
        CreditScore.objects.bulk_create(new_rows)
    return written


def rescore_all(day: dt.date | None = None, chunk: int = 1000) -> int:
    ids = sorted(
        set(CreditEntry.objects.values_list("enterprise_id", flat=True).distinct())
        | set(CreditStanding.objects.values_list("enterprise_id", flat=True))
    )
    return sum(rescore(ids[i : i + chunk], day) for i in range(0, len(ids), chunk))


# --- reads other apps use -------------------------------------------------------------------------------------
def base_standing(day: dt.date | None = None) -> scoring.Standing:
    rule = current_rule(day).to_rule()
    return scoring.Standing(score=rule.base, grade=scoring.grade(rule.base, rule), major=False, in_force=0)


def standings(enterprise_ids: Iterable[int]) -> dict[int, scoring.Standing]:
    """The current score and grade of each enterprise (the base for one without any entry): one query."""
    ids = set(enterprise_ids)
    base = base_standing()
    found = {
        s.enterprise_id: scoring.Standing(s.score, s.grade, s.major_in_force, s.entries_in_force)
        for s in CreditStanding.objects.filter(enterprise_id__in=ids)
    }
    return {i: found.get(i, base) for i in ids}


def standing_on(enterprise, day: dt.date) -> tuple[scoring.Standing, CreditScore | None]:
    """The score and grade the record showed on ``day`` (a tender date): the history row in force then; before
    any row, the base score of the rule of that day."""
    enterprise_id = getattr(enterprise, "pk", enterprise)
    row = CreditScore.objects.filter(enterprise_id=enterprise_id, as_of__lte=day).order_by("-as_of").first()
    if row is None:
        return base_standing(day), None
    return scoring.Standing(row.score, row.grade, row.major_in_force, row.entries_in_force), row


def score_on(enterprise, day: dt.date) -> scoring.Standing:
    """The score recomputed from the entries as known now and the rule in force on ``day`` (the entries'
    stored points)."""
    enterprise_id = getattr(enterprise, "pk", enterprise)
    entries = list(CreditEntry.objects.filter(enterprise_id=enterprise_id))
    return scoring.standing(entries, day, current_rule(day).to_rule())


# --- appeals (信用修复) ----------------------------------------------------------------------------------------
def may_decide(user, entry: CreditEntry) -> bool:
    """The county the entry belongs to decides (the city any)."""
    if roles.is_city_admin(user):
        return True
    return bool(entry.county_id and roles.is_county_staff_of(user, entry.county_id))


@transaction.atomic
def submit_appeal(entry: CreditEntry, *, user, reasons: str, files=()) -> CreditAppeal:
    """The enterprise objects to one of its own bad entries in force, with reasons and documents."""
    if not roles.is_member_of(user, entry.enterprise_id):
        raise PermissionDenied("只有该单位的用户可以对本单位的信用记录提出申诉。")
    entry = CreditEntry.objects.select_for_update().get(pk=entry.pk)
    errors = {}
    reasons = (reasons or "").strip()
    if not reasons:
        errors["reasons"] = "请填写申诉理由。"
    elif len(reasons) > 2000:
        errors["reasons"] = "申诉理由不能超过2000字。"
    if not entry.is_bad:
        errors["entry"] = "良好行为记录无需申诉。"
    elif entry.withdrawn_on:
        errors["entry"] = "该记录已撤销。"
    elif entry.valid_until < timezone.localdate():
        errors["entry"] = "该记录已过有效期，不再计分。"
    elif CreditAppeal.objects.filter(entry=entry, status=AppealStatus.PENDING).exists():
        errors["entry"] = "该记录已有待处理的申诉，请等待处理结果。"
    files = [f for f in files if f]
    if len(files) > MAX_APPEAL_FILES:
        errors["documents"] = f"证明材料最多{MAX_APPEAL_FILES}个。"
    prepared = []
    if not errors:
        for upload in files:
            error, checked = prepare_upload(upload, settings.UPLOAD_MAX_BYTES)
            if error:
                errors["documents"] = f"{Path(getattr(upload, 'name', '') or '').name}：{error}"
                break
            prepared.append(checked)
    if errors:
        raise ValidationError(errors)
    appeal = CreditAppeal.objects.create(
        entry=entry, enterprise_id=entry.enterprise_id, reasons=reasons, submitted_by=user
    )
    for checked in prepared:
        AppealDocument.objects.create(
            appeal=appeal,
            file=checked.content,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user,
        )
    notices.open_appeal_todo(appeal)  # the county that decides it has a to-do
    return appeal


@transaction.atomic
def decide_appeal(appeal: CreditAppeal, *, user, withdraw: bool, reason: str) -> CreditAppeal:
    """The county's decision with its reasons: withdraw the entry (it stops counting from today; the history
    keeps what was shown before) or keep it. Final; it becomes part of the record."""
    appeal = CreditAppeal.objects.select_for_update().select_related("entry").get(pk=appeal.pk)
    entry = appeal.entry
    if not may_decide(user, entry):
        raise PermissionDenied("只有该记录所属县（市、区）住建部门或市局可以处理此申诉。")
    reason = (reason or "").strip()
    if appeal.status != AppealStatus.PENDING:
        raise ValidationError({"decision": f"该申诉已处理（{appeal.get_status_display()}）。"})
    if not reason:
        raise ValidationError({"reason": "请填写处理理由。"})
    if len(reason) > 500:
        raise ValidationError({"reason": "处理理由不能超过500字。"})
    today = timezone.localdate()
    appeal.status = AppealStatus.WITHDRAWN if withdraw else AppealStatus.KEPT
    appeal.decided_by = user
    appeal.decided_at = timezone.now()
    appeal.decision_reason = reason
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if withdraw:
        update_with_history(CreditEntry.objects.filter(pk=entry.pk), withdrawn_on=today, withdrawn_reason=reason)
        rescore([entry.enterprise_id], today)
    notices.appeal_decided(appeal)  # the to-do closed, the enterprise told the decision and its reasons
    return appeal
