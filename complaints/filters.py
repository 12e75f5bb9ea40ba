"""The ledger's FilterSet, used by the web list and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.models import Region
from complaints.choices import IntakeChannel, Status
from complaints.models import Complaint, ComplaintCategory
from core.filters import YearFilter

YES_NO = (("yes", "是"), ("no", "否"))


def _counties(request):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="受理编号、项目、地点或问题描述")
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=_counties, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, empty_label="全部")
    category = django_filters.ModelChoiceFilter(
        label="类别",
        queryset=lambda request: ComplaintCategory.objects.top().order_by("order", "pk"),
        to_field_name="code",
        empty_label="全部",
    )
    subcategory = django_filters.ModelChoiceFilter(
        label="子类别",
        queryset=lambda request: (
            ComplaintCategory.objects.filter(parent__isnull=False)
            .select_related("parent")
            .order_by("parent__order", "order", "pk")
        ),
        empty_label="全部",
    )
    channel = django_filters.ChoiceFilter(label="来源渠道", choices=IntakeChannel.choices, empty_label="全部")
    overdue = django_filters.ChoiceFilter(label="逾期", choices=YES_NO, method="by_overdue", empty_label="全部")
    year = YearFilter(label="年度", field_name="received_at__year")
    project = django_filters.NumberFilter(label="项目ID", field_name="project_id", widget=forms.HiddenInput)

    class Meta:
        model = Complaint
        fields = ["q", "county", "status", "category", "subcategory", "channel", "overdue", "year", "project"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(tracking_no__icontains=value)
            | Q(project__name__icontains=value)
            | Q(address__icontains=value)
            | Q(description__icontains=value)
            | Q(source_ref__icontains=value)
        )

    def by_overdue(self, queryset, name, value):
        overdue = queryset.overdue(timezone.localdate())
        if value == "yes":
            return overdue
        if value == "no":
            return queryset.exclude(pk__in=overdue.values("pk"))
        return queryset
