"""core.api.rows.FastRowsMixin builds exactly the rows DRF would: every row of every list that uses it, on the demo
data, compared field by field with DRF's own representation; plus the rows where the fast path must fall back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIRequestFactory

from assessment.api.serializers import SubmissionListSerializer
from assessment.models import Submission
from awards.api.serializers import AwardRecordSerializer
from awards.models import AwardRecord
from core.api.rows import FastRowsMixin
from credit.api.serializers import CreditEntrySerializer, CreditStandingSerializer
from credit.models import CreditEntry, CreditStanding
from evaluation.api.serializers import EvaluationListSerializer
from evaluation.models import Evaluation
from projects.api import serializers as ps
from projects.models import ConstraintRecord, MonthlyReport, Participant, Project
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db

LISTS = [
    (ps.ProjectSerializer, Project),
    (ps.ParticipantSerializer, Participant),
    (ps.ConstraintRecordSerializer, ConstraintRecord),
    (ps.MonthlyReportSerializer, MonthlyReport),
    (SubmissionListSerializer, Submission),
    (EvaluationListSerializer, Evaluation),
    (AwardRecordSerializer, AwardRecord),
    (CreditEntrySerializer, CreditEntry),
    (CreditStandingSerializer, CreditStanding),
]


def _context(user):
    request = APIRequestFactory().get("/")
    request.user = user
    return {"request": request}


@pytest.mark.parametrize(("serializer_class", "model"), LISTS, ids=[m.__name__ for _, m in LISTS])
def test_every_demo_row_is_the_row_drf_builds(demo_data, serializer_class, model):
    from accounts.models import User

    assert issubclass(serializer_class, FastRowsMixin)
    admin = User.objects.get(username="admin")
    rows = list(model.objects.all()[:400])
    assert rows, f"the demo has {model.__name__} rows"
    serializer = serializer_class(context=_context(admin))
    for obj in rows:
        fast = serializer.to_representation(obj)
        assert fast == serializer.drf_representation(obj), obj.pk
        assert list(fast) == list(serializer.drf_representation(obj))  # same keys in the same order


def test_nulls_decimals_dates_and_datetimes_match(db, county, city_admin):
    project = ProjectFactory(
        county=county,
        total_investment=Decimal("1234.5"),
        floor_area=None,
        length=Decimal("0"),
        planned_start=dt.date(2023, 2, 1),
        actual_start=None,
        prefab_rate=None,
        description="",
    )
    ParticipantFactory(project=project, insurance_valid_until=dt.date(2000, 1, 1))
    serializer = ps.ProjectSerializer(context=_context(city_admin))
    obj = Project.objects.select_related("county").prefetch_related("participants__enterprise").get(pk=project.pk)
    fast = serializer.to_representation(obj)
    assert fast == serializer.drf_representation(obj)
    assert fast["total_investment"] == serializer.drf_representation(obj)["total_investment"]
    assert fast["floor_area"] is None and fast["planned_start"] == "2023-02-01"
    assert fast["insurance_warnings"], "the expired insurance is warned about"


def test_a_dotted_source_through_none_takes_drfs_path(db, county, city_admin):
    """A read-only dotted field whose chain meets None is left out by DRF; the fast path must agree."""
    from rest_framework import serializers

    class WithChain(FastRowsMixin, serializers.ModelSerializer):
        changer = serializers.CharField(source="status_changed_by.username", read_only=True)

        class Meta:
            model = ConstraintRecord
            fields = ["id", "changer"]

    participant = ParticipantFactory(project=ProjectFactory(county=county))
    record = ConstraintRecord.objects.create(
        participant=participant, kind="other", occurred_on=dt.date(2023, 1, 2), description="x"
    )
    serializer = WithChain(context=_context(city_admin))
    assert serializer.to_representation(record) == serializer.drf_representation(record)
