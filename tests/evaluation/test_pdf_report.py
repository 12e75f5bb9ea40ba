"""The PDF evaluation report: A4, Chinese fonts embedded, project, panel, scores, flags, vetoes, result."""

import io
import subprocess

import pytest
from pypdf import PdfReader

from evaluation import results, services
from tests.evaluation.factories import cut, full_scores, open_evaluation, submit
from tests.projects_factories import ConstraintRecordFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_the_report_is_an_a4_pdf_with_embedded_chinese_fonts_and_every_section(
    project, county_user, experts, output_dir
):
    ConstraintRecordFactory(
        participant=ParticipantFactory(project=project), kind="safety_accident", description="脚手架局部坍塌"
    )
    evaluation = open_evaluation(project, county_user, experts[:5])
    for expert, off in zip(experts[:5], ["5", "0", "10", "30", "8"], strict=True):
        submit(evaluation, expert, cut(evaluation, full_scores(evaluation), "quality", off))
    evaluation = services.close_evaluation(evaluation, user=county_user)

    pdf = results.render_pdf(evaluation)
    path = output_dir / "evaluation-report.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points

    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]))
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts

    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "精品工程评价报告",
        project.name,
        "评审专家组",
        "未通过",
        "发生安全事故",
        "脚手架局部坍塌",
        "质量要素",
        "偏离中位数超过15分",
        "去掉最高分",
        "去掉最低分",
        "第 1 页",
        str(evaluation.total_score),
    ):
        assert expected in text, expected

    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(output_dir / "page")], check=True)
    assert list(output_dir.glob("page-*.png"))


def test_the_web_download_is_a_pdf_attachment(project, county_user, experts, client):
    evaluation = open_evaluation(project, county_user, experts[:3])
    client.force_login(county_user)
    response = client.get(f"/evaluation/{evaluation.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    client.force_login(experts[0])
    assert client.get(f"/evaluation/{evaluation.pk}/report.pdf").status_code == 403
