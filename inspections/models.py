"""双随机、一公开 inspections (SPEC §9): plans, the draw, inspection records, findings and 整改通知单."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import UploadedFile
from inspections import states
from inspections.choices import (  # noqa: F401 (re-exported: the choices' old home)
    OPEN_NOTICE_STATUSES,
    PROXY_CHANNEL_CHOICES,
    PROXY_CHANNELS,
    AnswerChannel,
    NoticeState,
    NoticeStatus,
)
from inspections.querysets import (
    A1OverrideQuerySet,
    AttachmentQuerySet,
    FindingQuerySet,
    InspectionQuerySet,
    InspectorQuerySet,
    NoticeQuerySet,
    PlanQuerySet,
)
from projects.choices import Category, ParticipantRole, Stage

YEAR = [MinValueValidator(2000, "年度超出范围。"), MaxValueValidator(2100, "年度超出范围。")]


class Inspector(models.Model):
    """The roster (执法检查人员名录库): bureau staff and experts who may be drawn into a team.

    A county's roster entries (``county`` set) are drawn for that county's plans; city entries for every plan.
    The inspector's employer (``user.enterprise``) decides conflicts of interest with the evaluation panels' rule.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", "执法人员"
        EXPERT = "expert", "专家"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT, related_name="inspector"
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="所属县（市、区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        help_text="留空为市级名录。",
    )
    specialty = models.CharField("专业", max_length=50, blank=True)
    active = models.BooleanField("在库", default=True)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)

    objects = InspectorQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "检查人员"
        verbose_name_plural = "检查人员名录"
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.user.display_name}（{self.get_kind_display()}）"

    @property
    def name(self) -> str:
        return self.user.display_name


class PlanStatus(models.TextChoices):
    """draft → locked (record frozen, commitment published) → drawn; draft or locked → cancelled (stays public)."""

    DRAFT = "draft", "草拟中"
    LOCKED = "locked", "已锁定并公示"
    DRAWN = "drawn", "已抽取"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已作废"


class DrawScheme(models.TextChoices):
    V1 = "v1", "旧算法（计划编号+公开随机值，抽取前未承诺）"
    V2 = "v2", "先锁定公示承诺值，再输入公开随机值"


PUBLIC_PLAN_STATUSES = (PlanStatus.LOCKED, PlanStatus.DRAWN, PlanStatus.CLOSED, PlanStatus.CANCELLED)

# 双随机 inspects building sites: a plan draws from the projects under construction (施工) unless it names other
# stages (seed 002 A1; seed 001 二(五)1 — 质量安全 inspections of 在建工程).
CONSTRUCTION_STAGES = (Stage.CONSTRUCTION.value,)


class InspectionPlan(models.Model):
    """检查计划: who inspects what, when, how many projects, how big a team; then the frozen draw."""

    name = models.CharField("计划名称", max_length=100)
    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="组织单位（县）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        limit_choices_to={"level": "county"},
        help_text="留空为市局组织的检查。",
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    period_start = models.DateField("检查开始日期")
    period_end = models.DateField("检查结束日期")
    scope_counties = models.ManyToManyField(
        "accounts.Region", verbose_name="检查范围（县）", blank=True, related_name="+", help_text="留空为全部。"
    )
    scope_categories = models.JSONField("工程类别", default=list, blank=True)
    scope_stages = models.JSONField(
        "项目阶段", default=list, blank=True, help_text="留空为在建（施工阶段）项目；其他阶段须在此列明。"
    )
    pilot_only = models.BooleanField("仅绿色建造试点项目", default=False)
    jingpin_only = models.BooleanField("仅精品工程项目库项目", default=False)
    project_count = models.PositiveSmallIntegerField(
        "抽取项目数", validators=[MinValueValidator(1, "至少抽取1个项目。"), MaxValueValidator(200)]
    )
    team_size = models.PositiveSmallIntegerField(
        "每组检查人员数", default=2, validators=[MinValueValidator(1, "每组至少1人。"), MaxValueValidator(10)]
    )
    recency_months = models.PositiveSmallIntegerField(
        "回避期（月）", default=12, validators=[MaxValueValidator(60)], help_text="近N个月内检查过同一项目的人员回避。"
    )
    enforcement_seats = models.PositiveSmallIntegerField(
        "每组执法人员数",
        default=2,
        validators=[MinValueValidator(2, "每组至少须有2名执法人员。"), MaxValueValidator(10)],
        help_text="先从执法人员中抽取这些席位，其余席位从剩余人员（含专家）中抽取。",
    )
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # 差异化监管 (issue 24): chosen when locking; the weights and each project's grade are part of the record.
    credit_weighted = models.BooleanField(
        "按信用等级差异化抽取",
        default=False,
        help_text="项目按其施工总承包、工程总承包单位中最低的信用等级加权抽取（锁定时固定，计入承诺值）。",
    )
    grade_weights = models.JSONField("信用等级权重", default=dict, blank=True, help_text='{"A": 1, …, "D": 4}')
    draw_scheme = models.CharField("抽取算法", max_length=2, choices=DrawScheme.choices, default=DrawScheme.V2)

    # Locking (v2): the canonical record, its SHA-256 commitment, the declared source of the public value.
    value_source = models.CharField("公开随机值来源", max_length=200, blank=True)
    value_not_before = models.DateField("随机值可输入日期", null=True, blank=True)
    record_json = models.TextField("锁定记录（规范JSON）", blank=True, editable=False)
    commitment = models.CharField("承诺值（SHA-256）", max_length=64, blank=True, editable=False)
    locked_at = models.DateTimeField("锁定公示时间", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="锁定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField("作废原因", max_length=300, blank=True)
    cancelled_at = models.DateTimeField("作废时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The draw, frozen (see inspections/draw.py).
    public_value = models.CharField("公开随机值", max_length=100, blank=True)
    seed = models.CharField("随机种子", max_length=64, blank=True)
    eligible_projects = models.JSONField("备选项目（抽取时）", default=list, blank=True)
    eligible_inspectors = models.JSONField("备选人员（抽取时）", default=list, blank=True)
    exclusions = models.JSONField("回避人员（抽取时）", default=dict, blank=True)
    draw_result = models.JSONField("抽取结果", default=list, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "检查计划"
        verbose_name_plural = "检查计划"
        ordering = ["-period_start", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def organiser(self) -> str:
        return str(self.county) if self.county_id else "市局"

    @property
    def record(self) -> dict | None:
        """The locked record (v2 or v3), parsed from its canonical bytes."""
        return json.loads(self.record_json) if self.record_json else None

    def grade_weights_display(self) -> str:
        """“A级 1、B级 2、C级 3、D级 4” for a credit-weighted plan, else ""."""
        if not self.credit_weighted:
            return ""
        return "、".join(f"{grade}级 {weight}" for grade, weight in sorted((self.grade_weights or {}).items()))

    def category_labels(self) -> str:
        labels = dict(Category.choices)
        return "、".join(labels.get(c, c) for c in self.scope_categories) or "全部"

    @property
    def stages(self) -> list[str]:
        """The stages the plan draws from: the ones it names, else the construction stages (the default)."""
        return list(self.scope_stages or CONSTRUCTION_STAGES)

    def stage_labels(self) -> str:
        labels = dict(Stage.choices)
        if not self.scope_stages:
            return "施工（在建项目，默认）"
        if set(self.scope_stages) >= set(Stage.values):
            return "全部阶段"
        return "、".join(labels.get(s, s) for s in self.stages)


class ChecklistTemplate(models.Model):
    """检查表模板, versioned: a version used by an inspection is frozen; a change makes a new version."""

    code = models.SlugField("模板代码", max_length=40)
    name = models.CharField("名称", max_length=100)
    version = models.PositiveSmallIntegerField("版本", default=1)
    items = models.JSONField("检查项", default=list, help_text='[{"category": "质量", "text": "…"}]')
    active = models.BooleanField("当前版本", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "检查表模板"
        verbose_name_plural = "检查表模板"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="checklist_template_unique_version")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    @property
    def is_used(self) -> bool:
        return self.inspections.exists()


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "待检查"
    RECORDED = "recorded", "已检查"
    CONFIRMED = "confirmed", "已确认公开"


class Inspection(models.Model):
    """One drawn project of a plan: the team, then the record (date, checklist, findings)."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="检查计划", on_delete=models.CASCADE, related_name="inspections"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="inspections"
    )
    draw_order = models.PositiveSmallIntegerField("抽取顺序")
    team = models.ManyToManyField(Inspector, verbose_name="检查组", related_name="inspections", blank=True)
    team_short_by = models.PositiveSmallIntegerField("缺员", default=0)
    status = models.CharField("状态", max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name="检查表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    checklist = models.JSONField("检查表结果", default=dict, blank=True)
    summary = models.TextField("检查情况（公开）", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认公开时间", null=True, blank=True)

    objects = InspectionQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        ordering = ["plan", "draw_order"]
        constraints = [models.UniqueConstraint(fields=["plan", "project"], name="inspection_unique_project_in_plan")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.project}"


class Severity(models.TextChoices):
    MINOR = "minor", "一般"
    SERIOUS = "serious", "较重"
    MAJOR = "major", "严重"


def answer_date(channel: str, received_on, answered_at):
    """The answer's date: the day a paper answer was received (代录), else the day the unit answered online.
    This date, not the day of data entry, counts for on time or late (``inspections.a1.outcome``)."""
    if channel in PROXY_CHANNELS and received_on:
        return received_on
    return timezone.localdate(answered_at) if answered_at else None


class Finding(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="findings"
    )
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.MINOR)
    responsible_role = models.CharField("责任主体", max_length=20, choices=ParticipantRole.choices)
    participant = models.ForeignKey(
        "projects.Participant",
        verbose_name="责任单位",
        on_delete=models.PROTECT,
        related_name="inspection_findings",
    )
    checklist_item = models.CharField("对应检查项", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "检查发现问题"
        verbose_name_plural = "检查发现问题"
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return f"{self.get_severity_display()}：{self.description[:30]}"


class RectificationNotice(models.Model):
    """整改通知单: one per finding, with a deadline; answered by the responsible unit, closed or escalated."""

    finding = models.OneToOneField(Finding, verbose_name="问题", on_delete=models.CASCADE, related_name="notice")
    number = models.CharField("通知单编号", max_length=40, unique=True)
    issued_on = models.DateField("下达日期")
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED)
    answer = models.TextField("整改情况回复", blank=True)
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_channel = models.CharField("回复方式", max_length=10, choices=AnswerChannel.choices, blank=True)
    answer_received_on = models.DateField(
        "回复收到日期", null=True, blank=True, help_text="代录时为书面回复收到或现场复查的日期；按时与否以此日期计"
    )
    closed_on = models.DateField("整改完成日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_on = models.DateField("认定逾期日期", null=True, blank=True)
    constraint_record = models.OneToOneField(
        "projects.ConstraintRecord",
        verbose_name="约束记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectification_notice",
    )
    penalty_doc_no = models.CharField("行政处罚决定书文号", max_length=60, blank=True)
    penalty_on = models.DateField("处罚日期", null=True, blank=True)
    penalty_note = models.CharField("处罚内容", max_length=300, blank=True)
    inspector_note = models.CharField("检查人员意见", max_length=300, blank=True)
    reminded = models.JSONField("已发提醒", default=list, blank=True)
    # 退回重新整改: the round the notice is in (1 until it is first returned) and the deadline first set, by which
    # “按时整改到位” (seed 002 A1) is judged; ``deadline`` is the current round's.
    round = models.PositiveSmallIntegerField("整改轮次", default=1)
    original_deadline = models.DateField("原整改期限", null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "整改通知单"
        verbose_name_plural = "整改通知单"
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NOTICE_STATUSES

    def is_overdue(self, on_date=None) -> bool:
        on_date = on_date or timezone.localdate()
        return self.is_open and self.deadline < on_date

    @property
    def penalised(self) -> bool:
        return bool(self.penalty_doc_no)

    @property
    def first_deadline(self):
        """The deadline of the first round: “按时整改到位” is judged by it, whatever later rounds granted."""
        return self.original_deadline or self.deadline

    @property
    def answer_by_proxy(self) -> bool:
        """代录: the county recorded the unit's paper answer or on-site re-check on its behalf."""
        return self.answer_channel in PROXY_CHANNELS

    @property
    def answered_on(self):
        return answer_date(self.answer_channel, self.answer_received_on, self.answered_at)

    def state(self, on_date=None) -> NoticeState:
        """How the notice stands on ``on_date`` (today by default): ``inspections.states.notice_state``."""
        return states.state_of(self, on_date or timezone.localdate())

    @property
    def public_status(self) -> str:
        """The state in words, today: the notice page, lists, API ``status_display`` and Excel export."""
        return states.state_label(self.state(), round=self.round, proxy=self.answer_by_proxy)


class NoticeRound(models.Model):
    """One finished round of a notice: the unit's answer, judged 整改不到位 and returned with a reason and a new
    deadline (退回重新整改). The current round lives on the notice itself."""

    notice = models.ForeignKey(
        RectificationNotice, verbose_name="整改通知单", on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField("轮次")
    deadline = models.DateField("本轮整改期限")
    answer = models.TextField("本轮整改回复", blank=True)
    answered_on = models.DateField("本轮回复日期", null=True, blank=True)
    answer_channel = models.CharField("回复方式", max_length=10, choices=AnswerChannel.choices, blank=True)
    reason = models.CharField("退回理由", max_length=300)
    new_deadline = models.DateField("新整改期限")
    returned_on = models.DateField("退回日期")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="退回人", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "整改退回记录"
        verbose_name_plural = "整改退回记录"
        ordering = ["notice", "number"]
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="notice_round_unique_number")]

    def __str__(self) -> str:
        return f"{self.notice} 第{self.number}轮"


def attachment_upload_to(instance, filename: str) -> str:
    ext = Path(filename).suffix.lower()
    return f"inspections/{timezone.localdate():%Y}/{uuid.uuid4().hex}{ext}"


class Attachment(UploadedFile):
    """Photos/files of a finding (the inspector's) or of an answer (the unit's): the evidence upload's checks."""

    class Kind(models.TextChoices):
        FINDING = "finding", "检查取证"
        ANSWER = "answer", "整改佐证"

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    file = models.FileField("文件", upload_to=attachment_upload_to, max_length=200)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "检查附件"
        verbose_name_plural = "检查附件"
        ordering = ["finding", "uploaded_at", "pk"]


class A1Override(models.Model):
    """The city's override of a county month's computed A1 fact, with a reason (also in the assessment audit)."""

    county = models.ForeignKey(
        "accounts.Region", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    value = models.BooleanField("认定结果（问题均按时整改到位、依法处罚）")
    reason = models.CharField("理由", max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="认定人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField("认定时间", auto_now=True)

    objects = A1OverrideQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "A1项市局认定"
        verbose_name_plural = "A1项市局认定"
        ordering = ["-year", "-month", "county__order"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "month"], name="a1_override_unique_month")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年{self.month}月：{'是' if self.value else '否'}"
