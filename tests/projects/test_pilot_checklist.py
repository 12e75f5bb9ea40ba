"""Green-construction pilot checklist (seed 003), each point judged from the project's data."""

from decimal import Decimal

import pytest

from projects import services
from tests.projects.factories import MonthlyReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def checklist(project):
    return {item.key: item.met for item in services.pilot_checklist(project)}


def test_a_pilot_meeting_every_point(county):
    project = ProjectFactory(
        county=county,
        green_pilot=True,
        green_star_target="two",
        prefabricated=True,
        prefab_rate=Decimal("55"),
        waste_reduction_target="建筑垃圾不高于300吨/万m²",
        bim_applied=True,
        delivery_mode="epc",
    )
    MonthlyReportFactory(project=project, month=5, status="accepted", green_material_share=Decimal("42"))
    assert checklist(project) == {
        "green_star": True,
        "prefab": True,
        "waste": True,
        "materials": True,
        "bim": True,
        "delivery": True,
    }
    basis = {item.key: item.basis for item in services.pilot_checklist(project)}
    assert basis["materials"] == "最近一期月报绿色建材应用比例42.00%"
    assert basis["prefab"] == "装配式建筑，装配率55.00%"


def test_a_pilot_missing_every_point(county):
    project = ProjectFactory(county=county, green_pilot=True, green_star_target="one", delivery_mode="general")
    MonthlyReportFactory(project=project, month=5, status="draft", green_material_share=Decimal("50"))
    assert set(checklist(project).values()) == {False}


def test_consulting_delivery_and_three_stars_also_meet(county):
    project = ProjectFactory(county=county, green_pilot=True, green_star_target="three", delivery_mode="consulting")
    result = checklist(project)
    assert result["green_star"] and result["delivery"]
