"""Credit entries made directly for the lists' tests (the sources' own tests make them from their records):
valued by the rule in force, as ``credit.services.sync_source`` would, then the standings brought to the day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credit.models import CreditEntry
from credit.services import rescore
from tests.credit.factories import TODAY, make_entry


def entry(enterprise, behaviour: str, occurred_on: dt.date, **fields) -> CreditEntry:
    """``make_entry`` valued by the rule in force on ``occurred_on``, not rescored (``score_all`` does it); an entry
    ``withdrawn_on`` a day is withdrawn as an appeal upheld withdraws it."""
    if fields.get("withdrawn_on"):
        fields.setdefault("withdrawn_reason", "申诉成立")
    return make_entry(
        enterprise,
        behaviour,
        occurred_on,
        source_type="test",
        source_url="",
        rule_on=occurred_on,
        rescore=False,
        **fields,
    )


def score_all(enterprises, day: dt.date) -> None:
    rescore([e.pk for e in enterprises], day)


# --- one cast for every list's test: which list each member belongs on by the default rule -----------------------


def cast(day: dt.date = TODAY, county=None) -> dict:
    """Enterprises whose entries put them at known places (default rule, on ``day`` = 2026-06-15):

    * ``a``: 鲁班奖 10 + 示范项目 3 → 113, A → 红榜;
    * ``b``: a 一般 constraint record −2 → 98, B → no list;
    * ``c``: 行政处罚 −5, escalated notice −3, 较重 constraint record −5 → 87, C → 重点监管;
    * ``d``: four 行政处罚 −20 and two 较重 −10 → 70, D → 黑名单 and 重点监管;
    * ``b_major``: a 严重 constraint record −10 → 90, B with a 严重 entry in force → 黑名单;
    * ``a_major``: two awards 20, 示范项目 3, a 严重 −10 → 113, A with a 严重 entry → 黑名单, not 红榜;
    * ``expired_major``: a 严重 entry of 2023 (expired 2024-12-31) and an award 10 → 110, A → 红榜;
    * ``withdrawn_major``: a 严重 entry withdrawn on appeal → 100, B → no list;
    * ``none``: no entry at all → base 100, B, no standing → no list.
    """
    from tests.factories import EnterpriseFactory

    def make(name):
        return EnterpriseFactory(name=name, region=county)

    e = {
        "a": make("甲级守信建设集团有限公司"),
        "b": make("乙等基本守信建筑有限公司"),
        "c": make("丙类风险工程有限公司"),
        "d": make("丁级失信建设有限公司"),
        "b_major": make("挂靠严重建筑有限公司"),
        "a_major": make("获奖但清退建设集团有限公司"),
        "expired_major": make("旧账已过建设有限公司"),
        "withdrawn_major": make("申诉撤销建筑有限公司"),
        "none": make("无记录建设有限公司"),
    }
    ten = Decimal("10")
    entry(e["a"], "award", dt.date(2025, 12, 1), document_no="建质〔2025〕88号", catalogue_points=ten)
    entry(e["a"], "demonstration", dt.date(2026, 1, 10), document_no="晋市建〔2026〕3号")
    entry(e["b"], "constraint_minor", dt.date(2026, 3, 1))
    entry(e["c"], "penalty", dt.date(2026, 2, 1), document_no="晋市建罚〔2026〕7号")
    entry(e["c"], "notice_escalated", dt.date(2026, 4, 1), document_no="泽建整〔2026〕15号")
    entry(e["c"], "constraint_serious", dt.date(2026, 5, 1))
    for i in range(4):
        entry(e["d"], "penalty", dt.date(2026, 1, 5 + i), document_no=f"晋市建罚〔2026〕{20 + i}号")
    entry(e["d"], "constraint_serious", dt.date(2026, 2, 1))
    entry(e["d"], "constraint_serious", dt.date(2026, 5, 20), document_no="高建约〔2026〕2号")
    entry(e["b_major"], "constraint_major", dt.date(2026, 5, 5), document_no="晋市建约〔2026〕9号")
    entry(e["a_major"], "award", dt.date(2025, 6, 1), document_no="建质〔2025〕12号", catalogue_points=ten)
    entry(e["a_major"], "award", dt.date(2025, 12, 1), document_no="建质〔2025〕89号", catalogue_points=ten)
    entry(e["a_major"], "demonstration", dt.date(2026, 1, 10), document_no="晋市建〔2026〕4号")
    entry(e["a_major"], "constraint_major", dt.date(2026, 4, 1), document_no="晋市建约〔2026〕5号")
    entry(e["expired_major"], "constraint_major", dt.date(2023, 1, 1), document_no="晋市建约〔2023〕1号")
    entry(e["expired_major"], "award", dt.date(2025, 12, 1), document_no="建质〔2025〕90号", catalogue_points=ten)
    entry(
        e["withdrawn_major"],
        "constraint_major",
        dt.date(2026, 3, 1),
        document_no="晋市建约〔2026〕2号",
        withdrawn_on=dt.date(2026, 4, 1),
    )
    score_all(e.values(), day)
    return e
