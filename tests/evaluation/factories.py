"""Test data for the evaluation app, built through the services (the same path as production)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from evaluation import services
from evaluation.models import Evaluation, ScoreSheet
from evaluation.seed import seed_reference
from projects.choices import JingpinStatus
from projects.models import Project
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ProjectFactory

DUE = dt.date(2030, 6, 30)


class _Silent:
    def write(self, *args, **kwargs):
        pass


def seed_templates():
    seed_reference(_Silent())


def make_expert(username: str, enterprise=None):
    return UserFactory(role="expert", username=username, enterprise=enterprise or EnterpriseFactory())


def library_project(county, **kwargs) -> Project:
    project = ProjectFactory(county=county, **kwargs)
    Project.objects.filter(pk=project.pk).update(jingpin_status=JingpinStatus.CULTIVATING)
    project.refresh_from_db()
    return project


def open_evaluation(project, manager, experts, year=2023, due_date=DUE) -> Evaluation:
    return services.open_evaluation(project, user=manager, year=year, due_date=due_date, experts=experts)


def items_of(evaluation):
    return services.items_of(evaluation)


def scores_at(evaluation, ratio) -> dict[int, Decimal]:
    """Every item at ``ratio`` of its maximum (2 places, half-up)."""
    ratio = Decimal(str(ratio))
    return {i.pk: (i.max_score * ratio).quantize(Decimal("0.01")) for i in items_of(evaluation)}


def full_scores(evaluation) -> dict[int, Decimal]:
    return {i.pk: i.max_score for i in items_of(evaluation)}


def submit(evaluation, expert, scores) -> ScoreSheet:
    sheet = services.sheet_for(evaluation, expert)
    return services.submit_sheet(sheet, expert, scores=scores)


@pytest.fixture
def templates(db):
    seed_templates()


@pytest.fixture
def experts(db):
    return [make_expert(f"expert_t{i}") for i in range(1, 8)]


@pytest.fixture
def project(county, templates):
    return library_project(county, name="高平市精品示范楼")


def cut(evaluation, scores, element: str, amount) -> dict:
    """Take ``amount`` points off the items of ``element`` (first items first), never below zero."""
    remaining = Decimal(str(amount))
    for item in items_of(evaluation):
        if item.element.element == element and remaining > 0:
            taken = min(scores[item.pk], remaining)
            scores[item.pk] -= taken
            remaining -= taken
    return scores
