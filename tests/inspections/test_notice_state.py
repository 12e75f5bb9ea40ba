"""Issue 28: one notice state, read the same way everywhere. Every state of a 整改通知单 × every view of it — the
model (``state()``/``public_status``, shown on the notice page and lists), the API's JSON, the Excel export's
cell, the public 一公开 page and the A1 fact — says the same thing, in one vocabulary.

Today is pinned to 25 March 2024; A1 is asked for March (as of today, within the month)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from inspections import a1, public, services
from inspections.choices import A1_GROUPS, A1Outcome, NoticeState
from inspections.models import RectificationNotice
from inspections.states import a1_outcome, notice_state, state_label
from tests.conftest import api_client_for, at

D = dt.date
TODAY = D(2024, 3, 25)


def answered(day: dt.date) -> dict:
    return {"answered_at": timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10)), "answer": "已整改。"}


def paper(day: dt.date) -> dict:
    return {**answered(day), "answer_channel": "paper", "answer_received_on": day}


PENALTY = {"penalty_doc_no": "晋市建罚〔2024〕7号", "penalty_on": D(2024, 3, 22), "penalty_note": "罚款"}

# (case, the notice's fields, its state, the words every audience reads, its A1 group)
CASES = [
    ("open within its deadline", {"deadline": D(2024, 3, 30)}, NoticeState.OPEN, "待整改", A1Outcome.NOT_DUE),
    ("open past its deadline", {"deadline": D(2024, 3, 20)}, NoticeState.OVERDUE, "逾期未整改", A1Outcome.OVERDUE),
    (
        "answered, awaiting review",
        {"deadline": D(2024, 3, 30), "status": "answered", **answered(D(2024, 3, 22))},
        NoticeState.ANSWERED,
        "已回复",
        A1Outcome.NOT_DUE,
    ),
    (
        "answered on paper (代录), awaiting review",
        {"deadline": D(2024, 3, 30), "status": "answered", **paper(D(2024, 3, 22))},
        NoticeState.ANSWERED,
        "已回复（代录）",
        A1Outcome.NOT_DUE,
    ),
    (
        "answered only after its deadline, awaiting review",
        {"deadline": D(2024, 3, 20), "status": "answered", **answered(D(2024, 3, 22))},
        NoticeState.OVERDUE,
        "逾期未整改",
        A1Outcome.OVERDUE,
    ),
    (
        "returned for re-rectification, within the new deadline",
        {"deadline": D(2024, 4, 10), "original_deadline": D(2024, 3, 20), "round": 2},
        NoticeState.RETURNED,
        "退回重新整改（第2轮）",
        A1Outcome.OVERDUE,  # past the FIRST deadline and not rectified: not 按时整改到位
    ),
    (
        "returned before the first deadline, both to come",
        {"deadline": D(2024, 4, 10), "original_deadline": D(2024, 3, 28), "round": 2},
        NoticeState.RETURNED,
        "退回重新整改（第2轮）",
        A1Outcome.NOT_DUE,
    ),
    (
        "closed on time",
        {"deadline": D(2024, 3, 20), "status": "closed", "closed_on": D(2024, 3, 18), **answered(D(2024, 3, 17))},
        NoticeState.CLOSED_ON_TIME,
        "已整改",
        A1Outcome.ON_TIME,
    ),
    (
        "closed later, answered on paper in time (代录)",
        {"deadline": D(2024, 3, 20), "status": "closed", "closed_on": D(2024, 3, 24), **paper(D(2024, 3, 18))},
        NoticeState.CLOSED_ON_TIME,
        "已整改（代录）",
        A1Outcome.ON_TIME,
    ),
    (
        "closed late",
        {"deadline": D(2024, 3, 20), "status": "closed", "closed_on": D(2024, 3, 24), **answered(D(2024, 3, 23))},
        NoticeState.CLOSED_LATE,
        "逾期整改",
        A1Outcome.LATE,
    ),
    (
        "returned, closed after the first deadline within the new one",
        {
            "deadline": D(2024, 4, 10),
            "original_deadline": D(2024, 3, 20),
            "round": 2,
            "status": "closed",
            "closed_on": D(2024, 3, 24),
            **answered(D(2024, 3, 23)),
        },
        NoticeState.CLOSED_LATE,
        "逾期整改",
        A1Outcome.LATE,
    ),
    (
        "escalated (认定逾期), no penalty",
        {"deadline": D(2024, 3, 15), "status": "escalated", "escalated_on": D(2024, 3, 18)},
        NoticeState.ESCALATED,
        "逾期未整改",
        A1Outcome.OVERDUE,
    ),
    (
        "penalised, not escalated",
        {"deadline": D(2024, 3, 15), **PENALTY},
        NoticeState.PENALISED,
        "已依法处罚",
        A1Outcome.PENALISED,
    ),
    (
        "penalised and escalated",
        {"deadline": D(2024, 3, 15), "status": "escalated", "escalated_on": D(2024, 3, 18), **PENALTY},
        NoticeState.PENALISED,
        "已依法处罚",
        A1Outcome.PENALISED,
    ),
]
IDS = [case[0] for case in CASES]


@pytest.fixture
def notices(inspection, county_user, city_admin, clock):
    """One notice per case, its fields written as the workflow would have left them; the inspection confirmed."""
    made = []
    for i, (_, fields, *_) in enumerate(CASES):
        finding = services.add_finding(
            inspection,
            user=county_user,
            description=f"问题{i:02d}",
            severity="minor",
            responsible_role="contractor",
            deadline=D(2024, 4, 30),
        )
        RectificationNotice.objects.filter(pk=finding.notice.pk).update(**fields)
        made.append(RectificationNotice.objects.get(pk=finding.notice.pk))
    services.confirm_inspection(inspection, user=city_admin)
    clock.move_to(at(2024, 3, 25, 9))
    return made


def test_every_state_has_its_words_and_its_a1_group():
    assert set(A1_GROUPS) == set(NoticeState)
    assert {case[2] for case in CASES} == set(NoticeState)


@pytest.mark.parametrize("case", range(len(CASES)), ids=IDS)
def test_the_model_says_the_state(notices, case):
    _, _, state, words, _ = CASES[case]
    notice = RectificationNotice.objects.get(pk=notices[case].pk)
    assert notice.state() == state and notice.state(TODAY) == state
    assert notice.public_status == words == state_label(state, round=notice.round, proxy=notice.answer_by_proxy)


def test_the_notice_page_the_api_the_export_the_public_page_and_a1_say_the_same(notices, client, county_user):
    county_id = notices[0].finding.inspection.project.county_id
    api = api_client_for(county_user)
    client.force_login(county_user)
    sheet = load_workbook(io.BytesIO(client.get("/inspections/notices/?export=xlsx").content)).active
    header = [c.value for c in sheet[1]]
    exported = {
        row[header.index("通知单编号")]: row[header.index("状态")] for row in sheet.iter_rows(2, values_only=True)
    }
    client.logout()
    public_page = client.get("/inspections/public/").content.decode()
    [result] = public.public_results()
    public_states = {f["description"]: f["status"] for f in result["findings"]}
    a1_groups = {n.pk: o for n, o in a1.a1_fact(county_id, 2024, 3).rows}

    for i, (case, _, state, words, group) in enumerate(CASES):
        notice = notices[i]
        description = f"问题{i:02d}"
        client.force_login(county_user)
        page = client.get(f"/inspections/notices/{notice.pk}/").content.decode()
        badge = re.search(r'data-testid="notice-status" data-state="([^"]*)">([^<]*)<', page).groups()
        data = api.get(f"/api/v1/rectification-notices/{notice.pk}/").json()
        cell = re.search(rf"<td>{description}</td>(?:<td[^>]*>[^<]*</td>){{3}}<td>([^<]*)</td>", public_page)
        penalty = f"（{notice.penalty_doc_no}）" if notice.penalty_doc_no else ""
        assert badge == (state.value, words), case
        assert (data["state"], data["status_display"]) == (state.value, words), case
        assert exported[notice.number] == words, case
        assert public_states[description] == words and cell.group(1) == words + penalty, case
        assert (
            a1_groups[notice.pk]
            == group
            == a1.outcome(notice, TODAY)
            == a1_outcome(state, notice.first_deadline, TODAY)
        ), case
        assert a1.OUTCOME_LABELS[group] == group.label, case


def test_a1_groups_a_notice_by_its_state_once_its_first_deadline_has_come():
    first = D(2024, 3, 20)
    assert a1_outcome(NoticeState.CLOSED_ON_TIME, first, D(2024, 3, 19)) == A1Outcome.NOT_DUE
    assert a1_outcome(NoticeState.CLOSED_ON_TIME, first, first) == A1Outcome.ON_TIME
    assert a1_outcome(NoticeState.OPEN, first, first) == A1Outcome.OVERDUE  # open when its deadline came
    assert a1_outcome(NoticeState.PENALISED, first, D(2024, 3, 31)) == A1Outcome.PENALISED


# --- A1 keeps its numbers: the state's grouping equals the rule A1 had before issue 28, for any notice -------------
def _a1_before_issue_28(status, first_deadline, closed_on, answered_on, penalised, as_of):
    """``a1.outcome`` as it was (its own derivation), kept here as the reference."""
    if first_deadline > as_of:
        return "not_due"
    if penalised:
        return "penalised"
    on_time = any(day is not None and day <= first_deadline for day in (closed_on, answered_on))
    if status == "closed" and on_time:
        return "on_time"
    if status == "closed":
        return "late"
    return "overdue"


_days = st.dates(min_value=D(2024, 1, 1), max_value=D(2024, 12, 31))


@settings(max_examples=500, deadline=None)
@given(
    status=st.sampled_from(["issued", "answered", "closed", "escalated"]),
    first_deadline=_days,
    extra=st.integers(min_value=0, max_value=60),
    closed_on=st.none() | _days,
    answered_on=st.none() | _days,
    penalised=st.booleans(),
    round=st.integers(min_value=1, max_value=4),
    as_of=_days,
)
def test_a1_groups_every_notice_as_it_did_before(
    status, first_deadline, extra, closed_on, answered_on, penalised, round, as_of
):
    deadline = first_deadline + dt.timedelta(days=extra if round > 1 else 0)
    state = notice_state(
        status=status,
        deadline=deadline,
        first_deadline=first_deadline,
        closed_on=closed_on,
        answered_on=answered_on,
        penalised=penalised,
        round=round,
        on_date=as_of,
    )
    assert a1_outcome(state, first_deadline, as_of) == _a1_before_issue_28(
        status, first_deadline, closed_on, answered_on, penalised, as_of
    )
    assert state_label(state, round=round)  # every state has its words
