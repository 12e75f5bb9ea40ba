from django.apps import apps
from django.urls import NoReverseMatch, reverse

from core.registry import nav_for

NAVBAR_PAGES = ("notifications:list", "accounts:password-change", "accounts:tokens")


def _urls(names) -> list[str]:
    urls = []
    for name in names:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def navigation(request):
    """Navigation entries for the user's role, grouped by app (a dropdown per app with several entries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    groups: dict[str, dict] = {}
    entries = []
    for item in nav_for(user):
        try:
            entries.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    # one entry is highlighted: the longest URL the path starts with; the pages reached from the navbar's right
    # side (the bell, password, tokens) are candidates too, so /reports/notifications/ does not light up 报表
    candidates = [url for _, url in entries if url != "/"] + _urls(NAVBAR_PAGES)
    matches = [url for url in candidates if request.path.startswith(url)]
    current = max(matches, key=len) if matches else None
    for item, url in entries:
        app_label = item.url_name.split(":", 1)[0] if ":" in item.url_name else ""
        key = item.group or app_label or item.url_name
        if key not in groups:
            label = item.group or (apps.get_app_config(app_label).verbose_name if app_label else item.label)
            groups[key] = {"label": label, "items": [], "active": False}
        active = url == current
        groups[key]["items"].append({"label": item.label, "url": url, "active": active})
        groups[key]["active"] |= active
    return {"nav_groups": list(groups.values())}
