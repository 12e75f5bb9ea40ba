"""The element minimum shown in the evaluation result rounds half-up through core.decimals, like the pass rule's
own message (aggregation.round_half_up), not with Python's default half-even quantize()."""

from decimal import Decimal

import pytest

from evaluation import results
from tests.evaluation.factories import open_evaluation

pytestmark = pytest.mark.django_db


def test_an_element_minimum_of_x_xx5_rounds_up(project, county_user, experts, settings):
    settings.JINGPIN = {**settings.JINGPIN, "EVALUATION_ELEMENT_MIN_RATIO": "0.6002"}  # 25 × 0.6002 = 15.005
    evaluation = open_evaluation(project, county_user, experts[:3])
    rows = {row.code: row for row in results.result_table(evaluation, with_sheets=False)["elements"]}
    assert rows["quality"].weight == Decimal("25")
    assert rows["quality"].minimum == Decimal("15.01")  # half-even would say 15.00


def test_the_report_heading_prints_the_minimum_from_the_setting(project, county_user, experts, settings):
    """The PDF's column heading "最低要求（60%）" is the setting, not prose: another ratio, another heading."""
    from django.template.loader import render_to_string

    settings.JINGPIN = {**settings.JINGPIN, "EVALUATION_ELEMENT_MIN_RATIO": "0.55"}
    evaluation = open_evaluation(project, county_user, experts[:3])
    table = results.result_table(evaluation, with_sheets=False)
    assert table["min_pct"] == "55"
    html = render_to_string(
        "evaluation/report_pdf.html",
        {"evaluation": evaluation, "project": evaluation.project, "table": table, "panel": []},
    )
    assert "最低要求（55%）" in html and "60%" not in html
