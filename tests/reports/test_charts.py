"""The SVG charts are well-formed and stay legible with many counties."""

from decimal import Decimal
from xml.etree import ElementTree

from reports.charts import bar_chart, line_chart


def parse(svg):
    return ElementTree.fromstring(svg)


def test_bar_chart_draws_one_bar_per_value_with_labels():
    svg = bar_chart(
        ["城区", "开发区", "泽州县"], [Decimal("83.48"), None, Decimal("59.10")], title="6月考评得分", max_value=100
    )
    root = parse(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}rect")) == 2  # the missing value is drawn as a dash, not a bar
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "83.48" in texts and "城区" in texts and "—" in texts and "6月考评得分" in texts


def test_many_bars_get_slanted_labels_without_values():
    labels = [f"县{i}" for i in range(30)]
    root = parse(bar_chart(labels, [Decimal(i) for i in range(30)], max_value=100))
    slanted = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if "rotate" in (t.get("transform") or "")]
    assert len(slanted) == 30


def test_province_scale_bars_are_unlabelled_with_a_note():
    root = parse(bar_chart([f"县{i}" for i in range(120)], [Decimal(i % 100) for i in range(120)], max_value=100))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "县5" not in texts and "共120个县（市、区），按表中顺序排列" in texts
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 120


def test_line_chart_legend_is_capped_and_gaps_break_lines():
    series = {f"县{i}": [Decimal("70"), None, Decimal("80")] for i in range(20)}
    root = parse(line_chart(["1月", "2月", "3月"], series, title="趋势", max_value=100))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "县11" in texts and "县12" not in texts and any("共20条曲线" in (t or "") for t in texts)
    assert not list(root.iter("{http://www.w3.org/2000/svg}polyline"))  # every series has a gap: no 2-point segment
