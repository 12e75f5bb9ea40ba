"""A green-construction pilot from application to 专项评估验收 through the UI (seed 003 四(一)): the 建设单位 applies
with its 绿色建造策划方案 and submits, the city assigns three experts, each gives an opinion, the city approves, the
建设单位 records 策划/设计/施工（竣工）, the county checks, the city holds the acceptance with an achieved 二星级."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from pilots import services
from pilots.models import Pilot
from pilots.seed import demo_targets
from tests.browser.test_journeys import axe_problems
from tests.conftest import DEMO_NOW, login
from tests.factories import EnterpriseFactory, UserFactory
from tests.projects_factories import ParticipantFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def confirm(page):
    page.get_by_test_id("confirm-ok").click()
    page.wait_for_load_state("networkidle")


def as_user(page, user):
    page.context.clear_cookies()
    login(page, user.username)


def test_a_pilot_from_application_to_acceptance(page, county, city_admin, county_user, output_dir):
    builder = EnterpriseFactory(name="晋城市城市建设投资有限公司")
    project = ProjectFactory(county=county, category="building", government_invested=True, name="高平市全民健身中心")
    ParticipantFactory(project=project, enterprise=builder, role="builder")
    owner = UserFactory(role="unit_user", enterprise=builder, username="pilot_builder")
    experts = [
        UserFactory(role="expert", username=f"pilot_expert{i}", enterprise=EnterpriseFactory()) for i in range(3)
    ]
    day = DEMO_NOW.date().isoformat()

    with time_machine.travel(DEMO_NOW, tick=True):
        # 建设单位: apply with the plan and its targets, then submit
        as_user(page, owner)
        page.goto(f"{page.base_url}/pilots/list/")
        page.get_by_test_id("apply-link").click()
        page.select_option("select[name=project]", str(project.pk))
        page.set_input_files(
            "input[name=document]",
            files=[{"name": "绿色建造策划方案.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        page.fill("input[name=prefab_rate]", "55")
        page.fill("input[name=waste_target]", "280")
        page.fill("input[name=green_material_share]", "45")
        page.select_option("select[name=delivery_model]", "epc")
        for name in ("standardised_design", "bim_design", "bim_production", "bim_construction", "smart_site"):
            page.check(f"input[name={name}]")
        page.get_by_test_id("apply-save").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_test_id("pilot-status").inner_text() == "申报"
        pilot_url = page.url
        page.get_by_test_id("submit-save").click()
        confirm(page)
        assert page.get_by_test_id("pilot-status").inner_text() == "专家评审中"

        # 市局: three experts from the roster
        as_user(page, city_admin)
        page.goto(pilot_url)
        page.select_option("select[name=experts]", [str(e.pk) for e in experts])
        page.get_by_test_id("assign-save").click()
        page.wait_for_load_state("networkidle")

        # each expert's opinion
        for expert in experts:
            as_user(page, expert)
            page.goto(pilot_url)
            page.get_by_label("通过", exact=True).check()
            page.fill("textarea[name=op-opinion]", "策划方案目标明确，措施可行。")
            page.get_by_test_id("opinion-save").click()
            confirm(page)

        # 市局: 评审通过（立项）
        as_user(page, city_admin)
        page.goto(pilot_url)
        page.get_by_label("评审通过（立项）").check()
        page.fill("textarea[name=note]", "同意列为绿色建造试点项目。")
        page.get_by_test_id("decide-save").click()
        confirm(page)
        assert page.get_by_test_id("pilot-status").inner_text() == "评审通过（立项）"

        # 建设单位: 策划, 设计, 施工（竣工）
        as_user(page, owner)
        page.goto(pilot_url)
        for milestone in ("planning", "design", "construction"):
            page.select_option("select[name=ms-milestone]", milestone)
            page.fill("input[name=ms-completed_on]", day)
            page.get_by_test_id("milestone-save").click()
            confirm(page)
        assert page.get_by_test_id("pilot-status").inner_text() == "专项评估验收"

        # 县局: a periodic check, every item met
        as_user(page, county_user)
        page.goto(pilot_url)
        page.fill("input[name=ck-checked_on]", day)
        for select in page.locator("select[name^=ck-item_]").all():
            select.select_option("1")
        page.get_by_test_id("check-save").click()
        confirm(page)
        assert "全部符合" in page.get_by_test_id("checks").inner_text()

        # 市局: 专项评估验收 with an achieved 二星级
        as_user(page, city_admin)
        page.goto(pilot_url)
        page.fill("input[name=ac-accepted_on]", day)
        page.select_option("select[name=ac-achieved_label]", "two")
        page.select_option("select[name=ac-passed]", "1")
        page.fill("textarea[name=ac-opinion]", "达到绿色建筑二星级，试点要求落实到位。")
        page.get_by_test_id("acceptance-save").click()
        confirm(page)
        assert page.get_by_test_id("pilot-status").inner_text() == "验收通过"
        journey = page.get_by_test_id("journey").inner_text()
        assert "提出申报" in journey and "专项评估验收" in journey
        page.screenshot(path=str(output_dir / "pilot-accepted.png"), full_page=True)
        page.goto(f"{page.base_url}/pilots/")
        page.screenshot(path=str(output_dir / "programme.png"), full_page=True)

    assert Pilot.objects.get().status == "accepted"


def test_the_pilot_pages_have_no_serious_accessibility_issue(browser, live_server, county, city_admin, county_user):
    """axe-core (0 serious/critical, as tests/browser/test_journeys.py) on the programme, the list, the application
    form and a pilot's page with the forms of each role."""
    builder = EnterpriseFactory(name="晋城市城市建设投资有限公司")
    project = ProjectFactory(county=county, category="building", government_invested=True)
    ParticipantFactory(project=project, enterprise=builder, role="builder")
    second = ProjectFactory(county=county, category="building", government_invested=False)
    ParticipantFactory(project=second, enterprise=builder, role="builder")
    owner = UserFactory(role="unit_user", enterprise=builder, username="axe_builder")
    experts = [UserFactory(role="expert", username=f"axe_expert{i}", enterprise=EnterpriseFactory()) for i in range(3)]
    with time_machine.travel(DEMO_NOW, tick=True):
        pilot = services.apply(
            project, user=owner, document=SimpleUploadedFile("方案.pdf", PDF), targets=demo_targets(0)
        )
        services.submit(pilot, user=owner)
        services.assign_reviewers(pilot, user=city_admin, experts=experts)
        problems = []
        for user, paths in [
            (city_admin, ["/pilots/", "/pilots/list/", f"/pilots/{pilot.pk}/"]),
            (county_user, ["/pilots/"]),
            (experts[0], [f"/pilots/{pilot.pk}/"]),
            (owner, ["/pilots/list/", "/pilots/apply/"]),
        ]:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
            page = context.new_page()
            page.base_url = live_server.url
            login(page, user.username)
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
                problems += [f"{user.username} {path}: {p}" for p in axe_problems(page)]
            context.close()
    assert problems == []
