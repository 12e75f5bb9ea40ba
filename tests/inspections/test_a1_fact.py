"""A1 "问题均按时整改到位、依法处罚" computed from the records; the county cannot tick it; the city overrides, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services as assessment
from assessment.models import AuditEntry
from inspections import a1, rectification, services
from inspections.models import Finding, Inspection, NoticeStatus, RectificationNotice
from tests.assessment.factories import GAOPING_JUNE, filled_submission, target
from tests.inspections.factories import PlanFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

D = dt.date


def make_notice(county, *, deadline, status=NoticeStatus.ISSUED, closed_on=None, penalty_doc_no="", issued_on=None):
    participant = ParticipantFactory(project=ProjectFactory(county=county))
    plan = PlanFactory(county=county)
    inspection = Inspection.objects.create(
        plan=plan, project=participant.project, draw_order=1, status="recorded", inspected_on=D(2024, 3, 1)
    )
    finding = Finding.objects.create(
        inspection=inspection,
        description="问题",
        severity="minor",
        responsible_role="contractor",
        participant=participant,
    )
    return RectificationNotice.objects.create(
        finding=finding,
        number=f"N-{finding.pk}",
        issued_on=issued_on or D(2024, 3, 1),
        deadline=deadline,
        status=status,
        closed_on=closed_on,
        penalty_doc_no=penalty_doc_no,
        penalty_on=D(2024, 3, 28) if penalty_doc_no else None,
    )


CLOSED = NoticeStatus.CLOSED
# (case, deadline, status, closed on, penalty 文号) → outcome for March 2024, and the fact with only that notice
TABLE = [
    ("closed on time", D(2024, 3, 20), CLOSED, D(2024, 3, 18), "", "on_time", True),
    ("closed on the deadline day", D(2024, 3, 20), CLOSED, D(2024, 3, 20), "", "on_time", True),
    ("closed late", D(2024, 3, 20), CLOSED, D(2024, 3, 25), "", "late", False),
    ("open past the deadline", D(2024, 3, 20), NoticeStatus.ISSUED, None, "", "overdue", False),
    ("answered, not verified, past the deadline", D(2024, 3, 20), NoticeStatus.ANSWERED, None, "", "overdue", False),
    ("escalated without a penalty", D(2024, 3, 10), NoticeStatus.ESCALATED, None, "", "overdue", False),
    ("escalated and penalised", D(2024, 3, 10), NoticeStatus.ESCALATED, None, "晋市建罚〔2024〕3号", "penalised", True),
    ("closed late but penalised", D(2024, 3, 10), CLOSED, D(2024, 3, 25), "晋市建罚〔2024〕4号", "penalised", True),
    ("open, due after the month", D(2024, 4, 15), NoticeStatus.ISSUED, None, "", "not_due", True),
    ("open, due on the month's last day", D(2024, 3, 31), NoticeStatus.ISSUED, None, "", "overdue", False),
]


@pytest.mark.parametrize("case,deadline,status,closed_on,penalty,outcome,fact", TABLE, ids=[row[0] for row in TABLE])
def test_a1_fact_for_march_2024(county, case, deadline, status, closed_on, penalty, outcome, fact):
    notice = make_notice(county, deadline=deadline, status=status, closed_on=closed_on, penalty_doc_no=penalty)
    result = a1.a1_fact(county.pk, 2024, 3)
    assert result.rows == [(notice, outcome)]
    assert result.computed is fact and result.value is fact


def test_one_failing_notice_among_good_ones_fails_the_month_and_is_named(county):
    make_notice(county, deadline=D(2024, 3, 20), status=CLOSED, closed_on=D(2024, 3, 18))
    make_notice(county, deadline=D(2024, 4, 20))
    late = make_notice(county, deadline=D(2024, 3, 5), status=CLOSED, closed_on=D(2024, 3, 9))
    fact = a1.a1_fact(county.pk, 2024, 3)
    assert fact.computed is False and fact.failing == [(late, "late")]


def test_a_month_before_the_deadline_is_not_affected_and_other_counties_or_years_never_count(county, other_county):
    make_notice(county, deadline=D(2024, 3, 20))  # open, due in March
    make_notice(other_county, deadline=D(2024, 2, 10), issued_on=D(2024, 2, 1))
    make_notice(
        county, deadline=D(2023, 12, 10), issued_on=D(2023, 12, 1)
    )  # last year's: the year's assessment starts afresh
    assert a1.a1_fact(county.pk, 2024, 2).computed is True
    assert a1.a1_fact(county.pk, 2024, 3).computed is False
    assert a1.a1_fact(other_county.pk, 2024, 2).computed is False


def test_a_notice_issued_in_december_and_due_in_january_counts_in_the_new_year(county):
    notice = make_notice(county, deadline=D(2024, 1, 10), issued_on=D(2023, 12, 20))
    assert a1.a1_fact(county.pk, 2023, 12).rows == [(notice, "not_due")]
    assert a1.a1_fact(county.pk, 2024, 1).rows == [(notice, "overdue")]


def test_within_the_month_a_deadline_still_to_come_is_not_missed(county, clock):
    from tests.conftest import at

    clock.move_to(at(2024, 3, 12, 10))
    notice = make_notice(county, deadline=D(2024, 3, 25))
    assert a1.a1_fact(county.pk, 2024, 3).rows == [(notice, "not_due")]
    clock.move_to(at(2024, 3, 26, 10))
    assert a1.a1_fact(county.pk, 2024, 3).rows == [(notice, "overdue")]


def test_no_notice_at_all_is_met(county):
    fact = a1.a1_fact(county.pk, 2024, 3)
    assert fact.computed is True and fact.rows == []


# --- the rubric follows the records -----------------------------------------------------------------
def a1_score(sub):
    sub.refresh_from_db()
    return sub.item_scores.get(item__code="A1").score


def test_the_county_can_no_longer_tick_a1_and_the_score_follows_the_records(
    county, county_user, city_admin, django_capture_on_commit_callbacks, clock
):
    target(county, year=2024)
    sub = filled_submission(
        county, county_user, month=2, year=2024, data={**GAOPING_JUNE, "no_unrectified_findings": False}
    )
    assert sub.no_unrectified_findings is True and a1_score(sub) == 4  # the county's "False" is ignored
    assert "no_unrectified_findings" not in assessment.EDITABLE_FIELDS
    make_notice(county, deadline=D(2024, 2, 20), issued_on=D(2024, 2, 1))  # open and overdue in February
    assessment.recalculate(sub)
    assert a1_score(sub) == 0 and sub.no_unrectified_findings is False

    with pytest.raises(PermissionDenied):
        a1.set_a1_override(county, 2024, 2, user=county_user, value=True, reason="已整改")
    with pytest.raises(ValidationError):
        a1.set_a1_override(county, 2024, 2, user=city_admin, value=True, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        a1.set_a1_override(county, 2024, 2, user=city_admin, value=True, reason="经核查，问题已由省厅督办销号")
    assert a1_score(sub) == 4
    entry = AuditEntry.objects.filter(county=county, year=2024, month=2, field__contains="A1“双随机").get()
    assert entry.actor == city_admin and entry.old_value == "否" and entry.new_value == "是"
    assert entry.reason == "经核查，问题已由省厅督办销号"
    with django_capture_on_commit_callbacks(execute=True):
        a1.set_a1_override(county, 2024, 2, user=city_admin, value=None, reason="撤销认定")
    assert a1_score(sub) == 0
    assert AuditEntry.objects.filter(county=county, field__contains="市局认定").count() == 2  # not "A1 印证材料"


def test_closing_a_finding_rescores_the_open_month(
    inspection, county_user, unit_user, django_capture_on_commit_callbacks, clock
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import at
    from tests.inspections.conftest import PNG

    county = inspection.project.county
    target(county, year=2024)
    clock.move_to(at(2024, 4, 2, 9))
    sub = filled_submission(county, county_user, month=3, year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        finding = services.add_finding(
            inspection,
            user=county_user,
            description="问题",
            severity="minor",
            responsible_role="contractor",
            deadline=D(2024, 3, 20),
        )
    assert a1_score(sub) == 0
    rectification.answer_notice(
        finding.notice, user=unit_user, answer="已整改", files=[SimpleUploadedFile("a.png", PNG)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        rectification.close_notice(finding.notice, user=county_user, closed_on=D(2024, 3, 19))
    assert a1_score(sub) == 4


def test_the_daily_task_rescores_the_open_month_when_a_deadline_passes(county, county_user, clock):
    from inspections.notices import send_reminders
    from tests.conftest import at

    target(county, year=2024)
    sub = filled_submission(county, county_user, month=3, year=2024)
    make_notice(county, deadline=D(2024, 3, 20))
    assert a1_score(sub) == 4  # stored before the deadline
    clock.move_to(at(2024, 3, 21, 8, 30))
    send_reminders()
    assert a1_score(sub) == 0


def test_the_a1_page_shows_the_notices_and_only_the_city_overrides(client, county, county_user, colleague, city_admin):
    notice = make_notice(county, deadline=D(2024, 3, 20))
    url = f"/inspections/a1/{county.pk}/2024/3/"
    client.force_login(county_user)
    page = client.get(url).content.decode()
    assert notice.number in page and "逾期未整改" in page and "保存认定" not in page
    assert client.post(url, {"value": "1", "reason": "x"}).status_code == 403
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    client.force_login(city_admin)
    assert client.post(url, {"value": "1", "reason": ""}).status_code == 400
    assert client.post(url, {"value": "1", "reason": "已核实"}).status_code == 302
    assert "市局认定：是" in client.get(url).content.decode()


# --- the veto -------------------------------------------------------------------------------------
def test_an_overdue_finding_opens_the_jingpin_veto_for_that_project_only(county, clock):
    from evaluation.choices import VetoKind
    from evaluation.models import VetoItem
    from evaluation.services import veto_findings

    VetoItem.objects.get_or_create(kind=VetoKind.OVERDUE_FINDING, defaults={"name": "“双随机”检查发现问题逾期未整改"})
    overdue = make_notice(county, deadline=D(2024, 3, 1))
    not_due = make_notice(county, deadline=D(2024, 3, 30))
    closed = make_notice(county, deadline=D(2024, 3, 1), status=CLOSED, closed_on=D(2024, 3, 1))
    project = overdue.finding.inspection.project
    findings = veto_findings(project, on_date=D(2024, 3, 12))
    assert [f["kind"] for f in findings] == [VetoKind.OVERDUE_FINDING]
    assert overdue.number in findings[0]["details"][0]
    assert veto_findings(not_due.finding.inspection.project, on_date=D(2024, 3, 12)) == []
    assert veto_findings(closed.finding.inspection.project, on_date=D(2024, 3, 12)) == []
    assert veto_findings(not_due.finding.inspection.project, on_date=D(2024, 3, 31))  # once it is overdue


def test_escalation_keeps_the_veto_through_the_constraint_record(inspection, county_user, clock):
    from evaluation.choices import VetoKind
    from evaluation.models import VetoItem
    from evaluation.services import veto_findings
    from tests.conftest import at

    VetoItem.objects.get_or_create(kind=VetoKind.OPEN_CONSTRAINT, defaults={"name": "存在未整改的约束记录"})
    notice = services.add_finding(
        inspection,
        user=county_user,
        description="问题",
        severity="minor",
        responsible_role="contractor",
        deadline=D(2024, 3, 20),
    ).notice
    clock.move_to(at(2024, 3, 25, 9))
    rectification.escalate_notice(notice, user=county_user)
    kinds = [f["kind"] for f in veto_findings(inspection.project, on_date=D(2024, 3, 25))]
    assert VetoKind.OPEN_CONSTRAINT in kinds
