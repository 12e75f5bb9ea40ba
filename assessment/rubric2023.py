"""The 2023 rubric (seed 002 附件3, SPEC §5.1) and annual targets (附件1, SPEC §5.2) as plain data.

``seed.seed_reference`` loads them into the database; the pure engine tests read them directly.
"""

from __future__ import annotations

from decimal import Decimal

from assessment.scoring import ItemRule, RuleKind

# (category, group name, group max, items)
# item: (code, 考评内容, 考评标准, max, kind, params)
RUBRIC_2023 = [
    (
        "绿色发展",
        "建筑节能",
        24,
        [
            (
                "A1",
                "新建建筑节能标准执行率100%",
                "达到100%的得4分，否则得0分；“双随机、一公开”检查中发现的问题未按时限整改或整改不到位或未依法行政处罚，得0分。",
                4,
                RuleKind.PASS_FAIL,
                {"facts": ["energy_standard_full", "no_unrectified_findings"]},
            ),
            (
                "A2",
                "按计划完成既有居住建筑节能改造任务：项目报入储备库",
                "项目报入储备库得2分，否则得0分。",
                2,
                RuleKind.PASS_FAIL,
                {"facts": ["residential_in_reserve"]},
            ),
            (
                "A3",
                "按计划完成既有居住建筑节能改造任务：累计开工面积",
                "累计开工面积÷年度计划任务×8。",
                8,
                RuleKind.RATIO,
                {"numerator": "retrofit_residential_area", "target_key": "retrofit_residential_area"},
            ),
            (
                "A4",
                "按计划完成公共建筑绿色化改造任务：项目报入储备库",
                "项目报入储备库得2分，否则得0分。",
                2,
                RuleKind.PASS_FAIL,
                {"facts": ["public_in_reserve"]},
            ),
            (
                "A5",
                "按计划完成公共建筑绿色化改造任务：累计开工面积",
                "累计开工面积÷年度计划任务×4。",
                4,
                RuleKind.RATIO,
                {"numerator": "retrofit_public_area", "target_key": "retrofit_public_area"},
            ),
            (
                "A6",
                "可再生能源应用面积占城镇新建建筑面积比例不低于50%",
                "累计可再生能源应用面积占比÷50%×4。",
                4,
                RuleKind.RATIO,
                {"numerator": "renewable_area", "denominator": "new_building_area", "target_value": "50"},
            ),
        ],
    ),
    (
        "绿色发展",
        "绿色建筑",
        40,
        [
            (
                "B1",
                "新开工项目严格执行绿色建筑标准",
                "全部执行《绿色建筑发展条例》得5分，否则得0分。",
                5,
                RuleKind.PASS_FAIL,
                {"facts": ["green_standard_all"]},
            ),
            (
                "B2",
                "验收绿色建筑占城镇新建建筑面积的比例达到80%",
                "验收绿色建筑占城镇新建建筑面积比÷80%×20。",
                20,
                RuleKind.RATIO,
                {"numerator": "green_area_accepted", "denominator": "new_building_area", "target_key": "green_ratio"},
            ),
            (
                "B3",
                "星级绿色建筑占城镇新建建筑面积的比例达到30%",
                "达到30%的得5分，否则得0分。",
                5,
                RuleKind.RATIO,
                {
                    "numerator": "green_area_star_rated",
                    "denominator": "new_building_area",
                    "target_value": "30",
                    "mode": "threshold",
                },
            ),
            (
                "B4",
                "绿色建筑标识认定",
                "认定1个一星级，得1分；认定1个二星级，得2分；认定1个三星级，得3分（最高3分）。",
                3,
                RuleKind.COUNT_LEVELS,
                {
                    "levels": [
                        {"count": "green_label_one_star", "points": "1", "label": "一星级"},
                        {"count": "green_label_two_star", "points": "2", "label": "二星级"},
                        {"count": "green_label_three_star", "points": "3", "label": "三星级"},
                    ]
                },
            ),
            (
                "B5",
                "二星及以上绿色建筑专项设计文件审查报备",
                "所有项目报备，得3分；否则，得0分。",
                3,
                RuleKind.PASS_FAIL,
                {"facts": ["star_design_filed"]},
            ),
            (
                "B6",
                "绿色建材推广应用：绿色建材产品认证",
                "获得1项绿色建材产品认证得2分，否则得0分。",
                2,
                RuleKind.COUNT_AT_LEAST,
                {"count": "green_material_certifications", "min": 1},
            ),
            (
                "B7",
                "绿色建材推广应用：绿色建材应用试点项目",
                "培育绿色建材应用试点项目（试点项目绿色建材应用比例大于30%）1个，得2分，否则得0分。",
                2,
                RuleKind.COUNT_AT_LEAST,
                {"count": "green_material_pilots", "min": 1},
            ),
        ],
    ),
    (
        "绿色发展",
        "绿色创新示范",
        6,
        [
            (
                "C1",
                "绿色创新示范",
                "获评1个山西省绿色建筑创新项目，得6分。",
                6,
                RuleKind.COUNT_AT_LEAST,
                {"count": "innovation_projects", "min": 1},
            ),
        ],
    ),
    (
        "建设科技",
        "装配式建筑",
        20,
        [
            (
                "D1",
                "装配式建筑占新建建筑面积比例不低于24%（太原市、大同市不低于34%）",
                "装配式建筑占新建建筑面积比例÷24%×20（太原市、大同市比例÷34%×20）。",
                20,
                RuleKind.RATIO,
                {"numerator": "prefab_area", "denominator": "new_building_area", "target_key": "prefab_ratio"},
            ),
        ],
    ),
    (
        "建设科技",
        "BIM技术推广应用",
        5,
        [
            (
                "D2",
                "所属试点企业、试点项目达到BIM技术应用试点要求",
                "达到要求的得5分，否则得0分。",
                5,
                RuleKind.PASS_FAIL,
                {"facts": ["bim_met"]},
            ),
        ],
    ),
    (
        "建设科技",
        "科技创新",
        5,
        [
            (
                "D3",
                "开展科技研发创新活动：研发活动台账",
                "按要求报送研发活动台账得2分，否则0分。",
                2,
                RuleKind.PASS_FAIL,
                {"facts": ["rd_ledger_submitted"]},
            ),
            (
                "D4",
                "开展科技研发创新活动：计划项目立项、科技成果登记",
                "指导所属重点企业取得省部/厅计划项目立项数量、取得建设科技成果登记数量达到要求的得3分，否则得0分。",
                3,
                RuleKind.PASS_FAIL,
                {"facts": ["sci_tech_met"]},
            ),
        ],
    ),
]

# 附件1: county -> (居住改造 万m², 公建改造 万m², 装配式比例 % or None = the region's, 绿色建筑比例 %, 创新项目, 科技成果)
TARGETS_2023 = {
    "城区": ("10", "0", None, "80", 1, 1),
    "开发区": ("0", "0", None, "80", 1, 1),
    "泽州县": ("0", "0", None, "80", 1, 1),
    "高平市": ("7", "3", None, "80", 1, 1),
    "阳城县": ("9.75", "0", None, "80", 1, 1),
    "陵川县": ("4", "5", None, "80", 1, 1),
    "沁水县": ("4", "0", None, "80", 1, 1),
}


def rules_2023() -> list[ItemRule]:
    """The 2023 rubric as engine rules (for the pure tests)."""
    return [
        ItemRule(code=code, max_points=Decimal(maximum), kind=kind, params=params, name=content)
        for _cat, _group, _gmax, items in RUBRIC_2023
        for code, content, _std, maximum, kind, params in items
    ]
