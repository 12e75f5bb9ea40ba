"""The sources kept by ``projects`` (below this app): constraint records, mandatory insurance, green pilots.

Decisions (README, 诚信档案):
* a constraint record is an entry of the severity the rule gives its kind (清退出场: the expelled severity);
  one made by an escalated 整改通知单 is not counted twice: the notice's own entry (inspections) counts;
* a green pilot is a good entry of every participant of the pilot project (seed 003 五(二): 参建企业信用考核加分),
  dated the day it is first recorded;
* a participant whose mandatory insurance is missing or lapsed (projects.insurance_problem_text, the one rule) has
  an insurance entry while the lapse lasts; dated the day after the policy ran out, or its joining day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from credit import follow, registry
from credit.registry import Fact, Source
from projects.choices import MANDATORY_INSURANCE, ConstraintKind, ConstraintStatus
from projects.models import ConstraintRecord, Participant, Project


def _project_url(project_id: int, anchor: str = "") -> str:
    return reverse("projects:project-detail", args=[project_id]) + (f"#{anchor}" if anchor else "")


# --- constraint records ---------------------------------------------------------------------------------------
def constraint_facts(ids, rule) -> dict[int, list[Fact]]:
    out: dict[int, list[Fact]] = {}
    rows = (
        ConstraintRecord.objects.filter(pk__in=ids, rectification_notice__isnull=True)
        .select_related("participant__project")
        .only(
            "pk",
            "kind",
            "status",
            "occurred_on",
            "description",
            "participant__enterprise_id",
            "participant__project__id",
            "participant__project__name",
            "participant__project__county_id",
        )
    )
    kinds = dict(ConstraintKind.choices)
    for record in rows:
        behaviour = rule.constraint_behaviour(record.kind, record.status == ConstraintStatus.EXPELLED)
        if behaviour is None:
            continue
        project = record.participant.project
        suffix = "（清退出场）" if record.status == ConstraintStatus.EXPELLED else ""
        out[record.pk] = [
            Fact(
                enterprise_id=record.participant.enterprise_id,
                behaviour=behaviour,
                occurred_on=record.occurred_on,
                title=f"{kinds.get(record.kind, record.kind)}{suffix} · {project.name}",
                project_id=project.pk,
                county_id=project.county_id,
                source_url=_project_url(project.pk, "constraints"),
            )
        ]
    return out


# --- mandatory insurance --------------------------------------------------------------------------------------
def insurance_facts(ids, rule, on_date: dt.date | None = None) -> dict[int, list[Fact]]:
    on_date = on_date or timezone.localdate()
    out: dict[int, list[Fact]] = {}
    rows = (
        Participant.objects.filter(pk__in=ids)
        .insurance_problems(on_date)
        .select_related("project")
        .only(
            "pk",
            "role",
            "enterprise_id",
            "insurance_policy_no",
            "insurance_valid_until",
            "joined_on",
            "project__id",
            "project__name",
            "project__county_id",
        )
    )
    for participant in rows:
        required = MANDATORY_INSURANCE.get(participant.role)
        if participant.insurance_policy_no and participant.insurance_valid_until:
            occurred = participant.insurance_valid_until + dt.timedelta(days=1)
            what = f"{required}已于{participant.insurance_valid_until:%Y-%m-%d}过期"
        else:
            occurred = participant.joined_on if participant.joined_on and participant.joined_on <= on_date else None
            what = f"未投保{required}"
        out[participant.pk] = [
            Fact(
                enterprise_id=participant.enterprise_id,
                behaviour="insurance",
                occurred_on=occurred,
                title=f"{what}（{participant.get_role_display()}） · {participant.project.name}",
                project_id=participant.project_id,
                county_id=participant.project.county_id,
                source_url=_project_url(participant.project_id, "participants"),
            )
        ]
    return out


# --- green pilots ---------------------------------------------------------------------------------------------
def green_pilot_facts(ids, rule) -> dict[int, list[Fact]]:
    out: dict[int, list[Fact]] = defaultdict(list)
    rows = Participant.objects.filter(project_id__in=ids, project__green_pilot=True).values_list(
        "project_id", "enterprise_id", "project__name", "project__county_id"
    )
    for project_id, enterprise_id, name, county_id in rows:
        out[project_id].append(
            Fact(
                enterprise_id=enterprise_id,
                behaviour="green_pilot",
                occurred_on=None,
                title=f"绿色建造试点项目参建 · {name}",
                project_id=project_id,
                county_id=county_id,
                source_url=_project_url(project_id),
            )
        )
    return dict(out)


def register_all() -> None:
    registry.register(
        Source(
            "constraint",
            "约束记录",
            constraint_facts,
            lambda: ConstraintRecord.objects.values_list("pk", flat=True),
        )
    )
    follow.watch("constraint", ConstraintRecord, lambda r: [r.pk])
    follow.watch(
        "constraint",
        Participant,
        lambda p: ConstraintRecord.objects.filter(participant_id=p.pk).values_list("pk", flat=True) if p.pk else [],
    )
    registry.register(
        Source(
            "insurance",
            "参建单位保险",
            insurance_facts,
            lambda: Participant.objects.filter(role__in=list(MANDATORY_INSURANCE)).values_list("pk", flat=True),
            daily=True,
        )
    )
    follow.watch("insurance", Participant, lambda p: [p.pk])
    registry.register(
        Source(
            "green_pilot",
            "绿色建造试点",
            green_pilot_facts,
            lambda: Project.objects.filter(green_pilot=True).values_list("pk", flat=True),
        )
    )
    follow.watch("green_pilot", Project, lambda p: [p.pk])
    follow.watch("green_pilot", Participant, lambda p: [p.project_id])
