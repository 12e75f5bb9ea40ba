"""Award records in the 诚信档案: the general contractor that earns the points gets a good entry worth the
catalogue's points on the grant date, with the 表彰文号 (``credit.registry``)."""

from __future__ import annotations

from django.urls import reverse

from awards.models import AwardRecord
from credit.registry import Fact, Source, register, watch


def award_facts(ids, rule) -> dict[int, list[Fact]]:
    rows = AwardRecord.objects.filter(pk__in=ids).select_related("award", "project")
    return {
        record.pk: [
            Fact(
                enterprise_id=record.contractor_id,
                behaviour="award",
                occurred_on=record.grant_date,
                title=f"{record.year}年{record.award.name} · {record.project.name}",
                document_no=record.document_no,
                project_id=record.project_id,
                county_id=record.project.county_id,
                catalogue_points=record.points,
                source_url=reverse("awards:record-detail", args=[record.pk]),
            )
        ]
        for record in rows
    }


def register_source() -> None:
    register(Source("award", "奖励记录", award_facts, lambda: AwardRecord.objects.values_list("pk", flat=True)))
    watch("award", AwardRecord, lambda r: [r.pk])
