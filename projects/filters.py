"""One FilterSet per model, shared by the web lists and the API (same parameters in both)."""

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import Enterprise, Region
from core.filters import YearFilter
from projects.choices import (
    Category,
    ConstraintKind,
    ConstraintStatus,
    JingpinStatus,
    ParticipantRole,
    ReportStatus,
    Stage,
)
from projects.models import ConstraintRecord, MonthlyReport, Participant, Project

YES_NO = (("true", "是"), ("false", "否"))


def _counties(request=None):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="项目编号或名称")
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=_counties, empty_label="全部")
    category = django_filters.ChoiceFilter(label="工程类别", choices=Category.choices, empty_label="全部")
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(
        label="精品工程状态", field_name="jingpin_status", choices=JingpinStatus.choices, empty_label="全部"
    )
    government_invested = django_filters.ChoiceFilter(
        label="政府投资", choices=YES_NO, method="yes_no", empty_label="全部"
    )
    green_pilot = django_filters.ChoiceFilter(label="绿色建造试点", choices=YES_NO, method="yes_no", empty_label="全部")
    year = YearFilter(label="立项年度")

    class Meta:
        model = Project
        fields = ["q", "county", "category", "stage", "status", "government_invested", "green_pilot", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "true"})


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="单位、项目或关键岗位人员")
    project = django_filters.NumberFilter(label="项目ID", field_name="project_id", widget=forms.HiddenInput)
    county = django_filters.ModelChoiceFilter(
        label="县（市、区）", field_name="project__county", queryset=_counties, empty_label="全部"
    )
    enterprise = django_filters.ModelChoiceFilter(label="单位", queryset=Enterprise.objects.all(), empty_label="全部")
    role = django_filters.ChoiceFilter(label="参建角色", choices=ParticipantRole.choices, empty_label="全部")
    insurance = django_filters.ChoiceFilter(
        label="保险状态",
        choices=(("problem", "缺失或过期"), ("ok", "有效或不要求")),
        method="insurance_state",
        empty_label="全部",
    )

    class Meta:
        model = Participant
        fields = ["q", "project", "county", "enterprise", "role", "insurance"]

    def insurance_state(self, queryset, name, value):
        problems = queryset.insurance_problems().values("pk")
        return queryset.filter(pk__in=problems) if value == "problem" else queryset.exclude(pk__in=problems)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(enterprise__name__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
            | Q(key_person__icontains=value)
        )


class ConstraintRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="项目、单位或情况描述")
    project = django_filters.NumberFilter(
        label="项目ID", field_name="participant__project_id", widget=forms.HiddenInput
    )
    county = django_filters.ModelChoiceFilter(
        label="县（市、区）", field_name="participant__project__county", queryset=_counties, empty_label="全部"
    )
    enterprise = django_filters.ModelChoiceFilter(
        label="单位", field_name="participant__enterprise", queryset=Enterprise.objects.all(), empty_label="全部"
    )
    kind = django_filters.ChoiceFilter(label="类别", choices=ConstraintKind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=ConstraintStatus.choices, empty_label="全部")

    class Meta:
        model = ConstraintRecord
        fields = ["q", "project", "county", "enterprise", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(participant__project__name__icontains=value)
            | Q(participant__project__code__icontains=value)
            | Q(participant__enterprise__name__icontains=value)
            | Q(description__icontains=value)
        )


class MonthlyReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="项目编号或名称")
    project = django_filters.NumberFilter(label="项目ID", field_name="project_id", widget=forms.HiddenInput)
    county = django_filters.ModelChoiceFilter(
        label="县（市、区）", field_name="county", queryset=_counties, empty_label="全部"
    )
    year = YearFilter(label="年度")
    month = django_filters.NumberFilter(label="月份")
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices, empty_label="全部")

    class Meta:
        model = MonthlyReport
        fields = ["q", "project", "county", "year", "month", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(project__code__icontains=value) | Q(project__name__icontains=value))
