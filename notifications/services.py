"""In-app notices (the bell), to-dos (待办) and the channels a notice goes out by; any app calls ``notify()``.

The (recipient, event_key) unique constraint is the guarantee: a retried task that notifies again finds the
notice already there and sends nothing. Each new notice also goes out by the channels the recipient chose for its
kind (通知设置: e-mail, SMS; the in-app notice is always there). SMS is queued through the outbox to a task that
retries, so neither a gateway outage nor a slow gateway reaches the caller.

To-dos: ``open_todo`` when something waits for a user (idempotent on ``key``), ``close_todos`` from the service
that does the thing (a report reviewed, a notice answered…), so a to-do ends with the action, not with reading.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User
from core import outbox
from notifications.choices import Channel, NoticeKind
from notifications.models import Notification, NotificationPreference, Todo

log = logging.getLogger(__name__)

OPTIONAL_CHANNELS = (Channel.EMAIL, Channel.SMS)  # in-app is always on


# --- channels per kind (通知设置) -------------------------------------------------------------------
def default_channels(user, kind: str) -> set[str]:
    """E-mail on for every kind (as before the settings page), SMS for to-dos and reminders when the user has a
    mobile number; the in-app notice always."""
    chosen = {Channel.IN_APP, Channel.EMAIL}
    if kind in (NoticeKind.TODO, NoticeKind.REMINDER) and (user.phone or "").strip():
        chosen.add(Channel.SMS)
    return {str(c) for c in chosen}


def channels_for(user, kind: str, preference: NotificationPreference | None = None) -> set[str]:
    """The channels this user receives a notice of this kind by (in-app always)."""
    if preference is None:
        preference = NotificationPreference.objects.filter(user=user).first()
    stored = (preference.channels or {}).get(kind) if preference else None
    if stored is None:
        return default_channels(user, kind)
    return {str(Channel.IN_APP), *(c for c in stored if c in OPTIONAL_CHANNELS)}


def preference_table(user) -> list[dict]:
    """Rows of the settings page: one per kind, each channel with whether it is on."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return [
        {"kind": kind, "label": label, "channels": channels_for(user, kind, preference)}
        for kind, label in NoticeKind.choices
    ]


@transaction.atomic
def set_preferences(user, chosen: dict[str, Iterable[str]]) -> NotificationPreference:
    """Store the user's channels per kind (``{kind: [channel, …]}``, every kind; missing means none)."""
    kinds = {str(k) for k in NoticeKind.values}
    unknown = [k for k in chosen if k not in kinds]
    if unknown:
        raise ValidationError(f"未知的通知类型：{'、'.join(unknown)}。")
    table = {}
    for kind in NoticeKind.values:
        channels = sorted({str(c) for c in chosen.get(kind, ()) if str(c) != Channel.IN_APP})
        bad = [c for c in channels if c not in OPTIONAL_CHANNELS]
        if bad:
            raise ValidationError(f"未知的通知渠道：{'、'.join(bad)}。")
        if Channel.SMS in channels and not (user.phone or "").strip():
            raise ValidationError("您的账号未登记手机号，不能选择短信通知。")
        if Channel.EMAIL in channels and not (user.email or "").strip():
            raise ValidationError("您的账号未登记电子邮箱，不能选择邮件通知。")
        table[kind] = channels
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    preference.channels = table
    preference.save()
    return preference


def _send_email(user, notice: Notification, title: str, body: str, url: str) -> None:
    try:
        send_mail(f"【精品工程管理系统】{title}", f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
        Notification.objects.filter(pk=notice.pk).update(emailed=True)
    except Exception:  # noqa: BLE001 - the in-app notice stands even when mail is down
        log.exception("e-mail for notification %s failed", notice.pk)


def sms_text(title: str) -> str:
    return f"【精品工程管理系统】{title}"[:300]


def _queue_sms(user, title: str) -> None:
    outbox.enqueue("notifications.tasks.send_sms", user.phone.strip(), sms_text(title))


def notify(
    users, event_key: str, title: str, body: str = "", url: str = "", *, email: bool = True, kind: str = NoticeKind.INFO
) -> int:
    """Create one notice per user for this event (skipping users who already have it) and send it by the
    channels the user chose for ``kind``; returns how many new. ``email=False`` keeps it in-app only."""
    created = 0
    for user in users:
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=user, event_key=event_key[:150], title=title[:200], body=body, url=url
                )
        except IntegrityError:
            continue  # this event was already notified to this user
        created += 1
        if not email:
            continue
        channels = channels_for(user, kind)
        if Channel.EMAIL in channels and user.email:
            _send_email(user, notice, title, body, url)
        if Channel.SMS in channels and (user.phone or "").strip():
            _queue_sms(user, title)
    return created


def county_staff(county_id: int):
    """The active staff of one county: who a county's notice goes to."""
    return User.objects.filter(role=User.Role.COUNTY_STAFF, region_id=county_id, is_active=True)


def notify_county(
    county_id: int, event_key: str, title: str, body: str = "", url: str = "", *, kind: str = NoticeKind.INFO
) -> int:
    return notify(county_staff(county_id), event_key, title, body, url, kind=kind)


def mark_all_read(user) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def mark_read(notice: Notification, *, user) -> Notification:
    """One notice read by its recipient (a second call keeps the first time; someone else's notice is untouched)."""
    Notification.objects.visible_to(user).unread().filter(pk=notice.pk).update(read_at=timezone.now())
    notice.refresh_from_db(fields=["read_at"])
    return notice


# --- to-dos (待办) ---------------------------------------------------------------------------------
def subject_of(subject) -> tuple[str, str]:
    """A model instance (or an ``("app_label.model", pk)`` pair) as the generic key a to-do names it by."""
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    label, pk = subject
    return str(label).lower(), str(pk)


def _as_deadline(deadline) -> dt.datetime | None:
    """A date is due at its end (23:59:59 local time); a datetime as it is."""
    if deadline is None or isinstance(deadline, dt.datetime):
        return deadline
    end = dt.datetime.combine(deadline, dt.time(23, 59, 59))
    return timezone.make_aware(end)


def open_todo(users, kind: str, subject, title: str, url: str, deadline=None, *, key: str = "") -> int:
    """Open a to-do for each user (once per ``key`` and user: a retried task opens nothing again, and a to-do
    closed by the action stays closed; never a second open one of the same kind and subject); returns how many
    were opened."""
    if kind not in Todo.Kind.values:
        raise ValueError(f"unknown to-do kind {kind!r}")
    subject_type, subject_id = subject_of(subject)
    key = (key or f"{kind}:{subject_type}:{subject_id}")[:150]
    if isinstance(users, User):
        users = [users]
    opened = 0
    for user in users:
        if Todo.objects.open().filter(user=user, kind=kind, subject_type=subject_type, subject_id=subject_id).exists():
            continue  # one open to-do per user, kind and subject (a backfill meets the task's own)
        _, created = Todo.objects.get_or_create(
            user=user,
            key=key,
            defaults={
                "kind": kind,
                "title": title[:200],
                "url": url[:300],
                "deadline": _as_deadline(deadline),
                "subject_type": subject_type,
                "subject_id": subject_id,
            },
        )
        opened += created
    return opened


def close_todos(
    subject, kind: str | Iterable[str] | None = None, *, users=None, except_users=None, key: str = ""
) -> int:
    """Close the open to-dos about ``subject`` (of ``kind`` — one or several —, of ``users`` / all but
    ``except_users``, with ``key``): the action they asked for is done. Returns how many were closed."""
    subject_type, subject_id = subject_of(subject)
    todos = Todo.objects.open().filter(subject_type=subject_type, subject_id=subject_id)
    if kind is not None:
        todos = todos.filter(kind__in=[kind] if isinstance(kind, str) else list(kind))
    if users is not None:
        todos = todos.filter(user__in=[users] if isinstance(users, User) else users)
    if except_users is not None:
        todos = todos.exclude(user__in=[except_users] if isinstance(except_users, User) else except_users)
    if key:
        todos = todos.filter(key=key)
    return todos.update(done_at=timezone.now())


def todo_counts(user) -> dict[str, int]:
    """The bell: open to-dos (and how many of them overdue) and unread information notices."""
    if user is None or not user.is_authenticated:
        return {"todos": 0, "overdue": 0, "unread": 0}
    todos = (
        Todo.objects.visible_to(user)
        .open()
        .aggregate(n=models.Count("pk"), overdue=models.Count("pk", filter=models.Q(deadline__lt=timezone.now())))
    )
    return {
        "todos": todos["n"],
        "overdue": todos["overdue"],
        "unread": Notification.objects.visible_to(user).unread().count(),
    }


# --- backfill: the to-dos the data's current state asks for (demo seed, first deployment) -------------
_todo_sources: dict[str, Callable[[], int]] = {}


def register_todo_source(name: str, source: Callable[[], int]) -> None:
    """An app declares how to open, from its data's state, the to-dos it would have opened on its events
    (``source()`` returns how many it opened; idempotent). Filled from the apps' ``AppConfig.ready()``."""
    _todo_sources[name] = source


def sync_all_todos() -> dict[str, int]:
    """Open every to-do the current state asks for (``manage.py sync_todos``; the demo seed)."""
    return {name: source() for name, source in sorted(_todo_sources.items())}
