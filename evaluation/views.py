"""Thin web views: fetch through ``visible_to`` (outside scope → 404), call a service, show the message."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from accounts import roles
from accounts.models import User
from core.confirm import confirmation, is_confirmed, rehearsal
from core.forms import apply_service_errors
from core.history import HistoryMixin
from core.redirects import redirect_next
from core.text import join_messages
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from evaluation import results, services
from evaluation.exports import EVALUATION_COLUMNS, EXPERT_EVALUATION_COLUMNS, LIBRARY_COLUMNS, TEMPLATE_COLUMNS
from evaluation.filters import CriteriaTemplateFilter, EvaluationFilter, LibraryProjectFilter, evaluation_filter_for
from evaluation.forms import AssignExpertForm, OpenEvaluationForm, TemplateEditForm
from evaluation.models import CertificationReview, CriteriaTemplate, Evaluation, PanelMember, ScoreSheet, VetoItem
from projects.choices import LIBRARY_STATUSES
from projects.models import Project


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return join_messages(m for msgs in exc.message_dict.values() for m in msgs)
    return join_messages(exc.messages)


# --- evaluations ----------------------------------------------------------------------------------
class EvaluationListView(ScopedListView):
    model = Evaluation
    template_name = "evaluation/evaluation_list.html"
    filterset_class = EvaluationFilter
    select_related = ("project", "project__county", "template")
    ordering_fields = ("year", "due_date", "total_score", "project__code", "status")
    default_ordering = ("-year", "-opened_at", "-pk")
    export_filename = "精品工程评价"
    export_columns = EVALUATION_COLUMNS

    def get_queryset(self):
        return super().get_queryset().with_counts()

    def get(self, request, *args, **kwargs):
        if request.user.is_expert:
            # The task, never the result: no result columns, filters or sorting for an expert.
            self.export_columns = EXPERT_EVALUATION_COLUMNS
            self.filterset_class = evaluation_filter_for(request.user)
            self.ordering_fields = ("year", "due_date", "project__code", "status")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_expert:
            sheets = ScoreSheet.objects.filter(expert=user, evaluation__in=[e.pk for e in ctx["object_list"]])
            ctx["my_sheets"] = {s.evaluation_id: s for s in sheets}
        return ctx


class EvaluationDetailView(HistoryMixin, ScopedDetailView):
    model = Evaluation
    template_name = "evaluation/evaluation_detail.html"
    select_related = ("project", "project__county", "template", "opened_by", "closed_by")

    def history_sources(self):
        sources = [Evaluation.history.filter(id=self.object.pk)]
        if not self.request.user.is_expert:  # an expert is not shown the panel on this page, nor its history
            sources.append(PanelMember.history.filter(evaluation_id=self.object.pk))
        return sources

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        evaluation = self.object
        user = self.request.user
        manager = roles.can_manage_project(user, evaluation.project)
        ctx["can_manage"] = manager
        if user.is_expert:
            ctx["my_sheet"] = ScoreSheet.objects.filter(evaluation=evaluation, expert=user).first()
            return ctx
        ctx["panel_rows"] = results.panel_rows(evaluation)
        ctx["submitted_count"] = sum(1 for r in ctx["panel_rows"] if r.submitted)
        ctx["table"] = results.result_table(evaluation, with_sheets=not evaluation.is_open)
        if evaluation.is_open:
            ctx["veto_preview"] = services.veto_findings(evaluation.project)
            if manager:
                ctx["assign_form"] = kwargs.get("assign_form") or AssignExpertForm(evaluation=evaluation)
        return ctx


class EvaluationCreateView(RoleRequiredMixin, FormView):
    allowed_roles = roles.MANAGERS
    template_name = "evaluation/evaluation_form.html"
    form_class = OpenEvaluationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("project"):
            initial["project"] = self.request.GET["project"]
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            evaluation = services.open_evaluation(
                data["project"],
                user=self.request.user,
                year=data["year"],
                due_date=data["due_date"],
                experts=data["experts"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases={"expert": "experts"})
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已发起评价：{evaluation.project.name}（{evaluation.template}）。")
        return redirect("evaluation:evaluation-detail", pk=evaluation.pk)


class EvaluationActionView(RoleRequiredMixin, View):
    """POST-only action on one evaluation in the user's scope; the service's message is shown."""

    allowed_roles = roles.MANAGERS
    success_message = ""
    http_method_names = ["post"]

    def get_evaluation(self, pk):
        return get_object_or_404(
            Evaluation.objects.visible_to(self.request.user).select_related("project", "template"), pk=pk
        )

    def act(self, request, evaluation):  # pragma: no cover - subclasses implement
        raise NotImplementedError

    def post(self, request, pk):
        evaluation = self.get_evaluation(pk)
        try:
            message = self.act(request, evaluation)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect("evaluation:evaluation-detail", pk=evaluation.pk)


class AssignExpertView(EvaluationActionView):
    def act(self, request, evaluation):
        form = AssignExpertForm(request.POST, evaluation=evaluation)
        if not form.is_valid():
            raise ValidationError("请选择一名有效的评审专家。")
        expert = form.cleaned_data["expert"]
        services.assign_expert(evaluation, expert, user=request.user)
        return f"已将专家{expert.display_name}加入评审组。"


class RemoveExpertView(EvaluationActionView):
    def act(self, request, evaluation):
        expert_id = request.POST.get("expert", "")
        expert = None
        if expert_id.isdigit():
            expert = User.objects.filter(pk=expert_id, panel_seats__evaluation=evaluation).first()
        if expert is None:
            raise ValidationError("该专家不在本次评审组中。")
        services.remove_expert(evaluation, expert, user=request.user)
        return f"已将专家{expert.display_name}移出评审组。"


class CloseEvaluationView(EvaluationActionView):
    def act(self, request, evaluation):
        evaluation = services.close_evaluation(evaluation, user=request.user)
        return f"评价已结束：总分{evaluation.total_score}分，{evaluation.get_result_display()}。"


class DemonstrationView(EvaluationActionView):
    def act(self, request, evaluation):
        if request.POST.get("revoke"):
            services.revoke_demonstration(evaluation, user=request.user)
            return "已取消示范项目。"
        services.designate_demonstration(evaluation, user=request.user)
        return f"已将“{evaluation.project.name}”确定为示范项目。"


class EvaluationReportView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS

    def get(self, request, pk):
        evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user), pk=pk)
        pdf = results.render_pdf(evaluation)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"精品工程评价报告-{evaluation.project.code}-{evaluation.year}.pdf"
        response["Content-Disposition"] = f"attachment; filename=\"report.pdf\"; filename*=UTF-8''{quote(name)}"
        return response


# --- score sheets ---------------------------------------------------------------------------------
def _sheet_context(sheet: ScoreSheet, post=None, errors=None) -> dict:
    evaluation = sheet.evaluation
    table = results.result_table(evaluation, with_sheets=False)
    saved = {s.item_id: s.score for s in sheet.scores.all()}
    for element in table["elements"]:
        for item in element.items:
            key = f"item_{item.pk}"
            item.value = post.get(key, "") if post is not None else saved.get(item.pk, "")
            item.error = (errors or {}).get(key)
    return {"sheet": sheet, "evaluation": evaluation, "elements": table["elements"], "errors": errors or {}}


class MySheetView(RoleRequiredMixin, View):
    """The expert's scoring form for one evaluation: grouped by element, running totals, draft or submit."""

    allowed_roles = roles.EXPERTS
    template_name = "evaluation/sheet_form.html"

    def get_evaluation(self, pk):
        return get_object_or_404(
            Evaluation.objects.visible_to(self.request.user).select_related("project", "template"), pk=pk
        )

    def get(self, request, pk):
        evaluation = self.get_evaluation(pk)
        sheet = ScoreSheet.objects.filter(evaluation=evaluation, expert=request.user).first()
        if sheet is None:
            if not evaluation.is_open:
                raise Http404("评价已结束。")
            sheet = services.sheet_for(evaluation, request.user)
        return render(request, self.template_name, _sheet_context(sheet))

    def post(self, request, pk):
        evaluation = self.get_evaluation(pk)
        try:
            sheet = services.sheet_for(evaluation, request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
            return redirect("evaluation:evaluation-detail", pk=evaluation.pk)
        scores = {key[5:]: value for key, value in request.POST.items() if key.startswith("item_")}
        comment = request.POST.get("comment", "")
        submitting = request.POST.get("action") == "submit"
        action = services.submit_sheet if submitting else services.save_sheet
        confirmed = is_confirmed(request) or not submitting
        try:
            with rehearsal(confirmed):
                done = action(sheet, request.user, scores=scores, comment=comment)
        except ValidationError as exc:
            errors = {k: join_messages(v) for k, v in exc.message_dict.items()}
            messages.error(request, "评分表未保存：" + join_messages(errors.values()))
            sheet.refresh_from_db()
            sheet.comment = comment
            return render(request, self.template_name, _sheet_context(sheet, request.POST, errors), status=400)
        if not confirmed:
            sheet.comment, sheet.total = comment, done.total
            context = _sheet_context(sheet, request.POST)
            context.update(
                confirmation(
                    request,
                    f"提交后评分表不能再修改，将计入{evaluation.project.name}的评价结果。确定提交？",
                    summary=[f"合计 {done.total} / 100 分", f"评审意见：{comment.strip()}" if comment.strip() else ""],
                    ok="确认提交评分表",
                    back="#sheet-form",
                )
            )
            return render(request, self.template_name, context)
        if action is services.submit_sheet:
            messages.success(request, "评分表已提交，提交后不能再修改。")
        else:
            messages.success(request, "草稿已保存。")
        return redirect("evaluation:my-sheet", pk=evaluation.pk)


class SheetDetailView(ScopedDetailView):
    """A read-only sheet: the expert's own, or any sheet of the county's evaluations for its staff."""

    model = ScoreSheet
    template_name = "evaluation/sheet_detail.html"
    select_related = ("evaluation", "evaluation__project", "evaluation__template", "expert")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_sheet_context(self.object))
        return ctx


# --- criteria templates and veto items ------------------------------------------------------------
class TemplateListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_EXPERTS
    model = CriteriaTemplate
    template_name = "evaluation/template_list.html"
    filterset_class = CriteriaTemplateFilter
    ordering_fields = ("category", "version", "created_at")
    default_ordering = ("category", "-version")
    export_filename = "评价标准"
    export_columns = TEMPLATE_COLUMNS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["vetoes"] = VetoItem.objects.visible_to(self.request.user)
        return ctx


class TemplateDetailView(ScopedDetailView):
    allowed_roles = roles.MANAGERS_AND_EXPERTS
    model = CriteriaTemplate
    template_name = "evaluation/template_detail.html"
    prefetch_related = ("elements__items",)


class TemplateEditView(RoleRequiredMixin, FormView):
    allowed_roles = roles.CITY_ADMINS
    template_name = "evaluation/template_form.html"
    form_class = TemplateEditForm

    def dispatch(self, request, *args, **kwargs):
        self.template = get_object_or_404(CriteriaTemplate.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return TemplateEditForm.initial_from(self.template, services.template_data(self.template))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["template_obj"] = self.template
        return ctx

    def form_valid(self, form):
        try:
            result = services.edit_template(
                self.template,
                form.cleaned_data["elements"],
                user=self.request.user,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases={"expert": "experts"})
            return self.form_invalid(form)
        if result.pk != self.template.pk:
            messages.success(self.request, f"该版本已被评价使用（已冻结），修改已保存为新版本 V{result.version}。")
        else:
            messages.success(self.request, "评价标准已保存。")
        return redirect("evaluation:template-detail", pk=result.pk)


class VetoToggleView(RoleRequiredMixin, View):
    allowed_roles = roles.CITY_ADMINS
    http_method_names = ["post"]

    def post(self, request, pk):
        veto = get_object_or_404(VetoItem.objects.visible_to(request.user), pk=pk)
        services.set_veto_active(veto, not veto.is_active, user=request.user)
        messages.success(request, f"一票否决项“{veto.name}”已{'启用' if veto.is_active else '停用'}。")
        return redirect(reverse("evaluation:template-list"))


# --- the 精品工程 library ---------------------------------------------------------------------------
class LibraryView(ScopedListView):
    allowed_roles = roles.MANAGERS
    model = Project
    template_name = "evaluation/library.html"
    filterset_class = LibraryProjectFilter
    select_related = ("county",)
    ordering_fields = ("code", "year", "name", "jingpin_status")
    default_ordering = ("-year", "code")
    export_filename = "精品工程项目库"
    export_columns = LIBRARY_COLUMNS

    def get_export_queryset(self):
        # The page offers every project (to add to the library); the export is the library itself, the same rows
        # as GET /api/v1/jingpin-library/.
        return self.get_queryset().filter(jingpin_status__in=LIBRARY_STATUSES)


class AddToLibraryView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS
    http_method_names = ["post"]

    def post(self, request, pk):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        try:
            services.add_to_library(project, user=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已将“{project.name}”纳入精品工程项目库（培育中）。")
        return redirect_next(request, "evaluation:library")


# --- 复核 after a veto event ----------------------------------------------------------------------
class ReviewListView(ScopedListView):
    allowed_roles = roles.MANAGERS
    model = CertificationReview
    template_name = "evaluation/review_list.html"
    select_related = ("project", "project__county", "decided_by")
    default_ordering = ("-opened_at", "-pk")


class ReviewDetailView(ScopedDetailView):
    allowed_roles = roles.MANAGERS
    model = CertificationReview
    template_name = "evaluation/review_detail.html"
    select_related = ("project", "project__county", "evaluation", "decided_by")
    context_object_name = "review"


class ReviewDecideView(RoleRequiredMixin, View):
    """The city keeps (维持) or revokes (撤销) the title under review, with a reason."""

    allowed_roles = roles.CITY_ADMINS
    http_method_names = ["post"]

    def post(self, request, pk):
        review = get_object_or_404(CertificationReview.objects.visible_to(request.user), pk=pk)
        keep = request.POST.get("decision") == "keep"
        try:
            services.decide_review(review, user=request.user, keep=keep, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"复核已决定：{'维持' if keep else '撤销'}称号。")
        return redirect("evaluation:review-detail", pk=review.pk)
