"""规定办理时限 (seed 001 二(六)2) with 延期: the handler asks for a later 办结 deadline with a reason, the city approves
or refuses (audited); an approved extension moves the deadline visibly (the original stays on the page and the
citizen's status page shows the new one), and 按期办结 is judged against it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import analysis, services
from complaints.models import Complaint, ComplaintEvent, Extension
from tests.complaints.factories import file_complaint
from tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date
ORIGINAL_DUE = D(2030, 3, 25)  # accepted Monday 4 March 2030 + 15 working days
REASON = "需委托第三方检测机构对外墙保温层进行检测，检测周期约20天"


@pytest.fixture
def accepted(clock, county, county_user):
    clock.move_to(at(2030, 3, 4, 9))
    complaint, secret = file_complaint(county)
    complaint = services.accept(complaint, user=county_user)
    complaint = services.start_investigation(complaint, user=county_user)
    assert complaint.close_due == ORIGINAL_DUE
    complaint.secret = secret
    return complaint


def test_approved_extension_to_15_april_moves_the_deadline_and_keeps_the_original(
    client, clock, accepted, county_user, city_admin
):
    clock.move_to(at(2030, 3, 20, 9))
    extension = services.request_extension(accepted, user=county_user, new_due=D(2030, 4, 15), reason=REASON)
    assert Complaint.objects.get(pk=accepted.pk).close_due == ORIGINAL_DUE  # not before the city approves
    services.decide_extension(extension, user=city_admin, approve=True, note="同意")
    complaint = Complaint.objects.get(pk=accepted.pk)
    assert (complaint.close_due, complaint.close_due_original) == (D(2030, 4, 15), ORIGINAL_DUE)
    actions = list(complaint.events.values_list("action", flat=True))
    assert actions[-2:] == [ComplaintEvent.Action.EXTEND_REQUEST, ComplaintEvent.Action.EXTEND_APPROVE]
    client.force_login(county_user)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "经批准延期" in html and "2030-04-15" in html and "2030-03-25" in html and REASON in html
    client.logout()
    html = client.post(
        reverse("complaints:public-status"), {"tracking_no": complaint.tracking_no, "secret": accepted.secret}
    ).content.decode()
    assert "2030-04-15" in html and "经批准延期" in html
    # closed on 10 April: after the original deadline, before the extended one → on time
    clock.move_to(at(2030, 4, 10, 9))
    complaint = services.close(complaint, user=county_user, findings="已检测", reply="已整改", substantiated="no")
    assert not complaint.closed_late
    assert analysis.timeliness(Complaint.objects.all(), 2030, D(2030, 6, 1)).close.percent == 100


def test_refused_extension_leaves_the_deadline_and_needs_a_reason(clock, accepted, county_user, city_admin):
    extension = services.request_extension(accepted, user=county_user, new_due=D(2030, 4, 15), reason=REASON)
    with pytest.raises(ValidationError, match="不批准延期须填写理由"):
        services.decide_extension(extension, user=city_admin, approve=False)
    services.decide_extension(extension, user=city_admin, approve=False, note="检测可同步进行，不予延期")
    complaint = Complaint.objects.get(pk=accepted.pk)
    assert complaint.close_due == ORIGINAL_DUE and complaint.close_due_original is None
    assert Extension.objects.get().state == Extension.State.REFUSED
    clock.move_to(at(2030, 4, 10, 9))
    complaint = services.close(complaint, user=county_user, findings="已检测", reply="已整改", substantiated="no")
    assert complaint.closed_late


def test_bad_requests_change_nothing(accepted, county_user, city_admin):
    cases = [
        (dict(new_due=D(2030, 4, 15), reason="  "), "请填写延期理由"),
        (dict(new_due=ORIGINAL_DUE, reason=REASON), "须晚于当前办结时限（2030-03-25）"),
        (dict(new_due=None, reason=REASON), "请填写申请延至的日期"),
        (dict(new_due=D(2032, 1, 1), reason=REASON), "不能晚于一年后"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.request_extension(accepted, user=county_user, **kwargs)
    assert not Extension.objects.exists()
    services.request_extension(accepted, user=county_user, new_due=D(2030, 4, 15), reason=REASON)
    with pytest.raises(ValidationError, match="已有一项延期申请待市局审批"):
        services.request_extension(accepted, user=county_user, new_due=D(2030, 4, 20), reason=REASON)
    assert Extension.objects.count() == 1


def test_only_the_city_decides_and_only_the_handler_asks(accepted, county_user, colleague, city_admin):
    extension = services.request_extension(accepted, user=county_user, new_due=D(2030, 4, 15), reason=REASON)
    with pytest.raises(PermissionDenied):
        services.decide_extension(extension, user=county_user, approve=True)
    with pytest.raises(PermissionDenied):
        services.request_extension(accepted, user=colleague, new_due=D(2030, 4, 20), reason=REASON)
    assert Complaint.objects.get(pk=accepted.pk).close_due == ORIGINAL_DUE


def test_web_request_and_approval_redirect(client, accepted, county_user, city_admin):
    client.force_login(county_user)
    url = reverse("complaints:action", args=[accepted.pk, "extend"])
    response = client.post(url, {"new_due": "2030-04-15", "reason": REASON})
    assert response.status_code == 302 and Extension.objects.get().state == Extension.State.PENDING
    client.force_login(city_admin)
    html = client.get(reverse("complaints:detail", args=[accepted.pk])).content.decode()
    assert 'data-testid="extension-approve"' in html
    url = reverse("complaints:action", args=[accepted.pk, "extension-decide"])
    assert client.post(url, {"approve": "yes", "note": "同意"}).status_code == 302
    assert Complaint.objects.get(pk=accepted.pk).close_due == D(2030, 4, 15)


def test_api_request_and_decision(api, accepted, county_user, city_admin):
    api.force_authenticate(county_user)
    response = api.post(f"/api/v1/complaints/{accepted.pk}/extend/", {"new_due": "2030-04-15", "reason": REASON})
    assert response.status_code == 200, response.content
    assert response.json()["extensions"][0]["state"] == "pending"
    bad = api.post(f"/api/v1/complaints/{accepted.pk}/extension-decision/", {"approve": True}, format="json")
    assert bad.status_code == 403
    api.force_authenticate(city_admin)
    response = api.post(f"/api/v1/complaints/{accepted.pk}/extension-decision/", {"approve": True}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["close_due"], body["close_due_original"]) == ("2030-04-15", "2030-03-25")
    again = api.post(f"/api/v1/complaints/{accepted.pk}/extension-decision/", {"approve": True}, format="json")
    assert again.status_code == 400 and "没有待审批的延期申请" in again.content.decode()


def test_an_approved_extension_clears_the_overdue_flag_and_moves_the_todo(
    clock, accepted, county_user, city_admin, django_capture_on_commit_callbacks
):
    from notifications.models import Todo

    clock.move_to(at(2030, 3, 26, 9))
    services.flag_overdue(D(2030, 3, 26))
    assert Complaint.objects.get(pk=accepted.pk).overdue_stage == "close"
    extension = services.request_extension(accepted, user=county_user, new_due=D(2030, 4, 15), reason=REASON)
    services.decide_extension(extension, user=city_admin, approve=True)
    complaint = Complaint.objects.get(pk=accepted.pk)
    assert complaint.overdue_stage == "" and not complaint.is_overdue(D(2030, 3, 26))
    todos = Todo.objects.open().filter(user=county_user, kind=Todo.Kind.COMPLAINT_CLOSE)
    assert [t.deadline.date() for t in todos] == [D(2030, 4, 15)]
