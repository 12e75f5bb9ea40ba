from django.apps import apps
from django.urls import NoReverseMatch, reverse

from core.registry import nav_for


def navigation(request):
    """Navigation entries for the user's role, grouped by app (a dropdown per app with several entries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    groups: dict[str, dict] = {}
    for item in nav_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        app_label = item.url_name.split(":", 1)[0] if ":" in item.url_name else ""
        key = item.group or app_label or item.url_name
        if key not in groups:
            label = item.group or (apps.get_app_config(app_label).verbose_name if app_label else item.label)
            groups[key] = {"label": label, "items": [], "active": False}
        active = request.path.startswith(url) and url != "/"
        groups[key]["items"].append({"label": item.label, "url": url, "active": active})
        groups[key]["active"] |= active
    return {"nav_groups": list(groups.values())}
