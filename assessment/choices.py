"""Choices of the assessment app and the groups built on them (NetBox-style ``choices.py``): imported at the top of
models, querysets and the other apps, so no module needs the models to know a status."""

from __future__ import annotations

from django.db import models


# --- submissions ------------------------------------------------------------------------------------
class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    RESUBMITTED = "resubmitted", "已重新报送"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已发布"


LOCKED_STATUSES = (Status.APPROVED, Status.PUBLISHED)

COUNTY_EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

IN_REVIEW_STATUSES = (Status.SUBMITTED, Status.RESUBMITTED)

SENT_STATUSES = (Status.SUBMITTED, Status.RESUBMITTED, Status.RETURNED, Status.APPROVED, Status.PUBLISHED)
