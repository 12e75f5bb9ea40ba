"""绿色建造试点 (seed 003): the application with its 绿色建造策划方案 (each revision kept), the experts' review, the
milestones 策划/设计/施工/运维, the periodic checks and the final 专项评估验收; every step is a PilotEvent (the
journey) and the rows keep their change history."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import UploadedFile
from pilots.choices import (
    DeliveryModel,
    EventKind,
    GreenLabel,
    Milestone,
    PilotStatus,
    PilotType,
)
from pilots.querysets import PilotChildQuerySet, PilotQuerySet, PilotReviewQuerySet

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
NON_NEGATIVE = [MinValueValidator(0)]


class Pilot(models.Model):
    project = models.OneToOneField(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="green_pilot_record"
    )
    builder = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="建设单位",
        on_delete=models.PROTECT,
        related_name="green_pilots",
        help_text="申报时项目的建设单位；其用户申报、修改和登记节点。",
    )
    pilot_type = models.CharField("试点类型", max_length=20, choices=PilotType.choices)
    status = models.CharField("状态", max_length=20, choices=PilotStatus.choices, default=PilotStatus.DRAFT)
    revision = models.PositiveSmallIntegerField("策划方案版本", default=1)
    decision_note = models.CharField("评审结论说明", max_length=500, blank=True)
    approved_on = models.DateField("立项日期", null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("申报时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PilotQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "绿色建造试点"
        verbose_name_plural = "绿色建造试点"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.project.name}（{self.get_pilot_type_display()}）"

    @property
    def current_plan(self):
        return self.plans.filter(revision=self.revision).first()


def plan_upload_to(instance, filename: str) -> str:
    ext = Path(filename).suffix.lower()
    return f"pilots/{timezone.localdate():%Y}/{uuid.uuid4().hex}{ext}"


class PilotPlan(UploadedFile):
    """One version of the 绿色建造策划方案 and its targets; a revision after a return adds a version (all kept)."""

    pilot = models.ForeignKey(Pilot, verbose_name="试点", on_delete=models.CASCADE, related_name="plans")
    revision = models.PositiveSmallIntegerField("版本")
    file = models.FileField("绿色建造策划方案", upload_to=plan_upload_to, max_length=200)
    star_target = models.CharField(
        "绿色建筑星级目标", max_length=10, choices=GreenLabel.choices, default=GreenLabel.TWO
    )
    standardised_design = models.BooleanField("采用标准化设计", default=False)
    prefab_rate = models.DecimalField(
        "装配率目标（%）", max_digits=5, decimal_places=2, validators=PERCENT, null=True, blank=True
    )
    waste_target = models.DecimalField(
        "施工现场建筑垃圾排放目标（吨/万㎡）",
        max_digits=7,
        decimal_places=2,
        validators=NON_NEGATIVE,
        null=True,
        blank=True,
    )
    green_material_share = models.DecimalField(
        "绿色建材应用比例目标（%）", max_digits=5, decimal_places=2, validators=PERCENT, null=True, blank=True
    )
    bim_design = models.BooleanField("设计阶段应用BIM", default=False)
    bim_production = models.BooleanField("生产阶段应用BIM", default=False)
    bim_construction = models.BooleanField("施工阶段应用BIM", default=False)
    smart_site = models.BooleanField("智慧工地", default=False)
    robots = models.BooleanField("建筑机器人等智能装备", default=False)
    pipeline_separation = models.BooleanField("管线分离", default=False)
    assembled_decoration = models.BooleanField("装配化装修", default=False)
    delivery_model = models.CharField(
        "组织管理模式", max_length=20, choices=DeliveryModel.choices, default=DeliveryModel.GENERAL
    )
    note = models.CharField("修改说明", max_length=500, blank=True)

    history = HistoricalRecords(user_db_constraint=False, excluded_fields=["file"])

    class Meta:
        verbose_name = "绿色建造策划方案"
        verbose_name_plural = "绿色建造策划方案"
        ordering = ["pilot", "-revision"]
        constraints = [models.UniqueConstraint(fields=["pilot", "revision"], name="pilot_plan_unique_revision")]

    def __str__(self) -> str:
        return f"{self.pilot.project.name} 策划方案第{self.revision}版"


class PilotReview(models.Model):
    """One expert's review of one version of the plan (round = the plan's revision)."""

    pilot = models.ForeignKey(Pilot, verbose_name="试点", on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField("评审轮次（方案版本）")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评审专家", on_delete=models.PROTECT, related_name="pilot_reviews"
    )
    passed = models.BooleanField("评审意见", null=True, blank=True, help_text="通过 / 不通过；空 = 尚未提交")
    opinion = models.TextField("评审意见", blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指派人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    objects = PilotReviewQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = "试点方案专家评审"
        verbose_name_plural = "试点方案专家评审"
        ordering = ["pilot", "-round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "round", "expert"],
                name="pilot_review_unique_expert",
                violation_error_message="该专家已在本轮评审中。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pilot.project.name} 第{self.round}轮 · {self.expert}"

    @property
    def result_label(self) -> str:
        return {True: "通过", False: "不通过"}.get(self.passed, "待评审")


class PilotMilestone(models.Model):
    pilot = models.ForeignKey(Pilot, verbose_name="试点", on_delete=models.CASCADE, related_name="milestones")
    milestone = models.CharField("节点", max_length=20, choices=Milestone.choices)
    completed_on = models.DateField("完成日期")
    note = models.CharField("完成情况", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PilotChildQuerySet.as_manager()

    class Meta:
        verbose_name = "试点节点"
        verbose_name_plural = "试点节点"
        ordering = ["pilot", "completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "milestone"], name="pilot_milestone_once", violation_error_message="该节点已登记。"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pilot.project.name} · {self.get_milestone_display()}"


class PilotCheck(models.Model):
    """五(四) 定期检查: the items of the pilot checklist (inspections' template when there is one), each met or not."""

    pilot = models.ForeignKey(Pilot, verbose_name="试点", on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField("检查日期")
    template = models.ForeignKey(
        "inspections.ChecklistTemplate",
        verbose_name="检查表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilot_checks",
    )
    items = models.JSONField("检查项", default=list, help_text='[{"text": "…", "met": true}]')
    findings = models.TextField("检查发现的问题及建议", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="检查人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PilotChildQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = "试点定期检查"
        verbose_name_plural = "试点定期检查"
        ordering = ["pilot", "-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pilot.project.name} {self.checked_on:%Y-%m-%d} 检查"

    @property
    def unmet_count(self) -> int:
        return sum(1 for item in self.items if not item.get("met"))


class PilotAcceptance(models.Model):
    """四(一) 项目竣工后组织绿色建造专项评估验收: the achieved label (not the target) decides 二星级以上."""

    pilot = models.OneToOneField(Pilot, verbose_name="试点", on_delete=models.CASCADE, related_name="acceptance")
    accepted_on = models.DateField("验收日期")
    achieved_label = models.CharField("取得的绿色建筑标识", max_length=10, choices=GreenLabel.choices)
    passed = models.BooleanField("验收结论")
    opinion = models.TextField("验收意见")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = PilotChildQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)

    class Meta:
        verbose_name = "绿色建造专项评估验收"
        verbose_name_plural = "绿色建造专项评估验收"

    def __str__(self) -> str:
        return f"{self.pilot.project.name} 专项评估验收"


class PilotEvent(models.Model):
    """The pilot's journey: who did what, from which state to which (the detail page's timeline, the audit)."""

    pilot = models.ForeignKey(Pilot, verbose_name="试点", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=20, choices=EventKind.choices)
    from_status = models.CharField("原状态", max_length=20, choices=PilotStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=PilotStatus.choices, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)

    objects = PilotChildQuerySet.as_manager()

    class Meta:
        verbose_name = "试点办理记录"
        verbose_name_plural = "试点办理记录"
        ordering = ["pilot", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.get_kind_display()}"
