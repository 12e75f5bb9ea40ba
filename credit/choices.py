"""The credit record's vocabularies: behaviours (good and bad), severities, grades, entry states, appeal states.

A behaviour's code is what the exchange feed carries (``credit/exports.py``); its points and validity come from the
rule in force (``CreditRule``), never from here.
"""

from __future__ import annotations

from django.db import models


class Polarity(models.TextChoices):
    GOOD = "good", "良好行为"
    BAD = "bad", "不良行为"


class Behaviour(models.TextChoices):
    # 优良信用信息 (建市〔2017〕241号 第八条: commendations and awards by bodies at county level or above)
    AWARD = "award", "获奖"  # the entry's title names the award (鲁班奖 … 丹河杯)
    DEMONSTRATION = "demonstration", "示范项目"
    JINGPIN = "jingpin", "精品工程"
    GREEN_PILOT = "green_pilot", "绿色建造试点参建"
    ON_TIME_RECTIFICATION = "on_time_rectification", "按期整改到位"
    # 不良信用信息
    CONSTRAINT_MINOR = "constraint_minor", "约束记录（一般）"
    CONSTRAINT_SERIOUS = "constraint_serious", "约束记录（较重）"
    CONSTRAINT_MAJOR = "constraint_major", "约束记录（严重）"
    NOTICE_ESCALATED = "notice_escalated", "整改通知单逾期未整改"
    PENALTY = "penalty", "行政处罚"
    COMPLAINT = "complaint", "投诉举报查实"
    INSURANCE = "insurance", "未按规定投保"


GOOD_BEHAVIOURS = (
    Behaviour.AWARD,
    Behaviour.DEMONSTRATION,
    Behaviour.JINGPIN,
    Behaviour.GREEN_PILOT,
    Behaviour.ON_TIME_RECTIFICATION,
)
BAD_BEHAVIOURS = tuple(b for b in Behaviour if b not in GOOD_BEHAVIOURS)


def polarity_of(behaviour: str) -> str:
    return Polarity.GOOD if behaviour in GOOD_BEHAVIOURS else Polarity.BAD


class Severity(models.TextChoices):
    MINOR = "minor", "一般"
    SERIOUS = "serious", "较重"
    MAJOR = "major", "严重"


CONSTRAINT_BEHAVIOUR = {
    Severity.MINOR: Behaviour.CONSTRAINT_MINOR,
    Severity.SERIOUS: Behaviour.CONSTRAINT_SERIOUS,
    Severity.MAJOR: Behaviour.CONSTRAINT_MAJOR,
}
SEVERITY_OF_BEHAVIOUR = {b: s for s, b in CONSTRAINT_BEHAVIOUR.items()}


class Grade(models.TextChoices):
    A = "A", "A级（守信）"
    B = "B", "B级（基本守信）"
    C = "C", "C级（失信风险）"
    D = "D", "D级（失信）"


class EntryState(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    PENDING = "pending", "尚未生效"
    EXPIRED = "expired", "已过期"
    WITHDRAWN = "withdrawn", "申诉撤销"


class AppealStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    WITHDRAWN = "withdrawn", "撤销该记录"
    KEPT = "kept", "维持该记录"
