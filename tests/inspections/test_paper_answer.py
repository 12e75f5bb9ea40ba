"""The paper path: the county records (代录) the answer of a unit without a login, closes it on time, A1 holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from inspections import a1, public, rectification, services
from inspections.exports import NOTICE_COLUMNS
from inspections.models import Attachment, NoticeStatus
from tests.conftest import api_client_for, at
from tests.factories import UserFactory
from tests.inspections.conftest import PNG

D = dt.date


def scan(name="书面回复扫描件.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def notice(inspection, county_user, contractor):
    """A notice (issued 5 March 2024, due 20 March) to a contractor that has no login at all."""
    assert not User.objects.filter(enterprise=contractor).exists()
    finding = services.add_finding(
        inspection,
        user=county_user,
        description="二层楼板钢筋保护层厚度不足",
        severity="serious",
        responsible_role="contractor",
        deadline=D(2024, 3, 20),
    )
    return finding.notice


def test_before_the_paper_path_a_notice_to_a_unit_without_login_could_only_end_overdue(notice, county_user, clock):
    clock.move_to(at(2024, 3, 25, 9))
    with pytest.raises(ValidationError, match="尚未回复"):
        rectification.close_notice(notice, user=county_user, closed_on=D(2024, 3, 18))
    assert a1.a1_fact(notice.finding.inspection.project.county_id, 2024, 3).computed is False


def test_the_county_records_the_paper_answer_received_in_time_and_closes_it_on_time_so_a1_holds(
    notice, county_user, clock
):
    county_id = notice.finding.inspection.project.county_id
    clock.move_to(at(2024, 3, 25, 9))  # typed in five days after the deadline; the reply arrived on 18 March
    notice = rectification.record_paper_answer(
        notice, user=county_user, answer="已返工，书面回复见扫描件。", received_on=D(2024, 3, 18), files=[scan()]
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ANSWERED and notice.answer_by_proxy
    assert notice.answered_by == county_user and notice.answer_received_on == D(2024, 3, 18)
    assert notice.answered_on == D(2024, 3, 18)
    assert notice.finding.attachments.get(kind=Attachment.Kind.ANSWER).original_name == "书面回复扫描件.png"
    notice = rectification.close_notice(notice, user=county_user, closed_on=D(2024, 3, 25), note="书面回复经复查属实")
    assert a1.outcome(notice, D(2024, 3, 31)) == a1.ON_TIME and notice.public_status == "已整改（代录）"
    fact = a1.a1_fact(county_id, 2024, 3)
    assert fact.computed is True and fact.failing == []


def test_a_paper_answer_received_after_the_deadline_and_closed_late_is_late(notice, county_user, clock):
    clock.move_to(at(2024, 3, 28, 9))
    rectification.record_paper_answer(
        notice, user=county_user, answer="已整改", received_on=D(2024, 3, 26), channel="site", files=[scan()]
    )
    notice = rectification.close_notice(notice, user=county_user, closed_on=D(2024, 3, 26))
    assert notice.get_answer_channel_display() == "现场复查（代录）"
    assert a1.outcome(notice, D(2024, 3, 31)) == a1.LATE
    assert a1.a1_fact(notice.finding.inspection.project.county_id, 2024, 3).computed is False


def test_a_received_date_in_the_future_or_before_the_notice_is_refused_in_chinese(notice, county_user, clock):
    clock.move_to(at(2024, 3, 15, 9))
    for received_on, message in (
        (D(2024, 3, 16), "回复收到日期不能晚于今天。"),
        (D(2024, 3, 4), "回复收到日期不能早于通知下达日期（2024-03-05）。"),
        (None, "请填写回复收到日期。"),
    ):
        with pytest.raises(ValidationError) as exc:
            rectification.record_paper_answer(
                notice, user=county_user, answer="已整改", received_on=received_on, files=[scan()]
            )
        assert exc.value.message_dict["received_on"] == [message]
    with pytest.raises(ValidationError) as exc:
        rectification.record_paper_answer(notice, user=county_user, answer="已整改", received_on=D(2024, 3, 14))
    assert "扫描件" in exc.value.message_dict["files"][0]
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and not notice.answer and not notice.finding.attachments.exists()


def test_another_county_or_a_unit_user_cannot_record_a_paper_answer(notice, colleague, outsider, contractor, clock):
    unit = UserFactory(role="unit_user", enterprise=contractor, username="contractor-user")
    for user in (colleague, outsider, unit):
        with pytest.raises(PermissionDenied):
            rectification.record_paper_answer(notice, user=user, answer="x", received_on=D(2024, 3, 10), files=[scan()])
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


def test_the_notice_page_export_and_api_say_daiLu_and_who_recorded_it(notice, county_user, client, clock):
    clock.move_to(at(2024, 3, 19, 9))
    client.force_login(county_user)
    url = reverse("inspections:notice-paper-answer", args=[notice.pk])
    bad = client.post(url, {"channel": "paper", "received_on": "2024-03-25", "answer": "已整改", "files": [scan()]})
    assert bad.status_code == 400 and "回复收到日期不能晚于今天。" in bad.content.decode()
    response = client.post(
        url, {"channel": "paper", "received_on": "2024-03-18", "answer": "已整改完毕", "files": [scan()]}
    )
    assert response.status_code == 302
    page = client.get(reverse("inspections:notice-detail", args=[notice.pk])).content.decode()
    assert "代录" in page and "收到日期 2024-03-18" in page and county_user.display_name in page
    notice.refresh_from_db()
    values = {c.header: c.value(notice) for c in NOTICE_COLUMNS}
    assert values["回复方式"] == "书面回复（代录）" and values["回复人/代录人"] == county_user.display_name
    data = api_client_for(county_user).get(f"/api/v1/rectification-notices/{notice.pk}/").json()
    assert data["answer_by_proxy"] is True and data["answer_received_on"] == "2024-03-18"
    assert data["answered_by_name"] == county_user.display_name and data["status_display"] == "已回复（代录）"


def test_the_api_records_a_paper_answer_through_the_same_rules(notice, county_user, colleague, clock):
    clock.move_to(at(2024, 3, 19, 9))
    url = f"/api/v1/rectification-notices/{notice.pk}/paper-answer/"
    refused = api_client_for(county_user).post(
        url, {"received_on": "2024-03-30", "answer": "已整改", "files": [scan()]}, format="multipart"
    )
    assert refused.status_code == 400 and "不能晚于今天" in str(refused.json())
    other = {"received_on": "2024-03-18", "answer": "已整改", "files": [scan()]}
    assert api_client_for(colleague).post(url, other, format="multipart").status_code == 404
    done = api_client_for(county_user).post(
        url, {"received_on": "2024-03-18", "answer": "已整改", "files": [scan()]}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["answer_channel"] == "paper"


def test_the_public_results_say_the_answer_was_recorded_on_paper_and_on_time(notice, county_user, city_admin, clock):
    clock.move_to(at(2024, 3, 25, 9))
    rectification.record_paper_answer(
        notice, user=county_user, answer="已整改", received_on=D(2024, 3, 18), files=[scan()]
    )
    rectification.close_notice(notice, user=county_user, closed_on=D(2024, 3, 25))
    services.confirm_inspection(notice.finding.inspection, user=city_admin)
    [result] = public.public_results()
    assert [f["status"] for f in result["findings"]] == ["已整改（代录）"]
    assert county_user.display_name not in str(result)
