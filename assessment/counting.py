"""Which months count: the one rule behind the ranking, the annual score, the dashboard, the bulletin, the
annual report, the API and the Excel exports (SPEC §5.4 "Which months count").

* A month whose deadline has not passed is not scored at all: its state only (未到期 or the state
  of what was sent early).
* Once the deadline passed:
  - a month sent after the deadline counts **0** and says 逾期报送 (a fact of the clock, whatever its review state);
  - nothing sent (or only a draft) counts **0** and says 未报送 — unless the county holds a dated deadline
    exception still running (延期报送中: not counted yet);
  - otherwise the month counts **with its score** only once the city has reviewed it: 已审核 or 已发布 for the
    city's own views (:data:`INTERNAL`), 已发布 only for what county staff see and for both reports
    (:data:`PUBLISHED`);
  - 待审核 (submitted / resubmitted), 已退回 and — for the published audience — 待发布 (approved, not yet
    published) are shown with their state and **no score**: they are not ranked and not averaged.
* 全年目标任务得分: the city's recorded year-end score, else the rubric's item total of the last month that counts
  with its score (reviewed, on time); never a draft, returned, unreviewed or late month. The source names it.

Everything here is pure: callers fetch the rows (a constant number of queries) and ask this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")

INTERNAL = "internal"  # the city's own pages, API and exports: 已审核 + 已发布
PUBLISHED = "published"  # county staff, the monthly bulletin, the annual report: 已发布 only

SENT = ("submitted", "resubmitted", "returned", "approved", "published")
IN_REVIEW = ("submitted", "resubmitted")


class MonthState:
    PUBLISHED = "published"
    APPROVED = "approved"
    LATE = "late"
    MISSING = "missing"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    UNPUBLISHED = "unpublished"
    EXTENDED = "extended"
    NOT_DUE = "not_due"

    LABELS = {
        "published": "已发布",
        "approved": "已审核",
        "late": "逾期报送",
        "missing": "未报送",
        "in_review": "待审核",
        "returned": "已退回",
        "unpublished": "待发布",
        "extended": "延期报送中",
        "not_due": "未到期",
    }
    # what the state means for the score, shown next to it where no score is shown
    NOTES = {
        "late": "逾期报送，当月0分",
        "missing": "当月未报送，得0分",
        "in_review": "待审核，审核通过后计分",
        "returned": "已退回县局修改，重新报送并审核通过后计分",
        "unpublished": "已审核，发布后计分",
        "extended": "市局已批准延期报送，延期截止前不计分",
        "not_due": "未到报送截止时间，暂不计分",
    }


@dataclass(frozen=True)
class MonthCount:
    """How one county's month counts for one audience."""

    month: int
    state: str
    counted: bool  # enters the ranking and the average
    score: Decimal | None  # the score it counts with; None when not counted
    due: bool  # its deadline has passed
    submission_id: int | None = None
    status: str = ""  # the submission's workflow status ("" when none)

    @property
    def label(self) -> str:
        return MonthState.LABELS[self.state]

    @property
    def note(self) -> str:
        if not self.due:
            return MonthState.NOTES["not_due"]
        return MonthState.NOTES.get(self.state, "")

    @property
    def reviewed(self) -> bool:
        """Counts with its own score (reviewed, on time), as opposed to a 0 for late or missing."""
        return self.counted and self.state in (MonthState.APPROVED, MonthState.PUBLISHED)

    @property
    def pending(self) -> bool:
        """Due but not yet counted: 待审核, 已退回, 待发布, 延期报送中."""
        return self.due and not self.counted


def _get(sub, name, default=None):
    if sub is None:
        return default
    if type(sub) is dict or isinstance(sub, Mapping):  # plain dicts first: the ABC check is slow at 34,200 calls
        return sub.get(name, default)
    return getattr(sub, name, default)


def month_count(month: int, sub, *, due: bool, audience: str = INTERNAL, extended: bool = False) -> MonthCount:
    """The rule. ``sub`` is the county's submission of the month (a model instance or a dict with status,
    score, is_late, id) or None; ``due`` says whether the month's regular deadline has passed, ``extended``
    whether the county holds a dated exception that has not run out yet (then nothing sent is not yet 未报送)."""
    if sub is None:  # read the submission's four values once (34,200 calls for 2,850 counties' year)
        status, sid, late, score = "", None, False, None
    else:
        status, sid = _get(sub, "status", "") or "", _get(sub, "id")
        late, score = _get(sub, "is_late", False), _get(sub, "score")
    sent = status in SENT
    if sent and status in ("approved", "published") and not due:
        state = MonthState.PUBLISHED if status == "published" else MonthState.APPROVED
        if audience == PUBLISHED and status != "published":
            state = MonthState.UNPUBLISHED
        return MonthCount(month, state, False, None, False, sid, status)
    if not due:
        state = (
            MonthState.IN_REVIEW if status in IN_REVIEW else MonthState.RETURNED if status == "returned" else None
        ) or MonthState.NOT_DUE
        return MonthCount(month, state, False, None, False, sid, status)
    if not sent:
        if extended:
            return MonthCount(month, MonthState.EXTENDED, False, None, True, sid, status)
        return MonthCount(month, MonthState.MISSING, True, ZERO, True, sid, status)
    if late:
        return MonthCount(month, MonthState.LATE, True, ZERO, True, sid, status)
    if status == "published":
        return MonthCount(month, MonthState.PUBLISHED, True, score, True, sid, status)
    if status == "approved":
        if audience == PUBLISHED:
            return MonthCount(month, MonthState.UNPUBLISHED, False, None, True, sid, status)
        return MonthCount(month, MonthState.APPROVED, True, score, True, sid, status)
    if status == "returned":
        return MonthCount(month, MonthState.RETURNED, False, None, True, sid, status)
    return MonthCount(month, MonthState.IN_REVIEW, False, None, True, sid, status)


@dataclass(frozen=True)
class TargetScore:
    score: Decimal
    source: str  # named next to the score, e.g. "市局核定" / "按9月（已审核）累计数据计算"
    month: int | None = None


def target_score(
    months: list[MonthCount], items_totals: Mapping[int, Decimal], override: Decimal | None, *, audience: str
) -> TargetScore:
    """全年目标任务得分: the city's recorded year-end score, else the item total of the last month that counts
    with its own score (reviewed and on time). ``items_totals`` maps month → the submission's item total."""
    if override is not None:
        return TargetScore(override, "市局核定")
    for count in sorted(months, key=lambda c: c.month, reverse=True):
        if count.reviewed:
            return TargetScore(
                items_totals.get(count.month, ZERO), f"按{count.month}月（{count.label}）累计数据计算", count.month
            )
    none = "无已发布的月份，暂计0分" if audience == PUBLISHED else "无已审核的月份，暂计0分"
    return TargetScore(ZERO, none)


def pending_note(months: list[MonthCount]) -> str:
    """The months left out of an average because they are not yet counted, named by state ("10月待审核、…")."""
    return "、".join(f"{c.month}月{c.label}" for c in months if c.pending)
