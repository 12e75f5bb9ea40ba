"""Choices of the projects app and the groups built on them (NetBox-style ``choices.py``): imported at the top of
models, querysets and the other apps, so no module needs the models to know a status."""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    """The four categories for which 精品工程 standards exist."""

    BUILDING = "building", "房屋建筑工程"
    MUNICIPAL = "municipal", "市政道路及桥梁"
    HABITAT = "habitat", "人居环境综合提升"
    LANDSCAPE = "landscape", "园林绿化工程"


class Stage(models.TextChoices):
    """The seed's lifecycle, in order."""

    CULTIVATION = "cultivation", "培育"
    PLANNING = "planning", "前期策划立项"
    DESIGN = "design", "规划设计"
    TENDER = "tender", "招标投标"
    CONSTRUCTION = "construction", "施工"
    ACCEPTANCE = "acceptance", "验收移交"
    OPERATION = "operation", "运营维护"


STAGE_ORDER = [s.value for s in Stage]


class JingpinStatus(models.TextChoices):
    NONE = "none", "未纳入"
    CULTIVATING = "cultivating", "培育中"
    CERTIFIED = "certified", "已评定精品工程"
    DEMONSTRATION = "demonstration", "示范项目"
    FAILED = "failed", "未通过"


# Statuses that count as "in the 精品工程 project library" (cultivation ratio).
LIBRARY_STATUSES = (JingpinStatus.CULTIVATING, JingpinStatus.CERTIFIED, JingpinStatus.DEMONSTRATION)


class DeliveryMode(models.TextChoices):
    GENERAL_CONTRACT = "general", "施工总承包"
    EPC = "epc", "工程总承包EPC"
    CONSULTING = "consulting", "全过程工程咨询"


class GreenStar(models.TextChoices):
    NONE = "none", "无"
    ONE = "one", "一星"
    TWO = "two", "二星"
    THREE = "three", "三星"


class ParticipantRole(models.TextChoices):
    BUILDER = "builder", "建设单位"
    SURVEY = "survey", "勘察单位"
    DESIGN = "design", "设计单位"
    CONTRACTOR = "contractor", "施工总承包单位"
    EPC = "epc", "工程总承包单位(EPC)"
    SUPERVISOR = "supervisor", "监理单位"
    CONSULTANT = "consultant", "全过程咨询单位"


# The insurance each role must carry (seed 000): role -> insurance name. Roles not listed need none.
MANDATORY_INSURANCE = {
    ParticipantRole.CONTRACTOR: "工程质量保证险",
    ParticipantRole.EPC: "工程质量保证险",
    ParticipantRole.SUPERVISOR: "监理责任险",
    ParticipantRole.SURVEY: "勘察责任险",
    ParticipantRole.DESIGN: "设计责任险",
}

# The enterprise kind (accounts.EnterpriseKind.code) a role requires: the role codes are the kind codes.
GENERAL_CONTRACTOR_ROLES = (ParticipantRole.CONTRACTOR, ParticipantRole.EPC)


class ConstraintKind(models.TextChoices):
    ATTENDANCE = "attendance", "项目经理/总监到岗履职不到位"
    AFFILIATION = "affiliation", "资质挂靠"
    SUBSTANDARD_MATERIAL = "material", "不合格材料进场"
    MAJOR_CHANGE = "major_change", "重大设计/勘察变更"
    QUALITY_ACCIDENT = "quality_accident", "质量事故"
    SAFETY_ACCIDENT = "safety_accident", "安全事故"
    INSPECTION_OVERDUE = "inspection_overdue", "“双随机”检查问题逾期未整改"  # escalated rectification notices
    OTHER = "other", "其他"


class ConstraintStatus(models.TextChoices):
    PENDING = "pending", "待整改"
    RECTIFIED = "rectified", "已整改"
    EXPELLED = "expelled", "清退出场"


# Statuses that count as "open" for the 一票否决 check (SPEC §3).
OPEN_CONSTRAINT_STATUSES = (ConstraintStatus.PENDING, ConstraintStatus.EXPELLED)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已接收"
    RETURNED = "returned", "已退回"


class BuildingUse(models.TextChoices):
    """What a building is for: the 节能 standard differs (seed 002 三(一): 居住建筑 75 %, 公共建筑 72 %)."""

    RESIDENTIAL = "residential", "居住建筑"
    PUBLIC = "public", "公共建筑"
    INDUSTRIAL = "industrial", "工业建筑"


# Milestones (形象进度节点) and their delays — seed 000 五(三)


class MilestoneKind(models.TextChoices):
    START = "start", "开工"
    TOPPING_OUT = "topping_out", "主体结构封顶"
    COMPLETION = "completion", "竣工验收"
    HANDOVER = "handover", "移交"


MILESTONE_ORDER = [k.value for k in MilestoneKind]
# The monthly report's field for each milestone reached that month.
REPORT_MILESTONE_FIELDS = {
    MilestoneKind.START.value: "reached_start_on",
    MilestoneKind.TOPPING_OUT.value: "reached_topping_out_on",
    MilestoneKind.COMPLETION.value: "reached_completion_on",
    MilestoneKind.HANDOVER.value: "reached_handover_on",
}


class MilestoneSource(models.TextChoices):
    REPORT = "report", "单位月报"
    COUNTY = "county", "县局登记"
