"""精品工程 and 示范项目 results in the 诚信档案: every participant of the project gets a good entry, the higher
of the two (a 示范项目 is not also counted as a 精品工程), dated by the evaluation's close or the designation;
a revoked designation falls back to the 精品工程 entry (``credit.registry``)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from credit.follow import watch
from credit.registry import Fact, Source, register
from evaluation.choices import EvaluationResult, EvaluationStatus
from evaluation.models import Evaluation
from projects.models import Participant


def evaluation_facts(ids, rule) -> dict[int, list[Fact]]:
    evaluations = list(
        Evaluation.objects.filter(pk__in=ids, status=EvaluationStatus.CLOSED, result=EvaluationResult.PASSED)
        .select_related("project")
        .only("pk", "year", "closed_at", "demonstration", "demonstration_at", "project__name", "project__county_id")
    )
    members = defaultdict(set)
    for project_id, enterprise_id in Participant.objects.filter(
        project_id__in={e.project_id for e in evaluations}
    ).values_list("project_id", "enterprise_id"):
        members[project_id].add(enterprise_id)
    out: dict[int, list[Fact]] = {}
    for evaluation in evaluations:
        project = evaluation.project
        if evaluation.demonstration:
            behaviour, when, what = "demonstration", evaluation.demonstration_at, "示范项目"
        else:
            behaviour, when, what = "jingpin", evaluation.closed_at, "精品工程"
        day = timezone.localdate(when) if when else None
        out[evaluation.pk] = [
            Fact(
                enterprise_id=enterprise_id,
                behaviour=behaviour,
                occurred_on=day,
                title=f"{evaluation.year}年度{what} · {project.name}",
                project_id=project.pk,
                county_id=project.county_id,
                source_url=reverse("evaluation:evaluation-detail", args=[evaluation.pk]),
            )
            for enterprise_id in sorted(members[project.pk])
        ]
    return out


def register_source() -> None:
    register(
        Source(
            "evaluation",
            "精品工程评价",
            evaluation_facts,
            lambda: Evaluation.objects.filter(result=EvaluationResult.PASSED).values_list("pk", flat=True),
        )
    )
    watch("evaluation", Evaluation, lambda e: [e.pk])
    watch(
        "evaluation",
        Participant,
        lambda p: Evaluation.objects.filter(project_id=p.project_id, result=EvaluationResult.PASSED).values_list(
            "pk", flat=True
        ),
    )
