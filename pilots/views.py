"""Thin web views of the pilots: the programme page, the list, the detail with its journey and the forms of each
step for the role that takes it; every write is a service call, every POST redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from core.text import join_messages
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from pilots import overview, services
from pilots.choices import UNIT_EDITABLE_STATUSES, PilotStatus
from pilots.exports import PILOT_COLUMNS
from pilots.filters import PilotFilter
from pilots.forms import (
    AcceptanceForm,
    ApplyForm,
    AssignForm,
    CheckForm,
    DecideForm,
    MilestoneForm,
    OpinionForm,
    ResubmitForm,
)
from pilots.models import Pilot, PilotPlan, PilotReview
from projects.models import Participant, ParticipantRole, Project


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return join_messages(m for msgs in exc.message_dict.values() for m in msgs)
    return join_messages(exc.messages)


def form_errors(form) -> str:
    return join_messages(
        f"{form.fields[k].label if k in form.fields else ''}：{e}".lstrip("：")
        for k, es in form.errors.items()
        for e in es
    )


class ProgrammeView(RoleRequiredMixin, TemplateView):
    """The city's (or the county's) programme: each county against its two quotas, the city against ≥ 10."""

    allowed_roles = roles.MANAGERS
    template_name = "pilots/programme.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pilots = list(overview.pilots_for(self.request.user))
        ctx["programme"] = overview.programme_for(self.request.user, pilots)
        ctx["rows"] = overview.rows(pilots)
        return ctx


class PilotListView(ScopedListView):
    allowed_roles = roles.ALL_ROLES
    model = Pilot
    template_name = "pilots/pilot_list.html"
    filterset_class = PilotFilter
    select_related = ("project", "project__county", "builder")
    ordering_fields = ("project__code", "status", "created_at")
    default_ordering = ("-created_at", "-pk")
    export_columns = PILOT_COLUMNS
    export_filename = "绿色建造试点"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_apply"] = self.request.user.is_unit_user
        return ctx


def _forms_for(user, pilot: Pilot) -> dict:
    """The forms this user may fill in on this pilot now (the services check again)."""
    forms = {}
    builder = services.is_builder_user(user, pilot)
    if builder and pilot.status == PilotStatus.DRAFT:
        forms["submit"] = True
    if builder and pilot.status == PilotStatus.RETURNED:
        forms["resubmit"] = ResubmitForm()
    if user.is_city_admin and pilot.status == PilotStatus.REVIEWING:
        forms["assign"] = AssignForm()
        forms["decide"] = DecideForm()
    if user.is_expert and pilot.status == PilotStatus.REVIEWING:
        mine = pilot.reviews.filter(round=pilot.revision, expert=user, passed__isnull=True).first()
        if mine:
            forms["opinion"] = OpinionForm(prefix="op")
            forms["review"] = mine
    if services.may_record_milestone(user, pilot) and pilot.status in (
        PilotStatus.APPROVED,
        PilotStatus.IMPLEMENTING,
        PilotStatus.ACCEPTANCE,
        PilotStatus.ACCEPTED,
        PilotStatus.FAILED,
    ):
        forms["milestone"] = MilestoneForm(prefix="ms")
    if roles.can_manage_project(user, pilot.project) and pilot.status in (
        PilotStatus.APPROVED,
        PilotStatus.IMPLEMENTING,
        PilotStatus.ACCEPTANCE,
    ):
        forms["check"] = CheckForm(prefix="ck", items=services.checklist_for(pilot)[1])
    if user.is_city_admin and pilot.status == PilotStatus.ACCEPTANCE:
        forms["acceptance"] = AcceptanceForm(prefix="ac")
    return forms


class PilotDetailView(ScopedDetailView):
    allowed_roles = roles.ALL_ROLES
    model = Pilot
    template_name = "pilots/pilot_detail.html"
    select_related = ("project", "project__county", "builder", "acceptance")
    prefetch_related = ("plans",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pilot, user = self.object, self.request.user
        ctx["row"] = overview.rows([pilot])[0]
        ctx["plan"] = next((p for p in pilot.plans.all() if p.revision == pilot.revision), None)
        ctx["plans"] = list(pilot.plans.all())
        ctx["events"] = list(pilot.events.select_related("user"))
        ctx["reviews"] = list(PilotReview.objects.visible_to(user).filter(pilot=pilot).select_related("expert"))
        ctx["milestones"] = list(pilot.milestones.all())
        ctx["checks"] = list(pilot.checks.all())
        ctx["acceptance"] = getattr(pilot, "acceptance", None)
        ctx["forms"] = _forms_for(user, pilot)
        ctx["editable"] = pilot.status in UNIT_EDITABLE_STATUSES
        return ctx


def builder_projects(user):
    """The projects whose 建设单位 is the user's enterprise and that have no pilot yet."""
    if not user.is_unit_user or not user.enterprise_id:
        return Project.objects.none()
    mine = Participant.objects.filter(enterprise_id=user.enterprise_id, role=ParticipantRole.BUILDER).values(
        "project_id"
    )
    return Project.objects.filter(pk__in=mine, green_pilot_record__isnull=True).order_by("code")


class ApplyView(RoleRequiredMixin, View):
    allowed_roles = roles.UNIT_USERS

    def get(self, request):
        return render(request, "pilots/apply.html", {"form": ApplyForm(projects=builder_projects(request.user))})

    def post(self, request):
        form = ApplyForm(request.POST, request.FILES, projects=builder_projects(request.user))
        if form.is_valid():
            try:
                pilot = services.apply(
                    form.cleaned_data["project"],
                    user=request.user,
                    document=form.cleaned_data["document"],
                    targets=form.targets(),
                    pilot_type=form.cleaned_data["pilot_type"] or None,
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已保存申报，请核对后提交评审。")
                return redirect("pilots:pilot-detail", pk=pilot.pk)
        else:
            messages.error(request, form_errors(form))
        return redirect("pilots:pilot-apply")


class PilotActionView(RoleRequiredMixin, View):
    """One POST address per step: /pilots/<pk>/<action>/ — the form is read, the service decides."""

    allowed_roles = roles.ALL_ROLES

    def post(self, request, pk, action):
        pilot = get_object_or_404(Pilot.objects.visible_to(request.user).select_related("project"), pk=pk)
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404("未知的操作。")
        try:
            message = handler(request, pilot)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return redirect("pilots:pilot-detail", pk=pilot.pk)

    @staticmethod
    def _valid(form):
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        return form.cleaned_data

    def do_submit(self, request, pilot):
        services.submit(pilot, user=request.user)
        return "已提交评审，等待市局组织专家评审。"

    def do_resubmit(self, request, pilot):
        form = ResubmitForm(request.POST, request.FILES)
        data = self._valid(form)
        services.resubmit(
            pilot, user=request.user, document=data["document"], targets=form.targets(), note=data["note"]
        )
        return "已重新申报，等待专家评审。"

    def do_assign(self, request, pilot):
        data = self._valid(AssignForm(request.POST))
        services.assign_reviewers(pilot, user=request.user, experts=data["experts"])
        return "已指派评审专家。"

    def do_opinion(self, request, pilot):
        data = self._valid(OpinionForm(request.POST, prefix="op"))
        review = get_object_or_404(PilotReview, pilot=pilot, round=pilot.revision, expert_id=request.user.pk)
        services.record_opinion(review, user=request.user, passed=data["passed"], opinion=data["opinion"])
        return "评审意见已提交。"

    def do_decide(self, request, pilot):
        data = self._valid(DecideForm(request.POST))
        services.decide(pilot, user=request.user, approve=data["approve"], note=data["note"])
        return "评审通过，已确定为绿色建造试点项目。" if data["approve"] else "已退回建设单位修改。"

    def do_milestone(self, request, pilot):
        data = self._valid(MilestoneForm(request.POST, prefix="ms"))
        services.record_milestone(
            pilot, user=request.user, milestone=data["milestone"], completed_on=data["completed_on"], note=data["note"]
        )
        return "节点已登记。"

    def do_check(self, request, pilot):
        form = CheckForm(request.POST, prefix="ck", items=services.checklist_for(pilot)[1])
        data = self._valid(form)
        services.record_check(
            pilot, user=request.user, checked_on=data["checked_on"], answers=form.answers(), findings=data["findings"]
        )
        return "检查记录已登记。"

    def do_acceptance(self, request, pilot):
        data = self._valid(AcceptanceForm(request.POST, prefix="ac"))
        services.record_acceptance(
            pilot,
            user=request.user,
            accepted_on=data["accepted_on"],
            achieved_label=data["achieved_label"],
            passed=data["passed"],
            opinion=data["opinion"],
        )
        return "专项评估验收已登记。"


class PlanFileView(RoleRequiredMixin, View):
    allowed_roles = roles.ALL_ROLES

    def get(self, request, pk):
        visible = Pilot.objects.visible_to(request.user).values("pk")
        plan = get_object_or_404(PilotPlan.objects.filter(pilot_id__in=visible), pk=pk)
        try:
            handle = plan.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在。")
        return FileResponse(handle, as_attachment=False, filename=plan.original_name, content_type=plan.content_type)
