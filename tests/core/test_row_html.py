"""A list's row tag (core/rowhtml.py) writes the rows its old template loop wrote.

Each list page of the demo data is rendered, and its ``<tbody>`` is compared with the old loop (kept under
tests/core/rows/) rendered with the page's own context. Identical up to insignificant whitespace: the loops put
line breaks and indentation between rows and cells, the tags write none (whitespace inside a cell is kept as the
loop wrote it, collapsed to one space as HTML shows it)."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

ROWS = Path(__file__).resolve().parent / "rows"
COMPLAINT_LEDGER = "complaint_ledger.html"


def normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(</?(?:tbody|tr|td)\b[^>]*>)\s*", r"\1", html).strip()


def tbody(html: str, marker: str = "") -> str:
    start = html.index("<tbody>", html.index(marker) if marker else 0) + len("<tbody>")
    return html[start : html.index("</tbody>", start)]


def rendered_both_ways(user, url: str, reference: str, marker: str = "") -> tuple[str, str, int]:
    """The page's rows as the tag wrote them, the old loop's rows for the same context, and the row count."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context[0].flatten()
    context["request"] = response.wsgi_request
    context["user"] = user
    loop = engines["django"].from_string((ROWS / reference).read_text(encoding="utf-8")).render(context)
    page = tbody(response.content.decode(), marker)
    return normalised(page), normalised(loop), len(context["object_list"])


def user_with(**filters) -> User:
    user = User.objects.filter(is_active=True, **filters).order_by("pk").first()
    assert user is not None, filters
    return user


LISTS = [
    ("project_list.html", "/projects/list/?page_size=500", {"role": "city_admin"}, ""),
    ("project_list.html", "/projects/list/?q=没有这个项目", {"role": "city_admin"}, ""),
    ("report_list.html", "/projects/reports/?page_size=500", {"role": "city_admin"}, ""),
    ("report_list.html", "/projects/reports/?q=没有这个项目", {"role": "city_admin"}, ""),
    ("report_list.html", "/projects/reports/review/?page_size=500", {"role": "city_admin"}, ""),
    ("report_list.html", "/projects/reports/review/?q=没有这个项目", {"role": "city_admin"}, ""),
    ("record_list.html", "/awards/records/?page_size=500", {"role": "city_admin"}, ""),
    ("record_list.html", "/awards/records/?q=没有这个项目", {"role": "city_admin"}, ""),
    ("ledger.html", "/awards/ledger/?page_size=500", {"role": "city_admin"}, ""),
    ("ledger.html", "/awards/ledger/?q=没有这个单位", {"role": "city_admin"}, ""),
    ("submission_list.html", "/assessment/?page_size=500", {"role": "city_admin"}, ""),
    ("submission_list.html", "/assessment/?page_size=500", {"role": "county_staff"}, ""),
    ("submission_list.html", "/assessment/review/?page_size=500", {"role": "city_admin"}, ""),
    ("evaluation_list.html", "/evaluation/?page_size=500", {"role": "city_admin"}, ""),
    ("evaluation_list.html", "/evaluation/?page_size=500", {"role": "expert"}, ""),
    ("evaluation_list.html", "/evaluation/?q=没有这个项目", {"role": "city_admin"}, ""),
    ("enterprise_list.html", "/credit/enterprises/?page_size=500", {"role": "city_admin"}, ""),
    ("enterprise_list.html", "/credit/enterprises/?q=没有这个单位", {"role": "city_admin"}, ""),
]


@pytest.mark.parametrize(("reference", "url", "who", "marker"), LISTS)
def test_the_row_tag_writes_what_the_loop_wrote(demo_data, reference, url, who, marker):
    page, loop, count = rendered_both_ways(user_with(**who), url, reference, marker)
    assert page == loop
    assert page.count("<tr") == max(count, 1)


TRICKY = "<b>\"甲&乙'</b>"  # every character the escaping changes


def _cycle(model, values: list[dict], **filters):
    """Give the first objects of ``model`` the states in ``values``, one each (queryset updates, no signals)."""
    pks = list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[: len(values)])
    assert len(pks) == len(values), model
    for pk, changes in zip(pks, values, strict=True):
        model.objects.filter(pk=pk).update(**changes)


def test_every_state_and_escaping_in_the_project_and_report_rows(demo_data):
    from projects.choices import JingpinStatus, ReportStatus
    from projects.models import MonthlyReport, Project

    states = [{"jingpin_status": s, "green_pilot": i % 2 == 0} for i, s in enumerate(JingpinStatus.values)]
    _cycle(Project, [*states, {"name": TRICKY, "code": TRICKY, "government_invested": True, "total_investment": None}])
    _cycle(MonthlyReport, [{"status": s} for s in ReportStatus.values] + [{"prefab_area": "1234567.50"}])
    admin = user_with(role="city_admin")
    for reference, url in [
        ("project_list.html", "/projects/list/?page_size=500"),
        ("report_list.html", "/projects/reports/?page_size=500"),
        ("report_list.html", "/projects/reports/review/?page_size=500"),
    ]:
        page, loop, _ = rendered_both_ways(admin, url, reference)
        assert page == loop, url
    page, _, _ = rendered_both_ways(admin, "/projects/list/?page_size=500", "project_list.html")
    assert "&lt;b&gt;&quot;甲&amp;乙&#x27;&lt;/b&gt;" in page and TRICKY not in page
    assert all(f'data-status="{s}"' in page for s in JingpinStatus.values)


def test_every_state_in_the_submission_evaluation_and_award_rows(demo_data):
    from assessment.choices import Status
    from assessment.models import Submission
    from awards.models import AwardRecord
    from evaluation.choices import EvaluationResult, EvaluationStatus
    from evaluation.models import Evaluation

    _cycle(Submission, [{"status": s, "is_late": i % 2 == 1} for i, s in enumerate(Status.values)])
    combos = [
        {"status": EvaluationStatus.OPEN, "result": "", "demonstration": False, "total_score": None},
        {"status": EvaluationStatus.CLOSED, "result": EvaluationResult.PASSED, "demonstration": True},
        {"status": EvaluationStatus.CLOSED, "result": EvaluationResult.FAILED, "demonstration": False},
    ]
    _cycle(Evaluation, combos[: Evaluation.objects.count()])
    _cycle(AwardRecord, [{"document_no": TRICKY, "points": "2.50"}])
    for reference, url, who in [
        ("submission_list.html", "/assessment/?page_size=500", {"role": "city_admin"}),
        ("submission_list.html", "/assessment/?page_size=500", {"role": "county_staff"}),
        ("evaluation_list.html", "/evaluation/?page_size=500", {"role": "city_admin"}),
        ("evaluation_list.html", "/evaluation/?page_size=500", {"role": "expert"}),
        ("record_list.html", "/awards/records/?page_size=500", {"role": "city_admin"}),
        ("ledger.html", "/awards/ledger/?page_size=500", {"role": "city_admin"}),
        ("enterprise_list.html", "/credit/enterprises/?page_size=500", {"role": "city_admin"}),
    ]:
        page, loop, _ = rendered_both_ways(user_with(**who), url, reference)
        assert page == loop, (url, who)


@pytest.mark.parametrize(
    ("reference", "tag", "context"),
    [
        ("project_list.html", "{% load projects_ui %}{% project_rows object_list %}", {}),
        ("report_list.html", "{% load projects_ui %}{% report_rows object_list %}", {"review_queue": False}),
        ("report_list.html", "{% load projects_ui %}{% report_rows object_list %}", {"review_queue": True}),
        ("record_list.html", "{% load awards_ui %}{% record_rows object_list %}", {}),
        ("ledger.html", "{% load awards_ui %}{% ledger_rows object_list ledger.years|length %}", {"years": 3}),
        ("submission_list.html", "{% load assessment_ui %}{% submission_rows object_list %}", {}),
        ("evaluation_list.html", "{% load evaluation_tags %}{% evaluation_rows object_list %}", {}),
        ("enterprise_list.html", "{% load credit_grades %}{% enterprise_rows object_list %}", {}),
        (COMPLAINT_LEDGER, "{% load complaints_ui %}{% complaint_rows object_list %}", {}),
        ("user_list.html", "{% load accounts_ui %}{% user_rows object_list %}", {}),
    ],
)
def test_an_empty_page_gets_the_loops_empty_row(rf, reference, tag, context):
    context = {
        "object_list": [],
        "review_queue": context.get("review_queue", False),
        "ledger": {"years": [2021, 2022, 2023][: context.get("years", 0)]},
        "request": rf.get("/"),
    }
    engine = engines["django"]
    page = engine.from_string(tag).render(context)
    loop = engine.from_string((ROWS / reference).read_text(encoding="utf-8")).render(context)
    assert normalised(page) == normalised(loop)
    assert normalised(page).count("<tr>") == 1 and "没有" in page


@pytest.mark.parametrize(
    ("reference", "url", "who"),
    [
        (COMPLAINT_LEDGER, "/complaints/?page_size=500", {"role": "city_admin"}),
        (COMPLAINT_LEDGER, "/complaints/?page_size=500", {"role": "county_staff"}),
        (COMPLAINT_LEDGER, "/complaints/?q=没有这个投诉", {"role": "city_admin"}),
        ("user_list.html", "/accounts/users/?page_size=500", {"role": "city_admin"}),
        ("user_list.html", "/accounts/users/?page_size=500", {"role": "county_staff"}),
        ("user_list.html", "/accounts/users/?q=没有这个用户", {"role": "city_admin"}),
    ],
)
def test_the_complaint_and_user_row_tags_write_what_the_loops_wrote(demo_data, reference, url, who):
    page, loop, count = rendered_both_ways(user_with(**who), url, reference)
    assert page == loop
    assert page.count("<tr") == max(count, 1)


def test_every_status_deadline_and_escaping_in_the_complaint_and_user_rows(demo_data):
    import datetime as dt

    from django.utils import timezone

    from complaints.choices import Status
    from complaints.models import Complaint

    today = timezone.localdate()  # the demo clock's day
    before, after = today - dt.timedelta(days=2), today + dt.timedelta(days=5)
    _cycle(
        Complaint,
        [
            {"status": Status.PENDING, "accept_due": before, "accepted_late": False, "close_due_original": None},
            {"status": Status.PENDING, "accept_due": after, "accepted_late": False, "close_due_original": None},
            {"status": Status.ACCEPTED, "close_due": after, "close_due_original": before, "accepted_late": True},
            {"status": Status.INVESTIGATING, "close_due": before, "close_due_original": before},
            {"status": Status.CLOSED, "close_due_original": before, "accepted_late": True},
            {"status": Status.REJECTED, "project": None, "address": TRICKY * 5, "handler": None, "subcategory": None},
        ],
    )
    _cycle(
        User,
        [
            {"name": TRICKY, "is_active": False, "region": None, "enterprise": None},
            {"username": f"{TRICKY}x", "name": ""},
        ],
        is_active=True,
        role__in=[User.Role.COUNTY_STAFF, User.Role.EXPERT],
    )
    User.objects.filter(role=User.Role.UNIT_USER).update(is_enterprise_admin=True)
    for who in ({"role": "city_admin"}, {"role": "county_staff"}):
        page, loop, _ = rendered_both_ways(user_with(**who), "/complaints/?page_size=500", COMPLAINT_LEDGER)
        assert page == loop, who
    admin = user_with(role="city_admin")
    page, _, _ = rendered_both_ways(admin, "/complaints/?page_size=500", COMPLAINT_LEDGER)
    assert all(f'data-status="{s}"' in page for s in Status.values)
    assert 'class="table-danger"' in page and "已延期" in page and "逾期受理" in page and "逾期</span>" in page
    assert "&lt;b&gt;&quot;甲&amp;乙&#x27;" in page and TRICKY not in page
    page, loop, _ = rendered_both_ways(admin, "/accounts/users/?page_size=500", "user_list.html")
    assert page == loop
    assert "&lt;b&gt;&quot;甲&amp;乙&#x27;&lt;/b&gt;" in page and TRICKY not in page
    assert "停用" in page and "单位管理员" in page and "<td>—</td>" in page
