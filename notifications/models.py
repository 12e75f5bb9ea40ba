"""The bell: one in-app notice per event and recipient (the table predates this app: ``reports_notification``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.querysets import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice (the bell). ``event_key`` + recipient is unique: one notice per event, never twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    event_key = models.CharField("事件键", max_length=150)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed = models.BooleanField("已发邮件", default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "reports_notification"  # moved from the reports app with its rows (migration 0001)
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event")]

    def __str__(self) -> str:
        return self.title
