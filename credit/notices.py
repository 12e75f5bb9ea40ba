"""To-dos and notices of an appeal (信用修复):

- submitted → a to-do for whoever decides it (the staff of the entry's county; the city admins for an entry
  without a county), closed by the decision;
- decided → a notice to the enterprise's users with the decision and its reasons.
"""

from __future__ import annotations

from django.urls import reverse

from accounts import roles
from accounts.models import User
from credit.models import CreditAppeal
from notifications.models import Todo
from notifications.services import close_todos, county_staff, notify, open_todo


def deciders(appeal: CreditAppeal):
    county_id = appeal.entry.county_id
    if county_id:
        return county_staff(county_id)
    return User.objects.filter(role__in=roles.CITY_ADMINS, is_active=True)


def enterprise_users(enterprise_id: int):
    return User.objects.filter(role__in=roles.UNIT_USERS, enterprise_id=enterprise_id, is_active=True)


def open_appeal_todo(appeal: CreditAppeal) -> int:
    title = f"处理信用修复申诉：{appeal.enterprise.name} · {appeal.entry.get_behaviour_display()}"
    url = reverse("credit:appeal-detail", args=[appeal.pk])
    return open_todo(deciders(appeal), Todo.Kind.CREDIT_APPEAL, appeal, title, url, key=f"credit-appeal:{appeal.pk}")


def appeal_decided(appeal: CreditAppeal) -> int:
    close_todos(appeal, Todo.Kind.CREDIT_APPEAL)
    entry = appeal.entry
    title = f"信用修复申诉已处理：{appeal.get_status_display()}"
    body = (
        f"您单位对“{entry.get_behaviour_display()}：{entry.title}”提出的申诉已处理，决定：{appeal.get_status_display()}。"
        f"\n处理理由：{appeal.decision_reason}"
    )
    url = reverse("credit:appeal-detail", args=[appeal.pk])
    return notify(enterprise_users(appeal.enterprise_id), f"credit-appeal:{appeal.pk}:decided", title, body, url)


def backfill_todos() -> int:
    """The to-dos the pending appeals ask for (``manage.py sync_todos``, the demo seed)."""
    pending = CreditAppeal.objects.pending().select_related("entry", "enterprise")
    return sum(open_appeal_todo(appeal) for appeal in pending)
