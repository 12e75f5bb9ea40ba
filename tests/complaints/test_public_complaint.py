"""A member of the public files a complaint (no login) and later reads its progress with number and secret."""

import pytest
from django.urls import reverse

from accounts.models import Enterprise
from complaints import services
from complaints.models import Complaint, ComplaintPhoto
from disclosure.models import ProjectDisclosure
from tests.complaints.factories import photo
from tests.disclosure.factories import disclosed_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(county, county_user):
    project = disclosed_project(county, county_user)
    return ProjectDisclosure.objects.get(project=project)


def _form(published, **extra):
    data = {
        "project": published.public_id,
        "category": "quality",
        "description": "外墙保温层大面积空鼓，部分已脱落。",
        "name": "李四",
        "phone": "13900001111",
    }
    data.update(extra)
    return data


def test_filing_with_a_photo_gives_a_tracking_number_and_a_secret(client, published, county):
    response = client.post(reverse("complaints:public-new"), _form(published, photos=[photo()]), follow=True)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.county == county and complaint.project == published.project
    assert response.context["complaint"].tracking_no == complaint.tracking_no
    secret = response.context["secret"]
    assert secret not in complaint.secret_digest and len(complaint.secret_digest) == 64
    assert ComplaintPhoto.objects.filter(complaint=complaint, content_type="image/jpeg").count() == 1
    assert "no-store" in response["Cache-Control"]


def test_address_and_county_when_no_project(client, county):
    data = {
        "category": "safety",
        "description": "某工地塔吊下方无警戒区，行人通行。",
        "address": "北城街与凤台街交叉口",
    }
    response = client.post(reverse("complaints:public-new"), data)
    assert response.status_code == 400 and not Complaint.objects.exists()
    assert "未选择项目时请选择所在县" in response.content.decode()
    response = client.post(reverse("complaints:public-new"), {**data, "county": county.pk}, follow=True)
    assert response.status_code == 200
    assert Complaint.objects.get().county == county


def test_unpublished_projects_cannot_be_named(client, county, county_user):
    project = disclosed_project(county, county_user, publish=False, name="未公示项目")
    hidden = ProjectDisclosure.objects.get(project=project)
    response = client.get(reverse("complaints:public-new"))
    assert "未公示项目" not in response.content.decode()
    response = client.post(
        reverse("complaints:public-new"),
        {"project": hidden.public_id, "category": "quality", "description": "描述描述描述描述描述描述"},
    )
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_status_check_shows_progress_and_the_reply(client, published, county_user):
    response = client.post(reverse("complaints:public-new"), _form(published), follow=True)
    number, secret = response.context["complaint"].tracking_no, response.context["secret"]
    complaint = Complaint.objects.get()
    services.accept(complaint, user=county_user)
    services.start_investigation(complaint, user=county_user)
    contractor = Enterprise.objects.get(name="山西建投第三建筑工程有限公司")
    services.close(
        complaint,
        user=county_user,
        findings="内部核查记录XYZ",
        reply="已责令施工单位整改完毕。",
        substantiated="yes",
        responsible_enterprise=contractor,
    )
    page = client.post(reverse("complaints:public-status"), {"tracking_no": number.lower(), "secret": secret})
    html = page.content.decode()
    assert page.status_code == 200
    assert "已办结（销号）" in html and "已责令施工单位整改完毕。" in html
    assert "内部核查记录XYZ" not in html and "13900001111" not in html and county_user.display_name not in html
    assert contractor.name not in html and "属实" not in html  # the verdict and the unit stay internal


def test_a_wrong_secret_or_number_says_the_same_and_shows_nothing(client, published):
    response = client.post(reverse("complaints:public-new"), _form(published), follow=True)
    number = response.context["complaint"].tracking_no
    wrong_secret = client.post(reverse("complaints:public-status"), {"tracking_no": number, "secret": "wrong"})
    wrong_number = client.post(reverse("complaints:public-status"), {"tracking_no": "TS20240101AAAAAA", "secret": "x"})
    for page in (wrong_secret, wrong_number):
        assert page.status_code == 400
        assert "受理编号或查询码不正确" in page.content.decode()
        assert "外墙保温层" not in page.content.decode()
    # The numbers are random: consecutive complaints share no counter.
    other = _form(published, description="楼梯间墙面开裂，裂缝宽度约2毫米。")
    second = client.post(reverse("complaints:public-new"), other, follow=True).context["complaint"].tracking_no
    assert number[:10] == second[:10] and number[10:] != second[10:]


def test_the_public_page_counts_complaints_but_shows_none_of_them(client, published, county_user):
    from tests.complaints.factories import file_complaint

    done, _ = file_complaint(project=published.project, description="已办结的投诉内容ABC")
    services.accept(done, user=county_user)
    services.start_investigation(done, user=county_user)
    services.close(done, user=county_user, findings="核查", reply="答复", substantiated="no")
    rejected, _ = file_complaint(project=published.project)
    services.reject(rejected, user=county_user, reason="不属于职责范围")
    file_complaint(project=published.project)
    html = client.get(reverse("disclosure:public-project", args=[published.public_id])).content.decode()
    assert "收到 <strong>2</strong> 件，已办结 <strong>1</strong> 件" in html
    assert "已办结的投诉内容ABC" not in html and done.tracking_no not in html
