"""In-app notices (the bell) and e-mail, sent once per event and recipient; any app calls ``notify()``.

The (recipient, event_key) unique constraint is the guarantee: a retried task that notifies again finds the
notice already there and sends nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification

log = logging.getLogger(__name__)


def notify(users, event_key: str, title: str, body: str = "", url: str = "", *, email: bool = True) -> int:
    """Create one notice per user for this event (skipping users who already have it); returns how many new."""
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
        if email and user.email:
            try:
                send_mail(
                    f"【精品工程管理系统】{title}",
                    f"{body}\n\n{url}".strip(),
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
                Notification.objects.filter(pk=notice.pk).update(emailed=True)
            except Exception:  # noqa: BLE001 - the in-app notice stands even when mail is down
                log.exception("e-mail for notification %s failed", notice.pk)
    return created


def county_staff(county_id: int):
    """The active staff of one county: who a county's notice goes to."""
    return User.objects.filter(role=User.Role.COUNTY_STAFF, region_id=county_id, is_active=True)


def notify_county(county_id: int, event_key: str, title: str, body: str = "", url: str = "") -> int:
    return notify(county_staff(county_id), event_key, title, body, url)


def mark_all_read(user) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())
