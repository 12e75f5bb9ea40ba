"""Award records in the 诚信档案: the general contractor that earns the points gets a good entry worth the
catalogue's points on the grant date, with the 表彰文号 (``credit.registry``).

And the other way: the 评定分离 tender reference (the points ledger, the enterprise's record) shows each
enterprise's credit grade and score beside its points (``attach_standings``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.urls import reverse

from awards.models import AwardRecord
from credit import scoring
from credit.follow import watch
from credit.registry import Fact, Source, register
from credit.services import standings

STANDINGS_CHUNK = 1000


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


# --- the credit grade beside the points ---------------------------------------------------------------------
def attach_standings(rows: Iterable) -> list:
    """Set ``credit_grade``, ``credit_score`` and ``credit_blacklisted`` on enterprise rows (a ledger page, an
    enterprise) from their current standing (the base score for one without any entry): one query."""
    rows = list(rows)
    if not rows:
        return rows
    found = standings(row.pk for row in rows)
    for row in rows:
        standing = found[row.pk]
        row.credit_grade = standing.grade
        row.credit_score = standing.score
        row.credit_blacklisted = scoring.on_blacklist(standing.grade, standing.major)
    return rows


def with_standings(rows: Iterable, chunk: int = STANDINGS_CHUNK) -> Iterator:
    """``attach_standings`` over a long list (an export) one chunk at a time: one query per chunk of rows."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            yield from attach_standings(batch)
            batch = []
    yield from attach_standings(batch)
