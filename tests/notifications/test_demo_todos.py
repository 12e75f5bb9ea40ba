"""The demo's to-dos follow its data: every submitted report waits in its county's inbox, every returned one in
its unit's, pending complaints and unsent months in the county's, unscored sheets in the experts'; none for a
thing already done; the seed's to-do step opens nothing more when run again."""

import pytest

from accounts.models import User
from complaints.models import Complaint
from notifications.models import Todo
from notifications.services import sync_all_todos
from projects.choices import ReportStatus
from projects.models import MonthlyReport

pytestmark = pytest.mark.django_db


def _subjects(kind, **filters):
    return set(Todo.objects.open().filter(kind=kind, **filters).values_list("subject_id", flat=True))


def test_the_demo_to_dos_match_the_demo_state(demo_data):
    submitted = MonthlyReport.objects.filter(status=ReportStatus.SUBMITTED)
    assert submitted.exists()
    assert _subjects(Todo.Kind.REPORT_REVIEW) == {str(pk) for pk in submitted.values_list("pk", flat=True)}
    for report in submitted.select_related("project"):
        staff = User.objects.filter(role="county_staff", region_id=report.project.county_id, is_active=True)
        assert set(
            Todo.objects.open()
            .filter(subject_id=str(report.pk), kind=Todo.Kind.REPORT_REVIEW)
            .values_list("user", flat=True)
        ) == set(staff.values_list("pk", flat=True))
    with_login = User.objects.filter(role="unit_user", is_active=True).values("enterprise_id")
    returned = MonthlyReport.objects.filter(status=ReportStatus.RETURNED, enterprise_id__in=with_login)
    assert returned.exists()  # (a unit without a login has no inbox)
    assert _subjects(Todo.Kind.REPORT_RESUBMIT) == {str(pk) for pk in returned.values_list("pk", flat=True)}
    pending = Complaint.objects.filter(status="pending").values_list("pk", flat=True)
    assert _subjects(Todo.Kind.COMPLAINT_ACCEPT) == {str(pk) for pk in pending}
    gaoping = User.objects.get(username="gaoping")
    assert Todo.objects.open().filter(user=gaoping, kind=Todo.Kind.ASSESSMENT_SUBMIT).count() == 1
    assert Todo.objects.open().filter(kind=Todo.Kind.SCORE_SHEET).exists()
    for todo in Todo.objects.open().filter(kind__in=[Todo.Kind.REPORT_REVIEW, Todo.Kind.COMPLAINT_ACCEPT]):
        assert todo.user.is_county_staff
    assert sum(sync_all_todos().values()) == 0  # idempotent


def test_a_demo_county_user_sees_the_to_dos_first_on_the_dashboard(demo_data, client):
    client.force_login(User.objects.get(username="gaoping"))
    html = client.get("/").content.decode()
    assert html.index('data-testid="todo-panel"') < html.index("项目概况")
    assert "报送2024年3月月度考评材料" in html
