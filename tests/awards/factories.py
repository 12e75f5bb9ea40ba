"""Factories and helpers of the awards tests: a project with its general contractor and 建设单位, the catalogue."""

from __future__ import annotations

import datetime as dt

from accounts.models import EnterpriseKind
from awards.models import Award
from awards.seed import seed_reference
from tests.factories import EnterpriseFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory


class NullOut:
    def write(self, *args, **kwargs):
        pass


def catalogue() -> dict[str, Award]:
    seed_reference(NullOut())
    return {a.name: a for a in Award.objects.all()}


def ensure_enterprise_kinds() -> None:
    """The seven kinds come from a data migration; a transactional (browser) test that ran before flushed them."""
    EnterpriseKind.ensure_all()


def awardable_project(county=None, *, contractor=None, builder=None, **kwargs):
    """A project with one 施工总承包单位 and one 建设单位 (the default path of every award)."""
    ensure_enterprise_kinds()
    extra = {"county": county} if county is not None else {}
    project = ProjectFactory(**extra, **kwargs)
    ParticipantFactory(
        project=project, enterprise=contractor or EnterpriseFactory(kinds=["contractor"]), role="contractor"
    )
    ParticipantFactory(project=project, enterprise=builder or EnterpriseFactory(kinds=["builder"]), role="builder")
    return project


def contractor_of(project):
    return project.participants.get(role__in=["contractor", "epc"]).enterprise


def builder_of(project):
    return project.participants.get(role="builder").enterprise


def d(year, month=6, day=1):
    return dt.date(year, month, day)
