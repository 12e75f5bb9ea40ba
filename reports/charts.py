"""Server-side SVG charts for the PDF reports (WeasyPrint runs no JavaScript).

Plain string building, no dependencies: a bar chart of one value per label and a line chart of several
series over the same x labels. Text uses the CJK font the report embeds.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

PALETTE = ["#1d4f91", "#d9534f", "#2e8b57", "#f0ad4e", "#6f42c1", "#17a2b8", "#8b5a2b", "#e83e8c", "#20c997"]
FONT = "Noto Sans CJK SC, sans-serif"
# month states drawn differently from a real score (a late or missing month counts 0 but is not a 0 score)
MARKERS = {"late": "late", "missing": "missing"}
MARKER_LEGEND = {"late": "▲ 逾期报送（0分）", "missing": "□ 未报送（0分）"}


def _nice_max(value: float) -> float:
    if value <= 0:
        return 100.0
    for step in (10, 20, 25, 50, 100, 200, 500, 1000):
        if value <= step:
            return float(step)
    return float(int(value / 1000 + 1) * 1000)


def bar_chart(
    labels: list[str],
    values: list[Decimal | float | None],
    *,
    title: str = "",
    width: int = 700,
    height: int = 300,
    max_value: float | None = None,
    value_suffix: str = "",
    notes: list[str] | None = None,
) -> str:
    """Vertical bars with the value printed on each bar; None is drawn as an empty slot marked '—'. ``notes``
    (one per bar, e.g. 逾期报送) are printed under the value so a 0 for a late month is not read as a score."""
    many = len(labels) > 12  # province scale: slanted labels, values only on hover-less print would clutter
    left, right, top, bottom = 48, 12, 34 if title else 14, 70 if many else 44
    if many:
        height += 26
    plot_w, plot_h = width - left - right, height - top - bottom
    numeric = [float(v) for v in values if v is not None]
    vmax = max_value or _nice_max(max(numeric, default=0))
    parts = [_svg_open(width, height)]
    if title:
        parts.append(_text(width / 2, 20, title, size=14, anchor="middle", weight="bold"))
    parts.extend(_y_grid(left, top, plot_w, plot_h, vmax))
    n = max(len(labels), 1)
    slot = plot_w / n
    bar_w = min(48.0, slot * 0.6)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        cx = left + slot * i + slot / 2
        if value is None:
            parts.append(_text(cx, top + plot_h - 4, "—", size=11, anchor="middle", fill="#999"))
        else:
            h = plot_h * min(float(value), vmax) / vmax
            parts.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[0]}"/>'
            )
            if not many:
                parts.append(_text(cx, top + plot_h - h - 4, f"{value}{value_suffix}", size=10, anchor="middle"))
                note = notes[i] if notes else ""
                if note:
                    parts.append(_text(cx, top + plot_h - h - 16, note, size=9, anchor="middle", fill="#c0392b"))
        if len(labels) > 40:
            continue  # too many to name: the note under the axis says what the bars are
        if many:
            y = top + plot_h + 8
            parts.append(
                f'<text x="{cx:.1f}" y="{y:.1f}" font-size="7" text-anchor="end" fill="#222" '
                f'transform="rotate(-60 {cx:.1f} {y:.1f})">{escape(str(label))}</text>'
            )
        else:
            parts.append(_text(cx, top + plot_h + 16, label, size=11, anchor="middle"))
    if len(labels) > 40:
        parts.append(
            _text(
                left + plot_w / 2,
                top + plot_h + 20,
                f"共{len(labels)}个县（市、区），按表中顺序排列",
                size=11,
                anchor="middle",
                fill="#555",
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    x_labels: list[str],
    series: dict[str, list[Decimal | float | None]],
    *,
    title: str = "",
    width: int = 700,
    height: int = 320,
    max_value: float | None = None,
    markers: dict[str, list[str | None]] | None = None,
) -> str:
    """One line per series (None = gap; ``markers`` per point draw a late month as a triangle and a missing one
    as a hollow square instead of a dot, explained under the legend), a legend under the plot (the first 12 series; more are named
    in a note, since a legend of dozens of colours identifies nothing)."""
    legend_items = list(series)[:12]
    used = sorted({m for values in (markers or {}).values() for m in values if m})
    legend_rows = (len(legend_items) + 3) // 4 + (1 if len(series) > 12 else 0) + (1 if used else 0)
    left, right, top, bottom = 48, 12, 34 if title else 14, 30 + 18 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    numeric = [float(v) for values in series.values() for v in values if v is not None]
    vmax = max_value or _nice_max(max(numeric, default=0))
    parts = [_svg_open(width, height)]
    if title:
        parts.append(_text(width / 2, 20, title, size=14, anchor="middle", weight="bold"))
    parts.extend(_y_grid(left, top, plot_w, plot_h, vmax))
    n = max(len(x_labels), 1)
    step = plot_w / max(n - 1, 1) if n > 1 else 0
    xs = [left + (step * i if n > 1 else plot_w / 2) for i in range(n)]
    for i, label in enumerate(x_labels):
        parts.append(_text(xs[i], top + plot_h + 16, label, size=10, anchor="middle"))
    for s_idx, (name, values) in enumerate(series.items()):
        color = PALETTE[s_idx % len(PALETTE)]
        segment: list[str] = []
        for i, value in enumerate(values):
            if value is None:
                if len(segment) > 1:
                    parts.append(_polyline(segment, color))
                segment = []
                continue
            y = top + plot_h - plot_h * min(float(value), vmax) / vmax
            segment.append(f"{xs[i]:.1f},{y:.1f}")
            parts.append(_marker(xs[i], y, color, ((markers or {}).get(name) or [None] * len(values))[i]))
        if len(segment) > 1:
            parts.append(_polyline(segment, color))
        if s_idx < 12:
            lx = left + (s_idx % 4) * (plot_w / 4)
            ly = top + plot_h + 34 + 18 * (s_idx // 4)
            parts.append(f'<rect x="{lx:.1f}" y="{ly - 9:.1f}" width="14" height="4" fill="{color}"/>')
            parts.append(_text(lx + 18, ly - 4, name, size=11))
    if used:
        ly = top + plot_h + 34 + 18 * ((len(legend_items) + 3) // 4 + (1 if len(series) > 12 else 0))
        parts.append(_text(left, ly - 4, "　".join(MARKER_LEGEND[m] for m in used), size=10, fill="#555"))
    if len(series) > 12:
        ly = top + plot_h + 34 + 18 * ((len(legend_items) + 3) // 4)
        parts.append(
            _text(
                left,
                ly - 4,
                f"共{len(series)}条曲线，图例仅列前12条；各县数值见“得分趋势”工作表。",
                size=10,
                fill="#555",
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def _marker(x: float, y: float, color: str, kind: str | None) -> str:
    if kind == "late":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x - 4.5:.1f},{y + 3:.1f} {x + 4.5:.1f},{y + 3:.1f}" '
            f'fill="#c0392b" stroke="{color}" stroke-width="1"/>'
        )
    if kind == "missing":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="#fff" stroke="{color}" stroke-width="1.5"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>'


def _svg_open(width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}">'
    )


def _y_grid(left, top, plot_w, plot_h, vmax) -> list[str]:
    parts = []
    for k in range(5):
        value = vmax * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, f"{value:g}", size=10, anchor="end", fill="#555"))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333" stroke-width="1"/>'
    )
    return parts


def _polyline(points: list[str], color: str) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>'


def _text(x, y, text, *, size=11, anchor="start", weight="normal", fill="#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="{fill}">{escape(str(text))}</text>'
    )
