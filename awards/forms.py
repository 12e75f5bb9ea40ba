"""Web forms: input shape only; the rules are in awards.services (errors are put back on the fields)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from accounts.models import Enterprise, Region
from awards.models import DANHE_CODE, Award, DanheSelection, SavingsBonus
from core.widgets import SearchableSelectsMixin
from projects.choices import GENERAL_CONTRACTOR_ROLES
from projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_HELP = "单位：元，最多两位小数，可带千位分隔符。"


def grantable_projects(user):
    return Project.objects.visible_to(user).select_related("county").order_by("county__order", "code")


def bonus_projects(user):
    """The projects a user may confirm a saving or design bonus for (a unit user: where it is the 建设单位)."""
    projects = grantable_projects(user)
    if user is not None and user.is_unit_user:
        projects = projects.filter(participants__role="builder", participants__enterprise_id=user.enterprise_id)
    return projects.distinct()


def project_label(project: Project) -> str:
    return f"{project.code} {project.name}（{project.county.name}）"


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return project_label(obj)


class AwardRecordForm(SearchableSelectsMixin, forms.Form):
    project = ProjectChoiceField(label="项目", queryset=Project.objects.none())
    award = forms.ModelChoiceField(label="奖项", queryset=Award.objects.exclude(code=DANHE_CODE))
    year = forms.IntegerField(label="获奖年度", min_value=2000, max_value=2100)
    grant_date = forms.DateField(label="表彰日期", widget=DATE)
    document_no = forms.CharField(label="表彰文号", max_length=100)
    contractor = forms.ModelChoiceField(
        label="积分单位（总承包单位）",
        queryset=Enterprise.objects.filter(kinds__code__in=GENERAL_CONTRACTOR_ROLES).distinct(),
        required=False,
        help_text="留空时自动取项目的施工总承包或EPC单位；项目有多个总承包单位时必须指定。",
    )
    builder = forms.ModelChoiceField(
        label="奖金发放单位（建设单位）",
        queryset=Enterprise.objects.filter(kinds__code="builder"),
        required=False,
        help_text="留空时自动取项目的建设单位。",
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = grantable_projects(user)
        self.fields["year"].initial = timezone.localdate().year


class AwardValueForm(forms.Form):
    effective_from = forms.DateField(label="生效日期", widget=DATE)
    points = forms.DecimalField(label="积分", max_digits=6, decimal_places=2, min_value=0)
    bonus_wan = forms.DecimalField(label="奖金（万元）", max_digits=10, decimal_places=2, min_value=0)
    basis = forms.CharField(label="调整依据（文件）", max_length=200, required=False)


class DanheStartForm(forms.Form):
    county = forms.ModelChoiceField(label="县（市、区）", queryset=Region.objects.filter(level=Region.Level.COUNTY))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if user is not None and user.is_county_staff:
            self.fields["county"].queryset = Region.objects.filter(pk=user.region_id)
            self.fields["county"].initial = user.region_id


class DanheSettingsForm(forms.Form):
    method = forms.ChoiceField(label="评选方式", choices=DanheSelection.Method.choices)
    winners_count = forms.IntegerField(label="获奖数量", min_value=1)


class DanheConfirmForm(forms.Form):
    grant_date = forms.DateField(label="表彰日期", widget=DATE)
    document_no = forms.CharField(label="表彰文号", max_length=100)


class _BonusForm(SearchableSelectsMixin, forms.Form):
    project = ProjectChoiceField(label="项目", queryset=Project.objects.none())
    confirmed_on = forms.DateField(label="确认日期", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_unit_user:
            self.fields.pop("builder", None)
        self.fields["project"].queryset = bonus_projects(user)
        self.fields["confirmed_on"].initial = timezone.localdate()


class SavingsBonusForm(_BonusForm):
    proposer_kind = forms.ChoiceField(
        label="提出单位类别",
        choices=[(k.value, k.label) for k in SavingsBonus.ELIGIBLE_KINDS],
        help_text="只奖励监理单位（5%）和工程总承包单位（EPC，30%）；施工总承包单位不在奖励范围内。",
    )
    recipient = forms.ModelChoiceField(
        label="提出单位",
        queryset=Enterprise.objects.filter(kinds__code__in=("supervisor", "epc")).distinct(),
        required=False,
        help_text="留空时自动取项目中该类别的唯一参建单位。",
    )
    builder = forms.ModelChoiceField(
        label="确认单位（建设单位）", queryset=Enterprise.objects.filter(kinds__code="builder"), required=False
    )
    measure = forms.CharField(label="新工艺/新技术", max_length=200)
    amount_saved = forms.CharField(label="节约金额（元）", max_length=30, help_text=MONEY_HELP)

    field_order = ["project", "proposer_kind", "recipient", "builder", "measure", "amount_saved", "confirmed_on"]


class DesignBonusForm(_BonusForm):
    designer = forms.ModelChoiceField(
        label="设计单位", queryset=Enterprise.objects.filter(kinds__code="design"), required=False
    )
    builder = forms.ModelChoiceField(
        label="建设单位", queryset=Enterprise.objects.filter(kinds__code="builder"), required=False
    )
    approved_estimate = forms.CharField(label="批复概算建安费（元）", max_length=30, help_text=MONEY_HELP)
    drawing_budget = forms.CharField(label="施工图预算建安费（元）", max_length=30, help_text=MONEY_HELP)
    base_design_fee = forms.CharField(label="施工图设计费基数（元）", max_length=30, help_text=MONEY_HELP)

    field_order = [
        "project",
        "designer",
        "builder",
        "approved_estimate",
        "drawing_budget",
        "base_design_fee",
        "confirmed_on",
    ]


class TenderDateForm(forms.Form):
    """The tender date of the enterprise record's "信用等级（截至某日）" (a GET form: it only reads)."""

    tender_date = forms.DateField(
        label="招标日期",
        required=False,
        widget=DATE,
        error_messages={"invalid": "请输入有效的日期，例如 2026-03-01。"},
    )

    def clean_tender_date(self):
        day = self.cleaned_data.get("tender_date")
        if day and day > timezone.localdate():
            raise forms.ValidationError("招标日期不能晚于今天（尚无当日的信用记录）。")
        return day
