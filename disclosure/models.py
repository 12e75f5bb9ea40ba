"""Public disclosure (公示, seed 001 §社会监督): which projects have a public page, and under which public id.

The data shown publicly is the project's own (projects app); this app only holds, per project, the stable
non-guessable public id used in the public URL and on the 永久性标志牌's QR code, and whether the county has
published the page. The database id never appears in a public URL.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

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
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ProjectDisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = "项目公示"
        verbose_name_plural = "项目公示"
        ordering = ["project__county__order", "project__code"]

    def __str__(self) -> str:
        return f"{self.project}（{'已公示' if self.published else '未公示'}）"
