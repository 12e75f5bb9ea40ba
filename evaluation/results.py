"""The evaluation result as a table (web page, API, PDF) and the PDF report (WeasyPrint, fonts embedded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from core.decimals import fmt, half_up2
from evaluation.choices import SheetStatus
from evaluation.models import Evaluation, ScoreSheet
from evaluation.services import element_min_ratio


@dataclass
class ItemRow:
    pk: int
    text: str
    max_score: Decimal
    score: Decimal | None
    sheet_scores: list = field(default_factory=list)


@dataclass
class ElementRow:
    code: str
    name: str
    weight: Decimal
    minimum: Decimal
    score: Decimal | None
    items: list[ItemRow]

    @property
    def below_minimum(self) -> bool:
        return self.score is not None and self.score < self.minimum


def result_table(evaluation: Evaluation, *, with_sheets: bool = True) -> dict:
    """Elements with their items, aggregated scores (when closed) and, optionally, each submitted sheet's scores."""
    elements = list(evaluation.template.elements.prefetch_related("items").order_by("order"))
    sheets = []
    if with_sheets:
        sheets = list(
            ScoreSheet.objects.filter(evaluation=evaluation, status=SheetStatus.SUBMITTED)
            .select_related("expert", "expert__enterprise")
            .prefetch_related("scores")
            .order_by("submitted_at", "pk")
        )
    by_sheet = {s.pk: {sc.item_id: sc.score for sc in s.scores.all()} for s in sheets}
    ratio = element_min_ratio()
    rows = []
    for element in elements:
        items = []
        for item in element.items.all():
            score = evaluation.item_scores.get(str(item.pk))
            items.append(
                ItemRow(
                    pk=item.pk,
                    text=item.text,
                    max_score=item.max_score,
                    score=Decimal(score) if score is not None else None,
                    sheet_scores=[by_sheet[s.pk].get(item.pk) for s in sheets],
                )
            )
        score = evaluation.element_scores.get(element.element)
        rows.append(
            ElementRow(
                code=element.element,
                name=element.get_element_display(),
                weight=element.weight,
                minimum=half_up2(element.weight * ratio),  # shown as the pass rule words it (aggregation)
                score=Decimal(score) if score is not None else None,
                items=items,
            )
        )
    scored = [row.score for row in rows if row.score is not None]
    # each element is rounded on its own, the total from the exact average: the two may differ by a few cents
    element_sum = sum(scored, Decimal("0")) if scored and len(scored) == len(rows) else None
    # min_pct: the element minimum's percentage as the report's column heading prints it (the setting, not prose)
    return {"elements": rows, "sheets": sheets, "element_sum": element_sum, "min_pct": fmt(ratio * 100)}


@dataclass
class PanelRow:
    expert: object
    sheet: ScoreSheet | None

    @property
    def status_display(self) -> str:
        return self.sheet.get_status_display() if self.sheet else "未开始"

    @property
    def submitted(self) -> bool:
        return bool(self.sheet and self.sheet.is_submitted)


def panel_rows(evaluation: Evaluation) -> list[PanelRow]:
    """Each panel member with their sheet (or None). Uses two queries."""
    members = list(evaluation.panel.select_related("expert", "expert__enterprise").order_by("assigned_at", "pk"))
    sheets = {s.expert_id: s for s in ScoreSheet.objects.filter(evaluation=evaluation)}
    return [PanelRow(m.expert, sheets.get(m.expert_id)) for m in members]


def render_pdf(evaluation: Evaluation) -> bytes:
    from weasyprint import HTML

    evaluation = Evaluation.objects.select_related(
        "project", "project__county", "template", "opened_by", "closed_by"
    ).get(pk=evaluation.pk)
    context = {
        "evaluation": evaluation,
        "project": evaluation.project,
        "table": result_table(evaluation),
        "panel": panel_rows(evaluation),
        "generated_at": timezone.localtime(),
    }
    html = render_to_string("evaluation/report_pdf.html", context)
    return HTML(string=html).write_pdf()
