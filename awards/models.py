"""Awards and incentives (SPEC §4): catalogue with dated values, award records, 丹河杯, bonuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from awards.choices import AwardLevel
from awards.querysets import (
    AwardQuerySet,
    AwardRecordQuerySet,
    AwardValueQuerySet,
    BonusQuerySet,
    DanheCandidateQuerySet,
    DanheSelectionQuerySet,
)

NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="不能为负数。")]
YEAR = [MinValueValidator(2000, "年度应在2000-2100之间。"), MaxValueValidator(2100, "年度应在2000-2100之间。")]
CATALOGUE_START = dt.date(2022, 5, 12)
DANHE_CODE = "danhe"


class Award(models.Model):
    """One award of the catalogue; its points and bonus are dated values (``AwardValue``)."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("奖项名称", max_length=50, unique=True)
    full_name = models.CharField("全称", max_length=100, blank=True)
    level = models.CharField("级别", max_length=20, choices=AwardLevel.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = AwardQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "奖项"
        verbose_name_plural = "奖项目录"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def value_on(self, day: dt.date) -> AwardValue | None:
        """The points and bonus in force on ``day`` (the latest value effective on or before it)."""
        return self.values.filter(effective_from__lte=day).order_by("-effective_from").first()


class AwardValue(models.Model):
    """The points and bonus of an award from ``effective_from`` on (history: never overwritten)."""

    award = models.ForeignKey(Award, verbose_name="奖项", on_delete=models.CASCADE, related_name="values")
    effective_from = models.DateField("生效日期")
    points = models.DecimalField("积分（总承包单位）", max_digits=6, decimal_places=2, validators=NON_NEGATIVE)
    bonus_wan = models.DecimalField("奖金（万元）", max_digits=10, decimal_places=2, validators=NON_NEGATIVE)
    basis = models.CharField("依据", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调整人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = AwardValueQuerySet.as_manager()

    class Meta:
        verbose_name = "奖项标准"
        verbose_name_plural = "奖项标准（历史）"
        ordering = ["award__order", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "effective_from"],
                name="award_value_unique_date",
                violation_error_message="该奖项在此生效日期已有标准。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.award}：{self.points}分 / {self.bonus_wan}万元（{self.effective_from}起）"


class AwardRecord(models.Model):
    """An award granted to a project: points to the general contractor, bonus through the 建设单位."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="award_records"
    )
    award = models.ForeignKey(Award, verbose_name="奖项", on_delete=models.PROTECT, related_name="records")
    year = models.PositiveSmallIntegerField("获奖年度", validators=YEAR)
    grant_date = models.DateField("表彰日期")
    document_no = models.CharField("表彰文号", max_length=100)
    contractor = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="积分单位（总承包单位）",
        on_delete=models.PROTECT,
        related_name="award_points",
    )
    builder = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="奖金发放单位（建设单位）",
        on_delete=models.PROTECT,
        related_name="award_bonuses",
    )
    points = models.DecimalField("积分", max_digits=6, decimal_places=2, editable=False)
    bonus_wan = models.DecimalField("奖金（万元）", max_digits=10, decimal_places=2, editable=False)
    catalogue_value = models.ForeignKey(
        AwardValue, verbose_name="适用标准", on_delete=models.PROTECT, related_name="records", editable=False
    )
    selection = models.ForeignKey(
        "DanheSelection",
        verbose_name="丹河杯评选",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_records",
        editable=False,
    )
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = AwardRecordQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "奖励记录"
        verbose_name_plural = "奖励记录"
        ordering = ["-year", "-grant_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "award", "year"],
                name="award_record_unique_per_year",
                violation_error_message="该项目本年度已获得此奖项。",
            )
        ]
        indexes = [
            models.Index(fields=["contractor", "year"]),
            models.Index(fields=["year", "award"]),
            models.Index(fields=["-year", "-grant_date", "-id"], name="award_record_list_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.award} · {self.project.name}"


class DanheSelection(models.Model):
    """丹河杯 yearly selection of one county: candidates scored or ranked, then confirmed (locked)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "评选中"
        CONFIRMED = "confirmed", "已确认"

    class Method(models.TextChoices):
        SCORE = "score", "按得分"
        RANK = "rank", "按名次"

    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="县（市、区）",
        on_delete=models.PROTECT,
        related_name="danhe_selections",
        limit_choices_to={"level": "county"},
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    method = models.CharField("评选方式", max_length=10, choices=Method.choices, default=Method.SCORE)
    winners_count = models.PositiveSmallIntegerField("获奖数量", default=1)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    grant_date = models.DateField("表彰日期", null=True, blank=True)
    document_no = models.CharField("表彰文号", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = DanheSelectionQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "丹河杯评选"
        verbose_name_plural = "丹河杯评选"
        ordering = ["-year", "county__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="danhe_unique_county_year",
                violation_error_message="本县该年度的丹河杯评选已存在。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年度丹河杯评选"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.CONFIRMED


class DanheCandidate(models.Model):
    selection = models.ForeignKey(
        DanheSelection, verbose_name="评选", on_delete=models.CASCADE, related_name="candidates"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="候选项目", on_delete=models.PROTECT, related_name="danhe_candidacies"
    )
    score = models.DecimalField(
        "得分",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), "得分应在0到100之间。"),
            MaxValueValidator(Decimal("100"), "得分应在0到100之间。"),
        ],
    )
    rank = models.PositiveSmallIntegerField(
        "名次", null=True, blank=True, validators=[MinValueValidator(1, "名次须为正整数。")]
    )
    contractor = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="积分单位（项目有多个总承包单位时指定）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_winner = models.BooleanField("获奖", default=False, editable=False)

    objects = DanheCandidateQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "丹河杯候选项目"
        verbose_name_plural = "丹河杯候选项目"
        ordering = ["selection", "rank", "-score", "project__code"]
        constraints = [models.UniqueConstraint(fields=["selection", "project"], name="danhe_candidate_unique_project")]

    def __str__(self) -> str:
        return str(self.project)


class SavingsBonus(models.Model):
    """节约奖励: a saving confirmed by the 建设单位, proposed by the supervising unit or the EPC contractor.

    Seed 000 六(一)3 rewards "监理单位、工程总承包单位 … 分别奖励节约资金额度的5%和30%": a 施工总承包 firm is not in
    the rule. Rows stored for one before issue 25 keep the legacy kind ``contractor`` and a ``void_reason``
    (migration 0003); they are shown as 已作废 and no longer count as a bonus paid.
    """

    class ProposerKind(models.TextChoices):
        SUPERVISOR = "supervisor", "监理单位（5%）"
        EPC = "epc", "工程总承包单位（EPC，30%）"
        LEGACY_CONTRACTOR = "contractor", "施工总承包单位（不予奖励）"

    ELIGIBLE_KINDS = (ProposerKind.SUPERVISOR, ProposerKind.EPC)

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="savings_bonuses"
    )
    proposer_kind = models.CharField("提出单位类别", max_length=20, choices=ProposerKind.choices)
    recipient = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="提出单位（受奖单位）",
        on_delete=models.PROTECT,
        related_name="savings_bonuses",
    )
    builder = models.ForeignKey(
        "accounts.Enterprise", verbose_name="确认单位（建设单位）", on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField("新工艺/新技术", max_length=200)
    amount_saved = models.DecimalField("节约金额（元）", max_digits=16, decimal_places=2)
    rate_percent = models.DecimalField("奖励比例（%）", max_digits=5, decimal_places=2, editable=False)
    bonus = models.DecimalField("奖励金额（元）", max_digits=16, decimal_places=2, editable=False)
    confirmed_on = models.DateField("确认日期")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("登记时间", auto_now_add=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True, default="")

    objects = BonusQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "节约奖励"
        verbose_name_plural = "节约奖励"
        ordering = ["-confirmed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project.name} · {self.measure}"


class DesignBonusQuerySet(BonusQuerySet):
    recipient_field = "designer"


class DesignBonus(models.Model):
    """设计优化奖励: the construction-drawing design fee rises 2 % per 1 % the 预算 stays below the 概算."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="design_bonuses"
    )
    designer = models.ForeignKey(
        "accounts.Enterprise", verbose_name="设计单位", on_delete=models.PROTECT, related_name="design_bonuses"
    )
    builder = models.ForeignKey(
        "accounts.Enterprise", verbose_name="建设单位", on_delete=models.PROTECT, related_name="+"
    )
    approved_estimate = models.DecimalField("批复概算建安费（元）", max_digits=16, decimal_places=2)
    drawing_budget = models.DecimalField("施工图预算建安费（元）", max_digits=16, decimal_places=2)
    base_design_fee = models.DecimalField("施工图设计费基数（元）", max_digits=16, decimal_places=2)
    reduction_percent = models.DecimalField("降低比例（%）", max_digits=9, decimal_places=4, editable=False)
    fee_increase_percent = models.DecimalField("设计费上浮比例（%）", max_digits=9, decimal_places=4, editable=False)
    fee_increase = models.DecimalField("设计费增加额（元）", max_digits=16, decimal_places=2, editable=False)
    confirmed_on = models.DateField("确认日期")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = DesignBonusQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "设计优化奖励"
        verbose_name_plural = "设计优化奖励"
        ordering = ["-confirmed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project.name} · {self.designer}"
