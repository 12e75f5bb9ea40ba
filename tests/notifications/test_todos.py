"""The to-do inbox (待办): opened once per key, closed by the action, overdue by the pinned clock, only the
user's own (page, API, dashboard), counted in the bell apart from information notices, first on the dashboard."""

import pytest
from django.core.cache import cache

from notifications.models import Todo
from notifications.services import close_todos, notify, open_todo, todo_counts
from tests.conftest import api_client_for, at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = ("projects.monthlyreport", 41)


def _todo(user, title="审核项目月报", deadline=None, subject=SUBJECT, kind=Todo.Kind.REPORT_REVIEW, key=""):
    if key and subject is SUBJECT:
        subject = ("projects.monthlyreport", key)  # one open to-do per user, kind and subject
    open_todo([user], kind, subject, title, "/projects/reports/41/", deadline, key=key)
    return Todo.objects.filter(user=user).latest("pk")


def test_a_to_do_opens_once_per_key_and_stays_closed_once_done(county_user):
    assert open_todo([county_user], Todo.Kind.REPORT_REVIEW, SUBJECT, "审核", "/x/", key="k1") == 1
    assert open_todo([county_user], Todo.Kind.REPORT_REVIEW, SUBJECT, "审核", "/x/", key="k1") == 0
    assert close_todos(SUBJECT, Todo.Kind.REPORT_REVIEW) == 1
    assert open_todo([county_user], Todo.Kind.REPORT_REVIEW, SUBJECT, "审核", "/x/", key="k1") == 0  # a late retry
    assert Todo.objects.get().done_at is not None


def test_never_two_open_to_dos_of_one_kind_and_subject_for_a_user(county_user):
    assert open_todo([county_user], Todo.Kind.REPORT_REVIEW, SUBJECT, "审核", "/x/", key="task-key") == 1
    assert open_todo([county_user], Todo.Kind.REPORT_REVIEW, SUBJECT, "审核", "/x/", key="backfill-key") == 0
    assert open_todo([county_user], Todo.Kind.REPORT_RESUBMIT, SUBJECT, "修改", "/x/", key="other-kind") == 1


def test_close_todos_closes_only_its_subject_kind_and_users(county_user, colleague):
    _todo(county_user)
    _todo(colleague)
    _todo(county_user, subject=("projects.monthlyreport", 42))
    _todo(county_user, kind=Todo.Kind.REPORT_RESUBMIT)
    assert close_todos(SUBJECT, Todo.Kind.REPORT_REVIEW, users=county_user) == 1
    assert Todo.objects.open().count() == 3
    assert close_todos(SUBJECT) == 2
    assert list(Todo.objects.open().values_list("subject_id", flat=True)) == ["42"]


def test_a_date_deadline_is_due_at_the_end_of_that_day_and_overdue_after_it(county_user, clock):
    import datetime as dt

    todo = _todo(county_user, deadline=dt.date(2024, 6, 20))
    assert todo.deadline == at(2024, 6, 20, 23, 59, 59)
    clock.move_to(at(2024, 6, 20, 23, 0))
    assert not todo.is_overdue() and todo_counts(county_user)["overdue"] == 0
    clock.move_to(at(2024, 6, 21, 0, 1))
    assert todo.is_overdue() and todo_counts(county_user)["overdue"] == 1
    close_todos(SUBJECT)
    todo.refresh_from_db()
    assert not todo.is_overdue()  # a done to-do is never overdue


def test_the_page_lists_own_open_to_dos_with_the_overdue_badge(client, county_user, colleague, clock):
    clock.move_to(at(2024, 6, 25, 9))
    _todo(county_user, "逾期的月报审核", deadline=at(2024, 6, 20, 18), key="a")
    _todo(county_user, "未到期的月报审核", deadline=at(2024, 7, 20, 18), key="b")
    _todo(colleague, "阳城县的待办", key="c")
    client.force_login(county_user)
    html = client.get("/reports/notifications/todos/").content.decode()
    assert "逾期的月报审核" in html and "未到期的月报审核" in html and "阳城县的待办" not in html
    assert html.count('data-testid="todo-overdue"') == 1
    assert html.index("逾期的月报审核") < html.index("未到期的月报审核")  # by deadline
    assert 'href="/projects/reports/41/"' in html


def test_the_page_shows_a_page_of_open_to_dos_with_the_total_and_the_overdue_count(client, county_user, clock):
    clock.move_to(at(2024, 6, 25, 9))
    for n in range(7):
        due = at(2024, 6, 20 + n, 18)  # 20–24 passed, 25 18:00 and 26 still ahead
        _todo(county_user, f"月报审核第{n}号", deadline=due, subject=("projects.monthlyreport", 100 + n))
    done = _todo(county_user, "已办的", subject=("projects.monthlyreport", 200))
    Todo.objects.filter(pk=done.pk).update(done_at=at(2024, 6, 24, 9))
    client.force_login(county_user)
    first = client.get("/reports/notifications/todos/?page_size=3").content.decode()
    assert "共 7 项待办" in first and "5 项已逾期" in first
    assert [n for n in range(7) if f"月报审核第{n}号" in first] == [0, 1, 2]  # by deadline, three a page
    assert "共 7 条，第 1 / 3 页" in first and "已办的" in first
    last = client.get("/reports/notifications/todos/?page_size=3&page=99").content.decode()  # clamped
    assert [n for n in range(7) if f"月报审核第{n}号" in last] == [6] and "已办的" not in last
    assert client.get("/reports/notifications/todos/?page_size=abc").status_code == 200


def test_the_api_lists_only_own_to_dos_read_only(county_user, colleague, clock, django_assert_max_num_queries):
    clock.move_to(at(2024, 6, 25, 9))
    _todo(county_user, "我的待办", deadline=at(2024, 6, 20, 18), key="a")
    done = _todo(county_user, "已办的", key="b")
    Todo.objects.filter(pk=done.pk).update(done_at=at(2024, 6, 24, 9))
    other = _todo(colleague, "别人的", key="c")
    client = api_client_for(county_user)
    with django_assert_max_num_queries(4):
        rows = client.get("/api/v1/todos/").json()["results"]
    assert [r["title"] for r in rows] == ["我的待办", "已办的"]  # open ones first
    assert rows[0]["overdue"] is True and rows[0]["kind_display"] == "审核项目月报" and rows[1]["overdue"] is False
    assert [r["title"] for r in client.get("/api/v1/todos/?done=false").json()["results"]] == ["我的待办"]
    assert [r["title"] for r in client.get("/api/v1/todos/?done=true").json()["results"]] == ["已办的"]
    assert client.get(f"/api/v1/todos/{other.pk}/").status_code == 404
    assert client.post("/api/v1/todos/", {"title": "x"}).status_code in (403, 405)
    assert client.delete(f"/api/v1/todos/{rows[0]['id']}/").status_code in (403, 405)
    assert api_client_for(UserFactory(role="city_admin")).delete(f"/api/v1/todos/{rows[0]['id']}/").status_code == 405
    assert Todo.objects.count() == 3
    assert api_client_for(None).get("/api/v1/todos/").status_code in (401, 403)


def test_the_bell_counts_to_dos_apart_from_unread_notices(client, county_user, clock):
    clock.move_to(at(2024, 6, 25, 9))
    _todo(county_user, deadline=at(2024, 6, 20, 18), key="a")
    _todo(county_user, key="b")
    notify([county_user], "info:1", "考评已发布")
    client.force_login(county_user)
    html = client.get("/").content.decode()
    assert 'data-testid="todo-count">2<' in html and 'text-bg-danger ms-1" data-testid="todo-count"' in html
    assert 'data-testid="unread-count">1<' in html
    close_todos(("projects.monthlyreport", "a"))
    close_todos(("projects.monthlyreport", "b"))
    html = client.get("/").content.decode()
    assert 'data-testid="todo-count"' not in html and 'data-testid="unread-count">1<' in html


def test_the_dashboard_shows_the_to_dos_first_and_never_another_users(client, county, county_user, settings):
    settings.DASHBOARD_CACHE_SECONDS = 600  # the other panels are cached per scope: this one must not be
    cache.clear()
    mate = UserFactory(role="county_staff", region=county, username="mate")  # same scope as county_user
    _todo(county_user, "本人的月报审核", key="a")
    client.force_login(county_user)
    html = client.get("/").content.decode()
    assert "本人的月报审核" in html
    assert html.index('data-testid="todo-panel"') < html.index("项目概况")
    client.force_login(mate)
    html = client.get("/").content.decode()
    assert "本人的月报审核" not in html and 'data-testid="todo-panel"' not in html
    _todo(mate, "同事的待办", key="b")
    html = client.get("/").content.decode()
    assert "同事的待办" in html and "本人的月报审核" not in html
