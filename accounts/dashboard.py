from accounts.models import Enterprise, Region, User
from core.panel_cache import cached_panel


@cached_panel("accounts.Region", "accounts.Enterprise", "accounts.User")
def organisation_panel(request):
    user = request.user
    return {
        "county_count": Region.objects.filter(level=Region.Level.COUNTY).count(),
        "enterprise_count": Enterprise.objects.visible_to(user).count(),
        "user_count": User.objects.visible_to(user).count(),
    }
