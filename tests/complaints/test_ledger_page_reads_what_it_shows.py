"""The ledger page builds its rows from the columns it shows (a 500-row page spent more time building the texts,
the contact and the joined users' other columns than rendering them); the export still reads every column."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services
from tests.complaints.factories import file_complaint
from tests.factories import UserFactory
from tests.xlsx import sheet_rows

pytestmark = pytest.mark.django_db


def _ledger_rows_sql(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "complaints_complaint"' in q["sql"] and "tracking_no" in q["sql"]]


def test_the_ledger_page_reads_the_shown_columns_in_one_query(client, county, city_admin):
    handler = UserFactory(role="county_staff", region=county, username="handler", name="李承办")
    for _ in range(3):
        complaint, _ = file_complaint(county, description="外墙保温层空鼓脱落。")
        services.assign_handler(complaint, user=city_admin, handler=handler)
    client.force_login(city_admin)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("complaints:ledger")).content.decode()
    assert page.count("李承办") == 3 and complaint.tracking_no in page
    (rows_sql,) = _ledger_rows_sql(captured.captured_queries)
    for column in ("description", "complainant_phone", "findings", '"accounts_user"."password"'):
        assert column not in rows_sql
    assert "responsible_enterprises" not in " ".join(q["sql"] for q in captured.captured_queries)


def test_the_export_still_has_every_column(client, county, city_admin):
    complaint, _ = file_complaint(county, description="外墙保温层空鼓脱落。")
    client.force_login(city_admin)
    response = client.get(reverse("complaints:ledger") + "?export=xlsx")
    assert response.status_code == 200
    (row,) = sheet_rows(response.content)
    assert row["受理编号"] == complaint.tracking_no and row["问题描述"] == "外墙保温层空鼓脱落。"
