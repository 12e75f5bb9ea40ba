"""The daily job (credit.services.daily) is wired: the beat schedules a registered task every night, and the task
brings every score to its day — an entry that expired overnight stops counting, the history keeps the day it
happened — and a second run the same day changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.conf import settings

from config.celery import app
from credit.models import CreditScore, CreditStanding
from credit.tasks import credit_daily
from tests.credit.recording import on, record
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_the_beat_runs_the_credit_job_every_night_after_midnight():
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "credit.tasks.credit_daily"]
    assert entry["schedule"] == crontab(hour="0", minute="20")
    app.loader.import_default_modules()  # what a worker does at start (autodiscover_tasks)
    assert "credit.tasks.credit_daily" in app.tasks


def test_the_job_ends_an_expired_entry_on_its_day_and_a_second_run_changes_nothing():
    enterprise = EnterpriseFactory()
    record(enterprise, "penalty", dt.date(2025, 3, 10), "晋市建罚〔2025〕1号")  # in force through 2026-03-09
    assert CreditStanding.objects.get(enterprise=enterprise).score == Decimal("95.00")
    with on(dt.date(2026, 3, 12), hour=0):  # the job did not run for two nights
        assert credit_daily.delay().get()["scores_written"] == 1
        credit_daily.delay()
    assert list(CreditScore.objects.filter(enterprise=enterprise).order_by("as_of").values_list("as_of", "score")) == [
        (dt.date(2025, 3, 10), Decimal("95.00")),
        (dt.date(2026, 3, 10), Decimal("100.00")),
    ]
    standing = CreditStanding.objects.get(enterprise=enterprise)
    assert (standing.score, standing.grade, standing.checked_on) == (Decimal("100.00"), "B", dt.date(2026, 3, 12))
