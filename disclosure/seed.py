"""Demo data of the disclosure app: a few projects per county have a published public page."""

from __future__ import annotations

from django.utils import timezone

from disclosure.models import ProjectDisclosure
from projects.models import Project, Stage

DEMO_PER_COUNTY = 3
SHOWN_STAGES = (Stage.CONSTRUCTION, Stage.ACCEPTANCE, Stage.OPERATION)
STREETS = ("中原街", "凤台街", "泽州路", "红星街", "白马寺路", "兰花路", "文昌街")


def seed_demo(out) -> None:
    created = 0
    for project in (
        Project.objects.filter(stage__in=SHOWN_STAGES).select_related("county").order_by("county__order", "code")
    ):
        if ProjectDisclosure.objects.filter(project__county=project.county, published=True).count() >= DEMO_PER_COUNTY:
            continue
        disclosure, new = ProjectDisclosure.objects.get_or_create(project=project)
        if not disclosure.published:
            street = STREETS[project.pk % len(STREETS)]
            disclosure.location = disclosure.location or f"晋城市{project.county.name}{street}{project.pk % 90 + 10}号"
            disclosure.published = True
            disclosure.published_at = timezone.now()
            disclosure.save()
            created += 1
    out.write(f"项目公示：{created} 个项目新公示。")
