"""Web forms: they validate input shapes; the rules live in inspections.services."""

from __future__ import annotations

from django import forms
from django.conf import settings

from accounts.models import Region
from core import uploads
from core.forms import MultipleFileField
from inspections import draw as drawing
from inspections.models import PROXY_CHANNELS, AnswerChannel, ChecklistTemplate, InspectionPlan, Severity
from projects.choices import Category, ParticipantRole, Stage

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
FILE_HELP = f"照片或文件：{uploads.help_text(settings.UPLOAD_MAX_BYTES)}，可多选"


class PlanForm(forms.ModelForm):
    scope_categories = forms.MultipleChoiceField(
        label="工程类别",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选为全部",
    )
    scope_stages = forms.MultipleChoiceField(
        label="项目阶段",
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选为仅在建（施工阶段）项目；检查其他阶段的项目须勾选（全选为全部阶段）",
    )
    scope_counties = forms.ModelMultipleChoiceField(
        label="检查范围（县）",
        queryset=Region.objects.filter(level=Region.Level.COUNTY).order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选为全市",
    )

    class Meta:
        model = InspectionPlan
        fields = [
            "name",
            "year",
            "period_start",
            "period_end",
            "scope_counties",
            "scope_categories",
            "scope_stages",
            "pilot_only",
            "jingpin_only",
            "project_count",
            "team_size",
            "enforcement_seats",
            "recency_months",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.is_city_admin:
            del self.fields["scope_counties"]  # a county inspects its own projects


class LockForm(forms.Form):
    value_source = forms.CharField(
        label="公开随机值来源",
        max_length=200,
        help_text="锁定后不可更改。写明将来某一天公开的、组织单位无法左右的数值，"
        "如“2027年1月5日 中国福利彩票双色球第2027002期开奖号码”或“上证指数2027年1月5日收盘价”。",
    )
    value_not_before = forms.DateField(
        label="公开随机值公布日期",
        widget=DATE,
        help_text="须晚于今天（北京时间）；自该日起方可输入公开随机值并抽取。",
    )
    credit_weighted = forms.BooleanField(
        label="按信用等级差异化抽取",
        required=False,
        help_text="勾选后，各备选项目按其施工总承包、工程总承包单位中最低的当前信用等级加权抽取（等级越低，"
        "被抽中的机会越大）；各等级权重和每个项目的等级、权重随锁定记录一并公示，计入承诺值。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for grade in drawing.GRADES:
            self.fields[f"weight_{grade.lower()}"] = forms.IntegerField(
                label=f"{grade}级权重",
                required=False,
                initial=drawing.DEFAULT_GRADE_WEIGHTS[grade],
                min_value=drawing.MIN_WEIGHT,
                max_value=drawing.MAX_WEIGHT,
                error_messages={
                    "invalid": f"{grade}级权重须为整数。",
                    "min_value": f"{grade}级权重不能小于{drawing.MIN_WEIGHT}。",
                    "max_value": f"{grade}级权重不能大于{drawing.MAX_WEIGHT}。",
                },
                help_text="仅在差异化抽取时使用，1至10的整数" if grade == "D" else "",
            )

    def lock_arguments(self) -> dict:
        """What services.lock_plan takes: the weights per grade as one mapping (used only when weighted)."""
        data = dict(self.cleaned_data)
        weights = {grade: data.pop(f"weight_{grade.lower()}", None) for grade in drawing.GRADES}
        data["grade_weights"] = weights if data.get("credit_weighted") else None
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label="作废原因（将公开）", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DrawForm(forms.Form):
    public_value = forms.CharField(
        label="公开随机值",
        max_length=100,
        help_text="照录锁定时声明的来源所公布的数值；提交后先显示确认页，确认后才抽取，只能输入一次。",
    )


class DrawConfirmForm(forms.Form):
    public_value = forms.CharField(max_length=100, widget=forms.HiddenInput)


class RecordForm(forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    template = forms.ModelChoiceField(
        label="检查表", queryset=ChecklistTemplate.objects.filter(active=True), required=False
    )
    summary = forms.CharField(label="检查情况（将公开）", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FindingForm(forms.Form):
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices)
    responsible_role = forms.ChoiceField(label="责任主体", choices=ParticipantRole.choices)
    deadline = forms.DateField(label="整改期限", widget=DATE)
    checklist_item = forms.CharField(label="对应检查项", max_length=200, required=False)
    files = MultipleFileField(label="取证照片/文件", required=False, help_text=FILE_HELP)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="整改佐证（照片/文件）", required=False, help_text=FILE_HELP)


class PaperAnswerForm(forms.Form):
    channel = forms.ChoiceField(
        label="代录方式", choices=[(c.value, c.label) for c in AnswerChannel if c in PROXY_CHANNELS]
    )
    received_on = forms.DateField(
        label="回复收到日期", widget=DATE, help_text="书面回复收到或现场复查的日期，按此日期认定是否按时"
    )
    answer = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="书面回复扫描件/复查记录", required=False, help_text=FILE_HELP)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="整改完成日期", widget=DATE)
    note = forms.CharField(label="复查意见", max_length=300, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明整改不到位之处（必填）",
    )
    new_deadline = forms.DateField(label="新的整改期限", widget=DATE, help_text="须晚于今天")


class PenaltyForm(forms.Form):
    penalty_doc_no = forms.CharField(label="行政处罚决定书文号", max_length=60, required=False)
    penalty_on = forms.DateField(label="处罚日期", widget=DATE, required=False)
    penalty_note = forms.CharField(label="处罚内容", max_length=300, required=False)


class EscalateForm(PenaltyForm):
    note = forms.CharField(label="处理意见", max_length=300, required=False)


class A1OverrideForm(forms.Form):
    value = forms.TypedChoiceField(
        label="市局认定",
        choices=[("", "取消认定，按检查记录计算"), ("1", "是：问题均按时整改到位、依法处罚"), ("0", "否")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(label="认定理由", max_length=300)
