"""Thin web views: scope through visible_to(user), rules in awards.services, Excel on every list."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView

from accounts import roles
from accounts.models import Enterprise
from awards import services
from awards.credit import attach_standings, with_standings
from awards.exports import (
    AWARD_RECORD_COLUMNS,
    DANHE_COLUMNS,
    DESIGN_BONUS_COLUMNS,
    SAVINGS_BONUS_COLUMNS,
    ledger_columns,
)
from awards.filters import (
    AwardRecordFilter,
    DanheSelectionFilter,
    DesignBonusFilter,
    LedgerFilter,
    SavingsBonusFilter,
)
from awards.forms import (
    AwardRecordForm,
    AwardValueForm,
    DanheConfirmForm,
    DanheSettingsForm,
    DanheStartForm,
    DesignBonusForm,
    SavingsBonusForm,
    TenderDateForm,
    bonus_projects,
)
from awards.models import Award, AwardRecord, AwardValue, DanheSelection, DesignBonus, SavingsBonus
from awards.querysets import EnterpriseLedger, cached_ledger_rows
from core.exports import xlsx_response
from core.forms import apply_service_errors
from core.history import HistoryMixin
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from credit import scoring as credit_scoring
from credit import services as credit_services
from projects.choices import GENERAL_CONTRACTOR_ROLES
from projects.models import ConstraintRecord, Participant


# --- catalogue ------------------------------------------------------------------------------------
class CatalogueView(RoleRequiredMixin, ListView):
    template_name = "awards/catalogue.html"
    context_object_name = "awards"

    def get_queryset(self):
        awards = list(
            Award.objects.visible_to(self.request.user).prefetch_related(
                Prefetch("values", queryset=AwardValue.objects.order_by("-effective_from"))
            )
        )
        today = timezone.localdate()
        for award in awards:
            award.history = list(award.values.all())
            award.current = next((v for v in award.history if v.effective_from <= today), None)
        return awards


class AwardValueCreateView(RoleRequiredMixin, FormView):
    allowed_roles = roles.CITY_ADMINS
    form_class = AwardValueForm
    template_name = "awards/award_value_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.award = get_object_or_404(Award, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        current = self.award.values.order_by("-effective_from").first()
        return {"points": current.points, "bonus_wan": current.bonus_wan} if current else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(award=self.award, **kwargs)

    def form_valid(self, form):
        try:
            value = services.change_award_value(user=self.request.user, award=self.award, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已调整{self.award.name}：自{value.effective_from:%Y-%m-%d}起 {value.points} 分 / {value.bonus_wan} 万元。",
        )
        return redirect("awards:catalogue")


# --- award records --------------------------------------------------------------------------------
class AwardRecordListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = AwardRecord
    template_name = "awards/record_list.html"
    filterset_class = AwardRecordFilter
    select_related = ("project__county", "award", "contractor", "builder")
    ordering_fields = ("year", "grant_date", "points", "bonus_wan")
    default_ordering = ("-year", "-grant_date", "-pk")
    export_filename = "奖励记录"
    export_columns = AWARD_RECORD_COLUMNS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["totals"] = self.object_list.aggregate(points=Sum("points"), bonus=Sum("bonus_wan"))
        return ctx


class AwardRecordDetailView(HistoryMixin, ScopedDetailView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = AwardRecord
    template_name = "awards/record_detail.html"
    select_related = ("project__county", "award", "contractor", "builder", "catalogue_value", "created_by", "selection")
    context_object_name = "record"


class AwardRecordCreateView(RoleRequiredMixin, FormView):
    allowed_roles = roles.MANAGERS
    form_class = AwardRecordForm
    template_name = "awards/record_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"project": self.request.GET.get("project")}

    def form_valid(self, form):
        try:
            record = services.grant_award(user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已登记{record.year}年度{record.award.name}：{record.contractor.name} 获 {record.points} 分。",
        )
        return redirect("awards:record-detail", pk=record.pk)


# --- points ledger --------------------------------------------------------------------------------
def ledger_scope(user):
    """Enterprises whose ledger the user may read: all for city/county staff, its own for a unit user."""
    if user.is_city_admin or user.is_county_staff:
        return Enterprise.objects.all()
    if user.is_unit_user and user.enterprise_id:
        return Enterprise.objects.filter(pk=user.enterprise_id)
    return Enterprise.objects.none()


class LedgerView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = Enterprise
    template_name = "awards/ledger.html"
    ordering_fields = ("window_points", "total_points", "name", "award_count")
    export_filename = "积分台账"

    def get_queryset(self):
        self.filterset = LedgerFilter(
            self.request.GET or None, queryset=ledger_scope(self.request.user), request=self.request
        )

        def rows():
            qs = self.filterset.qs
            sort = self.request.GET.get("sort", "")
            if sort and sort.lstrip("-") in self.ordering_fields:
                qs = qs.order_by(sort, "pk")
            return qs

        return cached_ledger_rows(self.request, rows)  # one cached list per scope, filters and sort

    @property
    def export_columns(self):
        return ledger_columns(self.filterset.ledger) if getattr(self, "filterset", None) else []

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            rows = with_standings(self.get_queryset())
            return xlsx_response(self.export_filename, [(self.export_filename, self.export_columns, rows)])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ledger = self.filterset.ledger
        for row in attach_standings(ctx["object_list"]):  # the credit grade beside the points: one query
            row.year_points = ledger.year_points(row)
        ctx["ledger"] = ledger
        return ctx


class EnterpriseRecordView(HistoryMixin, RoleRequiredMixin, DetailView):
    """One page before a tender decision: points, awards, constraint records and bonuses of an enterprise."""

    allowed_roles = roles.MANAGERS_AND_UNITS
    template_name = "awards/enterprise_record.html"
    context_object_name = "enterprise"

    def get_queryset(self):
        return ledger_scope(self.request.user).select_related("region").prefetch_related("kinds")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, enterprise = self.request.user, self.object
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = None
        ledger = EnterpriseLedger(year if year and 2000 <= year <= 2100 else None)
        row = ledger.ranked(restrict_to=Enterprise.objects.filter(pk=enterprise.pk)).first()
        if row is not None:
            row.year_points = ledger.year_points(row)
        ctx["ledger"], ctx["ledger_row"] = ledger, row
        ctx["points_by_year"] = (
            AwardRecord.objects.filter(contractor=enterprise)
            .values("year")
            .annotate(points=Sum("points"), bonus=Sum("bonus_wan"))
            .order_by("-year")
        )
        ctx["records"] = (
            AwardRecord.objects.visible_to(user)
            .filter(Q(contractor=enterprise) | Q(builder=enterprise))
            .select_related("project__county", "award", "contractor", "builder")
        )
        ctx["all_records_count"] = AwardRecord.objects.filter(Q(contractor=enterprise) | Q(builder=enterprise)).count()
        ctx["constraints"] = (
            ConstraintRecord.objects.visible_to(user)
            .filter(participant__enterprise=enterprise)
            .select_related("participant__project__county")
        )
        ctx["savings"] = (
            SavingsBonus.objects.visible_to(user)
            .filter(Q(recipient=enterprise) | Q(builder=enterprise))
            .select_related("project", "recipient", "builder")
        )
        ctx["designs"] = (
            DesignBonus.objects.visible_to(user)
            .filter(Q(designer=enterprise) | Q(builder=enterprise))
            .select_related("project", "designer", "builder")
        )
        ctx["is_contractor"] = enterprise.kinds.filter(code__in=GENERAL_CONTRACTOR_ROLES).exists()
        ctx.update(self.credit_context(enterprise))
        return ctx

    def credit_context(self, enterprise) -> dict:
        """The credit grade beside the points: today's, and the one the record showed on a chosen tender date."""
        attach_standings([enterprise])
        form = TenderDateForm(self.request.GET if "tender_date" in self.request.GET else None)
        ctx = {"tender_form": form, "tender_standing": None}
        if form.is_bound and form.is_valid() and form.cleaned_data["tender_date"]:
            day = form.cleaned_data["tender_date"]
            standing, row = credit_services.standing_on(enterprise, day)
            ctx.update(
                tender_date=day,
                tender_standing=standing,
                tender_since=row.as_of if row else None,
                tender_rule_version=row.rule.version if row else credit_services.current_rule(day).version,
                tender_blacklisted=credit_scoring.on_blacklist(standing.grade, standing.major),
            )
        return ctx


# --- 丹河杯 ---------------------------------------------------------------------------------------
class DanheListView(ScopedListView):
    allowed_roles = roles.MANAGERS
    model = DanheSelection
    template_name = "awards/danhe_list.html"
    filterset_class = DanheSelectionFilter
    select_related = ("county", "confirmed_by")
    ordering_fields = ("year", "status")
    default_ordering = ("-year", "county__order")
    export_filename = "丹河杯评选"
    export_columns = DANHE_COLUMNS

    def get_queryset(self):
        from django.db.models import Count

        return (
            super()
            .get_queryset()
            .annotate(
                candidate_count=Count("candidates", distinct=True),
                winner_count=Count("candidates", filter=Q(candidates__is_winner=True), distinct=True),
            )
        )


class DanheStartView(RoleRequiredMixin, FormView):
    allowed_roles = roles.MANAGERS
    form_class = DanheStartForm
    template_name = "awards/danhe_start.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            selection = services.start_danhe_selection(user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已发起{selection}，共 {selection.candidates.count()} 个候选项目。")
        return redirect("awards:danhe-detail", pk=selection.pk)


def _entries_from_post(post, candidates) -> tuple[dict, list[str]]:
    entries, errors = {}, []
    for c in candidates:
        raw_score = (post.get(f"score_{c.pk}") or "").strip()
        raw_rank = (post.get(f"rank_{c.pk}") or "").strip()
        raw_contractor = (post.get(f"contractor_{c.pk}") or "").strip()
        entry = services.CandidateEntry()
        try:
            entry.score = Decimal(raw_score) if raw_score else None
        except InvalidOperation:
            errors.append(f"{c.project.name}的得分“{raw_score}”不是有效的数字。")
        try:
            entry.rank = int(raw_rank) if raw_rank else None
        except ValueError:
            errors.append(f"{c.project.name}的名次“{raw_rank}”须为正整数。")
        entry.contractor = int(raw_contractor) if raw_contractor.isdigit() else None
        entries[c.pk] = entry
    return entries, errors


class DanheDetailView(ScopedDetailView):
    allowed_roles = roles.MANAGERS
    model = DanheSelection
    template_name = "awards/danhe_detail.html"
    select_related = ("county", "created_by", "confirmed_by")
    context_object_name = "selection"

    def candidates(self):
        if self.object.is_locked:
            ordering = ("-is_winner", "rank", "-score", "project__code")
        else:
            ordering = ("project__code",)
        return list(
            self.object.candidates.order_by(*ordering)
            .select_related("project", "contractor")
            .prefetch_related(
                Prefetch(
                    "project__participants",
                    queryset=Participant.objects.select_related("enterprise"),
                    to_attr="all_participants",
                )
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        candidates = kwargs.get("candidates") or self.candidates()
        posted = kwargs.get("posted")
        for c in candidates:
            gcs = {p.enterprise_id: p for p in c.project.all_participants if p.role in GENERAL_CONTRACTOR_ROLES}
            c.general_contractors = [p.enterprise for p in gcs.values()]
            if posted is not None:
                c.input_score = posted.get(f"score_{c.pk}", "")
                c.input_rank = posted.get(f"rank_{c.pk}", "")
                c.input_contractor = posted.get(f"contractor_{c.pk}", "")
            else:
                c.input_score = "" if c.score is None else c.score
                c.input_rank = "" if c.rank is None else c.rank
                c.input_contractor = str(c.contractor_id or "")
        ctx["candidates"] = candidates
        ctx.setdefault(
            "settings_form",
            DanheSettingsForm(initial={"method": self.object.method, "winners_count": self.object.winners_count}),
        )
        ctx.setdefault("confirm_form", DanheConfirmForm())
        ctx["records"] = self.object.award_records.select_related("project", "contractor", "award")
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        action = request.POST.get("action")
        selection = self.object
        try:
            if action == "refresh":
                added = services.refresh_danhe_candidates(user=request.user, selection=selection)
                messages.success(request, f"已刷新候选项目，新增 {added} 个。")
                return redirect("awards:danhe-detail", pk=selection.pk)
            if action == "confirm":
                form = DanheConfirmForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(confirm_form=form))
                records = services.confirm_danhe_selection(user=request.user, selection=selection, **form.cleaned_data)
                messages.success(
                    request, f"丹河杯评选已确认：生成 {len(records)} 条丹河杯奖励记录，获奖项目已标记为优先推荐。"
                )
                return redirect("awards:danhe-detail", pk=selection.pk)
            # save scores / ranks
            form = DanheSettingsForm(request.POST)
            candidates = self.candidates()
            entries, errors = _entries_from_post(request.POST, candidates)
            if not form.is_valid() or errors:
                for e in errors:
                    form.add_error(None, e)
                return self.render_to_response(self.get_context_data(settings_form=form, posted=request.POST))
            services.update_danhe_selection(
                user=request.user, selection=selection, entries=entries, **form.cleaned_data
            )
            messages.success(request, "已保存评分和获奖数量。")
            return redirect("awards:danhe-detail", pk=selection.pk)
        except ValidationError as exc:
            target = DanheConfirmForm(request.POST) if action == "confirm" else DanheSettingsForm(request.POST)
            target.is_valid()
            apply_service_errors(target, exc)
            self.object.refresh_from_db()
            if action == "confirm":  # the scores shown are the saved ones
                return self.render_to_response(self.get_context_data(confirm_form=target))
            return self.render_to_response(self.get_context_data(settings_form=target, posted=request.POST))


# --- bonuses --------------------------------------------------------------------------------------
class SavingsBonusListView(ScopedListView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    model = SavingsBonus
    template_name = "awards/savings_list.html"
    filterset_class = SavingsBonusFilter
    select_related = ("project__county", "recipient", "builder", "confirmed_by")
    ordering_fields = ("confirmed_on", "amount_saved", "bonus")
    default_ordering = ("-confirmed_on", "-pk")
    export_filename = "节约奖励"
    export_columns = SAVINGS_BONUS_COLUMNS

    def get_context_data(self, **kwargs):
        # the 确认/登记 button only for a user with a project to record for (a contractor has none: no dead end)
        return super().get_context_data(can_record=bonus_projects(self.request.user).exists(), **kwargs)


class DesignBonusListView(SavingsBonusListView):
    model = DesignBonus
    template_name = "awards/design_list.html"
    filterset_class = DesignBonusFilter
    select_related = ("project__county", "designer", "builder", "confirmed_by")
    ordering_fields = ("confirmed_on", "reduction_percent", "fee_increase")
    export_filename = "设计优化奖励"
    export_columns = DESIGN_BONUS_COLUMNS


class _BonusCreateView(RoleRequiredMixin, FormView):
    allowed_roles = roles.MANAGERS_AND_UNITS
    template_name = "awards/bonus_form.html"
    service = None
    success_url_name = ""
    title = ""

    def get(self, request, *args, **kwargs):
        if not bonus_projects(request.user).exists():
            messages.info(request, "您没有可登记奖励的项目：奖励由项目的建设单位、所在县局或市局确认。")
            return redirect(self.success_url_name)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, back=reverse(self.success_url_name), **kwargs)

    def form_valid(self, form):
        try:
            obj = self.service(user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(obj))
        return redirect(self.success_url_name)


class SavingsBonusCreateView(_BonusCreateView):
    form_class = SavingsBonusForm
    service = staticmethod(services.confirm_savings_bonus)
    success_url_name = "awards:savings-list"
    title = "确认节约奖励"

    def success_message(self, obj):
        return f"已确认节约金额 {obj.amount_saved:,} 元，{obj.recipient.name} 获奖励 {obj.bonus:,} 元（{obj.rate_percent.normalize()}%）。"


class DesignBonusCreateView(_BonusCreateView):
    form_class = DesignBonusForm
    service = staticmethod(services.record_design_bonus)
    success_url_name = "awards:design-list"
    title = "登记设计优化奖励"

    def success_message(self, obj):
        if obj.fee_increase == 0:
            return "已登记：施工图预算未低于批复概算，不增加设计费。"
        return f"已登记：降低 {obj.reduction_percent.normalize()}%，设计费上浮 {obj.fee_increase_percent.normalize()}%，增加 {obj.fee_increase:,} 元。"


@login_required
def index(request):
    return redirect("awards:record-list")
