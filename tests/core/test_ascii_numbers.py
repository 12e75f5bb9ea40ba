"""Full-width (or any non-ASCII) digits are refused in every numeric field, forms and API alike."""

import pytest
from django import forms
from rest_framework import serializers

from core.numbers import MESSAGE


class NumbersForm(forms.Form):
    count = forms.IntegerField()
    area = forms.DecimalField(max_digits=14, decimal_places=2)


class NumbersSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    area = serializers.DecimalField(max_digits=14, decimal_places=2)


@pytest.mark.parametrize("typed", ["１２３", "12３", "١٢٣", "１２.５"])
def test_full_width_digits_are_refused_with_a_chinese_message(typed):
    form = NumbersForm({"count": typed, "area": typed})
    assert not form.is_valid() and form.errors["count"] == [MESSAGE] and form.errors["area"] == [MESSAGE]
    serializer = NumbersSerializer(data={"count": typed, "area": typed})
    assert not serializer.is_valid()
    assert serializer.errors["count"] == [MESSAGE] and serializer.errors["area"] == [MESSAGE]


def test_ascii_numbers_still_pass():
    assert NumbersForm({"count": "123", "area": "12.50"}).is_valid()
    assert NumbersSerializer(data={"count": 123, "area": "12.50"}).is_valid()


@pytest.mark.django_db
def test_the_api_refuses_full_width_digits_in_a_monthly_report(reporter_and_project):
    from tests.conftest import api_client_for

    reporter, project = reporter_and_project
    response = api_client_for(reporter).post(
        "/api/v1/monthly-reports/",
        {"project": project.pk, "year": 2023, "month": 6, "new_start_area": "１２３"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["new_start_area"] == [MESSAGE]


@pytest.fixture
def reporter_and_project(county):
    from tests.projects.factories import ProjectFactory, contractor_with_user

    project = ProjectFactory(county=county)
    return contractor_with_user(project, "fw_reporter"), project
