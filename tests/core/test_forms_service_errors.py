"""core.forms.apply_service_errors: a service's ValidationError lands on the form where the input was."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import apply_service_errors


class PlanForm(forms.Form):
    name = forms.CharField(required=False)
    experts = forms.CharField(required=False)
    county = forms.CharField(required=False, disabled=True)


def bound_form() -> PlanForm:
    form = PlanForm(data={"name": "甲"})
    assert form.is_valid()
    return form


def test_a_field_error_goes_beside_a_field_the_form_has():
    form = bound_form()
    apply_service_errors(form, ValidationError({"name": ["名称已存在。", "名称过长。"]}))
    assert form.errors == {"name": ["名称已存在。", "名称过长。"]}


def test_an_error_for_a_field_the_form_lacks_goes_on_top():
    form = bound_form()
    apply_service_errors(form, ValidationError({"deadline": "截止日期已过。"}))
    assert form.non_field_errors() == ["截止日期已过。"]
    assert "deadline" not in form.errors


def test_an_error_for_a_disabled_field_goes_on_top():
    form = bound_form()
    apply_service_errors(form, ValidationError({"county": "无权管理该县。"}))
    assert form.non_field_errors() == ["无权管理该县。"] and "county" not in form.errors


def test_an_error_without_fields_goes_on_top():
    form = bound_form()
    apply_service_errors(form, ValidationError(["计划已锁定。", "请刷新页面。"]))
    assert form.non_field_errors() == ["计划已锁定。", "请刷新页面。"]


def test_an_alias_maps_the_service_key_to_the_form_field():
    form = bound_form()
    apply_service_errors(form, ValidationError({"expert": "专家回避。"}), aliases={"expert": "experts"})
    assert form.errors == {"experts": ["专家回避。"]}


def test_an_alias_to_a_field_the_form_lacks_is_ignored():
    form = bound_form()
    apply_service_errors(form, ValidationError({"name": "重名。"}), aliases={"name": "title"})
    assert form.errors == {"name": ["重名。"]}


def test_rest_receives_what_belongs_to_no_field_keyed_or_whole():
    form, seen = bound_form(), []
    apply_service_errors(form, ValidationError({"name": "重名。", "year": "年度不对。"}), rest=seen.append)
    apply_service_errors(form, ValidationError("已报送。"), rest=seen.append)
    assert form.errors == {"name": ["重名。"]}
    assert [e.message_dict for e in seen[:1]] == [{"year": ["年度不对。"]}]
    assert seen[1].messages == ["已报送。"]
