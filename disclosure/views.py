"""Web views of the disclosure app: the public pages (no login) and the staff's publishing and sign download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.roles import MANAGERS
from core.printing import public_url
from core.redirects import redirect_next
from core.views import RoleRequiredMixin, ScopedListView
from disclosure import coverage, public, services, sign
from disclosure.exports import DISCLOSURE_COLUMNS
from disclosure.filters import ProjectDisclosureFilter, PublicProjectFilter
from disclosure.forms import PublishForm
from disclosure.models import ProjectDisclosure
from projects.models import Project


# --- public (no login) -----------------------------------------------------------------------------
class PublicSearchView(ListView):
    """项目公示查询: published projects by name, county, unit or category."""

    template_name = "disclosure/public_search.html"
    paginate_by = 20
    extra_context = {"public_tab": "search"}

    def get_queryset(self):
        qs = ProjectDisclosure.objects.published()
        self.filterset = PublicProjectFilter(self.request.GET or None, queryset=qs, request=self.request)
        if self.filterset.is_bound and self.filterset.is_valid():
            qs = self.filterset.qs
        return public.prefetched(qs.order_by("project__county__order", "project__code"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset if self.filterset.is_bound else PublicProjectFilter(None, request=self.request)
        ctx["records"] = [public.build(d, detail=False) for d in ctx["object_list"]]
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        return ctx


class PublicProjectView(TemplateView):
    """One project's public page (公示): only what disclosure.public copies.

    The URL is printed as a QR code on the 永久性标志牌, so it never disappears: a withdrawn page answers 200 with
    已撤销公示, the date and the reason (``public.withdrawal``); only a page never published is not found.
    """

    template_name = "disclosure/public_project.html"
    extra_context = {"public_tab": "search"}

    def get_template_names(self):
        if getattr(self, "withdrawn", False):
            return ["disclosure/public_withdrawn.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = public.prefetched(ProjectDisclosure.objects.published())
        disclosure = qs.filter(public_id=kwargs["public_id"]).first()
        if disclosure is not None:
            ctx["p"] = public.build(disclosure)
            return ctx
        withdrawn = (
            ProjectDisclosure.objects.withdrawn()
            .select_related("project__county")
            .filter(public_id=kwargs["public_id"])
            .first()
        )
        if withdrawn is None:
            raise Http404("该项目未公示或不存在。")
        self.withdrawn = True
        ctx["w"] = public.withdrawal(withdrawn)
        return ctx


# --- staff ----------------------------------------------------------------------------------------
class ManageListView(ScopedListView):
    """公示管理: the county's projects (each has its disclosure row) with their publication state."""

    model = ProjectDisclosure
    allowed_roles = MANAGERS
    template_name = "disclosure/manage_list.html"
    filterset_class = ProjectDisclosureFilter
    select_related = ("project__county",)
    ordering_fields = ("project__code", "project__name", "project__county__order", "published_at")
    default_ordering = ("project__county__order", "project__code")
    export_filename = "项目公示"
    export_columns = DISCLOSURE_COLUMNS

    def get_queryset(self):
        return super().get_queryset().prefetch_related("project__participants__enterprise")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for disclosure in ctx["object_list"]:
            disclosure.sign_problems = sign.sign_problems(disclosure)
        rows = coverage.coverage_for(self.request.user)
        ctx["coverage"] = {"rows": rows, "total": coverage.total(rows), "show_total": len(rows) > 1}
        return ctx


class PublishView(RoleRequiredMixin, View):
    allowed_roles = MANAGERS

    def post(self, request, pk):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        form = PublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, "提交的内容无效。")
            return redirect("disclosure:manage-list")
        try:
            if form.cleaned_data["action"] == "publish":
                services.publish(project, user=request.user, location=form.cleaned_data["location"] or None)
                messages.success(request, f"“{project.name}”已公示。")
            else:
                services.withdraw(project, user=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"“{project.name}”已撤销公示，公示页（标志牌二维码）显示撤销原因。")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect_next(request, "disclosure:manage-list")


class SignPdfView(RoleRequiredMixin, View):
    """永久性标志牌 PDF (?size=A3 or A4) of a published project from 竣工验收 on, with all five 项目负责人
    (``sign.sign_problems``); otherwise back to the list with the reasons."""

    allowed_roles = MANAGERS

    def get(self, request, pk):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        disclosure = public.prefetched(ProjectDisclosure.objects.published()).filter(project=project).first()
        problems = sign.sign_problems(disclosure) if disclosure else ["项目公示后才能生成永久性标志牌。"]
        if problems:
            messages.error(request, "不能生成永久性标志牌：" + " ".join(problems))
            return redirect_next(request, "disclosure:manage-list")
        size = "A3" if request.GET.get("size", "").upper() == "A3" else "A4"
        record = public.build(disclosure, detail=False)
        pdf = sign.render_sign_pdf(record, public_url(record.url, request), size)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"永久性标志牌-{project.code}-{size}.pdf"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response
