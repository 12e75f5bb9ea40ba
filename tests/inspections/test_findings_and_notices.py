"""Findings, 整改通知单, the unit's answer with evidence, closure and escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import rectification, services
from inspections.models import Attachment, NoticeStatus, RectificationNotice
from notifications.models import Notification
from projects.choices import ConstraintStatus
from projects.models import ConstraintRecord
from tests.conftest import at
from tests.factories import UserFactory
from tests.inspections.conftest import PNG


def photo(name="整改后.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def add(inspection, user, **kw):
    data = {
        "description": "二层楼板钢筋保护层厚度不足",
        "severity": "serious",
        "responsible_role": "contractor",
        "deadline": dt.date(2024, 3, 20),
    }
    data.update(kw)
    return services.add_finding(inspection, user=user, **data)


def test_a_finding_issues_a_notice_to_the_responsible_role_and_notifies_its_users(
    inspection, county_user, contractor, unit_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finding = add(inspection, county_user, files=[photo("现场.png")])
    notice = finding.notice
    assert finding.participant.enterprise == contractor
    assert notice.status == NoticeStatus.ISSUED and notice.issued_on == dt.date(2024, 3, 5)
    assert notice.number.startswith("ZG2024")
    assert finding.attachments.get().kind == Attachment.Kind.FINDING
    note = Notification.objects.get(recipient=unit_user)
    assert notice.number in note.title and "2024年03月20日" in note.body


def test_a_role_the_project_lacks_is_refused(inspection, county_user):
    with pytest.raises(ValidationError) as exc:
        add(inspection, county_user, responsible_role="design")
    assert "没有登记设计单位" in exc.value.message_dict["responsible_role"][0]
    assert not RectificationNotice.objects.exists()


def test_a_fake_photo_is_refused_and_nothing_is_written(inspection, county_user):
    fake = SimpleUploadedFile("现场.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        add(inspection, county_user, files=[fake])
    assert "无法识别文件内容" in str(exc.value)
    from inspections.models import Finding

    assert not Finding.objects.exists() and not RectificationNotice.objects.exists()


def test_a_deadline_before_the_inspection_or_over_a_year_after_it_is_refused(inspection, county_user):
    with pytest.raises(ValidationError, match="不能早于检查日期"):
        add(inspection, county_user, deadline=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="不能超过检查日期后一年"):
        add(inspection, county_user, deadline=dt.date(9999, 12, 31))
    assert not RectificationNotice.objects.exists()


def test_the_unit_answers_with_evidence_and_the_inspector_closes(inspection, county_user, unit_user, clock):
    notice = add(inspection, county_user).notice
    with pytest.raises(ValidationError) as exc:
        rectification.answer_notice(notice, user=unit_user, answer="已整改")
    assert "佐证" in exc.value.message_dict["files"][0]
    with pytest.raises(ValidationError, match="尚未回复"):
        rectification.close_notice(notice, user=county_user)
    rectification.answer_notice(notice, user=unit_user, answer="已返工并复测保护层厚度。", files=[photo()])
    member = inspection.team.first().user
    notice = rectification.close_notice(notice, user=member, closed_on=dt.date(2024, 3, 11), note="复查合格")
    assert notice.status == NoticeStatus.CLOSED and notice.closed_on == dt.date(2024, 3, 11)
    assert notice.finding.attachments.filter(kind=Attachment.Kind.ANSWER).count() == 1
    with pytest.raises(ValidationError):
        rectification.answer_notice(notice, user=unit_user, answer="再次回复", files=[photo()])


def test_only_the_responsible_unit_answers(inspection, county_user, outsider, city_admin, projects):
    notice = add(inspection, county_user).notice
    from tests.projects_factories import ParticipantFactory

    supervisor = ParticipantFactory(project=inspection.project, role="supervisor").enterprise
    colleague_unit = UserFactory(role="unit_user", enterprise=supervisor, username="supervisor-user")
    for user in (outsider, city_admin, county_user, colleague_unit):
        with pytest.raises(PermissionDenied):
            rectification.answer_notice(notice, user=user, answer="x", files=[photo()])


def test_escalation_only_after_the_deadline_creates_a_constraint_record_and_records_the_penalty(
    inspection, county_user, clock
):
    notice = add(inspection, county_user, deadline=dt.date(2024, 3, 20)).notice
    with pytest.raises(ValidationError, match="未到"):
        rectification.escalate_notice(notice, user=county_user)
    clock.move_to(at(2024, 3, 25, 9))
    with pytest.raises(ValidationError) as exc:
        rectification.escalate_notice(notice, user=county_user, penalty_doc_no="", penalty_on=dt.date(2024, 3, 25))
    assert "penalty_doc_no" in exc.value.message_dict
    assert not ConstraintRecord.objects.exists()
    notice = rectification.escalate_notice(notice, user=county_user, note="责令停工整改")
    record = notice.constraint_record
    assert notice.status == NoticeStatus.ESCALATED
    assert record.status == ConstraintStatus.PENDING and record.participant == notice.finding.participant
    assert notice.number in record.description
    assert record.kind == "inspection_overdue" and record.get_kind_display() == "“双随机”检查问题逾期未整改"
    notice = rectification.record_penalty(
        notice, user=county_user, penalty_doc_no="晋市建罚字〔2024〕12号", penalty_on=dt.date(2024, 3, 25)
    )
    assert notice.penalised and notice.public_status == "已依法处罚"


def test_a_closed_notice_cannot_be_escalated(inspection, county_user, unit_user, clock):
    notice = add(inspection, county_user).notice
    rectification.answer_notice(notice, user=unit_user, answer="已整改", files=[photo()])
    rectification.close_notice(notice, user=county_user, closed_on=dt.date(2024, 3, 10))
    clock.move_to(at(2024, 4, 1, 9))
    with pytest.raises(ValidationError):
        rectification.escalate_notice(notice, user=county_user)


def test_findings_need_a_recorded_inspection(drawn, county_user):
    with pytest.raises(ValidationError, match="请先填写检查记录"):
        add(drawn.inspections.first(), county_user)


def test_reminders_three_days_before_and_when_overdue_are_sent_once(inspection, county_user, unit_user, clock):
    from inspections.notices import send_reminders

    add(inspection, county_user, deadline=dt.date(2024, 3, 20))
    assert send_reminders(dt.date(2024, 3, 16)) == 0
    assert send_reminders(dt.date(2024, 3, 17)) == 1
    assert send_reminders(dt.date(2024, 3, 18)) == 0  # already reminded
    assert send_reminders(dt.date(2024, 3, 21)) == 1
    assert send_reminders(dt.date(2024, 3, 22)) == 0
    titles = list(Notification.objects.filter(recipient=unit_user).values_list("title", flat=True))
    assert any("整改期限将至" in t for t in titles) and any("整改已逾期" in t for t in titles)
