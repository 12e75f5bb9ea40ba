"""One truth for scores: on the demo data, every view of the annual score and of the monthly ranking agrees with
the one counting rule (assessment.counting) for every county and every month of every year the demo holds.

The city's views (web page, API, Excel exports) show what it reviewed (已审核 + 已发布); county staff's views,
the monthly bulletin and the annual report show what is published (已发布). Within each audience all views must
be identical; where nothing is approved-but-unpublished the two audiences agree too.

The demo is loaded with the ``seed_demo`` command under a pinned clock, and every view is read under the same
clock, so the test holds on any date whatever years the demo covers.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import User
from assessment import counting, ranking
from assessment.models import Submission
from reports.generators import get_generator
from tests.xlsx import sheet_rows

pytestmark = pytest.mark.django_db

# Mid-month, before the 20th's deadline: the current month is open, earlier months are due.
PINNED = dt.datetime(2026, 11, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    with time_machine.travel(PINNED, tick=False), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo, db):
    years = sorted(set(Submission.objects.values_list("year", flat=True)))
    assert years, "the demo holds no monthly assessment"
    city = User.objects.filter(role="city_admin").order_by("pk").first()
    county_staff = User.objects.filter(role="county_staff", region__isnull=False).order_by("pk").first()
    assert city and county_staff
    return {"years": years, "city": city, "county": county_staff}


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class _Table(HTMLParser):
    """Rows (tr with data-county) of the table with the given data-testid: county → cell texts."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.inside, self.rows, self.row, self.cell = testid, False, {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-testid") == self.testid:
            self.inside = True
        elif self.inside and tag == "tr" and "data-county" in attrs:
            self.row = (attrs["data-county"], [])
        elif self.row is not None and tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td" and self.row is not None and self.cell is not None:
            self.row[1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows[self.row[0]] = self.row[1]
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data + " ")


def table(html: str, testid: str) -> dict[str, list[str]]:
    parser = _Table(testid)
    parser.feed(html)
    return parser.rows


def dec(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return Decimal(str(value))


def generate(report_type: str, **params):
    cls = get_generator(report_type)
    return cls(**cls.validate_params(params)).generate()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _annual_truth(rows) -> dict[str, tuple]:
    return {r.county_name: (r.score, r.grade, r.target_score) for r in rows}


def test_the_annual_score_grade_and_target_agree_in_every_view(demo):
    for year in demo["years"]:
        for audience, user in ((counting.INTERNAL, demo["city"]), (counting.PUBLISHED, demo["county"])):
            truth_rows = ranking.annual_scores(year, audience=audience)
            truth = _annual_truth(truth_rows)
            sources = {r.county_name: r.target_score_source for r in truth_rows}
            # web page: score, grade and the target with its source named next to it
            page = web(user).get(f"/assessment/annual/?year={year}")
            assert page.status_code == 200
            html = page.content.decode()
            if any(r.months_counted for r in truth_rows):
                cells = table(html, "annual-table")
                assert set(cells) == set(truth)
                for name, (score, grade, target) in truth.items():
                    row = cells[name]
                    assert row[2] == f"{target} {sources[name]}", (year, audience, name)
                    assert (dec(row[4]), row[5]) == (score, grade), (year, audience, name)
            else:
                assert 'data-testid="annual-empty"' in html
            # API
            body = api(user).get(f"/api/v1/assessment/annual-scores/?year={year}").json()
            assert {
                r["county_name"]: (Decimal(r["score"]), r["grade"], Decimal(r["target_score"])) for r in body["results"]
            } == truth
            assert {r["county_name"]: r["target_score_source"] for r in body["results"]} == sources
            # Excel exports (web page and API)
            for url in (f"/assessment/annual/?year={year}&export=xlsx", None):
                response = (
                    web(user).get(url)
                    if url
                    else api(user).get(f"/api/v1/assessment/annual-scores/?year={year}&export=xlsx")
                )
                rows = sheet_rows(response.content)
                assert {
                    r["县（市、区）"]: (dec(r["年度得分"]), r["等次"], dec(r["全年目标任务得分"])) for r in rows
                } == truth
                assert {r["县（市、区）"]: r["目标任务得分来源"] for r in rows} == sources
                # each month: the score it counts with, else its state — never a score for an uncounted month
                by_name = {r.county_name: r for r in truth_rows}
                for r in rows:
                    row = by_name[r["县（市、区）"]]
                    for m in range(1, 13):
                        expected = row.monthly_scores[m - 1]
                        cell = r[f"{m}月"]
                        assert (dec(cell) if expected is not None else cell) == (
                            expected if expected is not None else row.month_labels[m - 1]
                        ), (year, audience, row.county_name, m)

        # the annual report: published, PDF text and Excel
        published = ranking.annual_scores(year, audience=counting.PUBLISHED)
        truth = _annual_truth(published)
        report = generate("annual_report", year=year)
        text = pdf_text(report.pdf)
        for r in published:
            assert re.search(
                rf"{r.rank} {r.county_name} {r.target_score} \S+ {r.monthly_average} {r.months_counted} \S+ "
                rf"{r.score} {r.grade}",
                text,
            ), (year, r.county_name)
            assert f"{r.county_name}：{r.target_score_source}" in text.replace("\n", "")
        rows = sheet_rows(report.xlsx, "年度得分")
        assert {r["县（市、区）"]: (dec(r["年度得分"]), r["等次"], dec(r["全年目标任务得分"])) for r in rows} == truth

        # the two audiences differ only where a month is approved but not yet published
        if not Submission.objects.filter(year=year, status="approved").exists():
            assert _annual_truth(ranking.annual_scores(year)) == truth


def _ranking_truth(rows) -> dict[str, tuple]:
    return {r.county_name: (r.rank, r.score, r.state) for r in rows}


def test_the_monthly_ranking_agrees_in_every_view_and_with_the_bulletin(demo):
    today = dt.datetime.now(PINNED.tzinfo).date()
    for year in demo["years"]:
        annual = {
            audience: {r.county_name: r for r in ranking.annual_scores(year, audience=audience)}
            for audience in (counting.INTERNAL, counting.PUBLISHED)
        }
        for month in range(1, 13):
            for audience, user in ((counting.INTERNAL, demo["city"]), (counting.PUBLISHED, demo["county"])):
                rows = ranking.monthly_ranking(year, month, audience=audience)
                truth = _ranking_truth(rows)
                # the month's cell of the annual table is the same score and state
                for r in rows:
                    year_row = annual[audience][r.county_name]
                    assert (year_row.monthly_scores[month - 1], year_row.month_states[month - 1]) == (
                        r.score,
                        r.state,
                    ), (year, month, audience, r.county_name)
                    # a month not counted carries no score and no rank; a returned month is never 按时报送
                    if not r.counted:
                        assert r.score is None and r.rank is None
                    if r.status == "returned":
                        assert r.rank is None and r.state_label != "按时报送"
                # web page
                html = web(user).get(f"/assessment/ranking/?year={year}&month={month}").content.decode()
                cells = table(html, "ranking-table")
                assert {
                    name: (int(c[0]) if c[0] != "—" else None, dec(c[2]) if c[2] != "—" else None)
                    for name, c in cells.items()
                } == {name: (rank, score) for name, (rank, score, _state) in truth.items()}, (year, month, audience)
                # API and Excel export
                body = api(user).get(f"/api/v1/assessment/ranking/?year={year}&month={month}").json()
                assert {r["county_name"]: (r["rank"], dec(r["score"]), r["state"]) for r in body["results"]} == truth
                export = web(user).get(f"/assessment/ranking/?year={year}&month={month}&export=xlsx")
                assert {
                    r["县（市、区）"]: (r["排名"] or None, dec(r["月度得分"]), r["报送情况"])
                    for r in sheet_rows(export.content)
                } == {
                    name: (rank, score, counting.MonthState.LABELS[state])
                    for name, (rank, score, state) in truth.items()
                }

            if (year, month) > (today.year, today.month):
                continue
            # the bulletin is the published ranking
            published = ranking.monthly_ranking(year, month, audience=counting.PUBLISHED)
            report = generate("monthly_bulletin", year=year, month=month)
            ranked = [r for r in published if r.rank is not None]
            has_published = any(r.state == "published" for r in published)
            assert report.has_published_data == has_published
            if not has_published:
                assert load_workbook(io.BytesIO(report.xlsx)).sheetnames == [
                    "报送情况",
                    "督查通报",
                    "督查通报-逾期整改",
                    "进度滞后通报",
                ]
                continue
            sheet = sheet_rows(report.xlsx, "排名")
            assert [(r["排名"], r["县（市、区）"], dec(r["月度得分"])) for r in sheet] == [
                (r.rank, r.county_name, r.score) for r in ranked
            ], (year, month)
            flagged = sheet_rows(report.xlsx, "逾期、未报送与未计入")
            assert {r["县（市、区）"] for r in flagged} == {
                r.county_name
                for r in published
                if r.is_late or r.is_missing or (not r.counted and r.state != "not_due")
            }
            text = pdf_text(report.pdf)
            positions = [text.index(f"{r.rank} {r.county_name} {r.score} ") for r in ranked]
            assert positions == sorted(positions), (year, month)
            all_on_time = all(r.counted and not (r.is_late or r.is_missing) for r in published)
            assert ("本月各县（市、区）均按时报送" in text) == all_on_time, (year, month)


def test_the_dashboard_ranks_the_latest_month_with_results_and_plots_only_due_months(demo):
    html = web(demo["city"]).get("/").content.decode()
    data = json.loads(re.search(r'id="assessment-chart-data" type="application/json">(.*?)</script>', html).group(1))
    sent = Submission.objects.exclude(status="draft")
    year = PINNED.year if sent.filter(year=PINNED.year).exists() else max(demo["years"])
    month = ranking.latest_counted_month(year)
    ranked = [r for r in ranking.monthly_ranking(year, month) if r.rank is not None]
    assert data["ranking"]["names"] == [r.county_name for r in ranked]
    assert data["ranking"]["scores"] == [float(r.score) for r in ranked]
    if sent.filter(year=year, status__in=("approved", "published"), is_late=False).exists():
        assert ranked and any(s > 0 for s in data["ranking"]["scores"]), "the ranking collapsed to zeros"
    else:
        assert 'data-testid="ranking-empty"' in html
    due = [m for m in range(1, 13) if ranking.deadline_passed(year, m)]
    assert data["trend"]["months"] == [f"{m}月" for m in range(1, max(due, default=0) + 1)]
    grid = {row["county_name"]: row["cells"] for row in ranking.status_grid(year)}
    for series in data["trend"]["series"]:
        cells = grid[series["name"]][: len(data["trend"]["months"])]
        assert series["data"] == [float(c["score"]) if c["counted"] else None for c in cells]
        assert series["states"] == [c["state"] for c in cells]
