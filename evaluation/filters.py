"""One FilterSet per model, shared by the web lists and the API."""

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import Region
from core.filters import YearFilter
from evaluation.choices import EvaluationResult, EvaluationStatus, SheetStatus
from evaluation.models import CriteriaTemplate, Evaluation, ScoreSheet, VetoItem
from projects.choices import Category, JingpinStatus
from projects.models import Project


def _counties(request):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class CriteriaTemplateFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(label="工程类别", choices=Category.choices)
    frozen = django_filters.BooleanFilter(label="已冻结", field_name="frozen_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = CriteriaTemplate
        fields = ["category", "frozen"]


class VetoItemFilter(django_filters.FilterSet):
    class Meta:
        model = VetoItem
        fields = ["is_active", "kind"]


class EvaluationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    county = django_filters.ModelChoiceFilter(label="县（市、区）", field_name="project__county", queryset=_counties)
    category = django_filters.ChoiceFilter(label="工程类别", field_name="project__category", choices=Category.choices)
    year = YearFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=EvaluationStatus.choices)
    result = django_filters.ChoiceFilter(label="结果", choices=EvaluationResult.choices)
    demonstration = django_filters.BooleanFilter(
        label="示范项目", widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])
    )

    class Meta:
        model = Evaluation
        fields = ["q", "county", "category", "year", "status", "result", "demonstration"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(project__code__icontains=value) | Q(project__name__icontains=value))


class ExpertEvaluationFilter(EvaluationFilter):
    """An expert's filters: the task, not the result (no 结果/示范项目 filter, so results cannot be probed)."""

    result = None
    demonstration = None

    class Meta:
        model = Evaluation
        fields = ["q", "county", "category", "year", "status"]


def evaluation_filter_for(user):
    return ExpertEvaluationFilter if getattr(user, "is_expert", False) else EvaluationFilter


class ScoreSheetFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=SheetStatus.choices)

    class Meta:
        model = ScoreSheet
        fields = ["evaluation", "status"]


class LibraryProjectFilter(django_filters.FilterSet):
    """The projects seen from the 精品工程 library page (the projects app owns the project registry)."""

    q = django_filters.CharFilter(label="搜索", method="search")
    jingpin_status = django_filters.ChoiceFilter(label="精品工程状态", choices=JingpinStatus.choices)
    category = django_filters.ChoiceFilter(label="工程类别", choices=Category.choices)
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=_counties)
    year = YearFilter(label="立项年度")
    government_invested = django_filters.BooleanFilter(label="政府投资")

    class Meta:
        model = Project
        fields = ["q", "jingpin_status", "category", "county", "year", "government_invested"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))
