"""Thin web views: scope through visible_to(user), rules in inspections.services, Excel on every list."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts import roles
from accounts.models import Region
from core.confirm import confirmation, form_summary, is_confirmed, rehearsal
from core.forms import apply_service_errors
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from inspections import a1, documents, public, rectification, services
from inspections import draw as drawing
from inspections.exports import NOTICE_COLUMNS, NOTICE_SELECT, PLAN_COLUMNS
from inspections.filters import NoticeFilter, PlanFilter
from inspections.forms import (
    A1OverrideForm,
    AnswerForm,
    CancelForm,
    CloseForm,
    DrawConfirmForm,
    DrawForm,
    EscalateForm,
    FindingForm,
    LockForm,
    PaperAnswerForm,
    PenaltyForm,
    PlanForm,
    RecordForm,
    ReturnForm,
)
from inspections.models import (
    Attachment,
    Inspection,
    InspectionPlan,
    Inspector,
    NoticeStatus,
    PlanStatus,
    RectificationNotice,
)
from projects.models import Project

STAFF = roles.MANAGERS
PLAN_READERS = roles.MANAGERS_AND_EXPERTS
ALL = roles.ALL_ROLES


# --- plans ----------------------------------------------------------------------------------------
class PlanListView(ScopedListView):
    allowed_roles = PLAN_READERS
    model = InspectionPlan
    template_name = "inspections/plan_list.html"
    filterset_class = PlanFilter
    select_related = ("county",)
    ordering_fields = ("period_start", "year", "name")
    default_ordering = ("-period_start", "-pk")
    export_filename = "双随机检查计划"
    export_columns = PLAN_COLUMNS


class PlanCreateView(RoleRequiredMixin, FormView):
    allowed_roles = STAFF
    form_class = PlanForm
    template_name = "inspections/plan_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        today = timezone.localdate()
        return {
            "year": today.year,
            "period_start": today,
            "period_end": today + dt.timedelta(days=30),
            "project_count": 3,
            "team_size": 2,
            "recency_months": services.recency_months_default(),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        scope = data.pop("scope_counties", None) or []
        try:
            plan = services.create_plan(user=self.request.user, scope_counties=scope, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"已创建检查计划“{plan.name}”：核对无误后锁定并公示，再于声明的日期输入公开随机值抽取。"
        )
        return redirect("inspections:plan-detail", pk=plan.pk)


class PlanDetailView(ScopedDetailView):
    allowed_roles = PLAN_READERS
    model = InspectionPlan
    template_name = "inspections/plan_detail.html"
    select_related = ("county", "drawn_by", "created_by", "locked_by", "cancelled_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object
        user = self.request.user
        inspections = Inspection.objects.visible_to(user).filter(plan=plan)
        if user.is_city_admin or services.can_manage_plan(user, plan):
            inspections = Inspection.objects.filter(plan=plan)
        ctx["inspections"] = inspections.select_related("project__county").prefetch_related("team__user", "findings")
        ctx["can_manage"] = services.can_manage_plan(user, plan)
        ctx["draw_form"] = kwargs.get("draw_form") or DrawForm()
        ctx["lock_form"] = kwargs.get("lock_form") or LockForm(
            initial={"value_not_before": timezone.localdate() + dt.timedelta(days=3)}
        )
        ctx["cancel_form"] = kwargs.get("cancel_form") or CancelForm()
        ctx["value_open"] = plan.value_not_before is not None and timezone.localdate() >= plan.value_not_before
        ctx["eligible_count"] = services.eligible_projects(plan).count() if plan.status == PlanStatus.DRAFT else None
        ctx["roster_count"] = Inspector.objects.for_plan(plan).count()
        ctx["staff_count"] = Inspector.objects.for_plan(plan).filter(kind=Inspector.Kind.STAFF).count()
        return ctx


def _plan_for(request, pk) -> InspectionPlan:
    return get_object_or_404(InspectionPlan.objects.visible_to(request.user), pk=pk)


def _rerender_plan(request, plan, status=400, **forms):
    view = PlanDetailView(request=request, kwargs={"pk": plan.pk}, object=plan)
    view.object = plan
    return render(request, "inspections/plan_detail.html", view.get_context_data(**forms), status=status)


class PlanLockView(RoleRequiredMixin, View):
    """锁定并公示: the record is frozen and its SHA-256 commitment published at once."""

    allowed_roles = STAFF

    def post(self, request, pk):
        plan = _plan_for(request, pk)
        form = LockForm(request.POST)
        if form.is_valid():
            try:
                plan = services.lock_plan(plan, user=request.user, **form.lock_arguments())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"计划已锁定并公示，承诺值 {plan.commitment}。")
                return redirect("inspections:plan-detail", pk=plan.pk)
        return _rerender_plan(request, plan, lock_form=form)


class PlanCancelView(RoleRequiredMixin, View):
    allowed_roles = STAFF

    def post(self, request, pk):
        plan = _plan_for(request, pk)
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.cancel_plan(plan, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "计划已作废，作废原因已公开。如需检查，请重新制定计划。")
                return redirect("inspections:plan-detail", pk=plan.pk)
        return _rerender_plan(request, plan, cancel_form=form)


class PlanDrawView(RoleRequiredMixin, View):
    """Step 1: the public value is checked, then shown on the confirmation page (nothing is drawn yet)."""

    allowed_roles = STAFF

    def post(self, request, pk):
        plan = _plan_for(request, pk)
        form = DrawForm(request.POST)
        if form.is_valid():
            try:
                value = services.check_public_value(
                    plan, user=request.user, public_value=form.cleaned_data["public_value"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                url = reverse("inspections:plan-draw-confirm", args=[plan.pk])
                return redirect(f"{url}?{urlencode({'value': value})}")
        return _rerender_plan(request, plan, draw_form=form)


class PlanDrawConfirmView(RoleRequiredMixin, View):
    """Step 2: the value, its declared source and the commitment, before the irreversible draw."""

    allowed_roles = STAFF

    def get(self, request, pk):
        plan = _plan_for(request, pk)
        try:
            value = services.check_public_value(plan, user=request.user, public_value=request.GET.get("value", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("inspections:plan-detail", pk=plan.pk)
        return render(
            request,
            "inspections/plan_draw_confirm.html",
            {"object": plan, "value": value, "form": DrawConfirmForm(initial={"public_value": value})},
        )

    def post(self, request, pk):
        plan = _plan_for(request, pk)
        form = DrawConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写公开随机值。")
            return redirect("inspections:plan-detail", pk=plan.pk)
        try:
            services.draw_plan(plan, user=request.user, public_value=form.cleaned_data["public_value"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "抽取完成：任何人可在公开核验页面按承诺值和公开随机值重新演算。")
        return redirect("inspections:plan-detail", pk=plan.pk)


class PlanAuditView(ScopedDetailView):
    """抽取复核: the frozen inputs, the draw re-run from them, and whether it equals the stored result."""

    allowed_roles = PLAN_READERS
    model = InspectionPlan
    template_name = "inspections/plan_audit.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.object
        if not plan.seed:
            raise Http404("该计划尚未抽取。")
        rerun = services.rerun_draw(plan)
        projects = Project.objects.in_bulk(plan.eligible_projects)
        inspectors = Inspector.objects.select_related("user").in_bulk(plan.eligible_inspectors)
        ctx.update(
            rerun=rerun,
            same=services.draw_is_consistent(plan),
            projects=[projects.get(pk) for pk in plan.eligible_projects],
            inspectors=[inspectors.get(pk) for pk in plan.eligible_inspectors],
            teams=[
                {
                    "project": projects.get(t.project_id),
                    "inspectors": [inspectors.get(i) for i in t.inspector_ids],
                    "short_by": t.short_by,
                }
                for t in rerun.teams
            ],
            exclusions=[
                (projects.get(int(p)), [(inspectors.get(int(i)), reason) for i, reason in reasons.items()])
                for p, reasons in plan.exclusions.items()
            ],
        )
        return ctx


# --- inspections ----------------------------------------------------------------------------------
class InspectionDetailView(ScopedDetailView):
    allowed_roles = ALL
    model = Inspection
    template_name = "inspections/inspection_detail.html"
    select_related = ("plan", "project__county", "template", "confirmed_by")

    def get_queryset(self):
        user = self.request.user
        qs = super().get_queryset()
        if user.is_county_staff:  # a county's own plans also include projects it organised
            qs = qs | Inspection.objects.filter(plan__county_id=user.region_id).select_related(*self.select_related)
        return qs.distinct()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        inspection = self.object
        user = self.request.user
        findings = inspection.findings.select_related("notice", "participant__enterprise").prefetch_related(
            "attachments"
        )
        if user.is_unit_user:
            findings = findings.filter(participant__enterprise_id=user.enterprise_id)
        ctx["findings"] = findings
        ctx["can_inspect"] = services.can_inspect(user, inspection)
        ctx["can_confirm"] = services.can_confirm(user, inspection)
        ctx["publish_due"] = services.publish_due(inspection)
        ctx["today"] = timezone.localdate()
        ctx["record_form"] = kwargs.get("record_form") or RecordForm(
            initial={
                "inspected_on": inspection.inspected_on or timezone.localdate(),
                "template": inspection.template_id or services.default_template_for(inspection.project),
                "summary": inspection.summary,
            }
        )
        ctx["finding_form"] = kwargs.get("finding_form") or FindingForm(
            initial={"deadline": timezone.localdate() + dt.timedelta(days=15)}
        )
        ctx["team"] = inspection.team.select_related("user")
        if inspection.template:
            values = inspection.checklist or {}
            ctx["checklist"] = [(i, item, values.get(str(i), "")) for i, item in enumerate(inspection.template.items)]
        ctx["check_values"] = services.CHECK_VALUES
        return ctx


def _inspection_for(request, pk) -> Inspection:
    view = InspectionDetailView(request=request, kwargs={"pk": pk})
    return get_object_or_404(view.get_queryset(), pk=pk)


def _rerender(request, inspection, **forms):
    view = InspectionDetailView(request=request, kwargs={"pk": inspection.pk})
    view.object = inspection
    return render(request, "inspections/inspection_detail.html", view.get_context_data(**forms), status=400)


class RecordView(RoleRequiredMixin, View):
    allowed_roles = ALL

    def post(self, request, pk):
        inspection = _inspection_for(request, pk)
        form = RecordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            checklist = {k[6:]: v for k, v in request.POST.items() if k.startswith("check_")}
            try:
                services.record_inspection(
                    inspection,
                    user=request.user,
                    inspected_on=data["inspected_on"],
                    template=data["template"],
                    checklist=checklist,
                    summary=data["summary"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "检查记录已保存。")
                return redirect("inspections:inspection-detail", pk=pk)
        return _rerender(request, inspection, record_form=form)


class FindingCreateView(RoleRequiredMixin, View):
    allowed_roles = ALL

    def post(self, request, pk):
        inspection = _inspection_for(request, pk)
        form = FindingForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                finding = services.add_finding(inspection, user=request.user, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"已记录问题并下达整改通知单{finding.notice.number}。")
                return redirect("inspections:inspection-detail", pk=pk)
        return _rerender(request, inspection, finding_form=form)


class ConfirmView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS

    def post(self, request, pk):
        inspection = _inspection_for(request, pk)
        try:
            services.confirm_inspection(inspection, user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "检查结果已确认，已在公开页面发布。")
        return redirect("inspections:inspection-detail", pk=pk)


# --- notices --------------------------------------------------------------------------------------
class NoticeListView(ScopedListView):
    allowed_roles = ALL
    model = RectificationNotice
    template_name = "inspections/notice_list.html"
    filterset_class = NoticeFilter
    select_related = NOTICE_SELECT
    ordering_fields = ("deadline", "issued_on", "number")
    default_ordering = ("deadline", "pk")
    export_filename = "整改通知单"
    export_columns = NOTICE_COLUMNS

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


NOTICE_FORMS = {
    "answer": AnswerForm,
    "paper": PaperAnswerForm,
    "close": CloseForm,
    "return": ReturnForm,
    "escalate": EscalateForm,
    "penalty": PenaltyForm,
}


class NoticeDetailView(ScopedDetailView):
    allowed_roles = ALL
    model = RectificationNotice
    template_name = "inspections/notice_detail.html"
    select_related = NOTICE_SELECT + ("constraint_record", "closed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice = self.object
        user = self.request.user
        inspection = notice.finding.inspection
        can_inspect = services.can_inspect(user, inspection)
        today = timezone.localdate()
        ctx.update(
            today=today,
            attachments=notice.finding.attachments.all(),
            # once answered (已回复) the answer forms give way to the inspector's review: close or return it
            can_answer=rectification.can_answer(user, notice) and notice.status == NoticeStatus.ISSUED,
            answered_waiting=rectification.can_answer(user, notice) and notice.status == NoticeStatus.ANSWERED,
            can_record_paper=rectification.can_record_paper_answer(user, notice)
            and notice.status == NoticeStatus.ISSUED,
            can_print=can_inspect,
            can_close=can_inspect and notice.status == NoticeStatus.ANSWERED,
            can_return=can_inspect and notice.status == NoticeStatus.ANSWERED,
            history=rectification.notice_history(notice),
            can_escalate=can_inspect and notice.is_open and notice.deadline < today,
            can_penalise=can_inspect and notice.status == NoticeStatus.ESCALATED and not notice.penalised,
        )
        for name, form_class in NOTICE_FORMS.items():
            initial = {
                "close": {"closed_on": notice.answer_received_on if notice.answer_by_proxy else today},
                "answer": {"answer": notice.answer},
                "paper": {"received_on": today},
                "return": {"new_deadline": today + dt.timedelta(days=15)},
            }.get(name, {})
            ctx[f"{name}_form"] = kwargs.get(f"{name}_form") or form_class(initial=initial)
        return ctx


# Notice actions confirmed after validation (core.confirm); answers carry files and keep the client-side step.
NOTICE_CONFIRMATIONS = {
    "close": ("销号后通知单办结（已整改），不能撤销。确定销号？", "确认销号"),
    "return": ("退回后责任单位须在新期限内重新整改并回复，退回理由将通知责任单位，不能撤销。确定退回？", "确认退回"),
    "escalate": (
        "认定逾期未整改后将对责任单位登记约束记录（精品工程一票否决），不能撤销。确定认定？",
        "确认认定逾期",
    ),
    "penalty": ("行政处罚登记后不能修改。确定登记？", "确认登记"),
}


class NoticeActionView(RoleRequiredMixin, View):
    allowed_roles = ALL
    action = ""

    def post(self, request, pk):
        notice = get_object_or_404(RectificationNotice.objects.visible_to(request.user), pk=pk)
        form = NOTICE_FORMS[self.action](request.POST, request.FILES)
        confirmed = self.action not in NOTICE_CONFIRMATIONS or is_confirmed(request)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                with rehearsal(confirmed):
                    if self.action == "answer":
                        rectification.answer_notice(
                            notice, user=request.user, answer=data["answer"], files=data["files"]
                        )
                        done = "整改情况已回复，等待检查人员复查。"
                    elif self.action == "paper":
                        rectification.record_paper_answer(notice, user=request.user, **data)
                        done = "已代录责任单位的整改回复。"
                    elif self.action == "close":
                        rectification.close_notice(
                            notice, user=request.user, closed_on=data["closed_on"], note=data["note"]
                        )
                        done = "已销号（已整改）。"
                    elif self.action == "return":
                        rectification.return_notice(notice, user=request.user, **data)
                        done = "已退回责任单位重新整改，并通知责任单位。"
                    elif self.action == "escalate":
                        rectification.escalate_notice(notice, user=request.user, **data)
                        done = "已认定逾期未整改，并登记约束记录。"
                    else:
                        rectification.record_penalty(notice, user=request.user, **data)
                        done = "已登记行政处罚。"
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if confirmed:
                    messages.success(request, done)
                    return redirect("inspections:notice-detail", pk=pk)
                text, ok = NOTICE_CONFIRMATIONS[self.action]
                step = confirmation(request, text, summary=form_summary(form), ok=ok, back=f"#{self.action}-form")
                return self._render(request, notice, form, status=200, **step)
        return self._render(request, notice, form, status=400)

    def _render(self, request, notice, form, *, status, **extra):
        view = NoticeDetailView(request=request, kwargs={"pk": notice.pk})
        view.object = notice
        context = view.get_context_data(**{f"{self.action}_form": form})
        context.update(extra)
        return render(request, "inspections/notice_detail.html", context, status=status)


class NoticePdfView(RoleRequiredMixin, View):
    """The printed 整改通知单 / 停工整改通知书 (inspections.documents), for those who issue and close it."""

    allowed_roles = ALL

    def get(self, request, pk):

        notice = get_object_or_404(
            RectificationNotice.objects.visible_to(request.user).select_related(*NOTICE_SELECT), pk=pk
        )
        if not services.can_inspect(request.user, notice.finding.inspection):
            raise PermissionDenied("只有检查组成员或组织单位可以打印通知书。")
        response = HttpResponse(documents.render_notice_pdf(notice, request), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, f"{documents.title(notice)}{notice.number}.pdf"
        )
        return response


class AttachmentDownloadView(RoleRequiredMixin, View):
    allowed_roles = ALL

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在。")
        return FileResponse(
            handle, as_attachment=False, filename=attachment.original_name, content_type=attachment.content_type
        )


# --- A1 -------------------------------------------------------------------------------------------
class A1FactView(RoleRequiredMixin, TemplateView):
    """The county's A1 fact for a month, with the notices it rests on; the city may override it (audited)."""

    allowed_roles = STAFF
    template_name = "inspections/a1_fact.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.county = get_object_or_404(Region.objects.filter(level=Region.Level.COUNTY), pk=kwargs["county"])
        if not roles.can_manage_county(request.user, self.county):
            raise Http404()
        if not 1 <= kwargs["month"] <= 12 or not 2000 <= kwargs["year"] <= 2100:
            raise Http404()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        fact = a1.a1_fact(self.county.pk, kwargs["year"], kwargs["month"])
        ctx.update(
            county=self.county,
            fact=fact,
            labels=a1.OUTCOME_LABELS,
            passing=a1.PASSING,
            form=kwargs.get("form") or A1OverrideForm(),
        )
        return ctx

    def post(self, request, **kwargs):
        if not request.user.is_city_admin:
            raise PermissionDenied("只有市局可以认定A1项。")
        form = A1OverrideForm(request.POST)
        if form.is_valid():
            try:
                a1.set_a1_override(
                    self.county,
                    kwargs["year"],
                    kwargs["month"],
                    user=request.user,
                    value=form.cleaned_data["value"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "已保存市局认定，并记入变更记录。")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)


# --- 一公开 -----------------------------------------------------------------------------------------
class PublicResultsView(ListView):
    """No login: the confirmed results only, with public fields only."""

    template_name = "inspections/public_results.html"
    paginate_by = 20

    def get_queryset(self):
        return public.public_results()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plans=public.public_plans()[:50], today=services.draw_local_date(None), **kwargs
        )


class PublicChecklistView(TemplateView):
    """No login: 抽查事项清单 — what a 双随机 inspection may check (the current checklist templates), read-only."""

    template_name = "inspections/public_checklists.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(checklists=public.public_checklists(), public_tab="checklists", **kwargs)


class PublicPlanMixin:
    """No login: a plan the public may see (locked, drawn or cancelled; scheme v2), else 404."""

    def get_plan(self, pk) -> InspectionPlan:
        return get_object_or_404(public.public_plans(), pk=pk)


class PublicPlanAuditView(PublicPlanMixin, TemplateView):
    """公开核验: the committed record, its hash, the value and its source, the result, and the verdict."""

    template_name = "inspections/public_plan_audit.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.get_plan(kwargs["pk"])
        record = plan.record
        names = {i["id"]: i for i in record["inspectors"]}
        labels = {p["id"]: p for p in record["projects"]}
        ctx.update(
            object=plan,
            record=record,
            scheme=drawing.scheme_of(record),
            weighting=public.public_weighting(record),
            stage_labels=public.record_stage_labels(record),
            record_text=plan.record_json,
            intact=services.record_is_intact(plan),
            exclusions=[
                (labels.get(int(p)), [(names.get(e["inspector"]), e["reason"]) for e in rows])
                for p, rows in record["exclusions"].items()
            ],
        )
        if plan.seed:
            ctx["same"] = services.draw_is_consistent(plan)
            ctx["teams"] = [
                {
                    "project": labels.get(t["project"]),
                    "inspectors": [names.get(i) for i in t["inspectors"]],
                    "short_by": t["short_by"],
                }
                for t in plan.draw_result
            ]
        return ctx


class PublicPlanRecordView(PublicPlanMixin, View):
    """The locked record as the exact canonical bytes that were hashed (SHA-256 = the commitment)."""

    def get(self, request, pk):
        plan = self.get_plan(pk)
        response = HttpResponse(plan.record_json.encode("utf-8"), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-record.json"'
        return response


class PublicPlanBundleView(PublicPlanMixin, View):
    """What scripts/verify-draw.py reads: record, commitment, public value, seed, result."""

    def get(self, request, pk):
        plan = self.get_plan(pk)
        body = json.dumps(public.public_bundle(plan), ensure_ascii=False, indent=1, sort_keys=True)
        response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-audit.json"'
        return response
