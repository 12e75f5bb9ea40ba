from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from accounts import roles
from core.forms import apply_service_errors
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from reports import services
from reports.forms import ReportRequestForm
from reports.models import ReportArchive


class ReportListView(ScopedListView):
    """The reports page: the archive; the city admin also requests new reports here."""

    allowed_roles = roles.MANAGERS
    model = ReportArchive
    template_name = "reports/report_list.html"
    select_related = ("requested_by",)
    default_ordering = ("-requested_at", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = kwargs.get("form") or ReportRequestForm()
        return ctx

    def post(self, request, *args, **kwargs):
        if not request.user.is_city_admin:
            raise Http404
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            try:
                archive, created = services.request_report(
                    form.cleaned_data["report_type"], form.params(), user=request.user
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if created:
                    messages.success(request, f"已提交生成：{archive.title}")
                else:
                    messages.info(request, f"一分钟内已有相同的申请，沿用已有记录：{archive.title}")
                return redirect("reports:list")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


class ReportStatusView(ScopedDetailView):
    """htmx polling target: one archive row with its progress."""

    allowed_roles = roles.MANAGERS
    model = ReportArchive
    template_name = "reports/_archive_row.html"
    context_object_name = "archive"


class ReportDownloadView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS

    def get(self, request, pk, kind):
        archive = get_object_or_404(ReportArchive.objects.visible_to(request.user), pk=pk)
        field = {"pdf": archive.pdf, "xlsx": archive.xlsx}.get(kind)
        if not archive.is_done or not field:
            raise Http404("报表尚未生成完成。")
        return FileResponse(field.open("rb"), as_attachment=True, filename=f"{archive.title}.{kind}")
