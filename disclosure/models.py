"""Public disclosure (公示, seed 001 §社会监督): which projects have a public page, and under which public id.

The data shown publicly is the project's own (projects app); this app only holds, per project, the stable
non-guessable public id used in the public URL and on the 永久性标志牌's QR code, and whether the county has
published the page. The database id never appears in a public URL.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from disclosure.querysets import ProjectDisclosureQuerySet

PUBLIC_ID_BYTES = 12  # 16 URL-safe characters, 96 random bits


def new_public_id() -> str:
    return secrets.token_urlsafe(PUBLIC_ID_BYTES)


class ProjectDisclosure(models.Model):
    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="disclosure"
    )
    public_id = models.CharField(
        "公示编号", max_length=32, unique=True, default=new_public_id, editable=False, help_text="公开网址中的随机编号"
    )
    location = models.CharField("工程地点", max_length=200, blank=True, help_text="公示页和标志牌上显示的工程地点")
    published = models.BooleanField("已公示", default=False)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公示人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdrawal_reason = models.CharField(
        "撤销原因", max_length=200, blank=True, help_text="撤销公示的原因，在公示页上向公众显示"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ProjectDisclosureQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "项目公示"
        verbose_name_plural = "项目公示"
        ordering = ["project__county__order", "project__code"]

    def __str__(self) -> str:
        return f"{self.project}（{self.state_label}）"

    @property
    def is_withdrawn(self) -> bool:
        """Published once and withdrawn since: its URL (the QR on an installed sign) shows 已撤销公示."""
        return not self.published and self.withdrawn_at is not None

    @property
    def state_label(self) -> str:
        if self.published:
            return "已公示"
        return "已撤销公示" if self.is_withdrawn else "未公示"


class DisclosureEvent(models.Model):
    """The audit trail of a project's public page: every publication, withdrawal (with its reason) and
    re-publication, with who and when. Rows are only ever added."""

    class Action(models.TextChoices):
        PUBLISHED = "published", "公示"
        WITHDRAWN = "withdrawn", "撤销公示"

    disclosure = models.ForeignKey(
        ProjectDisclosure, verbose_name="项目公示", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("操作时间", default=timezone.now)

    class Meta:
        verbose_name = "公示记录"
        verbose_name_plural = "公示记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}（{self.created_at:%Y-%m-%d}）"
