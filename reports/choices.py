"""Choices of the reports app and the groups built on them (NetBox-style ``choices.py``): imported at the top of
models, querysets and the other apps, so no module needs the models to know a status."""

from __future__ import annotations

from django.db import models


class ReportType(models.TextChoices):
    MONTHLY_BULLETIN = "monthly_bulletin", "月度考评通报"
    ANNUAL_REPORT = "annual_report", "年度考评报告"
    PILOT_BULLETIN = "pilot_bulletin", "绿色建造试点通报"  # generator: pilots.report (registered by the pilots app)


class ArchiveStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
