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
