"""Six-element 精品工程 evaluation (SPEC §3): criteria templates, veto items, evaluations, panels, score sheets.

Every write that matters goes through evaluation.services; the models hold data and the invariants that
the database can keep (one sheet per expert, one score per item, one open evaluation per project).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from evaluation.choices import Element, EvaluationResult, EvaluationStatus, ReviewStatus, SheetStatus, VetoKind
from evaluation.querysets import (
    CertificationReviewQuerySet,
    CriteriaTemplateQuerySet,
    EvaluationQuerySet,
    ScoreSheetQuerySet,
    VetoItemQuerySet,
)
from projects.choices import Category

DEFAULT_WEIGHTS = {
    Element.DESIGN: Decimal("15"),
    Element.FEATURE: Decimal("15"),
    Element.GREEN: Decimal("15"),
    Element.SAFETY: Decimal("15"),
    Element.QUALITY: Decimal("25"),
    Element.FUNCTION: Decimal("15"),
}
TOTAL_POINTS = Decimal("100")


class CriteriaTemplate(models.Model):
    """评价标准: one version of the criteria of a project category. Frozen once an evaluation uses it."""

    category = models.CharField("工程类别", max_length=20, choices=Category.choices)
    version = models.PositiveIntegerField("版本号")
    name = models.CharField("名称", max_length=100)
    note = models.CharField("修订说明", max_length=200, blank=True)
    frozen_at = models.DateTimeField(
        "冻结时间", null=True, blank=True, help_text="首次被评价使用时冻结，此后修改将生成新版本。"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    objects = CriteriaTemplateQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "评价标准"
        verbose_name_plural = "评价标准"
        ordering = ["category", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "version"],
                name="criteria_template_unique_version",
                violation_error_message="该类别的此版本评价标准已存在。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}评价标准 V{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class TemplateElement(models.Model):
    template = models.ForeignKey(
        CriteriaTemplate, verbose_name="评价标准", on_delete=models.CASCADE, related_name="elements"
    )
    element = models.CharField("要素", max_length=20, choices=Element.choices)
    weight = models.DecimalField(
        "权重（分）", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "评价要素"
        verbose_name_plural = "评价要素"
        ordering = ["template", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "element"], name="template_element_unique")]

    def __str__(self) -> str:
        return f"{self.get_element_display()}（{self.weight}分）"


class TemplateItem(models.Model):
    element = models.ForeignKey(TemplateElement, verbose_name="要素", on_delete=models.CASCADE, related_name="items")
    text = models.CharField("评分项", max_length=300)
    max_score = models.DecimalField(
        "满分", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["element__order", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.text}（{self.max_score}分）"


class VetoItem(models.Model):
    """一票否决项: a configurable list; each active item is checked when an evaluation is closed."""

    kind = models.CharField("否决类型", max_length=30, choices=VetoKind.choices, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.CharField("说明", max_length=300, blank=True)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = VetoItemQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "一票否决项"
        verbose_name_plural = "一票否决项"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="evaluations"
    )
    template = models.ForeignKey(
        CriteriaTemplate, verbose_name="评价标准", on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField("评价年度")
    due_date = models.DateField("评分截止日期")
    status = models.CharField("状态", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    # Result (filled when closed)
    result = models.CharField("评价结果", max_length=10, choices=EvaluationResult.choices, blank=True)
    total_score = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    element_scores = models.JSONField("各要素得分", default=dict, blank=True)
    item_scores = models.JSONField("各评分项得分", default=dict, blank=True)
    vetoes = models.JSONField("一票否决", default=list, blank=True)
    fail_reasons = models.JSONField("未通过原因", default=list, blank=True)
    median_total = models.DecimalField("专家总分中位数", max_digits=6, decimal_places=2, null=True, blank=True)
    pass_threshold = models.DecimalField("通过分数线", max_digits=5, decimal_places=2, null=True, blank=True)
    demonstration = models.BooleanField("示范项目", default=False)
    demonstration_at = models.DateTimeField("确定示范时间", null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "精品工程评价"
        verbose_name_plural = "精品工程评价"
        ordering = ["-year", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status="open"),
                name="evaluation_one_open_per_project",
                violation_error_message="该项目已有进行中的评价。",
            )
        ]
        indexes = [
            models.Index(fields=["year", "status", "result"]),
            models.Index(fields=["-year", "-opened_at", "-id"], name="evaluation_list_order_idx"),  # the list order
        ]

    def __str__(self) -> str:
        return f"{self.project.name} {self.year}年度精品工程评价"

    @property
    def is_open(self) -> bool:
        return self.status == EvaluationStatus.OPEN

    @property
    def passed(self) -> bool:
        return self.result == EvaluationResult.PASSED


class PanelMember(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="专家", on_delete=models.PROTECT, related_name="panel_seats"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指派人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "评审专家组成员"
        verbose_name_plural = "评审专家组成员"
        ordering = ["evaluation", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "expert"],
                name="panel_member_unique",
                violation_error_message="该专家已在评审组中。",
            )
        ]

    def __str__(self) -> str:
        return str(self.expert)


class ScoreSheet(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.CASCADE, related_name="sheets")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="专家", on_delete=models.PROTECT, related_name="score_sheets"
    )
    status = models.CharField("状态", max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    comment = models.TextField("评审意见", blank=True)
    total = models.DecimalField("合计", max_digits=6, decimal_places=2, default=Decimal("0.00"))
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    flagged = models.BooleanField("偏离提示", default=False, help_text="总分与专家组中位数相差超过15分。")
    dropped = models.CharField(
        "去除", max_length=10, blank=True, choices=[("highest", "去掉最高分"), ("lowest", "去掉最低分")]
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScoreSheetQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"
        ordering = ["evaluation", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "expert"],
                name="score_sheet_one_per_expert",
                violation_error_message="每位专家在一次评价中只能有一张评分表。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} 的评分表"

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, verbose_name="评分表", on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(TemplateItem, verbose_name="评分项", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=5, decimal_places=2)

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "得分"
        verbose_name_plural = "得分"
        ordering = ["sheet", "item__element__order", "item__order"]
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="score_unique_item")]

    def __str__(self) -> str:
        return f"{self.item.text}: {self.score}"


class CertificationReview(models.Model):
    """复核: a veto event (一票否决 — an escalated notice, an accident, an open constraint record, lapsed insurance)
    after a project was certified 精品工程 or 示范项目 opens a review; the city keeps or revokes the title."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="certification_reviews"
    )
    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评价", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField("复核状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    title_status = models.CharField("复核时称号", max_length=20)  # projects.JingpinStatus (certified/demonstration)
    findings = models.JSONField("触发的一票否决项", default=list)
    opened_at = models.DateTimeField("发起时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    reason = models.TextField("决定理由", blank=True)

    objects = CertificationReviewQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "精品工程复核"
        verbose_name_plural = "精品工程复核"
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status="open"),
                name="certification_review_one_open_per_project",
                violation_error_message="该项目已有进行中的复核。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.name} 精品工程复核（{self.get_status_display()}）"

    def finding_details(self) -> list[str]:
        return [d for f in self.findings for d in f.get("details", [])]
