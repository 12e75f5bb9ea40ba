"""Criteria templates: the seeded defaults, refused bad templates, and freezing by use."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import services
from evaluation.models import CriteriaTemplate, TemplateItem
from evaluation.seed import default_template_data
from projects.choices import Category
from tests.conftest import api_client_for
from tests.evaluation.factories import open_evaluation, seed_templates

pytestmark = pytest.mark.django_db


def test_one_default_template_per_category_with_the_default_weights(templates):
    assert sorted(CriteriaTemplate.objects.values_list("category", flat=True)) == sorted(Category.values)
    for template in CriteriaTemplate.objects.all():
        weights = {e.element: e.weight for e in template.elements.all()}
        assert weights == {"design": 15, "feature": 15, "green": 15, "safety": 15, "quality": 25, "function": 15}
        for element in template.elements.all():
            assert sum(i.max_score for i in element.items.all()) == element.weight
            assert all(i.text for i in element.items.all())


def test_seeding_twice_creates_nothing_new(templates):
    seed_templates()
    assert CriteriaTemplate.objects.count() == 4


def _bad(mutate):
    data = default_template_data("building")
    mutate(data)
    return data


BAD = [
    (lambda d: d[0]["items"][0].update(max_score=D("5")), "设计要素各评分项满分之和（16分）与该要素权重（15分）不一致"),
    (lambda d: d.pop(), "缺少：功能要素"),
    (lambda d: d[0].update(weight=D("20")), "设计要素各评分项满分之和（15分）与该要素权重（20分）不一致"),
    (lambda d: d[1].update(element="design"), "设计要素重复"),
    (lambda d: d[2]["items"][0].update(max_score="-1"), "绿色要素第1个评分项的满分须为大于0的数字"),
    (lambda d: d[2]["items"][0].update(max_score="1.005"), "绿色要素第1个评分项的满分须为大于0的数字"),
    (lambda d: d[3]["items"][0].update(text="  "), "安全要素第1个评分项的内容不能为空"),
    (lambda d: d[4].update(items=[]), "质量要素至少需要一个评分项"),
    (lambda d: d[5].update(element="beauty"), "未知的评价要素：beauty"),
]


@pytest.mark.parametrize(("mutate", "message"), BAD)
def test_a_bad_template_is_refused_with_a_chinese_message_and_nothing_is_written(city_admin, mutate, message):
    with pytest.raises(ValidationError) as info:
        services.create_template("building", _bad(mutate), user=city_admin)
    assert message in " ".join(info.value.message_dict["elements"])
    assert not CriteriaTemplate.objects.exists()
    assert not TemplateItem.objects.exists()


def test_weights_must_sum_to_100(city_admin):
    data = default_template_data("building")
    data[0]["weight"] = D("16")
    data[0]["items"][0]["max_score"] = D("5")
    with pytest.raises(ValidationError) as info:
        services.create_template("building", data, user=city_admin)
    assert "六个要素的权重之和须为100分（当前为101分）" in info.value.message_dict["elements"][0]


def test_editing_an_unused_version_changes_it_in_place(templates, city_admin):
    template = CriteriaTemplate.objects.get(category="municipal")
    data = services.template_data(template)
    data[0]["items"][0]["text"] = "道路线形设计合理"
    result = services.edit_template(template, data, user=city_admin)
    assert result.pk == template.pk
    assert template.elements.get(element="design").items.first().text == "道路线形设计合理"


def test_a_version_used_by_an_evaluation_is_frozen_and_editing_makes_a_new_version(
    project, county_user, experts, city_admin
):
    evaluation = open_evaluation(project, county_user, experts[:3])
    template = evaluation.template
    template.refresh_from_db()
    assert template.is_frozen
    before = [(i.pk, i.text, i.max_score) for i in TemplateItem.objects.filter(element__template=template)]
    data = services.template_data(template)
    data[0]["items"][0]["text"] = "新的设计评分项"
    result = services.edit_template(template, data, user=city_admin, note="修订设计要素")
    assert result.pk != template.pk
    assert result.version == template.version + 1
    assert not result.is_frozen
    assert [(i.pk, i.text, i.max_score) for i in TemplateItem.objects.filter(element__template=template)] == before
    assert CriteriaTemplate.objects.current_for("building") == result
    evaluation.refresh_from_db()
    assert evaluation.template_id == template.pk


def test_only_the_city_admin_edits_templates(templates, county_user):
    template = CriteriaTemplate.objects.get(category="building")
    with pytest.raises(PermissionDenied):
        services.edit_template(template, services.template_data(template), user=county_user)


def test_api_edit_of_a_frozen_template_answers_201_with_the_new_version(project, county_user, experts, city_admin):
    template = open_evaluation(project, county_user, experts[:3]).template
    data = services.template_data(template)
    payload = {
        "elements": [
            {
                **e,
                "weight": str(e["weight"]),
                "items": [{"text": i["text"], "max_score": str(i["max_score"])} for i in e["items"]],
            }
            for e in data
        ]
    }
    response = api_client_for(city_admin).put(f"/api/v1/evaluation-templates/{template.pk}/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == template.version + 1


def test_api_refuses_a_bad_template_with_field_errors(templates, city_admin):
    payload = {
        "category": "landscape",
        "elements": [{"element": "design", "weight": "100", "items": [{"text": "x", "max_score": "99"}]}],
    }
    response = api_client_for(city_admin).post("/api/v1/evaluation-templates/", payload, format="json")
    assert response.status_code == 400
    assert "与该要素权重（100分）不一致" in response.json()["elements"][0]
    assert CriteriaTemplate.objects.filter(category="landscape").count() == 1
