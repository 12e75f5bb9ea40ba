"""Dashboard panel of the disclosure app: publication coverage per county (the city: every county; a county: its
own), with the number of projects from 施工 on still unpublished."""

from __future__ import annotations

from core.panel_cache import cached_panel
from disclosure import coverage


@cached_panel("disclosure.ProjectDisclosure", "projects.Project", "accounts.Region")
def coverage_panel(request):
    rows = coverage.coverage_for(request.user)
    if not rows:
        return None
    return {"rows": rows, "total": coverage.total(rows), "show_total": len(rows) > 1}
