"""One FilterSet per model, shared by the web lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from accounts.models import Region
from core.filters import YearFilter
from inspections.models import (
    OPEN_NOTICE_STATUSES,
    Inspection,
    InspectionPlan,
    InspectionStatus,
    NoticeStatus,
    PlanStatus,
    RectificationNotice,
    Severity,
)


def counties(request=None):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class PlanFilter(django_filters.FilterSet):
    year = YearFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=PlanStatus.choices)
    county = django_filters.ModelChoiceFilter(label="组织单位（县）", queryset=counties)
    q = django_filters.CharFilter(label="搜索", field_name="name", lookup_expr="icontains")

    class Meta:
        model = InspectionPlan
        fields = ["year", "status", "county", "q"]


class InspectionFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(label="检查计划", field_name="plan_id", min_value=1, max_value=2**31 - 1)
    county = django_filters.ModelChoiceFilter(label="县（市、区）", field_name="project__county", queryset=counties)
    status = django_filters.ChoiceFilter(label="状态", choices=InspectionStatus.choices)

    class Meta:
        model = Inspection
        fields = ["plan", "county", "status"]


class NoticeFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(
        label="县（市、区）", field_name="finding__inspection__project__county", queryset=counties
    )
    status = django_filters.ChoiceFilter(label="状态", choices=NoticeStatus.choices)
    severity = django_filters.ChoiceFilter(label="严重程度", field_name="finding__severity", choices=Severity.choices)
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue")
    q = django_filters.CharFilter(label="搜索", method="filter_q")

    class Meta:
        model = RectificationNotice
        fields = ["county", "status", "severity", "overdue", "q"]

    def filter_overdue(self, queryset, name, value):
        condition = Q(status__in=OPEN_NOTICE_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(finding__inspection__project__name__icontains=value)
            | Q(finding__participant__enterprise__name__icontains=value)
        )
