"""问题类别 (seed 001 二(六)2: "利用台账信息进行汇总分析，研究共性问题"): an editable list of categories with
sub-categories (质量: 渗漏, 开裂, 空鼓, 节能保温 …; 安全: 高处作业, 临时用电, 起重机械 …; 文明施工: 扬尘, 噪声, 夜间施工 …;
其他); the public form and the API choose category then sub-category; the analysis counts both."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from complaints import analysis, services
from complaints.models import Complaint, ComplaintCategory
from tests.complaints.factories import file_complaint
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def sub(category_code, name):
    return ComplaintCategory.objects.get(parent__code=category_code, name=name)


def test_the_default_list_has_zhi_liang_an_quan_wen_ming_shi_gong_and_their_sub_categories(db):
    """质量: 渗漏, 开裂, 空鼓, 节能保温; 安全: 高处作业, 临时用电, 起重机械; 文明施工: 扬尘, 噪声, 夜间施工; 其他."""
    tree = {top.name: [s.name for s in subs] for top, subs in services.category_tree()}
    assert list(tree) == ["质量", "安全", "文明施工", "其他"]
    assert {"渗漏", "开裂", "空鼓", "节能保温"} <= set(tree["质量"])
    assert {"高处作业", "临时用电", "起重机械"} <= set(tree["安全"])
    assert {"扬尘", "噪声", "夜间施工"} <= set(tree["文明施工"])


def test_old_codes_still_name_their_category(db, county):
    """The old fixed list's codes (quality, safety, other) are the codes of the list's categories: a complaint
    filed before issue 25 keeps its category."""
    complaint, _ = file_complaint(county, category="other")
    assert complaint.category.name == "其他" and complaint.category_id == "other"


def test_a_sub_category_must_belong_to_its_category(db, county):
    with pytest.raises(ValidationError) as exc:
        file_complaint(county, category="safety", subcategory=sub("quality", "渗漏"))
    assert exc.value.message_dict["subcategory"] == ["子类别“渗漏”不属于“安全”。"]
    assert not Complaint.objects.exists()
    complaint, _ = file_complaint(county, category=None, subcategory=sub("quality", "渗漏"))
    assert complaint.category_label == "质量 · 渗漏"


def test_the_public_form_offers_sub_categories_in_optgroups_and_files_them(clock, client, county):
    """文明施工 · 夜间施工 chosen on the public form (no script: a select grouped by <optgroup>)."""
    page = client.get(reverse("complaints:public-new")).content.decode()
    assert '<optgroup label="质量">' in page and '<optgroup label="文明施工">' in page and "夜间施工" in page
    data = {
        "county": county.pk,
        "address": "凤台街12号工地",
        "category": "civilized",
        "subcategory": sub("civilized", "夜间施工").pk,
        "description": "夜间22点后仍在进行混凝土浇筑，噪声扰民。",
    }
    response = client.post(reverse("complaints:public-new"), data, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert (complaint.category.name, complaint.subcategory.name) == ("文明施工", "夜间施工")
    wrong = client.post(reverse("complaints:public-new"), {**data, "category": "quality"})
    assert wrong.status_code == 400 and "不属于" in wrong.content.decode()
    assert Complaint.objects.count() == 1


def test_the_city_adds_a_sub_category_and_stops_it(clock, client, county, city_admin, county_user):
    quality = ComplaintCategory.objects.get(code="quality")
    with pytest.raises(PermissionDenied):
        services.save_category(user=county_user, name="防水", parent=quality)
    client.force_login(city_admin)
    url = reverse("complaints:categories")
    assert client.post(url, {"name": "门窗", "parent": quality.pk, "order": 60, "active": "on"}).status_code == 302
    added = ComplaintCategory.objects.get(name="门窗")
    assert added.parent == quality and added.code
    duplicate = client.post(url, {"name": "渗漏", "parent": quality.pk, "active": "on"})
    assert duplicate.status_code == 400 and "“渗漏”已存在" in duplicate.content.decode()
    nested = client.post(url, {"name": "三级", "parent": added.pk, "active": "on"})
    assert nested.status_code == 400
    client.post(url, {"pk": added.pk, "name": "门窗", "parent": quality.pk, "order": 60})  # 停用
    added = ComplaintCategory.objects.get(pk=added.pk)
    assert not added.active
    with pytest.raises(ValidationError, match="已停用"):
        file_complaint(county, category="quality", subcategory=added)
    assert ">门窗</option>" not in client.get(reverse("complaints:public-new")).content.decode()
    client.force_login(county_user)
    assert client.post(url, {"name": "防水", "parent": quality.pk}).status_code == 403
    assert client.get(url).status_code == 200


def test_the_analysis_counts_category_and_sub_category_gong_xing_wen_ti(db, county):
    """共性问题: 质量 · 渗漏 twice, 质量 · 开裂 once, 安全 without a sub-category once."""
    file_complaint(county, category="quality", subcategory=sub("quality", "渗漏"))
    file_complaint(county, category="quality", subcategory=sub("quality", "渗漏"))
    file_complaint(county, category="quality", subcategory=sub("quality", "开裂"))
    file_complaint(county, category="safety")
    qs = Complaint.objects.all()
    assert analysis.by_category(qs) == [("质量", 3), ("安全", 1), ("文明施工", 0), ("其他", 0)]
    assert analysis.by_subcategory(qs) == [("质量", "渗漏", 2), ("安全", "未细分", 1), ("质量", "开裂", 1)]


def test_the_api_enters_with_a_sub_category_and_shows_both(clock, county, county_user):
    api = api_client_for(county_user)
    data = {
        "channel": "phone",
        "received_on": "2024-03-12",
        "category": "safety",
        "subcategory": sub("safety", "临时用电").pk,
        "description": "临时配电箱无漏电保护，电线拖地。",
        "county": county.pk,
        "address": "泫氏街工地",
    }
    created = api.post("/api/v1/complaints/enter/", data, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()["complaint"]
    assert (body["category"], body["category_name"], body["subcategory_name"]) == ("safety", "安全", "临时用电")
    wrong = api.post("/api/v1/complaints/enter/", {**data, "category": "quality"}, format="json")
    assert wrong.status_code == 400 and "不属于" in str(wrong.json())
    listed = api.get("/api/v1/complaints/", {"subcategory": sub("safety", "临时用电").pk}).json()
    assert [r["tracking_no"] for r in listed["results"]] == [body["tracking_no"]]
