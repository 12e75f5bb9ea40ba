"""Web forms of the pilots: they only read input; the services validate the rules (core.forms.apply_service_errors)."""

from __future__ import annotations

from django import forms

from accounts.models import User
from pilots.choices import DeliveryModel, GreenLabel, Milestone, PilotType
from pilots.services import BOOL_TARGETS, PLAN_KINDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    document = forms.FileField(label="绿色建造策划方案", help_text=f"{'、'.join(PLAN_KINDS).upper()}，不超过20MB")
    star_target = forms.ChoiceField(label="绿色建筑星级目标", choices=GreenLabel.choices, initial=GreenLabel.TWO)
    prefab_rate = forms.CharField(label="装配率目标（%）", required=False)
    waste_target = forms.CharField(label="建筑垃圾排放目标（吨/万㎡）", required=False)
    green_material_share = forms.CharField(label="绿色建材应用比例目标（%）", required=False)
    delivery_model = forms.ChoiceField(label="组织管理模式", choices=DeliveryModel.choices)
    standardised_design = forms.BooleanField(label="采用标准化设计", required=False)
    bim_design = forms.BooleanField(label="设计阶段应用BIM", required=False)
    bim_production = forms.BooleanField(label="生产阶段应用BIM", required=False)
    bim_construction = forms.BooleanField(label="施工阶段应用BIM", required=False)
    smart_site = forms.BooleanField(label="智慧工地", required=False)
    robots = forms.BooleanField(label="建筑机器人等智能装备", required=False)
    pipeline_separation = forms.BooleanField(label="管线分离", required=False)
    assembled_decoration = forms.BooleanField(label="装配化装修", required=False)

    def targets(self) -> dict:
        data = self.cleaned_data
        keys = ("star_target", "delivery_model", "prefab_rate", "waste_target", "green_material_share", *BOOL_TARGETS)
        return {key: data.get(key) for key in keys}


class ApplyForm(PlanForm):
    project = forms.ModelChoiceField(label="项目", queryset=None)
    pilot_type = forms.ChoiceField(
        label="试点类型",
        choices=[("", "按项目是否政府投资确定"), *PilotType.choices],
        required=False,
    )
    field_order = ["project", "pilot_type"]

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ResubmitForm(PlanForm):
    note = forms.CharField(label="修改说明", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label="评审专家",
        queryset=User.objects.filter(role=User.Role.EXPERT, is_active=True).order_by("username"),
        help_text="至少3名；工作单位为本项目参建单位的专家须回避。",
    )


class OpinionForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="评审结论", choices=[("1", "通过"), ("0", "不通过")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    opinion = forms.CharField(label="评审意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="评审结论",
        choices=[("1", "评审通过（立项）"), ("0", "退回修改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="结论说明 / 修改要求", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MilestoneForm(forms.Form):
    milestone = forms.ChoiceField(label="节点", choices=Milestone.choices)
    completed_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="完成情况", max_length=500, required=False)


class CheckForm(forms.Form):
    checked_on = forms.DateField(label="检查日期", widget=DATE)
    findings = forms.CharField(
        label="检查发现的问题及建议", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for i, text in enumerate(items):
            self.fields[f"item_{i}"] = forms.TypedChoiceField(
                label=f"{i + 1}. {text}",
                choices=[("1", "符合"), ("0", "不符合")],
                coerce=lambda v: v == "1",
            )

    def answers(self) -> dict[int, bool]:
        return {i: self.cleaned_data[f"item_{i}"] for i in range(len(self.items)) if f"item_{i}" in self.cleaned_data}


class AcceptanceForm(forms.Form):
    accepted_on = forms.DateField(label="验收日期", widget=DATE)
    achieved_label = forms.ChoiceField(label="取得的绿色建筑标识", choices=GreenLabel.choices)
    passed = forms.TypedChoiceField(
        label="验收结论", choices=[("1", "验收通过"), ("0", "验收未通过")], coerce=lambda v: v == "1"
    )
    opinion = forms.CharField(label="验收意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
