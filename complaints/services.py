"""Every write of the complaints ledger: submission by the public, the handling steps, overdue supervision.

One function per step, called by the web views, the API and the Celery task alike; each runs in a transaction,
checks the state machine (models.TRANSITIONS) and the actor's rights, and writes its audit event.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import roles
from accounts.models import Enterprise, Region, User
from complaints import categories, workdays
from complaints.choices import STAFF_CHANNELS, SUBSTANTIATED, IntakeChannel, Satisfaction, Status, Substantiated
from complaints.models import (
    TRANSITIONS,
    CalendarDay,
    Complaint,
    ComplaintCategory,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintPhoto,
    ContactView,
    Extension,
    ReturnVisit,
)
from core import outbox
from core.uploads import CheckedUpload, prepare_upload
from core.validators import check_length, length_errors
from inspections import services as inspections_services
from notifications.choices import NoticeKind
from notifications.models import Todo
from notifications.services import close_todos, notify, open_todo
from projects.models import Participant

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone
SECRET_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PHOTO_TYPES = ("jpg", "png")
NOTE_MAX = 1000  # a handling step's 说明 (受理、核查、延期审批): longer is refused, never cut


def accept_days() -> int:
    return int(settings.JINGPIN["COMPLAINT_ACCEPT_WORKING_DAYS"])


def close_days() -> int:
    return int(settings.JINGPIN["COMPLAINT_CLOSE_WORKING_DAYS"])


# --- the calendar ----------------------------------------------------------------------------------
def calendar_exceptions(start: dt.date, days: int) -> dict[dt.date, bool]:
    """The exceptions to Monday–Friday from ``start`` far enough ahead for ``days`` working days: the statutory
    holidays and 调休 working days (workdays.statutory_exceptions), with the city's own calendar entries on top —
    a day the city marks as holiday or as working wins."""
    end = start + dt.timedelta(days=days * 3 + 40)
    exceptions = workdays.statutory_exceptions(start + dt.timedelta(days=1), end)
    exceptions.update(CalendarDay.objects.filter(date__gt=start, date__lte=end).values_list("date", "is_workday"))
    return exceptions


def uncovered_years(today: dt.date) -> list[int]:
    """Years whose holidays nobody has told us: the package does not cover them and the city entered no day of
    them. This year, and from 1 December the next one too (flagged on the city's dashboard before it starts)."""
    years = [today.year, today.year + 1] if today.month == 12 else [today.year]
    entered_years = {d.year for d in CalendarDay.objects.filter(date__year__in=years).dates("date", "year")}
    return [y for y in years if not workdays.is_covered(y) and y not in entered_years]


def uncovered_year_message(year: int) -> str:
    return f"{year}年法定节假日安排尚未收录，投诉办理期限按周一至周五计算，请录入本市节假日安排。"


def due_after(start: dt.date, days: int) -> dt.date:
    return workdays.add_working_days(start, days, calendar_exceptions(start, days))


# --- who may do what -------------------------------------------------------------------------------
# 明确专人负责, and the complainant's contact only for that person and the city:
# * the city admin names or changes the handler at any time (and moves a complaint to another county);
# * the current handler may hand the complaint over to another active staff member of its county, and from then
#   on is an ordinary colleague (no contact, no steps);
# * a county staff member who is not the handler cannot name anyone — not themselves either; on a complaint that
#   has no handler yet, the one who takes its next step (受理, 不予受理, …) becomes its handler: a recorded step
#   of the workflow, not a quiet self-assignment;
# * the contact is shown only on request (web: the 查看联系方式 button; API: ``GET …/contact/``), and every display is a
#   ``ContactView`` row the city sees on the complaint.
def can_handle(user, complaint: Complaint) -> bool:
    """City admin, or staff of the complaint's county (may see it; the steps also need ``_require_handler``)."""
    return roles.can_manage_county(user, complaint.county_id)


def is_handler(user, complaint: Complaint) -> bool:
    return bool(roles.is_signed_in(user) and complaint.handler_id and complaint.handler_id == user.pk)


def can_assign(user, complaint: Complaint) -> bool:
    """Who names or changes the handler: the city admin, or the current handler handing the complaint over."""
    if not can_handle(user, complaint):
        return False
    return roles.is_city_admin(user) or is_handler(user, complaint)


def can_see_contact(user, complaint: Complaint) -> bool:
    """The complainant's name and phone: only the current handler and the city."""
    if not roles.is_signed_in(user):
        return False
    return bool(roles.is_city_admin(user) or is_handler(user, complaint))


def has_contact(complaint: Complaint) -> bool:
    return bool(complaint.complainant_name or complaint.complainant_phone)


def reveal_contact(complaint: Complaint, *, user, channel: str) -> dict[str, str]:
    """The complainant's name and phone for one display, recorded (who, when, channel) for the city to read."""
    if not can_see_contact(user, complaint):
        raise PermissionDenied("投诉人的联系方式只对该投诉的承办人和市局管理员可见。")
    ContactView.objects.create(
        complaint=complaint,
        viewer=user,
        viewer_name=user.display_name[:150],
        viewer_was_handler=is_handler(user, complaint),
        channel=channel,
    )
    return {"complainant_name": complaint.complainant_name, "complainant_phone": complaint.complainant_phone}


def _require_handler(user, complaint: Complaint) -> None:
    """The steps are the handler's (or the city's): 明确专人负责. On a complaint without a handler, the county staff
    member who takes the step becomes its handler (see above)."""
    if not can_handle(user, complaint):
        raise PermissionDenied("只有承办县（市、区）的工作人员或市局管理员可以办理该投诉。")
    if user.is_city_admin:
        return
    if complaint.handler_id and complaint.handler_id != user.pk:
        raise PermissionDenied(f"该投诉的承办人是{complaint.handler.display_name}，请由承办人办理。")
    if not complaint.handler_id and user.is_county_staff:
        complaint.handler = user  # saved with the step


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("handler").get(pk=complaint.pk)


def _move(complaint: Complaint, to_status: str) -> str:
    if to_status not in TRANSITIONS[complaint.status]:
        raise ValidationError(f"当前状态为“{complaint.get_status_display()}”，不能转为“{Status(to_status).label}”。")
    old = complaint.status
    complaint.status = to_status
    return old


def _event(complaint, action, actor=None, from_status="", to_status="", note="") -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint, action=action, actor=actor, from_status=from_status, to_status=to_status, note=note
    )


def _staff_url(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


# --- to-dos (待办): what the complaint's state asks of whom ------------------------------------------
def sync_todos(complaint: Complaint) -> None:
    """待受理 → a to-do for the county's staff (until the accept deadline); 已受理/核查中 → for the handler (until
    the close deadline); 办结/不予受理 → none. Derived from the state, so calling it again changes nothing."""
    url = _staff_url(complaint)
    if complaint.status == Status.PENDING:
        staff = User.objects.filter(role=User.Role.COUNTY_STAFF, region_id=complaint.county_id, is_active=True)
        close_todos(complaint, Todo.Kind.COMPLAINT_ACCEPT, except_users=staff)  # a reassigned county's
        title = f"受理投诉举报 {complaint.tracking_no}：{complaint.subject}"
        open_todo(staff, Todo.Kind.COMPLAINT_ACCEPT, complaint, title, url, complaint.accept_due)
    elif complaint.status in (Status.ACCEPTED, Status.INVESTIGATING):
        close_todos(complaint, Todo.Kind.COMPLAINT_ACCEPT)
        handler = [complaint.handler] if complaint.handler_id else []
        close_todos(complaint, Todo.Kind.COMPLAINT_CLOSE, except_users=handler)
        title = f"办结投诉举报 {complaint.tracking_no}：{complaint.subject}"
        # an approved extension opens a new to-do with the new deadline (the old one is closed on approval)
        key = (
            f"{Todo.Kind.COMPLAINT_CLOSE}:complaint:{complaint.pk}:{complaint.close_due}"
            if complaint.is_extended
            else ""
        )
        open_todo(handler, Todo.Kind.COMPLAINT_CLOSE, complaint, title, url, complaint.close_due, key=key)
    else:
        close_todos(complaint)


def backfill_todos() -> int:
    before = Todo.objects.count()
    for complaint in Complaint.objects.filter(status__in=[Status.PENDING, Status.ACCEPTED, Status.INVESTIGATING]):
        sync_todos(complaint)
    return Todo.objects.count() - before


# --- notices (bell + e-mail), sent through the outbox once the step is committed ---------------------
def _notice_after_commit(complaint: Complaint, event: str) -> None:
    outbox.enqueue("complaints.tasks.send_complaint_notice", complaint.pk, event)


def send_notice(complaint_id: int, event: str) -> int:
    """Tell the right people about one event of a complaint; once per event and recipient (notify's key)."""
    complaint = Complaint.objects.select_related("county", "handler", "project").filter(pk=complaint_id).first()
    if complaint is None:
        return 0
    sync_todos(complaint)
    number, url = complaint.tracking_no, _staff_url(complaint)
    county_staff = User.objects.filter(role=User.Role.COUNTY_STAFF, region_id=complaint.county_id, is_active=True)
    if event == "new":
        return notify(
            county_staff,
            f"complaint-new-{complaint.pk}",
            f"新的投诉举报 {number}",
            f"{complaint.subject}：请在{complaint.accept_due:%Y-%m-%d}前受理或作出不予受理决定。",
            url,
            kind=NoticeKind.TODO,
        )
    if event == "assigned" and complaint.handler_id:
        key = f"complaint-assigned-{complaint.pk}-{complaint.handler_id}"
        title = f"您被指定为投诉 {number} 的承办人"
        return notify([complaint.handler], key, title, complaint.subject, url, kind=NoticeKind.TODO)
    if event == "reassigned":
        key = f"complaint-reassigned-{complaint.pk}-{complaint.county_id}"
        title = f"市局改派投诉 {number} 至本县（市、区）"
        return notify(county_staff, key, title, complaint.subject, url, kind=NoticeKind.TODO)
    if event == "extension-request":
        extension = complaint.extensions.order_by("-pk").first()
        city = User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True)
        key, title = f"complaint-extension-request-{extension.pk}", f"投诉 {number} 申请延期办结"
        body = f"{complaint.county.name} · {complaint.subject}：申请延至{extension.requested_due:%Y-%m-%d}，{extension.reason}"
        return notify(city, key, title, body, url, kind=NoticeKind.TODO)
    if event == "extension-decided":
        extension = complaint.extensions.exclude(state=Extension.State.PENDING).order_by("-pk").first()
        if extension is None or not complaint.handler_id:
            return 0
        key = f"complaint-extension-decided-{extension.pk}"
        title = f"投诉 {number} 延期申请{extension.get_state_display()}"
        return notify([complaint.handler], key, title, f"办结时限：{complaint.close_due:%Y-%m-%d}", url)
    if event in ("overdue-accept", "overdue-close"):
        label = "逾期未受理" if event == "overdue-accept" else "逾期未办结"
        due = complaint.accept_due if event == "overdue-accept" else complaint.close_due
        city = User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True)
        recipients = [*city, *county_staff]
        body = f"{complaint.county.name} · {complaint.subject}，{label}（时限 {due:%Y-%m-%d}）。"
        key, title = f"complaint-{event}-{complaint.pk}", f"督办：投诉 {number} {label}"
        return notify(recipients, key, title, body, url, kind=NoticeKind.REMINDER)
    if event == "unsatisfied":
        city = User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True)
        key, title = (
            f"complaint-unsatisfied-{complaint.pk}-{complaint.return_visits.count()}",
            f"回访不满意：投诉 {number}",
        )
        body = f"{complaint.county.name} · {complaint.subject}：投诉人对办理结果不满意，请决定重新办理或维持办结。"
        return notify(city, key, title, body, url, kind=NoticeKind.TODO)
    return 0


# --- submission by the public ----------------------------------------------------------------------
def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def secret_digest(secret: str) -> str:
    return salted_hmac("complaints.secret", secret.strip().lower(), algorithm="sha256").hexdigest()


def photo_limits() -> tuple[int, int]:
    """(how many photos a complaint may carry, the size of each in bytes)."""
    return int(settings.JINGPIN["COMPLAINT_MAX_PHOTOS"]), int(settings.JINGPIN["COMPLAINT_PHOTO_MAX_BYTES"])


def check_photos(photos) -> list[CheckedUpload]:
    """Each photo checked and re-encoded without its metadata, or a ValidationError naming what is wrong."""
    photos = [p for p in photos or [] if p]
    limit, max_bytes = photo_limits()
    if len(photos) > limit:
        raise ValidationError({"photos": f"最多上传{limit}张照片。"})
    checked = []
    for photo in photos:
        name = Path(getattr(photo, "name", "") or "").name
        error, upload = prepare_upload(photo, max_bytes, kinds=PHOTO_TYPES)
        if error:
            if error.startswith("只能上传") or error.startswith("无法识别"):
                error = "只能上传 JPG 或 PNG 格式的照片。"
            raise ValidationError({"photos": f"{name}：{error}"})
        checked.append(upload)
    return checked


class AlreadyFiled(Exception):  # noqa: N818 - an outcome, not an error
    """The public form's token was used before: nothing is filed again; ``complaint`` is the one it filed."""

    def __init__(self, complaint: Complaint):
        super().__init__(complaint.tracking_no)
        self.complaint = complaint


def _create(fields: dict, received_on: dt.date) -> tuple[Complaint, str]:
    """The complaint with its tracking number (for the complainant, by the web or by phone) and its secret."""
    secret = _random(SECRET_ALPHABET, 8)
    fields = dict(fields, secret_digest=secret_digest(secret), received_on=received_on)
    fields["accept_due"] = due_after(received_on, accept_days())  # 受理 runs from the day it reached the bureau
    for _ in range(5):
        tracking_no = f"TS{received_on:%Y%m%d}{_random(TRACKING_ALPHABET, 6)}"
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(tracking_no=tracking_no, **fields)
            break
        except IntegrityError:
            token = fields.get("form_token")
            earlier = Complaint.objects.filter(form_token=token).first() if token else None
            if earlier is not None:  # the same form posted twice at once: the other request filed it
                raise AlreadyFiled(earlier) from None
            continue
    else:  # pragma: no cover - 31^6 numbers a day
        raise ValidationError("受理编号生成失败，请重试。")
    return complaint, secret


# --- 问题类别 ----------------------------------------------------------------------------------------
def category_tree():
    """The active categories, each with its active sub-categories: [(category, [sub, …]), …] (forms, pages).
    The default list is created on first use when the table is empty (reference data, as the migration made it)."""
    rows = list(ComplaintCategory.objects.active().select_related("parent"))
    if not rows:
        categories.ensure_defaults(ComplaintCategory)
        rows = list(ComplaintCategory.objects.active().select_related("parent"))
    tops = [r for r in rows if r.parent_id is None]
    return [(top, [r for r in rows if r.parent_id == top.pk]) for top in tops]


def resolve_category(category, subcategory=None) -> tuple[ComplaintCategory, ComplaintCategory | None]:
    """The (category, sub-category) of a complaint from what a form or the API sent: a category (or its code), and
    optionally a sub-category (or its id), which must belong to it; a sub-category alone names its category.
    A stopped (停用) category is refused. Raises ValidationError in Chinese."""
    sub = subcategory
    if sub not in (None, "") and not isinstance(sub, ComplaintCategory):
        sub = ComplaintCategory.objects.filter(pk=int(sub) if str(sub).isdigit() else 0).first()
        if sub is None:
            raise ValidationError({"subcategory": "所选子类别不存在。"})
    sub = sub or None
    top = category
    if top not in (None, "") and not isinstance(top, ComplaintCategory):
        code = str(top)
        top = ComplaintCategory.objects.filter(code=code, parent__isnull=True).first()
        if top is None and code in {c[0] for c in categories.DEFAULTS}:
            categories.ensure_defaults(ComplaintCategory)
            top = ComplaintCategory.objects.filter(code=code, parent__isnull=True).first()
        if top is None:
            raise ValidationError({"category": "请选择问题类别。"})
    top = top or None
    if top is None and sub is not None:
        top = sub.parent
    if top is None:
        raise ValidationError({"category": "请选择问题类别。"})
    if top.parent_id is not None:
        raise ValidationError({"category": "请选择一级问题类别。"})
    if not top.active:
        raise ValidationError({"category": f"问题类别“{top.name}”已停用，请重新选择。"})
    if sub is not None:
        if sub.parent_id != top.pk:
            raise ValidationError({"subcategory": f"子类别“{sub.name}”不属于“{top.name}”。"})
        if not sub.active:
            raise ValidationError({"subcategory": f"子类别“{sub.name}”已停用，请重新选择。"})
    return top, sub


CATEGORY_NAME_MAX = 30


@transaction.atomic
def save_category(
    *, user, name: str, parent: ComplaintCategory | None = None, order: int = 0, category=None, active=True
) -> ComplaintCategory:
    """The city adds a category or sub-category, or renames, reorders or stops (停用) one. Two levels only; names
    unique within their level. A used category is stopped, never deleted (its complaints keep it)."""
    roles.require_city_admin(user, "维护问题类别")
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写类别名称。"
    elif len(name) > CATEGORY_NAME_MAX:
        errors["name"] = f"类别名称不能超过{CATEGORY_NAME_MAX}个字。"
    if parent is not None and parent.parent_id is not None:
        errors["parent"] = "子类别下不能再设子类别（只有两级）。"
    if category is not None and parent is not None and category.children.exists():
        errors["parent"] = "该类别已有子类别，不能改为子类别。"
    if category is not None and parent is not None and parent.pk == category.pk:
        errors["parent"] = "上级类别不能是自己。"
    if not errors:
        same = ComplaintCategory.objects.filter(name=name, parent=parent)
        if category is not None:
            same = same.exclude(pk=category.pk)
        if same.exists():
            errors["name"] = f"“{name}”已存在。"
    if errors:
        raise ValidationError(errors)
    if category is None:
        category = ComplaintCategory(code=f"c-{secrets.token_hex(4)}")
    category.name, category.parent, category.order, category.active = name, parent, int(order or 0), bool(active)
    category.save()
    return category


def _where(project, county: Region | None, address: str) -> Region:
    if project is not None:
        county = project.county
    if county is None or county.level != Region.Level.COUNTY:
        raise ValidationError({"county": "请选择项目，或选择问题所在的县（市、区）。"})
    if project is None and not address.strip():
        raise ValidationError({"address": "未选择项目时请填写问题所在地点。"})
    return county


@transaction.atomic
def submit_complaint(
    *,
    category,
    description: str,
    subcategory=None,
    project=None,
    county: Region | None = None,
    address: str = "",
    name: str = "",
    phone: str = "",
    photos=(),
    ip: str | None = None,
    form_token: str = "",
) -> tuple[Complaint, str]:
    """File a complaint from the public; returns it and the secret (shown once, only its digest is kept).

    ``form_token`` is the public form's one-time token: posted again (a reload of the result, the back button, a
    double tap, two requests at once) it files nothing and raises ``AlreadyFiled`` with the complaint it filed."""
    if form_token:
        earlier = Complaint.objects.filter(form_token=form_token).first()
        if earlier is not None:
            raise AlreadyFiled(earlier)
    county = _where(project, county, address)
    category, subcategory = resolve_category(category, subcategory)
    checked = check_photos(photos)
    now = timezone.now()
    complaint, secret = _create(
        dict(
            project=project,
            address=address.strip(),
            county=county,
            category=category,
            subcategory=subcategory,
            description=description.strip(),
            complainant_name=name.strip(),
            complainant_phone=phone.strip(),
            received_at=now,
            channel=IntakeChannel.ONLINE,
            submitted_ip=ip,
            form_token=form_token,
        ),
        timezone.localdate(now),
    )
    for photo in checked:
        ComplaintPhoto.objects.create(
            complaint=complaint, file=photo.content, content_type=photo.content_type, size=photo.size
        )
    _event(complaint, ComplaintEvent.Action.SUBMIT, to_status=Status.PENDING, note=f"附照片{len(checked)}张")
    _notice_after_commit(complaint, "new")
    return complaint, secret


def can_enter(user, county: Region | None) -> bool:
    """Staff enter the complaints that arrive by 12345, phone, letter, visit or 信访: a county for itself, the city
    for any county."""
    return bool(county is not None and roles.can_manage_county(user, county.pk))


DOCUMENT_REQUIRED = (IntakeChannel.HOTLINE, IntakeChannel.LETTER, IntakeChannel.PETITION)
ENTRY_MAX_AGE_DAYS = 366


@transaction.atomic
def enter_complaint(
    *,
    user,
    channel: str,
    received_on: dt.date | None,
    category,
    description: str,
    subcategory=None,
    project=None,
    county: Region | None = None,
    address: str = "",
    name: str = "",
    phone: str = "",
    source_ref: str = "",
    documents=(),
) -> tuple[Complaint, str]:
    """A complaint that came by 12345, phone, letter, visit or 信访 referral, entered by staff with its channel, the
    day it reached the bureau (the 受理 deadline runs from it, not from the day of entry) and the original document
    (required for a 12345 work order, a letter and a 信访 referral). It then follows the same ledger: the handler
    rule, the contact seen only by the handler and the city (each display audited). Returns it and its secret
    (told to the complainant with the tracking number)."""
    target = project.county if project is not None else county
    if not roles.has_role(user, roles.MANAGERS) or (target is not None and not can_enter(user, target)):
        raise PermissionDenied("只能登记本县（市、区）的投诉；市局可为任一县（市、区）登记。")
    errors = {}
    if channel not in STAFF_CHANNELS:
        errors["channel"] = "请选择来源渠道（12345热线转办、电话、来信、来访或信访转办）。"
    today = timezone.localdate()
    if received_on is None:
        errors["received_on"] = "请填写收到日期。"
    elif received_on > today:
        errors["received_on"] = "收到日期不能晚于今天。"
    elif received_on < today - dt.timedelta(days=ENTRY_MAX_AGE_DAYS):
        errors["received_on"] = "收到日期不能早于一年前。"
    try:
        category, subcategory = resolve_category(category, subcategory)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if not (description or "").strip():
        errors["description"] = "请填写问题描述。"
    contact = {"complainant_name": (name or "").strip(), "complainant_phone": (phone or "").strip()}
    errors.update(
        length_errors(
            Complaint,
            {**contact, "source_ref": (source_ref or "").strip()},
            keys={"complainant_name": "name", "complainant_phone": "phone"},
        )
    )
    documents = [d for d in documents or [] if d]
    if channel in DOCUMENT_REQUIRED and not documents:
        errors["documents"] = f"{IntakeChannel(channel).label}须上传原件扫描件（来信、工单或转办单）。"
    checked = []
    for document in documents:
        error, upload = prepare_upload(document, settings.UPLOAD_MAX_BYTES)
        if error:
            errors.setdefault("documents", f"{Path(getattr(document, 'name', '') or '').name}：{error}")
        checked.append(upload)
    try:
        county = _where(project, county, address or "")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    complaint, secret = _create(
        dict(
            project=project,
            address=(address or "").strip(),
            county=county,
            category=category,
            subcategory=subcategory,
            description=description.strip(),
            **contact,
            channel=channel,
            source_ref=(source_ref or "").strip(),
            entered_by=user,
        ),
        received_on,
    )
    for upload in checked:
        ComplaintDocument.objects.create(
            complaint=complaint,
            file=upload.content,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=user,
        )
    note = f"来源：{IntakeChannel(channel).label}，收到日期{received_on:%Y-%m-%d}，附原件{len(checked)}份"
    _event(complaint, ComplaintEvent.Action.ENTER, user, to_status=Status.PENDING, note=note)
    _notice_after_commit(complaint, "new")
    return complaint, secret


def find_for_complainant(tracking_no: str, secret: str) -> Complaint | None:
    """The complaint when both the tracking number and the secret match, else None (no hint which was wrong)."""
    tracking_no = (tracking_no or "").strip().upper()
    complaint = Complaint.objects.filter(tracking_no=tracking_no).first()
    digest = secret_digest(secret or "")
    if complaint is None:
        constant_time_compare(digest, "0" * 64)  # the same work whether the number exists or not
        return None
    return complaint if constant_time_compare(digest, complaint.secret_digest) else None


# --- the ledger steps ------------------------------------------------------------------------------
@transaction.atomic
def assign_handler(complaint: Complaint, *, user, handler: User) -> Complaint:
    """The city names or changes the handler; the current handler hands over to a colleague of the county (and
    loses access to the contact). Nobody else assigns, not even themselves."""
    complaint = _lock(complaint)
    if not can_handle(user, complaint):
        raise PermissionDenied("只有承办县（市、区）的工作人员或市局管理员可以指定承办人。")
    if not can_assign(user, complaint):
        raise PermissionDenied("只有市局管理员可以指定承办人，或由当前承办人移交给本县（市、区）的其他工作人员。")
    if complaint.status not in TRANSITIONS or not TRANSITIONS[complaint.status]:
        raise ValidationError("已办结或不予受理的投诉不能再指定承办人。")
    if not (handler.is_active and handler.is_county_staff and handler.region_id == complaint.county_id):
        raise ValidationError({"handler": "承办人须为承办县（市、区）的在岗工作人员。"})
    if handler.pk == complaint.handler_id:
        raise ValidationError({"handler": f"{handler.display_name}已是该投诉的承办人。"})
    old = complaint.handler.display_name if complaint.handler_id else "—"
    kind = "移交" if is_handler(user, complaint) else "指定"
    complaint.handler = handler
    complaint.save(update_fields=["handler", "updated_at"])
    _event(complaint, ComplaintEvent.Action.ASSIGN, user, note=f"{kind}：{old} → {handler.display_name}")
    _notice_after_commit(complaint, "assigned")
    return complaint


@transaction.atomic
def accept(complaint: Complaint, *, user, note: str = "") -> Complaint:
    check_length(note.strip(), NOTE_MAX, "说明", key="note")
    complaint = _lock(complaint)
    _require_handler(user, complaint)
    old = _move(complaint, Status.ACCEPTED)
    now = timezone.now()
    complaint.accepted_at = now
    complaint.accepted_late = timezone.localdate(now) > complaint.accept_due  # kept for good (逾期受理)
    complaint.close_due = due_after(timezone.localdate(now), close_days())
    complaint.overdue_flagged_at, complaint.overdue_stage = None, ""
    complaint.save()
    _event(complaint, ComplaintEvent.Action.ACCEPT, user, old, complaint.status, note.strip())
    sync_todos(complaint)
    return complaint


@transaction.atomic
def start_investigation(complaint: Complaint, *, user, note: str = "") -> Complaint:
    check_length(note.strip(), NOTE_MAX, "说明", key="note")
    complaint = _lock(complaint)
    _require_handler(user, complaint)
    old = _move(complaint, Status.INVESTIGATING)
    complaint.investigation_started_at = timezone.now()
    complaint.save()
    _event(complaint, ComplaintEvent.Action.INVESTIGATE, user, old, complaint.status, note.strip())
    return complaint


def responsible_choices(complaint: Complaint):
    """The units a substantiated complaint may be held against: the participants of its project; any enterprise
    for a complaint about an address (no project)."""
    if complaint.project_id:
        return Enterprise.objects.filter(participations__project_id=complaint.project_id).distinct().order_by("name")
    return Enterprise.objects.order_by("name")


def _responsible_errors(complaint: Complaint, substantiated: str, units: list[Enterprise]) -> dict:
    if substantiated not in Substantiated.values:
        return {"substantiated": "请选择核查结论（属实、部分属实或不属实）。"}
    if substantiated not in SUBSTANTIATED:
        if units:
            return {"responsible_enterprises": "核查结论为不属实，不能认定责任单位。"}
        return {}
    if complaint.project_id:
        if not units:
            return {"responsible_enterprises": "投诉属实（或部分属实），请选择本项目的责任单位。"}
        participants = set(
            Participant.objects.filter(project_id=complaint.project_id).values_list("enterprise_id", flat=True)
        )
        strangers = [u.name for u in units if u.pk not in participants]
        if strangers:
            return {"responsible_enterprises": f"{'、'.join(strangers)}不是本项目的参建单位，不能认定为责任单位。"}
    return {}


def _units(responsible_enterprises, responsible_enterprise) -> list[Enterprise]:
    """The named units, each once, in the order given (the single ``responsible_enterprise`` of the API's first
    version is still accepted)."""
    units = list(responsible_enterprises or [])
    if responsible_enterprise is not None:
        units.insert(0, responsible_enterprise)
    seen, out = set(), []
    for unit in units:
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            out.append(unit)
    return out


@transaction.atomic
def close(
    complaint: Complaint,
    *,
    user,
    findings: str,
    reply: str,
    substantiated: str = "",
    responsible_enterprises=(),
    responsible_enterprise: Enterprise | None = None,
) -> Complaint:
    """办结销号: the findings (internal), the reply the complainant reads, and the 核查结论. A complaint found true
    or partly true names its responsible unit(s) (participants of its project; for an address any enterprise, or
    none); each is held to account in its 诚信档案 (complaints/credit.py) and counted in the analysis of repeat
    units (complaints/analysis.py); neither is shown to the complainant."""
    complaint = _lock(complaint)
    _require_handler(user, complaint)
    units = _units(responsible_enterprises, responsible_enterprise)
    errors = {}
    if not (findings or "").strip():
        errors["findings"] = "请填写核查情况。"
    if not (reply or "").strip():
        errors["reply"] = "请填写对投诉人的答复意见。"
    errors.update(_responsible_errors(complaint, substantiated or "", units))
    if errors:
        raise ValidationError(errors)
    old = _move(complaint, Status.CLOSED)
    complaint.findings, complaint.reply = findings.strip(), reply.strip()
    complaint.substantiated = substantiated
    complaint.finished_at = timezone.now()
    complaint.closed_late = timezone.localdate(complaint.finished_at) > complaint.close_due  # the extended one
    complaint.overdue_flagged_at, complaint.overdue_stage = None, ""
    complaint.responsible_enterprises.set(units)  # before the save: the 诚信档案 re-reads the complaint on save
    complaint.save()
    verdict = Substantiated(substantiated).label
    if units:
        verdict += f"，责任单位：{'、'.join(u.name for u in units)}"
    _event(complaint, ComplaintEvent.Action.CLOSE, user, old, complaint.status, f"{verdict}。{findings.strip()}")
    sync_todos(complaint)
    return complaint


@transaction.atomic
def reject(complaint: Complaint, *, user, reason: str) -> Complaint:
    complaint = _lock(complaint)
    _require_handler(user, complaint)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写不予受理的理由。"})
    old = _move(complaint, Status.REJECTED)
    complaint.reject_reason = reason.strip()
    complaint.finished_at = timezone.now()
    complaint.accepted_late = timezone.localdate(complaint.finished_at) > complaint.accept_due
    complaint.overdue_flagged_at, complaint.overdue_stage = None, ""
    complaint.save()
    _event(complaint, ComplaintEvent.Action.REJECT, user, old, complaint.status, reason.strip())
    sync_todos(complaint)
    return complaint


@transaction.atomic
def reassign_county(complaint: Complaint, *, user, county: Region, reason: str) -> Complaint:
    """The city moves a complaint to another county (wrong routing); the handler is cleared."""
    roles.require_city_admin(user, "改派承办县（市、区）")
    complaint = _lock(complaint)
    if not complaint.is_open:
        raise ValidationError("已办结或不予受理的投诉不能改派。")
    if county.level != Region.Level.COUNTY:
        raise ValidationError({"county": "请选择县（市、区）。"})
    if county.pk == complaint.county_id:
        raise ValidationError({"county": "已由该县（市、区）承办。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写改派理由。"})
    old = complaint.county.name
    complaint.county, complaint.handler = county, None
    complaint.save(update_fields=["county", "handler", "updated_at"])
    _event(complaint, ComplaintEvent.Action.REASSIGN, user, note=f"{old} → {county.name}：{reason.strip()}")
    _notice_after_commit(complaint, "reassigned")
    return complaint


# --- extensions of the 办结 deadline (申请延期, approved by the city) ----------------------------------
EXTENSION_MAX_DAYS = 366


def pending_extension(complaint: Complaint) -> Extension | None:
    return complaint.extensions.filter(state=Extension.State.PENDING).first()


@transaction.atomic
def request_extension(complaint: Complaint, *, user, new_due: dt.date | None, reason: str) -> Extension:
    """The handler asks for a later 办结 deadline, with a reason; the city decides (``decide_extension``)."""
    complaint = _lock(complaint)
    _require_handler(user, complaint)
    if complaint.status not in (Status.ACCEPTED, Status.INVESTIGATING):
        raise ValidationError("只有已受理、核查中的投诉可以申请延期办结。")
    if pending_extension(complaint) is not None:
        raise ValidationError("已有一项延期申请待市局审批，请等待审批结果。")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写延期理由。"
    if new_due is None:
        errors["new_due"] = "请填写申请延至的日期。"
    elif new_due <= complaint.close_due:
        errors["new_due"] = f"申请延至的日期须晚于当前办结时限（{complaint.close_due:%Y-%m-%d}）。"
    elif new_due > timezone.localdate() + dt.timedelta(days=EXTENSION_MAX_DAYS):
        errors["new_due"] = "申请延至的日期不能晚于一年后。"
    if errors:
        raise ValidationError(errors)
    if complaint.handler_id and complaint.handler_id == user.pk:
        complaint.save(update_fields=["handler", "updated_at"])  # who took the step became its handler
    extension = Extension.objects.create(
        complaint=complaint,
        previous_due=complaint.close_due,
        requested_due=new_due,
        reason=reason.strip(),
        requested_by=user,
    )
    note = f"办结时限 {complaint.close_due:%Y-%m-%d} → 申请延至 {new_due:%Y-%m-%d}：{reason.strip()}"
    _event(complaint, ComplaintEvent.Action.EXTEND_REQUEST, user, note=note)
    _notice_after_commit(complaint, "extension-request")
    return extension


@transaction.atomic
def decide_extension(extension: Extension, *, user, approve: bool, note: str = "") -> Extension:
    """The city approves (the 办结 deadline moves to the requested date; the original is kept and shown) or refuses
    (with its reason) a pending extension."""
    roles.require_city_admin(user, "审批延期申请")
    complaint = _lock(extension.complaint)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.state != Extension.State.PENDING:
        raise ValidationError(f"该延期申请已{extension.get_state_display()}。")
    if complaint.status not in (Status.ACCEPTED, Status.INVESTIGATING):
        raise ValidationError("投诉已办结，不能再审批延期。")
    note = (note or "").strip()
    check_length(note, NOTE_MAX, "审批意见", key="note")
    if not approve and not note:
        raise ValidationError({"note": "不批准延期须填写理由。"})
    extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = user, timezone.now(), note
    extension.save()
    if approve:
        if complaint.close_due_original is None:
            complaint.close_due_original = complaint.close_due
        old_due, complaint.close_due = complaint.close_due, extension.requested_due
        if complaint.overdue_stage == "close":  # overdue against the old deadline; flagged again if it passes this one
            complaint.overdue_flagged_at, complaint.overdue_stage = None, ""
        complaint.save()
        text = f"办结时限 {old_due:%Y-%m-%d} → {complaint.close_due:%Y-%m-%d}" + (f"：{note}" if note else "")
        _event(complaint, ComplaintEvent.Action.EXTEND_APPROVE, user, note=text)
        close_todos(complaint, Todo.Kind.COMPLAINT_CLOSE)  # sync_todos opens the one with the new deadline
    else:
        text = f"申请延至 {extension.requested_due:%Y-%m-%d} 不予批准：{note}"
        _event(complaint, ComplaintEvent.Action.EXTEND_REFUSE, user, note=text)
    sync_todos(complaint)
    _notice_after_commit(complaint, "extension-decided")
    return extension


# --- overdue supervision (实时督办) -----------------------------------------------------------------
def flag_overdue(today: dt.date | None = None) -> int:
    """Flag every complaint past its current step's deadline once per step, and notify the city, the county
    and the handler. Safe to run twice: the flag is claimed with a conditional UPDATE."""
    today = today or timezone.localdate()
    flagged = 0
    for complaint in Complaint.objects.overdue(today).select_related("county", "handler"):
        stage = "accept" if complaint.status == Status.PENDING else "close"
        if complaint.overdue_stage == stage:
            continue
        with transaction.atomic():
            claimed = (
                Complaint.objects.filter(pk=complaint.pk, status=complaint.status)
                .exclude(overdue_stage=stage)
                .update(overdue_flagged_at=timezone.now(), overdue_stage=stage)
            )
            if not claimed:
                continue
            label = "逾期未受理" if stage == "accept" else "逾期未办结"
            due = complaint.due_date()
            note = f"{label}（时限 {due:%Y-%m-%d}）"
            _event(complaint, ComplaintEvent.Action.OVERDUE, None, note=note)
            _notice_after_commit(complaint, f"overdue-{stage}")
            flagged += 1
    return flagged


# --- 回访 (after 办结) ------------------------------------------------------------------------------
VISIT_NOTE_MAX = 500


def can_record_visit(user, complaint: Complaint) -> bool:
    """A 电话回访 is recorded by the complaint's handler or the city (the ones who reached the complainant)."""
    return bool(can_handle(user, complaint) and (roles.is_city_admin(user) or is_handler(user, complaint)))


def _visit_errors(complaint: Complaint, satisfaction: str, note: str) -> dict:
    if complaint.status != Status.CLOSED:
        return {"satisfaction": "投诉办结后才能回访。"}
    if complaint.current_visit() is not None:
        return {"satisfaction": "本次办结已回访，不能重复评价。"}
    if satisfaction not in Satisfaction.values:
        return {"satisfaction": "请选择满意度（满意、基本满意或不满意）。"}
    if len(note or "") > VISIT_NOTE_MAX:
        return {"note": f"意见不能超过{VISIT_NOTE_MAX}个字。"}
    return {}


@transaction.atomic
def record_return_visit(
    complaint: Complaint, *, satisfaction: str, note: str = "", user=None, channel: str = ReturnVisit.Channel.PHONE
) -> ReturnVisit:
    """回访: the complainant's satisfaction with a closed complaint, once per closing — by phone (the handler or
    the city records it: ``user``) or by the complainant on the public status page (``channel=WEB``, no user, after
    the tracking number and query code were checked). 不满意 goes to the city for a decision (``decide_reopen``)."""
    complaint = _lock(complaint)
    if channel == ReturnVisit.Channel.PHONE:
        if not can_record_visit(user, complaint):
            raise PermissionDenied("电话回访由该投诉的承办人或市局管理员记录。")
    elif channel == ReturnVisit.Channel.WEB:
        user = None
    else:
        raise ValidationError({"channel": "回访方式不正确。"})
    note = (note or "").strip()
    errors = _visit_errors(complaint, satisfaction, note)
    if errors:
        raise ValidationError(errors)
    visit = ReturnVisit.objects.create(
        complaint=complaint, satisfaction=satisfaction, channel=channel, note=note, recorded_by=user
    )
    text = f"{ReturnVisit.Channel(channel).label}：{Satisfaction(satisfaction).label}" + (f"。{note}" if note else "")
    _event(complaint, ComplaintEvent.Action.VISIT, user, note=text)
    if satisfaction == Satisfaction.UNSATISFIED:
        _notice_after_commit(complaint, "unsatisfied")
    return visit


def awaiting_decision(complaint: Complaint) -> ReturnVisit | None:
    visit = complaint.current_visit()
    return visit if visit is not None and visit.awaits_decision else None


@transaction.atomic
def decide_reopen(complaint: Complaint, *, user, reopen: bool, reason: str) -> Complaint:
    """The city decides on a 不满意 回访: reopen (重新办理: back to 核查中 under the same handler, a new 办结 deadline
    of the usual working days from today; the 核查结论 and responsible units are cleared until it is closed again,
    so its 诚信档案 entries wait too) or keep it closed (维持办结); either with a reason."""
    roles.require_city_admin(user, "决定不满意投诉是否重新办理")
    complaint = _lock(complaint)
    visit = awaiting_decision(complaint)
    if visit is None:
        raise ValidationError("只有回访不满意且尚未决定的投诉才能决定是否重新办理。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写决定理由。"})
    if len(reason) > VISIT_NOTE_MAX:
        raise ValidationError({"reason": f"决定理由不能超过{VISIT_NOTE_MAX}个字。"})
    now = timezone.now()
    visit.decision = ReturnVisit.Decision.REOPEN if reopen else ReturnVisit.Decision.KEEP
    visit.decision_reason, visit.decided_by, visit.decided_at = reason, user, now
    visit.save()
    if not reopen:
        _event(complaint, ComplaintEvent.Action.KEEP_CLOSED, user, note=reason)
        return complaint
    old = complaint.status
    complaint.status = Status.INVESTIGATING
    complaint.close_due = due_after(timezone.localdate(now), close_days())
    complaint.finished_at = None
    complaint.substantiated = ""
    complaint.overdue_flagged_at, complaint.overdue_stage = None, ""
    complaint.responsible_enterprises.clear()
    complaint.save()
    note = f"{reason}（新办结时限 {complaint.close_due:%Y-%m-%d}）"
    _event(complaint, ComplaintEvent.Action.REOPEN, user, old, complaint.status, note)
    sync_todos(complaint)
    if complaint.handler_id:
        _notice_after_commit(complaint, "assigned")
    return complaint


# --- 专项检查 (a targeted inspection of the complaint's project) ---------------------------------------
def can_open_inspection(user, complaint: Complaint) -> bool:
    return bool(complaint.project_id and not complaint.targeted_plan_id and can_handle(user, complaint))


@transaction.atomic
def open_targeted_inspection(complaint: Complaint, *, user):
    """One click by the city or the county's staff: a 专项检查 of the complaint's project (not drawn by 双随机; made
    by inspections.services.create_targeted_plan), linked both ways — the complaint keeps the plan, the plan page
    lists its complaints. Once per complaint."""
    complaint = _lock(complaint)
    if not can_handle(user, complaint):
        raise PermissionDenied("只有承办县（市、区）的工作人员或市局管理员可以发起专项检查。")
    if not complaint.project_id:
        raise ValidationError("未关联项目的投诉不能发起专项检查。")
    if complaint.targeted_plan_id:
        raise ValidationError("本投诉已发起专项检查。")
    if complaint.status == Status.REJECTED:
        raise ValidationError("不予受理的投诉不能发起专项检查。")
    plan = inspections_services.create_targeted_plan(
        user=user, project=complaint.project, reason=f"投诉举报 {complaint.tracking_no}（{complaint.category_label}）"
    )
    complaint.targeted_plan = plan
    complaint.save(update_fields=["targeted_plan", "updated_at"])
    _event(complaint, ComplaintEvent.Action.TARGETED, user, note=f"专项检查计划：{plan.name}")
    return plan
