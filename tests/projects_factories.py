"""Factories for the projects app, used by every app's tests."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from projects import services
from projects.models import ConstraintRecord, MonthlyReport, Participant, Project
from tests.factories import CountyFactory, EnterpriseFactory


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"JC-2023-{n:04d}")
    name = factory.Sequence(lambda n: f"测试工程{n}号楼")
    county = factory.SubFactory(CountyFactory)
    year = 2023
    category = "building"
    government_invested = True
    total_investment = Decimal("5000.00")
    floor_area = Decimal("12000.00")
    planned_start = dt.date(2023, 3, 1)
    planned_completion = dt.date(2024, 10, 31)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        project = super()._create(model_class, *args, **kwargs)
        services.project_registered(project)  # as projects.services.create_project does: the other apps' rows
        return project


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = "contractor"
    key_person = "张工"
    insurance_policy_no = factory.Sequence(lambda n: f"PICC-{n:06d}")
    insurer = "中国人民财产保险股份有限公司晋城市分公司"
    insurance_valid_until = dt.date(2030, 12, 31)

    @factory.post_generation
    def enterprise_kind(self, create, extracted, **kwargs):
        """The enterprise has the kind its role needs (role codes are enterprise-kind codes)."""
        if create and not self.enterprise.kinds.filter(code=self.role).exists():
            self.enterprise.kinds.add(self.role)


class ConstraintRecordFactory(DjangoModelFactory):
    class Meta:
        model = ConstraintRecord

    participant = factory.SubFactory(ParticipantFactory)
    kind = "attendance"
    occurred_on = dt.date(2023, 5, 10)
    description = "项目经理连续三日未到岗。"
    required_action = "限期整改，项目经理到岗履职。"
    status = "pending"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        services.constraint_recorded(record)  # as projects.services.add_constraint_record does (evaluation's 复核)
        return record


class MonthlyReportFactory(DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    project = factory.SubFactory(ProjectFactory)
    year = 2023
    month = 6
    status = "draft"
    new_start_area = Decimal("10000.00")
    prefab_area = Decimal("2600.00")
