"""Report archive (generated PDF/Excel files with who/when/parameters) and in-app notifications."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.querysets import ScopedQuerySet
from reports.choices import ArchiveStatus, ReportType


def heartbeat_every() -> float:
    return float(settings.REPORT_HEARTBEAT_SECONDS)


def max_attempts() -> int:
    return int(settings.REPORT_MAX_ATTEMPTS)


def stale_after() -> timedelta:
    """A running archive whose heartbeat is older than this has lost its worker."""
    return timedelta(seconds=float(settings.REPORT_STALE_SECONDS))


def lost_heartbeat_after() -> timedelta:
    """A running archive whose heartbeat is older than this (two beats and a margin) has most likely lost its
    worker: the page says so at once instead of showing a frozen bar until the sweep (``REPORT_STALE_SECONDS``)
    puts it back in the queue."""
    return timedelta(seconds=2 * heartbeat_every() + 5)


class ReportArchiveQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The city sees every archive; county staff the finished reports built from published scores."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_city_admin:
            return self.all()
        if user.is_county_staff:
            return self.filter(status=ArchiveStatus.DONE, has_published_data=True)
        return self.none()

    def done(self):
        return self.filter(status=ArchiveStatus.DONE)

    def stale(self, now=None):
        """Running, with a heartbeat (or, before the first beat, a start) older than ``REPORT_STALE_SECONDS``: the
        worker is gone (the sweep puts these back in the queue; /metrics counts them as stuck)."""
        since = (now or timezone.now()) - stale_after()
        return self.filter(
            models.Q(status=ArchiveStatus.RUNNING)
            & (models.Q(heartbeat_at__lt=since) | models.Q(heartbeat_at__isnull=True, started_at__lt=since))
        )


def archive_upload_to(instance, filename):
    return f"reports/{instance.report_type}/{instance.pk}/{filename}"


class ReportArchive(models.Model):
    report_type = models.CharField("报表类型", max_length=30, choices=ReportType.choices)
    params = models.JSONField("参数", default=dict)
    params_key = models.CharField("参数键", max_length=100, db_index=True)
    title = models.CharField("标题", max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField("状态", max_length=20, choices=ArchiveStatus.choices, default=ArchiveStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    error = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    claim_token = models.CharField("认领标记", max_length=40, blank=True, editable=False)
    enqueued_at = models.DateTimeField("最近排队时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    pdf = models.FileField("PDF 文件", upload_to=archive_upload_to, blank=True)
    xlsx = models.FileField("Excel 文件", upload_to=archive_upload_to, blank=True)
    has_published_data = models.BooleanField("含已发布数据", default=False)
    summary = models.TextField("摘要", blank=True)
    scheduled = models.BooleanField("定时生成", default=False)

    objects = ReportArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = "报表档案"
        verbose_name_plural = "报表档案"
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["report_type", "params_key", "requested_at"]),
            models.Index(
                fields=["status"],
                name="archive_open_idx",
                condition=models.Q(status__in=["queued", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_done(self) -> bool:
        return self.status == ArchiveStatus.DONE

    def status_note(self, now=None) -> str:
        """What the 报表 page says beside the status, in the clerk's words (empty when the status says it all)."""
        now = now or timezone.now()
        if self.status == ArchiveStatus.RUNNING:
            beat = self.heartbeat_at or self.started_at
            if beat and now - beat > lost_heartbeat_after():
                if self.attempts >= max_attempts():
                    return f"生成中断，已重试{self.attempts}次仍未完成，即将标记为失败。"
                return f"生成中断，正在自动重试（第{self.attempts + 1}次）。"
            return f"第{self.attempts}次生成" if self.attempts > 1 else ""
        if self.status == ArchiveStatus.QUEUED and self.attempts:
            return f"生成中断，正在自动重试（第{self.attempts + 1}次）。"
        return ""
