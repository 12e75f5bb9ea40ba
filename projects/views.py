"""Thin web views of the projects app: scope through visible_to(user), writes through projects.services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView

from accounts import roles
from core.exports import XLSX_CONTENT_TYPE
from core.forms import apply_service_errors
from core.history import HistoryMixin
from core.redirects import redirect_next
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from projects import imports, services
from projects.choices import STAGE_ORDER, ReportStatus
from projects.exports import CONSTRAINT_COLUMNS, PARTICIPANT_COLUMNS, PROJECT_COLUMNS, REPORT_COLUMNS
from projects.filters import ConstraintRecordFilter, MonthlyReportFilter, ParticipantFilter, ProjectFilter
from projects.forms import (
    ConstraintRecordForm,
    ConstraintStatusForm,
    ImportForm,
    MonthlyReportForm,
    ParticipantForm,
    ProjectForm,
    ReturnForm,
    StageChangeForm,
)
from projects.models import (
    ConstraintRecord,
    MonthlyReport,
    Participant,
    Project,
    StageChange,
    attach_insurance_warnings,
)

PARTICIPANTS_WITH_ENTERPRISE = Prefetch("participants", queryset=Participant.objects.select_related("enterprise"))


def display_value(value, numeric: bool = False) -> str:
    """A report figure as shown on the page: 是/否, — for empty, numbers with separators and 2 decimals."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if numeric or isinstance(value, Decimal):
        try:
            return f"{Decimal(str(value)):,.2f}"
        except InvalidOperation:
            return str(value)
    return str(value)


class InlineValidationMixin:
    """``POST ?validate=1`` (htmx, on change) answers with the error text of every filled field, swapped in
    out-of-band beside the fields, so the user sees a mistake before submitting."""

    def post(self, request, *args, **kwargs):
        if request.GET.get("validate"):
            form = self.get_form()
            form.is_valid()
            filled = {name for name, value in request.POST.items() if value.strip()}
            shown = {name: form.errors.get(name, []) if name in filled else [] for name in form.fields}
            return render(request, "projects/_inline_errors.html", {"form": form, "shown": shown})
        return super().post(request, *args, **kwargs)


# --------------------------------------------------------------------------------------------------
# Projects
# --------------------------------------------------------------------------------------------------


class ProjectListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = Project
    template_name = "projects/project_list.html"
    filterset_class = ProjectFilter
    select_related = ("county",)
    ordering_fields = ("code", "name", "county__order", "year", "category", "total_investment", "stage", "updated_at")
    default_ordering = ("-year", "code")
    export_filename = "项目库"
    export_columns = PROJECT_COLUMNS

    prefetch_related = (PARTICIPANTS_WITH_ENTERPRISE,)  # the export's rows; a page reads only its warnings

    def paginate_queryset(self, queryset, page_size):
        # The page's rows and their insurance warnings are read as plain values by {% project_rows %}.
        return super().paginate_queryset(queryset.prefetch_related(None), page_size)


class MyProjectListView(ProjectListView):
    """参建单位用户的“我的项目”: the projects its enterprise takes part in, with this month's report."""

    allowed_roles = roles.UNIT_USERS
    template_name = "projects/my_projects.html"
    export_filename = "我的项目"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        projects = list(ctx["object_list"])
        attach_insurance_warnings(projects)  # one query of plain values for the page's warnings
        reports = MonthlyReport.objects.filter(project__in=projects).order_by("-year", "-month")
        latest: dict[int, MonthlyReport] = {}
        for report in reports:
            latest.setdefault(report.project_id, report)
        ctx["rows"] = [(p, latest.get(p.pk)) for p in projects]
        ctx["today"] = today
        return ctx


class ProjectDetailView(HistoryMixin, ScopedDetailView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = Project
    template_name = "projects/project_detail.html"
    select_related = ("county", "created_by")
    prefetch_related = (
        PARTICIPANTS_WITH_ENTERPRISE,
        Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
        "monthly_reports",
    )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        ctx["can_manage"] = roles.can_manage_project(user, project)
        ctx["can_report"] = services.can_report_for(user, project)
        ctx["participants"] = [(p, p.insurance_problem()) for p in project.participants.all()]
        ctx["insurance_warnings"] = project.insurance_warnings()
        ctx["constraints"] = (
            ConstraintRecord.objects.visible_to(user)
            .filter(participant__project=project)
            .select_related("participant__enterprise", "status_changed_by", "created_by")
        )
        ctx["reports"] = sorted(project.monthly_reports.all(), key=lambda r: (r.year, r.month), reverse=True)
        ctx["checklist"] = services.pilot_checklist(project) if project.green_pilot else None
        ctx["milestones"] = services.milestone_rows(project)
        ctx["milestone_delay_days"] = services.milestone_delay_days()
        ctx["goal_misses"] = services.GoalBook().check(project)
        ctx["goal_sources"] = services.goal_sources(project) if ctx["goal_misses"] else ""
        next_stage = STAGE_ORDER[min(project.stage_index + 1, len(STAGE_ORDER) - 1)]
        ctx["stage_form"] = StageChangeForm(initial={"changed_on": timezone.localdate(), "to_stage": next_stage})
        ctx["status_form"] = ConstraintStatusForm()
        stages = [s for s, _ in project._meta.get_field("stage").choices]
        reached = {c.to_stage: c for c in project.stage_changes.all()}
        ctx["stage_steps"] = [
            {"value": v, "label": label, "done": stages.index(v) <= project.stage_index, "change": reached.get(v)}
            for v, label in project._meta.get_field("stage").choices
        ]
        return ctx


class ProjectFormView(InlineValidationMixin, RoleRequiredMixin, FormView):
    allowed_roles = roles.MANAGERS
    form_class = ProjectForm
    template_name = "projects/project_form.html"
    object = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.fields if not form.fields[name].disabled}
        try:
            if self.object is None:
                project = services.create_project(data, user=self.request.user)
                messages.success(self.request, f"已登记项目：{project}")
            else:
                project = services.update_project(self.object, data, user=self.request.user)
                messages.success(self.request, f"已保存项目：{project}")
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect("projects:project-detail", pk=project.pk)


class ProjectCreateView(ProjectFormView):
    pass


class ProjectUpdateView(ProjectFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_object_or_404(Project.objects.visible_to(request.user), pk=kwargs["pk"])
            if not roles.can_manage_project(request.user, self.object):
                raise PermissionDenied("您无权修改该项目。")
        return super().dispatch(request, *args, **kwargs)


class ProjectScopedMixin(RoleRequiredMixin):
    """Loads ``self.project`` from the URL within the user's scope (404 outside); managers only."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_object_or_404(Project.objects.visible_to(request.user), pk=kwargs["pk"])
            if not roles.can_manage_project(request.user, self.project):
                raise PermissionDenied("只有市局管理员或项目所在县（市、区）的工作人员可以执行该操作。")
        return super().dispatch(request, *args, **kwargs)

    def detail_url(self, anchor=""):
        return reverse("projects:project-detail", args=[self.project.pk]) + anchor


class StageChangeView(ProjectScopedMixin, View):
    allowed_roles = roles.MANAGERS

    def post(self, request, pk):
        form = StageChangeForm(request.POST)
        if form.is_valid():
            try:
                change = services.change_stage(
                    self.project,
                    form.cleaned_data["to_stage"],
                    user=request.user,
                    changed_on=form.cleaned_data["changed_on"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, f"阶段已变更：{change}")
            except ValidationError as exc:
                messages.error(request, "阶段变更失败：" + "；".join(exc.messages))
        else:
            messages.error(request, "阶段变更失败：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(self.detail_url("#stages"))


class ParticipantFormView(InlineValidationMixin, ProjectScopedMixin, FormView):
    allowed_roles = roles.MANAGERS
    form_class = ParticipantForm
    template_name = "projects/participant_form.html"
    participant = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.participant is not None:
            kwargs["instance"] = self.participant
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, participant=self.participant, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if self.participant is None:
                services.add_participant(self.project, data, user=self.request.user)
            else:
                services.update_participant(self.participant, data, user=self.request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "参建单位信息已保存。")
        return redirect(self.detail_url("#participants"))


class ParticipantCreateView(ParticipantFormView):
    pass


class ParticipantUpdateView(ParticipantFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.participant = get_object_or_404(
                Participant.objects.visible_to(request.user).filter(project_id=kwargs["pk"]),
                pk=kwargs["participant_pk"],
            )
        return super().dispatch(request, *args, **kwargs)


class ConstraintCreateView(InlineValidationMixin, ProjectScopedMixin, FormView):
    allowed_roles = roles.MANAGERS
    form_class = ConstraintRecordForm
    template_name = "projects/constraint_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def get_initial(self):
        return {"occurred_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.CONSTRAINT_FIELDS}
        try:
            services.add_constraint_record(form.cleaned_data["participant"], data, user=self.request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "约束记录已登记。")
        return redirect(self.detail_url("#constraints"))


class ConstraintStatusView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS

    def post(self, request, pk):
        record = get_object_or_404(
            ConstraintRecord.objects.visible_to(request.user).select_related("participant"), pk=pk
        )
        form = ConstraintStatusForm(request.POST)
        if form.is_valid():
            try:
                services.change_constraint_status(
                    record, form.cleaned_data["status"], user=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, "约束记录状态已变更。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "请选择新的状态。")
        return redirect(reverse("projects:project-detail", args=[record.participant.project_id]) + "#constraints")


class ConstraintListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = ConstraintRecord
    template_name = "projects/constraint_list.html"
    filterset_class = ConstraintRecordFilter
    select_related = ("participant__project__county", "participant__enterprise", "status_changed_by")
    ordering_fields = ("occurred_on", "status", "kind")
    default_ordering = ("-occurred_on", "-pk")
    export_filename = "约束记录"
    export_columns = CONSTRAINT_COLUMNS


class ParticipantListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = Participant
    template_name = "projects/participant_list.html"
    filterset_class = ParticipantFilter
    select_related = ("project__county", "enterprise")
    ordering_fields = ("project__code", "role", "insurance_valid_until")
    default_ordering = ("project__code", "role", "pk")
    export_filename = "参建单位"
    export_columns = PARTICIPANT_COLUMNS


# --------------------------------------------------------------------------------------------------
# Monthly reports
# --------------------------------------------------------------------------------------------------


class MonthlyReportListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = MonthlyReport
    template_name = "projects/report_list.html"
    filterset_class = MonthlyReportFilter
    select_related = ("project__county", "created_by")
    ordering_fields = ("year", "month", "status", "submitted_at", "new_start_area", "project__code")
    default_ordering = ("-year", "-month", "project_id")
    export_filename = "项目月报"
    export_columns = REPORT_COLUMNS
    heading = "项目月报"
    review_queue = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, review_queue=self.review_queue, **kwargs)


class ReviewQueueView(MonthlyReportListView):
    """县局的月报审核队列: submitted reports of the county, oldest first."""

    allowed_roles = roles.MANAGERS
    default_ordering = ("submitted_at", "pk")
    export_filename = "待审核月报"
    heading = "月报审核"
    review_queue = True

    def get_queryset(self):
        return super().get_queryset().filter(status=ReportStatus.SUBMITTED)

    def get_context_data(self, **kwargs):
        return super().get_context_data(return_form=ReturnForm(), **kwargs)


class MonthlyReportDetailView(ScopedDetailView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = MonthlyReport
    template_name = "projects/report_detail.html"
    select_related = ("project__county", "created_by", "reviewed_by")
    prefetch_related = ("versions__submitted_by",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        editable = report.status in services.EDITABLE_REPORT_STATUSES
        ctx["can_edit"] = editable and services.can_edit_report(user, report)
        ctx["can_review"] = report.status == ReportStatus.SUBMITTED and roles.can_manage_project(user, report.project)
        ctx["lock_reason"] = services.report_lock_reason(report)
        ctx["return_form"] = ReturnForm()
        labels = {name: MonthlyReport._meta.get_field(name).verbose_name for name in services.REPORT_INPUT_FIELDS}
        ctx["figures"] = [(labels[n], display_value(getattr(report, n))) for n in services.REPORT_INPUT_FIELDS]
        ctx["version_rows"] = [
            (v, [(labels.get(k, k), display_value(val, k in MonthlyReport.AREA_FIELDS)) for k, val in v.data.items()])
            for v in report.versions.all()
        ]
        return ctx


class MonthlyReportFormView(InlineValidationMixin, RoleRequiredMixin, FormView):
    allowed_roles = roles.UNIT_USERS
    form_class = MonthlyReportForm
    template_name = "projects/report_form.html"
    object = None

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None and self.request.GET.get("project", "").isdigit():
            initial["project"] = int(self.request.GET["project"])
        return initial

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.REPORT_INPUT_FIELDS}
        submit = "submit" in self.request.POST
        try:
            if self.object is None:
                cd = form.cleaned_data
                report = services.create_report(cd["project"], cd["year"], cd["month"], data, user=self.request.user)
            else:
                report = services.update_report(self.object, data, user=self.request.user)
            if submit:
                report = services.submit_report(report, user=self.request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "月报已提交，等待县局审核。" if submit else "月报已保存为草稿。")
        return redirect("projects:report-detail", pk=report.pk)


class MonthlyReportCreateView(MonthlyReportFormView):
    pass


class MonthlyReportUpdateView(MonthlyReportFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = get_object_or_404(
                MonthlyReport.objects.visible_to(request.user).select_related("project"), pk=kwargs["pk"]
            )
            reason = services.report_lock_reason(self.object)
            if reason:
                messages.error(request, reason)
                return redirect("projects:report-detail", pk=self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class MonthlyReportActionView(RoleRequiredMixin, View):
    """POST submit / accept / return on one report."""

    allowed_roles = roles.MANAGERS_AND_UNITS

    def post(self, request, pk, action):
        report = get_object_or_404(MonthlyReport.objects.visible_to(request.user).select_related("project"), pk=pk)
        try:
            if action == "submit":
                services.submit_report(report, user=request.user)
                messages.success(request, "月报已提交，等待县局审核。")
            elif action == "accept":
                services.accept_report(report, user=request.user)
                messages.success(request, f"已接收月报：{report}")
            elif action == "return":
                services.return_report(report, request.POST.get("reason", ""), user=request.user)
                messages.success(request, f"已退回月报：{report}")
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect_next(request, "projects:report-detail", pk=report.pk)


class ReportTemplateView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS_AND_UNITS

    def get(self, request):
        response = HttpResponse(imports.template_bytes(request.user), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            "attachment; filename=\"monthly-report-template.xlsx\"; filename*=UTF-8''"
            "%E9%A1%B9%E7%9B%AE%E6%9C%88%E6%8A%A5%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        )
        return response


class ReportImportView(RoleRequiredMixin, FormView):
    allowed_roles = roles.UNIT_USERS
    form_class = ImportForm
    template_name = "projects/report_import.html"

    def form_valid(self, form):
        result = imports.import_reports(
            form.cleaned_data["file"], user=self.request.user, submit=form.cleaned_data["submit"]
        )
        if result.ok:
            parts = [f"新增{result.created}份", f"更新{result.updated}份"]
            if result.submitted:
                parts.append(f"提交{result.submitted}份")
            messages.success(self.request, "导入成功：" + "，".join(parts) + "。")
            return redirect("projects:report-list")
        shown = settings.IMPORT_MAX_ERRORS_SHOWN
        return self.render_to_response(
            self.get_context_data(form=form, issues=result.issues[:shown], issue_count=len(result.issues)),
            status=400,
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("max_size", imports.human_size(settings.IMPORT_MAX_BYTES))
        kwargs.setdefault("max_rows", settings.IMPORT_MAX_ROWS)
        return super().get_context_data(**kwargs)
