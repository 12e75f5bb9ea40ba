"""City goals per project (projects.programme.unmet_goals), with the seeds' numbers.

Seed 002 一(二) 工作目标 3: “全市装配式建筑占新建建筑面积的比例达到24%，装配率不低于30%”;
5: “新立项大型公共建筑、装配式建筑（装配率高于50%）以及试点要求的新开工项目BIM技术应用率100%”;
三(一): “新建居住建筑执行75%节能标准，新建公共建筑执行72%节能标准”."""

from decimal import Decimal

import pytest

from projects.programme import GoalFacts, GoalSpec, applies, unmet_goals

PREFAB = GoalSpec("装配式建筑", category="building", prefabricated_only=True, min_prefab_rate=Decimal("30"))
RESIDENTIAL = GoalSpec(
    "新建居住建筑", category="building", building_use="residential", min_energy_standard=Decimal("75")
)
PUBLIC = GoalSpec("新建公共建筑", category="building", building_use="public", min_energy_standard=Decimal("72"))
PILOT_BIM = GoalSpec("试点项目", pilot_only=True, bim_required=True)


def facts(**kw) -> GoalFacts:
    base = dict(
        category="building",
        building_use="residential",
        government_invested=True,
        prefabricated=True,
        green_pilot=False,
        prefab_rate=Decimal("50"),
        energy_standard=Decimal("75"),
        bim_applied=True,
    )
    return GoalFacts(**{**base, **kw})


@pytest.mark.parametrize(
    ("rate", "met"),
    [(Decimal("29.99"), False), (Decimal("30.00"), True), (Decimal("30.01"), True), (Decimal("0"), False)],
)
def test_prefab_rate_of_30_percent(rate, met):
    """“装配率不低于30%”: 29.99 % misses it, 30.00 % meets it."""
    missed = unmet_goals(PREFAB, facts(prefab_rate=rate))
    assert (missed == []) is met
    if not met:
        assert missed == [f"装配率{rate.normalize():f}%，低于30%"]


def test_an_unreported_prefab_rate_is_not_shown_to_meet_the_goal():
    assert unmet_goals(PREFAB, facts(prefab_rate=None)) == ["未填报装配率（要求不低于30%）"]


def test_the_prefab_goal_covers_prefabricated_buildings_only():
    assert not applies(PREFAB, facts(prefabricated=False))
    assert unmet_goals(PREFAB, facts(prefabricated=False, prefab_rate=None)) == []
    assert unmet_goals(PREFAB, facts(category="municipal", prefab_rate=Decimal("10"))) == []


@pytest.mark.parametrize(
    ("spec", "use", "standard", "met"),
    [
        (RESIDENTIAL, "residential", Decimal("75"), True),  # “新建居住建筑执行75%节能标准”
        (RESIDENTIAL, "residential", Decimal("72"), False),
        (RESIDENTIAL, "residential", Decimal("65"), False),
        (PUBLIC, "public", Decimal("72"), True),  # “新建公共建筑执行72%节能标准”
        (PUBLIC, "public", Decimal("71.99"), False),
        (PUBLIC, "public", Decimal("75"), True),
        (RESIDENTIAL, "public", Decimal("72"), True),  # the residential goal does not cover a public building
        (PUBLIC, "residential", Decimal("65"), True),  # … nor the public goal a dwelling
    ],
)
def test_energy_standards_75_residential_72_public(spec, use, standard, met):
    assert (unmet_goals(spec, facts(building_use=use, energy_standard=standard)) == []) is met


def test_an_unreported_energy_standard_misses_the_goal():
    assert unmet_goals(PUBLIC, facts(building_use="public", energy_standard=None)) == [
        "未填报执行的节能标准（要求72%）"
    ]


def test_bim_100_percent_on_pilot_projects():
    """“试点要求的新开工项目BIM技术应用率100%”: every pilot applies BIM."""
    assert unmet_goals(PILOT_BIM, facts(green_pilot=True, bim_applied=False)) == ["未应用BIM技术（要求应用率100%）"]
    assert unmet_goals(PILOT_BIM, facts(green_pilot=True, bim_applied=True)) == []
    assert unmet_goals(PILOT_BIM, facts(green_pilot=False, bim_applied=False)) == []


def test_every_missed_goal_of_a_rule_is_named():
    spec = GoalSpec(
        "政府投资公共建筑",
        building_use="public",
        government_invested_only=True,
        min_prefab_rate=Decimal("50"),
        min_energy_standard=Decimal("72"),
        bim_required=True,
    )
    missed = unmet_goals(
        spec,
        facts(building_use="public", prefab_rate=Decimal("49.99"), energy_standard=Decimal("65"), bim_applied=False),
    )
    assert missed == ["装配率49.99%，低于50%", "执行65%节能标准，低于72%", "未应用BIM技术（要求应用率100%）"]
    assert unmet_goals(spec, facts(building_use="public", government_invested=False, bim_applied=False)) == []
