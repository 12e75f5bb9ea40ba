"""Credit history made day by day in tests: each step on its own day with the clock pinned, as the product does it
(an entry recorded and its enterprise rescored that day; appeals through the services)."""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

from credit import scoring
from credit.services import decide_appeal, submit_appeal
from tests.credit.factories import make_entry
from tests.factories import UserFactory

TZ = ZoneInfo("Asia/Shanghai")
_ids = itertools.count(1)


@contextmanager
def on(day: dt.date, hour: int = 10):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), TZ), tick=False):
        yield


def record(enterprise, behaviour: str, day: dt.date, document_no: str = "", *, catalogue_points=None, recorded=None):
    """An entry as a source makes it (``factories.make_entry``), recorded on ``recorded`` (default: its own day),
    valued by the rule in force that day, and the enterprise rescored that day."""
    with on(recorded or day):
        return make_entry(
            enterprise,
            behaviour,
            day,
            document_no=document_no,
            title=f"{scoring.BEHAVIOUR_LABELS[behaviour]} · 测试项目{next(_ids)}号楼",
            catalogue_points=catalogue_points,
            source_type="test",
            source_url="",
        )


def appeal(entry, submitted: dt.date, decided: dt.date | None = None, *, withdraw: bool = False):
    unit = UserFactory(role="unit_user", enterprise=entry.enterprise, region=None)
    with on(submitted):
        made = submit_appeal(entry, user=unit, reasons="处罚决定已被复议机关撤销，附复议决定书。")
    if decided:
        city = UserFactory(role="city_admin", region=None)
        with on(decided):
            decide_appeal(made, user=city, withdraw=withdraw, reason="经核查属实。" if withdraw else "理由不成立。")
    return made
