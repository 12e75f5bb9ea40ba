"""Demo data of the 诚信档案: the entries the other apps' demo records make, scored as of the demo's today, and two
appeals (one waiting for the county, one decided) so every page has something to show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from core.seeding import demo_today
from credit import services
from credit.models import CreditAppeal, CreditEntry, CreditScore, CreditStanding

APPEAL_REASONS = [
    "该问题系分包单位所致，我单位已于当日督促整改完毕，并已提交整改照片及监理复查意见，申请撤销该记录。",
    "项目经理当日因参加市局组织的安全培训未在岗，有培训签到表为证，申请撤销该不良记录。",
]


def seed_demo(out) -> None:
    today = demo_today()
    if CreditAppeal.objects.exists():  # seeded before: bring it up to date
        services.reconcile(today)
        return
    services.reconcile(today, rescore_scores=False)
    # A history to look at: the scores month by month from January of the previous year (what the nightly job
    # would have written), instead of everything starting today.
    CreditScore.objects.all().delete()
    CreditStanding.objects.all().delete()
    day = dt.date(today.year - 1, 1, 1)
    while day < today:
        services.rescore_all(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    services.rescore_all(today)
    unit_enterprises = set(
        User.objects.filter(role=User.Role.UNIT_USER, is_active=True).values_list("enterprise_id", flat=True)
    )
    candidates = [
        e
        for e in CreditEntry.objects.bad()
        .in_force_on(today)
        .filter(enterprise_id__in=unit_enterprises, county__isnull=False)
        .exclude(points=0)
        .select_related("enterprise")
        .order_by("occurred_on", "pk")
    ]
    for entry, reasons, decide in zip(candidates[:2], APPEAL_REASONS, (False, True), strict=False):
        user = User.objects.filter(role=User.Role.UNIT_USER, enterprise_id=entry.enterprise_id, is_active=True).first()
        appeal = services.submit_appeal(entry, user=user, reasons=reasons)
        if decide:
            staff = User.objects.filter(role=User.Role.COUNTY_STAFF, region_id=entry.county_id, is_active=True).first()
            if staff is not None:
                services.decide_appeal(
                    appeal, user=staff, withdraw=False, reason="经核查，问题属实且整改超过期限，维持该记录。"
                )
    out.write(
        f"诚信档案：{CreditEntry.objects.count()} 条信用记录，{CreditAppeal.objects.count()} 件信用修复申诉"
        f"（{timezone.localdate():%Y-%m-%d} 计算）\n"
    )
