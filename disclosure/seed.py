"""Demo data of the disclosure app: a few projects per county have a published public page, one page has been
withdrawn (its URL — the QR on the sign — shows 已撤销公示 with the date and the reason), the rest from 施工 on
are left unpublished so the coverage panel has something to show."""

from __future__ import annotations

from accounts.models import User
from disclosure import services
from disclosure.models import ProjectDisclosure
from projects.choices import Stage
from projects.models import Project

DEMO_PER_COUNTY = 3
SHOWN_STAGES = (Stage.CONSTRUCTION, Stage.ACCEPTANCE, Stage.OPERATION)
STREETS = ("中原街", "凤台街", "泽州路", "红星街", "白马寺路", "兰花路", "文昌街")
DEMO_WITHDRAWAL_REASON = "建设单位项目负责人已变更，公示信息待核实更新后重新公示"


def seed_demo(out) -> None:
    admin = User.objects.filter(role=User.Role.CITY_ADMIN, is_active=True).order_by("pk").first()
    if admin is None:
        return
    created = 0
    for project in (
        Project.objects.filter(stage__in=SHOWN_STAGES).select_related("county").order_by("county__order", "code")
    ):
        shown = ProjectDisclosure.objects.filter(project__county=project.county).reachable().count()
        if shown >= DEMO_PER_COUNTY:
            continue
        disclosure = services.disclosure_for(project)
        if disclosure.published or disclosure.withdrawn_at:
            continue
        street = STREETS[project.pk % len(STREETS)]
        location = disclosure.location or f"晋城市{project.county.name}{street}{project.pk % 90 + 10}号"
        services.publish(project, user=admin, location=location)
        created += 1
    withdrawn = ProjectDisclosure.objects.withdrawn().select_related("project").first()
    if withdrawn is None:
        last = ProjectDisclosure.objects.published().select_related("project").order_by("project__code").last()
        if last is not None:
            withdrawn = services.withdraw(last.project, user=admin, reason=DEMO_WITHDRAWAL_REASON)
    out.write(f"项目公示：{created} 个项目新公示。")
    if withdrawn is not None:
        out.write(f"项目公示：{withdrawn.project.name}已撤销公示（公示页 /disclosure/p/{withdrawn.public_id}/）。")
