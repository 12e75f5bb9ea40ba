"""What the public sees of the credit record: the 红榜 and the 黑名单, through one whitelist.

The public pages render ``PublicListedEnterprise`` rows built here, never a model: a field that is not listed below
cannot reach the public, whatever a template does. An enterprise is shown by its name, 统一社会信用代码, grade and
score; each entry that puts it on the list by its behaviour, 文号, date and validity period. Nothing else is copied —
no 法定代表人, phone or address of the enterprise, no entry title or project (free text a source composes), no
user, no key person, nothing of a complainant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from credit import lists
from credit.choices import Grade
from credit.scoring import BEHAVIOUR_LABELS

# The fields copied to the public (the fields test reads these lists).
PUBLIC_ENTERPRISE_FIELDS = ("enterprise.name", "enterprise.credit_code", "grade", "score", "major_in_force")
PUBLIC_ENTRY_FIELDS = ("behaviour", "document_no", "occurred_on", "valid_until")


@dataclass(frozen=True)
class PublicEntry:
    behaviour: str  # the behaviour's short label: 约束记录（严重）, 行政处罚, 获奖 … (scoring.BEHAVIOUR_LABELS)
    document_no: str
    occurred_on: dt.date
    valid_until: dt.date


@dataclass(frozen=True)
class PublicListedEnterprise:
    name: str
    credit_code: str
    grade: str
    grade_label: str
    score: Decimal
    reasons: tuple[str, ...]  # why it is on the list: "信用等级D级", "有效期内有严重不良行为记录", "信用等级A级"
    entries: list[PublicEntry] = field(default_factory=list)


def _reasons(kind: str, standing) -> tuple[str, ...]:
    if kind == lists.REDLIST:
        return (f"信用等级{standing.grade}级",)
    reasons = []
    if standing.grade == "D":
        reasons.append("信用等级D级")
    if standing.major_in_force:
        reasons.append("有效期内有严重不良行为记录")
    return tuple(reasons)


def public_entry(entry) -> PublicEntry:
    return PublicEntry(
        behaviour=BEHAVIOUR_LABELS.get(entry.behaviour, entry.behaviour),
        document_no=entry.document_no,
        occurred_on=entry.occurred_on,
        valid_until=entry.valid_until,
    )


def build_page(kind: str, standings, day: dt.date | None = None) -> list[PublicListedEnterprise]:
    """The public rows of a page of standings (``lists.public_list``): one query for their entries."""
    day = day or timezone.localdate()
    standings = list(standings)
    entries = lists.entries_in_force((s.enterprise_id for s in standings), lists.LIST_POLARITY[kind], day)
    rows = []
    for standing in standings:
        rows.append(
            PublicListedEnterprise(
                name=standing.enterprise.name,
                credit_code=standing.enterprise.credit_code,
                grade=standing.grade,
                grade_label=Grade(standing.grade).label,
                score=standing.score,
                reasons=_reasons(kind, standing),
                entries=[public_entry(e) for e in entries.get(standing.enterprise_id, [])],
            )
        )
    return rows
