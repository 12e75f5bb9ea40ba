"""Issue 22.2: a draw nobody can steer, and anyone can check (commit, then reveal).

The old scheme let the organiser type the public value at draw time with nothing committed before, so trying values
offline steered the draw. Now the record is locked and its SHA-256 published first, the value is entered only on or
after the declared date, once, and the draw is a pure function of (commitment, value) that a standalone script
re-computes from the published JSON alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections import draw, services
from inspections.models import InspectionPlan, PlanStatus
from tests.factories import UserFactory
from tests.inspections.factories import InspectorFactory, PlanFactory
from tests.projects_factories import ParticipantFactory

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify-draw.py"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, tzinfo=BEIJING)


def lock(plan, user, not_before=dt.date(2024, 3, 13), **kwargs):
    return services.lock_plan(
        plan, user=user, value_source="上证指数2024年3月13日收盘价", value_not_before=not_before, **kwargs
    )


# --- (a) the steering attack ------------------------------------------------------------------------------
def test_in_the_old_scheme_trying_public_values_offline_finds_one_that_draws_a_chosen_project():
    projects, inspectors, chosen = list(range(101, 121)), list(range(1, 9)), 117
    tries = 0
    for tries in range(1, 201):
        seed = draw.make_seed(42, f"3089.{tries}")
        if chosen in draw.draw(seed, projects, inspectors, project_count=2, team_size=2).project_ids:
            break
    else:
        pytest.fail("no steering value found")
    assert tries < 200  # a handful of offline tries is enough: the organiser picks the value, the audit agrees


def test_in_the_new_scheme_the_value_is_fixed_by_a_commitment_made_before_it_was_known(
    plan, projects, roster, county_user, clock
):
    locked = lock(plan, county_user)  # 2024-03-12, declaring the close of 2024-03-13
    commitment = locked.commitment
    assert commitment == hashlib.sha256(locked.record_json.encode()).hexdigest()
    # Offline the organiser can still compute a value that would draw the project they want …
    chosen = projects[0].pk
    steering = next(
        str(v)
        for v in range(1000)
        if chosen in draw.draw_v2(draw.make_seed_v2(commitment, str(v)), locked.record).project_ids
    )
    # … but cannot enter it before the declared date, when the true value is not yet published,
    with pytest.raises(ValidationError, match="当日或之后"):
        services.draw_plan(locked, user=county_user, public_value=steering)
    # nor lock it again (there is no edit of a plan at all: the committed record stays as locked),
    with pytest.raises(ValidationError, match="不能重新锁定"):
        lock(locked, county_user, not_before=dt.date(2024, 3, 20))
    clock.move_to(at(13, 16))
    # nor, once the value can be known, cancel the plan for another try;
    with pytest.raises(ValidationError, match="不能再作废"):
        services.cancel_plan(locked, user=county_user, reason="重新抽取")
    # the published value is entered once, and the draw is a pure function of (commitment, value).
    drawn = services.draw_plan(locked, user=county_user, public_value="3038.23")
    with pytest.raises(ValidationError, match="只能输入一次"):
        services.draw_plan(drawn, user=county_user, public_value=steering)
    drawn.refresh_from_db()
    assert drawn.commitment == commitment and drawn.public_value == "3038.23"
    assert drawn.seed == draw.make_seed_v2(commitment, "3038.23")
    assert drawn.draw_result == draw.draw_v2(drawn.seed, json.loads(drawn.record_json)).as_json()


def test_a_record_changed_after_locking_no_longer_matches_its_commitment_and_cannot_be_drawn(
    plan, projects, roster, county_user, clock
):
    locked = lock(plan, county_user)
    record = locked.record
    record["projects"] = record["projects"][:1]  # keep only the project the organiser wants
    InspectionPlan.objects.filter(pk=locked.pk).update(record_json=draw.canonical_json(record).decode())
    clock.move_to(at(13, 16))
    with pytest.raises(ValidationError, match="承诺值不符"):
        services.draw_plan(locked, user=county_user, public_value="3038.23")


def test_the_declared_date_must_be_after_the_lock_day_in_beijing(plan, projects, roster, county_user, clock):
    # 2024-03-12 23:30 in Beijing is 15:30 UTC: "today" is the 12th, so the 12th itself is refused
    with pytest.raises(ValidationError, match="须晚于锁定当日"):
        lock(plan, county_user, not_before=dt.date(2024, 3, 12), now=at(12, 23).replace(minute=30))
    locked = lock(plan, county_user, not_before=dt.date(2024, 3, 13), now=at(12, 23).replace(minute=30))
    with pytest.raises(ValidationError, match="当日或之后"):  # 23:59 on the 12th, Beijing
        services.check_public_value(locked, user=county_user, public_value="1", now=at(12, 23).replace(minute=59))
    # 00:00 on the 13th in Beijing (still the 12th in UTC) is on the declared date
    assert services.check_public_value(locked, user=county_user, public_value="１ ", now=at(13, 0)) == "1"


def test_a_cancelled_plan_keeps_its_commitment_and_is_never_drawn(plan, projects, roster, county_user, clock):
    locked = lock(plan, county_user)
    with pytest.raises(ValidationError, match="作废原因"):
        services.cancel_plan(locked, user=county_user, reason=" ")
    cancelled = services.cancel_plan(locked, user=county_user, reason="范围漏选试点项目")
    assert cancelled.status == PlanStatus.CANCELLED and cancelled.commitment == locked.commitment
    clock.move_to(at(13, 16))
    with pytest.raises(ValidationError, match="已作废"):
        services.draw_plan(cancelled, user=county_user, public_value="1")
    with pytest.raises(ValidationError, match="不能锁定"):
        lock(cancelled, county_user, not_before=dt.date(2024, 3, 20))


# --- (c) teams: at least two 执法人员, enforcement seats first ------------------------------------------------
def test_a_plan_cannot_be_locked_with_fewer_than_two_enforcement_officers(plan, projects, county_user, clock):
    InspectorFactory(kind="staff")
    for _ in range(4):
        InspectorFactory(kind="expert")
    with pytest.raises(ValidationError, match="只有1名执法人员，不足每组2名"):
        lock(plan, county_user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.commitment


def test_a_team_rule_with_fewer_than_two_enforcement_seats_is_refused(county_user):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(
            user=county_user,
            name="计划",
            year=2024,
            period_start=dt.date(2024, 3, 1),
            period_end=dt.date(2024, 3, 31),
            project_count=1,
            team_size=3,
            enforcement_seats=1,
        )
    assert "每组至少须有2名执法人员" in str(exc.value)
    record = {"projects": [], "inspectors": [], "exclusions": {}, "team": {"size": 1, "enforcement_seats": 2}}
    assert any("不能多于每组检查人员数" in p for p in draw.record_problems(record))


def test_a_project_whose_officers_must_step_aside_blocks_the_lock(plan, projects, county_user, clock):
    employer = ParticipantFactory(project=projects[2], role="supervisor").enterprise
    InspectorFactory(kind="staff", user=UserFactory(role="expert", enterprise=employer, username="conflicted"))
    InspectorFactory(kind="staff")
    InspectorFactory(kind="expert")
    with pytest.raises(ValidationError, match=f"{projects[2].name}”排除回避后只有1名执法人员"):
        lock(plan, county_user)


def test_the_draw_fills_the_enforcement_seats_first_and_experts_assist():
    record = {
        "project_count": 3,
        "team": {"size": 4, "enforcement_seats": 2},
        "projects": [{"id": p} for p in range(1, 11)],
        "inspectors": [{"id": i, "kind": "staff"} for i in (1, 2, 3)]
        + [{"id": i, "kind": "expert"} for i in range(4, 14)],
        "exclusions": {str(p): [{"inspector": 1, "reason": draw.CONFLICT}] for p in range(1, 6)},
    }
    experts_seen = 0
    for i in range(300):
        for team in draw.draw_v2(f"seed-{i}", record).teams:
            first, rest = team.inspector_ids[:2], team.inspector_ids[2:]
            assert all(m <= 3 for m in first) and len(team.inspector_ids) == 4 and team.short_by == 0
            assert len(set(team.inspector_ids)) == 4
            if team.project_id <= 5:
                assert 1 not in team.inspector_ids
            experts_seen += sum(m > 3 for m in rest)
    assert experts_seen > 0


# --- (b) the standalone script --------------------------------------------------------------------------------
def _script_module():
    spec = importlib.util.spec_from_file_location("verify_draw", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_standalone_script_is_the_same_algorithm_as_the_product():
    script = _script_module()
    rng = random.Random(22)
    for n in range(60):
        inspectors = [{"id": i, "kind": rng.choice(["staff", "expert"])} for i in rng.sample(range(1, 60), 12)]
        projects = [{"id": p} for p in rng.sample(range(1, 500), rng.randint(1, 15))]
        record = {
            "project_count": rng.randint(1, 6),
            "team": {"size": rng.randint(2, 5), "enforcement_seats": 2},
            "projects": projects,
            "inspectors": inspectors,
            "exclusions": {
                str(p["id"]): [{"inspector": i["id"], "reason": draw.RECENT} for i in rng.sample(inspectors, 3)]
                for p in projects[:3]
            },
        }
        assert script.canonical_json(record) == draw.canonical_json(record)
        value = rng.choice(["3089.26", "０３ ７", " 12  34 "])
        assert script.make_seed("c" * 64, value) == draw.make_seed_v2("c" * 64, value)
        assert script.draw(f"s{n}", record) == draw.draw_v2(f"s{n}", record).as_json()


@pytest.fixture
def demo(db, demo_clock):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def _run_script(tmp_path, bundle, record_bytes=None):
    audit = tmp_path / "audit.json"
    audit.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    args = [sys.executable, "-I", str(SCRIPT), str(audit)]
    if record_bytes is not None:
        (tmp_path / "record.json").write_bytes(record_bytes)
        args += ["--record", str(tmp_path / "record.json")]
    # isolated mode, no Django settings, run from an empty directory: the script needs nothing but the JSON
    return subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})


def test_the_script_recomputes_a_demo_draw_from_the_public_audit_page_and_detects_tampering(demo, client, tmp_path):
    plan = InspectionPlan.objects.filter(name__contains="季度", status=PlanStatus.DRAWN).order_by("pk").first()
    page = client.get(f"/inspections/public/plans/{plan.pk}/").content.decode()
    assert plan.commitment in page and "下载核验数据" in page and "结果与公布的抽取结果一致" in page
    bundle = json.loads(client.get(f"/inspections/public/plans/{plan.pk}/audit.json").content)
    record_bytes = client.get(f"/inspections/public/plans/{plan.pk}/record.json").content
    assert hashlib.sha256(record_bytes).hexdigest() == plan.commitment == bundle["commitment"]

    ok = _run_script(tmp_path, bundle, record_bytes)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "核验通过" in ok.stdout and plan.seed in ok.stdout

    tampered = json.loads(json.dumps(bundle))
    tampered["record"]["projects"] = tampered["record"]["projects"][1:]
    bad = _run_script(tmp_path, tampered)
    assert bad.returncode == 1 and "记录被改动过" in bad.stdout
    other_value = dict(bundle, public_value=bundle["public_value"] + "1")
    assert _run_script(tmp_path, other_value).returncode == 1
    swapped = dict(bundle, result=list(reversed(bundle["result"])))
    bad = _run_script(tmp_path, swapped)
    assert bad.returncode == 1 and "与公布的结果不一致" in bad.stdout
    assert _run_script(tmp_path, bundle, record_bytes + b" ").returncode == 1


# --- (d) the public pages ---------------------------------------------------------------------------------------
def test_the_public_pages_show_commitments_cancellations_and_no_private_fields(
    client, plan, projects, roster, county_user, county, clock
):
    employer = ParticipantFactory(project=projects[0], role="supervisor").enterprise
    InspectorFactory(
        kind="staff",
        user=UserFactory(role="expert", enterprise=employer, username="zhang_login", name="张工", phone="13900001111"),
    )
    draft = PlanFactory(county=county, name="尚未锁定的计划")
    locked = lock(plan, county_user)
    other = PlanFactory(county=county, name="作废的计划", project_count=1, recency_months=0)
    cancelled = services.cancel_plan(lock(other, county_user), user=county_user, reason="范围漏选试点项目")

    listing = client.get("/inspections/public/").content.decode()
    assert locked.commitment in listing and "上证指数2024年3月13日收盘价" in listing and "已锁定并公示" in listing
    assert cancelled.commitment in listing and "范围漏选试点项目" in listing and draft.name not in listing
    assert client.get(f"/inspections/public/plans/{draft.pk}/").status_code == 404
    page = client.get(f"/inspections/public/plans/{cancelled.pk}/").content.decode()
    assert "已作废" in page and "范围漏选试点项目" in page
    pages = [
        listing,
        client.get(f"/inspections/public/plans/{locked.pk}/").content.decode(),
        client.get(f"/inspections/public/plans/{locked.pk}/record.json").content.decode(),
        client.get(f"/inspections/public/plans/{locked.pk}/audit.json").content.decode(),
    ]
    assert "利害关系回避" in pages[1] and locked.commitment in pages[1]
    clock.move_to(at(13, 16))
    drawn = services.draw_plan(locked, user=county_user, public_value="3038.23")
    pages.append(client.get(f"/inspections/public/plans/{drawn.pk}/").content.decode())
    assert "3038.23" in pages[-1] and "结果与公布的抽取结果一致" in pages[-1]
    for text in pages:
        for private in (employer.name, "13900001111", "zhang_login", "须回避"):
            assert private not in text


def test_every_post_of_the_lifecycle_redirects_and_bad_input_changes_nothing(
    client, plan, projects, roster, county_user, colleague, clock
):
    client.force_login(colleague)
    assert client.post(f"/inspections/plans/{plan.pk}/lock/", {}).status_code == 404  # another county's plan
    client.force_login(county_user)
    assert client.post(f"/inspections/plans/{plan.pk}/cancel/", {"reason": ""}).status_code == 400
    response = client.post(
        f"/inspections/plans/{plan.pk}/lock/", {"value_source": "福彩3D开奖号码", "value_not_before": "2024-03-14"}
    )
    assert response.status_code == 302
    detail = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    plan.refresh_from_db()
    assert plan.commitment in detail and "2024-03-14（北京时间）当日或之后" in detail
    confirm = client.get(f"/inspections/plans/{plan.pk}/draw/confirm/?value=1")
    assert confirm.status_code == 302  # too early: back to the plan with the reason
    response = client.post(f"/inspections/plans/{plan.pk}/draw/confirm/", {"public_value": "1"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.LOCKED and not plan.seed
    assert timezone.localdate() < plan.value_not_before
    response = client.post(f"/inspections/plans/{plan.pk}/cancel/", {"reason": "检查时间调整"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED and plan.cancel_reason == "检查时间调整"


def test_legacy_plans_stay_auditable_under_the_algorithm_they_were_drawn_with(
    client, plan, projects, roster, county_user
):
    from django.apps import apps

    migration = importlib.import_module("inspections.migrations.0004_draw_commit_reveal")
    ids = sorted(p.pk for p in projects)
    staff_ids = sorted(i.pk for i in roster)
    seed = draw.make_seed(plan.pk, "3089.26")
    result = draw.draw(seed, ids, staff_ids, project_count=2, team_size=2)
    InspectionPlan.objects.filter(pk=plan.pk).update(
        status="drawn",
        public_value="3089.26",
        seed=seed,
        eligible_projects=ids,
        eligible_inspectors=staff_ids,
        draw_result=result.as_json(),
    )
    migration.legacy_draws_keep_v1(apps, None)
    plan.refresh_from_db()
    assert plan.draw_scheme == "v1" and services.draw_is_consistent(plan)
    client.force_login(county_user)
    assert "结果与记录的抽取结果一致" in client.get(f"/inspections/plans/{plan.pk}/audit/").content.decode()
    assert client.get(f"/inspections/public/plans/{plan.pk}/").status_code == 404  # no record was committed


def test_a_locked_plan_left_undrawn_after_its_date_is_flagged_publicly(
    client, plan, projects, roster, county_user, clock
):
    """Locking several plans and drawing only the one whose value suits would leave the others in plain sight."""
    lock(plan, county_user)
    assert "仍未抽取" not in client.get("/inspections/public/").content.decode()
    clock.move_to(at(14, 9))
    assert "已过公布日期，仍未抽取" in client.get("/inspections/public/").content.decode()
