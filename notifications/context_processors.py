from notifications.services import todo_counts


def notifications(request):
    """The bell in every page: open to-dos (待办, overdue among them) and, apart, unread information notices."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = todo_counts(user)
    return {
        "open_todo_count": counts["todos"],
        "overdue_todo_count": counts["overdue"],
        "unread_notification_count": counts["unread"],
    }
