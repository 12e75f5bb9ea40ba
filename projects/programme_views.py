"""Web pages of the programme duties: milestones and their delays (seed 000 五(三)), the city's goals per project
(seed 002 一(二), 三(一)). Thin: scope through visible_to(user), writes through projects.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from accounts import roles
from accounts.models import Region
from core.forms import apply_service_errors
from core.views import RoleRequiredMixin, page_size
from projects import services
from projects.forms import GoalRuleForm, MilestoneForm
from projects.models import GoalRule, Project

PAGE_SIZE = 50


def _counties(user):
    """The counties a filter offers: all for the city, the own one for county staff."""
    qs = Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code")
    if user.is_county_staff:
        return qs.filter(pk=user.region_id)
    return qs if user.is_city_admin else qs.none()


def _county_id(request) -> int | None:
    value = request.GET.get("county", "")
    return int(value) if value.isdigit() else None


class MilestoneSetView(RoleRequiredMixin, View):
    """The county records a milestone's planned / actual date (POST, then back to the project)."""

    allowed_roles = roles.MANAGERS

    def post(self, request, pk, kind):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.set_milestone(project, kind, form.cleaned_data, user=request.user)
                messages.success(request, "形象进度节点已保存。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "日期格式不正确，应为年-月-日。")
        return redirect(reverse("projects:project-detail", args=[project.pk]) + "#milestones")


class LaggardListView(RoleRequiredMixin, View):
    """进度滞后项目: late milestones in the user's scope, per county."""

    allowed_roles = roles.MANAGERS_AND_UNITS

    def get(self, request):
        open_only = request.GET.get("open") == "1"
        qs = services.late_milestones(request.user, open_only=open_only)
        county = _county_id(request)
        if county:
            qs = qs.filter(project__county_id=county)
        page = Paginator(qs, page_size(request, PAGE_SIZE)).get_page(request.GET.get("page"))
        return render(
            request,
            "projects/laggard_list.html",
            {
                "rows": services.laggard_rows(page.object_list),
                "page_obj": page,
                "paginator": page.paginator,
                "is_paginated": page.has_other_pages(),
                "counties": _counties(request.user),
                "county": county,
                "open_only": open_only,
                "grace_days": services.milestone_delay_days(),
            },
        )


class UnmetGoalListView(RoleRequiredMixin, View):
    """未达目标项目: each project against the goal rules of its year, in the user's scope."""

    allowed_roles = roles.MANAGERS_AND_UNITS

    def get(self, request):
        projects = Project.objects.visible_to(request.user).order_by("county__order", "-year", "code")
        county = _county_id(request)
        if county:
            projects = projects.filter(county_id=county)
        year = request.GET.get("year", "")
        if year.isdigit():
            projects = projects.filter(year=int(year))
        rows = services.unmet_goals(projects)
        page = Paginator(rows, page_size(request, PAGE_SIZE)).get_page(request.GET.get("page"))
        return render(
            request,
            "projects/unmet_goal_list.html",
            {
                "rows": page.object_list,
                "page_obj": page,
                "paginator": page.paginator,
                "is_paginated": page.has_other_pages(),
                "counties": _counties(request.user),
                "county": county,
                "year": year,
                "can_edit_rules": roles.is_city_admin(request.user),
            },
        )


class GoalRuleListView(RoleRequiredMixin, View):
    allowed_roles = roles.MANAGERS_AND_UNITS

    def get(self, request):
        rules = GoalRule.objects.visible_to(request.user).order_by("-year", "pk")
        return render(
            request,
            "projects/goal_rule_list.html",
            {"rules": rules, "can_edit_rules": roles.is_city_admin(request.user)},
        )


class GoalRuleFormView(RoleRequiredMixin, FormView):
    """The city creates or changes a goal rule (a new year's version: a new rule with that year)."""

    allowed_roles = roles.CITY_ADMINS
    form_class = GoalRuleForm
    template_name = "projects/goal_rule_form.html"
    object = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and "pk" in kwargs:
            self.object = get_object_or_404(GoalRule.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.GOAL_RULE_FIELDS}
        try:
            rule = services.save_goal_rule(self.object, data, user=self.request.user)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存目标规则：{rule}")
        return redirect("projects:goal-rule-list")
