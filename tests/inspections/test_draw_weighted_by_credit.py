"""Issue 24, 差异化监管: "双随机 plans may weight projects by their contractors' credit grade (差异化监管: D weighs
more than A) — the weights are part of the plan's commitment, so a weighted draw stays reproducible and
unsteerable."

A plan locked with 按信用等级差异化抽取 commits to a jingpin-draw-v3 record: the weights per grade and, for every
eligible project, the worst current grade of its 施工总承包/工程总承包 units and that grade's weight. The projects are
then drawn by successive weighted sampling on the SHA-256 stream (integers only), and the standalone script
re-computes it from the published JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from awards.services import grant_award
from credit.services import standings
from inspections import draw, services
from inspections.models import InspectionPlan, PlanStatus
from tests.awards.factories import awardable_project, catalogue
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ConstraintRecordFactory, ParticipantFactory

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify-draw.py"
BEIJING = dt.timezone(dt.timedelta(hours=8))
SOURCE = "上证指数2024年3月13日收盘价"


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, tzinfo=BEIJING)


def lock(plan, user, **kwargs):
    return services.lock_plan(plan, user=user, value_source=SOURCE, value_not_before=dt.date(2024, 3, 13), **kwargs)


def graded(grade: str, name: str):
    """An enterprise whose current grade is ``grade``, by real credit events under the default rule (base 100;
    A ≥ 105, B ≥ 90, C ≥ 75): 鲁班奖 +10 → A; none → B; two or three 清退出场 (严重, −10 each) → C or D."""
    enterprise = EnterpriseFactory(name=name)
    if grade == "A":
        city = UserFactory(role="city_admin", region=None)
        project = awardable_project(contractor=enterprise)  # in another county: outside the plan's scope
        award = catalogue()["鲁班奖"]
        grant_award(
            project, user=city, award=award, year=2023, grant_date=dt.date(2024, 1, 20), document_no="建协〔2024〕3号"
        )
    for _ in range({"C": 2, "D": 3}.get(grade, 0)):
        ConstraintRecordFactory(participant=ParticipantFactory(enterprise=enterprise), status="expelled")
    assert standings([enterprise.pk])[enterprise.pk].grade == grade
    return enterprise


@pytest.fixture
def grades(projects, clock):
    """The six projects' general contractors: A, B (no record), C, D on projects 0–3; project 4 has a B contractor
    and a D EPC unit; project 5 has a D 监理 (not a general contractor) and no general contractor at all."""
    a, b, c, d = (graded(g, f"{g}级建工") for g in "ABCD")
    for project, enterprise in zip(projects[:4], (a, b, c, d), strict=True):
        ParticipantFactory(project=project, enterprise=enterprise, role="contractor")
    ParticipantFactory(project=projects[4], enterprise=b, role="contractor")
    ParticipantFactory(project=projects[4], enterprise=d, role="epc")
    ParticipantFactory(project=projects[5], enterprise=d, role="supervisor")
    ParticipantFactory(project=projects[5], role="builder")
    return {p.pk: g for p, g in zip(projects, "ABCDDB", strict=True)}


# --- the record: grades from the contractors, weights in the commitment ----------------------------------------
def test_each_project_takes_the_worst_grade_of_its_general_contractors(projects, grades):
    assert services.project_grades([p.pk for p in projects]) == grades


def test_the_grades_of_many_projects_are_read_in_a_fixed_number_of_queries(projects, grades):
    counts = []
    for some in (projects[:1], projects):
        with CaptureQueriesContext(connection) as queries:
            services.project_grades([p.pk for p in some])
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4  # participants, standings, the rule in force (its base grade)


def test_a_weighted_lock_commits_to_the_weights_and_every_projects_grade_and_weight(
    plan, projects, roster, grades, county_user
):
    weights = {"A": 1, "B": 1, "C": 2, "D": 5}
    locked = lock(plan, county_user, credit_weighted=True, grade_weights=weights)
    record = locked.record
    assert locked.credit_weighted and locked.grade_weights == weights
    assert record["scheme"] == "jingpin-draw-v3"
    assert record["weighting"]["weights"] == weights and "最低" in record["weighting"]["basis"]
    assert {p["id"]: (p["grade"], p["weight"]) for p in record["projects"]} == {
        pk: (grade, weights[grade]) for pk, grade in grades.items()
    }
    assert locked.commitment == hashlib.sha256(locked.record_json.encode()).hexdigest()
    assert draw.record_problems(record) == []


def test_the_weights_default_to_one_two_three_four(plan, projects, roster, grades, county_user):
    locked = lock(plan, county_user, credit_weighted=True)
    assert locked.grade_weights == {"A": 1, "B": 2, "C": 3, "D": 4}
    assert sorted(p["weight"] for p in locked.record["projects"]) == [1, 2, 2, 3, 4, 4]


def test_a_weight_changed_after_locking_breaks_the_commitment_and_nothing_is_drawn(
    plan, projects, roster, grades, county_user, clock
):
    locked = lock(plan, county_user, credit_weighted=True)
    # the organiser cannot lock again with other weights (a plan has no edit at all) …
    with pytest.raises(ValidationError, match="不能重新锁定"):
        lock(locked, county_user, credit_weighted=True, grade_weights={"A": 1, "B": 1, "C": 1, "D": 10})
    # … and a record edited behind the app's back no longer hashes to the published commitment
    record = locked.record
    favourite = next(p for p in record["projects"] if p["grade"] == "A")
    favourite["weight"], record["weighting"]["weights"]["A"] = 10, 10
    assert draw.commitment(record) != locked.commitment
    InspectionPlan.objects.filter(pk=locked.pk).update(record_json=draw.canonical_json(record).decode())
    clock.move_to(at(13, 16))
    with pytest.raises(ValidationError, match="承诺值不符"):
        services.draw_plan(locked, user=county_user, public_value="3038.23")
    locked.refresh_from_db()
    assert locked.status == PlanStatus.LOCKED and not locked.seed


def test_a_weighted_plan_draws_once_from_its_commitment_and_the_audit_rerun_agrees(
    client, plan, projects, roster, grades, county_user, clock
):
    locked = lock(plan, county_user, credit_weighted=True)
    clock.move_to(at(13, 16))
    drawn = services.draw_plan(locked, user=county_user, public_value="3038.23")
    assert drawn.seed == draw.make_seed_v2(drawn.commitment, "3038.23", scheme="jingpin-draw-v3")
    assert drawn.seed != draw.make_seed_v2(drawn.commitment, "3038.23")  # the scheme is part of the seed
    assert drawn.draw_result == draw.draw_v3(drawn.seed, drawn.record).as_json()
    assert services.draw_is_consistent(drawn)
    assert [i.project_id for i in drawn.inspections.order_by("draw_order")] == [t["project"] for t in drawn.draw_result]
    with pytest.raises(ValidationError, match="只能输入一次"):
        services.draw_plan(drawn, user=county_user, public_value="1")
    client.force_login(county_user)
    audit = client.get(f"/inspections/plans/{drawn.pk}/audit/").content.decode()
    assert "结果与记录的抽取结果一致" in audit and "A级 1、B级 2、C级 3、D级 4" in audit


# --- the algorithm -----------------------------------------------------------------------------------------------
def weighted_record(grades: dict[int, str], k: int, weights=None) -> dict:
    weights = weights or draw.DEFAULT_GRADE_WEIGHTS
    return {
        "scheme": draw.SCHEME_V3,
        "weighting": {"basis": draw.WEIGHT_BASIS, "weights": dict(weights)},
        "project_count": k,
        "team": {"size": 2, "enforcement_seats": 2},
        "projects": [{"id": p, "grade": g, "weight": weights[g]} for p, g in grades.items()],
        "inspectors": [{"id": i, "kind": "staff"} for i in range(1, 6)],
        "exclusions": {},
    }


def test_over_two_thousand_seeds_a_d_graded_project_is_drawn_about_four_times_as_often_as_an_a_graded_one():
    """Two projects of each grade, weights 1/2/3/4, one drawn: each D project has P = 4/20, each A project 1/20."""
    record = weighted_record({101: "A", 102: "A", 103: "B", 104: "B", 105: "C", 106: "C", 107: "D", 108: "D"}, 1)
    runs = 2000
    by_grade = Counter()
    for i in range(runs):
        (project,) = draw.draw_v3(f"weighted-{i}", record).project_ids
        by_grade[{p["id"]: p["grade"] for p in record["projects"]}[project]] += 1
    expected = {"A": 200, "B": 400, "C": 600, "D": 800}
    for grade, count in expected.items():  # within ±25 % of the expectation (> 4 σ for every grade)
        assert abs(by_grade[grade] - count) <= count / 4, by_grade
    assert by_grade["D"] > 3 * by_grade["A"]


def test_a_d_graded_project_is_in_a_draw_of_three_more_often_than_an_a_graded_one():
    record = weighted_record({p: "ABCD"[p % 4] for p in range(1, 21)}, 3)
    seen = Counter()
    for i in range(2000):
        seen.update(p % 4 for p in draw.draw_v3(f"three-{i}", record).project_ids)
    assert seen[3] > 2 * seen[0]  # D (p % 4 == 3) against A (p % 4 == 0)


def test_a_weighted_draw_is_a_pure_function_of_the_seed_and_the_frozen_weights():
    record = weighted_record({p: "ABCD"[p % 4] for p in range(1, 13)}, 4)
    shuffled = dict(record, projects=list(reversed(record["projects"])))
    first = draw.draw_v3("seed-x", record)
    assert first == draw.draw_v3("seed-x", record) == draw.draw_v3("seed-x", shuffled)
    assert len(set(first.project_ids)) == 4
    assert first.as_json() != draw.draw_v3("seed-y", record).as_json()
    everything = draw.draw_v3("seed-x", weighted_record({1: "A", 2: "D"}, 5))
    assert sorted(everything.project_ids) == [1, 2]  # never more than the pool, never twice


def test_the_script_draws_weighted_records_exactly_as_the_product():
    from tests.inspections.test_draw_commit_reveal import _script_module

    script = _script_module()
    rng = random.Random(24)
    for n in range(60):
        weights = dict(zip("ABCD", sorted(rng.randint(1, 10) for _ in range(4)), strict=True))
        grades = {p: rng.choice("ABCD") for p in rng.sample(range(1, 500), rng.randint(1, 15))}
        record = weighted_record(grades, rng.randint(1, 6), weights)
        assert script.draw(f"s{n}", record) == draw.draw_v3(f"s{n}", record).as_json()
        assert script.make_seed("c" * 64, "1", "jingpin-draw-v3") == draw.make_seed_v2("c" * 64, "1", "jingpin-draw-v3")


# --- the published record and the standalone script --------------------------------------------------------------
def _run_script(tmp_path, bundle, record_bytes=None):
    (tmp_path / "audit.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    args = [sys.executable, "-I", str(SCRIPT), "audit.json"]
    if record_bytes is not None:
        (tmp_path / "record.json").write_bytes(record_bytes)
        args += ["--record", "record.json"]
    # isolated mode, no Django, an empty directory: the script needs nothing but the published JSON
    return subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})


def test_the_script_recomputes_a_weighted_draw_from_the_public_audit_json_alone(
    client, plan, projects, roster, grades, county_user, clock, tmp_path
):
    plan.project_count = 3
    plan.save()
    locked = lock(plan, county_user, credit_weighted=True)
    clock.move_to(at(13, 16))
    drawn = services.draw_plan(locked, user=county_user, public_value="3038.23")
    bundle = json.loads(client.get(f"/inspections/public/plans/{drawn.pk}/audit.json").content)
    record_bytes = client.get(f"/inspections/public/plans/{drawn.pk}/record.json").content
    assert bundle["scheme"] == "jingpin-draw-v3" and hashlib.sha256(record_bytes).hexdigest() == drawn.commitment

    ok = _run_script(tmp_path, bundle, record_bytes)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "核验通过" in ok.stdout and drawn.seed in ok.stdout and "A级 1、B级 2、C级 3、D级 4" in ok.stdout
    # the script prints the drawn projects in the drawn order: the product's selection
    names = {p.pk: p.name for p in projects}
    positions = [ok.stdout.index(names[t["project"]] + "（") for t in drawn.draw_result]
    assert positions == sorted(positions) and len(drawn.draw_result) == 3

    tampered = json.loads(json.dumps(bundle))
    for project in tampered["record"]["projects"]:
        project["weight"] = 1 if project["grade"] == "D" else project["weight"]
    bad = _run_script(tmp_path, tampered)
    assert bad.returncode == 1 and "记录被改动过" in bad.stdout
    unweighted = json.loads(json.dumps(bundle))
    unweighted["scheme"] = "jingpin-draw-v2"  # claiming the plain draw for a weighted record
    assert _run_script(tmp_path, unweighted).returncode == 1


def test_the_script_refuses_a_record_whose_project_weights_disagree_with_its_weight_table(tmp_path):
    record = weighted_record({1: "A", 2: "D", 3: "B"}, 1)
    record.update(public_value_source=SOURCE, public_value_not_before="2024-03-13")
    record["projects"][1]["weight"] = 9  # a D project weighing more than the table says
    commitment = draw.commitment(record)
    seed = draw.make_seed_v2(commitment, "1", scheme="jingpin-draw-v3")
    bundle = {
        "scheme": "jingpin-draw-v3",
        "commitment": commitment,
        "record": record,
        "public_value": "1",
        "seed": seed,
        "result": draw.draw_v3(seed, record).as_json(),
    }
    run = _run_script(tmp_path, bundle)
    assert run.returncode == 1 and "与等级权重表不符" in run.stdout
    assert any("权重与D级权重不一致" in p for p in draw.weighting_problems(record))


# --- input: the lock form, the API, Chinese errors ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"A": 0, "B": 2, "C": 3, "D": 4}, "A级权重须为1至10之间的整数（当前为“0”）"),
        ({"A": 1, "B": 2, "C": 3, "D": 11}, "D级权重须为1至10之间的整数"),
        ({"A": 1, "B": "两", "C": 3, "D": 4}, "B级权重须为1至10之间的整数"),
        ({"A": 1, "B": 2.5, "C": 3, "D": 4}, "B级权重须为1至10之间的整数"),
        ({"A": 1, "B": 2, "D": 4}, "请填写C级权重"),
        ({"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}, "信用等级只有A、B、C、D四级"),
        ({"A": 3, "B": 2, "C": 3, "D": 4}, "B级权重（2）不能小于A级权重（3）"),
        ({"A": 2, "B": 2, "C": 2, "D": 2}, "D级权重须大于A级权重"),
    ],
)
def test_bad_weights_are_refused_in_chinese_and_nothing_is_locked(
    plan, projects, roster, county_user, clock, weights, message
):
    with pytest.raises(ValidationError) as exc:
        lock(plan, county_user, credit_weighted=True, grade_weights=weights)
    assert any(message in m for m in exc.value.message_dict["grade_weights"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.commitment and not plan.credit_weighted


def test_weights_given_without_the_option_are_ignored(plan, projects, roster, county_user, clock):
    locked = lock(plan, county_user, grade_weights={"A": 0})
    assert locked.record["scheme"] == "jingpin-draw-v2" and not locked.credit_weighted


def test_the_lock_form_takes_the_option_and_the_public_page_shows_grades_and_weights(
    client, plan, projects, roster, grades, county_user, colleague, clock
):
    form = {"value_source": "福彩3D开奖号码", "value_not_before": "2024-03-13", "credit_weighted": "on"}
    client.force_login(colleague)  # another county's plan
    assert client.post(f"/inspections/plans/{plan.pk}/lock/", form).status_code == 404
    client.force_login(county_user)
    page = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "按信用等级差异化抽取" in page and 'name="weight_d"' in page
    bad = client.post(
        f"/inspections/plans/{plan.pk}/lock/", dict(form, weight_a=1, weight_b=2, weight_c=3, weight_d=11)
    )
    assert bad.status_code == 400 and "D级权重不能大于10" in bad.content.decode()
    bad = client.post(f"/inspections/plans/{plan.pk}/lock/", dict(form, weight_a=5, weight_b=5, weight_c=5, weight_d=5))
    assert bad.status_code == 400 and "D级权重须大于A级权重" in bad.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    done = client.post(
        f"/inspections/plans/{plan.pk}/lock/", dict(form, weight_a=1, weight_b=1, weight_c=2, weight_d=6)
    )
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.credit_weighted and plan.grade_weights == {"A": 1, "B": 1, "C": 2, "D": 6}
    detail = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "按信用等级加权：A级 1、B级 1、C级 2、D级 6" in detail

    client.logout()
    public = client.get(f"/inspections/public/plans/{plan.pk}/").content.decode()
    assert "jingpin-draw-v3:承诺值:公开随机值" in public and "D级 权重6" in public
    for project in projects:
        assert project.name in public
    assert public.count("D级 · 权重6") == 2 and public.count("A级 · 权重1") == 1
    assert "A级 1 个、B级 2 个、C级 1 个、D级 2 个" in public
    for private in ("张工", "D级建工", "A级建工", "PICC-"):  # no key person, no enterprise, no policy
        assert private not in public


def test_an_unweighted_plans_public_page_says_it_draws_with_equal_chances(
    client, plan, projects, roster, county_user, clock
):
    lock(plan, county_user)
    public = client.get(f"/inspections/public/plans/{plan.pk}/").content.decode()
    assert "否（各备选项目等概率抽取）" in public and "jingpin-draw-v2:承诺值:公开随机值" in public
    assert "权重" not in public.split('data-testid="public-projects"')[1].split("</ol>")[0]


def test_the_api_locks_a_weighted_plan_and_answers_bad_weights_in_chinese(
    plan, projects, roster, grades, county_user, clock
):
    api = APIClient()
    api.force_authenticate(county_user)
    url = f"/api/v1/inspection-plans/{plan.pk}/lock/"
    body = {"value_source": SOURCE, "value_not_before": "2024-03-13", "credit_weighted": True}
    bad = api.post(url, dict(body, grade_weights={"A": 1, "B": 2, "C": 3, "D": 0}), format="json")
    assert bad.status_code == 400 and "D级权重须为1至10之间的整数" in json.dumps(bad.json(), ensure_ascii=False)
    locked = api.post(url, dict(body, grade_weights={"a": 1, "b": 2, "c": 4, "d": 8}), format="json")
    assert locked.status_code == 200, locked.json()
    data = locked.json()
    assert data["credit_weighted"] is True and data["grade_weights"] == {"A": 1, "B": 2, "C": 4, "D": 8}
    plan.refresh_from_db()
    assert plan.record["scheme"] == "jingpin-draw-v3" and data["commitment"] == plan.commitment
