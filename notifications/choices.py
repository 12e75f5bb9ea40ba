"""Choices of the notifications app and the groups built on them (NetBox-style ``choices.py``): imported at the top of
models, querysets and the other apps, so no module needs the models to know a status."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内通知"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class NoticeKind(models.TextChoices):
    """What a notice is about, for the user's choice of channels (通知设置)."""

    TODO = "todo", "新的待办事项"
    REMINDER = "reminder", "期限提醒与逾期督办"
    INFO = "info", "结果与其他通知"
