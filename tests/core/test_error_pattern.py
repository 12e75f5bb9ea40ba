"""One error pattern on every form: a linked summary on top ("请修改以下 N 处错误", focused on load), each message
beside its field (aria-invalid, aria-describedby), and a chosen file that is not kept is said to be lost."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from complaints.models import Complaint
from disclosure.models import ProjectDisclosure
from tests.complaints.factories import photo
from tests.disclosure.factories import disclosed_project

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PATTERN = ("partials/form_fields.html", "partials/error_summary.html")

# (The review queue's 接收 buttons are written by the row tag projects_ui.report_rows: one button, the result as a
# message after the redirect.)
# Templates whose POST forms carry no typed fields (a button, a choice that comes back as a message after the
# redirect) or are someone else's area; each with why it needs no summary.
NO_SUMMARY = {
    "base.html": "退出登录: one button",
    "partials/confirm_step.html": "the 请确认 step: the form was already validated, it re-posts it with 确认",
    "accounts/user_detail.html": "password link / deactivate / reactivate: buttons, result as a message",
    "assessment/_evidence_list.html": "delete buttons",
    "assessment/ranking.html": "publish button with a confirmation",
    "assessment/submission_detail.html": "paper acceptance, adjustment, approve: small action forms, errors as a message",
    "assessment/submission_check.html": "报送市局: one button on the pre-send check page, which itself lists what is missing",
    "assessment/submission_list.html": "start a month: a period choice, errors as a message",
    "assessment/year_setup.html": "the targets grid shows each cell's error in its cell (a table, not a form's fields)",
    "complaints/detail.html": "handling steps: each answer's errors come back as a message after the redirect",
    "disclosure/manage_list.html": "publish buttons",
    "projects/_milestones.html": "a milestone's two dates in its table row: errors come back as a message after the redirect",
    "evaluation/evaluation_detail.html": "panel add/remove, close: action forms, errors as a message",
    "evaluation/library.html": "add-to-library button",
    "evaluation/review_detail.html": "decide buttons, errors as a message",
    "evaluation/sheet_form.html": "a score grid with its own per-cell and sheet messages",
    "evaluation/template_list.html": "veto toggle buttons",
    "inspections/plan_draw_confirm.html": "confirm button",
    "notifications/notification_list.html": "全部标为已读: one button",
    "notifications/preferences.html": "checkboxes only, nothing can be invalid",
    "projects/project_detail.html": "stage change, constraint status: action forms, errors as a message",
    "projects/report_detail.html": "submit / accept / return: action forms, errors as a message",
    "registration/login.html": "two fields; a failed login is one message (login-error), never which field was wrong",
}


def _form_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<form\b[^>]*method=\"post\"", text):
            yield path.relative_to(TEMPLATES).as_posix(), text


def test_every_post_form_template_shows_the_error_summary_or_says_why_not():
    missing = [
        name for name, text in _form_templates() if name not in NO_SUMMARY and not any(p in text for p in PATTERN)
    ]
    assert missing == []


def test_the_allow_list_names_only_templates_that_lack_the_pattern():
    templates = dict(_form_templates())
    stale = [name for name in NO_SUMMARY if name not in templates or any(p in templates[name] for p in PATTERN)]
    assert stale == []


@pytest.fixture
def published(county, county_user):
    return ProjectDisclosure.objects.get(project=disclosed_project(county, county_user))


def _complaint(published, **extra):
    data = {
        "project": published.public_id,
        "category": "quality",
        "description": "外墙保温层大面积空鼓，部分已脱落。",
        "phone": "12",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_an_invalid_public_complaint_lists_its_errors_linked_to_the_fields(client, published):
    response = client.post(reverse("complaints:public-new"), _complaint(published, description="太短"))
    assert response.status_code == 400 and not Complaint.objects.exists()
    html = response.content.decode()
    summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
    assert "请修改以下 2 处错误" in summary
    assert 'href="#id_description"' in summary and "问题描述不少于10个字" in summary
    assert 'href="#id_phone"' in summary and "请输入有效的电话号码" in summary
    assert 'role="alert"' in html and 'tabindex="-1"' in html
    phone_input = re.search(r"<input[^>]*id=\"id_phone\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in phone_input and 'aria-describedby="err-phone"' in phone_input
    assert 'id="err-phone"' in html


@pytest.mark.django_db
def test_a_valid_page_has_no_summary(client):
    html = client.get(reverse("complaints:public-new")).content.decode()
    assert "data-error-summary" not in html and "aria-invalid" not in html


def _kept_token(html: str) -> str:
    return re.search(r'name="kept_photos" value="([^"]+)"', html).group(1)


@pytest.mark.django_db
def test_a_photo_chosen_with_a_bad_phone_is_kept_and_filed_with_the_corrected_post(client, published, settings):
    response = client.post(reverse("complaints:public-new"), _complaint(published, photos=[photo(name="墙面.jpg")]))
    assert response.status_code == 400 and not Complaint.objects.exists()
    html = response.content.decode()
    assert "已保留所选照片（墙面.jpg）" in html and "所选文件未保存" not in html
    token = _kept_token(html)
    response = client.post(  # the browser sends no file this time: the kept photo is filed
        reverse("complaints:public-new"), _complaint(published, phone="13900001111", kept_photos=token), follow=True
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 1 and complaint.photos.get().content_type == "image/jpeg"
    assert not (Path(settings.MEDIA_ROOT) / "complaint-drafts" / token).exists() or not any(
        (Path(settings.MEDIA_ROOT) / "complaint-drafts" / token).iterdir()
    )  # the draft is removed once filed


@pytest.mark.django_db
def test_kept_photos_stay_through_a_second_error_and_a_new_choice_replaces_them(client, published):
    html = client.post(reverse("complaints:public-new"), _complaint(published, photos=[photo()])).content.decode()
    token = _kept_token(html)
    html = client.post(
        reverse("complaints:public-new"), _complaint(published, description="太短", kept_photos=token)
    ).content.decode()
    assert _kept_token(html) == token
    client.post(
        reverse("complaints:public-new"),
        _complaint(published, phone="", kept_photos=token, photos=[photo(name="a.jpg"), photo(name="b.jpg")]),
    )
    assert Complaint.objects.get().photos.count() == 2


@pytest.mark.django_db
def test_a_kept_photo_token_from_another_browser_attaches_nothing(client, published):
    html = client.post(reverse("complaints:public-new"), _complaint(published, photos=[photo()])).content.decode()
    token = _kept_token(html)
    client.cookies.clear()  # another browser: a session that never kept this token
    client.post(reverse("complaints:public-new"), _complaint(published, phone="", kept_photos=token))
    assert Complaint.objects.get().photos.count() == 0


@pytest.mark.django_db
def test_a_photo_that_is_itself_wrong_is_not_kept_and_the_page_says_so(client, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    html = client.post(reverse("complaints:public-new"), _complaint(published, photos=[bad])).content.decode()
    assert "所选文件未保存，请重新选择" in html and 'name="kept_photos"' not in html
    assert 'href="#id_photos"' in html  # the photo's own error is in the summary too


@pytest.mark.django_db
def test_no_lost_file_message_when_no_file_was_chosen(client, published):
    response = client.post(reverse("complaints:public-new"), _complaint(published))
    assert "所选文件未保存" not in response.content.decode()
