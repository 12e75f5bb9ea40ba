"""Substantiated complaints in the 诚信档案 (``credit.registry``): a complaint the handler closed as 属实 or 部分属实
with responsible units is a bad entry of each named unit, dated the day it was closed, numbered with the tracking number.

The title says what and where (category, project or address), never who complained; the entry links to the
complaint's staff page. A complaint found untrue, or true without a responsible unit, makes none.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.models import Enterprise
from complaints.choices import SUBSTANTIATED, Status
from complaints.models import Complaint
from credit.follow import watch
from credit.registry import Fact, Source, register


def complaint_facts(ids, rule) -> dict[int, list[Fact]]:
    rows = (
        Complaint.objects.filter(
            pk__in=ids,
            status=Status.CLOSED,
            substantiated__in=SUBSTANTIATED,
        )
        .select_related("project", "category")
        .prefetch_related(Prefetch("responsible_enterprises", queryset=Enterprise.objects.only("pk").order_by("pk")))
        .only(
            "pk",
            "tracking_no",
            "category__code",
            "category__name",
            "address",
            "substantiated",
            "finished_at",
            "county_id",
            "project__id",
            "project__name",
        )
    )
    out: dict[int, list[Fact]] = {}
    for complaint in rows:
        where = complaint.project.name if complaint.project_id else complaint.address
        title = f"{complaint.category.name}问题投诉{complaint.get_substantiated_display()} · {where}"
        facts = [
            Fact(
                enterprise_id=unit.pk,
                behaviour="complaint",
                occurred_on=timezone.localdate(complaint.finished_at) if complaint.finished_at else None,
                title=title,
                document_no=complaint.tracking_no,
                project_id=complaint.project_id,
                county_id=complaint.county_id,
                source_url=reverse("complaints:detail", args=[complaint.pk]),
            )
            for unit in complaint.responsible_enterprises.all()
        ]
        if facts:
            out[complaint.pk] = facts
    return out


def register_source() -> None:
    register(
        Source(
            "complaint",
            "投诉举报",
            complaint_facts,
            lambda: (
                Complaint.objects.filter(
                    status=Status.CLOSED, substantiated__in=SUBSTANTIATED, responsible_enterprises__isnull=False
                )
                .values_list("pk", flat=True)
                .distinct()
            ),
        )
    )
    watch("complaint", Complaint, lambda c: [c.pk])
