"""Issue 24, done-when: one enterprise driven through a year — an award, a constraint record, an escalated notice
with its 行政处罚, an appeal that withdraws one entry, expiries — with its score and grade checked day by day
against the rule (SPEC §10's default), and afterwards the grade it had on a tender date in the past.

Each event goes through the service a clerk's click calls; the daily job (beat, 00:20) runs every night.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from awards.services import grant_award
from credit import scoring, services
from credit.models import CreditAppeal, CreditEntry, CreditScore
from inspections import rectification as inspections_rectification
from inspections import services as inspections
from projects.services import add_constraint_record
from tests.awards.factories import catalogue
from tests.conftest import at
from tests.factories import UserFactory
from tests.inspections import conftest as inspections_fixtures
from tests.projects_factories import ParticipantFactory

pytestmark = pytest.mark.django_db

projects = inspections_fixtures.projects
contractor = inspections_fixtures.contractor
unit_user = inspections_fixtures.unit_user
roster = inspections_fixtures.roster
plan = inspections_fixtures.plan
drawn = inspections_fixtures.drawn
inspection = inspections_fixtures.inspection

D = dt.date
FIRST, LAST = D(2024, 3, 12), D(2025, 6, 30)
TENDER_DATE = D(2024, 5, 20)

# The entries the year makes, by hand from the default rule ("good: the award catalogue's points … valid 3 years;
# bad: constraint record 一般 −2 / … 严重 −10, escalated notice −3, 行政处罚 −5 … valid 1 year (严重 2 years)"):
# (first day in force, last day in force, points, 严重)
EXPECTED = [
    (D(2024, 3, 25), D(2025, 3, 24), Decimal("-3"), False),  # 整改通知单 escalated on 25 March (deadline 20 March)
    (D(2024, 3, 25), D(2025, 3, 24), Decimal("-5"), False),  # its 行政处罚, 高建罚〔2024〕7号
    (D(2024, 4, 10), D(2027, 4, 9), Decimal("3"), False),  # 珏山杯 (catalogue: 3 points), 3 years
    (D(2024, 5, 6), D(2024, 6, 19), Decimal("-10"), True),  # 资质挂靠 (严重, 2 years) — withdrawn on appeal 20 June
    (D(2024, 6, 3), D(2025, 6, 2), Decimal("-2"), False),  # 项目经理到岗履职不到位 (一般)
    (D(2024, 8, 1), D(2027, 7, 31), Decimal("10"), False),  # 鲁班奖 (catalogue: 10 points)
]


def expected_on(day):
    score = Decimal("100") + sum((p for first, last, p, _ in EXPECTED if first <= day <= last), Decimal("0"))
    major = any(m for first, last, _, m in EXPECTED if first <= day <= last)
    grade = "A" if score >= 105 else "B" if score >= 90 else "C" if score >= 75 else "D"
    return score, grade, major


def test_one_enterprise_through_a_year_day_by_day(inspection, contractor, unit_user, county, county_user, clock):
    awards = catalogue()
    city = UserFactory(role="city_admin", region=None)
    project = inspection.project
    ParticipantFactory(project=project, role="builder")  # the 建设单位 an award's bonus goes through
    participant = project.participants.get(enterprise=contractor)
    notice = None
    appeal = None
    day = FIRST
    while day <= LAST:
        clock.move_to(at(day.year, day.month, day.day, 0, 20))
        services.daily()  # the nightly job
        clock.move_to(at(day.year, day.month, day.day, 10, 0))
        if day == D(2024, 3, 12):
            finding = inspections.add_finding(
                inspection,
                user=county_user,
                description="外脚手架连墙件缺失",
                severity="serious",
                responsible_role="contractor",
                deadline=D(2024, 3, 20),
            )
            notice = finding.notice
        elif day == D(2024, 3, 25):
            inspections_rectification.escalate_notice(
                notice,
                user=county_user,
                note="逾期未整改，责令停工",
                penalty_doc_no="高建罚〔2024〕7号",
                penalty_on=D(2024, 3, 25),
                penalty_note="罚款人民币贰万元",
            )
        elif day == D(2024, 4, 10):
            grant_award(
                project, user=city, award=awards["珏山杯"], year=2024, grant_date=day, document_no="晋市建〔2024〕31号"
            )
        elif day == D(2024, 5, 6):
            add_constraint_record(
                participant,
                {
                    "kind": "affiliation",
                    "occurred_on": day,
                    "description": "项目部主要管理人员非本单位职工，涉嫌挂靠。",
                },
                user=county_user,
            )
        elif day == D(2024, 6, 3):
            add_constraint_record(
                participant,
                {"kind": "attendance", "occurred_on": day, "description": "项目经理连续三日未到岗。"},
                user=county_user,
            )
        elif day == D(2024, 6, 10):
            entry = CreditEntry.objects.get(enterprise=contractor, behaviour="constraint_major")
            appeal = services.submit_appeal(
                entry, user=unit_user, reasons="相关人员已与我单位签订劳动合同并缴纳社保，附合同及社保缴费证明。"
            )
        elif day == D(2024, 6, 20):
            services.decide_appeal(
                appeal, user=county_user, withdraw=True, reason="经核查，劳动合同及社保记录属实，撤销该记录。"
            )
        elif day == D(2024, 8, 1):
            grant_award(
                project, user=city, award=awards["鲁班奖"], year=2024, grant_date=day, document_no="建协〔2024〕18号"
            )
        score, grade, major = expected_on(day)
        shown = services.standings([contractor.pk])[contractor.pk]
        assert (shown.score, shown.grade, shown.major) == (score, grade, major), day
        assert scoring.on_blacklist(shown.grade, shown.major) == (grade == "D" or major), day
        day += dt.timedelta(days=1)

    # The landmarks of the year, spelled out.
    assert expected_on(D(2024, 5, 20)) == (Decimal("85"), "C", True)  # 黑名单 on the tender date
    assert expected_on(D(2024, 6, 20)) == (Decimal("93"), "B", False)  # the appeal withdrew the 严重 entry
    assert expected_on(D(2025, 3, 25)) == (Decimal("111"), "A", False)  # escalation and 处罚 expired
    assert expected_on(LAST) == (Decimal("113"), "A", False)
    # A year later, the tender date in the past: what the record showed then, under which rule version.
    shown, row = services.standing_on(contractor, TENDER_DATE)
    assert (shown.score, shown.grade, shown.major) == (Decimal("85"), "C", True)
    assert row.rule.version == 1 and row.as_of == D(2024, 5, 6)
    # And every other past day as well; the history holds one row per change, not one per day.
    day = FIRST
    while day <= LAST:
        shown, _ = services.standing_on(contractor, day)
        assert (shown.score, shown.grade, shown.major) == expected_on(day), day
        day += dt.timedelta(days=1)
    assert CreditScore.objects.filter(enterprise=contractor).count() == 8
    appeal = CreditAppeal.objects.get()
    assert (appeal.status, appeal.decided_by) == ("withdrawn", county_user)
    assert CreditEntry.objects.get(behaviour="constraint_major").withdrawn_on == D(2024, 6, 20)
