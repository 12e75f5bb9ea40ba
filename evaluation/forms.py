"""Web forms: they parse input; the rules live in evaluation.services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from accounts.models import User
from core.widgets import SearchableSelectsMixin
from evaluation.choices import ELEMENT_ORDER, Element
from projects.choices import JingpinStatus
from projects.models import Project


class ExpertChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        employer = obj.enterprise.name if obj.enterprise_id else "无工作单位登记"
        return f"{obj.display_name}（{employer}）"


class ExpertField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ExpertChoiceField.label_from_instance(self, obj)


class OpenEvaluationForm(SearchableSelectsMixin, forms.Form):
    project = forms.ModelChoiceField(label="项目", queryset=Project.objects.none(), empty_label="请选择培育中的项目")
    year = forms.IntegerField(label="评价年度", min_value=2000, max_value=2100)
    due_date = forms.DateField(label="评分截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    experts = ExpertChoiceField(
        label="评审专家（至少3名）",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="工作单位为本项目参建单位的专家须回避，系统将拒绝并说明原因。",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.visible_to(user).filter(jingpin_status=JingpinStatus.CULTIVATING).order_by("code")
        )
        self.fields["experts"].queryset = User.objects.experts().select_related("enterprise").order_by("username")
        self.fields["year"].initial = timezone.localdate().year
        self.fields["due_date"].initial = timezone.localdate() + dt.timedelta(days=14)

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value < timezone.localdate():
            raise forms.ValidationError("评分截止日期不能早于今天。")
        return value


class AssignExpertForm(forms.Form):
    expert = ExpertField(label="增加评审专家", queryset=User.objects.none(), empty_label="请选择专家")

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.experts().select_related("enterprise").order_by("username")
        if evaluation is not None:
            qs = qs.exclude(panel_seats__evaluation=evaluation)
        self.fields["expert"].queryset = qs


ITEM_SEPARATORS = ("｜", "|")


class TemplateEditForm(forms.Form):
    """Each element: a weight and its items as lines "评分项内容｜满分"."""

    name = forms.CharField(label="名称", max_length=100)
    note = forms.CharField(label="修订说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in ELEMENT_ORDER:
            label = Element(code).label
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=f"{label}权重", max_digits=5, decimal_places=2, min_value=0
            )
            self.fields[f"items_{code}"] = forms.CharField(
                label=f"{label}评分项",
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="每行一项：评分项内容｜满分（满分之和须等于该要素权重）。",
            )

    @staticmethod
    def initial_from(template, data) -> dict:
        initial = {"name": template.name, "note": ""}
        for element in data:
            initial[f"weight_{element['element']}"] = element["weight"]
            initial[f"items_{element['element']}"] = "\n".join(
                f"{i['text']}｜{i['max_score']}" for i in element["items"]
            )
        return initial

    def clean(self):
        cleaned = super().clean()
        elements = []
        for code in ELEMENT_ORDER:
            text = cleaned.get(f"items_{code}")
            if text is None:
                continue
            items = []
            for n, line in enumerate(text.splitlines(), start=1):
                line = line.strip()
                if not line:
                    continue
                sep = next((s for s in ITEM_SEPARATORS if s in line), None)
                if sep is None:
                    self.add_error(f"items_{code}", f"第{n}行缺少“｜满分”，格式应为：评分项内容｜满分。")
                    items = None
                    break
                label, _, maximum = line.rpartition(sep)
                items.append({"text": label.strip(), "max_score": maximum.strip()})
            if items is not None:
                elements.append({"element": code, "weight": cleaned.get(f"weight_{code}"), "items": items})
        cleaned["elements"] = elements
        return cleaned
