import django_filters

from accounts.models import Region
from assessment.choices import Status
from assessment.models import (
    Adjustment,
    AnnualTarget,
    AuditEntry,
    DeadlineException,
    Evidence,
    Rubric,
    RubricItem,
    Submission,
)
from core.filters import YearFilter

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]


def _counties(request):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order")


class SubmissionFilter(django_filters.FilterSet):
    year = YearFilter(label="年度")
    month = django_filters.ChoiceFilter(label="月份", choices=MONTH_CHOICES)
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=_counties)
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices)
    is_late = django_filters.BooleanFilter(label="逾期")

    class Meta:
        model = Submission
        fields = ["year", "month", "county", "status", "is_late"]


class RubricFilter(django_filters.FilterSet):
    class Meta:
        model = Rubric
        fields = ["year", "version"]


class RubricItemFilter(django_filters.FilterSet):
    class Meta:
        model = RubricItem
        fields = ["rubric", "code", "kind"]


class AnnualTargetFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=_counties)

    class Meta:
        model = AnnualTarget
        fields = ["year", "county"]


class EvidenceFilter(django_filters.FilterSet):
    item_code = django_filters.CharFilter(label="考评项编号", field_name="item__code")

    class Meta:
        model = Evidence
        fields = ["submission", "item_code"]


class AdjustmentFilter(django_filters.FilterSet):
    year = YearFilter(label="年度", field_name="submission__year")
    month = django_filters.NumberFilter(label="月份", field_name="submission__month")

    class Meta:
        model = Adjustment
        fields = ["submission", "year", "month"]


class DeadlineExceptionFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=_counties)

    class Meta:
        model = DeadlineException
        fields = ["year", "month", "county"]


class AuditEntryFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=_counties)
    month = django_filters.ChoiceFilter(label="月份", choices=MONTH_CHOICES)
    kind = django_filters.ChoiceFilter(label="类别", choices=AuditEntry.Kind.choices)
    submission = django_filters.NumberFilter(label="报送编号", field_name="submission_id")

    class Meta:
        model = AuditEntry
        fields = ["year", "month", "county", "kind", "submission"]
