"""``{% row_url %}`` (core/templatetags/ui.py) gives what ``{% url %}`` gives, for any id and under a script prefix."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix


@pytest.mark.parametrize("pk", [1, 42, 2147483646, 987654321012])
def test_row_url_is_the_reversed_url(pk):
    html = Template("{% load ui %}{% row_url 'awards:record-detail' pk %}").render(Context({"pk": pk}))
    assert html == reverse("awards:record-detail", args=[pk])


def test_row_url_under_a_script_prefix():
    set_script_prefix("/jingpin/")
    try:
        html = Template("{% load ui %}{% row_url 'credit:record' 7 %}").render(Context())
        assert html == reverse("credit:record", args=[7]) and html.startswith("/jingpin/")
    finally:
        set_script_prefix("/")
