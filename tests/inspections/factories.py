"""Factories and builders for the inspections tests."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from inspections.models import InspectionPlan, Inspector
from tests.factories import UserFactory


class InspectorFactory(DjangoModelFactory):
    class Meta:
        model = Inspector

    user = factory.SubFactory(UserFactory, role="expert")
    kind = Inspector.Kind.EXPERT


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = InspectionPlan

    name = factory.Sequence(lambda n: f"2024年第{n}批双随机检查")
    year = 2024
    period_start = dt.date(2024, 3, 1)
    period_end = dt.date(2024, 3, 31)
    project_count = 2
    team_size = 2
    recency_months = 12
