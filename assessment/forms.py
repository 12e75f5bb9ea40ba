"""Web forms: they validate input shapes; the rules live in assessment.services."""

from __future__ import annotations

from django import forms
from django.conf import settings

from accounts.models import Region
from assessment.models import Submission
from assessment.services import EDITABLE_FIELDS
from core import uploads


class SubmissionForm(forms.ModelForm):
    """The county's month: figures, facts, counts, the 4-part report, self-score; plus a correction note
    for every prefilled figure (``note_<field>``)."""

    class Meta:
        model = Submission
        fields = list(EDITABLE_FIELDS)
        widgets = {
            **{f: forms.NumberInput(attrs={"step": "0.01", "min": "0"}) for f in Submission.FIGURE_FIELDS},
            **{f: forms.NumberInput(attrs={"min": "0", "step": "1"}) for f in Submission.COUNT_FIELDS},
            **{f: forms.Textarea(attrs={"rows": 3}) for f in Submission.REPORT_FIELDS},
            "decrease_explanation": forms.Textarea(attrs={"rows": 2}),
            "self_score": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in Submission.COUNT_FIELDS:
            self.fields[field].required = False  # empty means 0
        prefilled = self.instance.prefilled or {}
        notes = self.instance.correction_notes or {}
        for field in Submission.FIGURE_FIELDS:
            if field in prefilled:
                self.fields[f"note_{field}"] = forms.CharField(
                    label="更正说明",
                    required=False,
                    initial=notes.get(field, ""),
                    help_text=f"项目月报预填值：{prefilled[field]}；如修改请说明原因。",
                )

    def values(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in EDITABLE_FIELDS if f in self.cleaned_data}

    def notes(self) -> dict:
        return {f: self.cleaned_data.get(f"note_{f}", "") for f in Submission.FIGURE_FIELDS}


class StartForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])


class EvidenceForm(forms.Form):
    item = forms.ChoiceField(label="考评项")
    file = forms.FileField(label="文件", help_text=uploads.help_text(settings.UPLOAD_MAX_BYTES))

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        if submission is not None:
            self.fields["item"].choices = [(i.code, f"{i.code} {i.content}") for i in submission.rubric.items.all()]


class AdjustmentForm(forms.Form):
    points = forms.DecimalField(label="加减分", max_digits=5, decimal_places=2, help_text="加分填正数，减分填负数")
    reason = forms.CharField(label="理由", max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class PaperForm(forms.Form):
    paper_received_on = forms.DateField(
        label="纸质原件送达日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ExceptionForm(forms.Form):
    county = forms.ModelChoiceField(
        label="县（市、区）", queryset=Region.objects.filter(level=Region.Level.COUNTY).order_by("order")
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="月份", coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)])
    new_deadline = forms.DateTimeField(
        label="延至", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    reason = forms.CharField(label="理由", max_length=300)


def return_form_class(items):
    """A form with one comment field per rubric item, plus a general comment."""
    fields = {
        "general": forms.CharField(label="总体意见", required=False, widget=forms.Textarea(attrs={"rows": 2})),
    }
    for item in items:
        fields[f"comment_{item.code}"] = forms.CharField(label=f"{item.code} {item.content}", required=False)
    return type("ReturnForm", (forms.Form,), fields)
