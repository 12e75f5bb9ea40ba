"""The state of a 整改通知单 on a date (issue 28): ONE rule, read by the notice's ``public_status`` (notice page,
lists, API ``status_display``, Excel export), the public 一公开 page and the A1 fact (``a1_outcome``).

Precedence: a 行政处罚 wins (seed 002 A1 “依法处罚”); then 销号, on time or late by the FIRST deadline (a notice
returned for re-rectification is judged by the deadline first set; the day the rectification was done or the
unit's answer reached the bureau counts, never the day of data entry); then 认定逾期; then an open notice past its
current deadline is overdue; else it is awaiting the unit (待整改 / 退回重新整改) or the inspector (已回复).
No Django model import: it works on a notice or on the fields of a ``values()`` row alike.
"""

from __future__ import annotations

import datetime as dt

from inspections.choices import A1_GROUPS, ANSWERED_STATES, A1Outcome, NoticeState, NoticeStatus


def closed_in_time(deadline: dt.date, closed_on: dt.date | None, answered_on: dt.date | None) -> bool:
    """A closed notice is on time when the rectification was done (``closed_on``) or the unit's answer reached the
    bureau (``answered_on``: the received date of a paper answer recorded by the county, 代录) by the deadline.
    The day the county typed the paper answer in, or verified it, never makes the unit late."""
    return any(day is not None and day <= deadline for day in (closed_on, answered_on))


def notice_state(
    *,
    status: str,
    deadline: dt.date,
    first_deadline: dt.date,
    closed_on: dt.date | None,
    answered_on: dt.date | None,
    penalised: bool,
    round: int,
    on_date: dt.date,
) -> NoticeState:
    """How a notice stands on ``on_date``. ``deadline`` is the current round's, ``first_deadline`` the first one."""
    if penalised:
        return NoticeState.PENALISED
    if status == NoticeStatus.CLOSED:
        on_time = closed_in_time(first_deadline, closed_on, answered_on)
        return NoticeState.CLOSED_ON_TIME if on_time else NoticeState.CLOSED_LATE
    if status == NoticeStatus.ESCALATED:
        return NoticeState.ESCALATED
    if deadline < on_date:
        return NoticeState.OVERDUE
    if status == NoticeStatus.ANSWERED:
        return NoticeState.ANSWERED
    return NoticeState.RETURNED if round > 1 else NoticeState.OPEN


def state_of(notice, on_date: dt.date) -> NoticeState:
    """``notice_state`` of a ``RectificationNotice``."""
    return notice_state(
        status=notice.status,
        deadline=notice.deadline,
        first_deadline=notice.first_deadline,
        closed_on=notice.closed_on,
        answered_on=notice.answered_on,
        penalised=bool(notice.penalty_doc_no),
        round=notice.round,
        on_date=on_date,
    )


def state_label(state: NoticeState, *, round: int = 1, proxy: bool = False) -> str:
    """The state in words, for every audience: the round of a returned notice, “（代录）” for an answer the county
    recorded on the unit's behalf."""
    state = NoticeState(state)
    label = state.label
    if state == NoticeState.RETURNED:
        label = f"{label}（第{round}轮）"
    if proxy and state in ANSWERED_STATES:
        label = f"{label}（代录）"
    return label


def a1_outcome(state: NoticeState, first_deadline: dt.date, as_of: dt.date) -> A1Outcome:
    """A1's group of a notice in ``state`` as of ``as_of`` (a month's end, or today within the month): not yet
    due while its first deadline is still to come; otherwise ``A1_GROUPS``. A notice still open on the day its
    first deadline comes is not 按时整改到位 at that month's end."""
    if first_deadline > as_of:
        return A1Outcome.NOT_DUE
    return A1_GROUPS[NoticeState(state)]
