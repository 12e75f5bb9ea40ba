"""Choices of the 整改通知单 and the groups built on them (NetBox-style ``choices.py``).

``NoticeStatus`` is what is stored (the workflow step); ``NoticeState`` is how a notice stands on a date, computed
from the stored fields by ``inspections.states.notice_state`` — the one vocabulary the notice page, the API, the
Excel export and the public 一公开 page show. ``A1Outcome`` is the A1 rubric item's grouping of those states
(seed 002 A1 “问题均按时整改到位、依法处罚”), mapped from the states by ``A1_GROUPS``, never re-derived.
"""

from __future__ import annotations

from django.db import models


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", "待整改"
    ANSWERED = "answered", "已回复"
    CLOSED = "closed", "已整改"
    ESCALATED = "escalated", "逾期未整改"


OPEN_NOTICE_STATUSES = (NoticeStatus.ISSUED, NoticeStatus.ANSWERED)


class AnswerChannel(models.TextChoices):
    """How the unit's answer reached the bureau: online by the unit, or recorded by the county on its behalf (代录)."""

    ONLINE = "online", "网上回复"
    PAPER = "paper", "书面回复（代录）"
    SITE = "site", "现场复查（代录）"


PROXY_CHANNELS = (AnswerChannel.PAPER, AnswerChannel.SITE)
PROXY_CHANNEL_CHOICES = [(c.value, c.label) for c in PROXY_CHANNELS]


class NoticeState(models.TextChoices):
    """How a notice stands on a date. The labels are the one vocabulary every audience reads
    (``inspections.states.state_label`` adds the round of a returned notice and “（代录）”)."""

    OPEN = "open", "待整改"  # issued, deadline not passed
    ANSWERED = "answered", "已回复"  # answered, awaiting the inspector's review, deadline not passed
    RETURNED = "returned", "退回重新整改"  # returned for re-rectification, new deadline not passed
    OVERDUE = "overdue", "逾期未整改"  # open past its (current) deadline, not yet escalated
    ESCALATED = "escalated", "逾期未整改"  # 认定逾期: escalated to a constraint record, no 行政处罚 (yet)
    CLOSED_ON_TIME = "closed_on_time", "已整改"  # 销号, rectified or answered by the first deadline
    CLOSED_LATE = "closed_late", "逾期整改"  # 销号, but after the first deadline
    PENALISED = "penalised", "已依法处罚"  # a 行政处罚 with its 文号 is recorded


# States in which the unit's answer is on file: only these say “（代录）” when the county recorded it.
ANSWERED_STATES = (NoticeState.ANSWERED, NoticeState.CLOSED_ON_TIME, NoticeState.CLOSED_LATE)


class A1Outcome(models.TextChoices):
    """The A1 rubric item's grouping of a notice as of a month's end (``inspections.a1.a1_fact``)."""

    ON_TIME = "on_time", "按时整改到位"
    LATE = "late", "逾期整改"
    PENALISED = "penalised", "已依法处罚"
    OVERDUE = "overdue", "逾期未整改"
    NOT_DUE = "not_due", "未到整改期限"


# A notice whose first deadline has come: its A1 group, from its state. One whose first deadline is still to come
# is NOT_DUE whatever its state (``inspections.states.a1_outcome``).
A1_GROUPS = {
    NoticeState.OPEN: A1Outcome.OVERDUE,
    NoticeState.ANSWERED: A1Outcome.OVERDUE,
    NoticeState.RETURNED: A1Outcome.OVERDUE,
    NoticeState.OVERDUE: A1Outcome.OVERDUE,
    NoticeState.ESCALATED: A1Outcome.OVERDUE,
    NoticeState.CLOSED_ON_TIME: A1Outcome.ON_TIME,
    NoticeState.CLOSED_LATE: A1Outcome.LATE,
    NoticeState.PENALISED: A1Outcome.PENALISED,
}

# The groups that keep A1 at 是 (“按时整改到位、依法处罚”; a notice not yet due counts neither way).
A1_PASSING = (A1Outcome.ON_TIME, A1Outcome.PENALISED, A1Outcome.NOT_DUE)
