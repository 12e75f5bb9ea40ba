"""Reads for the public pages (一公开): the published plans with their draw record, the checklists, and the
confirmed inspections' results."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from inspections import checklists
from inspections import draw as drawing
from inspections.models import (
    PROXY_CHANNELS,
    PUBLIC_PLAN_STATUSES,
    ChecklistTemplate,
    DrawScheme,
    Inspection,
    InspectionPlan,
    PlanStatus,
    RectificationNotice,
    Severity,
    answer_date,
)
from inspections.services import local_today
from inspections.states import notice_state, state_label
from projects.choices import Stage
from projects.models import Project


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
    today = local_today()
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
