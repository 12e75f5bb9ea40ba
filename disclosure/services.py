"""Writes of the disclosure app: the county (or the city) publishes or withdraws a project's public page.

A withdrawal needs a reason: the page's URL stays (it is printed as a QR code on the 永久性标志牌) and says
已撤销公示 with the date and that reason. Every publication and withdrawal is kept in ``DisclosureEvent``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.roles import can_manage_project
from disclosure.models import DisclosureEvent, ProjectDisclosure
from projects.models import Project


def disclosure_for(project: Project) -> ProjectDisclosure:
    """The project's disclosure row (created unpublished, with its public id, on first use)."""
    disclosure, _ = ProjectDisclosure.objects.get_or_create(project=project)
    return disclosure


def create_for_new_project(project: Project) -> None:
    """Every new project gets its (unpublished) disclosure row, so its public id exists from the start
    (a listener of ``projects.services.project_registered``)."""
    ProjectDisclosure.objects.get_or_create(project=project)


def _require_manager(user, project: Project) -> None:
    if not can_manage_project(user, project):
        raise PermissionDenied("只有市局管理员或项目所在县（市、区）的工作人员可以公示该项目。")


@transaction.atomic
def publish(project: Project, *, user, location: str | None = None) -> ProjectDisclosure:
    _require_manager(user, project)
    disclosure = disclosure_for(project)
    disclosure = ProjectDisclosure.objects.select_for_update().get(pk=disclosure.pk)
    if location is not None:
        location = location.strip()
        if len(location) > 200:
            raise ValidationError({"location": "工程地点不能超过200个字符。"})
        disclosure.location = location
    if not disclosure.location:
        raise ValidationError({"location": "公示前请填写工程地点。"})
    if not disclosure.published:  # first publication or re-publication after a withdrawal
        disclosure.published = True
        disclosure.published_at = timezone.now()
        disclosure.published_by = user
        disclosure.withdrawn_at = None
        disclosure.withdrawn_by = None
        disclosure.withdrawal_reason = ""
        DisclosureEvent.objects.create(disclosure=disclosure, action=DisclosureEvent.Action.PUBLISHED, actor=user)
    disclosure.save()
    return disclosure


WITHDRAWAL_REASON_MAX = 200


def clean_withdrawal_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤销公示须填写原因（将在公示页上向公众显示）。"})
    if len(reason) > WITHDRAWAL_REASON_MAX:
        raise ValidationError({"reason": f"撤销原因不能超过{WITHDRAWAL_REASON_MAX}个字符。"})
    return reason


@transaction.atomic
def withdraw(project: Project, *, user, reason: str | None) -> ProjectDisclosure:
    """Withdraw the public page: its URL keeps answering with 已撤销公示, the date and ``reason`` (required)."""
    _require_manager(user, project)
    reason = clean_withdrawal_reason(reason)
    disclosure = ProjectDisclosure.objects.select_for_update().get(pk=disclosure_for(project).pk)
    if not disclosure.published:
        raise ValidationError("该项目未在公示中，无需撤销。")
    disclosure.published = False
    disclosure.withdrawn_at = timezone.now()
    disclosure.withdrawn_by = user
    disclosure.withdrawal_reason = reason
    disclosure.save(update_fields=["published", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    DisclosureEvent.objects.create(
        disclosure=disclosure, action=DisclosureEvent.Action.WITHDRAWN, reason=reason, actor=user
    )
    return disclosure
