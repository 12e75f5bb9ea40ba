"""``manage.py sync_credit``: the record built from existing data after an upgrade (the start-up script runs it with
``--if-empty``), idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from credit import follow
from credit.models import CreditEntry, CreditStanding
from tests.projects_factories import ConstraintRecordFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("sync_credit", *args, stdout=out)
    return out.getvalue()


def test_records_written_before_the_credit_app_get_their_entries_once(clock):
    with follow.suspended():  # as rows written before this release: no entry followed them
        record = ConstraintRecordFactory(kind="material", occurred_on=dt.date(2024, 3, 1))
    assert not CreditEntry.objects.exists()
    assert "1 家单位" in run("--if-empty")
    entry = CreditEntry.objects.get()
    assert (entry.source_type, entry.source_id, entry.behaviour) == ("constraint", record.pk, "constraint_serious")
    assert CreditStanding.objects.get(enterprise=record.participant.enterprise).score == 95
    assert "跳过" in run("--if-empty")
    assert "0 家单位" in run()  # a full run again changes nothing
    assert CreditEntry.objects.count() == 1


def test_a_bad_date_is_refused_in_chinese():
    with pytest.raises(Exception) as exc:
        run("--today", "2024-13-01")
    assert "YYYY-MM-DD" in str(exc.value)
