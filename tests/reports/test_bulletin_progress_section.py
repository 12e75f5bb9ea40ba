"""The monthly bulletin's 进度滞后通报 section: milestones late at the month's end, per county, in the PDF and the
workbook. Seed 000 五(三): “开展常态化督查，对工作滞后的予以通报”."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from projects.models import ProjectMilestone
from reports.generators import get_generator
from tests.projects_factories import ProjectFactory
from tests.xlsx import sheet_rows

pytestmark = pytest.mark.django_db


def build(**params):
    cls = get_generator("monthly_bulletin")
    return cls(**cls.validate_params(params)).generate()


def test_the_bulletin_names_the_late_milestones_of_the_month(county, other_county, clock, output_dir):
    late = ProjectFactory(county=county, code="JC-2023-0701", name="高平市人民医院门诊楼")
    on_time = ProjectFactory(county=other_county, code="JC-2023-0702", name="阳城县体育馆")
    ProjectMilestone.objects.create(project=late, kind="topping_out", planned_on=dt.date(2023, 12, 20))
    ProjectMilestone.objects.create(  # reached 41 days late, in the month
        project=late, kind="start", planned_on=dt.date(2023, 12, 1), actual_on=dt.date(2024, 1, 11)
    )
    ProjectMilestone.objects.create(
        project=on_time, kind="topping_out", planned_on=dt.date(2024, 1, 5), actual_on=dt.date(2024, 1, 20)
    )
    ProjectMilestone.objects.create(  # reached late in March, but only 11 days behind on 31 January: not listed
        project=on_time, kind="start", planned_on=dt.date(2024, 1, 20), actual_on=dt.date(2024, 3, 1)
    )
    report = build(year=2024, month=1)
    (output_dir / "monthly_bulletin_progress.pdf").write_bytes(report.pdf)
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report.pdf)).pages)
    assert "进度滞后通报" in text
    assert "截至2024年1月31日，进度节点滞后（超过计划日期30天）的共2个：高平市2个。" in text
    assert "高平市人民医院门诊楼" in text and "主体结构封顶" in text and "滞后未完成" in text and "滞后完成" in text
    assert "阳城县体育馆" not in text
    rows = sheet_rows(report.xlsx, "进度滞后通报")
    assert [(r["项目编号"], r["节点"], r["超期天数"], r["情况"]) for r in rows] == [
        ("JC-2023-0701", "开工", 41, "滞后完成"),
        ("JC-2023-0701", "主体结构封顶", 42, "滞后未完成"),
    ]


def test_a_month_without_laggards_says_so(county, clock):
    report = build(year=2024, month=2)
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report.pdf)).pages)
    assert "截至2024年2月29日，无进度节点滞后（超过计划日期30天）的项目。" in text


def test_the_printed_bulletin_names_the_furthest_behind_per_county_and_the_workbook_all(
    county, clock, output_dir, monkeypatch
):
    """A province's month can have thousands of late milestones: the 通报 prints each county's furthest behind and
    says how many more the workbook lists."""
    monkeypatch.setattr("projects.services.BULLETIN_LAGGARDS_PER_COUNTY", 1)
    late = ProjectFactory(county=county, code="JC-2023-0701", name="高平市人民医院门诊楼")
    ProjectMilestone.objects.create(project=late, kind="topping_out", planned_on=dt.date(2023, 12, 20))  # 42 days
    ProjectMilestone.objects.create(
        project=late,
        kind="start",
        planned_on=dt.date(2023, 12, 1),
        actual_on=dt.date(2024, 1, 11),  # 41 days
    )
    report = build(year=2024, month=1)
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report.pdf)).pages)
    assert "的共2个：高平市2个。" in text  # the summary counts every one
    assert "主体结构封顶" in text and "滞后完成" not in text  # only the furthest behind is printed
    assert "每个县（市、区）列出超期最长的1个节点，另有1个见Excel附表“进度滞后通报”。" in text
    assert len(sheet_rows(report.xlsx, "进度滞后通报")) == 2
