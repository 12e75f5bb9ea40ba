"""Shared models: the transactional outbox (work to hand to Celery once the change that asked for it has committed)
and the abstract base of an uploaded file's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UploadedFile(models.Model):
    """What every checked upload records beside its file (each app declares ``file`` with its own ``upload_to``)."""

    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class OutboxMessage(models.Model):
    """One Celery task to send, written in the same transaction as the change that asks for it.

    A row with ``sent_at`` empty is still to be delivered: the request that wrote it tries once right after the
    commit (with short broker timeouts); when the broker is down, the dispatcher (beat, and every worker start)
    delivers it once the broker answers. Tasks sent this way are idempotent (a notice once per event, a report
    claimed once), so a message sent twice after a crash between publishing and marking it sent does no harm.
    """

    task = models.CharField("任务", max_length=200)
    args = models.JSONField("位置参数", default=list, blank=True)
    kwargs = models.JSONField("关键字参数", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    available_at = models.DateTimeField("可发送时间", db_index=True)
    locked_until = models.DateTimeField("发送锁至", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    # The id of the request that asked for the work (core.observability): sent as the task's request_id header.
    request_id = models.CharField("请求标识", max_length=128, blank=True)

    class Meta:
        verbose_name = "待发任务"
        verbose_name_plural = "待发任务"
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["available_at"], name="outbox_pending_idx", condition=models.Q(sent_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class FallbackCounter(models.Model):
    """A rate-limit counter (or a throttle's request history) kept in the database while the cache is down
    (``core.cache``): the limits that protect sign-in and the public endpoints never fail open."""

    key = models.CharField("键", max_length=200, unique=True)
    count = models.PositiveIntegerField("次数", default=0)
    value = models.JSONField("记录", null=True, blank=True)
    expires_at = models.DateTimeField("到期时间", db_index=True)

    class Meta:
        verbose_name = "限流计数（缓存不可用时）"
        verbose_name_plural = "限流计数（缓存不可用时）"

    def __str__(self) -> str:
        return self.key
