"""A small credit year built day by day (2025), for the annual report's 诚信体系建设 section.

Each step happens on its own day (the clock pinned), as the product would have done it: an entry recorded and the
enterprise rescored that day, appeals submitted and decided through the services, the daily job on 12-31. What the
section must print for 2025, worked out by hand from the default rule (base 100; award: catalogue points, green
pilot +1, valid 3 years; constraint 较重 −5 / 严重 −10 (2 years), escalated notice −3, 行政处罚 −5, complaint −1,
1 year; A ≥ 105, B ≥ 90, C ≥ 75, D below; 黑名单: D or a 严重 entry in force):

* 甲 (甲级建设): a 一般 constraint in 2024 (appealed and kept in 2024); in 2025 an award (10) and a green pilot
  (+1): 111, A.
* 乙 (乙方工程): 行政处罚 3号 on 03-15 (−5), escalated notice 06-01 (−3) → 92; the penalty withdrawn on appeal
  09-10 → 97, B. A 严重 constraint on 2026-01-10 comes after the year end: not on the year-end 黑名单.
* 丙 (丙辰建工): 严重 constraint 02-01 (−10) → 90 B; 行政处罚 9号 on 11-20 (−5) → 85, C, 严重 in force: 黑名单
  (reason: the 严重 constraint). Its appeal on the penalty is kept.
* 丁 (丁卯建设): 严重 constraint 2024-06-01 (−10, to 2026-05-31) and 行政处罚 2024-12-20 (−5, to 2025-12-19);
  2025: 行政处罚 7号 07-01, 较重 constraint 08-01, 行政处罚 8号 09-01 (−5 each), complaint 10-01 (−1) → 69; the 2024
  penalty expires on 12-20 (the daily job of 12-31 finds it) → 74, D: 黑名单 with its five bad entries in force
  (not the expired penalty). A complaint dated 2025-12-15 but recorded on 2026-02-01 counts among the entries of
  2025, but not in the year-end grade or reasons (the record did not hold it then). Its appeal on the 10-01
  complaint is pending.
* 戊 (戊戌劳务): its first entry is 2026-01-15 (行政处罚 2026 1号): no score row by 2025-12-31, counted at base B.

Year end: A 1, B 2 (1 without a row), C 1, D 1 of 5. Entries of 2025: good 2 (+11), bad 9 of which 1 withdrawn
(−35 without it); 行政处罚 4 (3号 withdrawn, 7号, 8号, 9号). Appeals of 2025: 3 (1 withdrawn, 1 kept, 1 pending).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credit.tasks import credit_daily
from tests.credit.recording import appeal, on, record
from tests.factories import EnterpriseFactory

REPORT_DAY = dt.date(2026, 3, 1)  # the 2025 report is built then


def build_year() -> dict:
    """The five enterprises of the module docstring, built in date order; returns them by their short name."""
    jia = EnterpriseFactory(name="甲级建设有限公司")
    yi = EnterpriseFactory(name="乙方工程有限公司")
    bing = EnterpriseFactory(name="丙辰建工集团有限公司")
    ding = EnterpriseFactory(name="丁卯建设有限公司", legal_representative="王建国", contact_phone="13800001111")
    wu = EnterpriseFactory(name="戊戌劳务有限公司")

    minor = record(jia, "constraint_minor", dt.date(2024, 3, 1), "高建约〔2024〕1号")
    appeal(minor, dt.date(2024, 4, 1), dt.date(2024, 4, 15), withdraw=False)
    record(ding, "constraint_major", dt.date(2024, 6, 1), "晋市建约〔2024〕6号")
    record(ding, "penalty", dt.date(2024, 12, 20), "晋市建罚〔2024〕30号")

    record(bing, "constraint_major", dt.date(2025, 2, 1), "高建约〔2025〕2号")
    yi_penalty = record(yi, "penalty", dt.date(2025, 3, 15), "晋市建罚〔2025〕3号")
    record(jia, "award", dt.date(2025, 4, 10), "晋市建〔2025〕20号", catalogue_points=Decimal("10"))
    record(jia, "green_pilot", dt.date(2025, 5, 1))
    record(yi, "notice_escalated", dt.date(2025, 6, 1), "高建整〔2025〕11号")
    record(ding, "penalty", dt.date(2025, 7, 1), "晋市建罚〔2025〕7号")
    record(ding, "constraint_serious", dt.date(2025, 8, 1), "晋市建约〔2025〕8号")
    appeal(yi_penalty, dt.date(2025, 8, 20), dt.date(2025, 9, 10), withdraw=True)
    record(ding, "penalty", dt.date(2025, 9, 1), "晋市建罚〔2025〕8号")
    complaint = record(ding, "complaint", dt.date(2025, 10, 1), "晋市建诉〔2025〕5号")
    bing_penalty = record(bing, "penalty", dt.date(2025, 11, 20), "晋市建罚〔2025〕9号")
    appeal(bing_penalty, dt.date(2025, 12, 1), dt.date(2025, 12, 5), withdraw=False)
    appeal(complaint, dt.date(2025, 12, 20))
    with on(dt.date(2025, 12, 31), hour=0):
        credit_daily.delay()  # the beat's daily job: 丁's 2024 penalty expired on 12-20

    record(yi, "constraint_major", dt.date(2026, 1, 10), "晋市建约〔2026〕1号")
    record(wu, "penalty", dt.date(2026, 1, 15), "晋市建罚〔2026〕1号")
    record(ding, "complaint", dt.date(2025, 12, 15), "晋市建诉〔2025〕9号", recorded=dt.date(2026, 2, 1))
    return {"甲": jia, "乙": yi, "丙": bing, "丁": ding, "戊": wu}
