"""The bell: one in-app notice per event and recipient (the table predates this app: ``reports_notification``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

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


class TodoQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, now=None):
        return self.open().filter(deadline__lt=now or timezone.now())


class Todo(models.Model):
    """A to-do (待办): something this user must do, linked to the page where it is done.

    It is opened when the thing to do arises (a report waits for review, a notice waits for an answer…) and
    closed by the action itself (``close_todos`` in the service that does it), never by reading it. The subject
    is a generic key (``app_label.model`` + pk) so any app can name its object; ``key`` + user is unique, so a
    retried task opens nothing twice.
    """

    class Kind(models.TextChoices):
        REPORT_REVIEW = "report_review", "审核项目月报"
        REPORT_RESUBMIT = "report_resubmit", "修改并重新提交月报"
        ASSESSMENT_SUBMIT = "assessment_submit", "报送月度考评材料"
        ASSESSMENT_RESUBMIT = "assessment_resubmit", "修改并重新报送考评"
        NOTICE_ANSWER = "notice_answer", "整改并回复通知单"
        NOTICE_VERIFY = "notice_verify", "核查整改并销号"
        COMPLAINT_ACCEPT = "complaint_accept", "受理投诉举报"
        COMPLAINT_CLOSE = "complaint_close", "办结投诉举报"
        SCORE_SHEET = "score_sheet", "提交精品工程评分表"
        CREDIT_APPEAL = "credit_appeal", "处理信用修复申诉"
        PILOT_REVIEW = "pilot_review", "评审绿色建造策划方案"
        PILOT_DECIDE = "pilot_decide", "作出绿色建造试点评审结论"
        PILOT_RESUBMIT = "pilot_resubmit", "修改并重新申报绿色建造试点"
        PILOT_ACCEPTANCE = "pilot_acceptance", "组织绿色建造专项评估验收"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.CASCADE, related_name="todos"
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    key = models.CharField("事项键", max_length=150)
    title = models.CharField("事项", max_length=200)
    url = models.CharField("办理链接", max_length=300)
    deadline = models.DateTimeField("办理期限", null=True, blank=True)
    subject_type = models.CharField("对象类型", max_length=100)
    subject_id = models.CharField("对象编号", max_length=64)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    done_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = TodoQuerySet.as_manager()

    class Meta:
        verbose_name = "待办"
        verbose_name_plural = "待办"
        ordering = ["deadline", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="todo_once_per_key")]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "kind"], name="todo_subject"),
            models.Index(fields=["user", "done_at"], name="todo_user_open"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, now=None) -> bool:
        """Open and past its deadline (one rule: the page, the panel and the API read it here)."""
        return self.done_at is None and self.deadline is not None and self.deadline < (now or timezone.now())


class NotificationPreference(models.Model):
    """One user's channels per kind of notice; a kind not stored yet takes ``channels.default_channels``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="notification_preference"
    )
    channels = models.JSONField("通知渠道", default=dict, blank=True)  # kind -> ["email", "sms"] (in-app always)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self) -> str:
        return f"{self.user} 的通知设置"
