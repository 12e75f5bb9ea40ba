"""Choices of the awards app and the groups built on them (NetBox-style ``choices.py``): imported at the top of
models, querysets and the other apps, so no module needs the models to know a status."""

from __future__ import annotations

from django.db import models


class AwardLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
