"""What the public sees of a project: one whitelist, one builder.

The public page, the public search, the 永久性标志牌 and the public API render a ``PublicProject`` built here and
never the model: a field that is not listed below cannot reach the public, whatever a template does. Private data
— insurance policy numbers and insurers, phone numbers, legal representatives, internal notes (项目概况, 约束记录),
investment figures, evaluation scores (draft or not) — is simply not copied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from projects.choices import ParticipantRole

# Project fields copied to the public record (the fields × roles test reads these lists).
PUBLIC_PROJECT_FIELDS = (
    "code",
    "name",
    "category",
    "stage",
    "jingpin_status",
    "floor_area",
    "length",
    "planned_start",
    "planned_completion",
    "actual_start",
    "actual_completion",
)
# Participant fields copied: the unit's name, its role and its 项目负责人 (name and post), nothing else.
PUBLIC_PARTICIPANT_FIELDS = ("role", "enterprise.name", "key_person", "key_person_title")

# The responsible units in the order of the seed (建设/勘察/设计/施工/监理), with the title of their 项目负责人.
RESPONSIBLE_ROLES = {
    ParticipantRole.BUILDER: "项目负责人",
    ParticipantRole.SURVEY: "勘察项目负责人",
    ParticipantRole.DESIGN: "设计项目负责人",
    ParticipantRole.CONTRACTOR: "项目经理",
    ParticipantRole.EPC: "项目经理",
    ParticipantRole.SUPERVISOR: "总监理工程师",
    ParticipantRole.CONSULTANT: "项目负责人",
}
ROLE_ORDER = list(RESPONSIBLE_ROLES)


@dataclass(frozen=True)
class PublicUnit:
    role: str
    role_label: str
    name: str
    person: str
    person_title: str


@dataclass(frozen=True)
class PublicAward:
    name: str
    level: str
    year: int
    document_no: str


@dataclass(frozen=True)
class PublicInspection:
    date: dt.date | None
    title: str
    result: str


@dataclass(frozen=True)
class PublicProject:
    public_id: str
    url: str
    code: str
    name: str
    county: str
    location: str
    category: str
    stage: str
    jingpin_status: str
    scale: str
    planned_start: dt.date | None
    planned_completion: dt.date | None
    actual_start: dt.date | None
    actual_completion: dt.date | None
    published_at: dt.datetime | None
    units: list[PublicUnit] = field(default_factory=list)
    awards: list[PublicAward] = field(default_factory=list)
    inspections: list[PublicInspection] = field(default_factory=list)
    complaints_received: int = 0
    complaints_closed: int = 0


@dataclass(frozen=True)
class PublicWithdrawal:
    """What the URL of a withdrawn page still shows (the QR on an installed sign points there): the project's
    name and code, 已撤销公示, the date and the reason the county gave — nothing else of the project."""

    public_id: str
    url: str
    code: str
    name: str
    county: str
    withdrawn_at: dt.datetime
    reason: str


def withdrawal(disclosure) -> PublicWithdrawal:
    project = disclosure.project
    return PublicWithdrawal(
        public_id=disclosure.public_id,
        url=public_path(disclosure.public_id),
        code=project.code,
        name=project.name,
        county=project.county.name,
        withdrawn_at=disclosure.withdrawn_at,
        reason=disclosure.withdrawal_reason,
    )


def public_path(public_id: str) -> str:
    return reverse("disclosure:public-project", args=[public_id])


def _scale(project) -> str:
    if project.floor_area is not None:
        return f"建筑面积 {_plain(project.floor_area)} m²"
    if project.length is not None:
        return f"长度 {_plain(project.length)} m"
    return ""


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value != value.to_integral() else f"{int(value):,}"


# The app that keeps the 双随机一公开 results registers their public read here from its AppConfig.ready() (the
# inspections app, which sits above this one): ``func(project_codes) -> rows`` of the published (confirmed) results
# of those projects, newest first, with public fields only (``project__code``, ``inspected_on``, ``plan__name``,
# ``summary``). With none registered a project shows no inspection results.
_inspection_sources: list = []


def register_inspection_source(func) -> None:
    if func not in _inspection_sources:
        _inspection_sources.append(func)


def _inspection_rows(project_codes: list[str]) -> list[dict]:
    return [row for source in _inspection_sources for row in source(project_codes)]


def published_inspection_results(project) -> list[PublicInspection]:
    """The published (confirmed) 双随机一公开 inspection results of a project, from the registered source."""
    rows = getattr(project, "_public_inspection_rows", None)  # attach_inspection_results() loaded a page at once
    if rows is None:
        rows = _inspection_rows([project.code])
    return [
        PublicInspection(
            date=row.get("inspected_on"),
            title=str(row.get("plan__name") or "监督检查"),
            result=str(row.get("summary") or ""),
        )
        for row in rows
    ]


def attach_inspection_results(disclosures) -> None:
    """One query for the published inspection results of a page of disclosures (a list's rows), not one per row."""
    projects = {d.project.code: d.project for d in disclosures}
    for project in projects.values():
        project._public_inspection_rows = []
    if not projects:
        return
    for row in _inspection_rows(list(projects)):
        projects[row["project__code"]]._public_inspection_rows.append(row)


def public_units(project) -> list[PublicUnit]:
    """The responsible units by role (uses prefetched participants with their enterprise)."""
    units = []
    for p in sorted(project.participants.all(), key=lambda p: (ROLE_ORDER.index(p.role), p.pk)):
        units.append(
            PublicUnit(
                role=p.role,
                role_label=p.get_role_display(),
                name=p.enterprise.name,
                person=p.key_person,
                person_title=p.key_person_title or RESPONSIBLE_ROLES.get(p.role, "项目负责人"),
            )
        )
    return units


def public_awards(project) -> list[PublicAward]:
    return [
        PublicAward(name=r.award.name, level=r.award.get_level_display(), year=r.year, document_no=r.document_no)
        for r in sorted(project.award_records.all(), key=lambda r: (-r.year, r.pk))
    ]


def build(disclosure, *, detail: bool = True) -> PublicProject:
    """The public record of one disclosed project (the project, its participants and awards prefetched).

    ``detail=False`` (search results, the sign) leaves out the inspection results and the complaint counts.
    """
    project = disclosure.project
    received = closed = 0
    if detail:  # annotated by prefetched() through the complaints app's annotator
        received = getattr(disclosure, "complaints_received", 0)
        closed = getattr(disclosure, "complaints_closed", 0)
    return PublicProject(
        public_id=disclosure.public_id,
        url=public_path(disclosure.public_id),
        code=project.code,
        name=project.name,
        county=project.county.name,
        location=disclosure.location,
        category=project.get_category_display(),
        stage=project.get_stage_display(),
        jingpin_status=jingpin_label(project) if detail else project.get_jingpin_status_display(),
        scale=_scale(project),
        planned_start=project.planned_start,
        planned_completion=project.planned_completion,
        actual_start=project.actual_start,
        actual_completion=project.actual_completion,
        published_at=disclosure.published_at,
        units=public_units(project),
        awards=public_awards(project),
        inspections=published_inspection_results(project) if detail else [],
        complaints_received=received,
        complaints_closed=closed,
    )


def prefetched(queryset):
    """A disclosure queryset with what ``build`` reads (a constant number of queries for any number of rows)."""
    queryset = queryset.select_related("project__county").prefetch_related(
        "project__participants__enterprise", "project__award_records__award"
    )
    for annotate in _annotators:
        queryset = annotate(queryset)
    return queryset


# Apps that qualify the 精品工程 title on the public page (evaluation: "（复核中）" while a title is reviewed) register
# a labeller here from their AppConfig.ready(): (project, label) -> label. Applied on the project page (detail).
_jingpin_labels: list = []


def register_jingpin_label(func) -> None:
    if func not in _jingpin_labels:
        _jingpin_labels.append(func)


def jingpin_label(project) -> str:
    label = project.get_jingpin_status_display()
    for func in _jingpin_labels:
        label = func(project, label)
    return label


# Apps that add counts to the public record register an annotator here from their AppConfig.ready() (the
# complaints app adds ``complaints_received`` and ``complaints_closed``), so this app imports none of them.
_annotators: list = []


def register_annotator(func) -> None:
    """``func(queryset of ProjectDisclosure) -> queryset`` with extra annotations for ``build``."""
    if func not in _annotators:
        _annotators.append(func)
