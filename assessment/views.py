"""Web UI of the monthly county assessment: thin views over assessment.services and assessment.ranking."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from assessment import deadlines, ranking, scoring, services, years
from assessment import facts as record_facts
from assessment.dashboard import ASSESSMENT_MODELS
from assessment.exports import ANNUAL_COLUMNS, AUDIT_COLUMNS, EXCEPTION_COLUMNS, RANKING_COLUMNS, SUBMISSION_COLUMNS
from assessment.filters import AuditEntryFilter, DeadlineExceptionFilter, SubmissionFilter
from assessment.forms import (
    AdjustmentForm,
    EvidenceForm,
    ExceptionForm,
    PaperForm,
    ReasonForm,
    StartForm,
    SubmissionForm,
    return_form_class,
)
from assessment.models import (
    Adjustment,
    AnnualTarget,
    AuditEntry,
    DeadlineException,
    Evidence,
    PaperEvidenceAcceptance,
    Rubric,
    RubricItem,
    Submission,
)
from assessment.year_views import not_set_up_context
from core import panel_cache
from core.confirm import confirmation, form_summary, is_confirmed, rehearsal
from core.exports import xlsx_response
from core.forms import apply_service_errors
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView


def _errors_to_messages(request, exc: ValidationError) -> None:
    if hasattr(exc, "message_dict"):
        for field, errors in exc.message_dict.items():
            label = _field_label(field)
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
    else:
        for error in exc.messages:
            messages.error(request, error)


def _field_label(name: str) -> str:
    """The verbose name of a concrete field of Submission; "" for anything else (reverse relations such as
    ``comments`` have no verbose name: the message then stands alone)."""
    try:
        field = Submission._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return ""
    return str(getattr(field, "verbose_name", "") or "")


def score_groups(submission: Submission, sheet: scoring.ScoreSheet | None = None) -> list[dict]:
    """The rubric's groups with each item's result (from the engine, or the stored item scores)."""
    items = list(submission.rubric.items.select_related("group"))
    evidence_counts: dict[int, int] = {}
    for ev in submission.evidence.all():
        evidence_counts[ev.item_id] = evidence_counts.get(ev.item_id, 0) + 1
    accepted = {a.item_id: a for a in submission.paper_acceptances.all()}
    comments: dict[int, list] = {}
    for comment in submission.comments.all():
        comments.setdefault(comment.item_id, []).append(comment)
    if sheet is not None:
        results = sheet.by_code()
    else:
        results = {s.item.code: s for s in submission.item_scores.select_related("item")}
    groups: dict[int, dict] = {}
    for item in items:
        group = groups.setdefault(item.group_id, {"group": item.group, "rows": []})
        result = results.get(item.code)
        count = evidence_counts.get(item.pk, 0)
        group["rows"].append(
            {
                "item": item,
                "result": result,
                "evidence": count,
                "comments": comments.get(item.pk, []),
                # the engine's verdict (无印证材料的不计分), live or as stored: never a second rule here
                "missing": bool(result and result.evidence_missing),
                "paper_accepted": accepted.get(item.pk),
            }
        )
    return list(groups.values())


# --- lists --------------------------------------------------------------------------------------------
class SubmissionListView(ScopedListView):
    allowed_roles = roles.MANAGERS
    model = Submission
    template_name = "assessment/submission_list.html"
    filterset_class = SubmissionFilter
    select_related = ("county",)
    ordering_fields = ("year", "month", "score", "first_submitted_at", "status")
    default_ordering = ("-year", "-month", "county__order")
    export_filename = "月度考评报送"
    export_columns = SUBMISSION_COLUMNS
    review_queue = False

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.in_review() if self.review_queue else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["review_queue"] = self.review_queue
        today = timezone.localdate()
        ctx["start_form"] = StartForm(initial={"year": today.year, "month": today.month}, auto_id="start_%s")
        if not years.is_set_up(today.year):
            ctx.update(not_set_up_context(self.request, today.year))
        return ctx


class ReviewQueueView(SubmissionListView):
    allowed_roles = roles.CITY_ADMINS
    review_queue = True
    default_ordering = ("first_submitted_at",)


class StartSubmissionView(RoleRequiredMixin, View):
    allowed_roles = roles.COUNTY_STAFF

    def post(self, request):
        form = StartForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择正确的年度和月份。")
            return redirect("assessment:submission-list")
        if not years.is_set_up(form.cleaned_data["year"]):
            messages.error(request, f"{years.not_set_up_message(form.cleaned_data['year'])}，暂不能填报，请联系市局。")
            return redirect("assessment:submission-list")
        try:
            sub = services.get_or_create_submission(
                request.user.region, form.cleaned_data["year"], form.cleaned_data["month"], user=request.user
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
            return redirect("assessment:submission-list")
        if sub.county_can_edit:
            return redirect("assessment:submission-edit", pk=sub.pk)
        return redirect("assessment:submission-detail", pk=sub.pk)


class SubmissionDetailView(ScopedDetailView):
    allowed_roles = roles.MANAGERS
    model = Submission
    template_name = "assessment/submission_detail.html"
    select_related = ("county", "rubric", "approved_by")
    context_object_name = "sub"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        sub = self.object
        ctx["groups"] = score_groups(sub)
        ctx["paper_missing_rows"] = [row for g in ctx["groups"] for row in g["rows"] if row["missing"]]
        ctx["paper_acceptances"] = sub.paper_acceptances.select_related("item", "accepted_by")
        ctx["evidence"] = sub.evidence.select_related("item", "uploaded_by")
        ctx["adjustments"] = sub.adjustments.select_related("created_by")
        ctx["audit"] = sub.audit.select_related("actor")[:200]
        ctx["general_comments"] = [c for c in sub.comments.select_related("author") if c.item_id is None]
        ctx["deadline"] = services.effective_deadline(sub.county_id, sub.year, sub.month)
        ctx["paper"] = deadlines.paper_originals_of(sub)
        ctx["paper_proposal"] = services.paper_deduction_proposal(sub)
        ctx["no_evidence_codes"] = [f["item"] for f in sub.flags or [] if f.get("code") == "no_evidence"]
        ctx["computed_facts"] = record_facts.details(sub.county_id, sub.year, sub.month)
        ctx["other_flags"] = [f for f in sub.flags or [] if f.get("code") != "no_evidence"]
        ctx["prefilled_rows"] = [(field_label(k), v) for k, v in (sub.prefilled or {}).items()]
        ctx["correction_rows"] = [(field_label(k), v) for k, v in (sub.correction_notes or {}).items()]
        user = self.request.user
        ctx["is_owner"] = roles.is_county_staff_of(user, sub.county_id)
        if user.is_city_admin:
            ctx["return_form"] = return_form_class(sub.rubric.items.all())()
            ctx["adjustment_form"] = AdjustmentForm()
            ctx["reason_form"] = ReasonForm()
            ctx["paper_form"] = PaperForm(initial={"paper_received_on": sub.paper_received_on})
            ctx["manual_items"] = [
                {"item": item, "value": (sub.manual_scores or {}).get(item.code, "")}
                for item in sub.rubric.items.all()
                if item.kind == RubricItem.Kind.MANUAL
            ]
            if sub.status == "approved":
                ctx["publish_warnings"] = publish_warnings(sub.year, sub.month)
        return ctx


def field_label(name: str) -> str:
    """The Chinese name of a submission field (never the internal name in the UI)."""
    try:
        return str(Submission._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field no longer on the model (old JSON): still no internal name
        return "其他数据"


# --- county: the form, live preview, prefill, evidence --------------------------------------------------
def _owned_submission(request, pk) -> Submission:
    sub = get_object_or_404(Submission.objects.visible_to(request.user).select_related("county", "rubric"), pk=pk)
    services.require_county_owner(sub, user=request.user)
    return sub


def choice_rows(choices: dict, names) -> list[dict]:
    """The 预填 figures of ``names`` that kept last month's figure over lower project data: the clerk chooses."""
    return [{"field": n, "label": field_label(n), **choices[n]} for n in names if n in choices]


def form_sections(sub: Submission, form, sheet: scoring.ScoreSheet | None = None, choices=None) -> list[dict]:
    """The form's fields grouped like the rubric: the shared base figure first, then group → item → inputs; each
    item with its 印证材料 and, from the engine, whether it scores 0 for want of them (and what that costs)."""
    placed = {"new_building_area"}
    results = (sheet or services.compute(sub)).by_code()
    evidence: dict[int, list] = {}
    for ev in sub.evidence.all():
        evidence.setdefault(ev.item_id, []).append(ev)
    sections = []
    for group in sub.rubric.groups.prefetch_related("items"):
        items = []
        for item in group.items.all():
            inputs = scoring.rule_inputs(item.to_rule())
            names = [n for n in inputs["figures"] + inputs["facts"] + inputs["counts"] if n not in placed]
            placed.update(names)
            fields = []
            for name in names:
                if name in form.fields:
                    fields.append(form[name])
                    if f"note_{name}" in form.fields:
                        fields.append(form[f"note_{name}"])
            result = results.get(item.code)
            items.append(
                {
                    "item": item,
                    "fields": fields,
                    "choices": choice_rows(choices or {}, names),
                    "evidence": evidence.get(item.pk, []),
                    "missing": bool(result and result.evidence_missing),
                    "earned": result.earned if result else None,
                }
            )
        sections.append({"group": group, "items": items})
    return sections


class SubmissionEditView(RoleRequiredMixin, View):
    allowed_roles = roles.COUNTY_STAFF
    template_name = "assessment/submission_form.html"

    def render(self, request, sub, form, status=200):
        choices = services.prefill_choices(sub)
        base = [form["new_building_area"]] + (
            [form["note_new_building_area"]] if "note_new_building_area" in form.fields else []
        )
        ctx = {
            "sub": sub,
            "form": form,
            "base_fields": base,
            "sections": form_sections(sub, form, choices=choices),
            "base_choices": choice_rows(choices, ["new_building_area"]),
            "report_fields": [form[f] for f in Submission.REPORT_FIELDS],
            "groups": score_groups(sub),
            "evidence_form": EvidenceForm(submission=sub),
            "evidence": sub.evidence.select_related("item"),
            "general_comments": [c for c in sub.comments.all() if c.item_id is None],
            "deadline": services.effective_deadline(sub.county_id, sub.year, sub.month),
            "computed_facts": record_facts.details(sub.county_id, sub.year, sub.month),
        }
        # the county learns before pressing 报送市局 that the month is overdue (the first submission decides)
        ctx["overdue"] = sub.first_submitted_at is None and timezone.now() > ctx["deadline"]
        ctx["returned"] = returned_context(sub)
        return render(request, self.template_name, ctx, status=status)

    @staticmethod
    def check_or_submit(request, sub, form):
        """保存并检查: the draft is saved and the pre-send check page shows what sending would give."""
        services.update_submission(sub, form.values(), user=request.user, notes=form.notes())
        return redirect("assessment:submission-check", pk=sub.pk)

    def get(self, request, pk):
        sub = _owned_submission(request, pk)
        if not sub.county_can_edit:
            messages.info(request, f"当前状态为“{sub.get_status_display()}”，不能修改。")
            return redirect("assessment:submission-detail", pk=sub.pk)
        return self.render(request, sub, SubmissionForm(instance=sub))

    def post(self, request, pk):
        sub = _owned_submission(request, pk)
        form = SubmissionForm(request.POST, instance=Submission.objects.get(pk=sub.pk))
        if not form.is_valid():
            messages.error(request, "请更正标红的内容。")
            return self.render(request, sub, form, status=400)
        try:
            if "submit" in request.POST:
                sub = services.update_and_submit(sub, form.values(), user=request.user, notes=form.notes())
                messages.success(request, f"{sub.period}考评已报送市局。")
                return redirect("assessment:submission-detail", pk=sub.pk)
            if "check" in request.POST:
                return self.check_or_submit(request, sub, form)
            sub = services.update_submission(sub, form.values(), user=request.user, notes=form.notes())
        except ValidationError as exc:
            apply_service_errors(form, exc, rest=lambda errors: _errors_to_messages(request, errors))
            messages.error(request, "未能报送，请更正标红的内容。")
            sub.refresh_from_db()
            return self.render(request, sub, form, status=400)
        messages.success(request, "已保存草稿。")
        return redirect("assessment:submission-edit", pk=sub.pk)


class PresendCheckView(RoleRequiredMixin, View):
    """The pre-send check (GET) and 报送市局 from it (POST, validated again by ``services.submit``)."""

    allowed_roles = roles.COUNTY_STAFF

    def get(self, request, pk):
        sub = _owned_submission(request, pk)
        if not sub.county_can_edit:
            messages.info(request, f"当前状态为“{sub.get_status_display()}”，不能报送。")
            return redirect("assessment:submission-detail", pk=sub.pk)
        check = services.presend_check(sub)
        errors = [(field_label(f) if f in _SUBMISSION_FIELDS else "", msgs) for f, msgs in check.errors.items()]
        ctx = {"sub": sub, "check": check, "errors": errors, "returned": returned_context(sub)}
        return render(request, "assessment/submission_check.html", ctx)

    def post(self, request, pk):
        sub = _owned_submission(request, pk)
        try:
            sub = services.submit(sub, user=request.user)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
            messages.error(request, "未能报送：请按检查结果修改后再报送。")
            return redirect("assessment:submission-check", pk=sub.pk)
        messages.success(request, f"{sub.period}考评已报送市局。")
        return redirect("assessment:submission-detail", pk=sub.pk)


_SUBMISSION_FIELDS = {f.name for f in Submission._meta.concrete_fields}


def returned_context(sub: Submission) -> dict | None:
    """What applies to a returned month: there is no separate resubmission deadline. Lateness is decided by the
    first submission alone (SPEC §5.3), so resending after the deadline does not make the month late; the month
    counts only once the city approves it."""
    if sub.status != "returned":
        return None
    return {"first_submitted_at": sub.first_submitted_at, "is_late": sub.is_late}


class PreviewView(RoleRequiredMixin, View):
    """htmx: the engine's score sheet for the form as typed (nothing is saved)."""

    allowed_roles = roles.MANAGERS

    def post(self, request, pk):
        sub = get_object_or_404(Submission.objects.visible_to(request.user).select_related("county", "rubric"), pk=pk)
        for field in services.EDITABLE_FIELDS:
            if field in Submission.FACT_FIELDS:
                setattr(sub, field, field in request.POST)
            elif field in request.POST:
                try:
                    setattr(sub, field, services.coerce_value(field, request.POST[field]))
                except ValidationError:
                    pass
        sheet = services.compute(sub)
        groups = score_groups(sub, sheet)
        return render(
            request,
            "assessment/_score_sheet.html",
            {"groups": groups, "total": sheet.total, "sub": sub, "preview": True},
        )


class PrefillView(RoleRequiredMixin, View):
    allowed_roles = roles.COUNTY_STAFF

    def post(self, request, pk):
        sub = _owned_submission(request, pk)
        if "new_building_area" in request.POST:
            # pressed inside the form: what was typed is saved first (a narrative is never thrown away), then prefilled
            form = SubmissionForm(request.POST, instance=Submission.objects.get(pk=sub.pk))
            if not form.is_valid():
                messages.error(request, "未预填：请先更正标红的内容（已填写的内容未丢失）。")
                return SubmissionEditView().render(request, sub, form, status=400)
            try:
                sub = services.update_submission(sub, form.values(), user=request.user, notes=form.notes())
            except ValidationError as exc:
                _errors_to_messages(request, exc)
                sub.refresh_from_db()
                return SubmissionEditView().render(request, sub, form, status=400)
        try:
            filled = services.prefill_from_projects(sub, user=request.user)
            messages.success(request, f"已由已接收的项目月报预填{len(filled)}项面积数据（万m²，只舍不入）。")
            sub.refresh_from_db()
            kept = services.prefill_choices(sub)
            if kept:
                names = "、".join(field_label(f) for f in kept)
                messages.warning(
                    request, f"{names}：项目数据低于上月累计，已保留上月累计，请在该项下选择采用哪个数值。"
                )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        return redirect("assessment:submission-edit", pk=sub.pk)


class EvidenceUploadView(RoleRequiredMixin, View):
    allowed_roles = roles.COUNTY_STAFF

    def post(self, request, pk):
        sub = _owned_submission(request, pk)
        form = EvidenceForm(request.POST, request.FILES, submission=sub)
        error = None
        if form.is_valid():
            try:
                services.upload_evidence(sub, form.cleaned_data["item"], form.cleaned_data["file"], user=request.user)
            except ValidationError as exc:
                error = "；".join(exc.messages)
        else:
            error = "；".join(e for errs in form.errors.values() for e in errs)
        if request.headers.get("HX-Request") and request.POST.get("box") == "item":
            # the upload beside one item: that item's box comes back (its files, its warning)
            code = request.POST.get("item", "")
            item = sub.rubric.items.filter(code=code).first()
            if item is None:
                raise Http404("考评项不存在。")
            result = services.compute(sub).by_code().get(code)
            entry = {
                "item": item,
                "evidence": list(sub.evidence.filter(item=item)),
                "missing": bool(result and result.evidence_missing),
                "earned": result.earned if result else None,
            }
            ctx = {"sub": sub, "entry": entry, "upload_error": error}
            response = render(request, "assessment/_item_evidence.html", ctx, status=422 if error else 200)
            if not error:
                response["HX-Trigger"] = "evidenceChanged"
            return response
        if request.headers.get("HX-Request"):
            ctx = {"sub": sub, "evidence": sub.evidence.select_related("item"), "upload_error": error, "editable": True}
            # A refused upload is a 422 (htmx is configured to swap it in, base.html), never a 200.
            response = render(request, "assessment/_evidence_list.html", ctx, status=422 if error else 200)
            if not error:
                response["HX-Trigger"] = "evidenceChanged"
            return response
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "印证材料已上传。")
        anchor = f"#item-{form.cleaned_data['item']}" if form.is_valid() else ""
        return HttpResponseRedirect(reverse("assessment:submission-edit", args=[sub.pk]) + anchor)


class EvidenceDeleteView(RoleRequiredMixin, View):
    allowed_roles = roles.COUNTY_STAFF

    def post(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.visible_to(request.user).select_related("item"), pk=pk)
        try:
            services.delete_evidence(evidence, user=request.user)
            messages.success(request, "印证材料已删除。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        # back to the item the file belonged to (the upload and delete sit beside it)
        url = reverse("assessment:submission-edit", args=[evidence.submission_id])
        return HttpResponseRedirect(f"{url}#item-{evidence.item.code}")


class EvidenceDownloadView(RoleRequiredMixin, View):
    """The only way to a stored evidence file: scoped (another county's file is 404)."""

    allowed_roles = roles.MANAGERS

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在。")
        response = FileResponse(handle, content_type=evidence.content_type, filename=evidence.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- city: review actions -----------------------------------------------------------------------------
class CityActionView(RoleRequiredMixin, View):
    allowed_roles = roles.CITY_ADMINS
    # Set: the action is confirmed after the service has validated it (core.confirm) — (text, button).
    confirmation: tuple[str, str] | None = None
    back = "#"  # the anchor of the action's form on the detail page

    def get_submission(self, pk):
        return get_object_or_404(Submission.objects.visible_to(self.request.user), pk=pk)

    def post(self, request, pk):
        sub = self.get_submission(pk)
        confirmed = self.confirmation is None or is_confirmed(request)
        try:
            with rehearsal(confirmed):
                message = self.act(request, sub)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            if not confirmed:
                return self.ask(request, self.get_submission(pk))
            if message:
                messages.success(request, message)
        return HttpResponseRedirect(reverse("assessment:submission-detail", args=[sub.pk]))

    def summary(self, request, sub) -> list[str]:
        return []

    def ask(self, request, sub, **context):
        """The detail page with the 请确认 step of this action."""
        view = SubmissionDetailView(request=request, kwargs={"pk": sub.pk})
        view.object = sub
        ctx = view.get_context_data()
        text, ok = self.confirmation
        ctx.update(context)
        ctx.update(
            confirmation(request, text.format(sub=sub), summary=self.summary(request, sub), ok=ok, back=self.back)
        )
        return render(request, view.template_name, ctx)


class ReturnView(CityActionView):
    back = "#return-form"
    confirmation = ("退回后{sub.county.name}{sub.period}的考评回到县局修改，意见将通知县局。确定退回？", "确认退回")

    def form(self, request, sub):
        form = return_form_class(sub.rubric.items.all())(request.POST)
        form.is_valid()
        return form

    def act(self, request, sub):
        data = self.form(request, sub).cleaned_data
        comments = {k.removeprefix("comment_"): v for k, v in data.items() if k.startswith("comment_") and v}
        services.return_submission(sub, user=request.user, comments=comments, general=data.get("general", ""))
        return "已退回县局修改。"

    def summary(self, request, sub):
        return form_summary(self.form(request, sub))

    def ask(self, request, sub, **context):
        return super().ask(request, sub, return_form=self.form(request, sub), **context)


class ApproveView(CityActionView):
    def act(self, request, sub):
        services.approve(sub, user=request.user)
        return "已审核通过（已锁定）。"


class PublishView(CityActionView):
    def act(self, request, sub):
        services.publish(sub, user=request.user)
        return "已发布。"


class ReopenView(CityActionView):
    confirmation = (
        "重新打开后{sub.county.name}{sub.period}的考评解除锁定，县局可修改后重新报送。确定重新打开？",
        "确认重新打开",
    )

    def summary(self, request, sub):
        return [f"理由：{request.POST.get('reason', '').strip()}"]

    def act(self, request, sub):
        services.reopen(sub, user=request.user, reason=request.POST.get("reason", ""))
        return "已重新打开，县局可修改后重新报送。"


class AdjustView(CityActionView):
    def act(self, request, sub):
        form = AdjustmentForm(request.POST)
        if not form.is_valid():
            raise ValidationError({k: v for k, v in form.errors.items()})
        services.add_adjustment(
            sub, user=request.user, points=form.cleaned_data["points"], reason=form.cleaned_data["reason"]
        )
        return "已录入行政绩效加减分。"


class AdjustmentDeleteView(RoleRequiredMixin, View):
    allowed_roles = roles.CITY_ADMINS

    def post(self, request, pk):
        adjustment = get_object_or_404(Adjustment.objects.visible_to(request.user), pk=pk)
        try:
            services.delete_adjustment(adjustment, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "已删除行政绩效加减分。")
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        return redirect("assessment:submission-detail", pk=adjustment.submission_id)


class ManualScoreView(CityActionView):
    """The reviewer's score for a 评审人工评分 item (audited by the service)."""

    def act(self, request, sub):
        code = request.POST.get("code", "")
        services.set_manual_score(
            sub,
            user=request.user,
            code=code,
            value=request.POST.get("value", ""),
            reason=request.POST.get("reason", ""),
        )
        return f"已评定{code}的得分。"


class PaperAcceptView(CityActionView):
    """The reviewer accepts the paper originals of an item in place of uploaded 印证材料 (audited by the service)."""

    def act(self, request, sub):
        code = request.POST.get("code", "")
        services.accept_paper_originals(sub, user=request.user, code=code, note=request.POST.get("note", ""))
        return f"已认可{code}的纸质原件，该项按规则计分。"


class PaperAcceptanceWithdrawView(RoleRequiredMixin, View):
    allowed_roles = roles.CITY_ADMINS

    def post(self, request, pk):
        acceptance = get_object_or_404(PaperEvidenceAcceptance.objects.visible_to(request.user), pk=pk)
        try:
            services.withdraw_paper_acceptance(acceptance, user=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "已撤销纸质原件认可。")
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        return redirect("assessment:submission-detail", pk=acceptance.submission_id)


class PaperDeductionView(CityActionView):
    """The reviewer confirms the proposed 行政绩效 deduction for late or missing paper originals."""

    def act(self, request, sub):
        adjustment = services.confirm_paper_deduction(sub, user=request.user, points=request.POST.get("points"))
        return f"已确认纸质原件逾期减分 {adjustment.points:+}。"


class PaperView(CityActionView):
    def act(self, request, sub):
        form = PaperForm(request.POST)
        if not form.is_valid():
            raise ValidationError("日期格式不正确。")
        services.record_paper_received(sub, user=request.user, received_on=form.cleaned_data["paper_received_on"])
        return "已登记纸质原件送达日期。"


class PublishMonthView(RoleRequiredMixin, View):
    allowed_roles = roles.CITY_ADMINS

    def post(self, request):
        try:
            year, month = int(request.POST["year"]), int(request.POST["month"])
        except (KeyError, ValueError):
            messages.error(request, "年度或月份不正确。")
            return redirect("assessment:ranking")
        count = services.publish_month(year, month, user=request.user)
        messages.success(request, f"已发布{year}年{month}月已审核的考评{count}份。")
        return redirect(f"{reverse('assessment:ranking')}?year={year}&month={month}")


# --- ranking, annual, audit, exceptions, targets, rubric ------------------------------------------------
def _year_month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", 0)) or None
    except ValueError:
        year, month = today.year, None
    if month is None:
        # the latest month whose deadline has passed
        month = today.month if timezone.now() > deadlines.deadline(year, today.month) else max(today.month - 1, 1)
        if year < today.year:
            month = 12
    return year, max(1, min(12, month))


def publish_warnings(year: int, month: int, rows: list[ranking.RankingRow] | None = None) -> list[str]:
    """What the city should know before publishing a month: earlier months not yet published, counties whose
    month is returned, in review or missing. Shown above the confirmation; publishing stays possible. ``rows``:
    the month's ranking as the city sees it, when the caller has it already."""
    warnings = []
    earlier = sorted(
        set(
            Submission.objects.filter(year=year, month__lt=month)
            .exclude(status__in=("published", "draft"))
            .values_list("month", flat=True)
        )
    )
    if earlier:
        warnings.append("、".join(f"{m}月" for m in earlier) + "尚有未发布的考评。")
    today = timezone.localdate()
    paper_overdue = [
        sub.county.name
        for sub in Submission.objects.filter(year=year, month=month)
        .exclude(status="draft")
        .select_related("county")
        .only("year", "month", "paper_received_on", "county__name")
        if deadlines.paper_originals_of(sub, today).overdue
    ]
    if paper_overdue:
        warnings.append(f"纸质原件未按时送达（当月28日前）：{'、'.join(paper_overdue)}，请确认行政绩效减分。")
    if rows is None:
        rows = ranking.monthly_ranking(year, month)
    for state, text in (
        (ranking.MonthState.RETURNED, "已退回"),
        (ranking.MonthState.IN_REVIEW, "待审核"),
        (ranking.MonthState.MISSING, "未报送"),
    ):
        names = [r.county_name for r in rows if r.state == state]
        if names:
            warnings.append(f"本月{text}：{'、'.join(names)}。")
    return warnings


def _not_set_up(request, year: int, tab: str, page_title: str):
    """The page for a year without a rubric: the message (and the set-up link for the city) instead of zeros."""
    if years.is_set_up(year) or request.GET.get("export"):
        return None
    ctx = {**not_set_up_context(request, year), "tab": tab, "page_title": page_title}
    return render(request, "assessment/year_not_set_up.html", ctx)


# What the ranking and annual pages read (the 驾驶舱's models): a saved or deleted row of any drops their kept rows.
PAGE_MODELS = tuple(label.lower() for label in ASSESSMENT_MODELS)


def _kept_for_page(name: str, request, year: int, month: int, audience: str, compute):
    """``compute()`` (the month's ranking, the year's annual scores) kept per audience, year and month through
    ``core.panel_cache.cached_value``: until a row of ``PAGE_MODELS`` changes, the day ends (regular deadlines end
    at 23:59:59 local time: a month becomes due with the day) or an extension runs out (the key counts the year's
    extensions already past). Only with ``LIST_CACHE`` (a cache every process shares: another process's change must
    reach this one); otherwise computed on every request."""
    if not settings.LIST_CACHE:
        return compute()
    expired = DeadlineException.objects.filter(year=year, new_deadline__lt=timezone.now()).count()
    query = f"{year}:{month}:{audience}:{expired}"
    return panel_cache.cached_value(name, request, PAGE_MODELS, compute, query=query)


class RankingView(RoleRequiredMixin, TemplateView):
    allowed_roles = roles.MANAGERS
    template_name = "assessment/ranking.html"

    def get(self, request, *args, **kwargs):
        year, month = _year_month(request)
        if (page := _not_set_up(request, year, "ranking", "月度考评排名")) is not None:
            return page
        audience = ranking.audience_for(request.user)
        city = request.user.is_city_admin

        def compute():
            rows = ranking.monthly_ranking(year, month, audience=audience)
            # the city's audience is publish_warnings' own: its rows serve both
            return {"rows": rows, "warnings": publish_warnings(year, month, rows) if city else []}

        kept = _kept_for_page("assessment.ranking", request, year, month, audience, compute)
        rows = kept["rows"]
        if request.GET.get("export") == "xlsx":
            return xlsx_response(f"{year}年{month}月考评排名", [(f"{month}月排名", RANKING_COLUMNS, rows)])
        ranked = [r for r in rows if r.rank is not None]
        ctx = self.get_context_data(year=year, month=month, rows=rows, ranked=ranked, months=range(1, 13))
        ctx["chart"] = {
            "names": [r.county_name for r in ranked],
            "scores": [float(r.score) for r in ranked],
            "states": [r.state for r in ranked],
            "labels": [r.state_label for r in ranked],
        }
        ctx["due"] = timezone.now() > deadlines.deadline(year, month)
        if city:
            ctx["approved_count"] = sum(1 for r in rows if r.status == "approved")
            ctx["publish_warnings"] = kept["warnings"]
        return self.render_to_response(ctx)


class AnnualView(RoleRequiredMixin, TemplateView):
    allowed_roles = roles.MANAGERS
    template_name = "assessment/annual.html"

    def get(self, request, *args, **kwargs):
        year, _ = _year_month(request)
        if (page := _not_set_up(request, year, "annual", "年度考评得分")) is not None:
            return page
        audience = ranking.audience_for(request.user)
        rows = _kept_for_page(
            "assessment.annual", request, year, 0, audience, lambda: ranking.annual_scores(year, audience=audience)
        )
        if request.GET.get("export") == "xlsx":
            return xlsx_response(f"{year}年度考评得分", [("年度得分", ANNUAL_COLUMNS, rows)])
        weights = ranking.annual_weights()
        ctx = self.get_context_data(year=year, rows=rows, weights=[w * 100 for w in weights], months=range(1, 13))
        ctx["has_counted"] = any(r.months_counted for r in rows)
        ctx["published_audience"] = audience == "published"
        ctx["grade_bands"] = scoring.grade_bands()
        return self.render_to_response(ctx)


class AuditListView(ScopedListView):
    allowed_roles = roles.MANAGERS
    model = AuditEntry
    template_name = "assessment/audit_list.html"
    filterset_class = AuditEntryFilter
    select_related = ("county", "actor")
    default_ordering = ("-at", "-pk")
    export_filename = "考评变更记录"
    export_columns = AUDIT_COLUMNS


class ExceptionListView(ScopedListView):
    allowed_roles = roles.MANAGERS
    model = DeadlineException
    template_name = "assessment/exception_list.html"
    filterset_class = DeadlineExceptionFilter
    select_related = ("county", "granted_by")
    export_filename = "逾期豁免"
    export_columns = EXCEPTION_COLUMNS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.user.is_city_admin:
            ctx["form"] = getattr(self, "form", None) or ExceptionForm()
        return ctx

    def post(self, request):
        if not request.user.is_city_admin:
            raise PermissionDenied("只有市局管理员可以批准逾期豁免。")
        self.form = ExceptionForm(request.POST)
        if self.form.is_valid():
            data = self.form.cleaned_data
            try:
                services.grant_exception(
                    data["county"],
                    data["year"],
                    data["month"],
                    user=request.user,
                    new_deadline=data["new_deadline"],
                    reason=data["reason"],
                )
                messages.success(request, f"已批准{data['county']}{data['year']}年{data['month']}月逾期豁免。")
                return redirect("assessment:exception-list")
            except ValidationError as exc:
                apply_service_errors(self.form, exc)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(), status=400)


class TargetListView(RoleRequiredMixin, TemplateView):
    allowed_roles = roles.MANAGERS
    template_name = "assessment/targets.html"

    def get(self, request, *args, **kwargs):
        year, _ = _year_month(request)
        return _not_set_up(request, year, "targets", "年度目标任务") or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, _ = _year_month(self.request)
        ctx["year"] = year
        ctx["targets"] = AnnualTarget.objects.filter(year=year).select_related("county__parent__parent")
        ctx["progress"] = ranking.target_progress(year)
        return ctx


class RubricView(RoleRequiredMixin, TemplateView):
    allowed_roles = roles.MANAGERS
    template_name = "assessment/rubric.html"

    def get(self, request, *args, **kwargs):
        year, _ = _year_month(request)
        return _not_set_up(request, year, "rubric", "考评赋分表") or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, _ = _year_month(self.request)
        rubrics = Rubric.objects.filter(year=year).prefetch_related(
            Prefetch("groups__items"),
        )
        version = self.request.GET.get("version")
        rubric = rubrics.filter(version=version).first() if version else rubrics.first()
        ctx.update(year=year, rubric=rubric, versions=Rubric.objects.filter(year=year))
        if rubric:
            ctx["total"] = sum((i.max_points for i in rubric.items.all()), 0)
        return ctx
