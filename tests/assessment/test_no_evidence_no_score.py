"""无印证材料的不计分 (seed 002 附件1 四: "每月报送材料及工作措施印证材料（附目录清单）要真实有效、前后对应，无印证材料
的不计分"): an item that requires evidence and has none scores 0 in the engine, so in the live preview, the stored
item scores, the official month score and the ranking alike — unless the city reviewer accepts the paper originals
for that item (audited, reversible)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import ranking, scoring, services
from assessment.models import AuditEntry, PaperEvidenceAcceptance
from tests.assessment.factories import attach_evidence, filled_submission, local, submitted, target

pytestmark = pytest.mark.django_db

RATIO = scoring.ItemRule(
    "D1",
    D(20),
    scoring.RuleKind.RATIO,
    {"numerator": "prefab_area", "denominator": "new_building_area", "target_value": 24},
    requires_evidence=True,
)
DATA = scoring.MonthData(figures={"prefab_area": D("7.80"), "new_building_area": D("30.00")})


def test_engine_an_item_requiring_evidence_without_it_scores_0_and_says_wu_yinzheng_cailiao_de_bu_jifen():
    """高平市 June: D1 装配式 26% ÷ 24% × 20 = 21.66, capped 20 — "无印证材料的不计分": 0 without evidence."""
    result = scoring.score_item(RATIO, DATA)
    assert result.score == 0 and result.evidence_missing and result.earned == D("20.00")
    assert result.explanation.endswith("无印证材料的不计分（应得20分），得0分")
    evidenced = scoring.MonthData(figures=DATA.figures, evidenced=frozenset({"D1"}))
    assert scoring.score_item(RATIO, evidenced).score == D("20.00")
    not_required = scoring.ItemRule("D1", D(20), RATIO.kind, RATIO.params)
    assert scoring.score_item(not_required, DATA).score == D("20.00")


def test_engine_a_sheet_total_counts_only_evidenced_items():
    rules = [
        RATIO,
        scoring.ItemRule(
            "A1", D(4), scoring.RuleKind.PASS_FAIL, {"facts": ["energy_standard_full"]}, requires_evidence=True
        ),
    ]
    data = scoring.MonthData(figures=DATA.figures, facts={"energy_standard_full": True}, evidenced=frozenset({"A1"}))
    assert scoring.score_sheet(rules, data).total == D("4.00")


@pytest.fixture(autouse=True)
def _targets(county):
    target(county)


def test_the_official_score_and_the_ranking_count_0_for_items_without_evidence(county, county_user, city_admin):
    """高平市 June 2023 with 印证材料 for every item but D1: 73.53 − 20 = 53.53, in the month score and the ranking."""
    sub = filled_submission(county, county_user, evidence=False)
    attach_evidence(sub, county_user, [c for c in sub.rubric.items.values_list("code", flat=True) if c != "D1"])
    sub.refresh_from_db()
    assert sub.items_total == D("53.53") and sub.score == D("53.53")
    assert sub.item_scores.get(item__code="D1").score == 0
    sub = services.submit(sub, user=county_user, now=local(2023, 6, 10, 9))
    sub = services.publish(services.approve(sub, user=city_admin), user=city_admin)
    row = next(r for r in ranking.monthly_ranking(2023, 6) if r.county_name == county.name)
    assert row.score == D("53.53")


def test_the_live_preview_scores_0_without_evidence_and_changes_with_it(county, county_user, client):
    sub = filled_submission(county, county_user, evidence=False)
    client.force_login(county_user)
    form = {"prefab_area": "7.80", "new_building_area": "30.00", "energy_standard_full": "on"}
    page = client.post(f"/assessment/submissions/{sub.pk}/preview/", form).content.decode()
    assert 'data-testid="live-items-total" hx-swap-oob="true">0.00<' in page
    assert "无印证材料，不计分" in page
    attach_evidence(sub, county_user, ["D1"])
    page = client.post(f"/assessment/submissions/{sub.pk}/preview/", form).content.decode()
    assert 'data-testid="score-D1">20.00<' in page


def test_the_reviewer_accepts_paper_originals_for_one_item_audited_and_reversible(county, county_user, city_admin):
    """ "原件一式两份加盖单位公章……报市建设工程服务中心": the reviewer may accept the originals instead of a file."""
    sub = submitted(county, county_user, evidence=False)
    assert sub.item_scores.get(item__code="D1").score == 0 and sub.items_total == 0
    services.accept_paper_originals(sub, user=city_admin, code="D1", note="装配式项目清单原件，6月18日送达")
    sub.refresh_from_db()
    assert sub.item_scores.get(item__code="D1").score == D("20.00") and sub.items_total == D("20.00")
    assert AuditEntry.objects.filter(submission=sub, field="D1 纸质原件认可", new_value="已认可").exists()
    with pytest.raises(ValidationError, match="已认可"):
        services.accept_paper_originals(sub, user=city_admin, code="D1", note="再次")
    acceptance = PaperEvidenceAcceptance.objects.get()
    with pytest.raises(ValidationError, match="撤销理由"):
        services.withdraw_paper_acceptance(acceptance, user=city_admin, reason=" ")
    services.withdraw_paper_acceptance(acceptance, user=city_admin, reason="原件与电子版不一致")
    sub.refresh_from_db()
    assert sub.item_scores.get(item__code="D1").score == 0
    assert AuditEntry.objects.filter(submission=sub, field="D1 纸质原件认可", new_value="已撤销").exists()


def test_only_the_city_accepts_paper_originals_with_a_note_and_not_on_a_locked_month(county, county_user, city_admin):
    sub = submitted(county, county_user, evidence=False)
    with pytest.raises(PermissionDenied):
        services.accept_paper_originals(sub, user=county_user, code="D1", note="原件")
    with pytest.raises(ValidationError, match="请说明"):
        services.accept_paper_originals(sub, user=city_admin, code="D1", note="")
    services.approve(sub, user=city_admin)
    with pytest.raises(ValidationError, match="已锁定"):
        services.accept_paper_originals(sub, user=city_admin, code="D1", note="原件")
    assert not PaperEvidenceAcceptance.objects.exists()


def test_the_city_accepts_paper_originals_on_the_detail_page(county, county_user, city_admin, client):
    sub = submitted(county, county_user, evidence=False)
    client.force_login(city_admin)
    page = client.get(f"/assessment/submissions/{sub.pk}/").content.decode()
    assert 'data-testid="paper-accept-D1"' in page
    response = client.post(f"/assessment/submissions/{sub.pk}/paper-accept/", {"code": "D1", "note": "原件已核"})
    assert response.status_code == 302
    assert PaperEvidenceAcceptance.objects.filter(submission=sub, item__code="D1").exists()
    page = client.get(f"/assessment/submissions/{sub.pk}/").content.decode()
    assert "纸质原件已认可" in page
