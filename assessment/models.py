"""Monthly county assessment (SPEC §5): the rubric as versioned data, annual targets, county submissions
with evidence, review comments, 行政绩效 adjustments, deadline exceptions and the audit trail."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessment import scoring
from assessment.choices import COUNTY_EDITABLE_STATUSES, LOCKED_STATUSES, Status
from assessment.querysets import (
    AnnualTargetQuerySet,
    AuditEntryQuerySet,
    RubricQuerySet,
    SubmissionChildQuerySet,
    SubmissionQuerySet,
)
from core.models import UploadedFile
from core.querysets import CountyScopedQuerySet, PublicQuerySet

NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="不能为负数。")]
PERCENT = [
    MinValueValidator(Decimal("0"), message="百分比不能小于0。"),
    MaxValueValidator(Decimal("100"), message="百分比不能大于100。"),
]
MONTH = [MinValueValidator(1, "月份应为1-12。"), MaxValueValidator(12, "月份应为1-12。")]
YEAR = [MinValueValidator(2000, "年度不正确。"), MaxValueValidator(2100, "年度不正确。")]


# --- rubric -----------------------------------------------------------------------------------------
class Rubric(models.Model):
    """One version of a year's rubric. A version used by a published month is frozen (``frozen_at``);
    changing it creates the next version (services.revise_rubric)."""

    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    version = models.PositiveSmallIntegerField("版本", default=1)
    title = models.CharField("名称", max_length=100, default="建筑节能与科技工作月度考评赋分表")
    based_on = models.ForeignKey(
        "self", verbose_name="由此版本修订", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.TextField("修订说明", blank=True)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True, help_text="已用于发布月份的版本不再修改。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RubricQuerySet.as_manager()

    class Meta:
        verbose_name = "考评赋分表"
        verbose_name_plural = "考评赋分表"
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="rubric_unique_version")]

    def __str__(self) -> str:
        return f"{self.year}年{self.title}（第{self.version}版）"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def rules(self) -> list[scoring.ItemRule]:
        return [item.to_rule() for item in self.items.all()]


class RubricGroup(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name="赋分表", on_delete=models.CASCADE, related_name="groups")
    category = models.CharField("分类", max_length=30, help_text="如：绿色发展、建设科技")
    name = models.CharField("考评内容", max_length=50)
    max_points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = "考评分组"
        verbose_name_plural = "考评分组"
        ordering = ["rubric", "order"]

    def __str__(self) -> str:
        return f"{self.category}/{self.name}（{self.max_points}分）"


class RubricItem(models.Model):
    class Kind(models.TextChoices):
        PASS_FAIL = scoring.RuleKind.PASS_FAIL, "达标得分（是/否）"
        RATIO = scoring.RuleKind.RATIO, "比例÷目标×分值"
        COUNT_LEVELS = scoring.RuleKind.COUNT_LEVELS, "按数量分级计分（封顶）"
        COUNT_AT_LEAST = scoring.RuleKind.COUNT_AT_LEAST, "数量达到要求得分（≥1）"
        MANUAL = scoring.RuleKind.MANUAL, "评审人工评分"

    class ZeroTarget(models.TextChoices):
        FULL = scoring.ZeroTargetPolicy.FULL, "目标为0不适用，得满分"
        ZERO = scoring.ZeroTargetPolicy.ZERO, "目标为0得0分"

    rubric = models.ForeignKey(Rubric, verbose_name="赋分表", on_delete=models.CASCADE, related_name="items")
    group = models.ForeignKey(RubricGroup, verbose_name="分组", on_delete=models.CASCADE, related_name="items")
    code = models.CharField("编号", max_length=10)
    content = models.CharField("考评内容", max_length=200)
    standard = models.TextField("考评标准")
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=2, validators=NON_NEGATIVE)
    kind = models.CharField("计分规则", max_length=20, choices=Kind.choices)
    params = models.JSONField("规则参数", default=dict, blank=True)
    zero_target_policy = models.CharField(
        "目标为0时", max_length=10, choices=ZeroTarget.choices, default=ZeroTarget.FULL
    )
    requires_evidence = models.BooleanField("得分须附印证材料", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = "考评项"
        verbose_name_plural = "考评项"
        ordering = ["rubric", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="rubric_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.content}"

    def to_rule(self) -> scoring.ItemRule:
        return scoring.ItemRule(
            code=self.code,
            max_points=self.max_points,
            kind=self.kind,
            params=self.params or {},
            zero_target_policy=self.zero_target_policy,
            name=self.content,
            requires_evidence=self.requires_evidence,
        )


# --- targets ----------------------------------------------------------------------------------------
class AnnualTarget(models.Model):
    """附件1: a county's targets for one year. The prefabricated ratio defaults to the region's parameter."""

    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="县（市、区）",
        on_delete=models.PROTECT,
        related_name="assessment_targets",
        limit_choices_to={"level": "county"},
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    retrofit_residential_area = models.DecimalField(
        "既有居住建筑节能改造（万m²）", max_digits=10, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    retrofit_public_area = models.DecimalField(
        "既有公共建筑绿色化改造（万m²）", max_digits=10, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    prefab_ratio = models.DecimalField(
        "装配式建筑比例（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="留空则取区域参数（24%，太原、大同34%）。",
    )
    green_ratio = models.DecimalField(
        "绿色建筑比例（%）", max_digits=5, decimal_places=2, default=Decimal("80"), validators=PERCENT
    )
    innovation_projects = models.PositiveSmallIntegerField("培育绿色建筑创新项目（个）", default=1)
    sci_tech_registrations = models.PositiveSmallIntegerField("建设科技成果登记（个）", default=1)
    final_target_score = models.DecimalField(
        "全年目标任务得分（市局核定）",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="留空则按年末（最近一次报送）累计数据套用赋分表计算。",
    )

    objects = AnnualTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "年度目标任务"
        verbose_name_plural = "年度目标任务"
        ordering = ["-year", "county__order"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="annual_target_unique_county_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年目标"

    def effective_prefab_ratio(self) -> Decimal:
        return self.prefab_ratio if self.prefab_ratio is not None else self.county.effective_prefab_target()

    def as_targets(self) -> dict[str, Decimal]:
        return {
            "retrofit_residential_area": self.retrofit_residential_area,
            "retrofit_public_area": self.retrofit_public_area,
            "prefab_ratio": self.effective_prefab_ratio(),
            "green_ratio": self.green_ratio,
            "innovation_projects": Decimal(self.innovation_projects),
            "sci_tech_registrations": Decimal(self.sci_tech_registrations),
        }


def _area(label):
    return models.DecimalField(label, max_digits=12, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE)


class Submission(models.Model):
    """A county's monthly report for one month: figures cumulative for the year to date (万m²)."""

    FIGURE_FIELDS = tuple(scoring.FIGURES)
    FACT_FIELDS = tuple(scoring.FACTS)
    COUNT_FIELDS = tuple(scoring.COUNTS)
    REPORT_FIELDS = ("report_tasks", "report_progress", "report_problems", "report_other")

    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="县（市、区）",
        on_delete=models.PROTECT,
        related_name="assessment_submissions",
        limit_choices_to={"level": "county"},
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    month = models.PositiveSmallIntegerField("月份", validators=MONTH)
    rubric = models.ForeignKey(Rubric, verbose_name="赋分表版本", on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)

    # figures (万m², cumulative year to date)
    new_building_area = _area("城镇新建建筑面积（万m²）")
    renewable_area = _area("可再生能源应用面积（万m²）")
    retrofit_residential_area = _area("既有居住建筑节能改造累计开工面积（万m²）")
    retrofit_public_area = _area("公共建筑绿色化改造累计开工面积（万m²）")
    green_area_accepted = _area("验收绿色建筑面积（万m²）")
    green_area_star_rated = _area("其中星级绿色建筑面积（万m²）")
    prefab_area = _area("装配式建筑面积（万m²）")

    # binary facts
    energy_standard_full = models.BooleanField(scoring.FACTS["energy_standard_full"], default=False)
    no_unrectified_findings = models.BooleanField(scoring.FACTS["no_unrectified_findings"], default=False)
    residential_in_reserve = models.BooleanField(scoring.FACTS["residential_in_reserve"], default=False)
    public_in_reserve = models.BooleanField(scoring.FACTS["public_in_reserve"], default=False)
    green_standard_all = models.BooleanField(scoring.FACTS["green_standard_all"], default=False)
    star_design_filed = models.BooleanField(scoring.FACTS["star_design_filed"], default=False)
    bim_met = models.BooleanField(scoring.FACTS["bim_met"], default=False)
    rd_ledger_submitted = models.BooleanField(scoring.FACTS["rd_ledger_submitted"], default=False)
    sci_tech_met = models.BooleanField(scoring.FACTS["sci_tech_met"], default=False)

    # counts (cumulative)
    green_label_one_star = models.PositiveSmallIntegerField(scoring.COUNTS["green_label_one_star"], default=0)
    green_label_two_star = models.PositiveSmallIntegerField(scoring.COUNTS["green_label_two_star"], default=0)
    green_label_three_star = models.PositiveSmallIntegerField(scoring.COUNTS["green_label_three_star"], default=0)
    green_material_certifications = models.PositiveSmallIntegerField(
        scoring.COUNTS["green_material_certifications"], default=0
    )
    green_material_pilots = models.PositiveSmallIntegerField(scoring.COUNTS["green_material_pilots"], default=0)
    innovation_projects = models.PositiveSmallIntegerField(scoring.COUNTS["innovation_projects"], default=0)

    manual_scores = models.JSONField("人工评分项得分", default=dict, blank=True)
    prefilled = models.JSONField("由项目月报预填的数值", default=dict, blank=True)
    correction_notes = models.JSONField("预填数值的更正说明", default=dict, blank=True)
    decrease_explanation = models.TextField("累计数低于上月的说明", blank=True)

    # the four-part self-assessment report (附件2 提纲)
    report_tasks = models.TextField("一、任务完成情况", blank=True)
    report_progress = models.TextField("二、工作推进情况", blank=True)
    report_problems = models.TextField("三、存在的主要问题和改进措施", blank=True)
    report_other = models.TextField("四、其他要说明的事项", blank=True)
    self_score = models.DecimalField(
        "自评得分",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "自评得分不能为负数。"), MaxValueValidator(Decimal("100"))],
    )
    paper_received_on = models.DateField("纸质原件送达日期", null=True, blank=True)

    # deadline and results (derived, stored for set-based ranking)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    last_submitted_at = models.DateTimeField("最近报送时间", null=True, blank=True)
    is_late = models.BooleanField("逾期", default=False)
    late_reason = models.CharField("逾期说明", max_length=200, blank=True)
    items_total = models.DecimalField("考评项得分", max_digits=6, decimal_places=2, default=0)
    adjustments_total = models.DecimalField("行政绩效加减分", max_digits=6, decimal_places=2, default=0)
    score = models.DecimalField("月度得分", max_digits=6, decimal_places=2, default=0)
    flags = models.JSONField("待审核提示", default=list, blank=True)
    return_comment = models.TextField("退回意见", blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "月度考评报送"
        verbose_name_plural = "月度考评报送"
        ordering = ["-year", "-month", "county__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "month"],
                name="assessment_submission_unique_month",
                violation_error_message="该县本月的考评报送已存在。",
            )
        ]
        indexes = [models.Index(fields=["year", "month", "status"])]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.month}月考评"

    @property
    def period(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def county_can_edit(self) -> bool:
        return self.status in COUNTY_EDITABLE_STATUSES

    def figures(self) -> dict[str, Decimal | None]:
        return {f: getattr(self, f) for f in self.FIGURE_FIELDS}

    def facts(self) -> dict[str, bool]:
        return {f: getattr(self, f) for f in self.FACT_FIELDS}

    def counts(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in self.COUNT_FIELDS}


class ItemScore(models.Model):
    """The engine's result for one item of a submission (kept for the bulletin: every item per county)."""

    submission = models.ForeignKey(
        Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="item_scores"
    )
    item = models.ForeignKey(RubricItem, verbose_name="考评项", on_delete=models.PROTECT, related_name="+")
    ratio = models.DecimalField("比例（%）", max_digits=12, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    explanation = models.CharField("计算过程", max_length=300)
    applicable = models.BooleanField("适用", default=True)
    evidence_missing = models.BooleanField("无印证材料", default=False)

    objects = SubmissionChildQuerySet.as_manager()

    class Meta:
        verbose_name = "考评项得分"
        verbose_name_plural = "考评项得分"
        ordering = ["submission", "item__order"]
        constraints = [models.UniqueConstraint(fields=["submission", "item"], name="item_score_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.score}"


def evidence_upload_to(instance, filename: str) -> str:
    """Generated names only: the county's file name is kept in ``original_name``, never on disk."""
    ext = Path(filename).suffix.lower()
    return f"assessment/evidence/{instance.submission.year}/{uuid.uuid4().hex}{ext}"


class Evidence(UploadedFile):
    """印证材料 attached to an item (served only through the scoped download view)."""

    submission = models.ForeignKey(Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(RubricItem, verbose_name="考评项", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to=evidence_upload_to, max_length=200)

    objects = SubmissionChildQuerySet.as_manager()

    class Meta:
        verbose_name = "印证材料"
        verbose_name_plural = "印证材料"
        ordering = ["submission", "item__order", "uploaded_at"]


class PaperEvidenceAcceptance(models.Model):
    """The city reviewer accepts the stamped paper originals of one item in place of uploaded 印证材料 (seed 002
    附件1 四: "原件一式两份加盖单位公章……报市建设工程服务中心"), so the item is scored; withdrawn by deleting it.
    Both are written by the services only and audited."""

    submission = models.ForeignKey(
        Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="paper_acceptances"
    )
    item = models.ForeignKey(RubricItem, verbose_name="考评项", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="认可人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField("认可时间", auto_now_add=True)

    objects = SubmissionChildQuerySet.as_manager()

    class Meta:
        verbose_name = "纸质原件认可"
        verbose_name_plural = "纸质原件认可"
        ordering = ["submission", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "item"], name="paper_acceptance_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} 纸质原件认可"


class ReviewComment(models.Model):
    """The city's comment on one item (or on the whole submission when ``item`` is empty) when returning it."""

    submission = models.ForeignKey(Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        RubricItem, verbose_name="考评项", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("意见")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = SubmissionChildQuerySet.as_manager()

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["submission", "-created_at"]

    def __str__(self) -> str:
        return self.text[:30]


class Adjustment(models.Model):
    """行政绩效 adjustment: signed points with a reason, by the city admin."""

    class Source(models.TextChoices):
        OTHER = "", "其他"
        PAPER_LATE = "paper_late", "纸质原件未按时报送"

    submission = models.ForeignKey(
        Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="adjustments"
    )
    points = models.DecimalField(
        "加减分",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        help_text="加分为正，减分为负。",
    )
    reason = models.CharField("理由", max_length=300)
    source = models.CharField("来由", max_length=20, choices=Source.choices, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = SubmissionChildQuerySet.as_manager()

    class Meta:
        verbose_name = "行政绩效加减分"
        verbose_name_plural = "行政绩效加减分"
        ordering = ["submission", "created_at"]

    def __str__(self) -> str:
        return f"{self.points:+} {self.reason}"


class DeadlineException(models.Model):
    """A dated, reasoned exception to the monthly deadline for one county and month (city admin)."""

    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="县（市、区）",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    month = models.PositiveSmallIntegerField("月份", validators=MONTH)
    new_deadline = models.DateTimeField("延至", help_text="在此时间前首次报送视为按时。")
    reason = models.CharField("理由", max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    objects = CountyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "逾期豁免"
        verbose_name_plural = "逾期豁免"
        ordering = ["-year", "-month", "county__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "month"],
                name="deadline_exception_unique_month",
                violation_error_message="该县本月已有逾期豁免。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.month}月 延至{self.new_deadline:%Y-%m-%d %H:%M}"


class AuditEntry(models.Model):
    """Who changed what, when, old → new, and why. Written by the services only."""

    class Kind(models.TextChoices):
        FIGURE = "figure", "数据"
        FILE = "file", "印证材料"
        SCORE = "score", "得分"
        STATUS = "status", "状态"
        ADJUSTMENT = "adjustment", "行政绩效"
        COMMENT = "comment", "审核意见"
        DEADLINE = "deadline", "期限"
        RUBRIC = "rubric", "赋分表"

    county = models.ForeignKey(
        "accounts.Region", verbose_name="县（市、区）", null=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度", null=True)
    month = models.PositiveSmallIntegerField("月份", null=True)
    submission = models.ForeignKey(
        Submission, verbose_name="报送", null=True, blank=True, on_delete=models.CASCADE, related_name="audit"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    field = models.CharField("项目", max_length=100)
    old_value = models.TextField("原值", blank=True)
    new_value = models.TextField("新值", blank=True)
    reason = models.TextField("原因", blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"
