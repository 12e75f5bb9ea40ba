"""双随机 draws from projects under construction by default (issue 25; seed 001 二(五)1 “开展‘双随机、一公开’检查”,
seed 002 A1 “‘双随机、一公开’检查发现的问题均按时整改到位”): a "临边洞口防护不到位" finding belongs on a building site,
never on a project still in 招标投标. Other stages are drawn only when the plan lists them; the pool, filtered before
the lock, is part of the committed record, so the draw stays verifiable (jingpin-draw-v3 / v2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from inspections import public, services
from projects.choices import Stage
from tests.inspections.conftest import lock_and_draw
from tests.inspections.factories import PlanFactory
from tests.projects_factories import ProjectFactory

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify-draw.py"


def _one_project_per_stage(county):
    return {stage: ProjectFactory(county=county, stage=stage, name=f"{label}项目") for stage, label in Stage.choices}


def test_a_plan_that_names_no_stage_draws_only_projects_in_construction_not_in_tendering(
    county, county_user, roster, clock
):
    """“20 of 34 demo inspections hit projects in 规划设计, 招标投标, 前期策划, 运营维护 or 验收移交”: no longer."""
    by_stage = _one_project_per_stage(county)
    plan = PlanFactory(county=county, project_count=3, team_size=2)
    plan = lock_and_draw(plan, county_user)
    assert plan.eligible_projects == [by_stage["construction"].pk]
    assert [p["id"] for p in plan.record["projects"]] == [by_stage["construction"].pk]
    assert plan.record["plan"]["scope"]["stages"] == ["construction"]
    assert [i.project.stage for i in plan.inspections.select_related("project")] == ["construction"]
    assert plan.stage_labels() == "施工（在建项目，默认）"


def test_other_stages_are_drawn_only_when_the_plan_lists_them(county, county_user, roster, clock):
    by_stage = _one_project_per_stage(county)
    plan = PlanFactory(county=county, project_count=2, team_size=2, scope_stages=["tender", "acceptance"])
    plan = lock_and_draw(plan, county_user)
    assert sorted(plan.eligible_projects) == sorted([by_stage["tender"].pk, by_stage["acceptance"].pk])
    every = PlanFactory(county=county, project_count=2, team_size=2, scope_stages=list(Stage.values))
    assert every.stage_labels() == "全部阶段"
    assert services.eligible_projects(every).count() == len(Stage.values)


def test_the_filtered_pool_is_committed_and_the_draw_still_verifies(county, county_user, roster, clock, tmp_path):
    _one_project_per_stage(county)
    ProjectFactory(county=county, stage="construction", name="第二个在建项目")
    plan = lock_and_draw(PlanFactory(county=county, project_count=1, team_size=2), county_user)
    assert services.draw_is_consistent(plan)
    bundle = tmp_path / "audit.json"
    bundle.write_text(json.dumps(public.public_bundle(plan), ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), str(bundle)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(plan.record["projects"]) == 2


def test_the_public_audit_page_and_the_api_show_the_stages(client, county, county_user, roster, clock):
    _one_project_per_stage(county)
    plan = lock_and_draw(PlanFactory(county=county, project_count=1, team_size=2), county_user)
    page = client.get(f"/inspections/public/plans/{plan.pk}/")
    assert "施工（在建项目）" in page.content.decode()
    client.force_login(county_user)
    data = client.get(f"/api/v1/inspection-plans/{plan.pk}/").json()
    assert data["stages"] == ["construction"] and data["scope_stages"] == []
