"""/healthz fails when the CJK font the PDFs need is missing (issue 25: "/healthz (for staff) fails when the CJK
fonts the PDFs need are missing"). Every PDF template asks for "Noto Sans CJK SC"; without it WeasyPrint prints
empty boxes instead of 永久性标志牌, 月度通报 … The missing font is simulated by patching the font lookup."""

import pytest

from core import fonts


@pytest.fixture
def fresh_font_check():
    fonts.pdf_font_check.cache_clear()
    yield
    fonts.pdf_font_check.cache_clear()


@pytest.fixture
def fonts_missing(monkeypatch, fresh_font_check):
    monkeypatch.setattr(fonts, "matched_family", lambda family: "DejaVu Sans")  # fontconfig's fallback


@pytest.mark.django_db
def test_healthz_is_ok_with_the_noto_sans_cjk_sc_font_installed(client, settings, fresh_font_check):
    settings.HEALTHZ_TOKEN = "monitor-token-123"
    response = client.get("/healthz", HTTP_X_HEALTHZ_TOKEN="monitor-token-123")
    assert response.status_code == 200
    assert response.json()["checks"]["fonts"] == {"status": "ok", "family": "Noto Sans CJK SC"}


@pytest.mark.django_db
def test_healthz_fails_when_the_pdf_cjk_font_is_missing_and_says_why_to_staff_only(
    client, settings, fonts_missing, city_admin
):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail"}  # anonymous: the status word only

    settings.HEALTHZ_TOKEN = "monitor-token-123"
    body = client.get("/healthz", HTTP_X_HEALTHZ_TOKEN="monitor-token-123").json()
    assert body["checks"]["fonts"]["status"] == "error"
    assert (
        "Noto Sans CJK SC" in body["checks"]["fonts"]["error"] and "fonts-noto-cjk" in body["checks"]["fonts"]["error"]
    )
    assert body["checks"]["database"]["status"] == "ok"

    client.force_login(city_admin)
    assert client.get("/healthz").json()["checks"]["fonts"]["status"] == "error"


@pytest.mark.django_db
def test_healthz_fails_when_fontconfig_cannot_be_asked(client, monkeypatch, fresh_font_check):
    def broken(family):
        raise OSError("cannot load library 'libfontconfig.so.1'")

    monkeypatch.setattr(fonts, "matched_family", broken)
    assert client.get("/healthz").status_code == 503


def test_the_font_is_looked_up_once_per_process(monkeypatch, fresh_font_check):
    calls = []
    monkeypatch.setattr(fonts, "matched_family", lambda family: calls.append(family) or "Noto Sans CJK SC")
    for _ in range(3):
        assert fonts.pdf_font_check()["status"] == "ok"
    assert calls == ["Noto Sans CJK SC"]


def test_the_checked_family_is_the_one_the_pdf_templates_ask_for():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    for template in ("disclosure/sign_pdf.html", "reports/pdf_base.html", "evaluation/report_pdf.html"):
        assert f'"{fonts.PDF_FONT_FAMILY}"' in (root / template).read_text(encoding="utf-8"), template
