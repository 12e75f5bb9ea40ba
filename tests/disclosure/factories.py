"""A disclosed project with public and private data side by side."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.models import Enterprise
from disclosure import services
from projects.models import ConstraintRecord
from tests.factories import EnterpriseFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory


def _enterprise(name, **kwargs):
    return Enterprise.objects.filter(name=name).first() or EnterpriseFactory(name=name, **kwargs)


def disclosed_project(county, user, *, publish=True, name="滨河花园3号楼", location="晋城市高平市滨河路18号"):
    project = ProjectFactory(
        county=county,
        name=name,
        stage="construction",
        description="内部备注：甲方资金紧张",
        total_investment=Decimal("98765.43"),
        actual_start=dt.date(2023, 4, 1),
    )
    builder = _enterprise(
        name=f"{county.name}城投建设有限公司",
        kinds=["builder"],
        contact_phone="13800001111",
        legal_representative="法人甲",
    )
    contractor = _enterprise(name="山西建投第三建筑工程有限公司", contact_phone="0356-2229999")
    ParticipantFactory(
        project=project, enterprise=builder, role="builder", key_person="王建国", insurance_policy_no="", insurer=""
    )
    main = ParticipantFactory(
        project=project,
        enterprise=contractor,
        role="contractor",
        key_person="李项目",
        key_person_title="项目经理",
        insurance_policy_no="PICC-SECRET-0001",
        insurer="中国人民财产保险秘密分公司",
    )
    ParticipantFactory(project=project, role="supervisor", key_person="赵总监", insurance_policy_no="JL-SECRET-7")
    ConstraintRecord.objects.create(
        participant=main, kind="attendance", occurred_on=dt.date(2023, 6, 1), description="约束记录内部情况"
    )
    if publish:
        services.publish(project, user=user, location=location)
    return project


def signable_project(county, user, *, name="滨河花园3号楼", stage="acceptance"):
    """A published project at 竣工验收 with all five responsible parties and their 项目负责人 (its sign may print)."""
    project = disclosed_project(county, user, name=name)
    ParticipantFactory(project=project, role="survey", key_person="孙勘察", key_person_title="勘察项目负责人")
    ParticipantFactory(project=project, role="design", key_person="周设计", key_person_title="设计项目负责人")
    project.stage = stage
    project.save(update_fields=["stage"])
    return project
