"""The dashboard's first panel: the user's own open to-dos (hidden when there are none). Per user, so never cached (core.panel_cache keys by
scope — role, county, enterprise — which colleagues share)."""

from django.db.models import F
from django.utils import timezone

from notifications.models import Todo

PANEL_ROWS = 8


def todos_panel(request):
    now = timezone.now()
    todos = list(
        Todo.objects.visible_to(request.user)
        .open()
        .order_by(F("deadline").asc(nulls_last=True), "created_at", "pk")[: PANEL_ROWS + 1]
    )
    if not todos:
        return None  # nothing waits: no panel
    shown = todos[:PANEL_ROWS]
    count = len(todos) if len(todos) <= PANEL_ROWS else Todo.objects.visible_to(request.user).open().count()
    overdue = sum(1 for t in todos if t.is_overdue(now))
    if len(todos) > PANEL_ROWS:
        overdue = Todo.objects.visible_to(request.user).overdue(now).count()
    return {"todos": shown, "count": count, "overdue": overdue, "more": count - len(shown), "now": now}
