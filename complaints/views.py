"""Web views of the complaints app: the public form and status check (no login), the ledger for staff."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views import View

from accounts.roles import MANAGERS
from complaints import analysis, documents, exports, kept_photos, services, workdays
from complaints.choices import Status
from complaints.filters import ComplaintFilter
from complaints.forms import (
    AssignForm,
    CalendarDayForm,
    CategoryForm,
    CloseForm,
    ExtensionForm,
    NoteForm,
    PublicComplaintForm,
    PublicReturnVisitForm,
    ReassignForm,
    RejectForm,
    ReopenDecisionForm,
    ReturnVisitForm,
    StaffEntryForm,
    StatusCheckForm,
)
from complaints.models import (
    CalendarDay,
    Complaint,
    ComplaintCategory,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintPhoto,
    ContactView,
    ReturnVisit,
)
from core import ratelimit
from core.clientip import client_ip
from core.confirm import confirmation, form_summary, is_confirmed, rehearsal
from core.forms import apply_service_errors
from core.nocache import NoStoreMixin, no_store
from core.views import RoleRequiredMixin, ScopedDetailView, ScopedListView
from disclosure.models import ProjectDisclosure

HOUR = 3600


def _limit(name: str) -> int:
    return int(settings.JINGPIN[name])


# --- public (no login) -----------------------------------------------------------------------------
PUBLIC_SEARCH_LIMIT = 20


def public_project_search(request):
    """The complaint form's project search (no login): published projects only, by the public search's rule, as
    ``{"results": [{"id": public id, "text": "name（county）"}]}`` for the searchable select; rate-limited per IP."""
    from django.http import JsonResponse

    ip = client_ip(request) or "unknown"
    if not ratelimit.hit("complaint-search-ip", ip, _limit("COMPLAINT_SEARCH_PER_IP_PER_HOUR"), HOUR):
        return JsonResponse(
            {"detail": "搜索过于频繁，请一小时后再试。"}, status=429, headers={"Retry-After": str(HOUR)}
        )
    q = request.GET.get("q", "").strip()[:50]
    rows = (
        ProjectDisclosure.objects.published()
        .search(q)  # the public search's one rule
        .select_related("project__county")
        .order_by("project__name", "pk")
    )
    results = [
        {"id": row.public_id, "text": f"{row.project.name}（{row.project.county.name}）"}
        for row in rows[:PUBLIC_SEARCH_LIMIT]
    ]
    return JsonResponse({"results": results, "more": len(results) == PUBLIC_SEARCH_LIMIT})


class PublicComplaintView(View):
    """投诉举报 (no login). The post redirects to the receipt (its own page, never stored). The blank form is private
    but not ``no-store``: the back button brings back the very page, with its one-time token, so submitting it again
    files nothing; and a second identical post from the same browser within half an hour shows the first receipt."""

    template_name = "complaints/public_form.html"

    def get(self, request):
        initial = {}
        if request.GET.get("project"):
            initial["project"] = request.GET["project"][:32]
        response = render(
            request, self.template_name, {"form": PublicComplaintForm(initial=initial), "public_tab": "complain"}
        )
        patch_cache_control(response, private=True)
        return response

    def post(self, request):
        return no_store(self._post(request))  # an answer with what was typed (a phone number) is never stored

    def _post(self, request):
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("complaint-submit-ip", ip, _limit("COMPLAINT_SUBMIT_PER_IP_PER_HOUR"), HOUR):
            return ratelimit.too_many_requests(
                request, HOUR, "提交过于频繁，请一小时后再试。如情况紧急，请拨打12345热线。"
            )
        form = PublicComplaintForm(request.POST, request.FILES)
        kept = kept_photos.token_from(request)  # photos kept from an earlier post of this form with errors
        if form.is_valid():
            data = form.cleaned_data
            fingerprint = _fingerprint(data)
            receipt = request.session.get(RECEIPT_KEY) or {}
            if receipt.get("fingerprint") == fingerprint and _age(receipt) <= RECEIPT_SECRET_SECONDS:
                return redirect("complaints:public-receipt")  # the same complaint again from this browser
            try:
                complaint, secret = services.submit_complaint(
                    category=data["category"],
                    subcategory=data["subcategory"],
                    description=data["description"],
                    project=data["project"].project if data["project"] else None,
                    county=data["county"],
                    address=data["address"],
                    name=data["name"],
                    phone=data["phone"],
                    photos=data["photos"] or kept_photos.load(kept),  # a new choice replaces the kept ones
                    ip=client_ip(request),
                    form_token=data["form_token"],
                )
            except services.AlreadyFiled:
                return redirect("complaints:public-receipt")  # posted again: the receipt, nothing filed
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                # post/redirect/get: the receipt is a page of its own, so reloading it files nothing
                request.session[RECEIPT_KEY] = {
                    "pk": complaint.pk,
                    "secret": secret,
                    "at": timezone.now().timestamp(),
                    "fingerprint": fingerprint,
                }
                kept_photos.discard(request, kept)
                return redirect("complaints:public-receipt")
        context = {"form": form, "public_tab": "complain", **self._kept_photos(request, form, kept)}
        return render(request, self.template_name, context, status=400)

    @staticmethod
    def _kept_photos(request, form, kept: str) -> dict:
        """The photos to keep for the next post (issue 26: a chosen photo is never silently dropped): newly chosen
        ones when they are acceptable, else the ones kept before; none when the photos themselves were wrong."""
        chosen = [f for f in request.FILES.getlist("photos") if f]
        if chosen and "photos" not in form.errors and not form.is_honeypot:
            try:
                token = kept_photos.keep(request, chosen)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                return {}
            kept_photos.discard(request, kept)
            kept = token
        elif chosen:
            return {}
        return {"kept_token": kept, "kept_names": kept_photos.names(kept)} if kept else {}


RECEIPT_KEY = "complaint_receipt"
RECEIPT_SECRET_SECONDS = 30 * 60  # the query code is shown on the receipt (and its reloads) this long, then dropped


def _fingerprint(data) -> str:
    """What makes two public posts the same complaint: where and what (not the photos or the contact)."""
    where = (
        data["project"].public_id
        if data.get("project")
        else f"{getattr(data.get('county'), 'pk', '')}|{data.get('address', '')}"
    )
    text = "|".join((where, str(data.get("category") or ""), " ".join((data.get("description") or "").split())))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _age(receipt: dict) -> float:
    return timezone.now().timestamp() - receipt.get("at", 0)


class PublicReceiptView(NoStoreMixin, View):
    """The receipt of the complaint this browser just filed: the tracking number and, for half an hour, the query
    code (kept in the session only: the complaint keeps its digest). Reloading it files nothing."""

    def get(self, request):
        receipt = request.session.get(RECEIPT_KEY) or {}
        complaint = Complaint.objects.select_related("county").filter(pk=receipt.get("pk")).first()
        secret = receipt.get("secret") or ""
        if secret and _age(receipt) > RECEIPT_SECRET_SECONDS:
            secret = ""
            request.session[RECEIPT_KEY] = {**receipt, "secret": ""}
        context = {"complaint": complaint, "secret": secret, "public_tab": "complain"}
        return render(request, "complaints/public_receipt.html", context)


class PublicStatusView(NoStoreMixin, View):
    """办理进度查询: the tracking number and the secret, nothing else, show one complaint's progress."""

    template_name = "complaints/public_status.html"

    def get(self, request):
        # the receipt's link carries the number (never the code): only the code is left to type
        number = (request.GET.get("no") or "").strip().upper()[:24]
        initial = {"tracking_no": number} if number.isalnum() else {}
        return render(request, self.template_name, {"form": StatusCheckForm(initial=initial), "public_tab": "status"})

    def post(self, request):
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("complaint-status-ip", ip, _limit("COMPLAINT_STATUS_PER_IP_PER_HOUR"), HOUR):
            return ratelimit.too_many_requests(request, HOUR, "查询过于频繁，请一小时后再试。")
        form = StatusCheckForm(request.POST)
        context = {"form": form, "public_tab": "status"}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        number = form.cleaned_data["tracking_no"].strip().upper()
        # Wrong codes are counted per (number, address): a stranger who knows a number locks out only themselves,
        # never the complainant; the per-address limit above still bounds guessing across numbers.
        per_number = _limit("COMPLAINT_STATUS_FAILURES_PER_NUMBER_PER_HOUR")
        failures = f"{number}|{ip}"
        if ratelimit.exceeded("complaint-status-failures", failures, per_number):
            return ratelimit.too_many_requests(request, HOUR, "该受理编号的查询码输错次数过多，请一小时后再试。")
        complaint = services.find_for_complainant(number, form.cleaned_data["secret"])
        if complaint is None:
            ratelimit.hit("complaint-status-failures", failures, per_number, HOUR)
            form.add_error(None, "受理编号或查询码不正确。")
            return render(request, self.template_name, context, status=400)
        visit = complaint.current_visit()
        can_visit = complaint.status == Status.CLOSED and visit is None
        context.update(
            complaint=complaint,
            events=complaint.events.exclude(action__in=PRIVATE_EVENTS),
            form=StatusCheckForm(),
            visit=visit,
            # 回访 on the page: a signed token of this complaint, valid for an hour (never the query code)
            visit_form=PublicReturnVisitForm() if can_visit else None,
            visit_token=signing.dumps(complaint.pk, salt=VISIT_SALT) if can_visit else "",
        )
        return render(request, self.template_name, context)


VISIT_SALT = "complaints.public-visit"
VISIT_TOKEN_MAX_AGE = HOUR

PRIVATE_EVENTS = (ComplaintEvent.Action.ASSIGN, ComplaintEvent.Action.OVERDUE, ComplaintEvent.Action.TARGETED)


class PublicReturnVisitView(NoStoreMixin, View):
    """回访 by the complainant (no login): the satisfaction with a closed complaint, once per closing, from the status
    page just opened with the number and the code (its signed token, an hour). Post/redirect/get: a second post of
    the same form changes nothing."""

    def post(self, request):
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("complaint-status-ip", ip, _limit("COMPLAINT_STATUS_PER_IP_PER_HOUR"), HOUR):
            return ratelimit.too_many_requests(request, HOUR, "查询过于频繁，请一小时后再试。")
        form = PublicReturnVisitForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))
            return redirect("complaints:public-status")
        try:
            pk = signing.loads(form.cleaned_data["token"], salt=VISIT_SALT, max_age=VISIT_TOKEN_MAX_AGE)
        except signing.BadSignature:  # also SignatureExpired
            pk = None
        complaint = Complaint.objects.filter(pk=pk).first() if isinstance(pk, int) else None
        if complaint is None:
            messages.error(request, "页面已过期，请重新输入受理编号和查询码查询后再评价。")
            return redirect("complaints:public-status")
        try:
            services.record_return_visit(
                complaint,
                satisfaction=form.cleaned_data["satisfaction"],
                note=form.cleaned_data["note"],
                channel=ReturnVisit.Channel.WEB,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "感谢您的评价，我们已收到。")
        return redirect("complaints:public-status")


# --- the ledger (staff) ----------------------------------------------------------------------------
class LedgerListView(ScopedListView):
    model = Complaint
    allowed_roles = MANAGERS
    template_name = "complaints/ledger_list.html"
    filterset_class = ComplaintFilter
    select_related = ("county", "project", "handler", "entered_by", "category", "subcategory")
    prefetch_related = ("responsible_enterprises",)
    ordering_fields = ("received_at", "status", "accept_due", "close_due", "county__order")
    default_ordering = ("-received_at", "-pk")
    export_filename = "投诉举报台账"

    @property
    def export_columns(self):
        return exports.columns_for(self.request.user)

    def get_queryset(self):
        qs = super().get_queryset()
        if self.request.GET.get("export") == "xlsx":
            return qs
        # The page's rows are read as values of the columns the ledger shows ({% complaint_rows %}): no joins,
        # prefetches or model instances of the export's columns.
        return qs.select_related(None).prefetch_related(None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        return ctx


class StaffEntryView(RoleRequiredMixin, View):
    """登记来电来信来访: staff enter a complaint that came by 12345, phone, letter, visit or 信访 referral."""

    allowed_roles = MANAGERS
    template_name = "complaints/enter.html"

    def get(self, request):
        initial = {"received_on": timezone.localdate()}
        return render(request, self.template_name, {"form": StaffEntryForm(initial=initial, user=request.user)})

    def post(self, request):
        form = StaffEntryForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                complaint, secret = services.enter_complaint(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记，受理编号 {complaint.tracking_no}，查询码 {secret}（只显示这一次，请告知投诉人，"
                    "可凭此在网上或来电查询办理进度）。",
                )
                return redirect("complaints:detail", pk=complaint.pk)
        return render(request, self.template_name, {"form": form}, status=400)


def _reveal_key(pk: int) -> str:
    return f"complaint-contact-{pk}"


class ComplaintDetailView(ScopedDetailView):
    """The complaint; its contact is hidden until the handler or the city asks to see it (ContactRevealView), then
    shown once, and each such display is recorded (services.reveal_contact)."""

    model = Complaint
    allowed_roles = MANAGERS
    template_name = "complaints/detail.html"
    select_related = ("county", "project", "handler", "entered_by", "category", "subcategory", "targeted_plan")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # the page may show the complainant's contact
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c, user = self.object, self.request.user
        can_see_contact = services.can_see_contact(user, c)
        contact = None
        if self.request.session.pop(_reveal_key(c.pk), False) and can_see_contact:
            contact = services.reveal_contact(c, user=user, channel=ContactView.Channel.WEB)
        failed = self.request.session.pop(_action_errors_key(c.pk), None) or {"action": "", "errors": {}, "typed": {}}
        ctx["action_errors"] = {failed["action"]: failed["errors"]}  # e.g. action_errors.reject.reason
        ctx["action_typed"] = {failed["action"]: failed["typed"]}
        is_city = user.is_city_admin
        ctx.update(
            can_handle=services.can_handle(user, c),
            can_assign=services.can_assign(user, c),
            can_see_contact=can_see_contact,
            has_contact=services.has_contact(c),
            contact=contact,
            contact_views=c.contact_views.all()[:200] if is_city else None,
            events=c.events.select_related("actor"),
            photos=c.photos.all(),
            documents=c.documents.all(),
            assign_form=AssignForm(county_id=c.county_id, initial={"handler": c.handler_id}),
            note_form=NoteForm(),
            close_form=CloseForm(complaint=c) if c.status == Status.INVESTIGATING else None,
            reject_form=RejectForm(),
            reassign_form=ReassignForm(),
            responsible_enterprises=list(c.responsible_enterprises.order_by("name")),
            return_visits=c.return_visits.select_related("recorded_by", "decided_by"),
            can_record_visit=services.can_record_visit(user, c)
            and c.status == Status.CLOSED
            and c.current_visit() is None,
            visit_form=ReturnVisitForm(),
            awaiting_decision=services.awaiting_decision(c),
            reopen_form=ReopenDecisionForm(),
            can_open_inspection=services.can_open_inspection(user, c) and c.status != Status.REJECTED,
            overdue=c.is_overdue(),
            extensions=c.extensions.select_related("requested_by", "decided_by"),
            pending_extension=services.pending_extension(c),
            Status=Status,
        )
        return ctx


class ComplaintActionView(RoleRequiredMixin, View):
    """One POST per ledger step: assign, accept, investigate, close, reject, reassign."""

    allowed_roles = MANAGERS
    # Confirmed after the service has checked them (core.confirm): (text, button).
    confirmations = {
        "close": (
            "办结后核查情况和答复意见对投诉人可见，认定的责任单位记入其诚信档案，不能撤销。确定办结？",
            "确认办结",
        ),
        "reject": ("不予受理后投诉即办结，理由对投诉人可见，不能撤销。确定不予受理？", "确认不予受理"),
        "reopen": ("重新办理后投诉回到核查中；维持办结后投诉人的回访处理完毕。决定不能撤销，确定？", "确认决定"),
    }

    def post(self, request, pk, action):
        complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
        user = request.user
        confirmed = action not in self.confirmations or is_confirmed(request)
        done, form = "", None
        try:
            with rehearsal(confirmed):
                if action == "assign":
                    form = AssignForm(request.POST, county_id=complaint.county_id)
                    if not form.is_valid():
                        raise ValidationError({"handler": "请选择本县（市、区）的工作人员作为承办人。"})
                    services.assign_handler(complaint, user=user, handler=form.cleaned_data["handler"])
                    done = "已指定承办人。"
                elif action == "accept":
                    services.accept(complaint, user=user, note=request.POST.get("note", ""))
                    done = "已受理。"
                elif action == "investigate":
                    services.start_investigation(complaint, user=user, note=request.POST.get("note", ""))
                    done = "已开始核查。"
                elif action == "close":
                    form = CloseForm(request.POST, complaint=complaint)
                    if not form.is_valid():
                        raise ValidationError(form.errors.as_data())
                    services.close(complaint, user=user, **form.cleaned_data)
                    done = "已办结销号，投诉人可凭受理编号查询答复。"
                elif action == "reject":
                    form = RejectForm(request.POST)
                    if not form.is_valid():
                        raise ValidationError({"reason": "请填写不予受理的理由。"})
                    services.reject(complaint, user=user, reason=form.cleaned_data["reason"])
                    done = "已作出不予受理决定。"
                elif action == "reassign":
                    form = ReassignForm(request.POST)
                    if not form.is_valid():
                        raise ValidationError({next(iter(form.errors)): "请选择改派的县（市、区）并填写理由。"})
                    complaint = services.reassign_county(
                        complaint, user=user, county=form.cleaned_data["county"], reason=form.cleaned_data["reason"]
                    )
                    done = f"已改派至{complaint.county.name}。"
                    if not user.is_city_admin:
                        messages.success(request, done)
                        return redirect("complaints:ledger")
                elif action == "extend":
                    form = ExtensionForm(request.POST)
                    if not form.is_valid():
                        raise ValidationError(form.errors.as_data())
                    services.request_extension(complaint, user=user, **form.cleaned_data)
                    done = "已提交延期申请，待市局审批。"
                elif action == "extension-decide":
                    extension = services.pending_extension(complaint)
                    if extension is None:
                        raise ValidationError("没有待审批的延期申请。")
                    approve = request.POST.get("approve") == "yes"
                    services.decide_extension(extension, user=user, approve=approve, note=request.POST.get("note", ""))
                    done = "已批准延期，办结时限已调整。" if approve else "已作出不批准延期的决定。"
                elif action == "visit":
                    form = ReturnVisitForm(request.POST)
                    if not form.is_valid():
                        raise ValidationError(form.errors.as_data())
                    services.record_return_visit(complaint, user=user, **form.cleaned_data)
                    done = "已记录回访。"
                elif action == "reopen":
                    form = ReopenDecisionForm(request.POST)
                    if not form.is_valid():
                        raise ValidationError({next(iter(form.errors)): "请选择重新办理或维持办结，并填写决定理由。"})
                    reopen = form.cleaned_data["decision"] == ReturnVisit.Decision.REOPEN
                    services.decide_reopen(complaint, user=user, reopen=reopen, reason=form.cleaned_data["reason"])
                    done = "已决定重新办理，投诉回到核查中。" if reopen else "已决定维持办结。"
                elif action == "targeted":
                    plan = services.open_targeted_inspection(complaint, user=user)
                    done = f"已发起专项检查：{plan.name}。"
                else:
                    raise Http404("未知操作。")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            _keep_action_errors(request, pk, action, exc)  # shown beside the step's fields after the redirect
        else:
            if not confirmed:
                return self.ask(request, get_object_or_404(Complaint.objects.visible_to(user), pk=pk), action, form)
            if done:
                messages.success(request, done)
        return redirect("complaints:detail", pk=complaint.pk)

    def ask(self, request, complaint, action, form):
        """The complaint's page with the 请确认 step of the action (core.confirm)."""
        view = ComplaintDetailView(request=request, kwargs={"pk": complaint.pk})
        view.object = complaint
        ctx = view.get_context_data()
        if action == "close":
            ctx["close_form"] = form  # 返回修改 finds what was entered
        text, ok = self.confirmations[action]
        summary = form_summary(form) if form is not None else []
        ctx.update(confirmation(request, text, summary=summary, ok=ok, back=f"#{action}-form"))
        return render(request, view.template_name, ctx)


def _action_errors_key(pk: int) -> str:
    return f"complaint-action-errors-{pk}"


# The fields each handling step's form shows on the complaint's page (templates/complaints/detail.html).
ACTION_FIELDS = {
    "assign": {"handler"},
    "reject": {"reason"},
    "close": {"findings", "substantiated", "responsible_enterprises", "responsible_enterprise", "reply"},
    "extend": {"new_due", "reason"},
    "reassign": {"county", "reason"},
    "visit": {"satisfaction", "note"},
    "reopen": {"decision", "reason"},
}


def _keep_action_errors(request, pk: int, action: str, exc: ValidationError) -> None:
    """A handling step's errors for the page after the redirect: a field's message beside that field, with what was
    typed kept (issue 26: not at the top of the page); a step's own error (not the handler, wrong status …) stays
    the page's message."""
    fields = ACTION_FIELDS.get(action, set())
    errors = {}
    if hasattr(exc, "error_dict"):
        for name, msgs in exc.message_dict.items():
            if name in fields:
                errors[name] = msgs
            else:
                messages.error(request, "；".join(msgs))
    else:
        messages.error(request, "；".join(exc.messages))
    if errors:
        typed = {name: request.POST.get(name, "")[:2000] for name in fields}
        request.session[_action_errors_key(pk)] = {"action": action, "errors": errors, "typed": typed}


class ContactRevealView(RoleRequiredMixin, View):
    """查看联系方式 (POST): the handler or the city asks to see the complainant's contact; the complaint's page then
    shows it once, and that display is recorded."""

    allowed_roles = MANAGERS

    def post(self, request, pk):
        complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
        if services.can_see_contact(request.user, complaint):
            request.session[_reveal_key(complaint.pk)] = True
        else:
            messages.error(request, "投诉人的联系方式只对该投诉的承办人和市局管理员可见。")
        return redirect("complaints:detail", pk=complaint.pk)


class PhotoView(RoleRequiredMixin, View):
    allowed_roles = MANAGERS

    def get(self, request, pk):
        photo = get_object_or_404(ComplaintPhoto.objects.visible_to(request.user), pk=pk)
        response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DocumentView(RoleRequiredMixin, View):
    """The original of a staff-entered complaint (letter, work order, referral), for staff in scope."""

    allowed_roles = MANAGERS

    def get(self, request, pk):
        document = get_object_or_404(ComplaintDocument.objects.visible_to(request.user), pk=pk)
        response = FileResponse(
            document.file.open("rb"), content_type=document.content_type, filename=document.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ComplaintPdfView(RoleRequiredMixin, View):
    """The printed 受理告知书 / 办结答复书 (complaints.documents), for staff in the complaint's scope."""

    allowed_roles = MANAGERS

    def get(self, request, pk, kind):

        complaint = get_object_or_404(
            Complaint.objects.visible_to(request.user).select_related("county", "project"), pk=pk
        )
        if kind not in documents.KINDS:
            raise Http404("未知的文书类型。")
        try:
            pdf = documents.render_complaint_pdf(complaint, kind, request)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("complaints:detail", pk=complaint.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"{documents.KINDS[kind][0]}{documents.document_number(complaint, kind)}.pdf"
        response["Content-Disposition"] = content_disposition_header(False, name)
        return response


class AnalysisView(RoleRequiredMixin, View):
    """汇总分析 (staff): the year's 按期受理率 / 按期办结率 per county (the city: every county; a county: its own) and
    month, with the counts behind each rate; the counts by category and sub-category (共性问题) and by responsible
    unit (only units named at 办结 of a substantiated complaint)."""

    allowed_roles = MANAGERS
    template_name = "complaints/analysis.html"

    def get(self, request):
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year)
        user = request.user
        qs = Complaint.objects.visible_to(user)
        counties = None if user.is_city_admin else ([user.region] if user.region_id else [])
        rows = analysis.timeliness_by_county(qs, year, today, counties=counties)
        months = analysis.timeliness_by_month(qs, year, today)
        year_qs = qs.filter(received_at__year=year)
        context = {
            "year": year,
            "years": range(max(year - 2, 2000), today.year + 1),
            "rows": rows,
            "months": months,
            "total": sum((row.year for row in rows), analysis.Timeliness()),
            # 共性问题 and the responsible units (only those named at 办结 of a complaint found 属实/部分属实)
            "by_category": analysis.by_category(year_qs),
            "by_subcategory": analysis.by_subcategory(year_qs)[:30],
            "by_unit": analysis.by_unit(year_qs)[:30],
            "repeat_min": analysis.REPEAT_MIN,
        }
        return render(request, self.template_name, context)


class CalendarView(RoleRequiredMixin, View):
    """节假日安排: the city edits; county staff read it (their deadlines follow it)."""

    allowed_roles = MANAGERS
    template_name = "complaints/calendar.html"

    def _year(self, request) -> int:
        try:
            year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        return min(max(year, 2000), 2100)

    def _render(self, request, form, status=200):
        year = self._year(request)
        days = CalendarDay.objects.filter(date__year=year)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "days": days,
                "year": year,
                "years": range(year - 1, year + 2),
                "year_covered": workdays.is_covered(year),
                "can_edit": request.user.is_city_admin,
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, CalendarDayForm())

    def post(self, request):
        if not request.user.is_city_admin:
            raise PermissionDenied("只有市局管理员可以维护节假日安排。")
        if request.POST.get("delete"):
            if request.POST["delete"].isdigit():
                CalendarDay.objects.filter(pk=request.POST["delete"]).delete()
                messages.success(request, "已删除。")
            return redirect(f"{request.path}?year={self._year(request)}")
        form = CalendarDayForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        day = form.save()
        messages.success(request, f"已登记 {day}。已受理的投诉时限不变，新时限按新安排计算。")
        return redirect(f"{request.path}?year={day.date.year}")


class CategoryView(RoleRequiredMixin, View):
    """问题类别: the list with its sub-categories; the city adds, renames, reorders and stops (停用) them."""

    allowed_roles = MANAGERS
    template_name = "complaints/categories.html"

    def _render(self, request, form, status=200):
        tops = ComplaintCategory.objects.top().order_by("order", "pk").prefetch_related("children")
        context = {"form": form, "categories": tops, "can_edit": request.user.is_city_admin}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(request, CategoryForm())

    def post(self, request):
        if not request.user.is_city_admin:
            raise PermissionDenied("只有市局管理员可以维护问题类别。")
        pk = request.POST.get("pk", "")
        category = get_object_or_404(ComplaintCategory, pk=pk) if pk.isdigit() else None
        form = CategoryForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            saved = services.save_category(
                user=request.user,
                name=data["name"],
                parent=data["parent"],
                order=data["order"] or 0,
                active=data["active"],
                category=category,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self._render(request, form, status=400)
        messages.success(request, f"已保存问题类别：{saved}{'' if saved.active else '（已停用）'}。")
        return redirect("complaints:categories")
