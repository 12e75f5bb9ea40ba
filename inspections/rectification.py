"""Rectification (整改): the notice's answer (online or on paper), review (close, or return for another
round), escalation to 依法处罚 and the penalty, a notice's history, and the overdue notices that open the 精品工程 veto.

Each write takes explicit arguments, runs inside ``transaction.atomic`` and raises ``ValidationError`` (Chinese
message, nothing written) or ``PermissionDenied``; web views, API views, tasks and the demo seed call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from core import outbox
from core.validators import check_lengths, length_errors
from credit import follow as credit_follow
from inspections.models import (
    OPEN_NOTICE_STATUSES,
    PROXY_CHANNELS,
    AnswerChannel,
    Attachment,
    NoticeRound,
    NoticeStatus,
    RectificationNotice,
)
from inspections.notices import open_notice_todos
from inspections.services import NOTIFY_TASK, attach_files, can_inspect, local_today, rescore_a1
from notifications.models import Todo
from notifications.services import close_todos
from projects import services as projects_services
from projects.choices import ConstraintKind, ConstraintStatus
from projects.models import ConstraintRecord, Project


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
    roles.require(can_answer(user, notice), "只有责任单位可以回复整改通知单。")
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
    attach_files(notice.finding, files, Attachment.Kind.ANSWER, user)
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
    roles.require(can_record_paper_answer(user, notice), "只有检查组成员或组织单位可以代录整改回复。")
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
    elif received_on > local_today():
        errors["received_on"] = "回复收到日期不能晚于今天。"
    elif received_on < notice.issued_on:
        errors["received_on"] = f"回复收到日期不能早于通知下达日期（{notice.issued_on:%Y-%m-%d}）。"
    if not files:
        errors["files"] = "请上传书面回复的扫描件或现场复查记录。"
    if errors:
        raise ValidationError(errors)
    attach_files(notice.finding, files, Attachment.Kind.ANSWER, user)
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
    roles.require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以销号。")
    if notice.status != NoticeStatus.ANSWERED:
        raise ValidationError("责任单位尚未回复整改情况，不能销号。")
    closed_on = closed_on or local_today()
    if closed_on > local_today():
        raise ValidationError({"closed_on": "整改完成日期不能晚于今天。"})
    if closed_on < notice.issued_on:
        raise ValidationError({"closed_on": "整改完成日期不能早于通知下达日期。"})
    notice.status = NoticeStatus.CLOSED
    notice.closed_on = closed_on
    notice.closed_by = user
    notice.inspector_note = note or ""
    notice.save()
    close_todos(notice)
    rescore_a1(notice.finding.inspection.project.county_id, notice.deadline.year)
    return notice


@transaction.atomic
def return_notice(
    notice: RectificationNotice, *, user, reason: str, new_deadline: dt.date | None
) -> RectificationNotice:
    """整改不到位，退回: the inspector returns the unit's answer with a reason and a new deadline (after today). The
    answered round is kept in the history (``NoticeRound``), the notice goes back to the unit (待整改, notified, a
    new to-do); “按时” stays judged by the first deadline (``outcome``)."""
    notice = _locked_notice(notice)
    roles.require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以退回重新整改。")
    if notice.status != NoticeStatus.ANSWERED:
        raise ValidationError("只有责任单位已回复、尚未销号的通知单可以退回重新整改。")
    reason = " ".join((reason or "").split())
    today = local_today()
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
    rescore_a1(notice.finding.inspection.project.county_id, notice.first_deadline.year)
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
    elif on > local_today():
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
    roles.require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以认定逾期。")
    if notice.status not in OPEN_NOTICE_STATUSES:
        raise ValidationError(f"通知单已{notice.get_status_display()}。")
    if notice.deadline >= local_today():
        raise ValidationError(f"整改期限{notice.deadline:%Y-%m-%d}未到，不能认定逾期。")
    penalty_doc_no = (penalty_doc_no or "").strip()
    if penalty_doc_no or penalty_on:
        errors = _validate_penalty(penalty_doc_no, penalty_on)
        if errors:
            raise ValidationError(errors)
    finding = notice.finding
    # The record and the notice are read once for the 诚信档案 when both are written: the record, linked to the
    # notice, makes no entry of its own; the notice makes its escalation (and penalty) entries.
    with credit_follow.batched():
        record = ConstraintRecord.objects.create(
            participant=finding.participant,
            kind=ConstraintKind.INSPECTION_OVERDUE,
            occurred_on=local_today(),
            description=f"“双随机、一公开”检查发现问题逾期未整改（通知单{notice.number}）：{finding.description}",
            required_action=note or "限期整改，逾期未整改依法处罚。",
            status=ConstraintStatus.PENDING,
            created_by=user,
        )
        projects_services.constraint_recorded(record)  # the evaluation app's 复核 of a certified project
        notice.status = NoticeStatus.ESCALATED
        notice.escalated_on = local_today()
        notice.constraint_record = record
        notice.inspector_note = note or ""
        if penalty_doc_no:
            notice.penalty_doc_no, notice.penalty_on = penalty_doc_no, penalty_on
            notice.penalty_note = penalty_note
        notice.save()
    close_todos(notice)
    rescore_a1(finding.inspection.project.county_id, notice.deadline.year)
    return notice


@transaction.atomic
def record_penalty(
    notice: RectificationNotice, *, user, penalty_doc_no: str, penalty_on: dt.date, penalty_note: str = ""
) -> RectificationNotice:
    notice = _locked_notice(notice)
    roles.require(can_inspect(user, notice.finding.inspection), "只有检查组成员或组织单位可以登记行政处罚。")
    if notice.status != NoticeStatus.ESCALATED:
        raise ValidationError("只有逾期未整改的通知单可以登记行政处罚。")
    penalty_doc_no = (penalty_doc_no or "").strip()
    errors = _validate_penalty(penalty_doc_no, penalty_on)
    errors.update(length_errors(RectificationNotice, {"penalty_note": penalty_note}))
    if errors:
        raise ValidationError(errors)
    notice.penalty_doc_no, notice.penalty_on, notice.penalty_note = penalty_doc_no, penalty_on, penalty_note
    notice.save(update_fields=["penalty_doc_no", "penalty_on", "penalty_note"])
    rescore_a1(notice.finding.inspection.project.county_id, notice.deadline.year)
    return notice


# --- the veto -------------------------------------------------------------------------------------
def overdue_veto_details(project: Project, on_date: dt.date) -> list[str]:
    """The 精品工程 veto's details for the project: one line per overdue notice (registered with evaluation)."""
    return [
        f"{n.finding.participant.enterprise}：整改通知单{n.number}（{n.deadline:%Y-%m-%d}到期）{n.finding.description}"
        for n in overdue_notices(project, on_date)
    ]


def overdue_notices(project: Project, on_date: dt.date | None = None):
    """Open notices of the project past their deadline: each opens the 精品工程 veto."""
    on_date = on_date or local_today()
    return (
        RectificationNotice.objects.filter(finding__inspection__project=project)
        .overdue(on_date)
        .select_related("finding__participant__enterprise")
    )
