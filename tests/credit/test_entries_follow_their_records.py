"""Entries are created by the events themselves (issue 24): an award record, a constraint record, a lapsed policy,
a green pilot — and follow their record when it changes or goes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from awards.services import grant_award
from credit.models import CreditEntry, CreditScore, CreditStanding
from credit.services import rescore_all, standings
from tests.awards.factories import awardable_project, catalogue, contractor_of
from tests.factories import UserFactory
from tests.projects_factories import ConstraintRecordFactory, ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_an_award_gives_its_contractor_the_catalogue_points(today):
    awards = catalogue()
    project = awardable_project()
    city = UserFactory(role="city_admin", region=None)
    record = grant_award(
        project,
        user=city,
        award=awards["珏山杯"],
        year=2026,
        grant_date=dt.date(2026, 5, 20),
        document_no="晋市建〔2026〕12号",
    )
    entry = CreditEntry.objects.get(source_type="award", source_id=record.pk)
    assert entry.enterprise == contractor_of(project)
    assert entry.behaviour == "award" and entry.polarity == "good"
    assert entry.points == record.points
    assert entry.document_no == "晋市建〔2026〕12号"
    assert entry.occurred_on == dt.date(2026, 5, 20)
    assert entry.valid_until == dt.date(2029, 5, 19)  # 3 years, the points-ledger window
    standing = standings([entry.enterprise_id])[entry.enterprise_id]
    assert standing.score == Decimal("100") + record.points
    record.delete()
    assert not CreditEntry.objects.filter(source_type="award").exists()
    assert CreditStanding.objects.get(enterprise=entry.enterprise).score == Decimal("100")


def test_a_constraint_record_subtracts_by_severity_and_expelled_is_major(today):
    record = ConstraintRecordFactory(kind="attendance", occurred_on=dt.date(2026, 6, 1))
    entry = CreditEntry.objects.get(source_type="constraint", source_id=record.pk)
    assert (entry.behaviour, entry.points, entry.severity) == ("constraint_minor", Decimal("-2"), "minor")
    assert entry.valid_until == dt.date(2027, 5, 31)
    record.status = "expelled"
    record.save()
    entry = CreditEntry.objects.get(source_type="constraint", source_id=record.pk)
    assert (entry.behaviour, entry.points, entry.severity) == ("constraint_major", Decimal("-10"), "major")
    assert entry.valid_until == dt.date(2028, 5, 31)  # 严重: 2 years
    standing = CreditStanding.objects.get(enterprise=record.participant.enterprise)
    assert (standing.score, standing.grade, standing.major_in_force) == (Decimal("90"), "B", True)


def test_a_major_design_change_is_no_credit_entry(today):
    ConstraintRecordFactory(kind="major_change", occurred_on=dt.date(2026, 6, 1))
    assert not CreditEntry.objects.exists()


def test_a_lapsed_policy_is_an_entry_while_it_lasts(today):
    participant = ParticipantFactory(role="supervisor", insurance_valid_until=dt.date(2026, 5, 31))
    entry = CreditEntry.objects.get(source_type="insurance", source_id=participant.pk)
    assert entry.occurred_on == dt.date(2026, 6, 1)
    assert "监理责任险已于2026-05-31过期" in entry.title
    participant.insurance_valid_until = dt.date(2027, 5, 31)
    participant.save()
    assert not CreditEntry.objects.filter(source_type="insurance").exists()


def test_every_participant_of_a_green_pilot_gets_the_pilot_entry(today):
    project = ProjectFactory(green_pilot=True)
    a = ParticipantFactory(project=project, role="contractor")
    b = ParticipantFactory(project=project, role="builder")
    assert set(
        CreditEntry.objects.filter(behaviour="green_pilot").values_list("enterprise_id", "points", "occurred_on")
    ) == {(a.enterprise_id, Decimal("1.00"), today), (b.enterprise_id, Decimal("1.00"), today)}


def test_history_rows_only_when_the_score_changes(today):
    record = ConstraintRecordFactory(kind="material", occurred_on=dt.date(2026, 6, 1))
    enterprise = record.participant.enterprise
    assert list(CreditScore.objects.filter(enterprise=enterprise).values_list("as_of", "score")) == [
        (today, Decimal("95.00"))
    ]
    rescore_all(today)
    assert CreditScore.objects.filter(enterprise=enterprise).count() == 1
    rescore_all(dt.date(2027, 6, 2))  # the job ran late: the expiry keeps its own day
    assert list(CreditScore.objects.filter(enterprise=enterprise).order_by("as_of").values_list("as_of", "score")) == [
        (today, Decimal("95.00")),
        (dt.date(2027, 6, 1), Decimal("100.00")),
    ]
