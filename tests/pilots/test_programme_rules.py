"""The programme's quotas and one pilot's requirements (pilots.programme), with the seed's numbers."""

from __future__ import annotations

from decimal import Decimal

from pilots.programme import CITY_MINIMUM, PilotFact, PlanFacts, programme, requirements, unmet

COUNTIES = [(1, "城区"), (2, "泽州县")]


def test_the_city_needs_at_least_ten_established_pilots():
    """二(二)1：“在全市范围内……选取不少于10个项目开展绿色建造试点工作。”"""
    assert CITY_MINIMUM == 10
    nine = [PilotFact(1, "public", True)] * 9 + [PilotFact(1, "public", False)] * 5
    assert not programme(COUNTIES, nine).city_met
    assert programme(COUNTIES, nine).applying == 5
    assert programme(COUNTIES, [PilotFact(1, "public", True)] * 10).city_met
    assert "少于方案要求的10个" in programme(COUNTIES, nine).warnings[0]


def test_each_county_needs_one_real_estate_and_one_public_pilot():
    """四(一)：“各辖市、区……必须确定1个以上房地产开发项目、1个以上政府投资的公建项目作为绿色建造试点项目”."""
    facts = [
        PilotFact(1, "real_estate", True),
        PilotFact(1, "public", True),
        PilotFact(2, "public", True),
        PilotFact(2, "real_estate", False),  # in review: does not count yet
        PilotFact(2, "other", True),
    ]
    prog = programme(COUNTIES, facts)
    chengqu, zezhou = prog.counties
    assert chengqu.met and (chengqu.real_estate, chengqu.public) == (1, 1)
    assert not zezhou.met and zezhou.missing == ["房地产开发项目"] and zezhou.applying == 1
    assert [c.county_name for c in prog.counties_unmet] == ["泽州县"]
    assert any("泽州县尚未确定房地产开发项目试点" in w for w in prog.warnings)


def _facts(**kw):
    base = dict(
        star_target="two",
        star_target_name="二星级",
        standardised_design=True,
        prefab_rate=Decimal("50"),
        waste_target=Decimal("300"),
        green_material_share=Decimal("40"),
        bim_design=True,
        bim_production=True,
        bim_construction=True,
        smart_site=True,
        intensive_model=True,
        delivery_model_name="工程总承包（EPC）",
    )
    return PlanFacts(**(base | kw))


def test_two_stars_is_judged_on_the_achieved_label_not_the_target():
    """四(一)：“试点项目应达到《绿色建筑评价标准》（GB/T50378）绿色建筑二星级以上要求” — the label achieved."""
    star = requirements(_facts(star_target="three"))[0]
    assert star.met is None and "尚未验收" in star.evidence
    assert requirements(_facts(achieved_label="one", achieved_label_name="一星级", label_meets=False))[0].met is False
    assert requirements(_facts(achieved_label="two", achieved_label_name="二星级", label_meets=True))[0].met is True


def test_bim_needs_design_production_and_construction():
    """四(一)：“试点项目应在设计、生产、施工阶段集成应用BIM技术”."""
    reqs = {r.code: r for r in requirements(_facts(bim_production=False))}
    assert reqs["bim"].met is False and reqs["bim"].evidence == "BIM应用阶段：设计、施工"
    assert [r.code for r in unmet(requirements(_facts(bim_production=False)))] == ["bim"]


def test_pipeline_separation_is_preferred_never_a_failure():
    """四(一)：“优先采用管线分离、装配化装修”."""
    reqs = {r.code: r for r in requirements(_facts())}
    assert reqs["preferred"].met is False and not reqs["preferred"].required
    assert unmet(requirements(_facts())) == []


def test_waste_target_and_intensive_model_are_required():
    """四(一)：“应制定并落实施工现场垃圾减量化目标”“应采用工程总承包、全过程工程咨询等集约化组织管理模式”."""
    codes = [r.code for r in unmet(requirements(_facts(waste_target=None, intensive_model=False)))]
    assert codes == ["waste", "model"]
