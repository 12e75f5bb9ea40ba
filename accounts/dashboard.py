from accounts import roles
from accounts.models import Enterprise, EnterpriseRegistration, Region, User
from core.panel_cache import cached_panel


@cached_panel("accounts.Region", "accounts.Enterprise", "accounts.User", "accounts.EnterpriseRegistration")
def organisation_panel(request):
    user = request.user
    pending = None
    if roles.has_role(user, roles.MANAGERS):
        pending = EnterpriseRegistration.objects.visible_to(user).filter(status="pending").count()
    return {
        "county_count": Region.objects.filter(level=Region.Level.COUNTY).count(),
        "enterprise_count": Enterprise.objects.visible_to(user).count(),
        "user_count": User.objects.visible_to(user).count(),
        "pending_registrations": pending,
    }
