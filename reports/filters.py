import django_filters

from reports.models import ReportArchive


class ReportArchiveFilter(django_filters.FilterSet):
    class Meta:
        model = ReportArchive
        fields = ["report_type", "status"]
