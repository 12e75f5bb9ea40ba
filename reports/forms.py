from django import forms
from django.utils import timezone

from reports.models import ReportType


class ReportRequestForm(forms.Form):
    report_type = forms.ChoiceField(label="报表类型", choices=ReportType.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12, required=False, help_text="月度通报必填")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if name == "report_type" else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def params(self) -> dict:
        data = self.cleaned_data
        params = {"year": data["year"]}
        if data["report_type"] == ReportType.MONTHLY_BULLETIN:
            params["month"] = data.get("month")
        return params
