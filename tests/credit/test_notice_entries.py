"""整改通知单 make their own 诚信档案 entries (issue 24: "overdue or escalated notices, 行政处罚 with 文号 … on-time
rectification"): an escalation −3, a 行政处罚 −5 with its 文号, a notice closed on time a 0-point good entry — and
the constraint record an escalation creates is not counted a second time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.models import CreditEntry, CreditStanding
from credit.services import reconcile
from inspections import a1, rectification, services
from tests.conftest import at
from tests.inspections import conftest as inspections_fixtures
from tests.projects_factories import ConstraintRecordFactory

pytestmark = pytest.mark.django_db
PNG = inspections_fixtures.PNG

# The inspections tests' fixtures: a drawn plan of six projects with one general contractor (and its unit user),
# a recorded inspection on 5 March 2024.
projects = inspections_fixtures.projects
contractor = inspections_fixtures.contractor
unit_user = inspections_fixtures.unit_user
roster = inspections_fixtures.roster
plan = inspections_fixtures.plan
drawn = inspections_fixtures.drawn
inspection = inspections_fixtures.inspection


def notice_for(inspection, user, deadline=dt.date(2024, 3, 20)):
    finding = services.add_finding(
        inspection,
        user=user,
        description="二层楼板钢筋保护层厚度不足",
        severity="serious",
        responsible_role="contractor",
        deadline=deadline,
    )
    return finding.notice


def answer(notice, unit_user):
    photo = SimpleUploadedFile("整改后.png", PNG, content_type="image/png")
    return rectification.answer_notice(notice, user=unit_user, answer="已返工并复测。", files=[photo])


def entries(**lookup):
    return CreditEntry.objects.filter(**lookup)


def score_of(enterprise):
    return CreditStanding.objects.get(enterprise=enterprise).score


def test_an_escalated_notice_is_minus_three_and_its_constraint_record_is_not_counted_again(
    inspection, county_user, contractor, clock
):
    notice = notice_for(inspection, county_user)
    assert not entries().exists()  # an open notice is no entry yet
    clock.move_to(at(2024, 3, 25, 9))
    notice = rectification.escalate_notice(notice, user=county_user, note="责令停工整改")
    entry = entries(source_type="notice").get()
    assert (entry.enterprise, entry.behaviour, entry.points) == (contractor, "notice_escalated", Decimal("-3"))
    assert entry.occurred_on == dt.date(2024, 3, 25) and entry.valid_until == dt.date(2025, 3, 24)
    assert entry.document_no == notice.number
    assert notice.number in entry.title and inspection.project.name in entry.title
    assert entry.source_url == f"/inspections/notices/{notice.pk}/"
    assert (entry.project_id, entry.county_id) == (inspection.project_id, inspection.project.county_id)
    assert notice.constraint_record is not None
    assert not entries(source_type="constraint").exists()  # the record the escalation made: counted once
    assert score_of(contractor) == Decimal("97")
    assert reconcile(dt.date(2024, 3, 25)) == 0  # reading every source again changes nothing
    assert list(entries().values_list("behaviour", flat=True)) == ["notice_escalated"]


def test_a_constraint_record_linked_to_a_notice_afterwards_loses_its_own_entry(inspection, county_user, clock):
    notice = notice_for(inspection, county_user)
    record = ConstraintRecordFactory(participant=notice.finding.participant, kind="inspection_overdue")
    assert entries(source_type="constraint", source_id=record.pk).exists()
    notice.constraint_record = record
    notice.save()
    assert not entries(source_type="constraint").exists()
    notice.delete()  # the notice gone, the record counts on its own again
    assert entries(source_type="constraint", source_id=record.pk).exists()


def test_a_penalty_with_its_document_number_is_minus_five(inspection, county_user, contractor, clock):
    notice = notice_for(inspection, county_user)
    clock.move_to(at(2024, 3, 25, 9))
    rectification.escalate_notice(
        notice,
        user=county_user,
        penalty_doc_no="晋市建罚决字〔2024〕12号",
        penalty_on=dt.date(2024, 3, 24),
        penalty_note="罚款人民币贰万元",
    )
    penalty = entries(behaviour="penalty").get()
    assert (penalty.enterprise, penalty.points, penalty.document_no) == (
        contractor,
        Decimal("-5"),
        "晋市建罚决字〔2024〕12号",
    )
    assert penalty.occurred_on == dt.date(2024, 3, 24)
    assert "罚款人民币贰万元" in penalty.title
    assert entries(behaviour="notice_escalated").exists()
    assert score_of(contractor) == Decimal("92")


def test_a_penalty_recorded_later_is_added_on_its_own_date(inspection, county_user, contractor, clock):
    notice = notice_for(inspection, county_user)
    clock.move_to(at(2024, 3, 25, 9))
    notice = rectification.escalate_notice(notice, user=county_user)
    assert not entries(behaviour="penalty").exists()
    clock.move_to(at(2024, 4, 10, 9))
    rectification.record_penalty(
        notice, user=county_user, penalty_doc_no="晋市建罚决字〔2024〕30号", penalty_on=dt.date(2024, 4, 8)
    )
    penalty = entries(behaviour="penalty").get()
    assert (penalty.document_no, penalty.occurred_on) == ("晋市建罚决字〔2024〕30号", dt.date(2024, 4, 8))
    assert score_of(contractor) == Decimal("92")


def test_a_notice_closed_on_time_is_a_good_entry_worth_nothing(inspection, county_user, contractor, unit_user, clock):
    notice = answer(notice_for(inspection, county_user), unit_user)
    notice = rectification.close_notice(notice, user=county_user, closed_on=dt.date(2024, 3, 11))
    entry = entries(source_type="notice").get()
    assert (entry.enterprise, entry.behaviour, entry.polarity) == (contractor, "on_time_rectification", "good")
    assert entry.points == Decimal("0") and entry.occurred_on == dt.date(2024, 3, 11)
    assert entry.document_no == notice.number
    assert score_of(contractor) == Decimal("100")


def test_a_notice_closed_late_is_no_entry(inspection, county_user, unit_user, clock):
    notice = answer(notice_for(inspection, county_user, deadline=dt.date(2024, 3, 8)), unit_user)  # answered 3-12
    notice = rectification.close_notice(notice, user=county_user, closed_on=dt.date(2024, 3, 12))
    assert a1.outcome(notice, dt.date(2024, 3, 31)) == a1.LATE
    assert not entries().exists()


def test_a_paper_answer_received_by_the_deadline_is_on_time_by_the_same_rule(inspection, county_user, clock):
    notice = notice_for(inspection, county_user, deadline=dt.date(2024, 3, 8))
    scan = SimpleUploadedFile("书面回复.png", PNG, content_type="image/png")
    rectification.record_paper_answer(
        notice, user=county_user, answer="已整改（书面回复）。", received_on=dt.date(2024, 3, 7), files=[scan]
    )
    rectification.close_notice(notice, user=county_user, closed_on=dt.date(2024, 3, 12))  # verified after the deadline
    assert list(entries().values_list("behaviour", "occurred_on")) == [("on_time_rectification", dt.date(2024, 3, 12))]
