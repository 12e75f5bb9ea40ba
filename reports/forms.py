from django import forms
from django.utils import timezone

from assessment.models import Submission
from reports.choices import ReportType


def default_bulletin_month() -> tuple[int, int]:
    """The month the form offers: the latest month with published results (a bulletin of an unpublished month only
    says 尚未发布); before anything is published, the previous calendar month."""
    latest = Submission.objects.published().order_by("-year", "-month").values_list("year", "month").first()
    if latest:
        return latest
    today = timezone.localdate()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


class ReportRequestForm(forms.Form):
    report_type = forms.ChoiceField(label="报表类型", choices=ReportType.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12, required=False, help_text="月度通报必填")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year, month = default_bulletin_month()
        self.fields["year"].initial = year
        self.fields["month"].initial = month
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if name == "report_type" else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def params(self) -> dict:
        data = self.cleaned_data
        params = {"year": data["year"]}
        if data["report_type"] == ReportType.MONTHLY_BULLETIN:
            params["month"] = data.get("month")
        return params
