"""States, types and milestones of a 绿色建造试点 (seed 003), imported at the top of models and querysets."""

from __future__ import annotations

from django.db import models


class PilotType(models.TextChoices):
    REAL_ESTATE = "real_estate", "房地产开发项目"
    PUBLIC = "public", "政府投资公建项目"
    OTHER = "other", "其他项目"


class PilotStatus(models.TextChoices):
    DRAFT = "draft", "申报"
    REVIEWING = "reviewing", "专家评审中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "评审通过（立项）"
    IMPLEMENTING = "implementing", "实施中"
    ACCEPTANCE = "acceptance", "专项评估验收"
    ACCEPTED = "accepted", "验收通过"
    FAILED = "failed", "验收未通过"


# A pilot is 确定 (counts for the programme's quotas) once its 策划方案 passed the experts' review.
ESTABLISHED_STATUSES = (
    PilotStatus.APPROVED,
    PilotStatus.IMPLEMENTING,
    PilotStatus.ACCEPTANCE,
    PilotStatus.ACCEPTED,
    PilotStatus.FAILED,
)
# The 建设单位 may change its application (plan and targets) only before it goes to the experts or after a return.
UNIT_EDITABLE_STATUSES = (PilotStatus.DRAFT, PilotStatus.RETURNED)


class Milestone(models.TextChoices):
    """四(一)/一(一): 策划、设计、施工、运维 — in this order; 施工 done = 竣工, after which the acceptance is held."""

    PLANNING = "planning", "绿色策划"
    DESIGN = "design", "绿色设计"
    CONSTRUCTION = "construction", "绿色施工（竣工）"
    OPERATION = "operation", "绿色运维"


MILESTONE_ORDER = [m.value for m in Milestone]


class GreenLabel(models.TextChoices):
    """《绿色建筑评价标准》(GB/T50378) labels: the order is the rank."""

    NONE = "none", "未取得"
    BASIC = "basic", "基本级"
    ONE = "one", "一星级"
    TWO = "two", "二星级"
    THREE = "three", "三星级"


LABEL_RANK = {value: rank for rank, value in enumerate(GreenLabel.values)}
REQUIRED_LABEL = GreenLabel.TWO  # 四(一): “试点项目应达到……绿色建筑二星级以上要求”


def label_meets(label: str) -> bool:
    return LABEL_RANK.get(label, -1) >= LABEL_RANK[REQUIRED_LABEL]


class DeliveryModel(models.TextChoices):
    GENERAL = "general", "施工总承包"
    EPC = "epc", "工程总承包（EPC）"
    CONSULTING = "consulting", "全过程工程咨询"
    EPC_AND_CONSULTING = "both", "工程总承包 + 全过程工程咨询"


INTENSIVE_MODELS = (DeliveryModel.EPC, DeliveryModel.CONSULTING, DeliveryModel.EPC_AND_CONSULTING)


class EventKind(models.TextChoices):
    APPLY = "apply", "提出申报"
    EDIT = "edit", "修改申报"
    SUBMIT = "submit", "提交评审"
    ASSIGN = "assign", "指派评审专家"
    OPINION = "opinion", "专家评审意见"
    APPROVE = "approve", "评审通过（立项）"
    RETURN = "return", "退回修改"
    RESUBMIT = "resubmit", "修改后重新申报"
    MILESTONE = "milestone", "节点完成"
    CHECK = "check", "定期检查"
    ACCEPTANCE = "acceptance", "专项评估验收"
