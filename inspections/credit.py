"""整改通知单 in the 诚信档案 (``credit.registry``): the enterprise a notice is addressed to (the finding's
participant) gets

* an escalated notice (逾期未整改): a bad entry ``notice_escalated`` on the day it was escalated, with the notice's
  number; the constraint record the escalation creates is not counted again (``credit.sources`` leaves out the
  records linked to a notice);
* a 行政处罚 recorded on the notice: a bad entry ``penalty`` on the penalty's date, with the 处罚决定书文号;
* a notice closed on time (``services.outcome``, the one rule of 按时整改到位 that A1 and the public pages use):
  a good entry ``on_time_rectification`` on the day it was closed; a late one makes none.

County and project are the inspected project's.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from credit.follow import watch
from credit.registry import Fact, Source, register
from inspections.a1 import ON_TIME, outcome
from inspections.models import Finding, NoticeStatus, RectificationNotice
from projects.models import Participant, Project


def on_time(notice: RectificationNotice) -> bool:
    """Closed and on time. Asked as of the deadline: a notice closed before its deadline is on time at once (the
    A1 fact lists it as 未到整改期限 until then, which never turns into anything but 按时整改到位). The first
    deadline: a notice returned for re-rectification is judged by it (``outcome``)."""
    return notice.status == NoticeStatus.CLOSED and outcome(notice, notice.first_deadline) == ON_TIME


def notice_facts(ids, rule) -> dict[int, list[Fact]]:
    out: dict[int, list[Fact]] = {}
    rows = (
        RectificationNotice.objects.filter(pk__in=ids)
        .select_related("finding__participant", "finding__inspection__project")
        .only(
            "pk",
            "number",
            "status",
            "deadline",
            "original_deadline",
            "closed_on",
            "escalated_on",
            "answered_at",
            "answer_channel",
            "answer_received_on",
            "penalty_doc_no",
            "penalty_on",
            "penalty_note",
            "finding__participant__enterprise_id",
            "finding__inspection__project__id",
            "finding__inspection__project__name",
            "finding__inspection__project__county_id",
        )
    )
    for notice in rows:
        project = notice.finding.inspection.project
        common = dict(
            enterprise_id=notice.finding.participant.enterprise_id,
            document_no=notice.number,
            project_id=project.pk,
            county_id=project.county_id,
            source_url=reverse("inspections:notice-detail", args=[notice.pk]),
        )
        facts = []
        if notice.status == NoticeStatus.ESCALATED:
            facts.append(
                Fact(
                    behaviour="notice_escalated",
                    occurred_on=notice.escalated_on,
                    title=f"整改通知单{notice.number}逾期未整改 · {project.name}",
                    **common,
                )
            )
        if notice.penalty_doc_no:
            what = notice.penalty_note or "处罚内容未登记"
            facts.append(
                Fact(
                    behaviour="penalty",
                    occurred_on=notice.penalty_on or notice.escalated_on,
                    title=f"行政处罚：{what}（整改通知单{notice.number}） · {project.name}",
                    **{**common, "document_no": notice.penalty_doc_no},
                )
            )
        if on_time(notice):
            facts.append(
                Fact(
                    behaviour="on_time_rectification",
                    occurred_on=notice.closed_on,
                    title=f"整改通知单{notice.number}按期整改到位 · {project.name}",
                    **common,
                )
            )
        if facts:
            out[notice.pk] = facts
    return out


def _notices(**lookup):
    return RectificationNotice.objects.filter(**lookup).values_list("pk", flat=True)


def register_source() -> None:
    register(
        Source(
            "notice",
            "整改通知单",
            notice_facts,
            lambda: RectificationNotice.objects.filter(
                Q(status__in=[NoticeStatus.ESCALATED, NoticeStatus.CLOSED]) | ~Q(penalty_doc_no="")
            ).values_list("pk", flat=True),
        )
    )
    watch("notice", RectificationNotice, lambda n: [n.pk])
    # The constraint record an escalation creates is linked to the notice only when the notice is saved: the
    # record is re-read then, and its own entry goes (the notice's counts).
    watch("constraint", RectificationNotice, lambda n: [n.constraint_record_id])
    watch("notice", Finding, lambda f: _notices(finding_id=f.pk) if f.pk else [])
    watch("notice", Participant, lambda p: _notices(finding__participant_id=p.pk) if p.pk else [])
    watch("notice", Project, lambda p: _notices(finding__inspection__project_id=p.pk) if p.pk else [])
