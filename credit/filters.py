"""One FilterSet per model of the credit record, shared by the web lists and the API (same parameters in both)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.models import Enterprise, Region
from credit import registry, services
from credit.choices import AppealStatus, Behaviour, EntryState, Grade, Polarity, Severity
from credit.models import CreditAppeal, CreditEntry, CreditRule, CreditStanding

YES_NO = (("true", "是"), ("false", "否"))


def counties(request=None):
    return Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")


def source_choices():
    return [(key, source.label) for key, source in sorted(registry.sources().items())]


def day_of(params) -> dt.date:
    """The day an entry's state is read on: ``?on=YYYY-MM-DD`` (an invalid value is refused by the filter
    before any row is read), today without it."""
    try:
        day = forms.DateField(required=False).clean((params or {}).get("on"))
    except forms.ValidationError:
        day = None
    return day or timezone.localdate()


def _own_enterprise_only(filterset, name: str = "enterprise") -> None:
    """A unit user picks only its own enterprise (the other names are of no use to it)."""
    user = getattr(filterset.request, "user", None)
    if user is not None and getattr(user, "is_unit_user", False):
        filterset.filters[name].queryset = Enterprise.objects.filter(pk=user.enterprise_id)


class _EnterpriseScopedFilterSet(django_filters.FilterSet):
    """A FilterSet with an ``enterprise`` choice (a unit user picks only its own) and, for its ``q``, a search of
    ``search_fields`` (each containing the text)."""

    search_fields: tuple[str, ...] = ("enterprise__name", "enterprise__credit_code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _own_enterprise_only(self)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        found = Q()
        for field in self.search_fields:
            found |= Q(**{f"{field}__icontains": value})
        return queryset.filter(found)


class CreditEntryFilter(_EnterpriseScopedFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="单位名称、统一社会信用代码、行为摘要或文号")
    enterprise = django_filters.ModelChoiceFilter(label="单位", queryset=Enterprise.objects.all(), empty_label="全部")
    credit_code = django_filters.CharFilter(label="统一社会信用代码", field_name="enterprise__credit_code")
    behaviour = django_filters.ChoiceFilter(label="行为类别", choices=Behaviour.choices, empty_label="全部")
    polarity = django_filters.ChoiceFilter(label="性质", choices=Polarity.choices, empty_label="全部")
    severity = django_filters.ChoiceFilter(label="严重程度", choices=Severity.choices, empty_label="全部")
    state = django_filters.ChoiceFilter(
        label="状态", choices=EntryState.choices, method="by_state", empty_label="全部", help_text="在 on 日期的状态"
    )
    on = django_filters.DateFilter(label="状态日期", method="keep", help_text="按该日期判断状态（默认今天）")
    occurred_from = django_filters.DateFilter(label="认定日期起", field_name="occurred_on", lookup_expr="gte")
    occurred_to = django_filters.DateFilter(label="认定日期止", field_name="occurred_on", lookup_expr="lte")
    county = django_filters.ModelChoiceFilter(
        label="认定县（市、区）", queryset=counties, empty_label="全部", help_text="处理该记录申诉的县（市、区）"
    )
    source_type = django_filters.ChoiceFilter(label="来源", choices=source_choices, empty_label="全部")
    project = django_filters.NumberFilter(
        label="项目ID", field_name="project_id", min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    class Meta:
        model = CreditEntry
        fields = [
            "q",
            "enterprise",
            "credit_code",
            "behaviour",
            "polarity",
            "severity",
            "state",
            "on",
            "occurred_from",
            "occurred_to",
            "county",
            "source_type",
            "project",
        ]

    search_fields = ("enterprise__name", "enterprise__credit_code", "title", "document_no")

    def keep(self, queryset, name, value):
        return queryset  # read by ``by_state`` and the serializer (``day_of``)

    def by_state(self, queryset, name, value):
        day = (self.form.cleaned_data.get("on") if hasattr(self.form, "cleaned_data") else None) or timezone.localdate()
        return queryset.in_state(value, day)


class CreditStandingFilter(_EnterpriseScopedFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="单位名称或统一社会信用代码")
    enterprise = django_filters.ModelChoiceFilter(label="单位", queryset=Enterprise.objects.all(), empty_label="全部")
    credit_code = django_filters.CharFilter(label="统一社会信用代码", field_name="enterprise__credit_code")
    grade = django_filters.ChoiceFilter(label="信用等级", choices=Grade.choices, empty_label="全部")
    blacklisted = django_filters.ChoiceFilter(
        label="黑名单", choices=YES_NO, method="by_list", empty_label="全部", help_text="D级或有严重不良记录在有效期内"
    )
    redlisted = django_filters.ChoiceFilter(
        label="红榜", choices=YES_NO, method="by_list", empty_label="全部", help_text="A级且无严重不良记录"
    )
    watchlist = django_filters.ChoiceFilter(
        label="重点监管名单", choices=YES_NO, method="by_list", empty_label="全部", help_text="C级、D级"
    )

    class Meta:
        model = CreditStanding
        fields = ["q", "enterprise", "credit_code", "grade", "blacklisted", "redlisted", "watchlist"]

    LISTS = {"blacklisted": "blacklist", "redlisted": "redlist", "watchlist": "watchlist"}

    def by_list(self, queryset, name, value):
        on_list = getattr(queryset, self.LISTS[name])()  # StandingQuerySet.blacklist() / redlist() / watchlist()
        return on_list if value == "true" else queryset.exclude(pk__in=on_list.values("pk"))


class CreditAppealFilter(_EnterpriseScopedFilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=AppealStatus.choices, empty_label="全部")
    enterprise = django_filters.ModelChoiceFilter(label="单位", queryset=Enterprise.objects.all(), empty_label="全部")
    county = django_filters.ModelChoiceFilter(
        label="认定县（市、区）", field_name="entry__county", queryset=counties, empty_label="全部"
    )
    entry = django_filters.NumberFilter(
        label="信用记录ID", field_name="entry_id", min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    class Meta:
        model = CreditAppeal
        fields = ["status", "enterprise", "county", "entry"]


class CreditRuleFilter(django_filters.FilterSet):
    in_force_on = django_filters.DateFilter(
        label="适用日期", method="by_day", help_text="只列出该日期适用的版本（生效日期不晚于该日的最新版本）"
    )

    class Meta:
        model = CreditRule
        fields = ["in_force_on"]

    def by_day(self, queryset, name, value):
        return queryset.filter(pk=services.current_rule(value).pk)
