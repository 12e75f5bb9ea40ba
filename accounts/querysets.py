"""Named reads of the accounts app that other layers reuse."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Enterprise


def autocomplete_enterprises(user, q: str, limit: int):
    """The searchable enterprise select: name or credit code, within what the user may see."""
    qs = Enterprise.objects.visible_to(user).order_by("name")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    return [(e.pk, e.name) for e in qs[:limit]]
