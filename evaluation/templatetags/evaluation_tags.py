from django import template

from core import rowhtml
from core.rowhtml import esc
from evaluation.choices import EvaluationStatus
from evaluation.models import Evaluation, ScoreSheet
from projects.models import Project

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


_RESULTS = {
    "passed": '<span class="badge text-bg-success">通过</span>',
    "failed": '<span class="badge text-bg-danger">未通过</span>',
}
_DEMONSTRATION = ' <span class="badge text-bg-primary">示范项目</span>'


_EVALUATION_ROW = (
    "pk",
    "project__code",
    "project__name",
    "project__county__name",
    "project__category",
    "year",
    "due_date",
    "status",
)
_EVALUATION_RESULT = ("submitted_count", "panel_size", "total_score", "result", "demonstration")


@register.simple_tag(takes_context=True)
def evaluation_rows(context, evaluations):
    """The rows of the evaluation list (evaluation/evaluation_list.html): an expert's own sheet and scoring link,
    or the panel's progress, the total and the result."""
    detail = rowhtml.url_for("evaluation:evaluation-detail")
    my_sheet = rowhtml.url_for("evaluation:my-sheet")
    statuses = rowhtml.choice_labels(Evaluation, "status")
    categories = rowhtml.choice_labels(Project, "category")
    sheet_statuses = rowhtml.choice_labels(ScoreSheet, "status")
    user = context.get("user")
    expert = bool(user and user.is_expert)
    sheets = context.get("my_sheets") or {}

    def row(e):
        pk, status, category = e["pk"], e["status"], e["project__category"]
        is_open = status == EvaluationStatus.OPEN  # Evaluation.is_open
        colour = "text-bg-warning" if is_open else "text-bg-secondary"
        cells = (
            f'<tr><td class="font-monospace"><a href="{detail(pk)}">{esc(e["project__code"])}</a></td>'
            f"<td>{esc(e['project__name'])}</td><td>{esc(e['project__county__name'])}</td>"
            f"<td>{esc(categories.get(category, category))}</td>"
            f"<td>{esc(e['year'])}</td><td>{rowhtml.date(e['due_date'])}</td>"
            f'<td><span class="badge {colour}">{esc(statuses.get(status, status))}</span></td>'
        )
        if expert:
            sheet = sheets.get(pk)
            mine = esc(sheet_statuses.get(sheet.status, sheet.status)) if sheet else "未开始"
            link = f' <a class="btn btn-sm btn-outline-primary ms-2" href="{my_sheet(pk)}">评分</a>' if is_open else ""
            return f"{cells}<td>{mine}{link}</td></tr>"
        total = e["total_score"]
        return (
            f'{cells}<td class="text-end">{esc(e["submitted_count"])}/{esc(e["panel_size"])}</td>'
            f'<td class="text-end">{"—" if total is None else esc(total)}</td>'
            f"<td>{_RESULTS.get(e['result'], '—')}{_DEMONSTRATION if e['demonstration'] else ''}</td></tr>"
        )

    fields = _EVALUATION_ROW if expert else (*_EVALUATION_ROW, *_EVALUATION_RESULT)
    evaluations = rowhtml.values(evaluations, *fields)
    return rowhtml.rows(
        evaluations, row, '<tr><td colspan="10" class="text-center text-muted">没有符合条件的评价。</td></tr>'
    )
