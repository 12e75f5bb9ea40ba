"""The grade thresholds are written once (assessment.scoring.GRADES): the annual page and the annual report print
them from there, so a changed threshold changes the text with the grades."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string

from assessment import scoring
from reports.generators import get_generator
from tests.assessment.factories import target
from tests.factories import CountyFactory

pytestmark = pytest.mark.django_db

CHANGED = ((D(95), "优秀"), (D("85.5"), "良好"), (D(70), "合格"))


def test_the_words_are_the_thresholds_grade_applies(monkeypatch):
    assert scoring.grade_bands() == "90分及以上优秀，80-90分良好，60-80分合格，60分以下不合格"
    monkeypatch.setattr(scoring, "GRADES", CHANGED)
    assert scoring.grade_bands() == "95分及以上优秀，85.5-95分良好，70-85.5分合格，70分以下不合格"
    assert scoring.grade(D(90)) == "良好" and scoring.grade(D(69)) == "不合格"


def test_the_annual_page_prints_the_thresholds(client, city_admin, monkeypatch):
    target(CountyFactory(name="甲县"))  # the year 2023 is set up
    client.force_login(city_admin)
    page = client.get("/assessment/annual/?year=2023").content.decode()
    assert "等次：90分及以上优秀，80-90分良好，60-80分合格，60分以下不合格。" in page
    monkeypatch.setattr(scoring, "GRADES", CHANGED)
    page = client.get("/assessment/annual/?year=2023").content.decode()
    assert "等次：95分及以上优秀，85.5-95分良好，70-85.5分合格，70分以下不合格。" in page
    assert "90分" not in page


def test_the_annual_report_prints_the_thresholds(monkeypatch):
    monkeypatch.setattr(scoring, "GRADES", CHANGED)
    cls = get_generator("annual_report")
    report = cls(**cls.validate_params({"year": 2023}))
    html = render_to_string(cls.template_name, {**report.collect(), "title": "年度报告"})
    assert "等次：95分及以上优秀，85.5-95分良好，70-85.5分合格，70分以下不合格。" in html
    assert "≥90 优秀" not in html and "等次：90分" not in html
