"""FilterSets of the disclosure app: the public search (web and API) and the staff's list."""

from __future__ import annotations

import django_filters

from accounts.models import Region
from disclosure.models import ProjectDisclosure
from projects.choices import Category


def _counties(request):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class PublicProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目名称", method="search", help_text="项目名称或编号")
    county = django_filters.ModelChoiceFilter(
        label="县（市、区）", field_name="project__county", queryset=_counties, empty_label="全部"
    )
    unit = django_filters.CharFilter(label="参建单位", method="by_unit")
    category = django_filters.ChoiceFilter(
        label="工程类别", field_name="project__category", choices=Category.choices, empty_label="全部"
    )

    class Meta:
        model = ProjectDisclosure
        fields = ["q", "county", "unit", "category"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        from django.db.models import Q

        return queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))

    def by_unit(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(project__participants__enterprise__name__icontains=value).distinct()


class ProjectDisclosureFilter(PublicProjectFilter):
    published = django_filters.ChoiceFilter(
        label="公示状态",
        choices=(("yes", "已公示"), ("no", "未公示"), ("due", "施工及以后阶段未公示"), ("withdrawn", "已撤销公示")),
        method="by_published",
        empty_label="全部",
    )

    class Meta(PublicProjectFilter.Meta):
        fields = [*PublicProjectFilter.Meta.fields, "published"]

    def by_published(self, queryset, name, value):
        if value == "due":
            return queryset.due_unpublished()
        if value == "withdrawn":
            return queryset.withdrawn()
        return queryset.filter(published=value == "yes") if value in ("yes", "no") else queryset
