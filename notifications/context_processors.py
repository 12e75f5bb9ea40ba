from notifications.models import Notification


def notifications(request):
    """The bell's unread count in every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": Notification.objects.visible_to(user).unread().count()}
