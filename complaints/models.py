"""Complaints (投诉举报, seed 001): the public's complaints about quality and safety and the bureau's ledger (台账).

A complaint is routed to the county of its project (or the county the complainant names for an address), gets a
handler (明确专人负责) and working-day deadlines (受理, 办结), and moves 待受理 → 已受理 → 核查中 → 已办结（销号）, or
待受理 → 不予受理 with a reason. Every step is an audit event. The complainant's name and phone are seen only by the
current handler and the city (``services.can_see_contact``), one explicit display at a time, each one recorded as a
``ContactView`` the city reads on the complaint (联系方式查看记录).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from complaints.choices import OPEN_STATUSES, SUBSTANTIATED, IntakeChannel, Satisfaction, Status, Substantiated
from complaints.querysets import ComplaintCategoryQuerySet, ComplaintChildQuerySet, ComplaintQuerySet
from core.models import UploadedFile


class ComplaintCategory(models.Model):
    """问题类别: an editable list of categories (top level) and their sub-categories (one level below), kept by
    the city; the analysis counts by both (共性问题). A category is stopped (停用), never deleted once used."""

    code = models.SlugField("代码", max_length=30, unique=True, editable=False)
    name = models.CharField("名称", max_length=30)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="留空为一级类别。",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True, help_text="停用后投诉表单不再显示；已有投诉不变。")

    objects = ComplaintCategoryQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "问题类别"
        verbose_name_plural = "问题类别"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="complaint_subcategory_name_unique"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="complaint_category_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent_id else self.name

    @property
    def is_top(self) -> bool:
        return self.parent_id is None


# The state machine: from → allowed next states.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PENDING: (Status.ACCEPTED, Status.REJECTED),
    Status.ACCEPTED: (Status.INVESTIGATING,),
    Status.INVESTIGATING: (Status.CLOSED,),
    Status.CLOSED: (),
    Status.REJECTED: (),
}


def due_date_of(status: str, accept_due, close_due):
    """The deadline of a complaint's current step (``Complaint.due_date``; the ledger's rows, read as values)."""
    if status == Status.PENDING:
        return accept_due
    if status in (Status.ACCEPTED, Status.INVESTIGATING):
        return close_due
    return None


class Complaint(models.Model):
    tracking_no = models.CharField("受理编号", max_length=24, unique=True, editable=False)
    secret_digest = models.CharField("查询码摘要", max_length=64, editable=False)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    address = models.CharField("地点", max_length=200, blank=True, help_text="未选择项目时填写问题所在地点")
    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="承办县（市、区）",
        on_delete=models.PROTECT,
        related_name="complaints",
        limit_choices_to={"level": "county"},
    )
    # The top-level category, stored by its code (the column keeps the codes of the old fixed list).
    category = models.ForeignKey(
        ComplaintCategory,
        verbose_name="类别",
        to_field="code",
        db_column="category",
        on_delete=models.PROTECT,
        related_name="complaints",
        limit_choices_to={"parent__isnull": True},
    )
    subcategory = models.ForeignKey(
        ComplaintCategory,
        verbose_name="子类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_complaints",
        limit_choices_to={"parent__isnull": False},
    )
    description = models.TextField("问题描述")
    complainant_name = models.CharField("投诉人姓名", max_length=50, blank=True)
    complainant_phone = models.CharField("联系电话", max_length=30, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    received_at = models.DateTimeField("登记时间", default=timezone.now)
    channel = models.CharField("来源渠道", max_length=10, choices=IntakeChannel.choices, default=IntakeChannel.ONLINE)
    received_on = models.DateField(
        "收到日期", default=timezone.localdate, help_text="投诉到达本局的日期；受理时限从此日起按工作日计算"
    )
    source_ref = models.CharField("来文/工单编号", max_length=60, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accept_due = models.DateField("受理时限")
    close_due = models.DateField("办结时限", null=True, blank=True, help_text="批准延期后为延长后的时限")
    close_due_original = models.DateField(
        "原办结时限", null=True, blank=True, help_text="首次批准延期前的办结时限；未延期为空"
    )
    accepted_late = models.BooleanField(
        "逾期受理", default=False, help_text="受理（或不予受理）决定晚于受理时限；一经记录永久保留"
    )
    closed_late = models.BooleanField("逾期办结", default=False, help_text="办结晚于（经批准延长后的）办结时限")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    investigation_started_at = models.DateTimeField("开始核查时间", null=True, blank=True)
    finished_at = models.DateTimeField("办结/不予受理时间", null=True, blank=True)
    findings = models.TextField("核查情况", blank=True)
    reply = models.TextField("答复意见", blank=True, help_text="办结时对投诉人的答复，投诉人可凭受理编号和查询码查看")
    substantiated = models.CharField(
        "核查结论", max_length=10, choices=Substantiated.choices, blank=True, help_text="办结时认定；办结前为空"
    )
    responsible_enterprises = models.ManyToManyField(
        "accounts.Enterprise",
        verbose_name="责任单位",
        blank=True,
        related_name="responsible_for_complaints",
        help_text="核查属实（或部分属实）时认定的责任单位（可多个），各记入其诚信档案；不向投诉人公开",
    )
    targeted_plan = models.ForeignKey(
        "inspections.InspectionPlan",
        verbose_name="专项检查计划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        help_text="由本投诉发起的针对其项目的专项检查（不经双随机抽取）",
    )
    reject_reason = models.TextField("不予受理理由", blank=True)
    overdue_flagged_at = models.DateTimeField("逾期督办时间", null=True, blank=True)
    overdue_stage = models.CharField(
        "逾期环节", max_length=10, blank=True, choices=(("accept", "逾期未受理"), ("close", "逾期未办结"))
    )
    submitted_ip = models.GenericIPAddressField("提交IP", null=True, blank=True)
    # The public form's one-time token: a reload, the back button or a double tap posts it again and files nothing.
    form_token = models.CharField("表单令牌", max_length=64, blank=True, default="", editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    # 变更记录 without the complainant's name and phone: they are shown only to the handler and the city, each
    # display recorded (ContactView); a copy in the history would escape that rule.
    history = HistoricalRecords(user_db_constraint=False, excluded_fields=["complainant_name", "complainant_phone"])

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["county", "status"]),
            models.Index(fields=["status", "accept_due"]),
            models.Index(fields=["status", "close_due"]),
            models.Index(fields=["-received_at", "-id"], name="complaint_list_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["form_token"], condition=~models.Q(form_token=""), name="complaint_form_token_files_once"
            )
        ]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def subject(self) -> str:
        return self.project.name if self.project_id else self.address

    @property
    def is_substantiated(self) -> bool:
        return self.substantiated in SUBSTANTIATED

    @property
    def category_label(self) -> str:
        """类别 as shown: "质量 · 渗漏", or the category alone."""
        return f"{self.category.name} · {self.subcategory.name}" if self.subcategory_id else self.category.name

    def current_visit(self):
        """The 回访 of the current closing (a reopened and closed again complaint is visited again), or None."""
        if self.status != Status.CLOSED or not self.finished_at:
            return None
        return self.return_visits.filter(at__gte=self.finished_at).order_by("-at", "-pk").first()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def due_date(self):
        """The deadline of the current step: 受理 while pending, 办结 while accepted or under investigation."""
        return due_date_of(self.status, self.accept_due, self.close_due)

    def is_overdue(self, today=None) -> bool:
        due = self.due_date()
        return bool(due and due < (today or timezone.localdate()))

    @property
    def is_extended(self) -> bool:
        return self.close_due_original is not None

    def days_to_close(self) -> int | None:
        if self.status != Status.CLOSED or not self.finished_at:
            return None
        return (timezone.localdate(self.finished_at) - self.received_on).days

    @property
    def entered_by_staff(self) -> bool:
        return self.channel != IntakeChannel.ONLINE

    @property
    def document_no(self) -> str:
        """The number of its printed documents (受理告知书, 办结答复书): the tracking number, read aloud by phone."""
        return self.tracking_no


def photo_upload_to(instance, filename: str) -> str:
    """Generated names only; the complainant's file name is never used on disk."""
    ext = Path(filename).suffix.lower()
    return f"complaints/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class ComplaintPhoto(models.Model):
    """A photo of the complaint (checked type and size; served only to staff in scope)."""

    complaint = models.ForeignKey(Complaint, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to=photo_upload_to, max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉照片"
        verbose_name_plural = "投诉照片"
        ordering = ["complaint", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} 照片{self.pk}"


def document_upload_to(instance, filename: str) -> str:
    ext = Path(filename).suffix.lower()
    return f"complaints/{timezone.localdate():%Y/%m}/doc-{uuid.uuid4().hex}{ext}"


class ComplaintDocument(UploadedFile):
    """The original of a complaint entered by staff: the letter, the 12345 or 信访 referral form, a visit record."""

    complaint = models.ForeignKey(
        Complaint, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField("原件", upload_to=document_upload_to, max_length=200)

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉原件"
        verbose_name_plural = "投诉原件"
        ordering = ["complaint", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.original_name}"


class ComplaintEvent(models.Model):
    """The audit trail of a complaint: every step, who, when, from → to, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        ENTER = "enter", "登记录入"
        ASSIGN = "assign", "指定承办人"
        ACCEPT = "accept", "受理"
        INVESTIGATE = "investigate", "开始核查"
        CLOSE = "close", "办结销号"
        REJECT = "reject", "不予受理"
        REASSIGN = "reassign", "改派县（市、区）"
        OVERDUE = "overdue", "逾期督办"
        EXTEND_REQUEST = "extend_request", "申请延期"
        EXTEND_APPROVE = "extend_approve", "批准延期"
        EXTEND_REFUSE = "extend_refuse", "不批准延期"
        VISIT = "visit", "回访"
        REOPEN = "reopen", "重新办理"
        KEEP_CLOSED = "keep_closed", "维持办结"
        TARGETED = "targeted", "发起专项检查"

    complaint = models.ForeignKey(Complaint, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices, blank=True)
    note = models.TextField("说明", blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉办理记录"
        verbose_name_plural = "投诉办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_action_display()}"


class Extension(models.Model):
    """申请延期: the handler asks, with a reason, for a later 办结 deadline; the city approves or refuses. An approved
    extension moves ``Complaint.close_due`` (the original stays in ``close_due_original``), and 按期办结 is judged
    against it."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "不批准"

    complaint = models.ForeignKey(
        Complaint, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="extensions"
    )
    previous_due = models.DateField("申请时的办结时限")
    requested_due = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    state = models.CharField("审批状态", max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = ComplaintChildQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "办结延期"
        verbose_name_plural = "办结延期"
        ordering = ["complaint", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=models.Q(state="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint} 延至{self.requested_due:%Y-%m-%d}（{self.get_state_display()}）"


class ReturnVisit(models.Model):
    """回访: after 办结 the complainant's satisfaction, taken by phone by the handler or given by the complainant on
    the public status page (once per closing). 不满意 waits for the city's decision: reopen (back to 核查中 with a
    new deadline) or keep closed, with a reason."""

    class Channel(models.TextChoices):
        PHONE = "phone", "电话回访"
        WEB = "web", "投诉人网上评价"

    class Decision(models.TextChoices):
        REOPEN = "reopen", "重新办理"
        KEEP = "keep", "维持办结"

    complaint = models.ForeignKey(
        Complaint, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="return_visits"
    )
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices)
    channel = models.CharField("回访方式", max_length=10, choices=Channel.choices)
    note = models.CharField("投诉人意见", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("回访时间", default=timezone.now)
    decision = models.CharField("市局决定", max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.CharField("决定理由", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    objects = ComplaintChildQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "回访记录"
        verbose_name_plural = "回访记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_satisfaction_display()}"

    @property
    def awaits_decision(self) -> bool:
        return self.satisfaction == Satisfaction.UNSATISFIED and not self.decision


class ContactView(models.Model):
    """One display of the complainant's name and phone: who, when, through which channel (联系方式查看记录)."""

    class Channel(models.TextChoices):
        WEB = "web", "网页"
        API = "api", "API"

    complaint = models.ForeignKey(
        Complaint, verbose_name="投诉举报", on_delete=models.CASCADE, related_name="contact_views"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查看人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    viewer_name = models.CharField("查看人姓名", max_length=150, help_text="查看时的姓名（账户删除后仍可辨认）")
    viewer_was_handler = models.BooleanField("查看时为承办人", default=False)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    at = models.DateTimeField("查看时间", default=timezone.now)

    objects = ComplaintChildQuerySet.as_manager()

    class Meta:
        verbose_name = "联系方式查看记录"
        verbose_name_plural = "联系方式查看记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.viewer_name} {self.at:%Y-%m-%d %H:%M}"


class CalendarDay(models.Model):
    """An exception to Monday-Friday: a public holiday on a weekday, or a weekend day worked (调休上班).

    The city edits these each year from the State Council's holiday notice; deadlines count working days.
    """

    date = models.DateField("日期", unique=True, error_messages={"unique": "该日期已登记。"})
    is_workday = models.BooleanField("上班", default=False, help_text="勾选表示调休上班日；不勾选表示法定节假日")
    name = models.CharField("说明", max_length=50, help_text="如：国庆节、春节调休上班")

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{'上班' if self.is_workday else '放假'}）"
