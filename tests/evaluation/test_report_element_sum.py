"""The evaluation report says how its element scores add up: each element is rounded on its own and the total
from the exact average, so when the two differ the report shows the sum and the footnote gives the true bound."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from evaluation import results, services
from tests.evaluation.factories import full_scores, items_of, open_evaluation, submit

pytestmark = pytest.mark.django_db


def test_element_sum_and_total_differ_and_the_report_says_so(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    first_of_element = {}
    for item in items_of(evaluation):
        first_of_element.setdefault(item.element.element, item.pk)
    for n, expert in enumerate(experts[:3]):
        scores = full_scores(evaluation)
        if n == 0:  # one cent off one item per element: each element averages to x.xx67 → rounds back up
            for pk in first_of_element.values():
                scores[pk] -= Decimal("0.01")
        submit(evaluation, expert, {k: str(v) for k, v in scores.items()})
    evaluation = services.close_evaluation(evaluation, user=county_user)
    table = results.result_table(evaluation)
    assert len(first_of_element) == 6
    assert table["element_sum"] == Decimal("100.00") and evaluation.total_score == Decimal("99.98")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(results.render_pdf(evaluation))).pages)
    assert f"各要素得分之和 {table['element_sum']}" in text
    assert "六个要素合计至多0.03分" in text
