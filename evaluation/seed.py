"""Reference data (criteria templates, veto items) and demo evaluations.

The scoring items paraphrase seed 000 §三 (the six elements) and the stage duties of §四, one template per
category for which the seed asks for 精品工程 standards (房屋建筑、市政道路及桥梁、人居环境综合提升、园林绿化).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.models import User
from core.seeding import demo_today, demo_years
from evaluation import services
from evaluation.choices import Element, VetoKind
from evaluation.models import DEFAULT_WEIGHTS, CertificationReview, CriteriaTemplate, Evaluation, ScoreSheet, VetoItem
from projects import services as project_services
from projects.choices import GENERAL_CONTRACTOR_ROLES, Category, JingpinStatus
from projects.models import ConstraintRecord, Participant, Project

# Items shared by every category, per element: (text, max). Category-specific items are added below.
COMMON_ITEMS: dict[str, list[tuple[str, str]]] = {
    Element.DESIGN: [
        ("设计理念以人为本、立足县情，赋予项目文化内涵和风格特点", "4"),
        ("弘扬历史文化、反映时代特征，鼓励自主创新", "3"),
        ("注重投资效益与资源节约，方案经充分论证，达到资源成本最优", "4"),
    ],
    Element.FEATURE: [
        ("找准定位、突出特色，做到“人无我有、人有我优、人优我特”", "5"),
        ("传承和发扬泽州特色，体现地域建筑文化内涵", "4"),
    ],
    Element.GREEN: [
        ("水资源利用达到相关规范要求", "3"),
        ("土地集约利用、材料消耗控制达到相关规范要求", "3"),
        ("实施绿色施工技术，环境保护措施到位，低排放、少污染", "4"),
    ],
    Element.SAFETY: [
        ("安全生产责任制度化、标准化落实，无安全隐患", "5"),
        ("文明施工、现场精细化管理，施工现场形象良好", "4"),
        ("采取有效措施降低施工作业对群众生活的影响", "3"),
        ("安全文明施工发挥示范引领作用（文明工地、标化工地）", "3"),
    ],
    Element.QUALITY: [
        ("落实《工程质量安全手册》，建立质量责任标识制度，质量管理标准化", "5"),
        ("主要材料和构配件进场管理溯源体系健全，质量责任可追溯", "4"),
        ("落实细节、关键节点、关键工序和样板先行控制，全过程精心操作、严格控制", "6"),
        ("符合工程建设标准和国家验收规范，内在品质和外在质量经得起检验", "6"),
        ("推广应用新技术、新材料、新工艺、新设备，可作为工程项目样板", "4"),
    ],
    Element.FUNCTION: [
        ("满足使用安全和使用功能要求，功能齐全", "4"),
        ("技术先进、性能优良，可靠性、耐久性、经济性满足要求", "4"),
        ("保修维护责任落实，设计寿命期内功能完善、使用效益良好", "3"),
        ("舒适便利，用户满意、公众认同度高", "4"),
    ],
}

# Category-specific items (they complete each element to its weight).
CATEGORY_ITEMS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "building": {
        Element.DESIGN: [("建筑体量、外型与功能定位合理，应用BIM等信息化设计技术", "4")],
        Element.FEATURE: [("建筑立面与空间形态具有辨识度，积极采用装配式建造", "6")],
        Element.GREEN: [("达到绿色建筑星级目标，鼓励低能耗、超低能耗建筑实践", "5")],
    },
    "municipal": {
        Element.DESIGN: [("道路选址、纵断和横断面设计经专家论证，线形与交通组织合理", "4")],
        Element.FEATURE: [("桥梁、道路景观与城市风貌协调，节点设计具有特色", "6")],
        Element.GREEN: [("路面材料循环利用，海绵城市与雨水收集措施落实", "5")],
    },
    "habitat": {
        Element.DESIGN: [("整体规划统筹人居环境、公共服务与基础设施，方案充分征求群众意见", "4")],
        Element.FEATURE: [("改造保留乡土风貌与历史记忆，形成可复制推广的经验", "6")],
        Element.GREEN: [("垃圾与污水治理、村容村貌整治成效明显", "5")],
    },
    "landscape": {
        Element.DESIGN: [("植物配置与景观空间布局科学，因地制宜、适地适树", "4")],
        Element.FEATURE: [("园林景观体现地方文化元素，季相变化与景观特色鲜明", "6")],
        Element.GREEN: [("乡土树种与节水灌溉应用，苗木成活率与绿化覆盖率达标", "5")],
    },
}

VETO_ITEMS = [
    (VetoKind.QUALITY_ACCIDENT, "发生质量事故", "项目参建单位有质量事故记录（任何状态）。"),
    (VetoKind.SAFETY_ACCIDENT, "发生安全事故", "项目参建单位有安全事故记录（任何状态）。"),
    (VetoKind.OPEN_CONSTRAINT, "存在未整改或清退出场的约束记录", "约束记录状态为“待整改”或“清退出场”。"),
    (
        VetoKind.INSURANCE,
        "未按要求投保或保险过期",
        "总承包、监理、勘察、设计单位未提供或已过期的责任保险（种子文件000 六(二)）。",
    ),
    (
        VetoKind.OVERDUE_FINDING,
        "“双随机”检查发现问题逾期未整改",
        "“双随机、一公开”检查下达的整改通知单已过整改期限仍未整改销号。",
    ),
]


def default_template_data(category: str) -> list[dict]:
    data = []
    for element in Element:
        items = COMMON_ITEMS[element] + CATEGORY_ITEMS[category].get(element, [])
        data.append(
            {
                "element": element.value,
                "weight": DEFAULT_WEIGHTS[element],
                "items": [{"text": text, "max_score": Decimal(m)} for text, m in items],
            }
        )
    return data


def seed_reference(out) -> None:

    for order, (kind, name, description) in enumerate(VETO_ITEMS, start=1):
        VetoItem.objects.get_or_create(kind=kind, defaults={"name": name, "description": description, "order": order})
    created = 0
    for category in Category.values:
        if not CriteriaTemplate.objects.filter(category=category).exists():
            services.create_template(
                category,
                default_template_data(category),
                user=None,
                note="默认评价标准（依据种子文件000 三、评价标准）",
            )
            created += 1
    out.write(f"评价标准：新建{created}个默认版本；一票否决项{VetoItem.objects.count()}项。")


# --- demo -------------------------------------------------------------------------------------------
def _scores_for(items, level: Decimal, jitter: int) -> dict[int, Decimal]:
    """Scores at ``level`` (fraction of each maximum), varied a little per expert, within [0, max]."""
    scores = {}
    for n, item in enumerate(items):
        delta = Decimal(((n + jitter) % 3) - 1) * Decimal("0.02")
        ratio = min(Decimal("1"), max(Decimal("0"), level + delta))
        scores[item.pk] = (item.max_score * ratio).quantize(Decimal("0.01"))
    return scores


def seed_demo(out) -> None:
    if Evaluation.objects.exists():
        out.write("评价演示数据已存在，跳过。")
        return
    if not Project.objects.exists():
        out.write("尚无项目，跳过评价演示数据。")
        return
    experts = list(User.objects.filter(username__in=[f"expert{i}" for i in range(1, 7)]).order_by("username"))
    if len(experts) < 3:
        out.write("演示专家不足3名，跳过评价演示数据。")
        return

    def staff_for(project):
        return User.objects.filter(role=User.Role.COUNTY_STAFF, region=project.county).first()

    def panel_for(project, size):
        free = [e for e in experts if services.conflict_reason(project, e) is None]
        return free[:size] if len(free) >= 3 else None

    def clean(project):
        """No veto: no accident or open constraint record, insurance in order."""
        records = ConstraintRecord.objects.filter(participant__project=project)
        if (
            records.filter(kind__in=["quality_accident", "safety_accident"]).exists()
            or records.filter(status__in=["pending", "expelled"]).exists()
        ):
            return False
        return not any(p.insurance_problem() for p in Participant.objects.filter(project=project))

    by_county: dict[int, list] = {}
    for p in (
        Project.objects.filter(jingpin_status__in=[JingpinStatus.NONE, JingpinStatus.CULTIVATING])
        .select_related("county")
        .order_by("county__order", "code")
    ):
        if staff_for(p) is not None:
            by_county.setdefault(p.county_id, []).append(p)
    candidates = []  # round-robin over the counties, so the demo spreads across them
    while any(by_county.values()):
        for queue in by_county.values():
            if queue:
                candidates.append(queue.pop(0))
    clean_projects = [p for p in candidates if clean(p) and panel_for(p, 3)]
    # the first one gets the largest panel available (5 experts show the trimming of highest and lowest)
    five = next((p for p in clean_projects if len(panel_for(p, 5)) == 5), None)
    if five is not None:
        clean_projects.remove(five)
        clean_projects.insert(0, five)
    vetoed = [p for p in candidates if not clean(p) and panel_for(p, 3)]
    plan = []  # (project, level, panel size, close?)
    for project, level, size in zip(clean_projects[:3], ("0.93", "0.90", "0.88"), (5, 3, 4), strict=False):
        plan.append((project, Decimal(level), size, True))
    if len(clean_projects) > 3:
        plan.append((clean_projects[3], Decimal("0.78"), 3, True))  # failed by score
    if vetoed:
        plan.append((vetoed[0], Decimal("0.92"), 3, True))  # failed by veto, whatever the score
    for project in clean_projects[4:6]:
        plan.append((project, Decimal("0.90"), 6, False))  # open: every free expert on the panel, sheets started

    today = demo_today()
    previous_year, _ = demo_years(today)
    made = 0
    for index, (project, level, size, close) in enumerate(plan):
        staff = staff_for(project)
        if project.jingpin_status == JingpinStatus.NONE:
            services.add_to_library(project, user=staff)
        panel = panel_for(project, size)
        # Closed demo evaluations belong to the previous year (complete in the demo, so the annual report of
        # that year has them); the open ones are this year's, due in two weeks.
        year, due_date = (
            (previous_year, dt.date(previous_year, 11, 30)) if close else (today.year, today + dt.timedelta(days=14))
        )
        evaluation = services.open_evaluation(project, user=staff, year=year, due_date=due_date, experts=panel)
        items = services.items_of(evaluation)
        for jitter, expert in enumerate(panel):
            sheet = services.start_sheet(evaluation, expert)
            scores = _scores_for(items, level, jitter + index)
            if close:
                services.submit_sheet(sheet, expert, scores=scores, comment="现场查看与资料审查后评分。")
            elif jitter % 2 == 0:
                half = dict(list(scores.items())[: len(scores) // 2])
                services.save_sheet(sheet, expert, scores=half, comment="")
        if close:
            services.close_evaluation(evaluation, user=staff, on_date=due_date)
        made += 1
    # every demo expert has an open score sheet (a task on the dashboard): join an open evaluation, else open
    # one more on a project where the expert has no conflict
    spare = [p for p in clean_projects[6:] if not Evaluation.objects.filter(project=p).exists()]
    for expert in experts:
        if ScoreSheet.objects.filter(expert=expert, evaluation__status="open").exists():
            continue
        joinable = [e for e in Evaluation.objects.filter(status="open").order_by("pk")]
        evaluation = next((e for e in joinable if services.conflict_reason(e.project, expert) is None), None)
        if evaluation is not None:
            services.assign_expert(evaluation, expert, user=staff_for(evaluation.project))
            services.start_sheet(evaluation, expert)
            continue
        project = next((p for p in spare if expert in (panel_for(p, 3) or [])), None)
        if project is None:
            continue
        spare.remove(project)
        staff = staff_for(project)
        if project.jingpin_status == JingpinStatus.NONE:
            services.add_to_library(project, user=staff)
        panel = panel_for(project, 3)
        evaluation = services.open_evaluation(
            project, user=staff, year=today.year, due_date=today + dt.timedelta(days=21), experts=panel
        )
        for member in panel:
            services.start_sheet(evaluation, member)
        made += 1
    first = Evaluation.objects.filter(result="passed").order_by("pk").first()
    if first is not None:
        services.designate_demonstration(first, user=staff_for(first.project))
        _veto_event_after_designation(first.project, staff_for(first.project), today)
    reviews = CertificationReview.objects.filter(status="open").count()
    out.write(f"评价演示数据：{made}次评价，{reviews}个精品工程复核中。")


def _veto_event_after_designation(project, staff, today) -> None:
    """The demo's 示范项目 meets a veto event after its designation: its general contractor's 项目经理 is found absent
    (a pending constraint record), which opens the 复核 (notice to the city; "示范项目（复核中）" on the public page)."""
    participant = project.participants.filter(role__in=GENERAL_CONTRACTOR_ROLES).order_by("pk").first()
    if participant is None:
        return
    project_services.add_constraint_record(
        participant,
        {
            "kind": "attendance",
            "occurred_on": today - dt.timedelta(days=10),
            "description": "示范项目评定后，检查发现项目经理连续三日未到岗履职。",
            "required_action": "限期整改，项目经理到岗履职。",
        },
        user=staff,
    )
