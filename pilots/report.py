"""绿色建造试点通报 (seed 003 五(四) 定期通报): the programme against its quotas, each pilot's state and requirements,
the year's checks and acceptances. Registered in the reports app's generator registry (reports never imports us)."""

from __future__ import annotations

from core.exports import Column
from pilots import overview
from pilots.choices import PilotStatus
from pilots.models import PilotAcceptance, PilotCheck
from pilots.programme import CITY_MINIMUM
from reports.generators.base import ReportGenerator, register
from reports.generators.monthly import validate_year_month
from reports.models import ReportType

COUNTY_COLUMNS = [
    Column("县（市、区）", "county_name", width=14),
    Column("房地产开发项目", "real_estate", "int"),
    Column("政府投资公建项目", "public", "int"),
    Column("已确定试点合计", "total", "int"),
    Column("申报中", "applying", "int"),
    Column("未完成的任务", lambda c: "、".join(c.missing) or "已完成", width=30),
]
PILOT_COLUMNS = [
    Column("县（市、区）", "pilot.project.county.name", width=12),
    Column("项目", "pilot.project.name", width=30),
    Column("类型", lambda r: r.pilot.get_pilot_type_display(), width=14),
    Column("建设单位", "pilot.builder.name", width=24),
    Column("状态", lambda r: r.pilot.get_status_display(), width=14),
    Column("立项日期", "pilot.approved_on", "date"),
    Column("未满足的要求", "unmet_text", width=40),
]
CHECK_COLUMNS = [
    Column("检查日期", "checked_on", "date"),
    Column("县（市、区）", "pilot.project.county.name", width=12),
    Column("项目", "pilot.project.name", width=30),
    Column("不符合项", "unmet_count", "int"),
    Column("问题及建议", "findings", width=50),
]
ACCEPTANCE_COLUMNS = [
    Column("验收日期", "accepted_on", "date"),
    Column("项目", "pilot.project.name", width=30),
    Column("取得标识", lambda a: a.get_achieved_label_display()),
    Column("结论", lambda a: "通过" if a.passed else "未通过"),
    Column("验收意见", "opinion", width=50),
]


class _CityView:
    """The report is the city's: every county, every pilot."""

    is_authenticated = is_active = is_city_admin = True
    is_county_staff = is_expert = is_unit_user = False


@register
class PilotBulletin(ReportGenerator):
    report_type = ReportType.PILOT_BULLETIN
    template_name = "pilots/pdf/pilot_bulletin.html"

    @classmethod
    def validate_params(cls, params):
        return validate_year_month(params, need_month=False)

    @classmethod
    def params_key(cls, params):
        return str(params["year"])

    @classmethod
    def title_for(cls, params):
        return f"晋城市{params['year']}年绿色建造试点工作通报"

    def collect(self):
        year = self.params["year"]
        city = _CityView()
        pilots = list(overview.pilots_for(city))
        prog = overview.programme_for(city, pilots)
        rows = overview.rows(pilots)
        checks = list(
            PilotCheck.objects.filter(checked_on__year=year)
            .select_related("pilot__project__county")
            .order_by("checked_on", "pk")
        )
        acceptances = list(
            PilotAcceptance.objects.filter(accepted_on__year=year)
            .select_related("pilot__project")
            .order_by("accepted_on", "pk")
        )
        by_status = [
            {"label": label, "count": sum(1 for p in pilots if p.status == value)}
            for value, label in PilotStatus.choices
        ]
        return {
            "year": year,
            "programme": prog,
            "city_minimum": CITY_MINIMUM,
            "counties": prog.counties,
            "rows": rows,
            "by_status": by_status,
            "checks": checks,
            "acceptances": acceptances,
            "has_published_data": bool(pilots),
        }

    def summary(self, data):
        prog = data["programme"]
        parts = [
            f"全市已确定绿色建造试点项目{prog.established}个（方案要求不少于{CITY_MINIMUM}个），另有{prog.applying}个在申报评审中。"
        ]
        met = sum(1 for c in prog.counties if c.met)
        parts.append(f"{met}/{len(prog.counties)}个县（市、区）已各确定房地产开发、政府投资公建试点项目。")
        if prog.counties_unmet:
            parts.append(
                "尚未完成的："
                + "；".join(f"{c.county_name}（缺{'、'.join(c.missing)}）" for c in prog.counties_unmet)
                + "。"
            )
        return "".join(parts)

    def sheets(self, data):
        return [
            ("各县试点任务", COUNTY_COLUMNS, data["counties"]),
            ("试点项目", PILOT_COLUMNS, data["rows"]),
            ("定期检查", CHECK_COLUMNS, data["checks"]),
            ("专项评估验收", ACCEPTANCE_COLUMNS, data["acceptances"]),
        ]
