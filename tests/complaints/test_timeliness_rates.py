"""规定办理时限 (seed 001 二(六)2) measured: 按期受理率 and 按期办结率 per county and month, on the dashboard (the city:
every county; a county: its own), in the API's analysis and the annual report. Nothing due → "—", never a
division by zero."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints import analysis, services
from complaints.models import Complaint
from reports.generators.annual import complaint_summary
from tests.complaints.factories import file_complaint
from tests.conftest import at

pytestmark = pytest.mark.django_db
TODAY = dt.date(2030, 6, 1)


@pytest.fixture
def ledger(clock, county, other_county, county_user):
    """高平市, March 2030: four complaints filed Monday 4 March (受理时限 Thursday 7 March).
    one accepted 5 March and closed 11 March (both on time); one accepted 8 March (late) and closed by its
    deadline; one accepted 5 March and still open after its 办结时限 (late); one rejected 6 March (on time).
    高平市, April: one filed and still pending past its deadline. 阳城县: one filed Friday 31 May, nothing due yet on 1 June."""
    clock.move_to(at(2030, 3, 4, 9))
    a, b, c, d = (file_complaint(county)[0] for _ in range(4))
    clock.move_to(at(2030, 3, 5, 9))
    services.accept(a, user=county_user)
    services.accept(c, user=county_user)
    clock.move_to(at(2030, 3, 6, 9))
    services.reject(d, user=county_user, reason="重复投诉")
    clock.move_to(at(2030, 3, 8, 9))
    services.accept(b, user=county_user)
    for complaint in (a, b):
        services.start_investigation(complaint, user=county_user)
    clock.move_to(at(2030, 3, 11, 9))
    for complaint in (a, b):
        services.close(complaint, user=county_user, findings="已核查", reply="已答复", substantiated="no")
    clock.move_to(at(2030, 4, 8, 9))
    file_complaint(county)
    clock.move_to(at(2030, 5, 31, 9))
    file_complaint(other_county)
    clock.move_to(at(2030, 6, 1, 9))
    return Complaint.objects.all()


def test_march_accept_3_of_4_and_close_2_of_3_on_time(ledger, county):
    """March: 受理 on time 3 of 4 (75.0%), 办结 on time 2 of 3 (66.7%, the third is past its deadline)."""
    grid = analysis.timeliness_grid(ledger, 2030, TODAY)
    march = grid[(county.pk, 3)]
    assert (march.accept.on_time, march.accept.due, march.accept.percent) == (3, 4, Decimal("75.0"))
    assert (march.close.on_time, march.close.due, str(march.close)) == (2, 3, "66.7%")
    april = grid[(county.pk, 4)]
    assert (str(april.accept), str(april.close)) == ("0.0%", "—")  # pending past its deadline; nothing to close


def test_per_county_year_and_zero_denominators_show_a_dash(ledger, county, other_county):
    rows = {r.county: r for r in analysis.timeliness_by_county(ledger, 2030, TODAY)}
    assert (str(rows["高平市"].year.accept), str(rows["高平市"].year.close)) == ("60.0%", "66.7%")  # 3/5, 2/3
    assert (str(rows["阳城县"].year.accept), str(rows["阳城县"].year.close)) == ("—", "—")  # filed, not yet due
    assert rows["高平市"].months[2].accept.due == 4 and rows["高平市"].months[0].accept.percent is None
    assert str(analysis.Rate()) == "—" and analysis.Rate().as_dict()["percent"] is None


def test_the_dashboard_city_sees_every_county_a_county_its_own(client, ledger, county_user, city_admin):
    client.force_login(city_admin)
    ctx = next(p["ctx"] for p in client.get(reverse("dashboard")).context["panels"] if p["key"] == "complaints")
    assert {r.county: str(r.year.accept) for r in ctx["timeliness"] if r.county in ("高平市", "阳城县")} == {
        "高平市": "60.0%",
        "阳城县": "—",
    }
    client.force_login(county_user)
    response = client.get(reverse("dashboard"))
    ctx = next(p["ctx"] for p in response.context["panels"] if p["key"] == "complaints")
    assert [(r.county, str(r.year.close)) for r in ctx["timeliness"]] == [("高平市", "66.7%")]
    assert "按期受理率" in response.content.decode()


def test_the_api_analysis_and_the_annual_report_carry_the_rates(api, ledger, county_user):
    api.force_authenticate(county_user)
    body = api.get("/api/v1/complaints/analysis/?year=2030").json()
    assert body["timeliness"]["accept"] == {"on_time": 3, "due": 5, "percent": "60.0"}
    gaoping = next(r for r in body["timeliness_by_county"] if r["county"] == "高平市")
    assert gaoping["by_month"][2]["close"] == {"on_time": 2, "due": 3, "percent": "66.7"}
    section = complaint_summary(2030)
    row = next(r for r in section["by_county"] if r["county"] == "高平市")
    assert (row["accept_rate"], row["close_rate"]) == ("60.0%", "66.7%")


def test_the_analysis_page_shows_each_county_and_month(client, ledger, county_user, city_admin):
    """The web page 投诉举报办理情况分析 (its 按期 table): a county sees its own row, the city every county and the total."""
    client.force_login(county_user)
    response = client.get(reverse("complaints:analysis") + "?year=2030")
    html = response.content.decode()
    assert response.status_code == 200 and "60.0%" in html and "66.7%" in html and "阳城县" not in html
    client.force_login(city_admin)
    html = client.get(reverse("complaints:analysis") + "?year=2030").content.decode()
    assert "阳城县" in html and "合计" in html
    assert client.get(reverse("complaints:analysis") + "?year=abc").status_code == 200
