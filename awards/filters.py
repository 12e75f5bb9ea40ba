"""One FilterSet per model, shared by the web lists and the API (level, award, year, county, enterprise)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Enterprise, Region
from awards.choices import AwardLevel
from awards.models import Award, AwardRecord, AwardValue, DanheSelection, DesignBonus, SavingsBonus
from awards.querysets import EnterpriseLedger
from core.filters import YearFilter


def counties(request=None):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


def _limit_enterprises_for_unit_users(filterset, name="enterprise"):
    """A unit user picks only its own enterprise (the other names are of no use to it)."""
    user = getattr(filterset.request, "user", None)
    if user is not None and getattr(user, "is_unit_user", False):
        filterset.filters[name].queryset = Enterprise.objects.filter(pk=user.enterprise_id)


class AwardFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label="级别", choices=AwardLevel.choices)

    class Meta:
        model = Award
        fields = ["level"]


class AwardValueFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label="级别", field_name="award__level", choices=AwardLevel.choices)
    award = django_filters.ModelChoiceFilter(label="奖项", queryset=Award.objects.all())

    class Meta:
        model = AwardValue
        fields = ["level", "award"]


class AwardRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    level = django_filters.ChoiceFilter(label="级别", field_name="award__level", choices=AwardLevel.choices)
    award = django_filters.ModelChoiceFilter(label="奖项", queryset=Award.objects.all())
    year = YearFilter(label="年度")
    county = django_filters.ModelChoiceFilter(label="县（市、区）", field_name="project__county", queryset=counties)
    enterprise = django_filters.ModelChoiceFilter(
        label="单位", queryset=Enterprise.objects.all(), method="by_enterprise"
    )
    project = django_filters.NumberFilter(
        label="项目", field_name="project_id", widget=django_filters.widgets.forms.HiddenInput
    )

    class Meta:
        model = AwardRecord
        fields = ["q", "level", "award", "year", "county", "enterprise", "project"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_enterprises_for_unit_users(self)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__name__icontains=value) | Q(project__code__icontains=value) | Q(document_no__icontains=value)
        )

    @extend_schema_field(OpenApiTypes.INT)
    def by_enterprise(self, queryset, name, value):
        return queryset.filter(Q(contractor=value) | Q(builder=value))


class LedgerFilter(django_filters.FilterSet):
    """The points ledger: the filters change what is summed (year window, level, award, county of the project)
    and which enterprises are listed; the rank stays city-wide under the same summing filters."""

    year = YearFilter(
        label="参考年度", method="keep", widget=django_filters.widgets.forms.NumberInput(attrs={"step": 1, "min": 2000})
    )
    level = django_filters.ChoiceFilter(label="级别", choices=AwardLevel.choices, method="keep")
    award = django_filters.ModelChoiceFilter(label="奖项", queryset=Award.objects.all(), method="keep_id")
    county = django_filters.ModelChoiceFilter(label="项目所在县", queryset=counties, method="keep_id")
    enterprise = django_filters.ModelChoiceFilter(label="单位", queryset=Enterprise.objects.all(), method="keep_id")
    q = django_filters.CharFilter(label="单位名称", method="keep")

    class Meta:
        model = Enterprise
        fields = ["year", "level", "award", "county", "enterprise", "q"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["enterprise"].queryset = self.queryset.filter(
            kinds__code__in=EnterpriseLedger.GENERAL_CONTRACTOR_KINDS
        ).distinct()

    def keep(self, queryset, name, value):
        return queryset  # applied together in ``qs`` below

    @extend_schema_field(OpenApiTypes.INT)
    def keep_id(self, queryset, name, value):
        return queryset  # an id filter (for the schema); applied together in ``qs`` below

    def _value(self, name):
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get(name)
        return None

    @property
    def ledger(self) -> EnterpriseLedger:
        if not hasattr(self, "_ledger"):
            year = self._value("year")
            self._ledger = EnterpriseLedger(
                int(year) if year else None,
                level=self._value("level") or None,
                award=self._value("award"),
                county=self._value("county"),
            )
        return self._ledger

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            rows = self.queryset  # the caller's scope (all enterprises, or the unit user's own)
            enterprise = self._value("enterprise")
            if enterprise is not None:
                rows = rows.filter(pk=enterprise.pk)
            q = self._value("q")
            if q:
                rows = rows.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
            self._qs = self.ledger.ranked(restrict_to=rows)
        return self._qs


class DanheSelectionFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(label="县（市、区）", queryset=counties)
    year = YearFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=DanheSelection.Status.choices)

    class Meta:
        model = DanheSelection
        fields = ["county", "year", "status"]


class _BonusFilter(django_filters.FilterSet):
    year = YearFilter(label="年度", field_name="confirmed_on__year")
    county = django_filters.ModelChoiceFilter(label="县（市、区）", field_name="project__county", queryset=counties)
    enterprise = django_filters.ModelChoiceFilter(
        label="单位", queryset=Enterprise.objects.all(), method="by_enterprise"
    )
    recipient_field = "recipient"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_enterprises_for_unit_users(self)

    @extend_schema_field(OpenApiTypes.INT)
    def by_enterprise(self, queryset, name, value):
        return queryset.filter(Q(**{self.recipient_field: value}) | Q(builder=value))


class SavingsBonusFilter(_BonusFilter):
    proposer_kind = django_filters.ChoiceFilter(label="提出单位类别", choices=SavingsBonus.ProposerKind.choices)

    class Meta:
        model = SavingsBonus
        fields = ["year", "county", "enterprise", "proposer_kind"]


class DesignBonusFilter(_BonusFilter):
    recipient_field = "designer"

    class Meta:
        model = DesignBonus
        fields = ["year", "county", "enterprise"]
