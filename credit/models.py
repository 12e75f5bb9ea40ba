"""诚信档案: the credit rule (versioned data), the entries the events create, appeals, and the scores over time."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import UploadedFile
from credit import scoring
from credit.choices import AppealStatus, Behaviour, EntryState, Grade, Polarity, Severity
from credit.querysets import AppealQuerySet, EntryQuerySet, ScoreQuerySet, StandingQuerySet


class CreditRule(models.Model):
    """One version of the credit rule. Versions are never edited: the city adopts a new one
    (``services.adopt_rule``), which applies from its ``effective_from`` on; each score names its version."""

    version = models.PositiveIntegerField("版本", unique=True)
    effective_from = models.DateField("生效日期")
    data = models.JSONField("规则内容")
    change_note = models.TextField("修订说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修订人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("修订时间", default=timezone.now)

    class Meta:
        verbose_name = "信用评价规则"
        verbose_name_plural = "信用评价规则（版本）"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"信用评价规则第{self.version}版（{self.effective_from}起）"

    def to_rule(self) -> scoring.Rule:
        return scoring.rule_from_data(self.data, self.version)


class CreditEntry(models.Model):
    """One good or bad behaviour of an enterprise, created by the event itself (``credit.registry`` sources):
    an award record, an evaluation, a constraint record, a 整改通知单, a complaint, a participant's insurance."""

    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name="单位", on_delete=models.CASCADE, related_name="credit_entries"
    )
    behaviour = models.CharField("行为类别", max_length=30, choices=Behaviour.choices)
    polarity = models.CharField("性质", max_length=4, choices=Polarity.choices)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, blank=True)
    title = models.CharField("行为摘要", max_length=300)
    document_no = models.CharField("文号", max_length=100, blank=True)
    occurred_on = models.DateField("认定日期")
    valid_until = models.DateField("有效期至")
    catalogue_points = models.DecimalField(
        "奖项目录积分", max_digits=6, decimal_places=2, null=True, blank=True, help_text="获奖记录按奖项目录积分计分"
    )
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    rule = models.ForeignKey(CreditRule, verbose_name="计分规则版本", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="认定县（市、区）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="处理该记录申诉的县（市、区）；为空时由市局处理",
    )
    source_type = models.CharField("来源", max_length=30)
    source_id = models.PositiveBigIntegerField("来源记录")
    source_url = models.CharField("来源链接", max_length=200, blank=True)
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤销理由", max_length=500, blank=True)
    created_at = models.DateTimeField("记入时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EntryQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "enterprise", "behaviour"], name="credit_entry_one_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["enterprise", "-occurred_on", "-id"], name="credit_entry_enterprise_idx"),
            models.Index(fields=["-occurred_on", "-id"], name="credit_entry_list_idx"),
            models.Index(fields=["source_type", "source_id"], name="credit_entry_source_idx"),
            models.Index(fields=["valid_until"], name="credit_entry_expiry_idx"),
            # An enterprise's entries still valid on a day (in force, the lists' counts): one range scan each.
            models.Index(fields=["enterprise", "valid_until"], name="credit_entry_valid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_behaviour_display()}（{self.occurred_on}）"

    def state(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.withdrawn_on and self.withdrawn_on <= day:
            return EntryState.WITHDRAWN
        if day < self.occurred_on:
            return EntryState.PENDING
        if day > self.valid_until:
            return EntryState.EXPIRED
        return EntryState.IN_FORCE

    def state_display(self, day: dt.date | None = None) -> str:
        return EntryState(self.state(day)).label

    def in_force(self, day: dt.date | None = None) -> bool:
        return scoring.in_force(self, day or timezone.localdate())

    @property
    def is_bad(self) -> bool:
        return self.polarity == Polarity.BAD


def appeal_upload_to(instance, filename: str) -> str:
    ext = Path(filename).suffix.lower()
    return f"credit/appeals/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class CreditAppeal(models.Model):
    """信用修复: the enterprise objects to one of its entries; the county (or the city) decides with reasons."""

    entry = models.ForeignKey(CreditEntry, verbose_name="信用记录", on_delete=models.CASCADE, related_name="appeals")
    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name="申诉单位", on_delete=models.CASCADE, related_name="credit_appeals"
    )
    reasons = models.TextField("申诉理由")
    status = models.CharField("状态", max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申诉人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("申诉时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_reason = models.TextField("处理理由", blank=True)

    objects = AppealQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "信用修复申诉"
        verbose_name_plural = "信用修复申诉"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status="pending"),
                name="credit_appeal_one_pending_per_entry",
                violation_error_message="该记录已有待处理的申诉。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} 对“{self.entry.get_behaviour_display()}”的申诉（{self.get_status_display()}）"


class AppealDocument(UploadedFile):
    appeal = models.ForeignKey(CreditAppeal, verbose_name="申诉", on_delete=models.CASCADE, related_name="documents")
    file = models.FileField("证明材料", upload_to=appeal_upload_to, max_length=200)

    class Meta:
        verbose_name = "申诉证明材料"
        verbose_name_plural = "申诉证明材料"
        ordering = ["pk"]


class CreditScore(models.Model):
    """The score in force from ``as_of`` until the next row of the same enterprise: the history that answers
    "what was this company's grade on the tender date". A row is written only when the score, grade or rule
    changes (an entry created, changed or withdrawn; an expiry found by the daily job; a new rule)."""

    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name="单位", on_delete=models.CASCADE, related_name="credit_scores"
    )
    as_of = models.DateField("起始日期")
    score = models.DecimalField("信用分", max_digits=8, decimal_places=2)
    grade = models.CharField("信用等级", max_length=1, choices=Grade.choices)
    major_in_force = models.BooleanField("有严重不良记录", default=False)
    entries_in_force = models.PositiveIntegerField("有效记录数", default=0)
    rule = models.ForeignKey(CreditRule, verbose_name="计分规则版本", on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "信用分历史"
        verbose_name_plural = "信用分历史"
        ordering = ["enterprise", "-as_of"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "as_of"], name="credit_score_one_per_day")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.as_of}起 {self.score}分 {self.grade}级"


class CreditStanding(models.Model):
    """The current score of an enterprise (one row each; the lists and feeds read it). Kept by the same write
    that adds the history row."""

    enterprise = models.OneToOneField(
        "accounts.Enterprise",
        verbose_name="单位",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="credit_standing",
    )
    score = models.DecimalField("信用分", max_digits=8, decimal_places=2)
    grade = models.CharField("信用等级", max_length=1, choices=Grade.choices, db_index=True)
    major_in_force = models.BooleanField("有严重不良记录", default=False, db_index=True)
    entries_in_force = models.PositiveIntegerField("有效记录数", default=0)
    rule = models.ForeignKey(CreditRule, verbose_name="计分规则版本", on_delete=models.PROTECT, related_name="+")
    since = models.DateField("起始日期")
    checked_on = models.DateField("核算至", help_text="信用分已按有效期核算到的日期")
    updated_at = models.DateTimeField("计算时间", default=timezone.now)

    objects = StandingQuerySet.as_manager()

    class Meta:
        verbose_name = "当前信用等级"
        verbose_name_plural = "当前信用等级"
        ordering = ["-score", "enterprise_id"]
        indexes = [models.Index(fields=["-score", "enterprise"], name="credit_standing_rank_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.score} {self.grade}"

    @property
    def blacklisted(self) -> bool:
        return scoring.on_blacklist(self.grade, self.major_in_force)

    @property
    def redlisted(self) -> bool:
        return scoring.on_redlist(self.grade, self.major_in_force)
