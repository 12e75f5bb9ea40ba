"""Writes of the disclosure app: the county (or the city) publishes or withdraws a project's public page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.roles import can_manage_project
from disclosure.models import ProjectDisclosure
from projects.models import Project


def disclosure_for(project: Project) -> ProjectDisclosure:
    """The project's disclosure row (created unpublished, with its public id, on first use)."""
    disclosure, _ = ProjectDisclosure.objects.get_or_create(project=project)
    return disclosure


def create_for_new_project(sender, instance, created, raw=False, **kwargs) -> None:
    """Every new project gets its (unpublished) disclosure row, so its public id exists from the start."""
    if created and not raw:
        ProjectDisclosure.objects.get_or_create(project=instance)


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
    if not disclosure.published:
        disclosure.published = True
        disclosure.published_at = timezone.now()
        disclosure.published_by = user
        disclosure.withdrawn_at = None
    disclosure.save()
    return disclosure


@transaction.atomic
def withdraw(project: Project, *, user) -> ProjectDisclosure:
    _require_manager(user, project)
    disclosure = ProjectDisclosure.objects.select_for_update().get(pk=disclosure_for(project).pk)
    if disclosure.published:
        disclosure.published = False
        disclosure.withdrawn_at = timezone.now()
        disclosure.save(update_fields=["published", "withdrawn_at"])
    return disclosure
