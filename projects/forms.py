"""Web forms: field validation and widgets only; the views hand the cleaned data to projects.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from accounts.models import Enterprise, Region
from core.widgets import SearchableSelectsMixin
from projects import services
from projects.choices import ConstraintStatus, Stage
from projects.models import ConstraintRecord, GoalRule, MonthlyReport, Participant, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = list(services.PROJECT_FIELDS)
        widgets = {
            "planned_start": DATE,
            "planned_completion": DATE,
            "actual_start": DATE,
            "actual_completion": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["county"].queryset = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
        if user is not None and user.is_county_staff:
            self.fields["county"].queryset = Region.objects.filter(pk=user.region_id)
            self.fields["county"].initial = user.region_id
            self.fields["county"].disabled = True
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year
        for name in ("total_investment", "floor_area", "length", "prefab_rate"):
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.01"})
        self.fields["prefab_rate"].widget.attrs["max"] = "100"


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label="新阶段", choices=Stage.choices)
    changed_on = forms.DateField(label="转换日期", widget=DATE, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ParticipantForm(SearchableSelectsMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = list(services.PARTICIPANT_FIELDS)
        widgets = {"insurance_valid_until": DATE, "joined_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")

    def validate_unique(self):
        # project is set by the view; the service checks uniqueness with its own message
        pass


class ConstraintRecordForm(forms.ModelForm):
    participant = forms.ModelChoiceField(label="参建单位", queryset=Participant.objects.none())

    class Meta:
        model = ConstraintRecord
        fields = ["participant", *services.CONSTRAINT_FIELDS]
        widgets = {
            "occurred_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "required_action": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["participant"].queryset = project.participants.select_related("enterprise")


class ConstraintStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="新状态", choices=[(ConstraintStatus.RECTIFIED, "已整改"), (ConstraintStatus.EXPELLED, "清退出场")]
    )
    note = forms.CharField(label="处理说明", max_length=300, required=False)


class MonthlyReportForm(SearchableSelectsMixin, forms.ModelForm):
    """A new report's areas start blank (not 0) and must each be filled; all of them 0 needs the 本月无变化 tick,
    so an untouched form is never sent as an all-zero month."""

    project = forms.ModelChoiceField(label="项目", queryset=Project.objects.none())
    confirm_zero = forms.BooleanField(label="本月无变化，确认各项面积均为0", required=False)

    class Meta:
        model = MonthlyReport
        fields = ["project", "year", "month", *services.REPORT_INPUT_FIELDS]
        widgets = {
            "remarks": forms.Textarea(attrs={"rows": 2}),
            **{name: DATE for name in services.REPORT_MILESTONE_INPUTS},
        }
        help_texts = {name: "仅填写本月达到的节点及日期。" for name in services.REPORT_MILESTONE_INPUTS}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["project"].queryset = Project.objects.visible_to(user).order_by("code")
        if self.instance.pk:
            for name in ("project", "year", "month"):
                self.fields[name].disabled = True
        else:
            today = timezone.localdate()
            self.fields["year"].initial = today.year
            self.fields["month"].initial = today.month
        for name in MonthlyReport.AREA_FIELDS:
            field = self.fields[name]
            field.required = True
            field.error_messages["required"] = f"请填写{field.label}；本月没有请填0。"
            field.widget.attrs.update({"min": "0", "step": "0.01"})
            if not self.instance.pk and name not in (kwargs.get("initial") or {}):
                # the model's default 0 would read as a figure the unit entered
                self.initial.pop(name, None)
                field.initial = None
        self.fields["green_material_share"].widget.attrs.update({"min": "0", "max": "100", "step": "0.01"})

    def clean(self):
        cleaned = super().clean()
        areas = [cleaned.get(name) for name in MonthlyReport.AREA_FIELDS]
        if all(a is not None and a == 0 for a in areas) and not cleaned.get("confirm_zero"):
            self.add_error("confirm_zero", "各项面积均为0：如本月确无变化，请勾选“本月无变化，确认各项面积均为0”。")
        return cleaned


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    submit = forms.BooleanField(label="导入后直接提交审核", required=False)


class MilestoneForm(forms.Form):
    """The county records a milestone's planned and actual dates."""

    planned_on = forms.DateField(label="计划日期", required=False, widget=DATE)
    actual_on = forms.DateField(label="实际日期", required=False, widget=DATE)


class GoalRuleForm(forms.ModelForm):
    class Meta:
        model = GoalRule
        fields = list(services.GOAL_RULE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("min_prefab_rate", "min_energy_standard"):
            self.fields[name].widget.attrs.update({"min": "0", "max": "100", "step": "0.01"})

    def _post_clean(self):
        pass  # the service validates the rule (full_clean) and reports its errors on the form
