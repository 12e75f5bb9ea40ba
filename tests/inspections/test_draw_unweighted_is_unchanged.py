"""Issue 24 adds credit-weighted draws (jingpin-draw-v3); an unweighted plan must lock, commit and draw exactly as
before. The expected values below were computed by the code of commit 6a65d1b (before the weighting) and frozen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from inspections import draw, public
from tests.inspections.conftest import lock_and_draw

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify-draw.py"

RECORD = {
    "scheme": "jingpin-draw-v2",
    "plan": {
        "id": 7,
        "name": "2024年第一季度双随机检查",
        "organiser": "泽州县",
        "year": 2024,
        "period_start": "2024-03-01",
        "period_end": "2024-03-31",
        "scope": {"counties": ["泽州县"], "categories": [], "stages": [], "pilot_only": False, "jingpin_only": False},
        "recency_months": 12,
    },
    "project_count": 4,
    "team": {"size": 3, "enforcement_seats": 2},
    "projects": [{"id": p, "code": f"ZZ-{p}", "name": f"项目{p}", "county": "泽州县"} for p in range(101, 113)],
    "inspectors": [
        {
            "id": i,
            "name": f"检查员{i}",
            "kind": "staff" if i < 6 else "expert",
            "kind_label": "执法人员" if i < 6 else "专家",
        }
        for i in range(1, 10)
    ],
    "exclusions": {
        "103": [{"inspector": 1, "reason": "利害关系回避"}],
        "108": [{"inspector": 2, "reason": "近期检查回避"}],
    },
    "public_value_source": "上证指数2024年3月13日收盘价",
    "public_value_not_before": "2024-03-13",
    "locked_at": "2024-03-12T10:00:00+08:00",
}
# Computed on commit 6a65d1b: draw.commitment(RECORD), draw.make_seed_v2(…, "3089.26"), draw.draw_v2(…).as_json()
FROZEN_COMMITMENT = "0d17ea7fd924c97f9014d1922329db6384a8dfd7b6416d2250c033ac43b237b0"
FROZEN_SEED = "0d58436a11873cae92eb809f4bcbbbe794c6ace6f1cbb9646d1894c5697e5d2e"
FROZEN_RESULT = [
    {"project": 104, "inspectors": [1, 2, 4], "short_by": 0},
    {"project": 102, "inspectors": [4, 3, 5], "short_by": 0},
    {"project": 112, "inspectors": [5, 4, 9], "short_by": 0},
    {"project": 111, "inspectors": [5, 3, 9], "short_by": 0},
]
V2_RECORD_KEYS = {
    "scheme",
    "plan",
    "project_count",
    "team",
    "projects",
    "inspectors",
    "exclusions",
    "public_value_source",
    "public_value_not_before",
    "locked_at",
}


def test_an_unweighted_record_commits_seeds_and_draws_exactly_as_before_the_weighting():
    assert draw.commitment(RECORD) == FROZEN_COMMITMENT
    seed = draw.make_seed_v2(FROZEN_COMMITMENT, "3089.26")
    assert seed == FROZEN_SEED
    assert draw.draw_v2(seed, RECORD).as_json() == FROZEN_RESULT
    assert draw.draw_locked(seed, RECORD).as_json() == FROZEN_RESULT  # the dispatcher keeps v2 records on v2


def test_the_verify_script_still_passes_an_unweighted_plan_published_before_the_weighting(tmp_path):
    bundle = {
        "scheme": "jingpin-draw-v2",
        "plan_id": 7,
        "status": "drawn",
        "commitment": FROZEN_COMMITMENT,
        "record": RECORD,
        "public_value": "3089.26",
        "seed": FROZEN_SEED,
        "result": FROZEN_RESULT,
        "cancel_reason": None,
    }
    (tmp_path / "audit.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "record.json").write_bytes(draw.canonical_json(RECORD))
    run = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), "audit.json", "--record", "record.json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "核验通过" in run.stdout and FROZEN_SEED in run.stdout and "差异化" not in run.stdout


def test_a_plan_locked_without_the_option_commits_to_a_v2_record_with_no_grade_or_weight(
    plan, projects, roster, county_user, clock
):
    drawn = lock_and_draw(plan, county_user)
    record = drawn.record
    assert not drawn.credit_weighted and drawn.grade_weights == {}
    assert record["scheme"] == "jingpin-draw-v2" and set(record) == V2_RECORD_KEYS
    assert all(set(p) == {"id", "code", "name", "county"} for p in record["projects"])
    assert drawn.seed == draw.make_seed_v2(drawn.commitment, "3089.26")
    assert drawn.draw_result == draw.draw_v2(drawn.seed, record).as_json()
    assert public.public_bundle(drawn)["scheme"] == "jingpin-draw-v2"
