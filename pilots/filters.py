"""One FilterSet per model, shared by the web lists and the API."""

import django_filters
from django.db.models import Q

from accounts.models import Region
from pilots.choices import PilotStatus, PilotType
from pilots.models import Pilot, PilotCheck, PilotReview


def _counties(request):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


class PilotFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="项目", method="search")
    county = django_filters.ModelChoiceFilter(label="县（市、区）", field_name="project__county", queryset=_counties)
    pilot_type = django_filters.ChoiceFilter(label="试点类型", choices=PilotType.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=PilotStatus.choices)

    class Meta:
        model = Pilot
        fields = ["q", "county", "pilot_type", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(project__name__icontains=value) | Q(project__code__icontains=value))
            if value
            else queryset
        )


class PilotReviewFilter(django_filters.FilterSet):
    pending = django_filters.BooleanFilter(label="待评审", field_name="passed", lookup_expr="isnull")

    class Meta:
        model = PilotReview
        fields = ["pilot", "round", "pending"]


class PilotCheckFilter(django_filters.FilterSet):
    class Meta:
        model = PilotCheck
        fields = ["pilot"]
