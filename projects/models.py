"""Projects (SPEC §2): registry, 精品工程 library status, stages, participants, constraints, monthly reports."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from projects.choices import (
    LIBRARY_STATUSES,
    MANDATORY_INSURANCE,
    MILESTONE_ORDER,
    REPORT_MILESTONE_FIELDS,
    STAGE_ORDER,
    BuildingUse,
    Category,
    ConstraintKind,
    ConstraintStatus,
    DeliveryMode,
    GreenStar,
    JingpinStatus,
    MilestoneKind,
    MilestoneSource,
    ParticipantRole,
    ReportStatus,
    Stage,
)
from projects.querysets import (
    ConstraintRecordQuerySet,
    GoalRuleQuerySet,
    MonthlyReportQuerySet,
    ParticipantQuerySet,
    ProjectMilestoneQuerySet,
    ProjectQuerySet,
)

NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="不能为负数。")]
PERCENT = [
    MinValueValidator(Decimal("0"), message="百分比不能小于0。"),
    MaxValueValidator(Decimal("100"), message="百分比不能大于100。"),
]


class Project(models.Model):
    code = models.CharField("项目编号", max_length=40, unique=True, error_messages={"unique": "该项目编号已存在。"})
    name = models.CharField("项目名称", max_length=200)
    county = models.ForeignKey(
        "accounts.Region",
        verbose_name="所属县（市、区）",
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"level": "county"},
    )
    year = models.PositiveSmallIntegerField("立项年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    category = models.CharField("工程类别", max_length=20, choices=Category.choices)
    government_invested = models.BooleanField("政府投资项目", default=False)
    total_investment = models.DecimalField(
        "总投资（万元）", max_digits=14, decimal_places=2, validators=NON_NEGATIVE, null=True, blank=True
    )
    floor_area = models.DecimalField(
        "建筑面积（m²）", max_digits=14, decimal_places=2, validators=NON_NEGATIVE, null=True, blank=True
    )
    length = models.DecimalField(
        "长度（m）", max_digits=12, decimal_places=2, validators=NON_NEGATIVE, null=True, blank=True
    )
    planned_start = models.DateField("计划开工日期", null=True, blank=True)
    planned_completion = models.DateField("计划竣工日期", null=True, blank=True)
    actual_start = models.DateField("实际开工日期", null=True, blank=True)
    actual_completion = models.DateField("实际竣工日期", null=True, blank=True)
    delivery_mode = models.CharField(
        "建设组织模式", max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.GENERAL_CONTRACT
    )
    separated_tender = models.BooleanField("评定分离", default=False)
    bim_applied = models.BooleanField("应用BIM", default=False)
    prefabricated = models.BooleanField("装配式建筑", default=False)
    prefab_rate = models.DecimalField(
        "装配率（%）", max_digits=5, decimal_places=2, validators=PERCENT, null=True, blank=True
    )
    building_use = models.CharField(
        "建筑用途", max_length=20, choices=BuildingUse.choices, blank=True, help_text="房屋建筑工程填写；其他类别留空。"
    )
    energy_standard = models.DecimalField(
        "执行节能标准（%）",
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        null=True,
        blank=True,
        help_text="设计执行的建筑节能标准，如居住建筑75%、公共建筑72%。",
    )
    green_star_target = models.CharField(
        "绿色建筑星级目标", max_length=10, choices=GreenStar.choices, default=GreenStar.NONE
    )
    green_pilot = models.BooleanField("绿色建造试点", default=False)
    waste_reduction_target = models.CharField(
        "施工现场垃圾减量化目标",
        max_length=200,
        blank=True,
        help_text="绿色建造试点项目须制定，如“建筑垃圾排放量不高于300吨/万平方米”。",
    )
    stage = models.CharField("当前阶段", max_length=20, choices=Stage.choices, default=Stage.CULTIVATION)
    jingpin_status = models.CharField(
        "精品工程状态", max_length=20, choices=JingpinStatus.choices, default=JingpinStatus.NONE, editable=False
    )
    priority_recommended = models.BooleanField(
        "优先推荐", default=False, editable=False, help_text="丹河杯获奖项目优先推荐参评市级、省级、国家级奖项。"
    )
    description = models.TextField("项目概况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-year", "code"]
        indexes = [
            # A county's list in the list's order (also serves county + year lookups).
            models.Index(fields=["county", "-year", "code"], name="project_county_list_idx"),
            models.Index(fields=["category", "jingpin_status"]),
            models.Index(fields=["government_invested", "year"]),
            models.Index(fields=["-year", "code"], name="project_list_order_idx"),  # the list's default order
            # The 精品工程 library (a status filter, the list's order): its count and page without a table scan.
            models.Index(fields=["jingpin_status", "-year", "code"], name="project_library_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        saved = getattr(self, "_saved_county_id", None)
        if saved is not None and saved != self.county_id:
            # A corrected county moves the project's monthly reports with it (their denormalised county).
            MonthlyReport.objects.filter(project_id=self.pk).exclude(county_id=self.county_id).update(
                county_id=self.county_id
            )
        self._saved_county_id = self.county_id

    def history_sources(self):
        """变更记录 of this project's page (core.history): the project and its participants (insurance, key
        persons), deleted participants too."""
        return [Project.history.filter(id=self.pk), Participant.history.filter(project_id=self.pk)]

    @classmethod
    def from_db(cls, db, field_names, values):
        project = super().from_db(db, field_names, values)
        project._saved_county_id = project.__dict__.get("county_id")  # to notice a corrected county on save
        return project

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._saved_county_id = self.__dict__.get("county_id")

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_completion and self.planned_completion < self.planned_start:
            errors["planned_completion"] = "计划竣工日期不能早于计划开工日期。"
        if self.actual_start and self.actual_completion and self.actual_completion < self.actual_start:
            errors["actual_completion"] = "实际竣工日期不能早于实际开工日期。"
        if self.prefabricated and self.prefab_rate is None:
            errors["prefab_rate"] = "装配式建筑须填写装配率。"
        if self.county_id and self.county.level != "county":
            errors["county"] = "项目必须属于县（市、区）。"
        if errors:
            raise ValidationError(errors)

    @property
    def in_library(self) -> bool:
        return self.jingpin_status in LIBRARY_STATUSES

    def insurance_warnings(self, on_date=None) -> list[str]:
        """Missing or expired mandatory insurance of the participants (uses prefetched participants)."""
        if on_date is None and hasattr(self, "_insurance_warnings"):  # read for a whole page at once
            return list(self._insurance_warnings)
        problems = (p.insurance_problem(on_date) for p in self.participants.all())
        return [p for p in problems if p]

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)


class StageChange(models.Model):
    """One transition of a project's lifecycle stage (history; the current stage is Project.stage)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField("原阶段", max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=Stage.choices)
    changed_on = models.DateField("转换日期")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "阶段变更"
        verbose_name_plural = "阶段变更"
        ordering = ["changed_on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display() or '—'} → {self.get_to_stage_display()}（{self.changed_on}）"


class Participant(models.Model):
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="participants")
    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name="单位", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField("参建角色", max_length=20, choices=ParticipantRole.choices)
    key_person = models.CharField("关键岗位人员", max_length=50, blank=True, help_text="项目经理 / 总监 / 设计负责人")
    key_person_title = models.CharField("岗位", max_length=30, blank=True)
    insurance_policy_no = models.CharField("保单号", max_length=60, blank=True)
    insurer = models.CharField("保险公司", max_length=100, blank=True)
    insurance_valid_until = models.DateField("保险有效期至", null=True, blank=True)
    joined_on = models.DateField("进场日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "参建单位"
        verbose_name_plural = "参建单位"
        ordering = ["project", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "enterprise", "role"],
                name="participant_unique_role",
                violation_error_message="该单位已以此角色参建本项目。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_role_display()}"

    @property
    def required_insurance(self) -> str | None:
        return MANDATORY_INSURANCE.get(self.role)

    def insurance_problem(self, on_date=None) -> str | None:
        """Why this participant's mandatory insurance is not in order on ``on_date`` (default today), or None.

        The one place the insurance rule lives: project warnings (UI, API) and the evaluation veto use it.
        """
        return insurance_problem_text(
            self.enterprise, self.role, self.insurance_policy_no, self.insurance_valid_until, on_date
        )


_ROLE_LABELS = dict(ParticipantRole.choices)


def insurance_problem_text(enterprise, role: str, policy_no: str, valid_until, on_date=None) -> str | None:
    """The insurance rule on plain values (``Participant.insurance_problem`` and the list pages' batch read)."""
    required = MANDATORY_INSURANCE.get(role)
    if required is None:
        return None
    label = f"{enterprise}（{_ROLE_LABELS.get(role, role)}）"
    if not policy_no or valid_until is None:
        return f"{label}未投保{required}"
    on_date = on_date or timezone.localdate()
    if valid_until < on_date:
        return f"{label}的{required}已于{valid_until:%Y-%m-%d}过期"
    return None


def insurance_warnings_of(project_ids, on_date=None) -> dict[int, list[str]]:
    """The insurance warnings of a page of projects (by id) in one query of plain values (no participant or
    enterprise objects). Same texts and order as ``project.insurance_warnings()`` reads them one by one."""
    by_project: dict[int, list[str]] = {pk: [] for pk in project_ids}
    if by_project:
        rows = (
            Participant.objects.insurance_problems(on_date)
            .filter(project_id__in=list(by_project))
            # Meta.ordering within each project; its "project" would join and sort every project by (-year, code)
            .order_by("project_id", "role", "pk")
            .values_list("project_id", "enterprise__name", "role", "insurance_policy_no", "insurance_valid_until")
        )
        for project_id, enterprise, role, policy_no, valid_until in rows:
            text = insurance_problem_text(enterprise, role, policy_no, valid_until, on_date)
            if text:
                by_project[project_id].append(text)
    return by_project


def attach_insurance_warnings(projects, on_date=None) -> None:
    """``insurance_warnings_of`` for a page of project objects: ``project.insurance_warnings()`` then answers from
    them."""
    projects = list(projects)
    by_project = insurance_warnings_of([p.pk for p in projects], on_date)
    for project in projects:
        project._insurance_warnings = by_project[project.pk]


class ConstraintRecord(models.Model):
    participant = models.ForeignKey(
        Participant, verbose_name="参建单位", on_delete=models.CASCADE, related_name="constraint_records"
    )
    kind = models.CharField("类别", max_length=20, choices=ConstraintKind.choices)
    occurred_on = models.DateField("发生日期")
    description = models.TextField("情况描述")
    required_action = models.TextField("整改要求", blank=True)
    status = models.CharField("状态", max_length=20, choices=ConstraintStatus.choices, default=ConstraintStatus.PENDING)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="状态变更人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    resolution_note = models.CharField("处理说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ConstraintRecordQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "约束记录"
        verbose_name_plural = "约束记录"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["-occurred_on", "-id"], name="constraint_list_order_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"


class MonthlyReport(models.Model):
    """项目月报: a unit user's figures for one project and month (areas in m², cumulative for the month)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="monthly_reports")
    # The project's county, copied so the county's list and the county sums read this table alone (1.2 M rows a
    # year at province scale). Set on save; moved with the project by projects.services.sync_report_county.
    county = models.ForeignKey(
        "accounts.Region", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+", editable=False
    )
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1, "月份应为1-12。"), MaxValueValidator(12, "月份应为1-12。")]
    )
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    new_start_area = models.DecimalField(
        "新开工建筑面积（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    prefab_area = models.DecimalField(
        "其中装配式建筑面积（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    green_area_basic = models.DecimalField(
        "竣工验收绿色建筑面积-基本级（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    green_area_one_star = models.DecimalField(
        "竣工验收绿色建筑面积-一星（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    green_area_two_star = models.DecimalField(
        "竣工验收绿色建筑面积-二星（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    green_area_three_star = models.DecimalField(
        "竣工验收绿色建筑面积-三星（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    renewable_area = models.DecimalField(
        "可再生能源应用面积（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    retrofit_residential_area = models.DecimalField(
        "既有居住建筑节能改造开工面积（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    retrofit_public_area = models.DecimalField(
        "既有公共建筑绿色化改造开工面积（m²）", max_digits=14, decimal_places=2, default=0, validators=NON_NEGATIVE
    )
    bim_applied = models.BooleanField("应用BIM", default=False)
    green_material_share = models.DecimalField(
        "绿色建材应用比例（%）", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    remarks = models.TextField("备注", blank=True)
    # 本月达到的形象进度节点 (seed 000 五(三): 每月将工作进展情况报县发改局): the date each milestone was reached,
    # when it was reached this month; the county's acceptance records it as the milestone's actual date.
    reached_start_on = models.DateField("本月实际开工日期", null=True, blank=True)
    reached_topping_out_on = models.DateField("本月主体结构封顶日期", null=True, blank=True)
    reached_completion_on = models.DateField("本月竣工验收日期", null=True, blank=True)
    reached_handover_on = models.DateField("本月移交日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    return_reason = models.TextField("退回原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The report belongs to the enterprise that files it: only its users see and change it (and the county
    # that reviews it); another participant of the same project does not.
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="填报单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = MonthlyReportQuerySet.as_manager()

    AREA_FIELDS = (
        "new_start_area",
        "prefab_area",
        "green_area_basic",
        "green_area_one_star",
        "green_area_two_star",
        "green_area_three_star",
        "renewable_area",
        "retrofit_residential_area",
        "retrofit_public_area",
    )

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "项目月报"
        verbose_name_plural = "项目月报"
        # project_id, not the project's own ordering: sorting 1.2 M reports through a join to projects is slow.
        ordering = ["-year", "-month", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"],
                name="monthly_report_unique_month",
                violation_error_message="该项目本月的月报已存在。",
            )
        ]
        indexes = [
            models.Index(fields=["year", "month", "status"]),
            models.Index(fields=["-year", "-month", "project"], name="monthly_report_list_order_idx"),
            # A county's list (same order as the city's) and the per-county sums of a month.
            models.Index(fields=["county", "-year", "-month", "project"], name="monthly_report_county_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}年{self.month}月"

    def save(self, *args, **kwargs):
        if self.enterprise_id is None:
            self.enterprise_id = self.default_enterprise_id()
        if self.county_id is None and self.project_id is not None:
            self.county_id = self.project.county_id
        super().save(*args, **kwargs)

    def default_enterprise_id(self) -> int | None:
        """The filer's enterprise; without a filer (imports by the bureau, old data) the project's general
        contractor, else its first participant."""
        if self.created_by_id and self.created_by.enterprise_id:
            return self.created_by.enterprise_id
        participants = Participant.objects.filter(project_id=self.project_id).order_by("pk")
        first = participants.filter(role__in=[ParticipantRole.CONTRACTOR, ParticipantRole.EPC]).first()
        first = first or participants.first()
        return first.enterprise_id if first else None

    def clean(self):
        errors = {}
        if self.prefab_area is not None and self.new_start_area is not None and self.prefab_area > self.new_start_area:
            errors["prefab_area"] = "装配式建筑面积不能大于新开工建筑面积。"
        if self.year and self.month:
            for name in REPORT_MILESTONE_FIELDS.values():
                reached = getattr(self, name)
                if reached is not None and (reached.year, reached.month) != (self.year, self.month):
                    label = self._meta.get_field(name).verbose_name
                    errors[name] = f"{label}须在{self.year}年{self.month}月内（只填本月达到的节点）。"
        if errors:
            raise ValidationError(errors)

    def reached_milestones(self) -> dict[str, object]:
        """``{milestone kind: date}`` of the milestones this report says were reached in its month."""
        return {kind: getattr(self, name) for kind, name in REPORT_MILESTONE_FIELDS.items() if getattr(self, name)}


class MonthlyReportVersion(models.Model):
    """A frozen copy of a monthly report as it was submitted (a resubmission keeps the earlier versions)."""

    report = models.ForeignKey(MonthlyReport, verbose_name="月报", on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("版本")
    data = models.JSONField("内容")
    status = models.CharField("当时状态", max_length=20, choices=ReportStatus.choices)
    return_reason = models.TextField("退回原因", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "月报版本"
        verbose_name_plural = "月报版本"
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="monthly_report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.version}版"


# --------------------------------------------------------------------------------------------------
# Milestones (形象进度节点) and their delays — seed 000 五(三): 开展常态化督查，对工作滞后的予以通报
# --------------------------------------------------------------------------------------------------


class ProjectMilestone(models.Model):
    """One milestone of a project: its planned date and, once reached, its actual date and where that came from."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("节点", max_length=20, choices=MilestoneKind.choices)
    planned_on = models.DateField("计划日期", null=True, blank=True)
    actual_on = models.DateField("实际日期", null=True, blank=True)
    source = models.CharField("实际日期来源", max_length=20, choices=MilestoneSource.choices, blank=True)
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name="来源月报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    # The planned date whose slip was notified (claimed by a conditional UPDATE): one notice per slip, a new
    # plan that slips again is a new slip.
    slip_notified_for = models.DateField("已通知滞后的计划日期", null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ProjectMilestoneQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "形象进度节点"
        verbose_name_plural = "形象进度节点"
        ordering = ["project_id", "planned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"], name="milestone_unique_kind", violation_error_message="该项目已有此节点。"
            )
        ]
        indexes = [models.Index(fields=["planned_on", "actual_on"], name="milestone_due_idx")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()}"

    def clean(self):
        if self.kind and self.kind not in MILESTONE_ORDER:
            raise ValidationError({"kind": "未知的节点。"})


# --------------------------------------------------------------------------------------------------
# City goals per project (seed 002 一(二), 三(一)), versioned by year
# --------------------------------------------------------------------------------------------------


class GoalRule(models.Model):
    """One of the city's goals for a kind of project in a year: which projects it covers, what they must reach.

    A year's rules apply to the projects of that year (立项年度); a year without rules keeps the latest earlier
    year's (a new version is a new year's set, the old one stays for the old projects).
    """

    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField("适用项目", max_length=100, help_text="如“新建居住建筑”“政府投资公共建筑”。")
    category = models.CharField(
        "工程类别", max_length=20, choices=Category.choices, blank=True, help_text="留空为不限。"
    )
    building_use = models.CharField(
        "建筑用途", max_length=20, choices=BuildingUse.choices, blank=True, help_text="留空为不限。"
    )
    government_invested_only = models.BooleanField("仅政府投资项目", default=False)
    prefabricated_only = models.BooleanField("仅装配式建筑", default=False)
    pilot_only = models.BooleanField("仅绿色建造试点项目", default=False)
    min_prefab_rate = models.DecimalField(
        "装配率不低于（%）", max_digits=5, decimal_places=2, validators=PERCENT, null=True, blank=True
    )
    min_energy_standard = models.DecimalField(
        "节能标准不低于（%）", max_digits=5, decimal_places=2, validators=PERCENT, null=True, blank=True
    )
    bim_required = models.BooleanField("须应用BIM", default=False)
    basis = models.CharField("依据", max_length=300, blank=True, help_text="文件条款原文，如“装配率不低于30%”。")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = GoalRuleQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录 (the audit of the city's edits)

    class Meta:
        verbose_name = "项目目标规则"
        verbose_name_plural = "项目目标规则"
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"

    def clean(self):
        if self.min_prefab_rate is None and self.min_energy_standard is None and not self.bim_required:
            raise ValidationError("请至少设定一项目标（装配率、节能标准或BIM应用）。")
