import django_filters
from django.db.models import Q

from accounts.models import Enterprise, EnterpriseKind, Region, User


class RegionFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="名称", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["name", "level", "parent"]


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    kind = django_filters.ModelChoiceFilter(
        label="单位类别", field_name="kinds", queryset=EnterpriseKind.objects.all(), to_field_name="code"
    )
    region = django_filters.ModelChoiceFilter(label="所在区域", queryset=Region.objects.all())

    class Meta:
        model = Enterprise
        fields = ["q", "kind", "region", "credit_code"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search")
    role = django_filters.ChoiceFilter(label="角色", choices=User.Role.choices, empty_label="全部")
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = User
        fields = ["q", "role", "region", "enterprise", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(name__icontains=value))
