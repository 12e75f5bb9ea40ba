"""Forms of the complaints app: the public form (with a honeypot), the status check and the ledger steps."""

from __future__ import annotations

import re
import secrets

from django import forms

from accounts.models import Enterprise, Region, User
from complaints import services
from complaints.choices import STAFF_CHANNELS, Satisfaction, Substantiated
from complaints.models import CalendarDay, ComplaintCategory, ReturnVisit
from core.forms import MultipleFileField, MultipleFileInput
from core.uploads import human_size
from core.widgets import AutocompleteSelect, PhoneInput
from disclosure.models import ProjectDisclosure
from projects.models import Project

PHONE_RE = re.compile(r"^[0-9+\-\s()]{7,20}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class PublishedProjectField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.project.name}（{obj.project.county.name}）"


def category_choices():
    """(top-level choices by code, sub-category choices grouped by category in <optgroup>s) of the active list."""
    tree = services.category_tree()
    tops = [(top.code, top.name) for top, _subs in tree]
    subs = [(top.name, [(sub.pk, sub.name) for sub in children]) for top, children in tree if children]
    return tops, subs


class CategoryFieldsMixin:
    """问题类别 then 子类别: a choice of the categories and a plain select of the sub-categories grouped by category
    (no script needed); services.resolve_category checks that the sub-category belongs to the category."""

    def _set_category_choices(self, blank_top: bool = False):
        tops, subs = category_choices()
        self.fields["category"].choices = ([("", "请选择")] if blank_top else []) + tops
        self.fields["subcategory"].choices = [("", "（不细分）"), *subs]


def _counties():
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class PublicComplaintForm(CategoryFieldsMixin, forms.Form):
    project = PublishedProjectField(
        label="投诉项目",
        queryset=ProjectDisclosure.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="（不选择项目，填写地点）",
        help_text="输入项目名称、编号或所在县（市、区）搜索已公示的项目；找不到时请填写地点和所在县（市、区）。",
        # Searchable: the page holds only the chosen project; matches come from the public search (published only).
        widget=AutocompleteSelect("public-projects", url_name="complaints:public-projects"),
    )
    county = forms.ModelChoiceField(
        label="所在县（市、区）", queryset=Region.objects.none(), required=False, empty_label="请选择"
    )
    address = forms.CharField(label="问题所在地点", max_length=200, required=False)
    category = forms.ChoiceField(label="问题类别", choices=(), widget=forms.RadioSelect)
    subcategory = forms.TypedChoiceField(
        label="具体问题",
        choices=(),
        required=False,
        coerce=int,
        empty_value=None,
        help_text="可选，请选择所选类别下的具体问题。",
    )
    description = forms.CharField(
        label="问题描述",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"min_length": "问题描述不少于10个字。", "max_length": "问题描述不超过2000个字。"},
    )
    photos = MultipleFileField(
        label="现场照片",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    name = forms.CharField(label="姓名", max_length=50, required=False, help_text="可不填；仅承办人员可见，不公开。")
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        required=False,
        help_text="可不填；仅承办人员可见，不公开。",
        widget=PhoneInput,
    )
    # Honeypot: hidden from people by CSS; a bot that fills every field gives itself away.
    website = forms.CharField(label="网址（请勿填写）", required=False)
    # One-time token, new with every blank form: the same form posted twice files once (services.submit_complaint).
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = secrets.token_urlsafe(24)
        self.fields["project"].queryset = ProjectDisclosure.objects.published().select_related("project__county")
        self.fields["county"].queryset = _counties()
        self._set_category_choices()
        limit, max_bytes = services.photo_limits()
        self.fields["photos"].help_text = f"可选，最多{limit}张，JPG 或 PNG，每张不超过{human_size(max_bytes)}。"

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError("请输入有效的电话号码。")
        return phone

    def clean_form_token(self):
        token = self.cleaned_data["form_token"].strip()
        return token if TOKEN_RE.match(token) else ""  # a token the page never made protects nothing

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError("提交失败，请刷新页面后重试。", code="honeypot")
        if not data.get("project"):
            if not data.get("county"):
                self.add_error("county", "未选择项目时请选择所在县（市、区）。")
            if not (data.get("address") or "").strip():
                self.add_error("address", "未选择项目时请填写问题所在地点。")
        return data

    @property
    def is_honeypot(self) -> bool:
        return any(e.code == "honeypot" for e in self.errors.as_data().get("__all__", []))


class StaffEntryForm(CategoryFieldsMixin, forms.Form):
    """登记: a complaint that came by 12345, phone, letter, visit or 信访 referral (rules in services.enter_complaint)."""

    channel = forms.ChoiceField(
        label="来源渠道", choices=[("", "请选择")] + [(c.value, c.label) for c in STAFF_CHANNELS]
    )
    received_on = forms.DateField(
        label="收到日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="投诉到达本局的日期（来电、来信收到、来访或转办之日）；受理时限从此日起按工作日计算。",
    )
    source_ref = forms.CharField(
        label="来文/工单编号", max_length=60, required=False, help_text="12345工单号、信访转办单号等"
    )
    county = forms.ModelChoiceField(label="承办县（市、区）", queryset=Region.objects.none(), empty_label="请选择")
    project = forms.ModelChoiceField(
        label="投诉项目", queryset=None, required=False, empty_label="（不选择项目，填写地点）"
    )
    address = forms.CharField(label="问题所在地点", max_length=200, required=False)
    category = forms.ChoiceField(label="问题类别", choices=())
    subcategory = forms.TypedChoiceField(label="子类别", choices=(), required=False, coerce=int, empty_value=None)
    description = forms.CharField(label="问题描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label="投诉人姓名", max_length=50, required=False, help_text="仅承办人和市局可见。")
    phone = forms.CharField(
        label="联系电话", max_length=30, required=False, help_text="仅承办人和市局可见。", widget=PhoneInput
    )
    documents = MultipleFileField(
        label="原件扫描件", required=False, help_text="来信、12345工单、信访转办单须上传；电话、来访可上传登记记录。"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        counties = _counties()
        projects = Project.objects.select_related("county").order_by("county__order", "name")
        if user is not None and not user.is_city_admin:
            counties = counties.filter(pk=user.region_id)
            projects = projects.filter(county_id=user.region_id)
            self.fields["county"].initial = user.region_id
        self.fields["county"].queryset = counties
        self.fields["project"].queryset = projects
        self._set_category_choices(blank_top=True)


class StatusCheckForm(forms.Form):
    tracking_no = forms.CharField(label="受理编号", max_length=24)
    # Never written back into the page (a failed check must not echo the code).
    secret = forms.CharField(label="查询码", max_length=32, widget=forms.PasswordInput(render_value=False))


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EnterpriseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EnterpriseMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CloseForm(forms.Form):
    """办结销号 (rules in services.close): the 核查结论 and, when true, the responsible unit(s) — participants of the
    complaint's project (check boxes, one or more), or for an address any one enterprise (the searchable select)."""

    findings = forms.CharField(
        label="核查情况",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写核查情况。"},
    )
    substantiated = forms.ChoiceField(
        label="核查结论",
        choices=[("", "请选择"), *Substantiated.choices],
        error_messages={"required": "请选择核查结论（属实、部分属实或不属实）。"},
    )
    responsible_enterprises = EnterpriseMultipleChoiceField(
        label="责任单位",
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "责任单位须为本项目的参建单位。"},
        help_text="属实或部分属实时认定（可多选），各记入其诚信档案；不向投诉人公开。",
    )
    responsible_enterprise = EnterpriseChoiceField(
        label="责任单位",
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label="（无）",
        error_messages={"invalid_choice": "责任单位须为本项目的参建单位。"},
        help_text="属实或部分属实时认定，记入该单位诚信档案；不向投诉人公开。",
    )
    reply = forms.CharField(
        label="答复意见（投诉人可见）",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写对投诉人的答复意见。"},
    )

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible_enterprise"]
        if complaint is not None and complaint.project_id:
            del self.fields["responsible_enterprise"]
            self.fields["responsible_enterprises"].queryset = services.responsible_choices(complaint)
        elif complaint is not None:
            del self.fields["responsible_enterprises"]
            field.queryset = services.responsible_choices(complaint)
            if not complaint.project_id:
                field.widget = AutocompleteSelect("enterprises")
                field.widget.choices = field.choices
                field.help_text = "属实或部分属实时可认定（可不选），记入该单位诚信档案；不向投诉人公开。"
                field.error_messages["invalid_choice"] = "所选责任单位不存在。"


class ReturnVisitForm(forms.Form):
    """回访: the complainant's satisfaction (by phone, recorded by staff; or on the public status page)."""

    satisfaction = forms.ChoiceField(
        label="满意度",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意度（满意、基本满意或不满意）。"},
    )
    note = forms.CharField(label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublicReturnVisitForm(ReturnVisitForm):
    """The complainant's own 评价 on the status page: a signed, short-lived token of the complaint the status check
    just opened (the query code itself is never written back into a page), then the satisfaction."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)


class ReopenDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=ReturnVisit.Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="决定理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CategoryForm(forms.Form):
    """问题类别 (city): add or edit a category or a sub-category (rules in services.save_category)."""

    name = forms.CharField(label="名称", max_length=30)
    parent = forms.ModelChoiceField(
        label="上级类别",
        queryset=ComplaintCategory.objects.none(),
        required=False,
        empty_label="（无，一级类别）",
    )
    order = forms.IntegerField(label="排序", min_value=0, max_value=999, required=False, initial=0)
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = ComplaintCategory.objects.top().order_by("order", "pk")


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="不予受理理由（投诉人可见）", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label="承办人", queryset=User.objects.none())

    def __init__(self, *args, county_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = User.objects.filter(
            role=User.Role.COUNTY_STAFF, region_id=county_id, is_active=True
        ).order_by("username")


class ReassignForm(forms.Form):
    county = forms.ModelChoiceField(label="改派至", queryset=Region.objects.none())
    reason = forms.CharField(label="改派理由", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = _counties()


class ExtensionForm(forms.Form):
    """申请延期 (the rules — later than the current deadline, a reason — are the service's)."""

    new_due = forms.DateField(label="申请延至", required=False, error_messages={"invalid": "请填写正确的日期。"})
    reason = forms.CharField(label="延期理由", max_length=1000, required=False)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
