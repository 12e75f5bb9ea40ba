"""FilterSets of the credit lists: the public 红榜/黑名单 search and the 重点监管名单 (web list and API alike)."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Region
from credit import lists
from credit.choices import Grade
from credit.models import CreditStanding

WATCH_GRADES = [(g.value, g.label) for g in (Grade.C, Grade.D)]


def _counties(request=None):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class PublicListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="单位名称或统一社会信用代码", method="by_name", max_length=50)

    class Meta:
        model = CreditStanding
        fields = ["q"]

    def by_name(self, queryset, name, value):
        return lists.search(queryset, value)


class WatchlistFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="by_name", help_text="单位名称或统一社会信用代码")
    grade = django_filters.ChoiceFilter(label="信用等级", choices=WATCH_GRADES, empty_label="C级和D级")
    county = django_filters.ModelChoiceFilter(
        label="县（市、区）",
        queryset=_counties,
        empty_label="全部",
        method="by_county",
        help_text="在该县（市、区）登记或参建其项目的单位",
    )

    class Meta:
        model = CreditStanding
        fields = ["q", "grade", "county"]

    def by_name(self, queryset, name, value):
        return lists.search(queryset, value)

    @extend_schema_field(OpenApiTypes.INT)
    def by_county(self, queryset, name, value):
        return lists.in_county(queryset, value) if value else queryset
