"""core.forms_renderer writes every stock <select> exactly as Django's templates do (byte for byte)."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from accounts.models import Region
from core.forms_renderer import FastSelectRenderer

pytestmark = pytest.mark.django_db


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("a", "甲"), ("b&c", '乙 "丙" <丁>')], required=False)
    grouped = forms.ChoiceField(
        choices=[("", "---------"), ("省", [("1", "一"), ("2", "二")]), ("市", [(3, "三")]), ("x", "其他")]
    )
    multiple = forms.MultipleChoiceField(choices=[(1, "一"), (2, "二"), (3, "三")], required=False)
    yes_no = forms.NullBooleanField(required=False)
    region = forms.ModelChoiceField(queryset=Region.objects.order_by("code"), required=False)
    safe_label = forms.ChoiceField(choices=[("s", mark_safe("<b>粗</b>")), ("t", "<b>细</b>")])
    with_attrs = forms.ChoiceField(
        choices=[("1", "一")],
        widget=forms.Select(attrs={"class": "form-select", "disabled": True, "data-x": False, "data-n": 5}),
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "b&c", "grouped": "2", "multiple": ["1", "3"], "yes_no": "true", "safe_label": "t"},
        {"grouped": "3", "yes_no": "false", "plain": "zzz"},
    ],
)
def test_selects_are_byte_identical_to_djangos(county, data):
    assert settings.FORM_RENDERER == "core.forms_renderer.FastSelectRenderer"
    region = Region.objects.order_by("code").first()
    if data:
        data = {**data, "region": str(region.pk)}
    fast_form, django_form = Everything(data or None), Everything(data or None)
    fast_form.renderer, django_form.renderer = FastSelectRenderer(), DjangoTemplates()
    for name in Everything.base_fields:
        fast = fast_form[name].as_widget(attrs={"class": "form-select form-control-sm"})
        slow = django_form[name].as_widget(attrs={"class": "form-select form-control-sm"})
        assert str(fast) == str(slow), name
    assert "&lt;丁&gt;" in str(fast_form["plain"]) and "<b>粗</b>" in str(fast_form["safe_label"])


def test_other_widgets_still_use_the_templates():
    class Text(forms.Form):
        q = forms.CharField(required=False)

    form = Text()
    form.renderer = FastSelectRenderer()
    assert str(form["q"]) == '<input type="text" name="q" id="id_q">'
