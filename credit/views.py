"""Web pages of the 诚信档案: the managers' list of enterprises, an enterprise's record (its own for a unit user),
appeals (信用修复) and the rule's versions. Thin: scope through ``visible_to(user)``, every write in
credit.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, DecimalField, F, IntegerField, Prefetch, Value, When
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts import roles
from accounts.models import Enterprise
from core.forms import apply_service_errors
from core.views import ClampedPaginationMixin, RoleRequiredMixin, ScopedDetailView, ScopedListView, ScopedQuerysetMixin
from credit import registry, scoring, services
from credit.choices import AppealStatus, EntryState, Grade
from credit.forms import (
    AppealForm,
    CreditEnterpriseFilter,
    DecisionForm,
    EntryFilterForm,
    RuleForm,
    StandingOnForm,
    rule_diff,
    rule_rows,
    rule_sections,
)
from credit.models import AppealDocument, CreditAppeal, CreditEntry, CreditRule, CreditScore, CreditStanding
from credit.querysets import record_enterprises

ENTRIES_PER_PAGE = 25  # as the other lists; a page of 25 entries in the table and the phone cards
HISTORY_ROWS = 24


@login_required
def index(request):
    """/credit/: the staff's list, a unit user's own record."""
    if roles.has_role(request.user, roles.UNIT_USERS):
        return redirect("credit:mine")
    return redirect("credit:enterprise-list")


def lists_of(grade: str, major: bool) -> list[tuple[str, str]]:
    """The badges of a standing: (label, Bootstrap colour)."""
    badges = []
    if scoring.on_redlist(grade, major):
        badges.append(("红榜", "success"))
    if scoring.on_blacklist(grade, major):
        badges.append(("黑名单", "danger"))
    if scoring.under_watch(grade):
        badges.append(("重点监管", "warning"))
    return badges


# --- the managers' list ---------------------------------------------------------------------------------------
class _WithStanding(ScopedQuerysetMixin):
    """The enterprises with their current score and grade (the base for one without a standing) as
    ``credit_score`` / ``credit_grade``, so the list sorts by them."""

    def get_queryset(self):
        base = services.base_standing()
        self.base = base
        return (
            super()
            .get_queryset()
            .select_related("credit_standing__rule", "region")
            .annotate(
                credit_score=Coalesce(
                    F("credit_standing__score"),
                    Value(base.score),
                    output_field=DecimalField(max_digits=8, decimal_places=2),
                ),
                credit_grade=Coalesce(F("credit_standing__grade"), Value(base.grade)),
            )
        )


class EnterpriseListView(ScopedListView, _WithStanding):
    """Every enterprise with its score, grade, lists and entries in force (counted for the page's rows in one
    query). ``_WithStanding`` comes after ``ScopedListView`` in the MRO, so its annotations are there before the
    filters and the sort."""

    allowed_roles = roles.MANAGERS
    model = Enterprise
    template_name = "credit/enterprise_list.html"
    filterset_class = CreditEnterpriseFilter
    ordering_fields = ("name", "credit_score")
    default_ordering = ("name", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The page's rows as plain values (a 500-row page of model objects cost more than writing it): what the
        # template reads of each (e.pk, e.name, e.region.name, …), as dicts.
        page = ctx["object_list"].values(
            "pk",
            "name",
            "credit_code",
            "region__name",
            "credit_score",
            "credit_grade",
            "credit_standing__rule__version",
            "credit_standing__major_in_force",
        )
        rows = [
            {
                "pk": e["pk"],
                "name": e["name"],
                "credit_code": e["credit_code"],
                "region": None if e["region__name"] is None else {"name": e["region__name"]},
                "credit_score": e["credit_score"],
                "credit_grade": e["credit_grade"],
                "rule_version": e["credit_standing__rule__version"],
                "badges": lists_of(e["credit_grade"], bool(e["credit_standing__major_in_force"])),
            }
            for e in page
        ]
        today = timezone.localdate()
        counts = {}
        for row in (
            CreditEntry.objects.filter(enterprise_id__in=[e["pk"] for e in rows])
            .in_force_on(today)
            .values("enterprise_id", "polarity")
            .annotate(n=Count("pk"))
        ):
            counts[(row["enterprise_id"], row["polarity"])] = row["n"]
        for e in rows:
            e["good_count"] = counts.get((e["pk"], "good"), 0)
            e["bad_count"] = counts.get((e["pk"], "bad"), 0)
        ctx["object_list"] = rows
        ctx["base"] = self.base
        return ctx


# --- an enterprise's record -----------------------------------------------------------------------------------
class MyRecordView(RoleRequiredMixin, View):
    """/credit/mine/: a unit user's own enterprise's record."""

    allowed_roles = roles.UNIT_USERS

    def get(self, request):
        if not request.user.enterprise_id:
            raise Http404("您的账号未关联单位。")
        return redirect("credit:record", pk=request.user.enterprise_id)


class RecordView(RoleRequiredMixin, DetailView):
    """诚信档案: the standing and the rule version that computed it, the entries with their state and appeals,
    the grade on a past day, and the score history."""

    allowed_roles = roles.MANAGERS_AND_UNITS
    template_name = "credit/record.html"
    context_object_name = "enterprise"

    def get_queryset(self):
        return record_enterprises(self.request.user).select_related("region")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, enterprise = self.request.user, self.object
        today = timezone.localdate()
        standing = CreditStanding.objects.filter(enterprise=enterprise).select_related("rule").first()
        if standing is not None:
            value = scoring.Standing(standing.score, standing.grade, standing.major_in_force, standing.entries_in_force)
            rule = standing.rule
        else:
            value, rule = services.base_standing(today), services.current_rule(today)
        entries = CreditEntry.objects.for_enterprise(enterprise)
        in_force = entries.in_force_on(today).values("polarity").annotate(n=Count("pk"))
        counts = {row["polarity"]: row["n"] for row in in_force}

        asked_filter = any(self.request.GET.get(name) for name in EntryFilterForm.base_fields)
        filters = EntryFilterForm(self.request.GET if asked_filter else None)
        shown = entries.select_related("project")
        if filters.is_valid():
            if filters.cleaned_data["polarity"]:
                shown = shown.filter(polarity=filters.cleaned_data["polarity"])
            if filters.cleaned_data["state"]:
                shown = shown.in_state(filters.cleaned_data["state"], today)
        shown = shown.prefetch_related(
            Prefetch(
                "appeals",
                queryset=CreditAppeal.objects.visible_to(user).order_by("-submitted_at", "-pk"),
                to_attr="visible_appeals",
            )
        ).order_by("-occurred_on", "-pk")
        paginator = Paginator(shown, ENTRIES_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        may_appeal = roles.is_member_of(user, enterprise)
        for entry in page.object_list:
            entry.state_code = entry.state(today)
            entry.state_label = EntryState(entry.state_code).label
            entry.source_label = registry.label(entry.source_type) if entry.source_type in registry.sources() else ""
            entry.appeal = entry.visible_appeals[0] if entry.visible_appeals else None
            pending = entry.appeal is not None and entry.appeal.status == AppealStatus.PENDING
            entry.can_appeal = may_appeal and entry.is_bad and entry.state_code == "in_force" and not pending

        asked = StandingOnForm(self.request.GET if "on" in self.request.GET else None)
        on_day = None
        if asked.is_valid():
            day = asked.cleaned_data["on"]
            past, row = services.standing_on(enterprise, day)
            on_day = {
                "day": day,
                "standing": past,
                "row": row,
                "rule": row.rule if row is not None else services.current_rule(day),
                "badges": lists_of(past.grade, past.major),
            }
        history = list(
            CreditScore.objects.filter(enterprise=enterprise)
            .select_related("rule")
            .order_by("-as_of")[: HISTORY_ROWS + 1]
        )
        ctx.update(
            today=today,
            standing=value,
            standing_row=standing,
            rule=rule,
            grade_label=Grade(value.grade).label,
            badges=lists_of(value.grade, value.major),
            good_count=counts.get("good", 0),
            bad_count=counts.get("bad", 0),
            filters=filters,
            entries=page.object_list,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
            asked=asked,
            on_day=on_day,
            history=history[:HISTORY_ROWS],
            history_more=len(history) > HISTORY_ROWS,
            is_own=may_appeal,
            is_manager=roles.has_role(user, roles.MANAGERS),
        )
        return ctx


# --- appeals --------------------------------------------------------------------------------------------------
class AppealCreateView(RoleRequiredMixin, FormView):
    """申诉: a unit user objects to one of its enterprise's bad entries in force."""

    allowed_roles = roles.UNIT_USERS
    form_class = AppealForm
    template_name = "credit/appeal_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.entry = get_object_or_404(
                CreditEntry.objects.visible_to(request.user).select_related("enterprise", "county"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, state=self.entry.state_display(), **kwargs)

    def form_valid(self, form):
        try:
            services.submit_appeal(
                self.entry,
                user=self.request.user,
                reasons=form.cleaned_data["reasons"],
                files=form.cleaned_data["documents"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "申诉已提交，将由认定该记录的住建部门审核处理，处理结果将通知您。")
        return redirect("credit:record", pk=self.entry.enterprise_id)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class AppealListView(ScopedListView):
    """Appeals in the user's scope (county staff: on their county's entries; a unit user: its own), pending
    first."""

    allowed_roles = roles.MANAGERS_AND_UNITS
    model = CreditAppeal
    template_name = "credit/appeal_list.html"
    select_related = ("entry__county", "enterprise")
    paginate_by = 25

    def get_queryset(self):
        qs = super().get_queryset()
        status = self.request.GET.get("status", "")
        if status in AppealStatus.values:
            qs = qs.filter(status=status)
        return qs.annotate(
            waiting=Case(
                When(status=AppealStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("waiting", "-submitted_at", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = AppealStatus.choices
        ctx["status"] = self.request.GET.get("status", "")
        return ctx


class AppealDetailView(ScopedDetailView):
    """The appeal with its entry, reasons and documents; the decision, or the form for who may decide."""

    allowed_roles = roles.MANAGERS_AND_UNITS
    model = CreditAppeal
    template_name = "credit/appeal_detail.html"
    context_object_name = "appeal"
    select_related = ("entry__county", "entry__project", "enterprise", "submitted_by", "decided_by")

    def get_context_data(self, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        appeal = self.object
        may_decide = appeal.status == AppealStatus.PENDING and services.may_decide(self.request.user, appeal.entry)
        ctx.update(
            entry=appeal.entry,
            entry_state=appeal.entry.state_display(),
            documents=appeal.documents.all(),
            may_decide=may_decide,
            form=(form or DecisionForm()) if may_decide else None,
            is_manager=roles.has_role(self.request.user, roles.MANAGERS),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = appeal = self.get_object()
        if appeal.status != AppealStatus.PENDING or not services.may_decide(request.user, appeal.entry):
            messages.error(request, "您不能处理此申诉（已处理，或不属于您所在县（市、区））。")
            return redirect("credit:appeal-detail", pk=appeal.pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decide_appeal(
                    appeal,
                    user=request.user,
                    withdraw=form.cleaned_data["decision"] == "withdraw",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                appeal.refresh_from_db()
                messages.success(request, f"已处理申诉：{appeal.get_status_display()}。申诉单位可查看处理决定和理由。")
                return redirect("credit:appeal-detail", pk=appeal.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AppealDocumentView(RoleRequiredMixin, View):
    """A document of an appeal the user may see (the appeal's scope)."""

    allowed_roles = roles.MANAGERS_AND_UNITS

    def get(self, request, pk):
        document = get_object_or_404(
            AppealDocument.objects.filter(appeal__in=CreditAppeal.objects.visible_to(request.user)), pk=pk
        )
        response = FileResponse(
            document.file.open("rb"), content_type=document.content_type, filename=document.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- the rule -------------------------------------------------------------------------------------------------
class RuleView(RoleRequiredMixin, ClampedPaginationMixin, ListView):
    """The rule in force and every version (who, when, from when, why)."""

    allowed_roles = roles.MANAGERS
    template_name = "credit/rule.html"
    context_object_name = "versions"
    paginate_by = 50

    def get_queryset(self):
        return CreditRule.objects.select_related("created_by").order_by("-version")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        current = services.current_rule()
        ctx.update(
            current=current,
            rows=rule_rows(current.data),
            sections=rule_sections(current.data),
            today=timezone.localdate(),
        )
        return ctx


class RuleVersionView(RoleRequiredMixin, DetailView):
    allowed_roles = roles.MANAGERS
    template_name = "credit/rule_version.html"
    context_object_name = "version"
    slug_field = "version"
    slug_url_kwarg = "version"

    def get_queryset(self):
        return CreditRule.objects.select_related("created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rule = self.object
        previous = CreditRule.objects.filter(version__lt=rule.version).order_by("-version").first()
        ctx.update(
            rows=rule_rows(rule.data),
            sections=rule_sections(rule.data),
            previous=previous,
            diff=rule_diff(rule.data, previous.data if previous else None),
            is_current=services.current_rule().pk == rule.pk,
        )
        return ctx


class RuleEditView(RoleRequiredMixin, FormView):
    """修订规则 (the city): a new version from the form; the latest version's values to start from."""

    allowed_roles = roles.CITY_ADMINS
    form_class = RuleForm
    template_name = "credit/rule_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.latest = CreditRule.objects.order_by("-version").first() or services.current_rule()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "rule_data": self.latest.data}

    def get_context_data(self, **kwargs):
        return super().get_context_data(latest=self.latest, **kwargs)

    def form_valid(self, form):
        try:
            rule = services.adopt_rule(
                form.rule_data(),
                user=self.request.user,
                note=form.cleaned_data["note"],
                effective_from=form.cleaned_data["effective_from"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已发布信用评价规则第{rule.version}版，自{rule.effective_from:%Y-%m-%d}起施行"
            + ("，信用分已按新规则重新核算。" if rule.effective_from <= timezone.localdate() else "。"),
        )
        return redirect("credit:rule-version", version=rule.version)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
