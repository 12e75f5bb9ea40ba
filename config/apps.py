"""The project's own apps: the one list (config/settings.py, core/api/schema.py, core/seeding.py and
tests/core/test_import_graph.py read it; tests/core/test_project_apps.py checks that they agree).

Plain strings only: ``core`` reads this module, so it must import no app.

A new app: add it to PROJECT_APPS (with its API area) and to SEED_ORDER.
"""

from __future__ import annotations

# app -> the API area (OpenAPI tag) its operations are listed under, in INSTALLED_APPS order. The order is the
# app registry's: each app's AppConfig.ready() runs in it, so it is also the order of what they register (to-do
# sources, 诚信档案 sources, listeners). ``core`` first; an app's imports of other apps may go either way as long
# as there is no cycle (tests/core/test_import_graph.py).
PROJECT_APPS: dict[str, str] = {
    "core": "组织",
    "accounts": "组织",
    "projects": "项目",
    "evaluation": "评价",
    "awards": "奖励",
    "assessment": "考评",
    "reports": "报表",
    "notifications": "报表",
    "disclosure": "监督",
    "complaints": "监督",
    "inspections": "监督",
    "pilots": "试点",
    "credit": "信用",
}

# The API areas (OpenAPI tags) in the order the documentation lists them, with their descriptions.
API_AREAS: dict[str, str] = {
    "项目": "项目库、参建单位、制约记录、项目月报",
    "评价": "精品工程评价：评价标准、否决项、评价、专家评分表、精品工程库",
    "奖励": "奖项目录、奖励记录、积分台账、丹河杯评选、节约与设计优化奖励",
    "考评": "县（市、区）建筑节能与科技工作月度考评、赋分表、排名",
    "报表": "报表生成与下载、通知",
    "监督": "双随机检查与整改通知单、项目公示、投诉举报台账",
    "试点": "绿色建造试点：申报与策划方案、专家评审、节点、定期检查、专项评估验收、试点工作进度",
    "信用": "诚信档案：信用记录（含省级平台交换数据导出）、信用等级、信用修复申诉、信用评价规则",
    "组织": "区域、单位、用户、API 令牌",
}

# The order of the apps' ``seed.py`` (core.seeding): the order their data needs, not their imports. Every app of
# PROJECT_APPS but ``core`` (which has no seed), once.
SEED_ORDER: list[str] = [
    "accounts",
    "projects",
    "evaluation",
    "awards",
    "inspections",
    "pilots",  # after evaluation (its experts) and inspections (the pilot checklist template)
    "assessment",
    "reports",
    "disclosure",
    "complaints",
    "credit",  # after every app whose records make credit entries
    "notifications",  # last: the to-dos the other apps' demo data asks for
]

DOMAIN_APPS: list[str] = [app for app in PROJECT_APPS if app != "core"]
