"""Choices of the complaints app and the groups built on them (NetBox-style ``choices.py``): imported at the top of
models, querysets and the other apps, so no module needs the models to know a status."""

from __future__ import annotations

from django.db import models


class Satisfaction(models.TextChoices):
    """回访: the complainant's satisfaction with how the complaint was handled."""

    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class IntakeChannel(models.TextChoices):
    """How a complaint reached the bureau: the public web form, or staff entering what came another way."""

    ONLINE = "online", "网上"
    HOTLINE = "hotline", "12345热线转办"
    PHONE = "phone", "电话"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PETITION = "petition", "信访转办"


STAFF_CHANNELS = tuple(c for c in IntakeChannel if c != IntakeChannel.ONLINE)

STAFF_CHANNEL_CHOICES = [(c.value, c.label) for c in STAFF_CHANNELS]


class Status(models.TextChoices):
    PENDING = "pending", "待受理"
    ACCEPTED = "accepted", "已受理"
    INVESTIGATING = "investigating", "核查中"
    CLOSED = "closed", "已办结（销号）"
    REJECTED = "rejected", "不予受理"


class Substantiated(models.TextChoices):
    """核查结论, chosen when the complaint is closed (办结销号)."""

    YES = "yes", "属实"
    PARTLY = "partly", "部分属实"
    NO = "no", "不属实"


# A complaint found (partly) true is held against its responsible unit in the 诚信档案 (complaints/credit.py).
SUBSTANTIATED = (Substantiated.YES, Substantiated.PARTLY)

OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED, Status.INVESTIGATING)

FINAL_STATUSES = (Status.CLOSED, Status.REJECTED)
