"""Choices of the evaluation app and the groups built on them (NetBox-style ``choices.py``): imported at the top of
models, querysets and the other apps, so no module needs the models to know a status."""

from __future__ import annotations

from django.db import models


class Element(models.TextChoices):
    """The six elements of seed 000 §三, in the seed's order."""

    DESIGN = "design", "设计要素"
    FEATURE = "feature", "特色要素"
    GREEN = "green", "绿色要素"
    SAFETY = "safety", "安全要素"
    QUALITY = "quality", "质量要素"
    FUNCTION = "function", "功能要素"


ELEMENT_ORDER = [e.value for e in Element]


class VetoKind(models.TextChoices):
    QUALITY_ACCIDENT = "quality_accident", "发生质量事故"
    SAFETY_ACCIDENT = "safety_accident", "发生安全事故"
    OPEN_CONSTRAINT = "open_constraint", "存在未整改或清退出场的约束记录"
    INSURANCE = "insurance", "未按要求投保或保险过期"
    OVERDUE_FINDING = "overdue_finding", "“双随机”检查发现问题逾期未整改"


class EvaluationStatus(models.TextChoices):
    OPEN = "open", "评审中"
    CLOSED = "closed", "已结束"


class EvaluationResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "复核中"
    KEPT = "kept", "维持"
    REVOKED = "revoked", "撤销"
