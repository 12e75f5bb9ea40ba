"""The demo programme (pilots.seed) with the seed's numbers, and the 绿色建造试点通报 (PDF and Excel open)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from core.seeding import demo_today
from pilots import overview
from pilots.choices import PilotStatus
from pilots.models import Pilot
from pilots.report import PilotBulletin, _CityView
from pilots.seed import applied_on
from reports import services as report_services
from reports.generators import get_generator


@pytest.fixture
def programme(demo_data):
    return overview.programme_for(_CityView())


def test_demo_has_at_least_ten_established_pilots(programme):
    """二(二)1：“选取不少于10个项目开展绿色建造试点工作。”"""
    assert programme.established >= 10 and programme.city_met


def test_demo_meets_the_county_quotas_but_one(programme):
    """四(一)：“各辖市、区……必须确定1个以上房地产开发项目、1个以上政府投资的公建项目”: 沁水县 has not yet."""
    assert [c.county_name for c in programme.counties_unmet] == ["沁水县"]
    assert programme.counties_unmet[0].missing == ["房地产开发项目"]
    assert all(c.real_estate >= 1 and c.public >= 1 for c in programme.counties if c.met)


def test_demo_has_a_pilot_in_every_state(demo_data):
    states = set(Pilot.objects.values_list("status", flat=True))
    assert states == set(PilotStatus.values)


def test_accepted_demo_pilots_achieved_two_stars(demo_data):
    """四(一)：“试点项目应达到……绿色建筑二星级以上要求” — every 验收通过 pilot achieved 二星级 or 三星级."""
    accepted = Pilot.objects.filter(status=PilotStatus.ACCEPTED).select_related("acceptance")
    assert accepted and {p.acceptance.achieved_label for p in accepted} <= {"two", "three"}


def test_the_bulletin_renders_pdf_and_excel(demo_data, output_dir):
    assert get_generator("pilot_bulletin") is PilotBulletin
    report = PilotBulletin(year=2024).generate()
    (output_dir / "pilot_bulletin.pdf").write_bytes(report.pdf)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(report.pdf)).pages)
    assert "绿色建造试点工作通报" in report.title and "沁水县" in text
    workbook = load_workbook(BytesIO(report.xlsx))
    assert workbook.sheetnames == ["各县试点任务", "试点项目", "定期检查", "专项评估验收"]
    assert workbook["试点项目"].max_row >= 1 + Pilot.objects.count()
    assert "方案要求不少于10个" in report.summary and "沁水县（缺房地产开发项目）" in report.summary


def test_the_bulletin_is_a_report_type_of_the_archive(city_admin, clock, django_capture_on_commit_callbacks):
    """Requested like the other reports (/reports/): the archive runs the pilots' generator."""
    with django_capture_on_commit_callbacks(execute=True):
        archive, created = report_services.request_report("pilot_bulletin", {"year": 2024}, user=city_admin)
    archive.refresh_from_db()
    assert created and archive.status == "done", archive.error
    assert archive.pdf.read().startswith(b"%PDF") and "绿色建造试点" in archive.title


def test_no_bulletin_of_a_future_year(city_admin, clock):
    with pytest.raises(ValidationError, match="未来年度"):
        report_services.request_report("pilot_bulletin", {"year": 2099}, user=city_admin)


def test_demo_journeys_are_stamped_on_the_days_of_their_steps(demo_data):
    """A clerk reads the timeline as months of work: each step of an accepted pilot on its own day, in order, from
    its application (pilots.seed.APPLIED_DAYS_AGO_ESTABLISHED before the demo's today) to its acceptance."""
    pilot = Pilot.objects.filter(status=PilotStatus.ACCEPTED).first()
    days = [timezone.localdate(e.at) for e in pilot.events.order_by("at", "pk")]
    assert days[0] == applied_on(PilotStatus.ACCEPTED, demo_today())
    assert days == sorted(days)
    assert len(set(days)) >= 6  # apply, assignment, opinions, approval, milestones, check, acceptance
    assert timezone.localdate(pilot.acceptance.recorded_at) == pilot.acceptance.accepted_on
    still_reviewing = Pilot.objects.filter(status=PilotStatus.REVIEWING).first()
    assert (demo_today() - timezone.localdate(still_reviewing.created_at)).days < 60
