from django.db.models import Count, Q
from django.utils import timezone

from core.panel_cache import cached_panel
from evaluation.models import Evaluation, ScoreSheet
from projects.models import Project


def evaluation_panel(request):
    user = request.user
    if user.is_expert:
        sheets = ScoreSheet.objects.filter(expert=user)
        open_list = list(
            Evaluation.objects.visible_to(user)
            .filter(status="open")
            .exclude(sheets__expert=user, sheets__status="submitted")
            .select_related("project")
            .order_by("due_date")[:5]
        )
        return {
            "expert": True,
            "pending": len(open_list),
            "submitted": sheets.filter(status="submitted").count(),
            "open_list": open_list,
        }
    return _counts(request)


@cached_panel("evaluation.Evaluation", "projects.Project")
def _counts(request):
    user = request.user
    year = timezone.localdate().year
    counts = Evaluation.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status="open")),
        passed=Count("pk", filter=Q(result="passed", year=year)),
        failed=Count("pk", filter=Q(result="failed", year=year)),
        demonstration=Count("pk", filter=Q(demonstration=True, year=year)),
    )
    counts["library"] = Project.objects.visible_to(user).in_library().count()
    counts["year"] = year
    return counts
