"""Helpers for the assessment tests: the seeded 2023 rubric, targets and ready-made submissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from assessment import services
from assessment.models import AnnualTarget, Submission
from assessment.seed import DEMO_PDF, seed_rubric

SHANGHAI = ZoneInfo("Asia/Shanghai")

# 高平市, June 2023 (the worked example), 万m² year to date
GAOPING_JUNE = {
    "new_building_area": "30.00",
    "renewable_area": "12.34",
    "retrofit_residential_area": "3.5",
    "retrofit_public_area": "1",
    "green_area_accepted": "21.50",
    "green_area_star_rated": "8.00",
    "prefab_area": "7.80",
    "energy_standard_full": True,
    "no_unrectified_findings": True,
    "residential_in_reserve": True,
    "public_in_reserve": True,
    "green_standard_all": True,
    "star_design_filed": True,
    "bim_met": True,
    "rd_ledger_submitted": True,
    "sci_tech_met": False,
    "green_label_two_star": 1,
    "green_material_pilots": 1,
    "green_material_certifications": 0,
    "innovation_projects": 0,
}
REPORT = {
    "report_tasks": "各项任务按序时推进。",
    "report_progress": "召开推进会。",
    "report_problems": "装配式比例偏低。",
    "report_other": "",
    "self_score": "73.53",
}


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def target(county, year=2023, residential="7", public="3", **extra) -> AnnualTarget:
    """The county's targets (and the seeded 2023 rubric)."""
    seed_rubric(year)
    return AnnualTarget.objects.update_or_create(
        county=county,
        year=year,
        defaults={"retrofit_residential_area": Decimal(residential), "retrofit_public_area": Decimal(public), **extra},
    )[0]


def attach_evidence(sub: Submission, user, codes=None) -> None:
    """印证材料 for ``codes`` (default: every item that requires it), one small PDF each — 无印证材料的不计分."""
    if codes is None:
        codes = list(sub.rubric.items.filter(requires_evidence=True).values_list("code", flat=True))
    files = [(code, ContentFile(DEMO_PDF, name=f"{code}印证材料.pdf")) for code in codes]
    if files:
        services.upload_evidence_set(sub, files, user=user)


def filled_submission(county, user, month=6, data=None, year=2023, evidence=True) -> Submission:
    """A draft with the worked example's figures (or ``data``), a complete report and (unless ``evidence`` is
    False) 印证材料 for every item, so it scores as the worked example."""
    seed_rubric(year)
    sub = services.get_or_create_submission(county, year, month, user=user)
    if evidence:
        attach_evidence(sub, user)
    return services.update_submission(sub, {**(data or GAOPING_JUNE), **REPORT}, user=user)


def submitted(county, user, month=6, at=None, data=None, year=2023, evidence=True) -> Submission:
    sub = filled_submission(county, user, month, data, year, evidence)
    return services.submit(sub, user=user, now=at or local(year, month, 10, 9, 0))


def approved(county, user, city_admin, month=6, **kwargs) -> Submission:
    return services.approve(submitted(county, user, month, **kwargs), user=city_admin)


def published(county, user, city_admin, month=6, **kwargs) -> Submission:
    return services.publish(approved(county, user, city_admin, month, **kwargs), user=city_admin)
