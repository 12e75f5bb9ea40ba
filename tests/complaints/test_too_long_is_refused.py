"""Issue 28 (item 7): a too-long value is refused with a Chinese message and nothing is saved — never cut short."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import services
from complaints.choices import Status
from complaints.models import Complaint, ComplaintEvent
from disclosure.models import ProjectDisclosure
from tests.conftest import at
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db


def test_the_public_form_refuses_a_name_longer_than_fifty_characters_and_files_nothing(client, county, county_user):
    project = disclosed_project(county, county_user)
    data = {
        "project": ProjectDisclosure.objects.get(project=project).public_id,
        "category": "quality",
        "description": "外墙保温层大面积空鼓，部分已脱落。",
        "name": "李" * 51,
        "phone": "13900001111",
    }
    response = client.post(reverse("complaints:public-new"), data)
    assert response.status_code == 400 and not Complaint.objects.exists()
    assert "50" in response.content.decode()


def enter(user, county, **kw):
    data = dict(
        channel="phone",
        received_on=dt.date(2030, 9, 27),
        category="safety",
        description="工地夜间塔吊作业无人指挥。",
        county=county,
        address="泽州路与凤台街交叉口",
        name="李女士",
        phone="13800001111",
    )
    return services.enter_complaint(user=user, **{**data, **kw})


def test_a_staff_entry_with_a_too_long_work_order_number_or_name_is_refused_not_cut(county, county_user, clock):
    clock.move_to(at(2030, 10, 7, 9))
    with pytest.raises(ValidationError) as caught:
        enter(county_user, county, source_ref="G" * 61, name="王" * 51)
    assert caught.value.message_dict["source_ref"] == ["来文/工单编号不能超过60个字符。"]
    assert caught.value.message_dict["name"] == ["投诉人姓名不能超过50个字符。"]
    assert not Complaint.objects.exists()
    complaint, _ = enter(county_user, county, source_ref="G" * 60, name="王" * 50)
    assert complaint.source_ref == "G" * 60 and complaint.complainant_name == "王" * 50


def test_a_too_long_note_to_accept_leaves_the_complaint_as_it_was(county, county_user, clock):
    clock.move_to(at(2030, 10, 7, 9))
    complaint, _ = enter(county_user, county)
    events = ComplaintEvent.objects.count()
    with pytest.raises(ValidationError, match="说明不能超过1000个字符"):
        services.accept(complaint, user=county_user, note="已" * 1001)
    complaint.refresh_from_db()
    assert complaint.status == Status.PENDING and ComplaintEvent.objects.count() == events
    assert services.accept(complaint, user=county_user, note="已" * 1000).status == Status.ACCEPTED
